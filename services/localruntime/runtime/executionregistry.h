#pragma once

#include "asl/execution.h"
#include "runtime/sfnstore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace Bramble::LocalRuntime {

class TaskRunner;

// The executions running in this process: one asl/Execution each, on the
// runtime's thread, their events, checkpoints and ends written to the
// SfnStore as they are signalled. Does not own the store or the runner.
class ExecutionRegistry : public QObject {
    Q_OBJECT
public:
    ExecutionRegistry(SfnStore *store, TaskRunner *runner, double timeScale, QObject *parent = nullptr);
    ~ExecutionRegistry() override;

    // Runs an execution whose record is stored with status RUNNING. `resume`:
    // continue from a checkpoint (after a restart, or with `redrive` a redrive).
    // False with *error when the stored definition cannot be read.
    bool launch(const ExecutionRecord &record, std::optional<Checkpoint> resume, bool redrive, QString *error);
    // Resumes every stored RUNNING execution (at start): its history is cut
    // back to its checkpoint and the checkpoint's state entered again; one
    // without a checkpoint starts over. Returns how many run.
    int resumeAll();

    bool isRunning(const QString &executionArn) const;
    int runningCount() const { return int(m_running.size()); }
    // StopExecution: the execution ends ABORTED (its end is stored when it
    // signals it). False when it does not run here.
    bool stop(const QString &executionArn, const QString &error, const QString &cause);
    // Drops every running execution without storing anything more (the
    // runtime is closing; they resume at the next start).
    void detachAll();

Q_SIGNALS:
    void executionChanged(const QString &executionArn);
    // It ended (after its end was stored).
    void executionEnded(const QString &executionArn);

private:
    void onFinished(Execution *execution, qint64 seq, const ExecutionEnd &end);
    void recordTerminalEvent(const QString &executionArn, const QJsonObject &event);
    // Stores how it ended (stopDate 0: now) unless that is stored already.
    void storeEnd(const QString &executionArn, const ExecutionEnd &end, double stopDate);

    SfnStore *m_store;
    TaskRunner *m_runner;
    double m_timeScale;
    QHash<QString, QPointer<Execution>> m_running;
};

} // namespace Bramble::LocalRuntime
