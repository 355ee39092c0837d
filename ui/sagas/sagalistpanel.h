#pragma once

#include "saga/executionentry.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QLabel;
class QListWidget;
class QSettings;
class QTableView;
class QTimer;
class QToolButton;
class QWidget;

namespace Bramble::Aws {
struct StateMachineSummary;
} // namespace Bramble::Aws
namespace Bramble::Core {
struct Error;
}
namespace Bramble::Models {
class ExecutionFilterProxy;
class ExecutionListModel;
} // namespace Bramble::Models
namespace Bramble::Saga {
class SagaExplorer;
}

namespace Bramble::Ui {

// The Sagas pane's lists: the state machines of the session (the last one
// chosen per profile and region is chosen again), and the executions of the
// selected machine with their status and saga outcome, filtered by both and
// searched (TransactionId=2), with how far reading the outcomes is. Its two
// widgets (machines, executions) are children of the widget given; the pane
// lays them out.
class SagaListPanel : public QObject {
    Q_OBJECT

public:
    SagaListPanel(QSettings *settings, QAction *startAction, QWidget *widgetParent);
    ~SagaListPanel() override;

    // The explorer of the session (null: none), and the settings key under
    // which the machine chosen last is kept for its profile and region.
    void setExplorer(Saga::SagaExplorer *explorer, const QString &rememberKey);
    void setSearchText(const QString &text);
    void updateExecution(const Saga::ExecutionEntry &entry);
    // Lists the selected machine's executions again; selects `select` when listed.
    void listExecutions(const QString &select = {});

    QString machineArn() const { return m_machineArn; }
    QString machineName() const;
    QStringList selectedExecutions() const;
    bool selectMachine(const QString &name);
    bool selectExecution(const QString &executionArn);
    QString listStatusText() const;
    bool isLoading() const;

    QListWidget *machineList() const { return m_machines; }
    QTableView *executionTable() const { return m_table; }
    Models::ExecutionListModel *model() const { return m_model; }
    Models::ExecutionFilterProxy *proxy() const { return m_proxy; }
    QWidget *machinesWidget() const { return m_machinesBox; }
    QWidget *executionsWidget() const { return m_executionsBox; }

Q_SIGNALS:
    // The machines were listed: how many, -1 when listing failed.
    void machinesListed(int count);
    void machineSelected(const QString &machineArn, const QString &name);
    // The machine's executions were listed; `empty`: it has none.
    void executionsListed(bool empty);
    void executionSelected(const QString &executionArn);
    void message(const QString &text, bool error);

private:
    void build(QAction *startAction, QWidget *parent);
    void onMachinesListed(const QList<Aws::StateMachineSummary> &machines, const Core::Error &error);
    void onMachineSelected();
    void onExecutionsListed(
        const QString &machineArn, const QList<Saga::ExecutionEntry> &executions, const Core::Error &error);
    void onDetailsProgress(int done, int total);
    void applyFilters();
    void updateListStatus();

    QSettings *m_settings;
    QPointer<Saga::SagaExplorer> m_explorer;
    QString m_rememberKey;
    QWidget *m_machinesBox = nullptr;
    QWidget *m_executionsBox = nullptr;
    QListWidget *m_machines = nullptr;
    QTableView *m_table = nullptr;
    Models::ExecutionListModel *m_model = nullptr;
    Models::ExecutionFilterProxy *m_proxy = nullptr;
    QToolButton *m_statusFilter = nullptr;
    QToolButton *m_outcomeFilter = nullptr;
    QToolButton *m_stopReading = nullptr;
    QLabel *m_listStatus = nullptr;
    QTimer *m_tick = nullptr;

    QString m_machineArn;
    QString m_select; // the execution to select once listed
    int m_detailsDone = 0;
    int m_detailsTotal = 0;
    bool m_listingMachines = true; // until the first listing (or an unusable profile) says otherwise
    bool m_listingExecutions = false;
};

} // namespace Bramble::Ui
