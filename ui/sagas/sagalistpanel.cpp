#include "ui/sagas/sagalistpanel.h"

#include "aws/stepfunctionsclient.h"
#include "models/executionfilterproxy.h"
#include "models/executionlistmodel.h"
#include "saga/sagaexplorer.h"
#include "ui/common/text.h"
#include "ui/sagas/sagatonedelegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QSettings>
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

const QString TableKey = QStringLiteral("sagas/executionColumns");

QToolButton *filterButton(const QString &text, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setPopupMode(QToolButton::InstantPopup);
    b->setMenu(new QMenu(b));
    return b;
}

} // namespace

SagaListPanel::SagaListPanel(QSettings *settings, QAction *startAction, QWidget *widgetParent)
    : QObject(widgetParent)
    , m_settings(settings)
{
    build(startAction, widgetParent);
}

SagaListPanel::~SagaListPanel()
{
    if (m_settings)
        m_settings->setValue(TableKey, m_table->horizontalHeader()->saveState());
}

void SagaListPanel::build(QAction *startAction, QWidget *parent)
{
    m_machines = new QListWidget(parent);
    m_machines->setObjectName(QStringLiteral("stateMachines"));
    m_model = new Models::ExecutionListModel(this);
    m_proxy = new Models::ExecutionFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Models::ExecutionListModel::SortRole);
    m_table = new QTableView(parent);
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
    if (m_settings)
        m_table->horizontalHeader()->restoreState(m_settings->value(TableKey).toByteArray());

    auto *startButton = new QToolButton(parent);
    startButton->setDefaultAction(startAction);
    m_statusFilter = filterButton(tr("Status: all"), parent);
    m_outcomeFilter = filterButton(tr("Outcome: all"), parent);
    for (const QString &s : Statuses) {
        QAction *a = m_statusFilter->menu()->addAction(Models::prettyConstant(s));
        a->setCheckable(true);
        a->setData(s);
        connect(a, &QAction::toggled, this, &SagaListPanel::applyFilters);
    }
    for (Saga::SagaOutcome o : Outcomes) {
        QAction *a = m_outcomeFilter->menu()->addAction(Models::prettyConstant(Saga::sagaOutcomeName(o)));
        a->setCheckable(true);
        a->setData(int(o));
        connect(a, &QAction::toggled, this, &SagaListPanel::applyFilters);
    }
    m_listStatus = new QLabel(parent);
    m_listStatus->setForegroundRole(QPalette::PlaceholderText);
    m_stopReading = new QToolButton(parent);
    m_stopReading->setText(tr("Stop reading outcomes"));
    m_stopReading->setToolTip(tr("Stop fetching the history of each listed execution"));
    m_stopReading->hide();

    m_machinesBox = new QWidget(parent);
    auto *machinesLayout = new QVBoxLayout(m_machinesBox);
    machinesLayout->setContentsMargins(0, 0, 0, 0);
    auto *machinesTitle = new QLabel(tr("State machines"), m_machinesBox);
    QFont bold = machinesTitle->font();
    bold.setBold(true);
    machinesTitle->setFont(bold);
    machinesLayout->addWidget(machinesTitle);
    machinesLayout->addWidget(m_machines, 1);
    m_machinesBox->setMinimumWidth(160);

    m_executionsBox = new QWidget(parent);
    auto *executionsLayout = new QVBoxLayout(m_executionsBox);
    executionsLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(startButton);
    bar->addWidget(m_statusFilter);
    bar->addWidget(m_outcomeFilter);
    bar->addStretch(1);
    bar->addWidget(m_listStatus);
    bar->addWidget(m_stopReading);
    executionsLayout->addLayout(bar);
    executionsLayout->addWidget(m_table, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] { m_model->setNow(QDateTime::currentDateTimeUtc()); });
    connect(m_machines, &QListWidget::currentRowChanged, this, &SagaListPanel::onMachineSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex current = m_table->selectionModel()->currentIndex();
        const QString arn = current.data(Models::ExecutionListModel::ArnRole).toString();
        if (!arn.isEmpty()) // a reset of the model passes through no row
            Q_EMIT executionSelected(arn);
    });
    connect(m_stopReading, &QToolButton::clicked, this, [this] {
        if (m_explorer)
            m_explorer->cancelListing();
        m_detailsTotal = 0;
        updateListStatus();
    });
}

void SagaListPanel::setExplorer(Saga::SagaExplorer *explorer, const QString &rememberKey)
{
    m_explorer = explorer;
    m_rememberKey = rememberKey;
    m_machines->clear();
    m_model->clear();
    m_machineArn.clear();
    m_listingMachines = explorer != nullptr;
    m_listingExecutions = false;
    if (explorer) {
        connect(explorer, &Saga::SagaExplorer::stateMachinesListed, this, &SagaListPanel::onMachinesListed);
        connect(explorer, &Saga::SagaExplorer::executionsListed, this, &SagaListPanel::onExecutionsListed);
        connect(explorer, &Saga::SagaExplorer::executionUpdated, this, &SagaListPanel::updateExecution);
        connect(explorer, &Saga::SagaExplorer::detailsProgress, this, &SagaListPanel::onDetailsProgress);
        explorer->listStateMachines();
    }
    updateListStatus();
}

void SagaListPanel::setSearchText(const QString &text)
{
    m_proxy->setSearchText(text);
}

void SagaListPanel::updateExecution(const Saga::ExecutionEntry &entry)
{
    if (entry.stateMachineArn == m_machineArn)
        m_model->updateExecution(entry);
}

bool SagaListPanel::isLoading() const
{
    return m_listingMachines || m_listingExecutions || (m_explorer && m_explorer->isLoadingDetails());
}

QString SagaListPanel::machineName() const
{
    const Saga::LoadedMachine *m = m_explorer ? m_explorer->machine(m_machineArn) : nullptr;
    if (m)
        return m->name;
    return m_machines->currentItem() ? m_machines->currentItem()->text() : QString();
}

QStringList SagaListPanel::selectedExecutions() const
{
    QStringList arns;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        arns << i.data(Models::ExecutionListModel::ArnRole).toString();
    return arns;
}

void SagaListPanel::onMachinesListed(const QList<Aws::StateMachineSummary> &machines, const Core::Error &error)
{
    m_listingMachines = false;
    if (!error.isNull()) {
        Q_EMIT message(tr("Could not list the state machines: %1. F5 tries again.").arg(error.toString()), true);
        updateListStatus();
        Q_EMIT machinesListed(-1);
        return;
    }
    const QString keep
        = m_machineArn.isEmpty() && m_settings ? m_settings->value(m_rememberKey).toString() : m_machineArn;
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
    Q_EMIT machinesListed(int(machines.size()));
    if (machines.isEmpty()) {
        m_machineArn.clear();
        m_model->clear();
        updateListStatus();
        return;
    }
    m_machines->setCurrentRow(select);
    const QString arn = m_machines->item(select)->data(Qt::UserRole).toString();
    if (arn != m_machineArn)
        onMachineSelected();
}

void SagaListPanel::onMachineSelected()
{
    QListWidgetItem *item = m_machines->currentItem();
    if (!item || !m_explorer)
        return;
    const QString arn = item->data(Qt::UserRole).toString();
    if (arn == m_machineArn)
        return;
    m_machineArn = arn;
    m_model->clear();
    if (m_settings && m_settings->value(m_rememberKey).toString() != arn)
        m_settings->setValue(m_rememberKey, arn); // only a change: the file's directory may be watched
    Q_EMIT machineSelected(arn, item->text());
    listExecutions();
}

void SagaListPanel::listExecutions(const QString &select)
{
    if (!select.isEmpty())
        m_select = select;
    if (!m_explorer || m_machineArn.isEmpty())
        return;
    m_listingExecutions = true;
    m_detailsDone = m_detailsTotal = 0;
    m_explorer->listExecutions(m_machineArn, QString(), ExecutionListLimit);
    updateListStatus();
}

void SagaListPanel::onExecutionsListed(
    const QString &machineArn, const QList<Saga::ExecutionEntry> &executions, const Core::Error &error)
{
    if (machineArn != m_machineArn)
        return;
    m_listingExecutions = false;
    if (!error.isNull()) {
        Q_EMIT message(tr("Could not list the executions: %1").arg(error.toString()), true);
        updateListStatus();
        return;
    }
    const bool first = m_model->rowCount() == 0;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const QString shown = current.isValid() ? current.data(Models::ExecutionListModel::ArnRole).toString() : QString();
    m_model->setExecutions(executions);
    if (first && !executions.isEmpty() && !(m_settings && m_settings->contains(TableKey)))
        m_table->resizeColumnsToContents();
    const QString want = !m_select.isEmpty() ? m_select : shown;
    m_select.clear();
    // Nothing chosen yet: the newest execution, so the pane opens on something.
    if ((want.isEmpty() || !selectExecution(want)) && shown.isEmpty() && m_proxy->rowCount() > 0)
        m_table->selectionModel()->setCurrentIndex(
            m_proxy->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateListStatus();
    m_tick->start();
    Q_EMIT executionsListed(executions.isEmpty());
}

void SagaListPanel::onDetailsProgress(int done, int total)
{
    m_detailsDone = done;
    m_detailsTotal = total;
    // The outcomes are all known: make room for the longest one, unless the user sized the columns.
    if (done == total && total > 0 && !(m_settings && m_settings->contains(TableKey)))
        m_table->resizeColumnToContents(Models::ExecutionListModel::OutcomeColumn);
    updateListStatus();
}

QString SagaListPanel::listStatusText() const
{
    return m_listStatus->text();
}

void SagaListPanel::updateListStatus()
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

void SagaListPanel::applyFilters()
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

bool SagaListPanel::selectMachine(const QString &name)
{
    for (int row = 0; row < m_machines->count(); ++row)
        if (m_machines->item(row)->text() == name) {
            m_machines->setCurrentRow(row);
            return true;
        }
    return false;
}

bool SagaListPanel::selectExecution(const QString &executionArn)
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
