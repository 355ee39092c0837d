#pragma once

#include "saga/executionloadjob.h"
#include "saga/sagaexplorer.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QWidget;

namespace Bramble::Saga {
class SagaSettingsStore;
}

namespace Bramble::Ui {

class StartExecutionDialog;

// What the Sagas pane does to executions and machines: start one (the start
// dialog, the last input remembered per machine), stop and redrive the shown
// one (after asking), compare two (read in full, side by side), and edit a
// machine's saga settings. Dialogs open over `dialogParent`. Each outcome is
// a signal the pane turns into a relisting or a reload.
class SagaActions : public QObject {
    Q_OBJECT

public:
    SagaActions(QWidget *dialogParent, Saga::SagaSettingsStore *store, QObject *parent = nullptr);

    // The explorer of the session (null: none); forgets executions read for comparing.
    void setExplorer(Saga::SagaExplorer *explorer);
    // The selected state machine: started from, and its settings edited.
    void setMachine(const QString &machineArn, const QString &name);
    // Remembers an execution read in full, so comparing it needs no new read.
    void remember(const Saga::LoadedExecution &execution);
    void forget();

    void openStartDialog();
    StartExecutionDialog *startDialog() const;
    void stop(const Saga::ExecutionEntry &execution, bool confirm);
    void redrive(const Saga::ExecutionEntry &execution, bool confirm);
    void compare(const QStringList &executionArns);
    void editSettings();

Q_SIGNALS:
    void started(const QString &executionArn);
    // Stopped or redriven: reload it and relist.
    void executionChanged(const QString &executionArn);
    // The machine's settings were saved (roles applied to the explorer).
    void settingsChanged(const QString &machineArn);
    void compareShown(QWidget *dialog);
    void busy(const QString &text); // empty: done
    void message(const QString &text, bool error);
    void statusMessage(const QString &text);

private:
    void onActionFinished(Saga::SagaExplorer::Action action, const QString &arn, const Core::Error &error);
    void onExecutionLoaded(const QString &arn, const Saga::LoadedExecution &execution, const Core::Error &error);
    void showCompare();

    QWidget *m_dialogParent;
    Saga::SagaSettingsStore *m_store;
    QPointer<Saga::SagaExplorer> m_explorer;
    QString m_machineArn;
    QString m_machineName;
    QPointer<StartExecutionDialog> m_startDialog;
    QString m_startInput;
    QHash<QString, Saga::LoadedExecution> m_loaded; // for comparing; cleared with the machine
    QStringList m_compareArns;
};

} // namespace Bramble::Ui
