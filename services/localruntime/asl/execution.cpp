#include "asl/execution.h"

#include "asl/engine.h"
#include "asl/jsonpathio.h"

#include <QDateTime>
#include <QMetaObject>

#include <algorithm>
#include <limits>

namespace Bramble::LocalRuntime {

using namespace Asl;

namespace {

// At most 25,000 events per execution; the last one must be the terminal event.
constexpr qint64 MaxEvents = 25000;

QString isoMs(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject truncatedFalse()
{
    return QJsonObject { { QStringLiteral("truncated"), false } };
}

} // namespace

// --- Checkpoint ---

QJsonObject Checkpoint::toJson() const
{
    return QJsonObject { { QStringLiteral("state"), state }, { QStringLiteral("input"), jsonText(input) },
        { QStringLiteral("variables"), variables }, { QStringLiteral("lastEventId"), double(lastEventId) } };
}

std::optional<Checkpoint> Checkpoint::fromJson(const QJsonObject &object)
{
    const QJsonValue state = object.value(u"state");
    const QJsonValue input = object.value(u"input");
    const QJsonValue variables = object.value(u"variables");
    const QJsonValue last = object.value(u"lastEventId");
    if (!state.isString() || state.toString().isEmpty() || !input.isString() || !last.isDouble() || last.toDouble() < 0
        || (!variables.isUndefined() && !variables.isObject()))
        return std::nullopt;
    Checkpoint c;
    c.state = state.toString();
    c.input = parseJsonText(input.toString());
    if (c.input.isUndefined())
        return std::nullopt;
    c.variables = variables.toObject();
    c.lastEventId = qint64(last.toDouble());
    return c;
}

// --- Engine ---

namespace Asl {

Engine::Engine(Execution *execution, ExecutionSpec s, TaskRunner *r)
    : q(execution)
    , spec(std::move(s))
    , runner(r)
{
    const QStringList arn = spec.stateMachineArn.split(u':');
    region = arn.size() > 3 && !arn.at(3).isEmpty() ? arn.at(3) : QStringLiteral("us-east-1");
    m_execution = QJsonObject { { QStringLiteral("Id"), spec.executionArn }, { QStringLiteral("Input"), spec.input },
        { QStringLiteral("Name"), spec.name }, { QStringLiteral("RoleArn"), spec.roleArn },
        { QStringLiteral("StartTime"),
            isoMs(spec.startTime.isValid() ? spec.startTime : QDateTime::currentDateTimeUtc()) },
        { QStringLiteral("RedriveCount"), spec.redriveCount } };
    m_stateMachine = QJsonObject { { QStringLiteral("Id"), spec.stateMachineArn },
        { QStringLiteral("Name"), spec.stateMachineName } };
    m_timeout.setSingleShot(true);
    QObject::connect(&m_timeout, &QTimer::timeout, q, [this] {
        if (m_ended)
            return;
        const int seconds = spec.definition.value(u"TimeoutSeconds").toInt();
        m_halted = true;
        if (m_top)
            m_top->cancel(false);
        end(QStringLiteral("ExecutionTimedOut"),
            QJsonObject { { QStringLiteral("error"), QStringLiteral("States.Timeout") },
                { QStringLiteral("cause"),
                    QStringLiteral("The execution ran longer than its TimeoutSeconds (%1 s)").arg(seconds) } },
            ExecutionEnd { QStringLiteral("TIMED_OUT"), {}, QStringLiteral("States.Timeout"), {} });
    });
}

Engine::~Engine()
{
    delete m_top;
}

qint64 Engine::append(const QString &type, qint64 previous, const QJsonObject &details, const QString &detailsKey)
{
    if (m_halted || m_ended)
        return lastId();
    if (m_nextId >= MaxEvents) {
        hitCap();
        return lastId();
    }
    QJsonObject e { { QStringLiteral("id"), double(m_nextId) }, { QStringLiteral("previousEventId"), double(previous) },
        { QStringLiteral("timestamp"), double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 },
        { QStringLiteral("type"), type } };
    if (!detailsKey.isEmpty())
        e.insert(detailsKey, details);
    else if (!details.isEmpty())
        e.insert(type.left(1).toLower() + QStringView(type).mid(1) + QStringLiteral("EventDetails"), details);
    const qint64 id = m_nextId++;
    Q_EMIT q->eventAppended(e);
    return id;
}

void Engine::hitCap()
{
    m_halted = true;
    // Let the state code on the stack unwind before the scopes go.
    QMetaObject::invokeMethod(
        q,
        [this] {
            if (m_ended)
                return;
            if (m_top)
                m_top->cancel(false);
            const QString cause
                = QStringLiteral("The execution reached the maximum number of history events (%1).").arg(MaxEvents);
            end(QStringLiteral("ExecutionFailed"),
                QJsonObject {
                    { QStringLiteral("error"), QStringLiteral("States.Runtime") }, { QStringLiteral("cause"), cause } },
                ExecutionEnd { QStringLiteral("FAILED"), {}, QStringLiteral("States.Runtime"), cause });
        },
        Qt::QueuedConnection);
}

void Engine::end(const QString &type, const QJsonObject &details, const ExecutionEnd &result, qint64 previous)
{
    if (m_ended)
        return;
    QJsonObject e { { QStringLiteral("id"), double(m_nextId) },
        { QStringLiteral("previousEventId"), double(previous < 0 ? lastId() : previous) },
        { QStringLiteral("timestamp"), double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 },
        { QStringLiteral("type"), type } };
    e.insert(type.left(1).toLower() + QStringView(type).mid(1) + QStringLiteral("EventDetails"), details);
    ++m_nextId;
    m_ended = true;
    m_halted = true;
    running = false;
    m_timeout.stop();
    if (m_top) {
        m_top->deleteLater();
        m_top = nullptr;
    }
    Q_EMIT q->eventAppended(e);
    QMetaObject::invokeMethod(
        q, [exec = q, result] { Q_EMIT exec->finished(result); }, Qt::QueuedConnection);
}

void Engine::start()
{
    if (running || m_ended)
        return;
    running = true;
    QString startState = spec.definition.value(u"StartAt").toString();
    QJsonValue input = spec.input;
    QJsonObject variables;
    qint64 previous = 0;
    if (spec.resume) {
        startState = spec.resume->state;
        input = spec.resume->input;
        variables = spec.resume->variables;
        m_nextId = spec.resume->lastEventId + 1;
        previous = spec.resume->lastEventId;
        if (spec.redrive) {
            if (spec.historyLastEventId > 0)
                m_nextId = spec.historyLastEventId + 1;
            previous = append(QStringLiteral("ExecutionRedriven"), lastId(),
                QJsonObject { { QStringLiteral("redriveCount"), spec.redriveCount } });
        }
    } else {
        append(QStringLiteral("ExecutionStarted"), 0,
            QJsonObject { { QStringLiteral("input"), jsonText(spec.input) },
                { QStringLiteral("inputDetails"), truncatedFalse() }, { QStringLiteral("roleArn"), spec.roleArn } });
        // The first state entered follows nothing (as AWS writes it).
        previous = 0;
    }
    const QJsonValue timeout = spec.definition.value(u"TimeoutSeconds");
    if (timeout.isDouble() && timeout.toDouble() > 0) {
        const QDateTime started = spec.startTime.isValid() ? spec.startTime : QDateTime::currentDateTimeUtc();
        const qint64 left = started.msecsTo(QDateTime::currentDateTimeUtc());
        m_timeout.start(int(std::clamp<qint64>(
            qint64(timeout.toDouble() * 1000) - (spec.redrive ? 0 : left), 0, std::numeric_limits<int>::max())));
    }
    m_top = new ScopeRun(this, spec.definition.value(u"States").toObject(), startState, input, previous, variables,
        true, [this](const Flow &flow) { topDone(flow); });
    m_top->start();
}

void Engine::topDone(const Flow &flow)
{
    if (flow.ok) {
        end(QStringLiteral("ExecutionSucceeded"),
            QJsonObject { { QStringLiteral("previous"), double(flow.last) },
                { QStringLiteral("output"), jsonText(flow.output) },
                { QStringLiteral("outputDetails"), truncatedFalse() } },
            ExecutionEnd { QStringLiteral("SUCCEEDED"), flow.output, {}, {} });
    } else {
        end(QStringLiteral("ExecutionFailed"),
            QJsonObject { { QStringLiteral("error"), flow.error }, { QStringLiteral("cause"), flow.cause } },
            ExecutionEnd { QStringLiteral("FAILED"), {}, flow.error, flow.cause }, flow.last);
    }
}

void Engine::stop(const QString &error, const QString &cause)
{
    if (m_ended)
        return;
    m_halted = true;
    if (m_top)
        m_top->cancel(false);
    QJsonObject details;
    if (!error.isEmpty())
        details.insert(QStringLiteral("error"), error);
    if (!cause.isEmpty())
        details.insert(QStringLiteral("cause"), cause);
    end(QStringLiteral("ExecutionAborted"), details, ExecutionEnd { QStringLiteral("ABORTED"), {}, error, cause });
}

void Engine::checkpoint(const QString &state, const QJsonValue &input, const QJsonObject &variables)
{
    if (m_halted)
        return;
    Q_EMIT q->checkpointReached(Checkpoint { state, input, variables, lastId() });
}

void Engine::retryPlanned(const QString &state, int retry, double delaySeconds)
{
    Q_EMIT q->retryScheduled(state, retry, delaySeconds);
}

QJsonObject Engine::context(
    const QString &stateName, const QString &enteredTime, int retryCount, const std::optional<MapItem> &item) const
{
    QJsonObject c { { QStringLiteral("Execution"), m_execution }, { QStringLiteral("StateMachine"), m_stateMachine },
        { QStringLiteral("State"),
            QJsonObject { { QStringLiteral("Name"), stateName }, { QStringLiteral("EnteredTime"), enteredTime },
                { QStringLiteral("RetryCount"), retryCount } } } };
    if (item)
        c.insert(QStringLiteral("Map"),
            QJsonObject { { QStringLiteral("Item"),
                QJsonObject { { QStringLiteral("Index"), item->index }, { QStringLiteral("Value"), item->value } } } });
    return c;
}

} // namespace Asl

// --- Execution ---

class Execution::Private {
public:
    Private(Execution *q, ExecutionSpec spec, TaskRunner *runner)
        : engine(q, std::move(spec), runner)
    {
    }
    Engine engine;
};

Execution::Execution(ExecutionSpec spec, TaskRunner *runner, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(spec), runner))
{
}

Execution::~Execution() = default;

void Execution::start()
{
    d->engine.start();
}

void Execution::stop(const QString &error, const QString &cause)
{
    d->engine.stop(error, cause);
}

bool Execution::isRunning() const
{
    return d->engine.running;
}

const ExecutionSpec &Execution::spec() const
{
    return d->engine.spec;
}

qint64 Execution::lastEventId() const
{
    return d->engine.lastId();
}

} // namespace Bramble::LocalRuntime
