#pragma once

// Shared by the localruntime.asl tests: a scripted TaskRunner and a helper
// that runs a definition to its end and keeps what it signalled.

#include "asl/execution.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace Bramble::Test::Asl {

using namespace Bramble::LocalRuntime;

// A task that ends with `outcome` as soon as it is started, or never
// (nullopt: it waits to be cancelled; `cancelled` counts those).
class ScriptedCall : public TaskCall {
public:
    ScriptedCall(std::optional<TaskOutcome> outcome, int *cancelled)
        : m_outcome(std::move(outcome))
        , m_cancelled(cancelled)
    {
    }

protected:
    void begin() override
    {
        if (m_outcome)
            succeedWith(*m_outcome);
    }
    void abort() override
    {
        if (m_cancelled)
            ++*m_cancelled;
    }

private:
    std::optional<TaskOutcome> m_outcome;
    int *m_cancelled;
};

// Answers each request with script(request); without a script, returns
// the Lambda-shaped echo of the parameters' Payload (or the parameters).
class ScriptedRunner : public TaskRunner {
public:
    std::function<std::optional<TaskOutcome>(const TaskRequest &)> script;
    QList<TaskRequest> requests;
    int cancelled = 0;

    TaskCall *call(const TaskRequest &request) override
    {
        requests.append(request);
        if (script)
            return new ScriptedCall(script(request), &cancelled);
        const QJsonObject p = request.parameters.toObject();
        if (request.resource.startsWith(u"arn:aws:states:::lambda:invoke"))
            return new ScriptedCall(
                TaskOutcome::success(QJsonObject { { QStringLiteral("ExecutedVersion"), QStringLiteral("$LATEST") },
                    { QStringLiteral("Payload"), p.value(u"Payload") }, { QStringLiteral("StatusCode"), 200 } }),
                &cancelled);
        return new ScriptedCall(TaskOutcome::success(request.parameters), &cancelled);
    }
};

struct Run {
    QList<QJsonObject> events;
    QList<Checkpoint> checkpoints;
    QList<double> retryDelays;
    std::optional<ExecutionEnd> end;

    QStringList types() const
    {
        QStringList t;
        for (const QJsonObject &e : events)
            t.append(e.value(u"type").toString());
        return t;
    }
    // The events of one type, in order.
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &e : events)
            if (e.value(u"type").toString() == type)
                out.append(e);
        return out;
    }
    QJsonArray array() const
    {
        QJsonArray a;
        for (const QJsonObject &e : events)
            a.append(e);
        return a;
    }
};

inline QStringList list(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out.append(QString::fromUtf8(i));
    return out;
}

inline QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

inline QJsonValue value(const char *json)
{
    return QJsonDocument::fromJson(QByteArray("[") + json + "]").array().first();
}

inline ExecutionSpec specFor(const QJsonObject &definition, const QJsonValue &input = QJsonObject())
{
    ExecutionSpec spec;
    spec.definition = definition;
    spec.executionArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:execution:Machine:run-1");
    spec.name = QStringLiteral("run-1");
    spec.stateMachineArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:stateMachine:Machine");
    spec.stateMachineName = QStringLiteral("Machine");
    spec.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/Machine");
    spec.input = input;
    spec.startTime = QDateTime::currentDateTimeUtc();
    spec.timeScale = 0;
    return spec;
}

// Connects to `execution` and records into `run`.
inline void record(Execution &execution, Run &run)
{
    QObject::connect(
        &execution, &Execution::eventAppended, &execution, [&run](const QJsonObject &e) { run.events.append(e); });
    QObject::connect(&execution, &Execution::checkpointReached, &execution,
        [&run](const Checkpoint &c) { run.checkpoints.append(c); });
    QObject::connect(&execution, &Execution::retryScheduled, &execution,
        [&run](const QString &, int, double delay) { run.retryDelays.append(delay); });
    QObject::connect(&execution, &Execution::finished, &execution, [&run](const ExecutionEnd &e) { run.end = e; });
}

// Waits (event loop) until the run has ended or `ms` passed.
inline bool waitEnd(Run &run, int ms = 10000)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (run.end)
            loop.quit();
    });
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    poll.start(1);
    if (!run.end)
        loop.exec();
    return run.end.has_value();
}

inline Run runSpec(const ExecutionSpec &spec, TaskRunner *runner, int ms = 10000)
{
    Run run;
    Execution execution(spec, runner);
    record(execution, run);
    execution.start();
    waitEnd(run, ms);
    return run;
}

inline Run runDefinition(const QJsonObject &definition, const QJsonValue &input, TaskRunner *runner = nullptr)
{
    ScriptedRunner fallback;
    return runSpec(specFor(definition, input), runner ? runner : &fallback);
}

// Every event's previousEventId names an earlier event (or 0), ids are 1..n dense.
inline QString linkProblem(const QList<QJsonObject> &events, qint64 firstId = 1)
{
    qint64 expected = firstId;
    for (const QJsonObject &e : events) {
        const qint64 id = qint64(e.value(u"id").toDouble());
        const qint64 prev = qint64(e.value(u"previousEventId").toDouble(-1));
        if (id != expected)
            return QStringLiteral("event %1 where %2 was expected").arg(id).arg(expected);
        if (prev < 0 || prev >= id)
            return QStringLiteral("event %1 follows %2").arg(id).arg(prev);
        ++expected;
    }
    return {};
}

inline QJsonValue detailsValue(const QJsonObject &event, const char *member)
{
    for (auto it = event.begin(); it != event.end(); ++it)
        if (it.key().endsWith(u"EventDetails"))
            return it.value().toObject().value(QLatin1String(member));
    return QJsonValue(QJsonValue::Undefined);
}

inline QJsonValue parsed(const QJsonValue &text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text.toString().toUtf8() + "]").array().first();
}

} // namespace Bramble::Test::Asl
