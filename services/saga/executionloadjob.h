#pragma once

#include "core/job.h"
#include "saga/aslgraph.h"
#include "saga/executionentry.h"
#include "saga/incrementalanalysis.h"
#include "saga/sagaanalysis.h"

#include <QJsonObject>
#include <QMetaType>
#include <QPointer>
#include <QString>

namespace Bramble::Aws {
class StepFunctionsClient;
}

namespace Bramble::Saga {

// One execution read in full: DescribeExecution, the definition it ran and
// its whole history, analysed with the machine's roles (overrides applied).
struct LoadedExecution {
    ExecutionEntry entry; // outcome fields filled from the analysis
    QString definitionText; // the definition the analysis used
    StateGraph graph; // parsed from it
    bool ranEarlierDefinition = false; // the state machine has been updated since
    SagaAnalysis analysis;
    HistoryStats stats; // events and largest payload, for the gauges

    // Takes an analysis of the history (noted when it ran an earlier
    // definition) and its statistics; fills the entry's outcome fields.
    void setAnalysis(SagaAnalysis analysis, const HistoryStats &historyStats);
};

struct ExecutionLoadRequest {
    QString executionArn;
    // The state machine's current definition, when the caller has it: an
    // execution that ran another one is then marked ranEarlierDefinition.
    QJsonObject currentDefinition;
    RoleOverrides overrides;
    int pageSize = 1000; // GetExecutionHistory maxResults
};

// Reads one execution (a Core::Job): DescribeExecution, then the definition
// the execution ran (DescribeStateMachineForExecution; where the service
// cannot say, an older endpoint or no permission, the state machine's
// current definition from DescribeStateMachine), then the history page by
// page, each page analysed as it arrives (IncrementalAnalysis). Progress
// counts the events read. The client must outlive the job. One thread.
class ExecutionLoadJob : public Core::ValueJob<LoadedExecution> {
    Q_OBJECT
public:
    ExecutionLoadJob(Aws::StepFunctionsClient *client, ExecutionLoadRequest request, QObject *parent = nullptr);
    ~ExecutionLoadJob() override;

    const ExecutionLoadRequest &request() const { return m_request; }
    // After success: the analysis state, to go on with the events a follower
    // brings (IncrementalAnalysis::append). Moved out: call once.
    IncrementalAnalysis takeIncrementalAnalysis() { return std::move(m_analysis); }

protected:
    void begin() override;
    void abort() override;

private:
    void describeExecution();
    void readRanDefinition();
    void readCurrentDefinition();
    void useDefinition(const QString &text, const QString &answeredName); // empty: the name from the ARN
    void readHistory();
    void complete();

    Aws::StepFunctionsClient *m_client;
    ExecutionLoadRequest m_request;
    QPointer<QObject> m_inFlight; // the AwsCall or AwsPager under way
    LoadedExecution m_loaded;
    IncrementalAnalysis m_analysis;
};

} // namespace Bramble::Saga

Q_DECLARE_METATYPE(Bramble::Saga::LoadedExecution)
