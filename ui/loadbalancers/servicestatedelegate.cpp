#include "ui/loadbalancers/servicestatedelegate.h"

#include "models/lbservicetablemodel.h"
#include "ui/loadbalancers/lbstyle.h"

namespace Bramble::Ui {

void ServiceStateDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const auto state = MetalLB::ServiceState::State(index.data(Models::LbServiceTableModel::StateRole).toInt());
    const QColor color = serviceStateColor(state, option->palette);
    option->palette.setColor(QPalette::Text, color);
    option->font.setBold(state != MetalLB::ServiceState::Assigned);
}

} // namespace Bramble::Ui
