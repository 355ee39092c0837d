#pragma once

#include "aws/awserror.h"
#include "aws/stepfunctionsclient.h"
#include "saga/aslgraph.h"
#include "saga/executionentry.h"
#include "saga/executionloadjob.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"
#include "saga/transactionrecord.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

namespace Bramble::Aws {
class AwsCall;
class AwsPager;
class AwsSession;
class AwsTransport;
class DynamoDbClient;
} // namespace Bramble::Aws

namespace Bramble::Saga {

class ExecutionFollower;

// A state machine as the Sagas pane shows it: its definition parsed, and
// where its transaction record is according to the definition.
struct LoadedMachine {
    QString arn;
    QString name;
    QString type; // STANDARD | EXPRESS
    QString definitionText;
    QJsonObject definition;
    StateGraph graph;
    RecordSource recordFromDefinition;
};

// The Sagas pane's (and bramblectl's) view of Step Functions in one session:
// lists state machines and executions, reads a machine's definition and an
// execution's history, works out every listed execution's input and saga
// outcome in the background, reads the transaction record from DynamoDB, and
// starts, stops and redrives executions. No widgets.
//
// Each request answers with one signal that names what it was for, so a
// caller that moved on (another machine selected) ignores stale answers; a
// new listExecutions() cancels the previous listing and its detail loading.
//
// Execution details (DescribeExecution for the input, GetExecutionHistory
// without data for the outcome) are fetched `concurrency` at a time, newest
// first; those of finished executions are cached by ARN and redrive count,
// so relisting costs one ListExecutions.
//
// The transport must outlive the explorer. GUI/main thread.
class SagaExplorer : public QObject {
    Q_OBJECT

public:
    enum class Action { Start, Stop, Redrive };
    Q_ENUM(Action)

    explicit SagaExplorer(Aws::AwsTransport *transport, QObject *parent = nullptr);

    // How a pane gets an explorer on a session (the window hands it one).
    using Factory = std::function<SagaExplorer *(Aws::AwsSession *session, QObject *parent)>;
    // An explorer on the session's transport.
    static Factory defaultFactory();
    ~SagaExplorer() override;

    Aws::StepFunctionsClient *stepFunctions() const { return m_sfn.get(); }

    void listStateMachines();
    // DescribeStateMachine, parsed; cached: machineLoaded() comes at once
    // (queued) for a machine already loaded, unless reload is set.
    void loadMachine(const QString &machineArn, bool reload = false);
    const LoadedMachine *machine(const QString &machineArn) const;

    // The user's roles for a machine; applies to every analysis from now on.
    void setRoleOverrides(const QString &machineArn, const RoleOverrides &overrides);
    SagaRoles roles(const QString &machineArn) const;
    // The same overrides applied to another version of the machine's definition.
    SagaRoles roles(const StateGraph &graph, const QString &machineArn) const;

    // ListExecutions (newest first, at most maxItems), then the details of
    // each, emitted one by one through executionUpdated(). Needs the machine
    // loaded for outcomes (loads it when not).
    void listExecutions(const QString &machineArn, const QString &statusFilter = {}, int maxItems = 200);
    void cancelListing();
    bool isLoadingDetails() const { return !m_detailQueue.isEmpty() || m_detailsInFlight > 0; }
    void setConcurrency(int calls) { m_concurrency = qMax(1, calls); }

    // A job that reads an execution (ExecutionLoadJob) with this explorer's
    // knowledge of its state machine: the current definition when loaded
    // (to tell an execution that ran an earlier one) and the role overrides.
    // Not started; owned by parent until it finishes (then it deletes itself).
    ExecutionLoadJob *createLoadJob(const QString &executionArn, QObject *parent = nullptr) const;
    // The same job, started; answers with executionLoaded().
    void loadExecution(const QString &executionArn);
    // Analysis of events from a follower or a saved history, with the
    // machine's roles. The machine must be loaded.
    SagaAnalysis analyse(const QString &machineArn, const QList<QJsonObject> &events) const;
    // The same against the definition an execution ran (LoadedExecution::graph).
    SagaAnalysis analyse(const StateGraph &graph, const QString &machineArn, const QList<QJsonObject> &events) const;
    // A follower on this explorer's client, owned by parent.
    ExecutionFollower *follow(const QString &executionArn, QObject *parent);

    // GetItem (consistent read) for one execution's record.
    void fetchRecord(const QString &executionArn, const QString &table, const QJsonObject &key);

    void startExecution(const QString &machineArn, const QString &name, const QString &input);
    void stopExecution(const QString &executionArn, const QString &cause = {});
    void redriveExecution(const QString &executionArn);

Q_SIGNALS:
    void stateMachinesListed(
        const QList<Bramble::Aws::StateMachineSummary> &machines, const Bramble::Core::Error &error);
    void machineLoaded(const QString &machineArn, const Bramble::Core::Error &error);
    void executionsListed(const QString &machineArn, const QList<Bramble::Saga::ExecutionEntry> &executions,
        const Bramble::Core::Error &error);
    // An entry of the last listing with its input and/or outcome now known.
    void executionUpdated(const Bramble::Saga::ExecutionEntry &entry);
    void detailsProgress(int done, int total);
    void executionLoaded(const QString &executionArn, const Bramble::Saga::LoadedExecution &execution,
        const Bramble::Core::Error &error);
    void recordFetched(
        const QString &executionArn, const QJsonObject &item, bool found, const Bramble::Core::Error &error);
    // resultArn: the new execution's ARN for Start, else the execution's.
    void actionFinished(
        Bramble::Saga::SagaExplorer::Action action, const QString &resultArn, const Bramble::Core::Error &error);

private:
    struct DetailJob;
    void pumpDetails();
    void finishDetail(const std::shared_ptr<DetailJob> &job);
    QString cacheKey(const ExecutionEntry &e) const;
    bool ensureMachine(const QString &machineArn, const std::function<void()> &then);

    std::unique_ptr<Aws::StepFunctionsClient> m_sfn;
    std::unique_ptr<Aws::DynamoDbClient> m_ddb;
    QHash<QString, LoadedMachine> m_machines;
    QHash<QString, RoleOverrides> m_overrides;
    QHash<QString, QList<std::function<void()>>> m_waitingForMachine;

    QPointer<Aws::AwsPager> m_listing;
    int m_generation = 0;
    QList<ExecutionEntry> m_detailQueue;
    QList<QPointer<QObject>> m_detailCalls;
    int m_detailsInFlight = 0;
    int m_detailsDone = 0;
    int m_detailsTotal = 0;
    int m_concurrency = 4;
    QHash<QString, ExecutionEntry> m_detailCache; // finished executions, by cacheKey()
};

} // namespace Bramble::Saga

Q_DECLARE_METATYPE(Bramble::Saga::ExecutionEntry)
