#pragma once

#include "core/job.h"

#include <QJsonValue>
#include <QString>

namespace Bramble::LocalRuntime {

// What the interpreter asks of a Task state: everything the runner needs to
// pick a backend (the resource, the function name inside the parameters) and
// to count invocations (mock configs number them per execution and state).
struct TaskRequest {
    QString executionArn;
    QString stateMachineArn;
    QString stateMachineName;
    QString testCase; // the mock config test case chosen at start ("ARN#Case"), or empty
    QString stateName; // the Task state's name (inside a Map or Parallel: the inner state's)
    QString resource; // as written in the definition
    QJsonValue parameters; // the effective input: after InputPath and Parameters
    int attempt = 0; // 0 for the first try, n for the n-th retry
    int timeoutSeconds = 0; // 0: none
};

// How a task ended. A task that raised an error is a successful *job* whose
// outcome is not ok: `error` is the name Retry/Catch match on
// ("Lambda.ResourceNotFoundException", "DynamoDB.ConditionalCheckFailedException",
// "States.TaskFailed", a function's errorType) and `cause` the text AWS puts
// beside it. A job that fails (Core::Error) means the runner itself broke;
// the interpreter reports it as States.TaskFailed with the error as cause.
struct TaskOutcome {
    bool ok = true;
    QJsonValue output; // the task's result, shaped as AWS shapes it for the resource
    QString error;
    QString cause;

    static TaskOutcome success(QJsonValue value)
    {
        TaskOutcome o;
        o.output = std::move(value);
        return o;
    }
    static TaskOutcome failure(QString errorName, QString causeText)
    {
        TaskOutcome o;
        o.ok = false;
        o.error = std::move(errorName);
        o.cause = std::move(causeText);
        return o;
    }
};

using TaskCall = Core::ValueJob<TaskOutcome>;

// Runs Task states. call() returns a job that is not started yet; the
// interpreter starts it, cancels it when the execution stops or times the
// task out, and reads its outcome. Lives on the interpreter's thread.
class TaskRunner {
public:
    virtual ~TaskRunner() = default;
    virtual TaskCall *call(const TaskRequest &request) = 0;
};

} // namespace Bramble::LocalRuntime
