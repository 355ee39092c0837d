#pragma once

#include "saga/sagaanalysis.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Bramble::Saga {

// One row of a state machine's execution list: what ListExecutions says,
// completed later by the SagaExplorer with DescribeExecution (the input) and
// the analysed history (the saga outcome). Plain data; models show it.
struct ExecutionEntry {
    QString name;
    QString executionArn;
    QString stateMachineArn;
    QString status; // as ListExecutions spells it: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE
    QDateTime startDate; // UTC
    QDateTime stopDate; // invalid while running
    int redriveCount = 0;

    // DescribeExecution: the input document (text), once loaded.
    bool inputLoaded = false;
    QString input;

    // The analysed history, once loaded (see SagaExplorer::analyseExecutions).
    bool outcomeLoaded = false;
    SagaOutcome outcome = SagaOutcome::Running;
    bool compensating = false;
    QString failedStep;
    QStringList dangling;
    QString outcomeSentence; // outcomeSentence() of the analysis
    QString loadError; // why input or outcome could not be loaded, empty otherwise

    // A ListExecutions "executions" item (or a DescribeExecution answer:
    // its input is taken too).
    static ExecutionEntry fromJson(const QJsonObject &json);

    // Fills the outcome fields (outcomeLoaded, outcome, compensating,
    // failedStep, dangling, outcomeSentence) from an analysis.
    void setAnalysis(const SagaAnalysis &analysis);

    bool isRunning() const;
    // This is an older picture of the same execution than `known`: it runs
    // (or waits for a redrive) where `known` has ended, at the same or an
    // earlier redrive. An execution only runs again through a redrive, which
    // counts up, so an answer that was on the wire while the execution ended
    // must not bring it back to life in the list.
    bool isStaleBeside(const ExecutionEntry &known) const;
};

// Step Functions' rule for an execution name (StartExecution "name"): 1 to
// 80 characters, no whitespace, control characters or any of
// < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /. Empty when valid, else why not.
constexpr int MaxExecutionNameLength = 80;
QString executionNameProblem(const QString &name);

} // namespace Bramble::Saga
