// SagasPane, the shown execution: loading it, its transaction record,
// following it live, and the actions (start, stop, redrive, compare, saga
// settings). The session, the lists and the filters are in sagaspane.cpp.
#include "ui/sagas/sagaspane.h"

#include "models/executionlistmodel.h"
#include "saga/executionfollower.h"
#include "ui/common/jobmessagebar.h"
#include "ui/sagas/executioncompareview.h"
#include "ui/sagas/executionview.h"
#include "ui/sagas/sagasettingsdialog.h"
#include "ui/sagas/startexecutiondialog.h"
#include "ui/sagas/timelinechart.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QTableView>
#include <QVBoxLayout>

namespace Bramble::Ui {

void SagasPane::onExecutionSelected()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const QString arn = current.data(Models::ExecutionListModel::ArnRole).toString();
    if (arn == m_executionArn && !m_shown.entry.executionArn.isEmpty())
        return;
    setFollowing(false);
    m_executionArn = arn;
    m_shown = {};
    loadShownExecution();
}

void SagasPane::loadShownExecution()
{
    if (!m_explorer || m_executionArn.isEmpty())
        return;
    m_loadingExecution = true;
    m_view->setBusy(tr("Reading the history…"));
    m_explorer->loadExecution(m_executionArn);
}

void SagasPane::onExecutionLoaded(const QString &arn, const Saga::LoadedExecution &execution, const Core::Error &error)
{
    if (error.isNull())
        m_loaded.insert(arn, execution);
    if (m_compareArns.contains(arn)) {
        if (!error.isNull()) {
            m_compareArns.clear();
            showMessage(tr("Could not read %1 to compare: %2").arg(arn, error.toString()), true);
        } else {
            showCompare();
        }
    }
    if (arn != m_executionArn)
        return;
    m_loadingExecution = false;
    if (!error.isNull()) {
        m_view->setBusy(QString());
        showMessage(tr("Could not read the execution: %1").arg(error.toString()), true);
        return;
    }
    // Drawn with the definition this execution ran, which may be older than the machine's.
    if (m_view->executionArn() != arn || execution.ranEarlierDefinition || m_shown.ranEarlierDefinition) {
        const Saga::LoadedMachine *m = m_explorer->machine(execution.entry.stateMachineArn);
        if (m)
            m_view->setMachine(m->name, execution.graph, m_explorer->roles(execution.graph, m->arn));
    }
    m_shown = execution;
    qsizetype largest = 0;
    for (const QJsonObject &e : execution.events)
        largest = qMax(largest, Saga::eventPayloadBytes(e));
    m_view->setExecution(execution.entry, execution.analysis, int(execution.events.size()), largest);
    m_view->setBusy(QString());
    m_model->updateExecution(execution.entry);
    fetchRecord();
    if (execution.entry.status == QLatin1String("RUNNING") && !m_follower)
        setFollowing(true);
    Q_EMIT executionShown(arn);
}

void SagasPane::fetchRecord()
{
    if (!m_explorer || m_shown.entry.executionArn.isEmpty())
        return;
    const Saga::LoadedMachine *m = m_explorer->machine(m_shown.entry.stateMachineArn);
    if (!m)
        return;
    const Saga::RecordSource source = Saga::effectiveRecordSource(m->recordFromDefinition, machineSettings());
    if (source.table.isEmpty() || source.keyAttribute.isEmpty()) {
        m_view->setRecordError(tr("No record table is known for %1: its definition has no DynamoDB task that "
                                  "names one. Set the table and key in Saga settings (Ctrl+,).")
                                   .arg(m->name));
        return;
    }
    const Saga::RecordKey key = Saga::recordKeyFor(source, m_shown.entry.input);
    if (!key.isValid()) {
        m_view->setRecordError(tr("No record to read: %1.").arg(key.error));
        return;
    }
    // What the record view says above the item, kept for the answer.
    m_recordNote = tr("Table <b>%1</b>, %2 = <b>%3</b> · location from the %4")
                       .arg(source.table.toHtmlEscaped(), source.keyAttribute.toHtmlEscaped(),
                           key.key.value(source.keyAttribute).toVariant().toString().toHtmlEscaped(),
                           source.origin.isEmpty() ? tr("settings") : source.origin.toHtmlEscaped());
    m_explorer->fetchRecord(m_shown.entry.executionArn, source.table, key.key);
}

void SagasPane::onRecordFetched(const QString &arn, const QJsonObject &item, bool found, const Core::Error &error)
{
    if (arn != m_executionArn || !m_explorer)
        return;
    if (!error.isNull()) {
        m_view->setRecordError(tr("Could not read the record: %1").arg(error.toString()));
        return;
    }
    const QStringList forwardSteps = m_explorer->roles(m_shown.graph, m_shown.entry.stateMachineArn).forwardSteps;
    m_view->setRecord(m_recordNote, item, found, Saga::attributesOfSteps(item, forwardSteps));
}

void SagasPane::setFollowing(bool follow)
{
    if (!follow) {
        if (m_follower) {
            m_follower->stop();
            m_follower->deleteLater();
        }
        m_follower = nullptr;
        if (m_view)
            m_view->setFollowing(false, QString());
        return;
    }
    if (m_follower || !m_explorer || m_executionArn.isEmpty())
        return;
    m_follower = m_explorer->follow(m_executionArn, this);
    connect(m_follower, &Saga::ExecutionFollower::eventsAppended, this, &SagasPane::onFollowerEvents);
    connect(m_follower, &Saga::ExecutionFollower::polled, this, [this](int nextMs) {
        m_view->setFollowing(true,
            tr("Following live · %1 events · next poll in %2 s")
                .arg(m_follower->eventCount())
                .arg(QString::number(nextMs / 1000.0, 'f', nextMs < 10000 ? 1 : 0)));
    });
    connect(m_follower, &Saga::ExecutionFollower::error, this, [this](const Core::Error &error) {
        m_view->setFollowing(true, tr("Following live · last poll failed: %1").arg(error.toString()));
    });
    connect(m_follower, &Saga::ExecutionFollower::finished, this, &SagasPane::onFollowerFinished);
    m_view->setFollowing(true, tr("Following live…"));
    m_follower->start();
}

void SagasPane::onFollowerEvents()
{
    if (!m_follower || !m_explorer)
        return;
    Saga::ExecutionEntry entry = m_shown.entry;
    const Saga::SagaAnalysis analysis = m_shown.graph.nodes.isEmpty()
        ? m_explorer->analyse(entry.stateMachineArn, m_follower->events())
        : m_explorer->analyse(m_shown.graph, entry.stateMachineArn, m_follower->events());
    entry.outcome = analysis.outcome;
    entry.outcomeLoaded = true;
    entry.compensating = analysis.compensating;
    entry.failedStep = analysis.failedStep;
    entry.dangling = analysis.dangling;
    entry.outcomeSentence = Saga::outcomeSentence(analysis);
    m_shown.entry = entry;
    m_shown.analysis = analysis;
    m_shown.events = m_follower->events();
    m_view->setExecution(entry, analysis, m_follower->eventCount(), m_follower->largestPayloadBytes());
    m_view->timeline()->setNow(QDateTime::currentDateTimeUtc());
    m_model->updateExecution(entry);
    Q_EMIT executionShown(entry.executionArn);
}

void SagasPane::onFollowerFinished(const Core::Error &error)
{
    const bool terminal = error.isNull();
    if (m_follower)
        m_follower->deleteLater();
    m_follower = nullptr;
    m_view->setFollowing(
        false, terminal ? tr("The execution has ended.") : tr("Stopped following: %1").arg(error.toString()));
    if (terminal) {
        // The final status, output and the record the last steps left.
        loadShownExecution();
    }
}

void SagasPane::tick()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_model->setNow(now);
    if (m_follower)
        m_view->timeline()->setNow(now);
}

void SagasPane::openStartDialog()
{
    if (!m_explorer || m_machineArn.isEmpty())
        return;
    if (m_startDialog) {
        m_startDialog->raise();
        m_startDialog->activateWindow();
        return;
    }
    m_startDialog = new StartExecutionDialog(currentMachineName(), this);
    m_startDialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString last = machineSettings().lastInput;
    m_startDialog->setInput(last.isEmpty() ? StartExecutionDialog::templateInput() : last);
    connect(
        m_startDialog, &StartExecutionDialog::startRequested, this, [this](const QString &name, const QString &input) {
            m_startDialog->setBusy(true);
            m_startInput = input;
            m_explorer->startExecution(m_machineArn, name, input);
        });
    m_startDialog->open();
}

void SagasPane::stopShownExecution(bool confirm)
{
    if (!m_explorer || m_shown.entry.executionArn.isEmpty())
        return;
    if (confirm
        && QMessageBox::question(this, tr("Stop execution"),
               tr("Stop %1? Steps that already ran are not undone: the saga's compensations do not run when an "
                  "execution is stopped.")
                   .arg(m_shown.entry.name))
            != QMessageBox::Yes)
        return;
    m_view->setBusy(tr("Stopping…"));
    m_explorer->stopExecution(m_shown.entry.executionArn, tr("Stopped from Bramble"));
}

void SagasPane::redriveShownExecution(bool confirm)
{
    if (!m_explorer || m_shown.entry.executionArn.isEmpty())
        return;
    if (confirm
        && QMessageBox::question(this, tr("Redrive execution"),
               tr("Redrive %1? It runs again from the state that failed, with the same input.").arg(m_shown.entry.name))
            != QMessageBox::Yes)
        return;
    m_view->setBusy(tr("Redriving…"));
    m_explorer->redriveExecution(m_shown.entry.executionArn);
}

void SagasPane::onActionFinished(Saga::SagaExplorer::Action action, const QString &arn, const Core::Error &error)
{
    if (action == Saga::SagaExplorer::Action::Start) {
        if (!m_startDialog)
            return;
        m_startDialog->setBusy(false);
        if (!error.isNull()) {
            m_startDialog->showError(error.toString());
            return;
        }
        Saga::MachineSettings s = machineSettings();
        s.lastInput = m_startInput;
        m_store.save(m_machineArn, s);
        m_startDialog->accept();
        Q_EMIT statusMessage(tr("Started %1").arg(arn));
        m_selectAfterListing = arn;
        listExecutions();
        return;
    }
    m_view->setBusy(QString());
    const QString what = action == Saga::SagaExplorer::Action::Stop ? tr("stop") : tr("redrive");
    if (!error.isNull()) {
        showMessage(tr("Could not %1 the execution: %2").arg(what, error.toString()), true);
        return;
    }
    Q_EMIT statusMessage(
        action == Saga::SagaExplorer::Action::Stop ? tr("Stopped %1").arg(arn) : tr("Redriven %1").arg(arn));
    if (arn == m_executionArn) {
        setFollowing(false);
        m_shown.entry.status
            = action == Saga::SagaExplorer::Action::Stop ? QStringLiteral("ABORTED") : QStringLiteral("RUNNING");
        loadShownExecution();
    }
    listExecutions();
}

void SagasPane::compareSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() != 2) {
        showMessage(tr("Select two executions in the list (Ctrl+click) to compare them."), true);
        return;
    }
    m_compareArns.clear();
    for (const QModelIndex &i : rows)
        m_compareArns << i.data(Models::ExecutionListModel::ArnRole).toString();
    bool waiting = false;
    for (const QString &arn : std::as_const(m_compareArns))
        if (!m_loaded.contains(arn)) {
            m_explorer->loadExecution(arn);
            waiting = true;
        }
    if (!waiting)
        showCompare();
}

void SagasPane::showCompare()
{
    if (m_compareArns.size() != 2 || !m_loaded.contains(m_compareArns.at(0)) || !m_loaded.contains(m_compareArns.at(1)))
        return;
    const Saga::LoadedExecution a = m_loaded.value(m_compareArns.at(0));
    const Saga::LoadedExecution b = m_loaded.value(m_compareArns.at(1));
    m_compareArns.clear();
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Compare executions: %1 and %2").arg(a.entry.name, b.entry.name));
    auto *view = new ExecutionCompareView(dialog);
    view->setExecutions(a.entry, a.analysis, b.entry, b.analysis);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(view, 1);
    layout->addWidget(buttons);
    dialog->resize(980, 620);
    dialog->open();
    Q_EMIT compareShown(dialog);
}

void SagasPane::editSettings()
{
    if (!m_explorer)
        return;
    const Saga::LoadedMachine *m = m_explorer->machine(m_machineArn);
    if (!m)
        return;
    auto *dialog = new SagaSettingsDialog(m->name, m->graph, m->recordFromDefinition, machineSettings(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, arn = m_machineArn] {
        const Saga::MachineSettings s = dialog->settings();
        m_store.save(arn, s);
        if (arn != m_machineArn || !m_explorer)
            return;
        m_explorer->setRoleOverrides(arn, s.roles);
        const Saga::LoadedMachine *machine = m_explorer->machine(arn);
        m_loaded.clear();
        if (m_executionArn.isEmpty())
            m_view->setMachine(machine->name, machine->graph, m_explorer->roles(arn));
        else {
            m_view->setMachine(machine->name, machine->graph, m_explorer->roles(arn));
            m_shown = {};
            loadShownExecution();
        }
        listExecutions();
    });
    dialog->open();
}

} // namespace Bramble::Ui
