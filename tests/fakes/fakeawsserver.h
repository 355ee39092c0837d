#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QUrl>

#include <climits>
#include <memory>

class QTcpServer;
class QTcpSocket;

namespace Bramble::Test {

// AWS Step Functions and DynamoDB over the real wire protocol (AWS JSON 1.0:
// POST / with X-Amz-Target "AWSStepFunctions.<Op>" or "DynamoDB_20120810.<Op>"),
// for tests, screenshots and demos. Proven against the aws CLI v1
// (tst_fakeawsserver).
//
// - HTTP/1.1 with keep-alive on 127.0.0.1. A request must carry an
//   "Authorization: AWS4-HMAC-SHA256 ..." header (the signature is not
//   checked) or gets 400 MissingAuthenticationToken. The region is the one of
//   the header's credential scope; state machines, executions and tables
//   live per region. Account 123456789012.
// - Errors as AWS sends them: HTTP 400, application/x-amz-json-1.0,
//   {"__type": "ExecutionDoesNotExist", "message": "..."} (DynamoDB types carry
//   the "com.amazonaws.dynamodb.v20120810#" prefix, as DynamoDB does).
// - Step Functions: CreateStateMachine, ListStateMachines, DescribeStateMachine,
//   DescribeStateMachineForExecution, ListExecutions (statusFilter,
//   redriveFilter), DescribeExecution, GetExecutionHistory (maxResults 0 -> 100,
//   at most 1000, reverseOrder, includeExecutionData), StartExecution,
//   StopExecution, RedriveExecution. DynamoDB: CreateTable, DescribeTable,
//   ListTables, GetItem, PutItem, DeleteItem. Timestamps are epoch seconds
//   with a fraction (JSON numbers); nextTokens are opaque.
//
// StartExecution runs a simulator over the definition (Task, Pass, Choice,
// Wait, Succeed, Fail, Parallel with its branches run one after the other)
// that writes the history AWS would, and releases it one event every
// tickMs() (0: all at once). Tasks are not executed: the state's name
// decides. Failure model, read from the execution input
// $.Payload.TransactionDetails:
//   simulateFail: true  the Task named failAt (default "CommitRecords"; a Task
//                        named failAt + "Task" also matches, for CDK wrappers)
//                        fails with error "SimulatedFailure"
//   failRollback: NAME   the Task NAME (or NAME + "Task") fails when it runs
//   retries: N           the failing step fails N times with the error its
//                        first Retry names (a transient one), then succeeds,
//                        if its Retry allows that many; else the Catch runs
// Side effect on table SagaTransactions (created with every state machine),
// key TransactionId (S) = $.Payload.TransactionDetails.TransactionId: a
// succeeded Task X puts attribute X = "<X> sample data"; a succeeded Task whose
// name contains "Rollback" removes the attribute named without it (so
// "ProcessRecordsRollbackTask" undoes "ProcessRecordsTask"), deleting the item
// when only its key is left. Effects happen as their TaskSucceeded is released.
// RedriveExecution resumes at the top-level state that was running when the
// execution ended, with the failure model switched off. Not simulated: Map
// states (the execution fails with States.Runtime), Retry on Parallel states,
// TimeoutSeconds, intrinsic functions and the $$ context object (null).
//
// In-process: lives on the thread that created it, driven by its event loop;
// keep the loop running while a client talks to it (QSignalSpy::wait, QTRY_*).
class FakeAwsServer : public QObject {
    Q_OBJECT

public:
    static constexpr const char *Account = "123456789012";
    static constexpr const char *SagaTable = "SagaTransactions";

    // One execution as the server holds it.
    struct Execution {
        QString arn;
        QString stateMachineArn;
        QString name;
        QString region;
        QString status; // RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
        QDateTime startDate;
        QDateTime stopDate; // invalid while running
        QDateTime redriveDate; // invalid unless redriven
        QString input;
        QString output; // when SUCCEEDED
        QString error; // when FAILED / ABORTED / TIMED_OUT
        QString cause;
        int redriveCount = 0;
        QJsonArray events; // released so far, in id order
        int pendingEvents = 0; // simulated, not released yet
    };

    // How a simulated execution runs (C++ API only).
    struct StartOptions {
        // Set: timestamps follow this start on a simulated clock (realistic
        // durations), for histories in the past. Invalid: the wall clock.
        QDateTime startDate;
        // Milliseconds between released events; -2: tickMs(); -1: held until
        // releaseEvents(); 0: all at once.
        int tickMs = -2;
    };

    explicit FakeAwsServer(QObject *parent = nullptr);
    ~FakeAwsServer() override;

    // On 127.0.0.1; port 0 picks a free one.
    bool listen(quint16 port = 0);
    QString errorString() const;
    quint16 port() const;
    QUrl endpoint() const; // http://127.0.0.1:PORT

    // Default spacing of released events for StartExecution (default 250 ms;
    // 0 = the whole history at once). Applies to executions started later.
    void setTickMs(int ms) { m_tickMs = qMax(0, ms); }
    int tickMs() const { return m_tickMs; }

    // Registers a state machine (and the SagaTransactions table of its region);
    // returns its ARN. An existing one of that name is replaced.
    QString addStateMachine(
        const QString &name, const QByteArray &definitionJson, const QString &region = QStringLiteral("us-east-1"));

    // A finished (or frozen running) execution with a ready-made history:
    // events with id, previousEventId, timestamp (epoch seconds), type and
    // details. status empty: derived from the last event. Returns its ARN,
    // empty when the state machine is unknown or the name taken.
    QString addExecution(
        const QString &stateMachineArn, const QString &name, const QJsonArray &events, const QString &status = {});

    // StartExecution from C++; returns the ARN, or empty with *error set
    // ("ExecutionAlreadyExists: ...").
    QString startExecution(const QString &stateMachineArn, const QString &name, const QString &input,
        const StartOptions &options, QString *error = nullptr);
    // Releases up to count held events at once; returns how many it released.
    int releaseEvents(const QString &executionArn, int count = INT_MAX);
    // StopExecution / RedriveExecution from C++; false (with *error) when AWS would refuse.
    bool stopExecution(
        const QString &executionArn, const QString &error = {}, const QString &cause = {}, QString *why = nullptr);
    bool redriveExecution(const QString &executionArn, QString *why = nullptr);

    QList<Execution> executions() const; // every region, in start order
    Execution execution(const QString &executionArn) const; // empty arn when unknown

    // DynamoDB, items in AttributeValue form ({"TransactionId": {"S": "1001"}, ...}).
    // putItem creates a missing table with the item's first attribute as hash key.
    void createTable(const QString &table, const QString &hashKey, const QString &region = QStringLiteral("us-east-1"));
    void putItem(const QString &table, const QJsonObject &item, const QString &region = QStringLiteral("us-east-1"));
    QJsonObject item(const QString &table, const QJsonObject &key,
        const QString &region = QStringLiteral("us-east-1")) const; // empty when absent

    // Requests answered for an operation ("GetExecutionHistory"), all when empty.
    int requestCount(const QString &operation = {}) const;

    // A history of at least minEvents (rounded up to 4k + 4) events for
    // loopDefinition(): Tick (Pass) and More (Choice) in a loop, then Done
    // (Succeed). For paging tests.
    static QByteArray loopDefinition();
    static QJsonArray loopHistory(int minEvents, const QDateTime &start);

Q_SIGNALS:
    void requestHandled(const QString &operation, int httpStatus);
    // Events were released, or the execution stopped.
    void executionChanged(const QString &executionArn);

private:
    struct StateMachine;
    struct Run;
    struct Table;
    struct Response;

    void onConnection();
    void onReadable(QTcpSocket *socket);
    Response handle(
        const QByteArray &target, const QByteArray &authorization, const QByteArray &body, QString *operation);
    Response stepFunctions(const QString &op, const QString &region, const QJsonObject &in);
    Response dynamoDb(const QString &op, const QString &region, const QJsonObject &in);

    Run *run(const QString &arn) const;
    void schedule(Run *run);
    void release(Run *run, int count);
    void applyEffect(Run *run, const QJsonObject &effect);
    Table *table(const QString &region, const QString &name) const;
    QString startRun(StateMachine *machine, const QString &name, const QString &input, const StartOptions &options,
        QString *errorType, QString *message);
    Execution snapshot(const Run &run) const;

    QTcpServer *m_server;
    int m_tickMs = 250;
    QMap<QString, std::shared_ptr<StateMachine>> m_machines; // by ARN
    QList<std::shared_ptr<Run>> m_runs; // in start order
    QHash<QString, Run *> m_runByArn;
    QMap<QString, std::shared_ptr<Table>> m_tables; // "region/name"
    QHash<QString, int> m_requests;
};

} // namespace Bramble::Test
