#pragma once

#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QAbstractScrollArea>
#include <QDateTime>
#include <QList>
#include <QRect>
#include <QString>

namespace Bramble::Ui {

// A Gantt chart of one execution: a row per step visit (Saga::Timeline), in
// tree order with nested steps (Parallel branches, Map iterations) indented
// under their parent; the state name on the left, a bar from startedAt to
// endedAt coloured by status and saga role (the graph view's colours),
// attempts > 1 split the bar into evenly spaced segments (the history gives
// no per-attempt times), running steps reach `now`. A time axis on top with
// ms / s / min ticks relative to the first step.
//
// Click or Up/Down/PageUp/PageDown/Home/End select a step (stepActivated);
// a tooltip tells state, role, status, start, duration, attempts and error.
// Only visible rows are painted. GUI thread only.
class TimelineChart : public QAbstractScrollArea {
    Q_OBJECT

public:
    explicit TimelineChart(QWidget *parent = nullptr);

    // roles is aligned with timeline.steps (SagaAnalysis::stepRoles); missing
    // entries count as StateRole::Other. Keeps the selection when the step
    // still exists (a followed execution grows).
    void setTimeline(const Saga::Timeline &timeline, const QList<Saga::StateRole> &roles);
    void clear();
    const Saga::Timeline &timeline() const { return m_timeline; }

    // Where running steps end; the owner ticks it while following (UTC).
    // Invalid (the default): the latest time in the timeline.
    void setNow(const QDateTime &now);
    QDateTime now() const { return m_now; }

    // Selects a step (an index into timeline().steps) and scrolls to it,
    // without emitting; -1 clears.
    void selectStep(int step);
    int selectedStep() const { return m_selected; }

    void setEmptyText(const QString &text);

    // Geometry, in viewport coordinates at the current scroll position: the
    // bar of a step (empty when the step is unknown), the step under a point
    // (-1 when none), the display row of a step.
    QRect barRect(int step) const;
    int stepAt(const QPoint &viewportPos) const;
    int rowOf(int step) const;
    // The time range drawn, [start, end] in UTC.
    QDateTime rangeStart() const;
    QDateTime rangeEnd() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // The user clicked a step or moved to it with the keyboard.
    void stepActivated(int stepIndex);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void relayout(); // rows, nesting, label width, then updateRange()
    void updateRange(); // the time span only (setNow)
    void updateScrollBars();
    void activateRow(int row);
    int rowHeight() const;
    int axisHeight() const;
    QRect plotRect() const; // the bars' area, viewport coordinates, unscrolled vertically
    qreal xOf(qint64 msSinceStart) const;
    QDateTime endOf(const Saga::Step &step) const;
    QString toolTipFor(int step) const;

    Saga::Timeline m_timeline;
    QList<Saga::StateRole> m_roles;
    QList<int> m_rows; // display order: step indexes
    QList<int> m_rowOf; // step index -> row
    QList<int> m_depth; // per step
    QDateTime m_now;
    QDateTime m_start;
    qint64 m_spanMs = 1000;
    int m_labelWidth = 120;
    int m_selected = -1;
    QString m_emptyText;
};

} // namespace Bramble::Ui
