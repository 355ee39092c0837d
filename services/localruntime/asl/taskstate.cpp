#include "asl/engine.h"
#include "asl/jsonpathio.h"
#include "asl/statesfault.h"

#include <cmath>
#include <limits>

namespace Bramble::LocalRuntime::Asl {

namespace {

QJsonObject truncatedFalse()
{
    return QJsonObject { { QStringLiteral("truncated"), false } };
}

} // namespace

void ScopeRun::runTask()
{
    const PathEnv e = env(m_effective);
    m_timeoutSeconds = 0;
    m_heartbeatSeconds = 0;
    for (const QString &field : { QStringLiteral("TimeoutSeconds"), QStringLiteral("HeartbeatSeconds") }) {
        QJsonValue v = m_state.value(field);
        if (v.isUndefined() && m_state.contains(field + QStringLiteral("Path")))
            v = requirePath(
                m_state.value(field + QStringLiteral("Path")).toString(), e, field + QStringLiteral("Path"));
        if (v.isUndefined())
            continue;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != std::floor(d) || d < 1 || d > 99999999)
            throw runtimeFault(
                QStringLiteral("The %1 value must be a positive integer, got %2").arg(field, jsonText(v)));
        // Heartbeats are accepted; the task runner has no way to send them.
        (field == u"TimeoutSeconds" ? m_timeoutSeconds : m_heartbeatSeconds) = int(d);
    }

    const QString resource = m_state.value(u"Resource").toString();
    m_resourceDetails = {};
    if (resource.startsWith(u"arn:aws:states:::")) {
        m_eventPrefix = QStringLiteral("Task");
        QString rest = resource.mid(17);
        QString type;
        if (rest.startsWith(u"aws-sdk:")) {
            const qsizetype colon = rest.indexOf(u':', 8);
            type = rest.left(colon);
            rest = colon < 0 ? QString() : rest.mid(colon + 1);
        } else {
            const qsizetype colon = rest.indexOf(u':');
            type = rest.left(colon);
            rest = colon < 0 ? QString() : rest.mid(colon + 1);
        }
        m_resourceDetails
            = QJsonObject { { QStringLiteral("resourceType"), type }, { QStringLiteral("resource"), rest } };
    } else if (resource.startsWith(u"arn:aws:lambda:")) {
        m_eventPrefix = QStringLiteral("LambdaFunction");
    } else if (resource.contains(u":activity:")) {
        m_eventPrefix = QStringLiteral("Activity");
    } else {
        m_eventPrefix = QStringLiteral("Task");
        m_resourceDetails = QJsonObject { { QStringLiteral("resourceType"), QStringLiteral("unknown") },
            { QStringLiteral("resource"), resource } };
    }
    m_pending = true;
    startAttempt();
}

void ScopeRun::startAttempt()
{
    if (m_cancelled || m_engine->halted())
        return;
    // Evaluated for each attempt: $$.State.RetryCount changes.
    try {
        m_parameters = m_state.contains(u"Parameters") ? evalTemplate(m_state.value(u"Parameters"), env(m_effective))
                                                       : m_effective;
    } catch (const StatesFault &f) {
        failState(f.error, f.cause, m_last);
        resume();
        return;
    }
    const QString resource = m_state.value(u"Resource").toString();
    const QString input = jsonText(m_parameters);
    qint64 scheduled = 0;
    if (m_eventPrefix == u"Task") {
        QJsonObject d = m_resourceDetails;
        d.insert(QStringLiteral("region"), m_engine->region);
        d.insert(QStringLiteral("parameters"), input);
        if (m_timeoutSeconds > 0)
            d.insert(QStringLiteral("timeoutInSeconds"), m_timeoutSeconds);
        if (m_heartbeatSeconds > 0)
            d.insert(QStringLiteral("heartbeatInSeconds"), m_heartbeatSeconds);
        scheduled = m_engine->append(QStringLiteral("TaskScheduled"), m_last, d);
        m_attemptLast = m_engine->append(QStringLiteral("TaskStarted"), scheduled, m_resourceDetails);
    } else {
        QJsonObject d { { QStringLiteral("resource"), resource }, { QStringLiteral("input"), input },
            { QStringLiteral("inputDetails"), truncatedFalse() } };
        if (m_timeoutSeconds > 0)
            d.insert(QStringLiteral("timeoutInSeconds"), m_timeoutSeconds);
        if (m_heartbeatSeconds > 0 && m_eventPrefix == u"Activity")
            d.insert(QStringLiteral("heartbeatInSeconds"), m_heartbeatSeconds);
        scheduled = m_engine->append(m_eventPrefix + QStringLiteral("Scheduled"), m_last, d);
        m_attemptLast = m_engine->append(m_eventPrefix + QStringLiteral("Started"), scheduled);
    }
    if (m_engine->halted())
        return;

    TaskRequest request;
    request.executionArn = m_engine->spec.executionArn;
    request.stateMachineArn = m_engine->spec.stateMachineArn;
    request.stateMachineName = m_engine->spec.stateMachineName;
    request.testCase = m_engine->spec.testCase;
    request.stateName = m_name;
    request.resource = resource;
    request.parameters = m_parameters;
    request.attempt = m_retry ? m_retry->retries() : 0;
    request.timeoutSeconds = m_timeoutSeconds;
    TaskCall *job = m_engine->runner ? m_engine->runner->call(request) : nullptr;
    if (!job) {
        attemptEnded(false, {}, QStringLiteral("States.TaskFailed"), QStringLiteral("No task runner took the task"),
            QStringLiteral("Failed"));
        return;
    }
    m_job = job;
    connect(job, &Core::Job::finished, this, [this, job] {
        if (m_job != job)
            return;
        m_job = nullptr;
        m_taskTimer.stop();
        if (!job->ok()) {
            attemptEnded(
                false, {}, QStringLiteral("States.TaskFailed"), job->error().toString(), QStringLiteral("Failed"));
            return;
        }
        const TaskOutcome &outcome = job->value();
        if (outcome.ok)
            attemptEnded(true, outcome.output, {}, {}, {});
        else
            attemptEnded(false, {}, outcome.error, outcome.cause, QStringLiteral("Failed"));
    });
    // Beyond a QTimer's range (24.8 days, e.g. AWS's default 99999999 s)
    // the timeout is not armed: a local task does not run that long.
    if (m_timeoutSeconds > 0 && m_timeoutSeconds <= std::numeric_limits<int>::max() / 1000)
        m_taskTimer.start(m_timeoutSeconds * 1000);
    job->start();
}

void ScopeRun::taskTimedOut()
{
    if (!m_job)
        return;
    TaskCall *job = m_job;
    m_job = nullptr;
    disconnect(job, nullptr, this, nullptr);
    job->cancel();
    attemptEnded(false, {}, QStringLiteral("States.Timeout"),
        QStringLiteral("The task did not finish within %1 seconds").arg(m_timeoutSeconds), QStringLiteral("TimedOut"));
}

void ScopeRun::attemptEnded(
    bool ok, const QJsonValue &output, const QString &error, const QString &cause, const QString &failType)
{
    if (m_cancelled || m_engine->halted())
        return;
    const bool task = m_eventPrefix == u"Task";
    if (ok) {
        QJsonObject d = task ? m_resourceDetails : QJsonObject();
        d.insert(QStringLiteral("output"), jsonText(output));
        d.insert(QStringLiteral("outputDetails"), truncatedFalse());
        const qint64 last = m_engine->append(m_eventPrefix + QStringLiteral("Succeeded"), m_attemptLast, d);
        try {
            const QJsonValue result = m_state.contains(u"ResultSelector")
                ? evalTemplate(m_state.value(u"ResultSelector"), env(output))
                : output;
            finishState(result, last, result);
        } catch (const StatesFault &f) {
            failState(f.error, f.cause, last);
        }
        resume();
        return;
    }
    QJsonObject d = task ? m_resourceDetails : QJsonObject();
    d.insert(QStringLiteral("error"), error);
    d.insert(QStringLiteral("cause"), cause);
    const qint64 last = m_engine->append(m_eventPrefix + failType, m_attemptLast, d);
    retryOrFail(error, cause, last);
}

} // namespace Bramble::LocalRuntime::Asl
