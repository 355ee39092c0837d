#pragma once

#include "runtime/apianswer.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace Bramble::LocalRuntime {

class ExecutionRegistry;
class SfnStore;
struct ExecutionRecord;
struct StateMachineRecord;

// The Step Functions operations (JSON 1.0, AWSStepFunctions.<Op>) over the
// store and the running executions, with the shapes and errors of the
// botocore model (stepfunctions 2016-11-23). Synchronous: every operation
// is a few SQLite statements; executions run on after StartExecution returns.
class SfnApi {
public:
    struct Context {
        QString region;
        QString account;
        // Whether the mock config has this test case for this machine name.
        std::function<bool(const QString &machine, const QString &testCase)> hasTestCase;
    };

    SfnApi(SfnStore *store, ExecutionRegistry *registry, Context context);

    // One operation by its name ("StartExecution") on its request body.
    ApiAnswer call(const QString &operation, const QJsonObject &request);

    // Machines (sfnmachineops.cpp).
    ApiAnswer createStateMachine(const QJsonObject &request);
    ApiAnswer updateStateMachine(const QJsonObject &request);
    ApiAnswer deleteStateMachine(const QJsonObject &request);
    ApiAnswer describeStateMachine(const QJsonObject &request);
    ApiAnswer listStateMachines(const QJsonObject &request);
    ApiAnswer validateStateMachineDefinition(const QJsonObject &request);
    ApiAnswer describeStateMachineForExecution(const QJsonObject &request);

    // Executions (sfnexecutionops.cpp).
    ApiAnswer startExecution(const QJsonObject &request);
    ApiAnswer stopExecution(const QJsonObject &request);
    ApiAnswer describeExecution(const QJsonObject &request);
    ApiAnswer listExecutions(const QJsonObject &request);
    ApiAnswer getExecutionHistory(const QJsonObject &request);
    ApiAnswer redriveExecution(const QJsonObject &request);

private:
    // The machine an ARN names, or the error to answer.
    bool findMachine(const QString &arn, StateMachineRecord *record, ApiAnswer *error);
    bool findExecution(const QString &arn, ExecutionRecord *record, ApiAnswer *error);
    // Why an ended execution cannot be redriven; empty when it can.
    QString notRedrivableReason(const ExecutionRecord &record);

    SfnStore *m_store;
    ExecutionRegistry *m_registry;
    Context m_context;
};

} // namespace Bramble::LocalRuntime
