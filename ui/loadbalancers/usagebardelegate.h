#pragma once

#include <QStyledItemDelegate>

namespace Bramble::Ui {

// Draws a pool's Used cell as a bar (used / total, from
// PoolTableModel::UsageRole) with "used / total" over it; the bar turns
// amber from 80 % and red when the pool is full.
class UsageBarDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Bramble::Ui
