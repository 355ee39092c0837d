#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Bramble::Aws {

class AwsCall;
class AwsPager;
class AwsTransport;

struct StateMachineSummary {
    QString name;
    QString stateMachineArn;
    QString type; // "STANDARD" | "EXPRESS"
    QDateTime creationDate;

    static StateMachineSummary fromJson(const QJsonObject &json);
};

struct ExecutionHistoryOptions {
    int maxResults = 0; // page size, 1..1000; 0: the service default (100)
    bool reverseOrder = false;
    bool includeExecutionData = true;
    int maxItems = 0; // stop after this many events; 0: all (at most 25,000 exist)
};

// AWS Step Functions (JSON 1.0). Every call returns at once: an AwsCall for
// one request, an AwsPager for a listing that follows nextToken.
class StepFunctionsClient {
public:
    explicit StepFunctionsClient(AwsTransport *transport)
        : m_transport(transport)
    {
    }

    AwsPager *listStateMachines(int maxItems = 0);
    AwsCall *describeStateMachine(const QString &stateMachineArn);
    // The definition an execution ran (the machine may have changed since).
    AwsCall *describeStateMachineForExecution(const QString &executionArn);
    // statusFilter: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE, or empty for all.
    AwsPager *listExecutions(const QString &stateMachineArn, const QString &statusFilter = {}, int maxItems = 0);
    AwsCall *describeExecution(const QString &executionArn);
    AwsPager *getExecutionHistory(const QString &executionArn, const ExecutionHistoryOptions &options = {});
    // name empty: the service picks one. input: a JSON document (text), "{}" when empty.
    AwsCall *startExecution(const QString &stateMachineArn, const QString &name, const QString &input);
    AwsCall *stopExecution(const QString &executionArn, const QString &error = {}, const QString &cause = {});
    AwsCall *redriveExecution(const QString &executionArn);

private:
    AwsTransport *m_transport;
};

// Timestamps in the JSON protocols are seconds since the epoch, with a fraction.
QDateTime awsTimestamp(const QJsonValue &value);

} // namespace Bramble::Aws
