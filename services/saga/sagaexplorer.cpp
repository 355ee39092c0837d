#include "saga/sagaexplorer.h"

#include "aws/attributevalue.h"
#include "aws/awspager.h"
#include "aws/awssession.h"
#include "aws/awstransport.h"
#include "aws/dynamodbclient.h"
#include "saga/executionfollower.h"

#include <QJsonDocument>
#include <QTimer>

namespace Bramble::Saga {

namespace {

bool isTerminalStatus(const QString &status)
{
    return status == QLatin1String("SUCCEEDED") || status == QLatin1String("FAILED")
        || status == QLatin1String("TIMED_OUT") || status == QLatin1String("ABORTED");
}

Core::Error localError(const QString &operation, const QString &message)
{
    Core::Error e(Core::Error::Kind::Server, message);
    e.operation = operation;
    return e;
}

} // namespace

// The two calls that complete one listed execution.
struct SagaExplorer::DetailJob {
    int generation = 0;
    ExecutionEntry entry;
    int pending = 2;
    QList<QJsonObject> events;
    QString error;
};

SagaExplorer::SagaExplorer(Aws::AwsTransport *transport, QObject *parent)
    : QObject(parent)
    , m_sfn(std::make_unique<Aws::StepFunctionsClient>(transport))
    , m_ddb(std::make_unique<Aws::DynamoDbClient>(transport))
{
    qRegisterMetaType<Bramble::Saga::ExecutionEntry>();
}

SagaExplorer::Factory SagaExplorer::defaultFactory()
{
    return [](Aws::AwsSession *session, QObject *parent) { return new SagaExplorer(session->transport(), parent); };
}

SagaExplorer::~SagaExplorer()
{
    cancelListing();
}

void SagaExplorer::listStateMachines()
{
    Aws::AwsPager *pager = m_sfn->listStateMachines();
    connect(pager, &Aws::AwsPager::finished, this, [this, pager] {
        QList<Aws::StateMachineSummary> machines;
        for (const QJsonValue &v : pager->items())
            machines.append(Aws::StateMachineSummary::fromJson(v.toObject()));
        std::sort(machines.begin(), machines.end(),
            [](const auto &a, const auto &b) { return a.name.compare(b.name, Qt::CaseInsensitive) < 0; });
        Q_EMIT stateMachinesListed(machines, pager->error());
        pager->deleteLater();
    });
}

const LoadedMachine *SagaExplorer::machine(const QString &machineArn) const
{
    const auto it = m_machines.constFind(machineArn);
    return it == m_machines.cend() ? nullptr : &it.value();
}

void SagaExplorer::loadMachine(const QString &machineArn, bool reload)
{
    if (!reload && m_machines.contains(machineArn)) {
        QTimer::singleShot(0, this, [this, machineArn] { Q_EMIT machineLoaded(machineArn, {}); });
        return;
    }
    Aws::AwsCall *call = m_sfn->describeStateMachine(machineArn);
    connect(call, &Aws::AwsCall::finished, this, [this, call, machineArn] {
        const Aws::AwsResponse &r = call->response();
        Core::Error error = r.error;
        if (r.ok()) {
            LoadedMachine m;
            m.arn = machineArn;
            m.name = r.json.value(QStringLiteral("name")).toString();
            m.type = r.json.value(QStringLiteral("type")).toString();
            m.definitionText = r.json.value(QStringLiteral("definition")).toString();
            m.definition = QJsonDocument::fromJson(m.definitionText.toUtf8()).object();
            m.graph = parseDefinition(m.definitionText.toUtf8(), m.name);
            m.recordFromDefinition = recordSourceFromDefinition(m.definition);
            m_machines.insert(machineArn, m);
        }
        const QList<std::function<void()>> waiting = m_waitingForMachine.take(machineArn);
        Q_EMIT machineLoaded(machineArn, error);
        for (const auto &then : waiting)
            then();
    });
}

bool SagaExplorer::ensureMachine(const QString &machineArn, const std::function<void()> &then)
{
    if (m_machines.contains(machineArn)) {
        then();
        return true;
    }
    const bool first = !m_waitingForMachine.contains(machineArn);
    m_waitingForMachine[machineArn].append(then);
    if (first)
        loadMachine(machineArn, true);
    return false;
}

void SagaExplorer::setRoleOverrides(const QString &machineArn, const RoleOverrides &overrides)
{
    if (overrides.isEmpty())
        m_overrides.remove(machineArn);
    else
        m_overrides.insert(machineArn, overrides);
    // Cached outcomes were worked out with the old roles.
    for (auto it = m_detailCache.begin(); it != m_detailCache.end();)
        it = it->stateMachineArn == machineArn ? m_detailCache.erase(it) : std::next(it);
}

SagaRoles SagaExplorer::roles(const QString &machineArn) const
{
    const LoadedMachine *m = machine(machineArn);
    return m ? deriveRoles(m->graph, m_overrides.value(machineArn)) : SagaRoles();
}

SagaRoles SagaExplorer::roles(const StateGraph &graph, const QString &machineArn) const
{
    return deriveRoles(graph, m_overrides.value(machineArn));
}

SagaAnalysis SagaExplorer::analyse(const QString &machineArn, const QList<QJsonObject> &events) const
{
    const LoadedMachine *m = machine(machineArn);
    return analyse(m ? m->graph : StateGraph(), machineArn, events);
}

SagaAnalysis SagaExplorer::analyse(
    const StateGraph &graph, const QString &machineArn, const QList<QJsonObject> &events) const
{
    return analyzeSaga(graph, roles(graph, machineArn), buildTimeline(parseHistory(events)));
}

QString SagaExplorer::cacheKey(const ExecutionEntry &e) const
{
    return e.executionArn + u'#' + QString::number(e.redriveCount) + u'#' + e.status;
}

void SagaExplorer::cancelListing()
{
    ++m_generation;
    if (m_listing)
        m_listing->cancel();
    m_listing = nullptr;
    m_detailQueue.clear();
    for (const QPointer<QObject> &call : std::as_const(m_detailCalls))
        if (call)
            QMetaObject::invokeMethod(call, "cancel");
    m_detailCalls.clear();
    m_detailsInFlight = 0;
    m_detailsDone = m_detailsTotal = 0;
}

void SagaExplorer::listExecutions(const QString &machineArn, const QString &statusFilter, int maxItems)
{
    cancelListing();
    const int generation = m_generation;
    Aws::AwsPager *pager = m_sfn->listExecutions(machineArn, statusFilter, maxItems);
    m_listing = pager;
    connect(pager, &Aws::AwsPager::finished, this, [this, pager, machineArn, generation] {
        pager->deleteLater();
        if (generation != m_generation)
            return;
        m_listing = nullptr;
        QList<ExecutionEntry> entries;
        for (const QJsonValue &v : pager->items()) {
            ExecutionEntry e = ExecutionEntry::fromJson(v.toObject());
            if (e.stateMachineArn.isEmpty())
                e.stateMachineArn = machineArn;
            const auto cached = m_detailCache.constFind(cacheKey(e));
            if (cached != m_detailCache.cend())
                e = cached.value();
            entries.append(e);
        }
        Q_EMIT executionsListed(machineArn, entries, pager->error());
        if (!pager->error().isNull())
            return;
        for (const ExecutionEntry &e : std::as_const(entries))
            if (!e.inputLoaded || !e.outcomeLoaded)
                m_detailQueue.append(e);
        m_detailsTotal = int(m_detailQueue.size());
        m_detailsDone = 0;
        if (m_detailsTotal == 0)
            return;
        Q_EMIT detailsProgress(0, m_detailsTotal);
        ensureMachine(machineArn, [this, generation] {
            if (generation == m_generation)
                pumpDetails();
        });
    });
}

void SagaExplorer::pumpDetails()
{
    while (m_detailsInFlight < m_concurrency && !m_detailQueue.isEmpty()) {
        auto job = std::make_shared<DetailJob>();
        job->generation = m_generation;
        job->entry = m_detailQueue.takeFirst();
        ++m_detailsInFlight;

        Aws::AwsCall *describe = m_sfn->describeExecution(job->entry.executionArn);
        m_detailCalls.append(describe);
        connect(describe, &Aws::AwsCall::finished, this, [this, describe, job] {
            if (job->generation != m_generation)
                return;
            const Aws::AwsResponse &r = describe->response();
            if (r.ok()) {
                const ExecutionEntry fresh = ExecutionEntry::fromJson(r.json);
                job->entry.inputLoaded = true;
                job->entry.input = fresh.input;
                if (!fresh.status.isEmpty())
                    job->entry.status = fresh.status;
                if (fresh.stopDate.isValid())
                    job->entry.stopDate = fresh.stopDate;
            } else {
                job->error = r.error.toString();
            }
            finishDetail(job);
        });

        Aws::ExecutionHistoryOptions options;
        options.includeExecutionData = false;
        options.maxResults = 1000;
        Aws::AwsPager *history = m_sfn->getExecutionHistory(job->entry.executionArn, options);
        m_detailCalls.append(history);
        connect(history, &Aws::AwsPager::finished, this, [this, history, job] {
            history->deleteLater();
            if (job->generation != m_generation)
                return;
            if (history->error().isNull())
                job->events = Aws::objectItems(history->items());
            else
                job->error = history->error().toString();
            finishDetail(job);
        });
    }
}

void SagaExplorer::finishDetail(const std::shared_ptr<DetailJob> &job)
{
    if (--job->pending > 0)
        return;
    --m_detailsInFlight;
    ++m_detailsDone;
    ExecutionEntry &e = job->entry;
    if (job->error.isEmpty()) {
        e.setAnalysis(analyse(e.stateMachineArn, job->events));
        e.loadError.clear();
        if (isTerminalStatus(e.status))
            m_detailCache.insert(cacheKey(e), e);
    } else {
        e.loadError = job->error;
    }
    Q_EMIT executionUpdated(e);
    Q_EMIT detailsProgress(m_detailsDone, m_detailsTotal);
    pumpDetails();
}

ExecutionLoadJob *SagaExplorer::createLoadJob(const QString &executionArn, QObject *parent) const
{
    ExecutionLoadRequest request;
    request.executionArn = executionArn;
    // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME belongs to arn:...:stateMachine:MACHINE.
    const QString machineArn
        = executionArn.section(u':', 0, 4) + QStringLiteral(":stateMachine:") + executionArn.section(u':', 6, 6);
    if (const LoadedMachine *m = machine(machineArn))
        request.currentDefinition = m->definition;
    request.overrides = m_overrides.value(machineArn);
    return new ExecutionLoadJob(m_sfn.get(), request, parent);
}

void SagaExplorer::loadExecution(const QString &executionArn)
{
    ExecutionLoadJob *job = createLoadJob(executionArn, const_cast<SagaExplorer *>(this));
    connect(job, &Core::Job::finished, this, [this, job, executionArn] {
        Q_EMIT executionLoaded(executionArn, job->ok() ? job->value() : LoadedExecution(), job->error());
    });
    job->start();
}

ExecutionFollower *SagaExplorer::follow(const QString &executionArn, QObject *parent)
{
    return new ExecutionFollower(m_sfn.get(), executionArn, parent);
}

void SagaExplorer::fetchRecord(const QString &executionArn, const QString &table, const QJsonObject &key)
{
    Aws::AwsCall *call = m_ddb->getItem(table, key, true);
    connect(call, &Aws::AwsCall::finished, this, [this, call, executionArn] {
        const Aws::AwsResponse &r = call->response();
        if (!r.ok()) {
            Q_EMIT recordFetched(executionArn, {}, false, r.error);
            return;
        }
        const QJsonObject typed = r.json.value(QStringLiteral("Item")).toObject();
        QString error;
        const QJsonObject item = Aws::AttributeValue::itemToJson(typed, &error);
        if (!error.isEmpty()) {
            Q_EMIT recordFetched(executionArn, {}, false, localError(QStringLiteral("GetItem"), error));
            return;
        }
        Q_EMIT recordFetched(executionArn, item, r.json.contains(QStringLiteral("Item")), {});
    });
}

void SagaExplorer::startExecution(const QString &machineArn, const QString &name, const QString &input)
{
    Aws::AwsCall *call = m_sfn->startExecution(machineArn, name, input);
    connect(call, &Aws::AwsCall::finished, this, [this, call] {
        const Aws::AwsResponse &r = call->response();
        Q_EMIT actionFinished(Action::Start, r.json.value(QStringLiteral("executionArn")).toString(), r.error);
    });
}

void SagaExplorer::stopExecution(const QString &executionArn, const QString &cause)
{
    Aws::AwsCall *call = m_sfn->stopExecution(executionArn, QStringLiteral("Bramble.Stopped"), cause);
    connect(call, &Aws::AwsCall::finished, this,
        [this, call, executionArn] { Q_EMIT actionFinished(Action::Stop, executionArn, call->response().error); });
}

void SagaExplorer::redriveExecution(const QString &executionArn)
{
    Aws::AwsCall *call = m_sfn->redriveExecution(executionArn);
    connect(call, &Aws::AwsCall::finished, this,
        [this, call, executionArn] { Q_EMIT actionFinished(Action::Redrive, executionArn, call->response().error); });
}

} // namespace Bramble::Saga
