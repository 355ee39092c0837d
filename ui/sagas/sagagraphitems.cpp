#include "ui/sagas/sagagraphitems.h"

#include "ui/common/theme.h"
#include "ui/sagas/sagagraphview.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace Bramble::Ui::SagaGraph {

using Models::StateVisual;
using Saga::EdgeKind;
using Saga::StateRole;

namespace {

// Polyline with rounded bends.
QPainterPath roundedPolyline(const QList<QPointF> &points, qreal radius)
{
    QPainterPath path;
    if (points.isEmpty())
        return path;
    path.moveTo(points.first());
    for (qsizetype i = 1; i + 1 < points.size(); ++i) {
        const QPointF prev = points.at(i - 1), at = points.at(i), next = points.at(i + 1);
        const qreal inLen = QLineF(prev, at).length(), outLen = QLineF(at, next).length();
        const qreal r = std::min({ radius, inLen / 2, outLen / 2 });
        if (r < 0.5) {
            path.lineTo(at);
            continue;
        }
        path.lineTo(at + (prev - at) * (r / inLen));
        path.quadTo(at, at + (next - at) * (r / outLen));
    }
    if (points.size() > 1)
        path.lineTo(points.last());
    return path;
}

constexpr qreal kRadius = 6;
// Text is skipped below this many device pixels of font height.
constexpr qreal kMinTextPixels = 4.5;

} // namespace

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

void Style::update(const QPalette &pal, const QFont &font)
{
    palette = pal;
    nameFont = font;
    captionFont = font;
    captionFont.setPointSizeF(std::max<qreal>(6, font.pointSizeF() * 0.82));
    labelFont = captionFont;
    namePixels = QFontMetricsF(nameFont).height();
    captionPixels = QFontMetricsF(captionFont).height();
    base = pal.color(QPalette::Base);
    text = pal.color(QPalette::Text);
    muted = toneColor(Tone::Muted, pal);
    edge = mix(base, text, 0.62);
    branch = mix(base, text, 0.4);
    catchColor = stateRoleColor(StateRole::Compensation, pal);
    highlight = pal.color(QPalette::Highlight);
    containerFill = mix(base, text, isDark(pal) ? 0.06 : 0.035);
    containerBorder = mix(base, text, 0.3);
    badge = toneColor(Tone::Warning, pal);
}

StateItem::StateItem(const Style *style, const Saga::StateNode &node, StateRole role, const QRectF &rect)
    : m_style(style)
    , m_rect(rect)
    , m_name(node.name)
    , m_type(node.type == Saga::StateType::Unknown ? node.typeName : Saga::stateTypeName(node.type))
    , m_role(role)
{
    m_outline.addRoundedRect(m_rect, kRadius, kRadius);
    QPainterPath stripe;
    stripe.addRect(QRectF(m_rect.left(), m_rect.top(), kStripe, m_rect.height()));
    m_stripe = m_outline.intersected(stripe);
    const qreal textWidth = m_rect.width() - kStripe - 12;
    m_nameShown = QFontMetricsF(style->nameFont).elidedText(m_name, Qt::ElideMiddle, textWidth);
    m_typeShown = QFontMetricsF(style->captionFont).elidedText(m_type, Qt::ElideRight, textWidth);
    m_tooltip = QStringLiteral("<b>%1</b><br>%2 · %3")
                    .arg(m_name.toHtmlEscaped(), m_type.toHtmlEscaped(),
                        m_role == StateRole::Forward            ? QObject::tr("forward step")
                            : m_role == StateRole::Compensation ? QObject::tr("compensation")
                                                                : QObject::tr("control"));
    if (!node.resource.isEmpty())
        m_tooltip += QStringLiteral("<br><small>%1</small>").arg(node.resource.toHtmlEscaped());
    setZValue(2);
}

void StateItem::setState(StateVisual visual, bool dangling, bool selected)
{
    m_visual = visual;
    m_dangling = dangling;
    m_selected = selected;
    restyle();
}

void StateItem::setHighlighted(bool selected)
{
    m_selected = selected;
    update();
}

void StateItem::restyle()
{
    const Style &s = *m_style;
    const bool dark = isDark(s.palette);
    QColor border, fill;
    qreal width = 1.2;
    Qt::PenStyle penStyle = Qt::SolidLine;
    if (!s.hasVisuals) {
        const QColor role = stateRoleColor(m_role, s.palette);
        fill = role.isValid() ? mix(s.base, role, dark ? 0.16 : 0.07) : mix(s.base, s.text, dark ? 0.08 : 0.04);
        border = role.isValid() ? mix(s.base, role, 0.75) : mix(s.base, s.text, 0.45);
    } else if (m_visual == StateVisual::NotReached) {
        fill = mix(s.base, s.text, dark ? 0.04 : 0.025);
        border = mix(s.base, s.text, 0.35);
        penStyle = Qt::DashLine;
    } else {
        const QColor c = stateVisualColor(m_visual, s.palette);
        fill = mix(s.base, c, dark ? 0.28 : 0.16);
        border = c;
        width = m_visual == StateVisual::CompensationFailed || m_visual == StateVisual::Failed ? 2.6 : 2;
    }
    QPen pen(border, width, penStyle);
    pen.setCosmetic(false);
    setPen(pen);
    setBrush(fill);
    QString tip = m_tooltip;
    if (s.hasVisuals)
        tip += QStringLiteral("<br>%1").arg(Models::stateVisualName(m_visual));
    if (m_dangling)
        tip += QStringLiteral("<br><b>%1</b>").arg(QObject::tr("Dangling: completed, never compensated"));
    setToolTip(tip);
    update();
}

void StateItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Style &s = *m_style;
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    QPen p = pen();
    if (s.hasVisuals && m_visual == StateVisual::Running) {
        QColor c = p.color();
        c.setAlphaF(float(0.45 + 0.55 * s.pulse));
        p.setColor(c);
        p.setWidthF(1.5 + 2.0 * s.pulse);
    }
    painter->setPen(p);
    painter->setBrush(brush());
    painter->drawPath(m_outline);
    const QColor role = stateRoleColor(m_role, s.palette);
    if (role.isValid())
        painter->fillPath(m_stripe, role);
    if (m_selected) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(s.highlight, 2.5));
        painter->drawRoundedRect(m_rect.adjusted(-4, -4, 4, 4), kRadius + 3, kRadius + 3);
    }
    if (m_dangling)
        paintBadge(painter);
    if (lod * s.captionPixels < kMinTextPixels)
        return;
    const bool faded = s.hasVisuals && m_visual == StateVisual::NotReached;
    const QRectF textRect = m_rect.adjusted(kStripe + 6, 3, -6, -3);
    const qreal total = s.namePixels + s.captionPixels;
    const qreal top = textRect.top() + std::max<qreal>(0, (textRect.height() - total) / 2);
    painter->setFont(s.nameFont);
    painter->setPen(faded ? mix(s.base, s.text, 0.6) : s.text);
    painter->drawText(
        QRectF(textRect.left(), top, textRect.width(), s.namePixels), Qt::AlignHCenter | Qt::AlignVCenter, m_nameShown);
    painter->setFont(s.captionFont);
    painter->setPen(mix(s.base, s.text, 0.55));
    painter->drawText(QRectF(textRect.left(), top + s.namePixels, textRect.width(), s.captionPixels),
        Qt::AlignHCenter | Qt::AlignVCenter, m_typeShown);
}

void StateItem::paintBadge(QPainter *painter) const
{
    const Style &s = *m_style;
    const QPointF c(m_rect.right() - 1, m_rect.top() + 1);
    const qreal r = 8;
    QPolygonF tri({ c + QPointF(0, -r), c + QPointF(r * 0.95, r * 0.7), c + QPointF(-r * 0.95, r * 0.7) });
    painter->setPen(QPen(s.base, 1.5));
    painter->setBrush(s.badge);
    painter->drawPolygon(tri);
    painter->setPen(QPen(s.base, 1.8, Qt::SolidLine, Qt::RoundCap));
    painter->drawLine(c + QPointF(0, -r * 0.45), c + QPointF(0, r * 0.15));
    painter->drawPoint(c + QPointF(0, r * 0.45));
}

EdgeItem::EdgeItem(const Style *style, EdgeKind kind, const QList<QPointF> &points)
    : m_style(style)
    , m_kind(kind)
{
    setPath(roundedPolyline(points, 10));
    if (points.size() >= 2) {
        // The arrow follows the last segment that has a length.
        QPointF tip = points.last(), from = tip;
        for (qsizetype i = points.size() - 2; i >= 0 && from == tip; --i)
            from = points.at(i);
        const QLineF line(tip, from);
        const qreal size = kind == EdgeKind::Branch ? 6 : 8;
        if (line.length() > 0) {
            QLineF a = line;
            a.setLength(size);
            a.setAngle(line.angle() + 25);
            QLineF b = line;
            b.setLength(size);
            b.setAngle(line.angle() - 25);
            m_arrow = QPolygonF({ tip, a.p2(), b.p2() });
        }
    }
    setZValue(kind == EdgeKind::Catch ? 1 : 0.5);
    restyle();
}

void EdgeItem::restyle()
{
    const Style &s = *m_style;
    switch (m_kind) {
    case EdgeKind::Catch:
        setPen(QPen(s.catchColor, 1.5, Qt::DashLine, Qt::FlatCap, Qt::RoundJoin));
        break;
    case EdgeKind::Branch:
        setPen(QPen(s.branch, 0.8, Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin));
        break;
    default:
        setPen(QPen(s.edge, 1.4, Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin));
        break;
    }
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setPen(pen());
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    if (!m_arrow.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pen().color());
        painter->drawPolygon(m_arrow);
    }
}

LabelItem::LabelItem(const Style *style, const QString &text, const QPointF &centre)
    : m_style(style)
    , m_text(QFontMetricsF(style->labelFont).elidedText(text, Qt::ElideRight, 180))
{
    const QFontMetricsF fm(style->labelFont);
    const QSizeF size(fm.horizontalAdvance(m_text) + 8, fm.height() + 2);
    m_rect = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size);
    setZValue(3);
    setToolTip(text);
}

void LabelItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Style &s = *m_style;
    if (option->levelOfDetailFromTransform(painter->worldTransform()) * s.captionPixels < kMinTextPixels)
        return;
    painter->setPen(QPen(mix(s.base, s.catchColor, 0.5), 0.8));
    painter->setBrush(s.base);
    painter->drawRoundedRect(m_rect, 3, 3);
    painter->setFont(s.labelFont);
    painter->setPen(s.catchColor);
    painter->drawText(m_rect, Qt::AlignCenter, m_text);
}

ContainerItem::ContainerItem(const Style *style, const QRectF &rect, const QString &label)
    : m_style(style)
    , m_rect(rect)
    , m_label(label)
{
    setZValue(-1);
}

void ContainerItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Style &s = *m_style;
    painter->setPen(QPen(s.containerBorder, 1, Qt::DashLine));
    painter->setBrush(s.containerFill);
    painter->drawRoundedRect(m_rect, 8, 8);
    if (option->levelOfDetailFromTransform(painter->worldTransform()) * s.captionPixels < kMinTextPixels)
        return;
    painter->setFont(s.labelFont);
    painter->setPen(mix(s.base, s.text, 0.6));
    painter->drawText(m_rect.adjusted(8, 2, -8, 0), Qt::AlignLeft | Qt::AlignTop,
        QFontMetricsF(s.labelFont).elidedText(m_label, Qt::ElideRight, m_rect.width() - 16));
}

MarkerItem::MarkerItem(const Style *style, bool start, const QRectF &stateRect)
    : m_style(style)
    , m_start(start)
{
    const qreal cx = stateRect.center().x();
    if (start) {
        m_centre = QPointF(cx, stateRect.top() - 24);
        m_line = QLineF(cx, m_centre.y() + 6, cx, stateRect.top() - 1);
    } else {
        m_centre = QPointF(cx, stateRect.bottom() + 20);
        m_line = QLineF(cx, stateRect.bottom() + 1, cx, m_centre.y() - 8);
    }
    setZValue(1);
    setToolTip(start ? QObject::tr("Start") : QObject::tr("End"));
}

QRectF MarkerItem::boundingRect() const
{
    return QRectF(m_centre - QPointF(10, 10), QSizeF(20, 20))
        .united(QRectF(m_line.p1(), m_line.p2()).normalized())
        .adjusted(-6, -2, 6, 2);
}

void MarkerItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const Style &s = *m_style;
    painter->setPen(QPen(s.edge, 1.4));
    painter->drawLine(m_line);
    if (m_start) {
        // Arrow into the start state.
        const QPointF tip = m_line.p2();
        painter->setPen(Qt::NoPen);
        painter->setBrush(s.edge);
        painter->drawPolygon(QPolygonF({ tip, tip + QPointF(-4, -7), tip + QPointF(4, -7) }));
        painter->setBrush(s.text);
        painter->drawEllipse(m_centre, 6, 6);
    } else {
        painter->setPen(QPen(s.text, 1.5));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(m_centre, 7.5, 7.5);
        painter->setPen(Qt::NoPen);
        painter->setBrush(s.text);
        painter->drawEllipse(m_centre, 4, 4);
    }
}

Legend::Legend(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setObjectName(QStringLiteral("sagaGraphLegend"));
}

void Legend::setEntries(QList<QList<Entry>> columns)
{
    m_columns = std::move(columns);
    QFont f = font();
    f.setPointSizeF(std::max<qreal>(6, f.pointSizeF() * 0.85));
    m_font = f;
    const QFontMetricsF fm(f);
    m_row = fm.height() + 3;
    int rows = 0;
    qreal width = 8;
    m_columnWidths.clear();
    for (const QList<Entry> &column : std::as_const(m_columns)) {
        rows = std::max(rows, int(column.size()));
        qreal w = 0;
        for (const Entry &e : column)
            w = std::max(w, fm.horizontalAdvance(e.text));
        m_columnWidths << w + 34;
        width += w + 34 + 8;
    }
    resize(int(std::ceil(width)), int(std::ceil(rows * m_row + 10)));
    update();
}

void Legend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    QColor bg = pal.color(QPalette::Window);
    bg.setAlphaF(0.92f);
    p.setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.25), 1));
    p.setBrush(bg);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5);
    p.setFont(m_font);
    qreal x = 8;
    for (qsizetype c = 0; c < m_columns.size(); ++c) {
        qreal y = 5;
        for (const Entry &e : m_columns.at(c)) {
            const QRectF icon(x, y + 2, 22, m_row - 4);
            paintIcon(p, e, icon, pal);
            p.setPen(pal.color(QPalette::WindowText));
            p.drawText(QRectF(x + 28, y, m_columnWidths.at(c), m_row), Qt::AlignLeft | Qt::AlignVCenter, e.text);
            y += m_row;
        }
        x += m_columnWidths.at(c) + 8;
    }
}

void Legend::paintIcon(QPainter &p, const Entry &e, const QRectF &r, const QPalette &pal)
{
    switch (e.kind) {
    case Entry::Line: {
        p.setPen(QPen(e.color, e.width, e.style, Qt::FlatCap));
        const qreal y = r.center().y();
        p.drawLine(QPointF(r.left(), y), QPointF(r.right() - 4, y));
        p.setPen(Qt::NoPen);
        p.setBrush(e.color);
        p.drawPolygon(
            QPolygonF({ QPointF(r.right(), y), QPointF(r.right() - 6, y - 3), QPointF(r.right() - 6, y + 3) }));
        break;
    }
    case Entry::Stripe:
        p.setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.4), 1));
        p.setBrush(pal.color(QPalette::Base));
        p.drawRoundedRect(r, 3, 3);
        p.fillRect(QRectF(r.left(), r.top(), 4, r.height()), e.color);
        break;
    case Entry::Swatch:
        p.setPen(QPen(e.color, 1.6, e.style));
        p.setBrush(mix(pal.color(QPalette::Base), e.color, isDark(pal) ? 0.28 : 0.16));
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3);
        break;
    case Entry::Badge: {
        const QPointF c = r.center();
        p.setPen(Qt::NoPen);
        p.setBrush(e.color);
        p.drawPolygon(QPolygonF({ c + QPointF(0, -6), c + QPointF(6, 5), c + QPointF(-6, 5) }));
        break;
    }
    }
}

} // namespace Bramble::Ui::SagaGraph
