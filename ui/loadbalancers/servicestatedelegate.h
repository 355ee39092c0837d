#pragma once

#include <QStyledItemDelegate>

namespace Bramble::Ui {

// Colours a service row's State cell by LbServiceTableModel::StateRole
// (see lbstyle.h); anything but Assigned is bold, so it reads without colour too.
class ServiceStateDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace Bramble::Ui
