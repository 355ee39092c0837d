#include "ui/nodes/readinesstimeline.h"

#include "ui/nodes/nodestatusstyle.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>

namespace Bramble::Ui {

namespace {

// Bands from the bottom up: the healthy majority first, problems on top
// where the eye lands.
constexpr std::array<Kube::NodeStatus, 4> kBands { Kube::NodeStatus::Ready, Kube::NodeStatus::Cordoned,
    Kube::NodeStatus::Unknown, Kube::NodeStatus::NotReady };

int countOf(const Models::ReadinessCounts &c, Kube::NodeStatus s)
{
    switch (s) {
    case Kube::NodeStatus::Ready:
        return c.ready;
    case Kube::NodeStatus::NotReady:
        return c.notReady;
    case Kube::NodeStatus::Unknown:
        return c.unknown;
    case Kube::NodeStatus::Cordoned:
        return c.cordoned;
    }
    return 0;
}

} // namespace

ReadinessTimeline::ReadinessTimeline(QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_timeAxis(new QDateTimeAxis)
    , m_countAxis(new QValueAxis)
    , m_redraw(new QTimer(this))
{
    setObjectName(QStringLiteral("readinessTimeline"));
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTickType(QValueAxis::TicksDynamic);
    m_countAxis->setTickAnchor(0);
    m_countAxis->setMinorTickCount(0);

    QLineSeries *lower = nullptr;
    for (Kube::NodeStatus s : kBands) {
        auto *upper = new QLineSeries(m_chart); // the chart outlives its area series
        auto *area = new QAreaSeries(upper, lower);
        area->setName(statusName(s));
        m_chart->addSeries(area);
        area->attachAxis(m_timeAxis);
        area->attachAxis(m_countAxis);
        m_lines << upper;
        m_areas << area;
        lower = upper;
    }

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setMinimumHeight(140);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_redraw->setSingleShot(true);
    m_redraw->setInterval(200);
    connect(m_redraw, &QTimer::timeout, this, &ReadinessTimeline::redraw);
    applyPalette();
    redraw();
}

void ReadinessTimeline::addSample(const QDateTime &time, const Models::ReadinessCounts &counts)
{
    const int n = int(m_samples.size());
    if (n >= 2 && m_samples.at(n - 1).counts == counts && m_samples.at(n - 2).counts == counts) {
        m_samples.last().time = time; // extend the flat run
    } else {
        if (n >= 1 && !(m_samples.last().counts == counts))
            m_samples.append({ time, m_samples.last().counts }); // the step's corner
        m_samples.append({ time, counts });
    }
    while (m_samples.size() > maxSamples())
        m_samples.removeFirst();
    if (!m_redraw->isActive())
        m_redraw->start();
}

void ReadinessTimeline::clear()
{
    m_samples.clear();
    redraw();
}

void ReadinessTimeline::redraw()
{
    m_redraw->stop();
    int maxTotal = 1;
    std::array<QList<QPointF>, kBands.size()> points;
    // The last counts hold until now.
    QList<Sample> samples = m_samples;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!samples.isEmpty() && samples.constLast().time < now)
        samples.append({ now, samples.constLast().counts });
    for (const Sample &s : std::as_const(samples)) {
        const qreal x = qreal(s.time.toMSecsSinceEpoch());
        int stacked = 0;
        for (size_t b = 0; b < kBands.size(); ++b) {
            stacked += countOf(s.counts, kBands[b]);
            points[b].append(QPointF(x, stacked));
        }
        maxTotal = qMax(maxTotal, stacked);
    }
    for (size_t b = 0; b < kBands.size(); ++b) {
        m_lines[int(b)]->replace(points[b]);
        const int current = m_samples.isEmpty() ? 0 : countOf(m_samples.last().counts, kBands[b]);
        m_areas[int(b)]->setName(QStringLiteral("%1 %2").arg(statusName(kBands[b])).arg(current));
    }

    // The whole session, edge to edge.
    const QDateTime first = samples.isEmpty() ? now : samples.constFirst().time;
    QDateTime last = samples.isEmpty() ? now : samples.constLast().time;
    if (first.msecsTo(last) < 2000)
        last = first.addMSecs(2000);
    m_timeAxis->setFormat(first.secsTo(last) > 2 * 3600 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss"));
    m_timeAxis->setRange(first.toLocalTime(), last.toLocalTime());
    m_timeAxis->setTickCount(int(std::clamp<qint64>(first.secsTo(last) + 1, 2, 5))); // no two ticks in one second
    // Headroom above the stack so its top edge stays visible.
    const int top = maxTotal + qMax(1, maxTotal / 10);
    m_countAxis->setRange(0, top);
    int step = 1;
    for (int s : { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000 }) {
        step = s;
        if (top / s <= 5)
            break;
    }
    m_countAxis->setTickInterval(step);
}

void ReadinessTimeline::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void ReadinessTimeline::applyPalette()
{
    const QPalette pal = palette();
    m_chart->setBackgroundBrush(pal.color(QPalette::Base));
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setPlotAreaBackgroundVisible(false);
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlphaF(0.15f);
    for (QAbstractAxis *axis :
        { static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_countAxis) }) {
        axis->setLabelsColor(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    m_chart->legend()->setLabelColor(text);
    for (size_t b = 0; b < kBands.size(); ++b) {
        const QColor c = statusColor(kBands[b], pal);
        QColor fill = c;
        fill.setAlphaF(0.55f);
        m_areas[int(b)]->setBrush(fill);
        m_areas[int(b)]->setPen(QPen(c, 1.5));
    }
}

} // namespace Bramble::Ui
