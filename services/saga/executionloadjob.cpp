#include "saga/executionloadjob.h"

#include "aws/awspager.h"
#include "aws/awstransport.h"
#include "aws/stepfunctionsclient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Bramble::Saga {

namespace {

// "arn:aws:states:us-east-1:123:stateMachine:Name" -> "Name"
QString machineName(const QString &machineArn)
{
    return machineArn.section(u':', 6, 6);
}

} // namespace

void LoadedExecution::setAnalysis(SagaAnalysis a, const HistoryStats &historyStats)
{
    if (ranEarlierDefinition)
        a.notes.append(
            QStringLiteral("it ran an earlier version of the definition; it is shown and analysed with that one"));
    analysis = std::move(a);
    stats = historyStats;
    entry.setAnalysis(analysis);
}

ExecutionLoadJob::ExecutionLoadJob(Aws::StepFunctionsClient *client, ExecutionLoadRequest request, QObject *parent)
    : Core::ValueJob<LoadedExecution>(parent)
    , m_client(client)
    , m_request(std::move(request))
{
    qRegisterMetaType<Bramble::Saga::LoadedExecution>();
}

ExecutionLoadJob::~ExecutionLoadJob()
{
    abort();
}

void ExecutionLoadJob::begin()
{
    describeExecution();
}

void ExecutionLoadJob::abort()
{
    if (!m_inFlight)
        return;
    m_inFlight->disconnect(this);
    QMetaObject::invokeMethod(m_inFlight, "cancel");
    m_inFlight = nullptr;
}

void ExecutionLoadJob::describeExecution()
{
    Aws::AwsCall *call = m_client->describeExecution(m_request.executionArn);
    m_inFlight = call;
    connect(call, &Aws::AwsCall::finished, this, [this, call] {
        m_inFlight = nullptr;
        const Aws::AwsResponse &r = call->response();
        if (!r.ok()) {
            fail(r.error);
            return;
        }
        m_loaded.entry = ExecutionEntry::fromJson(r.json);
        reportProgress(0, -1, tr("reading the definition"));
        readRanDefinition();
    });
}

void ExecutionLoadJob::readRanDefinition()
{
    Aws::AwsCall *call = m_client->describeStateMachineForExecution(m_request.executionArn);
    m_inFlight = call;
    connect(call, &Aws::AwsCall::finished, this, [this, call] {
        m_inFlight = nullptr;
        const Aws::AwsResponse &r = call->response();
        const QString text = r.json.value(QStringLiteral("definition")).toString();
        if (!r.ok() || text.isEmpty()) {
            // An older endpoint, or no permission: the current definition serves.
            readCurrentDefinition();
            return;
        }
        const QJsonObject ran = QJsonDocument::fromJson(text.toUtf8()).object();
        m_loaded.ranEarlierDefinition
            = !m_request.currentDefinition.isEmpty() && !ran.isEmpty() && ran != m_request.currentDefinition;
        useDefinition(text, r.json.value(QStringLiteral("name")).toString());
        readHistory();
    });
}

void ExecutionLoadJob::readCurrentDefinition()
{
    Aws::AwsCall *call = m_client->describeStateMachine(m_loaded.entry.stateMachineArn);
    m_inFlight = call;
    connect(call, &Aws::AwsCall::finished, this, [this, call] {
        m_inFlight = nullptr;
        const Aws::AwsResponse &r = call->response();
        if (!r.ok()) {
            fail(r.error);
            return;
        }
        useDefinition(
            r.json.value(QStringLiteral("definition")).toString(), r.json.value(QStringLiteral("name")).toString());
        readHistory();
    });
}

void ExecutionLoadJob::useDefinition(const QString &text, const QString &answeredName)
{
    // An answer without the machine's name: the name from its ARN.
    const QString name = answeredName.isEmpty() ? machineName(m_loaded.entry.stateMachineArn) : answeredName;
    m_loaded.definitionText = text;
    m_loaded.graph = parseDefinition(text.toUtf8(), name);
    m_analysis = IncrementalAnalysis(m_loaded.graph, deriveRoles(m_loaded.graph, m_request.overrides));
}

void ExecutionLoadJob::readHistory()
{
    Aws::ExecutionHistoryOptions options;
    options.maxResults = m_request.pageSize;
    Aws::AwsPager *pager = m_client->getExecutionHistory(m_request.executionArn, options);
    m_inFlight = pager;
    reportProgress(0, -1, tr("reading the history"));
    connect(pager, &Aws::AwsPager::pageReceived, this, [this](const QJsonArray &items) {
        m_analysis.append(Aws::objectItems(items));
        const int read = m_analysis.stats().eventCount;
        reportProgress(read, -1, tr("%1 events read").arg(read));
    });
    connect(pager, &Aws::AwsPager::finished, this, [this, pager] {
        m_inFlight = nullptr;
        if (!pager->error().isNull()) {
            fail(pager->error());
            return;
        }
        complete();
    });
}

void ExecutionLoadJob::complete()
{
    m_loaded.setAnalysis(m_analysis.analysis(), m_analysis.stats());
    succeedWith(std::move(m_loaded));
}

} // namespace Bramble::Saga
