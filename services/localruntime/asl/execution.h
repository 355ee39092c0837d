#pragma once

#include "asl/taskrunner.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace Bramble::LocalRuntime {

// Where an execution can be picked up again: the top-level state about to be
// entered, its input, the workflow variables in force, and the id of the last
// history event written before that state was entered. Written when each
// top-level state is entered; a restart after a crash truncates the history
// to `lastEventId` and enters `state` again (a task in flight runs again, as
// AWS's at-least-once semantics allow); a redrive enters the failed state's
// checkpoint after an ExecutionRedriven event.
struct Checkpoint {
    QString state;
    QJsonValue input;
    QJsonObject variables;
    qint64 lastEventId = 0;

    QJsonObject toJson() const;
    static std::optional<Checkpoint> fromJson(const QJsonObject &object);
};

struct ExecutionSpec {
    QJsonObject definition; // validated by the caller (Saga::validate / CreateStateMachine)
    QString executionArn;
    QString name;
    QString stateMachineArn;
    QString stateMachineName;
    QString roleArn;
    QString testCase; // mock config test case, or empty
    QJsonValue input; // the execution input (any JSON value; {} when none was given)
    QDateTime startTime; // UTC; the context object's $$.Execution.StartTime
    double timeScale = 1.0; // Wait and Retry backoff durations are multiplied by this (0: no waiting)
    // Set to continue an execution: after a restart (redriveCount unchanged,
    // no new event first) or a redrive (redrive = true: ExecutionRedriven is
    // written first, with redriveCount, then `resume` is entered).
    std::optional<Checkpoint> resume;
    bool redrive = false;
    int redriveCount = 0;
    // Redrive only: the id of the last event of the history being redriven
    // (its ExecutionFailed/Aborted/TimedOut); ExecutionRedriven gets the next
    // id. 0: resume->lastEventId is taken.
    qint64 historyLastEventId = 0;
};

// How an execution ended, as DescribeExecution reports it.
struct ExecutionEnd {
    QString status; // SUCCEEDED, FAILED, TIMED_OUT, ABORTED
    QJsonValue output; // SUCCEEDED only
    QString error;
    QString cause;
};

// One run of an ASL (JSONPath) definition: every state type, the data-flow
// fields, intrinsic functions, the context object, Assign and variables,
// Retry/Catch, timeouts and heartbeats, Parallel and inline Map, writing the
// history events AWS writes (same types, ids, previousEventId links and
// *EventDetails members, input/output as JSON text). Asynchronous on the
// thread that owns it: Wait states and retry backoff use timers, tasks are
// TaskRunner jobs. Nothing here touches disk; the owner persists events and
// checkpoints as they are signalled. eventAppended and checkpointReached
// come from inside the interpreter: a slot may call stop(), but must not
// delete the execution (deleteLater() it, or delete it after finished()).
class Execution : public QObject {
    Q_OBJECT
public:
    Execution(ExecutionSpec spec, TaskRunner *runner, QObject *parent = nullptr);
    ~Execution() override;

    // Runs until the first wait (a task, a Wait, a backoff) before it
    // returns: events are signalled from inside start(), so connect first.
    void start();
    // StopExecution: cancels what runs and ends with ExecutionAborted
    // (written before stop() returns; finished() follows from the event loop).
    void stop(const QString &error, const QString &cause);

    bool isRunning() const;
    const ExecutionSpec &spec() const;
    qint64 lastEventId() const;

Q_SIGNALS:
    // One history event, as GetExecutionHistory returns it: "id",
    // "previousEventId", "timestamp" (epoch seconds, a double with
    // milliseconds), "type" and its "<type>EventDetails" member.
    void eventAppended(const QJsonObject &event);
    // Just before a top-level state's *StateEntered event is signalled.
    void checkpointReached(const Bramble::LocalRuntime::Checkpoint &checkpoint);
    // Emitted from the event loop after the terminal event (the owner may
    // delete the execution in its slot).
    void finished(const Bramble::LocalRuntime::ExecutionEnd &end);
    // A Task/Parallel/Map failed and will be retried after `delaySeconds`
    // (the Retry formula's value, with jitter, before timeScale applies);
    // `retry` counts the retries of this visit from 1. No history event
    // covers a backoff: this is for tests and progress displays.
    void retryScheduled(const QString &state, int retry, double delaySeconds);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Bramble::LocalRuntime

Q_DECLARE_METATYPE(Bramble::LocalRuntime::Checkpoint)
Q_DECLARE_METATYPE(Bramble::LocalRuntime::ExecutionEnd)
