#pragma once

#include "saga/sagaexplorer.h"
#include "saga/sagasettings.h"
#include "ui/common/awsconnectionpane.h"

#include <QHash>
#include <QPointer>

#include <memory>

class QLabel;
class QListWidget;
class QSettings;
class QSplitter;
class QTableView;
class QTimer;
class QToolButton;

namespace Bramble::Aws {
class AwsSession;
}
namespace Bramble::Models {
class ExecutionFilterProxy;
class ExecutionListModel;
} // namespace Bramble::Models
namespace Bramble::Saga {
class ExecutionFollower;
}

namespace Bramble::Ui {

class ExecutionView;
class JobMessageBar;
class StartExecutionDialog;

// The Sagas pane: the state machines of the chosen AWS profile and region,
// the executions of the selected one (status and saga outcome, filters by
// both, Ctrl+F searches names and values inside the input such as
// TransactionId=2), and the selected execution in an ExecutionView, followed
// live while it runs. Ctrl+N starts an execution, Ctrl+. stops one, Ctrl+Shift+R
// redrives, Ctrl+D compares the two selected executions, Ctrl+, edits the
// saga settings (roles, record location; saved per state machine).
//
// All AWS work goes through a SagaExplorer on an AwsSession made from the
// catalog's profile and region (an MFA code is asked for when a role needs
// one). Settings (splitters, last machine per profile and region, the saga
// settings) go to the QSettings given.
class SagasPane : public AwsConnectionPane {
    Q_OBJECT

public:
    explicit SagasPane(Session::ConnectionCatalog *catalog, QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~SagasPane() override;

    void refresh() override;
    bool isLoading() const override;

    // For tests and the shell.
    QListWidget *machineList() const { return m_machines; }
    QTableView *executionTable() const { return m_table; }
    Models::ExecutionListModel *executionModel() const { return m_model; }
    Models::ExecutionFilterProxy *executionProxy() const { return m_proxy; }
    ExecutionView *executionView() const { return m_view; }
    Saga::ExecutionFollower *follower() const;
    StartExecutionDialog *startDialog() const;
    QString shownExecution() const { return m_executionArn; }
    bool selectMachine(const QString &name);
    bool selectExecution(const QString &executionArn);
    QString listStatusText() const;

    void openStartDialog();
    void compareSelected();
    void editSettings();
    void stopShownExecution(bool confirm = true);
    void redriveShownExecution(bool confirm = true);

Q_SIGNALS:
    // After an execution's view was filled (loaded or updated by the follower).
    void executionShown(const QString &executionArn);
    void compareShown(QWidget *dialog);

protected:
    void updateView() override;

private:
    void buildContent();
    void openSession();
    void closeSession(const QString &message = {});
    void showMessage(const QString &text, bool error);
    void onMachinesListed(const QList<Aws::StateMachineSummary> &machines, const Core::Error &error);
    void onMachineSelected();
    void onMachineLoaded(const QString &machineArn, const Core::Error &error);
    void onExecutionsListed(
        const QString &machineArn, const QList<Saga::ExecutionEntry> &executions, const Core::Error &error);
    void onExecutionUpdated(const Saga::ExecutionEntry &entry);
    void onDetailsProgress(int done, int total);
    void onExecutionSelected();
    void onExecutionLoaded(const QString &arn, const Saga::LoadedExecution &execution, const Core::Error &error);
    void onRecordFetched(const QString &arn, const QJsonObject &item, bool found, const Core::Error &error);
    void onActionFinished(Saga::SagaExplorer::Action action, const QString &arn, const Core::Error &error);
    void listExecutions();
    void loadShownExecution();
    void fetchRecord();
    void setFollowing(bool follow);
    void onFollowerEvents();
    void onFollowerFinished(const Core::Error &error);
    void showCompare();
    void applyFilters();
    void updateListStatus();
    void tick();
    void saveSettings() const;
    QString machineSettingsKey() const;
    Saga::MachineSettings machineSettings() const;
    QString currentMachineName() const;

    QSettings *m_settings;
    Saga::SagaSettingsStore m_store;
    std::unique_ptr<Aws::AwsSession> m_session;
    QPointer<Saga::SagaExplorer> m_explorer;
    QString m_sessionKey;

    QWidget *m_content = nullptr;
    JobMessageBar *m_message = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_rightSplit = nullptr;
    QListWidget *m_machines = nullptr;
    QTableView *m_table = nullptr;
    Models::ExecutionListModel *m_model = nullptr;
    Models::ExecutionFilterProxy *m_proxy = nullptr;
    QToolButton *m_statusFilter = nullptr;
    QToolButton *m_outcomeFilter = nullptr;
    QToolButton *m_startButton = nullptr;
    QToolButton *m_stopReading = nullptr;
    QLabel *m_listStatus = nullptr;
    ExecutionView *m_view = nullptr;
    QTimer *m_tick = nullptr;
    QPointer<StartExecutionDialog> m_startDialog;
    QPointer<Saga::ExecutionFollower> m_follower;

    QString m_machineArn;
    QString m_executionArn;
    QString m_selectAfterListing;
    QString m_startInput;
    QString m_recordNote; // where the record being read is, for the record view
    Saga::LoadedExecution m_shown;
    QHash<QString, Saga::LoadedExecution> m_loaded; // for comparing; cleared with the machine
    QStringList m_compareArns;
    int m_detailsDone = 0;
    int m_detailsTotal = 0;
    bool m_listingMachines = true; // until the first listing (or an unusable profile) says otherwise
    bool m_listingExecutions = false;
    bool m_loadingExecution = false;
};

} // namespace Bramble::Ui
