#include "ui/loadbalancers/usagebardelegate.h"

#include "models/pooltablemodel.h"
#include "ui/loadbalancers/lbstyle.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace Bramble::Ui {

namespace {

QString barText(const QModelIndex &index)
{
    const QString used = index.data().toString();
    const QString total = index.siblingAtColumn(Models::PoolTableModel::TotalColumn).data().toString();
    return QStringLiteral("%1 / %2").arg(used, total);
}

} // namespace

void UsageBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const double fraction = index.data(Models::PoolTableModel::UsageRole).toDouble();
    const QRectF bar = QRectF(opt.rect).adjusted(4, 4, -4, -4);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(freeColor(opt.palette));
    painter->drawRoundedRect(bar, 3, 3);
    if (fraction > 0) {
        QRectF used = bar;
        used.setWidth(std::max(3.0, bar.width() * fraction));
        QColor c = usageColor(fraction, opt.palette);
        c.setAlphaF(0.55f);
        painter->setBrush(c);
        painter->drawRoundedRect(used, 3, 3);
    }
    // The bar is its own background: Text reads on it, selected or not.
    painter->setPen(opt.palette.color(QPalette::Text));
    painter->drawText(bar, Qt::AlignCenter, barText(index));
    painter->restore();
}

QSize UsageBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(120, option.fontMetrics.horizontalAdvance(barText(index)) + 24));
    return size;
}

} // namespace Bramble::Ui
