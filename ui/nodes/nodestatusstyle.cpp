#include "ui/nodes/nodestatusstyle.h"

#include "ui/common/theme.h"

#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QRectF>

namespace Bramble::Ui {

QColor statusColor(Kube::NodeStatus status, const QPalette &palette)
{
    switch (status) {
    case Kube::NodeStatus::Ready:
        return toneColor(Tone::Ok, palette);
    case Kube::NodeStatus::NotReady:
        return toneColor(Tone::Error, palette);
    case Kube::NodeStatus::Unknown:
        return toneColor(Tone::Warning, palette);
    case Kube::NodeStatus::Cordoned:
        // Not a problem, a choice: blue, apart from the three health tones.
        return isDark(palette) ? QColor(0x6c, 0xb6, 0xff) : QColor(0x09, 0x69, 0xda);
    }
    return palette.color(QPalette::Text);
}

QString statusName(Kube::NodeStatus status)
{
    switch (status) {
    case Kube::NodeStatus::Ready:
        return QStringLiteral("Ready");
    case Kube::NodeStatus::NotReady:
        return QStringLiteral("NotReady");
    case Kube::NodeStatus::Unknown:
        return QStringLiteral("Unknown");
    case Kube::NodeStatus::Cordoned:
        return QStringLiteral("Cordoned");
    }
    return {};
}

void paintStatusMarker(QPainter *painter, const QRectF &rect, Kube::NodeStatus status, const QPalette &palette)
{
    const QColor color = statusColor(status, palette);
    const qreal side = qMin(rect.width(), rect.height());
    const QRectF r(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    switch (status) {
    case Kube::NodeStatus::Ready:
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(r.adjusted(1, 1, -1, -1));
        break;
    case Kube::NodeStatus::NotReady: {
        QPainterPath diamond;
        diamond.moveTo(r.center().x(), r.top());
        diamond.lineTo(r.right(), r.center().y());
        diamond.lineTo(r.center().x(), r.bottom());
        diamond.lineTo(r.left(), r.center().y());
        diamond.closeSubpath();
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawPath(diamond);
        break;
    }
    case Kube::NodeStatus::Unknown: {
        const qreal w = qMax(1.5, side / 7);
        painter->setPen(QPen(color, w));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(r.adjusted(w, w, -w, -w));
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        const qreal d = side / 4;
        painter->drawEllipse(QRectF(r.center().x() - d / 2, r.center().y() - d / 2, d, d));
        break;
    }
    case Kube::NodeStatus::Cordoned: {
        const qreal w = qMax(1.5, side / 7);
        const QRectF ring = r.adjusted(w, w, -w, -w);
        painter->setPen(QPen(color, w));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(ring);
        const qreal k = ring.width() / 2 * 0.7071;
        painter->drawLine(QPointF(ring.center().x() - k, ring.center().y() + k),
            QPointF(ring.center().x() + k, ring.center().y() - k));
        break;
    }
    }
    painter->restore();
}

QColor conditionColor(const QString &type, const QPalette &palette)
{
    if (type == u"NetworkUnavailable" || type == u"Ready")
        return toneColor(Tone::Error, palette);
    return toneColor(Tone::Warning, palette);
}

} // namespace Bramble::Ui
