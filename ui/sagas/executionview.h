#pragma once

#include "saga/aslgraph.h"
#include "saga/executionentry.h"
#include "saga/incrementalanalysis.h"
#include "saga/sagaanalysis.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace Bramble::Models {
class StepTableModel;
}

namespace Bramble::Ui {

class SagaGraphView;
class TimelineChart;

// One execution of a saga, or the bare state machine when none is chosen:
// an outcome banner ("Rolled back cleanly after TransformRecords failed"),
// the graph coloured per state, and tabs for the steps (with the selected
// step's input, output and error), the Gantt timeline and the DynamoDB
// transaction record; the history gauges (events vs 25,000, largest payload
// vs 256 KiB). Selecting a state in the graph, a row in the steps or a bar
// in the timeline selects it everywhere.
//
// Shows what it is given; the actions (follow, stop, redrive, compare,
// settings, reload the record) are signals the pane carries out.
class ExecutionView : public QWidget {
    Q_OBJECT

public:
    explicit ExecutionView(QWidget *parent = nullptr);

    // The state machine: the graph in role colours, no execution.
    void setMachine(const QString &name, const Saga::StateGraph &graph, const Saga::SagaRoles &roles);
    void clear(const QString &message = {});

    // An execution (again, as it grows while followed): keeps the selected
    // step and the scroll positions.
    // The gauges show `stats` against Step Functions' quotas.
    void setExecution(
        const Saga::ExecutionEntry &entry, const Saga::SagaAnalysis &analysis, const Saga::HistoryStats &stats);
    QString executionArn() const { return m_entry.executionArn; }
    bool hasExecution() const { return !m_entry.executionArn.isEmpty(); }
    const Saga::SagaAnalysis &analysis() const { return m_analysis; }

    // Live mode: "Following · next poll in 2 s", or off.
    void setFollowing(bool following, const QString &status = {});
    bool isFollowing() const;
    void setBusy(const QString &text); // empty: not busy

    // The transaction record: a note (where it comes from, or why there is
    // none), the item ({} with found false: no item), the attributes that
    // forward steps wrote.
    void setRecord(const QString &note, const QJsonObject &item, bool found, const QStringList &stepAttributes);
    void setRecordError(const QString &message);

    QString bannerText() const;
    QString detailText() const; // the line under the banner
    SagaGraphView *graphView() const { return m_graph; }
    TimelineChart *timeline() const { return m_timeline; }
    QTableView *stepTable() const { return m_steps; }
    QTabWidget *tabs() const { return m_tabs; }
    QString recordText() const;

Q_SIGNALS:
    void followToggled(bool follow);
    void stopRequested();
    void redriveRequested();
    void compareRequested();
    void settingsRequested();
    void recordReloadRequested();

private:
    void selectStep(int step);
    void selectState(const QString &state);
    void showStepDetails(int step);
    void updateActions();
    void updateBanner();

    Saga::StateGraph m_graphData;
    Saga::SagaRoles m_roles;
    Saga::ExecutionEntry m_entry;
    Saga::SagaAnalysis m_analysis;
    QString m_machineName;

    QLabel *m_banner;
    QLabel *m_subline;
    QToolButton *m_follow;
    QToolButton *m_stop;
    QToolButton *m_redrive;
    QToolButton *m_compare;
    QToolButton *m_settings;
    QLabel *m_liveStatus;
    QProgressBar *m_eventsGauge;
    QProgressBar *m_payloadGauge;
    SagaGraphView *m_graph;
    QTabWidget *m_tabs;
    Models::StepTableModel *m_stepModel;
    QTableView *m_steps;
    QTabWidget *m_detailTabs;
    QPlainTextEdit *m_input;
    QPlainTextEdit *m_output;
    QPlainTextEdit *m_error;
    TimelineChart *m_timeline;
    QLabel *m_recordNote;
    QPlainTextEdit *m_record;
    QToolButton *m_recordReload;
    bool m_syncing = false;
};

} // namespace Bramble::Ui
