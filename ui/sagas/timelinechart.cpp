#include "ui/sagas/timelinechart.h"

#include "models/sagavisuals.h"
#include "ui/common/theme.h"
#include "ui/sagas/sagagraphview.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHash>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <array>

namespace Bramble::Ui {

using Models::StateVisual;
using Saga::StateRole;
using Saga::StepStatus;

namespace {

constexpr int kIndent = 14;
constexpr int kStripe = 3;
constexpr int kRightPad = 28;

QString durationText(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("?");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10'000 ? 2 : 1);
    if (ms < 3'600'000)
        return QStringLiteral("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
    return QStringLiteral("%1 h %2 min").arg(ms / 3'600'000).arg((ms / 60'000) % 60);
}

// The axis label of a tick offset from the first step, in the unit the tick
// step calls for.
QString tickLabel(qint64 offset, qint64 step, qint64 span)
{
    if (offset == 0)
        return QStringLiteral("0");
    if (step < 1000) {
        if (offset < 1000)
            return QStringLiteral("%1 ms").arg(offset);
        const int decimals = step % 1000 == 0 ? 0 : step % 100 == 0 ? 1 : step % 10 == 0 ? 2 : 3;
        return QStringLiteral("%1 s").arg(double(offset) / 1000.0, 0, 'f', decimals);
    }
    if (step < 60'000) {
        if (span < 60'000)
            return QStringLiteral("%1 s").arg(offset / 1000);
        return QStringLiteral("%1:%2").arg(offset / 60'000).arg((offset / 1000) % 60, 2, 10, QLatin1Char('0'));
    }
    if (span < 3'600'000 || step < 3'600'000) {
        if (span < 3'600'000)
            return QStringLiteral("%1 min").arg(offset / 60'000);
        return QStringLiteral("%1:%2 h").arg(offset / 3'600'000).arg((offset / 60'000) % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1 h").arg(offset / 3'600'000);
}

qint64 tickStep(qint64 span, qreal pxPerMs, qreal minPx)
{
    static constexpr std::array<qint64, 27> steps { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1'000, 2'000, 5'000, 10'000,
        15'000, 30'000, 60'000, 120'000, 300'000, 600'000, 900'000, 1'800'000, 3'600'000, 7'200'000, 10'800'000,
        21'600'000, 43'200'000, 86'400'000 };
    for (qint64 s : steps)
        if (s * pxPerMs >= minPx)
            return s;
    return std::max<qint64>(86'400'000, span / 4);
}

QColor mixColor(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
        float(a.greenF() + (b.greenF() - a.greenF()) * t), float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

TimelineChart::TimelineChart(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_emptyText(tr("No execution selected"))
{
    setObjectName(QStringLiteral("timelineChart"));
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    viewport()->setAutoFillBackground(false);
}

QSize TimelineChart::sizeHint() const
{
    return { 640, 240 };
}

QSize TimelineChart::minimumSizeHint() const
{
    return { 240, axisHeight() + 3 * rowHeight() };
}

void TimelineChart::setTimeline(const Saga::Timeline &timeline, const QList<StateRole> &roles)
{
    m_timeline = timeline;
    m_roles = roles;
    if (m_selected >= m_timeline.steps.size())
        m_selected = -1;
    relayout();
}

void TimelineChart::clear()
{
    m_selected = -1;
    setTimeline({}, {});
}

void TimelineChart::setNow(const QDateTime &now)
{
    m_now = now;
    updateRange();
}

void TimelineChart::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void TimelineChart::relayout()
{
    const QList<Saga::Step> &steps = m_timeline.steps;
    const int n = int(steps.size());
    // Nesting: only a parent entered earlier counts, so hostile links cannot loop.
    QList<QList<int>> children(n);
    QList<int> roots;
    m_depth.fill(0, n);
    for (int i = 0; i < n; ++i) {
        const int p = steps.at(i).parent;
        if (p >= 0 && p < i) {
            children[p].append(i);
            m_depth[i] = std::min(m_depth.at(p) + 1, 12);
        } else {
            roots.append(i);
        }
    }
    m_rows.clear();
    m_rows.reserve(n);
    QList<int> stack(roots.crbegin(), roots.crend());
    while (!stack.isEmpty()) {
        const int s = stack.takeLast();
        m_rows.append(s);
        const QList<int> &c = children.at(s);
        for (auto it = c.crbegin(); it != c.crend(); ++it)
            stack.append(*it);
    }
    m_rowOf.fill(-1, n);
    for (int r = 0; r < int(m_rows.size()); ++r)
        m_rowOf[m_rows.at(r)] = r;

    const QFontMetrics fm(font());
    QHash<QString, int> widths; // Map iterations repeat the same few names
    int widest = 60;
    for (int i = 0; i < n; ++i) {
        const QString &name = steps.at(i).state;
        auto w = widths.constFind(name);
        if (w == widths.cend())
            w = widths.insert(name, fm.horizontalAdvance(name));
        widest = std::max(widest, m_depth.at(i) * kIndent + *w);
    }
    m_labelWidth = widest + kStripe + 16;
    updateRange();
}

// The first start to the last end (running steps: now), in epoch ms.
void TimelineChart::updateRange()
{
    qint64 first = 0, last = 0;
    bool any = false;
    const qint64 now = m_now.isValid() ? m_now.toMSecsSinceEpoch() : 0;
    for (const Saga::Step &s : std::as_const(m_timeline.steps)) {
        if (!s.startedAt.isValid())
            continue;
        const qint64 start = s.startedAt.toMSecsSinceEpoch();
        qint64 end = s.endedAt.isValid() ? s.endedAt.toMSecsSinceEpoch() : start;
        if (!s.endedAt.isValid() && s.status == StepStatus::Running && m_now.isValid())
            end = std::max(end, now);
        first = any ? std::min(first, start) : start;
        last = any ? std::max(last, end) : end;
        any = true;
    }
    m_start = any ? QDateTime::fromMSecsSinceEpoch(first, Qt::UTC) : QDateTime();
    m_spanMs = any ? std::max<qint64>(1, last - first) : 1000;
    updateScrollBars();
    viewport()->update();
}

QDateTime TimelineChart::endOf(const Saga::Step &step) const
{
    if (step.endedAt.isValid())
        return step.endedAt;
    if (step.status == StepStatus::Running && m_now.isValid() && step.startedAt.isValid() && m_now > step.startedAt)
        return m_now;
    return step.startedAt;
}

QDateTime TimelineChart::rangeStart() const
{
    return m_start;
}

QDateTime TimelineChart::rangeEnd() const
{
    return m_start.isValid() ? m_start.addMSecs(m_spanMs) : QDateTime();
}

int TimelineChart::rowHeight() const
{
    return fontMetrics().height() + 8;
}

int TimelineChart::axisHeight() const
{
    return fontMetrics().height() + 14;
}

QRect TimelineChart::plotRect() const
{
    const QRect vp = viewport()->rect();
    const int label = std::min(m_labelWidth, std::max(80, vp.width() * 2 / 5));
    return QRect(QPoint(label + 8, axisHeight()), QPoint(std::max(label + 40, vp.right() - kRightPad), vp.bottom()));
}

qreal TimelineChart::xOf(qint64 msSinceStart) const
{
    const QRect plot = plotRect();
    return plot.left() + qreal(msSinceStart) * plot.width() / qreal(m_spanMs);
}

void TimelineChart::updateScrollBars()
{
    const int visible = std::max(0, viewport()->height() - axisHeight());
    const int total = int(m_rows.size()) * rowHeight();
    verticalScrollBar()->setRange(0, std::max(0, total - visible));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(rowHeight());
}

int TimelineChart::rowOf(int step) const
{
    return step >= 0 && step < m_rowOf.size() ? m_rowOf.at(step) : -1;
}

QRect TimelineChart::barRect(int step) const
{
    const int row = rowOf(step);
    if (row < 0 || !m_start.isValid())
        return {};
    const Saga::Step &s = m_timeline.steps.at(step);
    if (!s.startedAt.isValid())
        return {};
    const QDateTime end = endOf(s);
    const qreal x1 = xOf(m_start.msecsTo(s.startedAt));
    const qreal x2 = xOf(m_start.msecsTo(end));
    const int rh = rowHeight();
    const int y = axisHeight() + row * rh - verticalScrollBar()->value() + 4;
    const int left = qRound(x1);
    return QRect(left, y, std::max(3, qRound(x2) - left), rh - 8);
}

int TimelineChart::stepAt(const QPoint &pos) const
{
    if (pos.y() < axisHeight() || m_rows.isEmpty())
        return -1;
    const int row = (pos.y() - axisHeight() + verticalScrollBar()->value()) / rowHeight();
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : -1;
}

void TimelineChart::selectStep(int step)
{
    m_selected = rowOf(step) >= 0 ? step : -1;
    if (m_selected >= 0) {
        const int rh = rowHeight();
        const int top = rowOf(m_selected) * rh;
        const int visible = std::max(rh, viewport()->height() - axisHeight());
        QScrollBar *bar = verticalScrollBar();
        if (top < bar->value())
            bar->setValue(top);
        else if (top + rh > bar->value() + visible)
            bar->setValue(top + rh - visible);
    }
    viewport()->update();
}

void TimelineChart::activateRow(int row)
{
    if (m_rows.isEmpty())
        return;
    row = std::clamp(row, 0, int(m_rows.size()) - 1);
    selectStep(m_rows.at(row));
    Q_EMIT stepActivated(m_selected);
}

void TimelineChart::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QPalette pal = palette();
    const QRect vp = viewport()->rect();
    p.fillRect(vp, pal.color(QPalette::Base));
    if (m_rows.isEmpty()) {
        p.setPen(toneColor(Tone::Muted, pal));
        p.drawText(vp, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    const QColor text = pal.color(QPalette::Text);
    const QColor muted = mixColor(pal.color(QPalette::Base), text, 0.55);
    const QColor grid = mixColor(pal.color(QPalette::Base), text, 0.1);
    const QRect plot = plotRect();
    const int rh = rowHeight();
    const int scroll = verticalScrollBar()->value();
    const int labelRight = plot.left() - 8;

    // Grid lines at the ticks.
    const qreal pxPerMs = qreal(plot.width()) / qreal(m_spanMs);
    const qint64 step = tickStep(m_spanMs, pxPerMs, fm.horizontalAdvance(QStringLiteral("00:00.000")) + 24);
    p.setPen(QPen(grid, 1));
    for (qint64 t = 0; t <= m_spanMs; t += step)
        p.drawLine(QPointF(xOf(t), plot.top()), QPointF(xOf(t), vp.bottom()));

    // Visible rows only.
    const int first = std::max(0, scroll / rh);
    const int last = std::min(int(m_rows.size()) - 1, (scroll + vp.height() - axisHeight()) / rh);
    QFont small = font();
    small.setPointSizeF(std::max<qreal>(6, small.pointSizeF() * 0.85));
    for (int row = first; row <= last; ++row) {
        const int s = m_rows.at(row);
        const Saga::Step &st = m_timeline.steps.at(s);
        const StateRole role = m_roles.value(s, StateRole::Other);
        const int y = axisHeight() + row * rh - scroll;
        const QRect rowRect(0, y, vp.width(), rh);
        if (s == m_selected) {
            QColor hl = pal.color(QPalette::Highlight);
            hl.setAlphaF(hasFocus() ? 0.28f : 0.16f);
            p.fillRect(rowRect, hl);
        } else if (row % 2) {
            p.fillRect(rowRect, mixColor(pal.color(QPalette::Base), text, 0.025));
        }
        const QColor roleColor = stateRoleColor(role, pal);
        if (roleColor.isValid())
            p.fillRect(QRect(2, y + 3, kStripe, rh - 6), roleColor);
        const int indent = m_depth.value(s) * kIndent;
        p.setPen(m_depth.value(s) > 0 ? muted : text);
        p.setFont(font());
        const QRect labelRect(kStripe + 8 + indent, y, std::max(0, labelRight - kStripe - 8 - indent), rh);
        p.drawText(
            labelRect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(st.state, Qt::ElideRight, labelRect.width()));

        const QRect bar = barRect(s);
        if (bar.isEmpty())
            continue;
        const QColor c = stateVisualColor(Models::visitVisual(st.status, role), pal);
        const bool running = st.status == StepStatus::Running && !st.endedAt.isValid();
        if (running) {
            QLinearGradient g(bar.topLeft(), bar.topRight());
            QColor faded = c;
            faded.setAlphaF(0.25f);
            g.setColorAt(0, c);
            g.setColorAt(1, faded);
            p.setPen(Qt::NoPen);
            p.setBrush(g);
        } else {
            p.setPen(QPen(c.darker(isDark(pal) ? 100 : 115), 1));
            p.setBrush(mixColor(pal.color(QPalette::Base), c, 0.75));
        }
        p.drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), 2.5, 2.5);
        if (running) {
            p.setPen(QPen(c, 1.5, Qt::DashLine));
            p.drawLine(bar.topRight(), bar.bottomRight());
        }
        // Retries: evenly spaced separators (the history has no per-attempt times).
        if (st.attempts > 1 && bar.width() >= st.attempts * 3) {
            p.setPen(QPen(pal.color(QPalette::Base), 1.5));
            for (int a = 1; a < st.attempts; ++a) {
                const qreal x = bar.left() + qreal(bar.width()) * a / st.attempts;
                p.drawLine(QPointF(x, bar.top() + 1), QPointF(x, bar.bottom()));
            }
        }
        if (st.attempts > 1) {
            p.setFont(small);
            p.setPen(muted);
            const QString tries = QStringLiteral("×%1").arg(st.attempts);
            const int w = QFontMetrics(small).horizontalAdvance(tries);
            const int x = bar.right() + 4 + w <= vp.right() ? bar.right() + 4 : bar.left() - 4 - w;
            p.drawText(QRect(x, y, w + 2, rh), Qt::AlignLeft | Qt::AlignVCenter, tries);
        }
    }

    // "now", while something runs.
    const bool anyRunning = std::any_of(m_timeline.steps.cbegin(), m_timeline.steps.cend(),
        [](const Saga::Step &s) { return s.status == StepStatus::Running && !s.endedAt.isValid(); });
    if (anyRunning && m_now.isValid() && m_start.isValid()) {
        const qreal x = xOf(m_start.msecsTo(m_now));
        p.setPen(QPen(pal.color(QPalette::Highlight), 1.2, Qt::DashLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, vp.bottom()));
    }

    // The axis on top of everything, fixed while rows scroll.
    p.setRenderHint(QPainter::Antialiasing, false);
    const QRect axis(0, 0, vp.width(), axisHeight());
    p.fillRect(axis, pal.color(QPalette::Window));
    p.setPen(mixColor(pal.color(QPalette::Window), text, 0.3));
    p.drawLine(axis.bottomLeft(), axis.bottomRight());
    p.setFont(small);
    p.setPen(muted);
    const QFontMetrics sfm(small);
    p.drawText(QRect(6, 0, labelRight - 6, axis.height()), Qt::AlignLeft | Qt::AlignVCenter,
        sfm.elidedText(
            m_start.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")), Qt::ElideLeft, labelRight - 6));
    p.setFont(font());
    p.setPen(text);
    qreal lastRight = -1;
    for (qint64 t = 0; t <= m_spanMs; t += step) {
        const qreal x = xOf(t);
        p.drawLine(QPointF(x, axis.bottom() - 4), QPointF(x, axis.bottom()));
        const QString label = tickLabel(t, step, m_spanMs);
        const int w = fm.horizontalAdvance(label);
        const qreal left = std::min(x - w / 2.0, qreal(vp.right() - w - 2));
        if (left <= lastRight + 6)
            continue;
        p.drawText(QRectF(left, 0, w + 1, axis.height() - 4), Qt::AlignCenter, label);
        lastRight = left + w;
    }
}

void TimelineChart::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TimelineChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int s = stepAt(event->position().toPoint());
    if (s >= 0) {
        selectStep(s);
        Q_EMIT stepActivated(s);
    }
    event->accept();
}

void TimelineChart::keyPressEvent(QKeyEvent *event)
{
    if (m_rows.isEmpty()) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    const int row = rowOf(m_selected);
    const int page = std::max(1, (viewport()->height() - axisHeight()) / rowHeight() - 1);
    switch (event->key()) {
    case Qt::Key_Down:
        activateRow(row < 0 ? 0 : row + 1);
        break;
    case Qt::Key_Up:
        activateRow(row < 0 ? 0 : row - 1);
        break;
    case Qt::Key_PageDown:
        activateRow(std::max(0, row) + page);
        break;
    case Qt::Key_PageUp:
        activateRow(std::max(0, row) - page);
        break;
    case Qt::Key_Home:
        activateRow(0);
        break;
    case Qt::Key_End:
        activateRow(int(m_rows.size()) - 1);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool TimelineChart::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int s = stepAt(help->pos());
        if (s < 0) {
            QToolTip::hideText();
            event->ignore();
        } else {
            const int row = rowOf(s);
            const QRect rowRect(
                0, axisHeight() + row * rowHeight() - verticalScrollBar()->value(), viewport()->width(), rowHeight());
            QToolTip::showText(help->globalPos(), toolTipFor(s), viewport(), rowRect);
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QString TimelineChart::toolTipFor(int step) const
{
    const Saga::Step &s = m_timeline.steps.at(step);
    const StateRole role = m_roles.value(step, StateRole::Other);
    const bool running = s.status == StepStatus::Running && !s.endedAt.isValid();
    QString tip = QStringLiteral("<b>%1</b> <small>%2</small><br>%3 · %4")
                      .arg(s.state.toHtmlEscaped(), s.stateType.toHtmlEscaped(), Saga::stateRoleName(role),
                          Saga::stepStatusName(s.status));
    if (s.startedAt.isValid())
        tip += QStringLiteral("<br>%1 %2")
                   .arg(tr("started"), s.startedAt.toUTC().toString(QStringLiteral("HH:mm:ss.zzz 'UTC'")));
    const qint64 ms = s.startedAt.isValid() ? s.startedAt.msecsTo(endOf(s)) : -1;
    tip += QStringLiteral("<br>%1 %2%3").arg(tr("duration"), durationText(ms), running ? tr(" so far") : QString());
    if (s.attempts > 1)
        tip += QStringLiteral("<br>%1 %2 (%3 %4)")
                   .arg(tr("attempts"))
                   .arg(s.attempts)
                   .arg(s.attempts - 1)
                   .arg(s.attempts == 2 ? tr("retry") : tr("retries"));
    if (!s.error.isEmpty()) {
        QString cause = s.cause;
        if (cause.size() > 240)
            cause = cause.left(240) + QStringLiteral("…");
        tip += QStringLiteral("<br><b>%1</b>%2")
                   .arg(s.error.toHtmlEscaped(),
                       cause.isEmpty() ? QString() : QString(QStringLiteral(": ") + cause.toHtmlEscaped()));
    }
    return tip;
}

void TimelineChart::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        relayout();
    else if (event->type() == QEvent::PaletteChange)
        viewport()->update();
}

} // namespace Bramble::Ui
