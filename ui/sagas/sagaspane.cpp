#include "ui/sagas/sagaspane.h"

#include "aws/awssession.h"
#include "aws/credentialchain.h"
#include "models/executionlistmodel.h"
#include "session/awssessions.h"
#include "session/connectioncatalog.h"
#include "ui/common/emptystate.h"
#include "ui/common/jobmessagebar.h"
#include "ui/sagas/executionview.h"
#include "ui/sagas/sagaactions.h"
#include "ui/sagas/sagalistpanel.h"
#include "ui/sagas/shownexecution.h"

#include <QAction>
#include <QDialog>
#include <QListWidget>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

namespace Keys {
const QString split = QStringLiteral("sagas/splitter");
const QString rightSplit = QStringLiteral("sagas/rightSplitter");
} // namespace Keys

} // namespace

SagasPane::SagasPane(Session::ConnectionCatalog *catalog, Session::AwsSessions *sessions,
    Saga::SagaExplorer::Factory explorerFactory, QSettings *settings, QWidget *parent)
    : AwsConnectionPane(QStringLiteral("sagas"), tr("Sagas"), QStringLiteral("sagas"), catalog, QString(), parent)
    , m_settings(settings)
    , m_store(settings)
    , m_sessions(sessions)
    , m_explorerFactory(std::move(explorerFactory))
{
    buildContent();
    connectParts();
}

SagasPane::~SagasPane()
{
    if (m_settings) {
        m_settings->setValue(Keys::split, m_split->saveState());
        m_settings->setValue(Keys::rightSplit, m_rightSplit->saveState());
    }
    closeSession();
}

void SagasPane::buildContent()
{
    auto *content = new QWidget(this);
    m_message = new JobMessageBar(content);
    m_view = new ExecutionView(content);
    // The pane's actions, for the keyboard and the window's shortcut list.
    m_start = new QAction(tr("Start execution…"), this);
    m_start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_start->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_start->setToolTip(tr("Start an execution of this state machine (Ctrl+N)"));
    m_start->setEnabled(false);
    addAction(m_start);
    addActions(m_view->actions());
    m_lists = new SagaListPanel(m_settings, m_start, content);
    m_shown = new ShownExecution(m_view, &m_store, this);
    m_actions = new SagaActions(this, &m_store, this);

    m_rightSplit = new QSplitter(Qt::Vertical, content);
    m_rightSplit->addWidget(m_lists->executionsWidget());
    m_rightSplit->addWidget(m_view);
    m_rightSplit->setStretchFactor(0, 2);
    m_rightSplit->setStretchFactor(1, 5);
    m_split = new QSplitter(Qt::Horizontal, content);
    m_split->addWidget(m_lists->machinesWidget());
    m_split->addWidget(m_rightSplit);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 6);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_split, 1);
    setContent(content);

    if (m_settings) {
        m_split->restoreState(m_settings->value(Keys::split).toByteArray());
        m_rightSplit->restoreState(m_settings->value(Keys::rightSplit).toByteArray());
    }
    if (m_split->sizes().value(0) == 0 || !m_settings || !m_settings->contains(Keys::split))
        m_split->setSizes({ 220, 1100 });
    if (!m_settings || !m_settings->contains(Keys::rightSplit))
        m_rightSplit->setSizes({ 230, 560 });
    m_view->clear(tr("No state machine selected"));
}

// Once the sessions are known (the compatible constructor sets them after the first).
void SagasPane::connectParts()
{
    if (!m_sessions)
        return;
    // The AWS files were read again: a new session, the same machine and execution.
    connect(m_sessions, &Session::AwsSessions::sessionsReset, this, [this] {
        const QString shown = m_shown->executionArn();
        closeSession();
        m_lists->listExecutions(shown); // selected again once listed
        QTimer::singleShot(0, this, &SagasPane::updateView);
    });
    connect(m_sessions, &Session::AwsSessions::currentChanged, this, &SagasPane::updateView);
    connect(this, &Pane::findTextChanged, m_lists, &SagaListPanel::setSearchText);
    connect(m_start, &QAction::triggered, this, &SagasPane::openStartDialog);
    connect(m_message, &JobMessageBar::cancelRequested, this, [this] { closeSession(tr("Cancelled.")); });
    connect(m_lists, &SagaListPanel::message, this, &SagasPane::showMessage);
    connect(m_lists, &SagaListPanel::machinesListed, this, &SagasPane::onMachinesListed);
    connect(m_lists, &SagaListPanel::machineSelected, this, &SagasPane::onMachineSelected);
    connect(m_lists, &SagaListPanel::executionsListed, this, [this](bool empty) {
        if (empty)
            showMachine();
    });
    connect(m_lists, &SagaListPanel::executionSelected, this, [this](const QString &arn) {
        if (arn != m_shown->executionArn() || !m_shown->execution())
            m_shown->show(arn);
    });
    connect(m_shown, &ShownExecution::message, this, &SagasPane::showMessage);
    connect(m_shown, &ShownExecution::executionShown, this, [this](const Saga::LoadedExecution &e) {
        m_lists->updateExecution(e.entry);
        m_actions->remember(e);
        Q_EMIT executionShown(e.entry.executionArn);
    });
    connect(m_actions, &SagaActions::message, this, &SagasPane::showMessage);
    connect(m_actions, &SagaActions::statusMessage, this, &Pane::statusMessage);
    connect(m_actions, &SagaActions::compareShown, this, &SagasPane::compareShown);
    connect(m_actions, &SagaActions::busy, m_view, &ExecutionView::setBusy);
    connect(m_actions, &SagaActions::started, m_lists, &SagaListPanel::listExecutions);
    connect(m_actions, &SagaActions::executionChanged, this, [this](const QString &arn) {
        if (arn == m_shown->executionArn())
            m_shown->reload();
        m_lists->listExecutions();
    });
    connect(m_actions, &SagaActions::settingsChanged, this, [this] {
        showMachine();
        m_shown->reload();
        m_lists->listExecutions();
    });
    connect(m_view, &ExecutionView::stopRequested, this, [this] { stopShownExecution(); });
    connect(m_view, &ExecutionView::redriveRequested, this, [this] { redriveShownExecution(); });
    connect(m_view, &ExecutionView::compareRequested, this, &SagasPane::compareSelected);
    connect(m_view, &ExecutionView::settingsRequested, this, &SagasPane::editSettings);
}

void SagasPane::updateView()
{
    if (!m_sessions)
        return;
    if (showUnusableProfile()) {
        closeSession();
        return;
    }
    Aws::AwsSession *session = m_sessions->current();
    if (session != m_session || !m_explorer)
        openSession(session);
}

void SagasPane::closeSession(const QString &message)
{
    m_shown->setExplorer(nullptr);
    m_actions->setExplorer(nullptr);
    m_lists->setExplorer(nullptr, QString());
    if (m_explorer) {
        m_explorer->cancelListing();
        delete m_explorer;
    }
    m_session = nullptr;
    if (!message.isEmpty())
        showMessage(message, false);
}

void SagasPane::openSession(Aws::AwsSession *session)
{
    closeSession();
    m_view->clear(tr("Reading state machines…"));
    m_message->clear();
    m_session = session;
    if (!session->isValid()) {
        EmptyState *empty = emptyState();
        empty->clearActions();
        empty->setIcon(QStringLiteral("error"));
        empty->setTitle(tr("This AWS profile cannot be used"));
        QStringList lines;
        for (const Core::Error &e : session->errors())
            lines << e.toString().toHtmlEscaped();
        empty->setBody(lines.join(QStringLiteral("<br>"))
            + tr("<p>Fix the file, or pick another profile or region, and press F5.</p>"));
        showEmptyState(true);
        return;
    }
    showEmptyState(false);
    m_explorer = m_explorerFactory(session, this);
    connect(m_explorer, &Saga::SagaExplorer::machineLoaded, this, &SagasPane::onMachineLoaded);
    m_shown->setExplorer(m_explorer);
    m_actions->setExplorer(m_explorer);
    const QString remember = QStringLiteral("sagas/lastMachine/%1/%2")
                                 .arg(catalog()->currentProfile(), catalog()->currentRegion())
                                 .replace(u' ', u'_');
    m_lists->setExplorer(m_explorer, remember);
}

void SagasPane::refresh()
{
    if (!m_explorer) {
        updateView();
        return;
    }
    m_explorer->listStateMachines();
    if (!m_lists->machineArn().isEmpty()) {
        m_explorer->loadMachine(m_lists->machineArn(), true);
        m_lists->listExecutions();
    }
    if (!m_shown->follower())
        m_shown->reload();
}

bool SagasPane::isLoading() const
{
    return m_lists->isLoading() || m_shown->isLoading();
}

void SagasPane::showMessage(const QString &text, bool error)
{
    if (text.isEmpty())
        m_message->clear();
    else if (error)
        m_message->showError(text);
    else
        Q_EMIT statusMessage(text);
}

void SagasPane::onMachinesListed(int count)
{
    if (count < 0) {
        m_view->clear(tr("The state machines could not be read"));
    } else if (count == 0) {
        m_view->clear(
            tr("No state machines in %1 (profile %2)").arg(catalog()->currentRegion(), catalog()->currentProfile()));
        m_start->setEnabled(false);
        setFindAvailable(false);
    }
}

void SagasPane::onMachineSelected(const QString &machineArn, const QString &name)
{
    m_shown->clear();
    m_message->clear();
    m_view->clear(tr("Reading %1…").arg(name));
    m_actions->setMachine(machineArn, name);
    m_explorer->setRoleOverrides(machineArn, m_store.load(machineArn).roles);
    m_explorer->loadMachine(machineArn);
    m_start->setEnabled(true);
    setFindAvailable(true);
}

void SagasPane::onMachineLoaded(const QString &machineArn, const Core::Error &error)
{
    if (machineArn != m_lists->machineArn())
        return;
    if (!error.isNull()) {
        showMessage(tr("Could not read the definition of %1: %2").arg(m_lists->machineName(), error.toString()), true);
        return;
    }
    const Saga::LoadedMachine *m = m_explorer->machine(machineArn);
    if (!m->graph.errors.isEmpty()) {
        QStringList lines;
        for (const Core::Error &e : m->graph.errors)
            lines << e.toString();
        showMessage(tr("The definition of %1 has errors: %2").arg(m->name, lines.join(QStringLiteral("; "))), true);
    }
    if (m_shown->executionArn().isEmpty())
        showMachine();
}

// The selected machine's graph, when no execution is shown (or its settings changed).
void SagasPane::showMachine()
{
    const Saga::LoadedMachine *m = m_explorer ? m_explorer->machine(m_lists->machineArn()) : nullptr;
    if (m)
        m_view->setMachine(m->name, m->graph, m_explorer->roles(m->arn));
}

QListWidget *SagasPane::machineList() const
{
    return m_lists->machineList();
}

QTableView *SagasPane::executionTable() const
{
    return m_lists->executionTable();
}

Models::ExecutionListModel *SagasPane::executionModel() const
{
    return m_lists->model();
}

Models::ExecutionFilterProxy *SagasPane::executionProxy() const
{
    return m_lists->proxy();
}

Saga::ExecutionFollower *SagasPane::follower() const
{
    return m_shown->follower();
}

StartExecutionDialog *SagasPane::startDialog() const
{
    return m_actions->startDialog();
}

QString SagasPane::shownExecution() const
{
    return m_shown->executionArn();
}

bool SagasPane::selectMachine(const QString &name)
{
    return m_lists->selectMachine(name);
}

bool SagasPane::selectExecution(const QString &executionArn)
{
    return m_lists->selectExecution(executionArn);
}

QString SagasPane::listStatusText() const
{
    return m_lists->listStatusText();
}

void SagasPane::openStartDialog()
{
    m_actions->openStartDialog();
}

void SagasPane::compareSelected()
{
    m_actions->compare(m_lists->selectedExecutions());
}

void SagasPane::editSettings()
{
    m_actions->editSettings();
}

void SagasPane::stopShownExecution(bool confirm)
{
    if (const Saga::LoadedExecution *e = m_shown->execution())
        m_actions->stop(e->entry, confirm);
}

void SagasPane::redriveShownExecution(bool confirm)
{
    if (const Saga::LoadedExecution *e = m_shown->execution())
        m_actions->redrive(e->entry, confirm);
}

} // namespace Bramble::Ui
