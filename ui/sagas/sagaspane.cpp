#include "ui/sagas/sagaspane.h"

#include "aws/awssession.h"
#include "aws/credentialchain.h"
#include "models/executionfilterproxy.h"
#include "models/executionlistmodel.h"
#include "saga/executionfollower.h"
#include "session/connectioncatalog.h"
#include "ui/common/emptystate.h"
#include "ui/common/jobmessagebar.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"
#include "ui/sagas/executionview.h"
#include "ui/sagas/sagatonedelegate.h"
#include "ui/sagas/startexecutiondialog.h"

#include <QAction>
#include <QDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

const QStringList Statuses = { QStringLiteral("RUNNING"), QStringLiteral("SUCCEEDED"), QStringLiteral("FAILED"),
    QStringLiteral("TIMED_OUT"), QStringLiteral("ABORTED"), QStringLiteral("PENDING_REDRIVE") };
const QList<Saga::SagaOutcome> Outcomes = { Saga::SagaOutcome::Running, Saga::SagaOutcome::Committed,
    Saga::SagaOutcome::Compensated, Saga::SagaOutcome::CompensationFailed, Saga::SagaOutcome::FailedUncompensated,
    Saga::SagaOutcome::TimedOut, Saga::SagaOutcome::Aborted };

// Executions listed per state machine, newest first (each is then described
// and its history read for the outcome).
constexpr int ExecutionListLimit = 200;

namespace Keys {
const QString split = QStringLiteral("sagas/splitter");
const QString rightSplit = QStringLiteral("sagas/rightSplitter");
const QString table = QStringLiteral("sagas/executionColumns");
} // namespace Keys

QToolButton *filterButton(const QString &text, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setPopupMode(QToolButton::InstantPopup);
    b->setMenu(new QMenu(b));
    return b;
}

} // namespace

SagasPane::SagasPane(Session::ConnectionCatalog *catalog, QSettings *settings, QWidget *parent)
    : AwsConnectionPane(QStringLiteral("sagas"), tr("Sagas"), QStringLiteral("sagas"), catalog, QString(), parent)
    , m_settings(settings)
    , m_store(settings)
{
    buildContent();
    connect(this, &Pane::findTextChanged, this, [this](const QString &text) { m_proxy->setSearchText(text); });
}

Saga::ExecutionFollower *SagasPane::follower() const
{
    return m_follower;
}

StartExecutionDialog *SagasPane::startDialog() const
{
    return m_startDialog;
}

SagasPane::~SagasPane()
{
    saveSettings();
    closeSession();
}

void SagasPane::buildContent()
{
    m_content = new QWidget(this);
    m_message = new JobMessageBar(m_content);
    m_machines = new QListWidget(m_content);
    m_machines->setObjectName(QStringLiteral("stateMachines"));
    m_model = new Models::ExecutionListModel(this);
    m_proxy = new Models::ExecutionFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Models::ExecutionListModel::SortRole);
    m_table = new QTableView(m_content);
    m_table->setObjectName(QStringLiteral("executions"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(new SagaToneDelegate(Models::ExecutionListModel::ToneRole, -1, m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Models::ExecutionListModel::StartedColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_view = new ExecutionView(m_content);

    m_startButton = new QToolButton(m_content);
    m_statusFilter = filterButton(tr("Status: all"), m_content);
    m_outcomeFilter = filterButton(tr("Outcome: all"), m_content);
    for (const QString &s : Statuses) {
        QAction *a = m_statusFilter->menu()->addAction(Models::prettyConstant(s));
        a->setCheckable(true);
        a->setData(s);
        connect(a, &QAction::toggled, this, &SagasPane::applyFilters);
    }
    for (Saga::SagaOutcome o : Outcomes) {
        QAction *a = m_outcomeFilter->menu()->addAction(Models::prettyConstant(Saga::sagaOutcomeName(o)));
        a->setCheckable(true);
        a->setData(int(o));
        connect(a, &QAction::toggled, this, &SagasPane::applyFilters);
    }
    m_listStatus = new QLabel(m_content);
    m_listStatus->setForegroundRole(QPalette::PlaceholderText);
    m_stopReading = new QToolButton(m_content);
    m_stopReading->setText(tr("Stop reading outcomes"));
    m_stopReading->setToolTip(tr("Stop fetching the history of each listed execution"));
    m_stopReading->hide();

    auto *machinesBox = new QWidget(m_content);
    auto *machinesLayout = new QVBoxLayout(machinesBox);
    machinesLayout->setContentsMargins(0, 0, 0, 0);
    auto *machinesTitle = new QLabel(tr("State machines"), machinesBox);
    QFont bold = machinesTitle->font();
    bold.setBold(true);
    machinesTitle->setFont(bold);
    machinesLayout->addWidget(machinesTitle);
    machinesLayout->addWidget(m_machines, 1);
    machinesBox->setMinimumWidth(160);

    auto *executionsBox = new QWidget(m_content);
    auto *executionsLayout = new QVBoxLayout(executionsBox);
    executionsLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_startButton);
    bar->addWidget(m_statusFilter);
    bar->addWidget(m_outcomeFilter);
    bar->addStretch(1);
    bar->addWidget(m_listStatus);
    bar->addWidget(m_stopReading);
    executionsLayout->addLayout(bar);
    executionsLayout->addWidget(m_table, 1);

    m_rightSplit = new QSplitter(Qt::Vertical, m_content);
    m_rightSplit->addWidget(executionsBox);
    m_rightSplit->addWidget(m_view);
    m_rightSplit->setStretchFactor(0, 2);
    m_rightSplit->setStretchFactor(1, 5);
    m_split = new QSplitter(Qt::Horizontal, m_content);
    m_split->addWidget(machinesBox);
    m_split->addWidget(m_rightSplit);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 6);

    auto *layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_split, 1);
    setContent(m_content);

    if (m_settings) {
        m_split->restoreState(m_settings->value(Keys::split).toByteArray());
        m_rightSplit->restoreState(m_settings->value(Keys::rightSplit).toByteArray());
        m_table->horizontalHeader()->restoreState(m_settings->value(Keys::table).toByteArray());
    }
    if (m_split->sizes().value(0) == 0 || !m_settings || !m_settings->contains(Keys::split))
        m_split->setSizes({ 220, 1100 });
    if (!m_settings || !m_settings->contains(Keys::rightSplit))
        m_rightSplit->setSizes({ 230, 560 });

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &SagasPane::tick);

    connect(m_machines, &QListWidget::currentRowChanged, this, &SagasPane::onMachineSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SagasPane::onExecutionSelected);
    connect(m_stopReading, &QToolButton::clicked, this, [this] {
        if (m_explorer)
            m_explorer->cancelListing();
        m_detailsTotal = 0;
        updateListStatus();
    });
    connect(m_message, &JobMessageBar::cancelRequested, this, [this] { closeSession(tr("Cancelled.")); });
    connect(m_view, &ExecutionView::followToggled, this, &SagasPane::setFollowing);
    connect(m_view, &ExecutionView::stopRequested, this, [this] { stopShownExecution(); });
    connect(m_view, &ExecutionView::redriveRequested, this, [this] { redriveShownExecution(); });
    connect(m_view, &ExecutionView::compareRequested, this, &SagasPane::compareSelected);
    connect(m_view, &ExecutionView::settingsRequested, this, &SagasPane::editSettings);
    connect(m_view, &ExecutionView::recordReloadRequested, this, &SagasPane::fetchRecord);

    // The pane's actions, for the keyboard and the window's shortcut list.
    auto *start = new QAction(tr("Start execution…"), this);
    start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    start->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    start->setToolTip(tr("Start an execution of this state machine (Ctrl+N)"));
    connect(start, &QAction::triggered, this, &SagasPane::openStartDialog);
    addAction(start);
    m_startButton->setDefaultAction(start);
    addActions(m_view->actions());
    m_view->clear(tr("No state machine selected"));
    m_startButton->defaultAction()->setEnabled(false);
}

QString SagasPane::machineSettingsKey() const
{
    return QStringLiteral("sagas/lastMachine/%1/%2")
        .arg(catalog()->currentProfile(), catalog()->currentRegion())
        .replace(u' ', u'_');
}

void SagasPane::saveSettings() const
{
    if (!m_settings)
        return;
    m_settings->setValue(Keys::split, m_split->saveState());
    m_settings->setValue(Keys::rightSplit, m_rightSplit->saveState());
    m_settings->setValue(Keys::table, m_table->horizontalHeader()->saveState());
}

void SagasPane::updateView()
{
    if (showUnusableProfile()) {
        closeSession();
        m_sessionKey.clear();
        return;
    }
    const QString key = catalog()->currentProfile() + u'\n' + catalog()->currentRegion();
    if (key != m_sessionKey || !m_session) {
        m_sessionKey = key;
        openSession();
    }
}

void SagasPane::closeSession(const QString &message)
{
    setFollowing(false);
    if (m_explorer) {
        m_explorer->cancelListing();
        delete m_explorer;
    }
    m_session.reset();
    m_listingMachines = m_listingExecutions = m_loadingExecution = false;
    if (!message.isEmpty())
        showMessage(message, false);
}

void SagasPane::openSession()
{
    closeSession();
    m_machines->clear();
    m_model->clear();
    m_machineArn.clear();
    m_executionArn.clear();
    m_loaded.clear();
    m_view->clear(tr("Reading state machines…"));
    m_message->clear();

    Aws::AwsSessionOptions options;
    options.profile = catalog()->currentProfile();
    options.region = catalog()->currentRegion();
    m_session = std::make_unique<Aws::AwsSession>(catalog()->environment(), options);
    if (!m_session->isValid()) {
        EmptyState *empty = emptyState();
        empty->clearActions();
        empty->setIcon(QStringLiteral("error"));
        empty->setTitle(tr("This AWS profile cannot be used"));
        QStringList lines;
        for (const Core::Error &e : m_session->errors())
            lines << e.toString().toHtmlEscaped();
        empty->setBody(lines.join(QStringLiteral("<br>"))
            + tr("<p>Fix the file, or pick another profile or region, and press F5.</p>"));
        showEmptyState(true);
        m_session.reset();
        return;
    }
    showEmptyState(false);
    // A role with mfa_serial: ask, as the aws CLI does on the terminal.
    if (Aws::ProfileCredentialsProvider *credentials = m_session->credentials()) {
        credentials->setMfaPrompt([this](const QString &serial, Aws::ProfileCredentialsProvider::MfaAnswer answer) {
            auto *dialog = new QInputDialog(this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setWindowTitle(tr("MFA code"));
            dialog->setLabelText(tr("Enter the current code of your MFA device\n%1").arg(serial));
            dialog->setInputMode(QInputDialog::TextInput);
            connect(dialog, &QInputDialog::textValueSelected, this,
                [answer](const QString &code) { answer(code.trimmed()); });
            connect(dialog, &QDialog::rejected, this, [answer] { answer(QString()); });
            dialog->open();
        });
    }
    m_explorer = new Saga::SagaExplorer(m_session->transport(), this);
    connect(m_explorer, &Saga::SagaExplorer::stateMachinesListed, this, &SagasPane::onMachinesListed);
    connect(m_explorer, &Saga::SagaExplorer::machineLoaded, this, &SagasPane::onMachineLoaded);
    connect(m_explorer, &Saga::SagaExplorer::executionsListed, this, &SagasPane::onExecutionsListed);
    connect(m_explorer, &Saga::SagaExplorer::executionUpdated, this, &SagasPane::onExecutionUpdated);
    connect(m_explorer, &Saga::SagaExplorer::detailsProgress, this, &SagasPane::onDetailsProgress);
    connect(m_explorer, &Saga::SagaExplorer::executionLoaded, this, &SagasPane::onExecutionLoaded);
    connect(m_explorer, &Saga::SagaExplorer::recordFetched, this, &SagasPane::onRecordFetched);
    connect(m_explorer, &Saga::SagaExplorer::actionFinished, this, &SagasPane::onActionFinished);
    m_listingMachines = true;
    m_explorer->listStateMachines();
    updateListStatus();
}

void SagasPane::refresh()
{
    if (!m_explorer) {
        m_sessionKey.clear();
        updateView();
        return;
    }
    m_listingMachines = true;
    m_explorer->listStateMachines();
    if (!m_machineArn.isEmpty()) {
        m_explorer->loadMachine(m_machineArn, true);
        listExecutions();
    }
    if (!m_executionArn.isEmpty() && !m_follower)
        loadShownExecution();
}

bool SagasPane::isLoading() const
{
    return m_listingMachines || m_listingExecutions || m_loadingExecution
        || (m_explorer && m_explorer->isLoadingDetails());
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

void SagasPane::onMachinesListed(const QList<Aws::StateMachineSummary> &machines, const Core::Error &error)
{
    m_listingMachines = false;
    if (!error.isNull()) {
        showMessage(tr("Could not list the state machines: %1. F5 tries again.").arg(error.toString()), true);
        m_view->clear(tr("The state machines could not be read"));
        updateListStatus();
        return;
    }
    const QString keep
        = m_machineArn.isEmpty() && m_settings ? m_settings->value(machineSettingsKey()).toString() : m_machineArn;
    const QSignalBlocker blocker(m_machines);
    m_machines->clear();
    int select = machines.isEmpty() ? -1 : 0;
    for (const Aws::StateMachineSummary &m : machines) {
        auto *item = new QListWidgetItem(m.name, m_machines);
        item->setData(Qt::UserRole, m.stateMachineArn);
        item->setToolTip(QStringLiteral("%1\n%2 · created %3")
                             .arg(m.stateMachineArn, m.type, m.creationDate.toLocalTime().toString(Qt::ISODate)));
        if (m.stateMachineArn == keep)
            select = m_machines->count() - 1;
    }
    if (machines.isEmpty()) {
        m_view->clear(
            tr("No state machines in %1 (profile %2)").arg(catalog()->currentRegion(), catalog()->currentProfile()));
        m_machineArn.clear();
        m_model->clear();
        m_startButton->defaultAction()->setEnabled(false);
        setFindAvailable(false);
        updateListStatus();
        return;
    }
    m_machines->setCurrentRow(select);
    const QString arn = m_machines->item(select)->data(Qt::UserRole).toString();
    if (arn != m_machineArn)
        onMachineSelected();
}

QString SagasPane::currentMachineName() const
{
    const Saga::LoadedMachine *m = m_explorer ? m_explorer->machine(m_machineArn) : nullptr;
    if (m)
        return m->name;
    return m_machines->currentItem() ? m_machines->currentItem()->text() : QString();
}

Saga::MachineSettings SagasPane::machineSettings() const
{
    return m_store.load(m_machineArn);
}

void SagasPane::onMachineSelected()
{
    QListWidgetItem *item = m_machines->currentItem();
    if (!item || !m_explorer)
        return;
    const QString arn = item->data(Qt::UserRole).toString();
    if (arn == m_machineArn)
        return;
    setFollowing(false);
    m_machineArn = arn;
    m_executionArn.clear();
    m_shown = {};
    m_loaded.clear();
    m_model->clear();
    m_message->clear();
    if (m_settings)
        m_settings->setValue(machineSettingsKey(), arn);
    m_view->clear(tr("Reading %1…").arg(item->text()));
    m_explorer->setRoleOverrides(arn, machineSettings().roles);
    m_explorer->loadMachine(arn);
    m_startButton->defaultAction()->setEnabled(true);
    setFindAvailable(true);
    listExecutions();
}

void SagasPane::onMachineLoaded(const QString &machineArn, const Core::Error &error)
{
    if (machineArn != m_machineArn)
        return;
    if (!error.isNull()) {
        showMessage(tr("Could not read the definition of %1: %2").arg(currentMachineName(), error.toString()), true);
        return;
    }
    const Saga::LoadedMachine *m = m_explorer->machine(machineArn);
    if (!m->graph.errors.isEmpty()) {
        QStringList lines;
        for (const Core::Error &e : m->graph.errors)
            lines << e.toString();
        showMessage(tr("The definition of %1 has errors: %2").arg(m->name, lines.join(QStringLiteral("; "))), true);
    }
    if (m_executionArn.isEmpty())
        m_view->setMachine(m->name, m->graph, m_explorer->roles(machineArn));
}

void SagasPane::listExecutions()
{
    if (!m_explorer || m_machineArn.isEmpty())
        return;
    m_listingExecutions = true;
    m_detailsDone = m_detailsTotal = 0;
    m_explorer->listExecutions(m_machineArn, QString(), ExecutionListLimit);
    updateListStatus();
}

void SagasPane::onExecutionsListed(
    const QString &machineArn, const QList<Saga::ExecutionEntry> &executions, const Core::Error &error)
{
    if (machineArn != m_machineArn)
        return;
    m_listingExecutions = false;
    if (!error.isNull()) {
        showMessage(tr("Could not list the executions: %1").arg(error.toString()), true);
        updateListStatus();
        return;
    }
    const bool first = m_model->rowCount() == 0;
    m_model->setExecutions(executions);
    if (first && !executions.isEmpty() && !(m_settings && m_settings->contains(Keys::table)))
        m_table->resizeColumnsToContents();
    const QString want = !m_selectAfterListing.isEmpty() ? m_selectAfterListing : m_executionArn;
    m_selectAfterListing.clear();
    // Nothing chosen yet: the newest execution, so the pane opens on something.
    if ((want.isEmpty() || !selectExecution(want)) && m_executionArn.isEmpty() && m_proxy->rowCount() > 0)
        m_table->selectionModel()->setCurrentIndex(
            m_proxy->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (executions.isEmpty() && m_explorer->machine(machineArn))
        m_view->setMachine(currentMachineName(), m_explorer->machine(machineArn)->graph, m_explorer->roles(machineArn));
    updateListStatus();
    m_tick->start();
}

void SagasPane::onExecutionUpdated(const Saga::ExecutionEntry &entry)
{
    if (entry.stateMachineArn != m_machineArn)
        return;
    m_model->updateExecution(entry);
}

void SagasPane::onDetailsProgress(int done, int total)
{
    m_detailsDone = done;
    m_detailsTotal = total;
    // The outcomes are all known: make room for the longest one, unless the user sized the columns.
    if (done == total && total > 0 && !(m_settings && m_settings->contains(Keys::table)))
        m_table->resizeColumnToContents(Models::ExecutionListModel::OutcomeColumn);
    updateListStatus();
}

QString SagasPane::listStatusText() const
{
    return m_listStatus->text();
}

void SagasPane::updateListStatus()
{
    QString text;
    if (m_listingMachines)
        text = tr("Reading state machines…");
    else if (m_listingExecutions)
        text = tr("Reading executions…");
    else if (!m_machineArn.isEmpty()) {
        const int all = m_model->rowCount();
        const int shown = m_proxy->rowCount();
        text = all == 0                                 ? tr("No executions yet: Ctrl+N starts one")
            : all >= ExecutionListLimit && shown == all ? tr("the newest %1 executions").arg(all)
            : shown == all                              ? countOf(all, tr("execution"), tr("executions"))
                                                        : tr("%1 of %2 executions").arg(shown).arg(all);
        const bool reading = m_explorer && m_explorer->isLoadingDetails() && m_detailsTotal > 0;
        if (reading)
            text += tr(" · reading outcomes %1/%2").arg(m_detailsDone).arg(m_detailsTotal);
        m_stopReading->setVisible(reading);
    }
    m_listStatus->setText(text);
}

void SagasPane::applyFilters()
{
    QSet<QString> statuses;
    for (QAction *a : m_statusFilter->menu()->actions())
        if (a->isChecked())
            statuses.insert(a->data().toString());
    QSet<Saga::SagaOutcome> outcomes;
    for (QAction *a : m_outcomeFilter->menu()->actions())
        if (a->isChecked())
            outcomes.insert(Saga::SagaOutcome(a->data().toInt()));
    m_proxy->setStatuses(statuses);
    m_proxy->setOutcomes(outcomes);
    m_statusFilter->setText(statuses.isEmpty()
            ? tr("Status: all")
            : tr("Status: %1")
                  .arg(statuses.size() == 1 ? Models::prettyConstant(*statuses.cbegin())
                                            : tr("%1 selected").arg(statuses.size())));
    m_outcomeFilter->setText(outcomes.isEmpty()
            ? tr("Outcome: all")
            : tr("Outcome: %1")
                  .arg(outcomes.size() == 1 ? Models::prettyConstant(Saga::sagaOutcomeName(*outcomes.cbegin()))
                                            : tr("%1 selected").arg(outcomes.size())));
    updateListStatus();
}

bool SagasPane::selectMachine(const QString &name)
{
    for (int row = 0; row < m_machines->count(); ++row)
        if (m_machines->item(row)->text() == name) {
            m_machines->setCurrentRow(row);
            return true;
        }
    return false;
}

bool SagasPane::selectExecution(const QString &executionArn)
{
    const int row = m_model->rowOf(executionArn);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

} // namespace Bramble::Ui
