#include "ui/nodes/nodestatusdelegate.h"

#include "models/nodemodel.h"
#include "ui/nodes/nodestatusstyle.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

namespace Bramble::Ui {

namespace {

constexpr int kPad = 6;
constexpr int kGap = 5;

QFont badgeFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    return f;
}

int badgeWidth(const QFontMetrics &fm, const QString &text)
{
    return fm.horizontalAdvance(text) + 2 * kGap;
}

// The pane's own status word replaces kubectl's text (which says NotReady
// for Unknown too, and "Ready,SchedulingDisabled" for Cordoned); a node that
// is cordoned and also unwell keeps its cordon as a badge.
QStringList badges(const QModelIndex &index)
{
    QStringList list;
    const auto status = Kube::NodeStatus(index.data(Models::NodeModel::StatusRole).toInt());
    if (status != Kube::NodeStatus::Cordoned && index.data(Qt::DisplayRole).toString().contains(u"SchedulingDisabled"))
        list << QStringLiteral("Cordoned");
    list += index.data(Models::NodeModel::ConditionsRole).toStringList();
    return list;
}

} // namespace

void NodeStatusDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const auto status = Kube::NodeStatus(index.data(Models::NodeModel::StatusRole).toInt());
    const QString text = statusName(status);
    const QStringList conditions = badges(index);
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QRect r = opt.rect.adjusted(kPad, 0, -kPad, 0);
    const int marker = qMin(r.height() - 8, opt.fontMetrics.height() - 2);

    painter->save();
    painter->setClipRect(opt.rect);
    paintStatusMarker(
        painter, QRectF(r.left(), r.center().y() - marker / 2.0 + 0.5, marker, marker), status, opt.palette);
    int x = r.left() + marker + kGap;

    QFont font = opt.font;
    if (status != Kube::NodeStatus::Ready)
        font.setBold(true);
    painter->setFont(font);
    painter->setPen(selected ? opt.palette.color(QPalette::HighlightedText) : statusColor(status, opt.palette));
    const QFontMetrics fm(font);
    const QRect textRect(x, r.top(), r.right() - x, r.height());
    painter->drawText(
        textRect, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(text, Qt::ElideRight, textRect.width()));
    x += fm.horizontalAdvance(text) + kGap + 2;

    const QFont small = badgeFont(opt.font);
    const QFontMetrics sfm(small);
    painter->setFont(small);
    painter->setRenderHint(QPainter::Antialiasing);
    const int h = sfm.height() + 2;
    for (const QString &c : conditions) {
        const int w = badgeWidth(sfm, c);
        if (x + w > r.right() + kPad)
            break;
        const QRectF badge(x + 0.5, r.center().y() - h / 2.0 + 0.5, w - 1, h - 1);
        QColor color
            = c == u"Cordoned" ? statusColor(Kube::NodeStatus::Cordoned, opt.palette) : conditionColor(c, opt.palette);
        QColor fill = color;
        fill.setAlphaF(0.16f);
        painter->setPen(QPen(selected ? opt.palette.color(QPalette::HighlightedText) : color, 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, h / 2.0, h / 2.0);
        painter->drawText(badge, Qt::AlignCenter, c);
        x += w + kGap;
    }
    painter->restore();
}

QSize NodeStatusDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics fm(bold);
    const QFontMetrics sfm(badgeFont(option.font));
    const auto status = Kube::NodeStatus(index.data(Models::NodeModel::StatusRole).toInt());
    int w = 2 * kPad + fm.height() + kGap + fm.horizontalAdvance(statusName(status)) + kGap + 2;
    for (const QString &c : badges(index))
        w += badgeWidth(sfm, c) + kGap;
    size.setWidth(w);
    size.setHeight(qMax(size.height(), sfm.height() + 8));
    return size;
}

} // namespace Bramble::Ui
