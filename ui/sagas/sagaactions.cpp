#include "ui/sagas/sagaactions.h"

#include "saga/sagasettings.h"
#include "ui/sagas/executioncompareview.h"
#include "ui/sagas/sagasettingsdialog.h"
#include "ui/sagas/startexecutiondialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QVBoxLayout>

namespace Bramble::Ui {

SagaActions::SagaActions(QWidget *dialogParent, Saga::SagaSettingsStore *store, QObject *parent)
    : QObject(parent)
    , m_dialogParent(dialogParent)
    , m_store(store)
{
}

void SagaActions::setExplorer(Saga::SagaExplorer *explorer)
{
    if (m_explorer)
        m_explorer->disconnect(this);
    m_explorer = explorer;
    forget();
    if (!explorer)
        return;
    connect(explorer, &Saga::SagaExplorer::actionFinished, this, &SagaActions::onActionFinished);
    connect(explorer, &Saga::SagaExplorer::executionLoaded, this, &SagaActions::onExecutionLoaded);
}

void SagaActions::setMachine(const QString &machineArn, const QString &name)
{
    if (machineArn != m_machineArn)
        forget();
    m_machineArn = machineArn;
    m_machineName = name;
}

void SagaActions::remember(const Saga::LoadedExecution &execution)
{
    m_loaded.insert(execution.entry.executionArn, execution);
}

void SagaActions::forget()
{
    m_loaded.clear();
    m_compareArns.clear();
}

StartExecutionDialog *SagaActions::startDialog() const
{
    return m_startDialog;
}

void SagaActions::openStartDialog()
{
    if (!m_explorer || m_machineArn.isEmpty())
        return;
    if (m_startDialog) {
        m_startDialog->raise();
        m_startDialog->activateWindow();
        return;
    }
    m_startDialog = new StartExecutionDialog(m_machineName, m_dialogParent);
    m_startDialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString last = m_store->load(m_machineArn).lastInput;
    m_startDialog->setInput(last.isEmpty() ? StartExecutionDialog::templateInput() : last);
    connect(
        m_startDialog, &StartExecutionDialog::startRequested, this, [this](const QString &name, const QString &input) {
            m_startDialog->setBusy(true);
            m_startInput = input;
            m_explorer->startExecution(m_machineArn, name, input);
        });
    m_startDialog->open();
}

void SagaActions::stop(const Saga::ExecutionEntry &execution, bool confirm)
{
    if (!m_explorer || execution.executionArn.isEmpty())
        return;
    if (confirm
        && QMessageBox::question(m_dialogParent, tr("Stop execution"),
               tr("Stop %1? Steps that already ran are not undone: the saga's compensations do not run when an "
                  "execution is stopped.")
                   .arg(execution.name))
            != QMessageBox::Yes)
        return;
    Q_EMIT busy(tr("Stopping…"));
    m_explorer->stopExecution(execution.executionArn, tr("Stopped from Bramble"));
}

void SagaActions::redrive(const Saga::ExecutionEntry &execution, bool confirm)
{
    if (!m_explorer || execution.executionArn.isEmpty())
        return;
    if (confirm
        && QMessageBox::question(m_dialogParent, tr("Redrive execution"),
               tr("Redrive %1? It runs again from the state that failed, with the same input.").arg(execution.name))
            != QMessageBox::Yes)
        return;
    Q_EMIT busy(tr("Redriving…"));
    m_explorer->redriveExecution(execution.executionArn);
}

void SagaActions::onActionFinished(Saga::SagaExplorer::Action action, const QString &arn, const Core::Error &error)
{
    if (action == Saga::SagaExplorer::Action::Start) {
        if (!m_startDialog)
            return;
        m_startDialog->setBusy(false);
        if (!error.isNull()) {
            m_startDialog->showError(error.toString());
            return;
        }
        Saga::MachineSettings s = m_store->load(m_machineArn);
        s.lastInput = m_startInput;
        m_store->save(m_machineArn, s);
        m_startDialog->accept();
        Q_EMIT statusMessage(tr("Started %1").arg(arn));
        Q_EMIT started(arn);
        return;
    }
    Q_EMIT busy(QString());
    const bool stop = action == Saga::SagaExplorer::Action::Stop;
    if (!error.isNull()) {
        Q_EMIT message(
            tr("Could not %1 the execution: %2").arg(stop ? tr("stop") : tr("redrive"), error.toString()), true);
        return;
    }
    Q_EMIT statusMessage(stop ? tr("Stopped %1").arg(arn) : tr("Redriven %1").arg(arn));
    m_loaded.remove(arn);
    Q_EMIT executionChanged(arn);
}

void SagaActions::compare(const QStringList &executionArns)
{
    if (executionArns.size() != 2) {
        Q_EMIT message(tr("Select two executions in the list (Ctrl+click) to compare them."), true);
        return;
    }
    if (!m_explorer)
        return;
    m_compareArns = executionArns;
    bool waiting = false;
    for (const QString &arn : executionArns)
        if (!m_loaded.contains(arn)) {
            m_explorer->loadExecution(arn);
            waiting = true;
        }
    if (!waiting)
        showCompare();
}

void SagaActions::onExecutionLoaded(
    const QString &arn, const Saga::LoadedExecution &execution, const Core::Error &error)
{
    if (!m_compareArns.contains(arn))
        return;
    if (!error.isNull()) {
        m_compareArns.clear();
        Q_EMIT message(tr("Could not read %1 to compare: %2").arg(arn, error.toString()), true);
        return;
    }
    m_loaded.insert(arn, execution);
    showCompare();
}

void SagaActions::showCompare()
{
    if (m_compareArns.size() != 2 || !m_loaded.contains(m_compareArns.at(0)) || !m_loaded.contains(m_compareArns.at(1)))
        return;
    const Saga::LoadedExecution a = m_loaded.value(m_compareArns.at(0));
    const Saga::LoadedExecution b = m_loaded.value(m_compareArns.at(1));
    m_compareArns.clear();
    auto *dialog = new QDialog(m_dialogParent);
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

void SagaActions::editSettings()
{
    if (!m_explorer)
        return;
    const Saga::LoadedMachine *m = m_explorer->machine(m_machineArn);
    if (!m)
        return;
    auto *dialog = new SagaSettingsDialog(
        m->name, m->graph, m->recordFromDefinition, m_store->load(m_machineArn), m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, arn = m_machineArn] {
        const Saga::MachineSettings s = dialog->settings();
        m_store->save(arn, s);
        if (arn != m_machineArn || !m_explorer)
            return;
        m_explorer->setRoleOverrides(arn, s.roles);
        forget();
        Q_EMIT settingsChanged(arn);
    });
    dialog->open();
}

} // namespace Bramble::Ui
