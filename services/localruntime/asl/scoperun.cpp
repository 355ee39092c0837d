#include "asl/choice.h"
#include "asl/engine.h"
#include "asl/intrinsics.h"
#include "asl/jsonpathio.h"
#include "asl/statesfault.h"

#include <QDateTime>

#include <cmath>
#include <limits>

namespace Bramble::LocalRuntime::Asl {

namespace {

// A state's input or output (262,144 bytes of UTF-8 on AWS).
constexpr qsizetype MaxPayloadBytes = 262144;

QJsonObject truncatedFalse()
{
    return QJsonObject { { QStringLiteral("truncated"), false } };
}

// A positive whole number of seconds from a *Seconds or *SecondsPath field;
// -1 when absent. Throws States.Runtime for anything else.
int secondsField(const QJsonObject &state, const QString &field, const PathEnv &env, bool allowZero)
{
    QJsonValue v = state.value(field);
    QString where = field;
    if (v.isUndefined()) {
        const QJsonValue path = state.value(field + QStringLiteral("Path"));
        if (path.isUndefined())
            return -1;
        where = field + QStringLiteral("Path ") + path.toString();
        v = requirePath(path.toString(), env, field + QStringLiteral("Path"));
    }
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < (allowZero ? 0 : 1) || d > 99999999)
        throw runtimeFault(
            QStringLiteral("The %1 value must be a %2 integer, got %3")
                .arg(where, allowZero ? QStringLiteral("non-negative") : QStringLiteral("positive"), jsonText(v)));
    return int(d);
}

} // namespace

ScopeRun::ScopeRun(Engine *engine, QJsonObject states, QString start, QJsonValue input, qint64 previous,
    QJsonObject variables, bool top, Done done, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_states(std::move(states))
    , m_top(top)
    , m_done(std::move(done))
    , m_vars(std::move(variables))
    , m_last(previous)
    , m_name(std::move(start))
    , m_input(std::move(input))
{
    m_timer.setSingleShot(true);
    m_taskTimer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_waitLeftMs > 0) {
            armWait();
            return;
        }
        auto then = std::move(m_afterWait);
        m_afterWait = nullptr;
        if (then && !m_cancelled)
            then();
    });
    connect(&m_taskTimer, &QTimer::timeout, this, [this] { taskTimedOut(); });
}

void ScopeRun::start()
{
    run();
}

void ScopeRun::run()
{
    if (m_looping)
        return; // the loop further up the stack carries on
    m_looping = true;
    while (!m_pending && !m_finished && !m_cancelled && !m_engine->halted())
        step();
    m_looping = false;
}

void ScopeRun::resume()
{
    m_pending = false;
    run();
}

void ScopeRun::wait(double seconds, std::function<void()> then)
{
    const double ms = seconds * std::max(0.0, m_engine->spec.timeScale) * 1000.0;
    if (ms < 1) {
        then();
        return;
    }
    m_afterWait = std::move(then);
    m_waitLeftMs = qint64(std::min(ms, 9.0e15));
    armWait();
}

void ScopeRun::armWait()
{
    // QTimer takes an int of milliseconds: longer waits go in slices.
    const qint64 slice = std::min<qint64>(m_waitLeftMs, std::numeric_limits<int>::max());
    m_waitLeftMs -= slice;
    m_timer.start(int(slice));
}

QJsonObject ScopeRun::contextObject(const std::optional<MapItem> &item) const
{
    return m_engine->context(m_name, m_enteredTime, m_retry ? m_retry->retries() : 0, item);
}

PathEnv ScopeRun::env(const QJsonValue &input) const
{
    return PathEnv { input, &m_vars, [this] { return contextObject(); } };
}

QString ScopeRun::runtimeCause(const QString &cause) const
{
    return QStringLiteral("An error occurred while executing the state '%1' (entered at the event id #%2). %3")
        .arg(m_name)
        .arg(m_enteredId)
        .arg(cause);
}

void ScopeRun::step()
{
    const auto it = m_states.constFind(m_name);
    if (it == m_states.constEnd() || !it->isObject()) {
        finishScope(Flow { false, {}, QStringLiteral("States.Runtime"),
            QStringLiteral("The state '%1' does not exist").arg(m_name), m_last });
        return;
    }
    m_state = it->toObject();
    m_type = m_state.value(u"Type").toString();
    if (m_top)
        m_engine->checkpoint(m_name, m_input, m_vars);
    m_enteredTime = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    m_enteredId = m_engine->append(m_type + QStringLiteral("StateEntered"), m_last,
        QJsonObject { { QStringLiteral("name"), m_name }, { QStringLiteral("input"), jsonText(m_input) },
            { QStringLiteral("inputDetails"), truncatedFalse() } },
        QStringLiteral("stateEnteredEventDetails"));
    m_last = m_enteredId;
    m_open = true;
    m_retry.reset();
    m_next = m_state.value(u"End").toBool() ? QString() : m_state.value(u"Next").toString();
    try {
        if (m_type == u"Fail") {
            const PathEnv e = env(m_input);
            QString error = m_state.value(u"Error").toString();
            QString cause = m_state.value(u"Cause").toString();
            if (m_state.contains(u"ErrorPath"))
                error = stringOrIntrinsic(m_state.value(u"ErrorPath").toString(), e, QStringLiteral("ErrorPath"));
            if (m_state.contains(u"CausePath"))
                cause = stringOrIntrinsic(m_state.value(u"CausePath").toString(), e, QStringLiteral("CausePath"));
            finishScope(Flow { false, {}, error, cause, m_enteredId });
            return;
        }
        m_effective = applyFilterPath(m_state, QStringLiteral("InputPath"), env(m_input));
        if (m_type == u"Pass")
            runPass();
        else if (m_type == u"Succeed")
            leave(applyFilterPath(m_state, QStringLiteral("OutputPath"), env(m_effective)), m_enteredId, {}, {});
        else if (m_type == u"Choice")
            runChoice();
        else if (m_type == u"Wait")
            runWait();
        else if (m_type == u"Task")
            runTask();
        else if (m_type == u"Parallel")
            runParallel();
        else if (m_type == u"Map")
            runMap();
        else
            throw runtimeFault(QStringLiteral("Unknown state type \"%1\"").arg(m_type));
    } catch (const StatesFault &f) {
        m_pending = false;
        failState(f.error, f.cause, m_last);
    }
}

QString ScopeRun::stringOrIntrinsic(const QString &expr, const PathEnv &e, const QString &field)
{
    const QJsonValue v = expr.startsWith(u"States.") ? evalIntrinsic(expr, e) : requirePath(expr, e, field);
    if (!v.isString())
        throw runtimeFault(QStringLiteral("The %1 value must be a string, got %2").arg(field, jsonText(v)));
    return v.toString();
}

QJsonObject ScopeRun::assign(const QJsonValue &assignSpec, const QJsonValue &input)
{
    if (assignSpec.isUndefined() || assignSpec.isNull())
        return {};
    if (!assignSpec.isObject())
        throw runtimeFault(QStringLiteral("Assign must be an object"));
    return evalTemplate(assignSpec, env(input)).toObject();
}

void ScopeRun::leave(const QJsonValue &output, qint64 last, const QString &next, const QJsonObject &assigned)
{
    const QString text = jsonText(output);
    if (text.size() > MaxPayloadBytes / 4 && text.toUtf8().size() > MaxPayloadBytes) {
        // Terminal, as on AWS: no Catch applies.
        finishScope(Flow { false, {}, QStringLiteral("States.DataLimitExceeded"),
            QStringLiteral("The state/task '%1' returned a result with a size exceeding the maximum number of "
                           "bytes service limit (%2 bytes).")
                .arg(m_name)
                .arg(MaxPayloadBytes),
            last });
        return;
    }
    QJsonObject details { { QStringLiteral("name"), m_name }, { QStringLiteral("output"), text },
        { QStringLiteral("outputDetails"), truncatedFalse() } };
    if (!assigned.isEmpty()) {
        QJsonObject texts;
        for (auto it = assigned.begin(); it != assigned.end(); ++it) {
            texts.insert(it.key(), jsonText(it.value()));
            m_vars.insert(it.key(), it.value());
        }
        details.insert(QStringLiteral("assignedVariables"), texts);
        details.insert(QStringLiteral("assignedVariablesDetails"), truncatedFalse());
    }
    m_last = m_engine->append(
        m_type + QStringLiteral("StateExited"), last, details, QStringLiteral("stateExitedEventDetails"));
    m_open = false;
    if (next.isEmpty()) {
        finishScope(Flow { true, output, {}, {}, m_last });
        return;
    }
    m_name = next;
    m_input = output;
}

void ScopeRun::finishState(const QJsonValue &result, qint64 last, const QJsonValue &assignInput)
{
    try {
        const QJsonObject assigned = assign(m_state.value(u"Assign"), assignInput);
        const QJsonValue merged = applyResultPath(m_state, m_input, result);
        const QJsonValue output = applyFilterPath(m_state, QStringLiteral("OutputPath"), env(merged));
        leave(output, last, m_next, assigned);
    } catch (const StatesFault &f) {
        failState(f.error, f.cause, last);
    }
}

void ScopeRun::failState(const QString &error, const QString &rawCause, qint64 last)
{
    const QString cause = error == u"States.Runtime" && !rawCause.startsWith(u"An error occurred while executing")
        ? runtimeCause(rawCause)
        : rawCause;
    const bool catches = m_type == u"Task" || m_type == u"Parallel" || m_type == u"Map";
    const QJsonObject catcher = catches ? findCatcher(m_state.value(u"Catch").toArray(), error) : QJsonObject();
    if (catcher.isEmpty()) {
        finishScope(Flow { false, {}, error, cause, last });
        return;
    }
    const QJsonObject errorOutput { { QStringLiteral("Error"), error }, { QStringLiteral("Cause"), cause } };
    try {
        const QJsonObject assigned = assign(catcher.value(u"Assign"), errorOutput);
        const QJsonValue output = applyResultPath(catcher, m_input, errorOutput);
        leave(output, last, catcher.value(u"Next").toString(), assigned);
    } catch (const StatesFault &f) {
        finishScope(Flow { false, {}, f.error, f.cause, last });
    }
}

void ScopeRun::finishScope(const Flow &flow)
{
    if (m_finished)
        return;
    m_finished = true;
    m_open = false;
    m_timer.stop();
    m_taskTimer.stop();
    if (m_done)
        m_done(flow);
}

void ScopeRun::retryOrFail(const QString &error, const QString &cause, qint64 last)
{
    m_last = last;
    if (!m_retry)
        m_retry.emplace(m_state.value(u"Retry").toArray());
    const double delay = error == u"States.Runtime" ? -1 : m_retry->nextDelay(error);
    if (delay < 0) {
        failState(error, cause, last);
        resume();
        return;
    }
    m_engine->retryPlanned(m_name, m_retry->retries(), delay);
    wait(delay, [this] {
        if (m_type == u"Task")
            startAttempt();
        else
            startContainer();
    });
}

void ScopeRun::cancel(bool writeAborted)
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    m_timer.stop();
    m_taskTimer.stop();
    m_afterWait = nullptr;
    if (m_job) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
        m_job = nullptr;
    }
    abortChildren(-1, writeAborted);
    if (writeAborted && m_open && !m_finished
        && (m_type == u"Task" || m_type == u"Wait" || m_type == u"Parallel" || m_type == u"Map"))
        m_last = m_engine->append(m_type + QStringLiteral("StateAborted"), m_last);
    m_open = false;
}

// --- Pass, Choice, Wait ---

void ScopeRun::runPass()
{
    QJsonValue result = m_effective;
    if (m_state.contains(u"Result"))
        result = m_state.value(u"Result");
    else if (m_state.contains(u"Parameters"))
        result = evalTemplate(m_state.value(u"Parameters"), env(m_effective));
    finishState(result, m_enteredId, result);
}

void ScopeRun::runChoice()
{
    const PathEnv e = env(m_effective);
    QString next;
    QJsonObject matched;
    for (const QJsonValue &rule : m_state.value(u"Choices").toArray()) {
        if (evalChoiceRule(rule.toObject(), e)) {
            matched = rule.toObject();
            next = matched.value(u"Next").toString();
            break;
        }
    }
    if (next.isEmpty())
        next = m_state.value(u"Default").toString();
    if (next.isEmpty())
        throw StatesFault { QStringLiteral("States.NoChoiceMatched"),
            QStringLiteral("No Choice Rules matched and no Default specified in state '%1'").arg(m_name) };
    QJsonObject assigned = assign(m_state.value(u"Assign"), m_effective);
    const QJsonObject ruleAssigned = assign(matched.value(u"Assign"), m_effective);
    for (auto it = ruleAssigned.begin(); it != ruleAssigned.end(); ++it)
        assigned.insert(it.key(), it.value());
    leave(applyFilterPath(m_state, QStringLiteral("OutputPath"), e), m_enteredId, next, assigned);
}

void ScopeRun::runWait()
{
    const PathEnv e = env(m_effective);
    double seconds = secondsField(m_state, QStringLiteral("Seconds"), e, true);
    if (seconds < 0) {
        QString field = QStringLiteral("Timestamp");
        QJsonValue ts = m_state.value(field);
        if (ts.isUndefined()) {
            field = QStringLiteral("TimestampPath");
            const QString path = m_state.value(field).toString();
            ts = readPath(path, e);
            if (!ts.isString() || !parseTimestamp(ts.toString()).isValid())
                throw runtimeFault(QStringLiteral("The TimestampPath parameter does not reference a valid ISO-8601 "
                                                  "extended offset date-time format string: %1 == %2")
                                       .arg(path, jsonText(ts)));
        }
        const QDateTime at = parseTimestamp(ts.toString());
        if (!at.isValid())
            throw runtimeFault(QStringLiteral("The Timestamp parameter is not a valid ISO-8601 extended offset "
                                              "date-time format string: %1")
                                   .arg(jsonText(ts)));
        seconds = std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at)) / 1000.0;
    }
    const QJsonValue output = applyFilterPath(m_state, QStringLiteral("OutputPath"), e);
    const QJsonObject assigned = assign(m_state.value(u"Assign"), m_effective);
    m_pending = true;
    wait(seconds, [this, output, assigned] {
        leave(output, m_enteredId, m_next, assigned);
        resume();
    });
}

} // namespace Bramble::LocalRuntime::Asl
