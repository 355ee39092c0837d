#pragma once

#include "models/nodemodel.h"

#include <QDateTime>
#include <QList>
#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace Bramble::Ui {

// The readiness timeline: how many nodes were Ready, Cordoned, Unknown and
// NotReady over the session, as stacked areas (the stack's height is the
// number of nodes). The owner feeds it samples; a change of counts draws a
// step, and a run of equal samples is kept as its two ends, so a quiet
// cluster costs two points however long the session. At most maxSamples()
// points are kept, oldest out first. Redraws are coalesced.
class ReadinessTimeline : public QWidget {
    Q_OBJECT

public:
    struct Sample {
        QDateTime time; // UTC
        Models::ReadinessCounts counts;
    };

    explicit ReadinessTimeline(QWidget *parent = nullptr);

    void addSample(const QDateTime &time, const Models::ReadinessCounts &counts);
    void clear();

    const QList<Sample> &samples() const { return m_samples; }
    static constexpr int maxSamples() { return 2000; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void redraw();
    void applyPalette();

    QList<Sample> m_samples;
    QChart *m_chart;
    QChartView *m_view;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_countAxis;
    QList<QLineSeries *> m_lines; // upper edge of each band, bottom band first
    QList<QAreaSeries *> m_areas;
    QTimer *m_redraw;
};

} // namespace Bramble::Ui
