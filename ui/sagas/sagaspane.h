#pragma once

#include "saga/sagaexplorer.h"
#include "saga/sagasettings.h"
#include "ui/common/awsconnectionpane.h"

#include <QPointer>

#include <memory>

class QListWidget;
class QSettings;
class QSplitter;
class QTableView;

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
namespace Bramble::Session {
class AwsSessions;
}

namespace Bramble::Ui {

class ExecutionView;
class JobMessageBar;
class SagaActions;
class SagaListPanel;
class ShownExecution;
class StartExecutionDialog;

// The Sagas pane: the state machines of the chosen AWS profile and region,
// the executions of the selected one (status and saga outcome, filters by
// both, Ctrl+F searches names and values inside the input such as
// TransactionId=2), and the selected execution in an ExecutionView, followed
// live while it runs. Ctrl+N starts an execution, Ctrl+. stops one, Ctrl+Shift+R
// redrives, Ctrl+D compares the two selected executions, Ctrl+, edits the
// saga settings (roles, record location; saved per state machine).
//
// Three parts do the work: SagaListPanel (machines and executions),
// ShownExecution (the view, driven by a Saga::ExecutionPresenter) and
// SagaActions. The pane builds no service: it takes the session of the
// window's AwsSessions (current()) and makes its SagaExplorer on it with the
// factory given. Settings (splitters, last machine per profile and region,
// the saga settings) go to the QSettings given.
class SagasPane : public AwsConnectionPane {
    Q_OBJECT

public:
    SagasPane(Session::ConnectionCatalog *catalog, Session::AwsSessions *sessions,
        Saga::SagaExplorer::Factory explorerFactory, QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~SagasPane() override;

    void refresh() override;
    bool isLoading() const override;

    // For tests and the shell.
    QListWidget *machineList() const;
    QTableView *executionTable() const;
    Models::ExecutionListModel *executionModel() const;
    Models::ExecutionFilterProxy *executionProxy() const;
    ExecutionView *executionView() const { return m_view; }
    Saga::ExecutionFollower *follower() const;
    StartExecutionDialog *startDialog() const;
    QString shownExecution() const;
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
    void connectParts();
    void openSession(Aws::AwsSession *session);
    void closeSession(const QString &message = {});
    void showMessage(const QString &text, bool error);
    void onMachinesListed(int count);
    void onMachineSelected(const QString &machineArn, const QString &name);
    void onMachineLoaded(const QString &machineArn, const Core::Error &error);
    void showMachine();

    QSettings *m_settings;
    Saga::SagaSettingsStore m_store;
    Session::AwsSessions *m_sessions;
    Saga::SagaExplorer::Factory m_explorerFactory;
    QPointer<Aws::AwsSession> m_session;
    QPointer<Saga::SagaExplorer> m_explorer;

    JobMessageBar *m_message = nullptr;
    QSplitter *m_split = nullptr;
    QSplitter *m_rightSplit = nullptr;
    ExecutionView *m_view = nullptr;
    QAction *m_start = nullptr;
    SagaListPanel *m_lists = nullptr;
    ShownExecution *m_shown = nullptr;
    SagaActions *m_actions = nullptr;
};

} // namespace Bramble::Ui
