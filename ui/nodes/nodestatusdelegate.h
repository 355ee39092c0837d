#pragma once

#include <QStyledItemDelegate>

namespace Bramble::Ui {

// Paints the Status cell of the nodes table: the status marker and name
// (Ready, NotReady, Unknown, Cordoned) in the status's colour
// (NodeModel::StatusRole), then a badge for each condition that reports a
// problem (NodeModel::ConditionsRole), and a Cordoned badge for a cordoned
// node that is not Ready. kubectl's own text stays the cell's DisplayRole
// (what is copied and found).
class NodeStatusDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace Bramble::Ui
