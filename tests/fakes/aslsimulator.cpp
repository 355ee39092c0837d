#include "fakes/aslsimulator.h"

#include "saga/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace Bramble::Test {

namespace {

using Json = QJsonObject;

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

// --- JSONPath: paths are read with the product's reader, Saga::jsonPathValue
// (the subset ASL definitions use: $, .name, ['name'], [index]). The product
// only reads, so writing a value at a ResultPath is the fake's own. ---

// The value at `path`; null when the path is invalid or leads nowhere (AWS
// would fail the state with States.Runtime; the fake carries on).
QJsonValue valueAt(const QJsonValue &root, const QString &path)
{
    const QJsonValue v = Saga::jsonPathValue(root, path);
    return v.isUndefined() ? QJsonValue() : v;
}

// Where the last step (".name", "['name']", "[index]") of a valid path starts:
// after its longest valid prefix that a step follows, so what a step is stays
// Saga::isValidJsonPath's call. 0 for "$".
qsizetype lastStepAt(const QString &path)
{
    for (qsizetype i = path.size() - 1; i > 0; --i)
        if ((path.at(i) == u'.' || path.at(i) == u'[') && Saga::isValidJsonPath(path.left(i)))
            return i;
    return 0;
}

// `root` with `value` at the valid `path`: a member on the way that is missing
// or not an object becomes an object; an index replaces an existing array
// element (else nothing is written).
QJsonValue withValueAt(const QJsonValue &root, const QString &path, const QJsonValue &value)
{
    const qsizetype at = lastStepAt(path);
    if (at == 0)
        return value;
    const QString parentPath = path.left(at);
    const QString step = path.mid(at);
    const QJsonValue parent = Saga::jsonPathValue(root, parentPath);
    if (step.startsWith(u'.') || step.at(1) == u'\'' || step.at(1) == u'"') {
        QJsonObject o = parent.toObject();
        o.insert(step.startsWith(u'.') ? step.mid(1) : step.mid(2, step.size() - 4), value);
        return withValueAt(root, parentPath, o);
    }
    QJsonArray a = parent.toArray();
    const int index = step.mid(1, step.size() - 2).toInt();
    if (index >= a.size())
        return root;
    a.replace(index, value);
    return withValueAt(root, parentPath, a);
}

// ResultPath: "$" (default) replaces, null discards, "$.a.b" merges into the raw input.
QJsonValue applyResultPath(
    const QJsonObject &state, const QString &field, const QJsonValue &input, const QJsonValue &result)
{
    if (!state.contains(field))
        return result;
    const QJsonValue rp = state.value(field);
    if (rp.isNull())
        return input;
    const QString path = rp.toString().trimmed();
    if (!Saga::isValidJsonPath(path))
        return result;
    return withValueAt(input, path, result);
}

QJsonValue applyPath(const QJsonObject &state, const QString &field, const QJsonValue &input)
{
    if (!state.contains(field))
        return input;
    if (state.value(field).isNull())
        return QJsonObject();
    return valueAt(input, state.value(field).toString());
}

// Parameters / ResultSelector: keys ending in ".$" take a path's value.
QJsonValue evalTemplate(const QJsonValue &t, const QJsonValue &input)
{
    if (t.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : t.toArray())
            out.append(evalTemplate(v, input));
        return out;
    }
    if (!t.isObject())
        return t;
    QJsonObject out;
    const QJsonObject o = t.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key().endsWith(u".$")) {
            const QString path = it.value().toString();
            out.insert(it.key().chopped(2), valueAt(input, path));
        } else {
            out.insert(it.key(), evalTemplate(it.value(), input));
        }
    }
    return out;
}

bool evalChoice(const QJsonObject &rule, const QJsonValue &input)
{
    if (rule.contains(u"And")) {
        for (const QJsonValue &r : rule.value(u"And").toArray())
            if (!evalChoice(r.toObject(), input))
                return false;
        return true;
    }
    if (rule.contains(u"Or")) {
        for (const QJsonValue &r : rule.value(u"Or").toArray())
            if (evalChoice(r.toObject(), input))
                return true;
        return false;
    }
    if (rule.contains(u"Not"))
        return !evalChoice(rule.value(u"Not").toObject(), input);
    const QJsonValue v = Saga::jsonPathValue(input, rule.value(u"Variable").toString());
    if (rule.contains(u"IsPresent"))
        return !v.isUndefined() == rule.value(u"IsPresent").toBool();
    if (v.isUndefined())
        return false;
    for (auto it = rule.begin(); it != rule.end(); ++it) {
        const QString op = it.key();
        QJsonValue rhs = it.value();
        QString base = op;
        if (op.endsWith(u"Path") && op != u"Variable") {
            base = op.chopped(4);
            rhs = valueAt(input, rhs.toString());
        }
        if (base == u"StringEquals")
            return v.isString() && v.toString() == rhs.toString();
        if (base == u"StringMatches")
            return v.isString()
                && QRegularExpression(QRegularExpression::wildcardToRegularExpression(rhs.toString()))
                       .match(v.toString())
                       .hasMatch();
        if (base == u"BooleanEquals")
            return v.isBool() && rhs.isBool() && v.toBool() == rhs.toBool();
        if (base == u"NumericEquals")
            return v.isDouble() && v.toDouble() == rhs.toDouble();
        if (base == u"NumericLessThan")
            return v.isDouble() && v.toDouble() < rhs.toDouble();
        if (base == u"NumericLessThanEquals")
            return v.isDouble() && v.toDouble() <= rhs.toDouble();
        if (base == u"NumericGreaterThan")
            return v.isDouble() && v.toDouble() > rhs.toDouble();
        if (base == u"NumericGreaterThanEquals")
            return v.isDouble() && v.toDouble() >= rhs.toDouble();
        if (base == u"IsNull")
            return v.isNull() == rhs.toBool();
        if (base == u"IsString")
            return v.isString() == rhs.toBool();
        if (base == u"IsBoolean")
            return v.isBool() == rhs.toBool();
        if (base == u"IsNumeric")
            return v.isDouble() == rhs.toBool();
    }
    return false; // an operator this fake does not know
}

bool errorMatches(const QJsonArray &errorEquals, const QString &error)
{
    for (const QJsonValue &e : errorEquals) {
        const QString name = e.toString();
        if (name == error || name == u"States.ALL")
            return true;
        if (name == u"States.TaskFailed" && error != u"States.Timeout")
            return true;
    }
    return false;
}

bool namesState(const QString &state, const QString &target)
{
    return !target.isEmpty() && (state == target || state == target + u"Task");
}

class Simulator {
public:
    Simulator(qint64 firstId, QString region, Faults faults, bool hasTransaction)
        : m_nextId(firstId)
        , m_region(std::move(region))
        , m_faults(std::move(faults))
        , m_hasTransaction(hasTransaction)
    {
    }

    QList<SimEvent> events;

    void execution(const QJsonObject &definition, const QString &input, const QString &roleArn)
    {
        const QJsonValue in = parseJson(input).value_or(QJsonObject());
        m_ctxState = definition.value(u"StartAt").toString();
        m_ctxInput = in;
        const qint64 started = add(s("ExecutionStarted"), 0,
            Json { { s("input"), input }, { s("inputDetails"), Json { { s("truncated"), false } } },
                { s("roleArn"), roleArn } },
            0);
        finish(runScope(definition.value(u"States").toObject(), m_ctxState, in, started, true, 0));
    }

    void redrive(
        const QJsonObject &definition, int redriveCount, qint64 previous, const QString &state, const QJsonValue &input)
    {
        m_ctxState = state;
        m_ctxInput = input;
        const qint64 r = add(s("ExecutionRedriven"), previous, Json { { s("redriveCount"), redriveCount } }, 0);
        finish(runScope(definition.value(u"States").toObject(), state, input, r, true, 0));
    }

private:
    struct Flow {
        bool ok = true;
        QJsonValue output;
        QString error;
        QString cause;
        qint64 last = 0;
    };

    static constexpr int MaxEvents = 25000;

    qint64 add(const QString &type, qint64 previous, const QJsonObject &details, qint64 dtMs = 50,
        const QJsonObject &effect = {})
    {
        m_clock += dtMs;
        QJsonObject e { { s("id"), double(m_nextId) }, { s("previousEventId"), double(previous) },
            { s("type"), type } };
        if (!details.isEmpty())
            e.insert(eventDetailsKey(type), details);
        SimEvent ev { e, m_clock, effect, m_ctxState, m_ctxInput };
        events.append(ev);
        return m_nextId++;
    }

    qint64 entered(const QString &kind, const QString &name, const QJsonValue &input, qint64 previous)
    {
        return addNamed(kind + u"StateEntered", s("stateEnteredEventDetails"), previous,
            Json { { s("name"), name }, { s("input"), jsonText(input) },
                { s("inputDetails"), Json { { s("truncated"), false } } } });
    }

    qint64 exited(const QString &kind, const QString &name, const QJsonValue &output, qint64 previous)
    {
        return addNamed(kind + u"StateExited", s("stateExitedEventDetails"), previous,
            Json { { s("name"), name }, { s("output"), jsonText(output) },
                { s("outputDetails"), Json { { s("truncated"), false } } } });
    }

    // Events whose details member is not named after the type (state events).
    qint64 addNamed(const QString &type, const QString &key, qint64 previous, const QJsonObject &details)
    {
        m_clock += 50;
        QJsonObject e { { s("id"), double(m_nextId) }, { s("previousEventId"), double(previous) }, { s("type"), type },
            { key, details } };
        events.append(SimEvent { e, m_clock, {}, m_ctxState, m_ctxInput });
        return m_nextId++;
    }

    bool full() const { return events.size() >= MaxEvents - 2; }

    void finish(const Flow &flow)
    {
        if (flow.ok)
            add(s("ExecutionSucceeded"), flow.last,
                Json { { s("output"), jsonText(flow.output) },
                    { s("outputDetails"), Json { { s("truncated"), false } } } });
        else
            add(s("ExecutionFailed"), flow.last, Json { { s("error"), flow.error }, { s("cause"), flow.cause } });
    }

    static Flow failed(const QString &error, const QString &cause, qint64 last)
    {
        Flow f;
        f.ok = false;
        f.error = error;
        f.cause = cause;
        f.last = last;
        return f;
    }

    // The first Catch that matches, or an empty object.
    static QJsonObject catcher(const QJsonObject &state, const QString &error)
    {
        for (const QJsonValue &c : state.value(u"Catch").toArray())
            if (errorMatches(c.toObject().value(u"ErrorEquals").toArray(), error))
                return c.toObject();
        return {};
    }

    Flow runScope(const QJsonObject &states, QString name, QJsonValue data, qint64 previous, bool top, int depth)
    {
        if (depth > 8)
            return failed(s("States.Runtime"), s("Parallel states nested too deeply for this simulator"), previous);
        for (;;) {
            if (full())
                return failed(s("States.Runtime"),
                    s("The execution reached the maximum number of history events (25000)."), previous);
            if (!states.contains(name))
                return failed(s("States.Runtime"), QStringLiteral("State '%1' does not exist").arg(name), previous);
            const QJsonObject state = states.value(name).toObject();
            const QString type = state.value(u"Type").toString();
            if (top) {
                m_ctxState = name;
                m_ctxInput = data;
            }
            QString next = state.value(u"Next").toString();
            const bool end = state.value(u"End").toBool();
            QJsonValue output;
            qint64 last = 0;
            // Routes the flow after the state: where it goes and what a redrive would resume.
            const auto leave = [&](const QString &kind, const QString &to, const QJsonValue &out, qint64 prev) {
                if (top) {
                    m_ctxState = to;
                    m_ctxInput = out;
                }
                return exited(kind, name, out, prev);
            };

            if (type == u"Pass" || type == u"Wait") {
                const qint64 e = entered(type, name, data, previous);
                const QJsonValue effective = applyPath(state, s("InputPath"), data);
                QJsonValue result = effective;
                if (type == u"Pass") {
                    if (state.contains(u"Result"))
                        result = state.value(u"Result");
                    else if (state.contains(u"Parameters"))
                        result = evalTemplate(state.value(u"Parameters"), effective);
                    output = applyPath(state, s("OutputPath"), applyResultPath(state, s("ResultPath"), data, result));
                } else {
                    output = applyPath(state, s("OutputPath"), effective);
                }
                last = leave(type, next, output, e);
            } else if (type == u"Succeed") {
                const qint64 e = entered(type, name, data, previous);
                output = applyPath(state, s("OutputPath"), applyPath(state, s("InputPath"), data));
                Flow f;
                f.output = output;
                f.last = leave(type, {}, output, e);
                return f;
            } else if (type == u"Fail") {
                const qint64 e = entered(type, name, data, previous);
                QString error = state.value(u"Error").toString();
                QString cause = state.value(u"Cause").toString();
                if (state.contains(u"ErrorPath"))
                    error = valueAt(data, state.value(u"ErrorPath").toString()).toString();
                if (state.contains(u"CausePath"))
                    cause = valueAt(data, state.value(u"CausePath").toString()).toString();
                return failed(error, cause, e);
            } else if (type == u"Choice") {
                const qint64 e = entered(type, name, data, previous);
                const QJsonValue effective = applyPath(state, s("InputPath"), data);
                next.clear();
                for (const QJsonValue &rule : state.value(u"Choices").toArray()) {
                    if (evalChoice(rule.toObject(), effective)) {
                        next = rule.toObject().value(u"Next").toString();
                        break;
                    }
                }
                if (next.isEmpty())
                    next = state.value(u"Default").toString();
                if (next.isEmpty())
                    return failed(s("States.NoChoiceMatched"),
                        QStringLiteral("No Choice Rules matched and no Default specified in state '%1'").arg(name), e);
                output = applyPath(state, s("OutputPath"), effective);
                last = leave(type, next, output, e);
            } else if (type == u"Task") {
                Flow f = task(state, name, data, previous);
                if (!f.ok) {
                    const QJsonObject c = catcher(state, f.error);
                    if (c.isEmpty())
                        return f;
                    next = c.value(u"Next").toString();
                    output = applyResultPath(
                        c, s("ResultPath"), data, Json { { s("Error"), f.error }, { s("Cause"), f.cause } });
                    last = leave(type, next, output, f.last);
                    previous = last;
                    name = next;
                    if (top) {
                        m_ctxState = name;
                        m_ctxInput = output;
                    }
                    data = output;
                    continue;
                }
                output = f.output;
                last = leave(type, next, output, f.last);
            } else if (type == u"Parallel") {
                const qint64 e = entered(type, name, data, previous);
                const qint64 started = add(s("ParallelStateStarted"), e, {});
                const QJsonValue effective = applyPath(state, s("InputPath"), data);
                const QJsonValue branchInput
                    = state.contains(u"Parameters") ? evalTemplate(state.value(u"Parameters"), effective) : effective;
                QJsonArray results;
                qint64 branchLast = started;
                std::optional<Flow> failure;
                for (const QJsonValue &b : state.value(u"Branches").toArray()) {
                    const QJsonObject branch = b.toObject();
                    const Flow r = runScope(branch.value(u"States").toObject(), branch.value(u"StartAt").toString(),
                        branchInput, started, false, depth + 1);
                    branchLast = r.last;
                    if (!r.ok) {
                        failure = r;
                        break;
                    }
                    results.append(r.output);
                }
                if (failure) {
                    const qint64 pf = add(s("ParallelStateFailed"), failure->last, {});
                    const QJsonObject c = catcher(state, failure->error);
                    if (c.isEmpty())
                        return failed(failure->error, failure->cause, pf);
                    next = c.value(u"Next").toString();
                    output = applyResultPath(c, s("ResultPath"), data,
                        Json { { s("Error"), failure->error }, { s("Cause"), failure->cause } });
                    last = leave(type, next, output, pf);
                    previous = last;
                    name = next;
                    data = output;
                    continue;
                }
                add(s("ParallelStateSucceeded"), branchLast, {});
                QJsonValue result = results;
                if (state.contains(u"ResultSelector"))
                    result = evalTemplate(state.value(u"ResultSelector"), result);
                output = applyPath(state, s("OutputPath"), applyResultPath(state, s("ResultPath"), data, result));
                last = leave(type, next, output, branchLast);
            } else {
                return failed(s("States.Runtime"),
                    QStringLiteral("State type '%1' of state '%2' is not supported by the fake's simulator")
                        .arg(type, name),
                    previous);
            }

            if (end || next.isEmpty()) {
                Flow f;
                f.output = output;
                f.last = last;
                return f;
            }
            previous = last;
            name = next;
            data = output;
        }
    }

    // The attempts of one Task visit, from TaskStateEntered to the last
    // TaskSucceeded / TaskFailed (the caller writes the exit).
    Flow task(const QJsonObject &state, const QString &name, const QJsonValue &data, qint64 previous)
    {
        const qint64 e = entered(s("Task"), name, data, previous);
        const QString resourceArn = state.value(u"Resource").toString();
        const bool legacyLambda = resourceArn.startsWith(u"arn:aws:lambda:");
        QString resourceType = s("lambda");
        QString resource = s("invoke");
        if (resourceArn.startsWith(u"arn:aws:states:::")) {
            const QString rest = resourceArn.mid(17);
            const qsizetype colon = rest.lastIndexOf(u':');
            resourceType = rest.left(colon);
            resource = rest.mid(colon + 1);
        } else if (!legacyLambda) {
            resourceType = s("activity");
            resource = resourceArn;
        }
        const QJsonValue effective = applyPath(state, s("InputPath"), data);
        const QJsonValue parameters
            = state.contains(u"Parameters") ? evalTemplate(state.value(u"Parameters"), effective) : effective;

        const bool targeted = m_faults.enabled && m_faults.simulateFail && namesState(name, m_faults.failAt);
        const bool rollbackFails = m_faults.enabled && namesState(name, m_faults.failRollback);
        QString transient = s("SimulatedFailure");
        const QJsonArray retriers = state.value(u"Retry").toArray();
        if (!retriers.isEmpty()) {
            for (const QJsonValue &err : retriers.first().toObject().value(u"ErrorEquals").toArray()) {
                if (!err.toString().startsWith(u"States.")) {
                    transient = err.toString();
                    break;
                }
            }
        }
        QList<int> used(retriers.size(), 0);
        const Json base { { s("resourceType"), resourceType }, { s("resource"), resource } };

        qint64 last = e;
        for (int attempt = 0;; ++attempt) {
            if (full())
                return failed(s("States.Runtime"),
                    s("The execution reached the maximum number of history events (25000)."), last);
            QString error;
            if (rollbackFails || (targeted && m_faults.retries <= 0))
                error = s("SimulatedFailure");
            else if (targeted && attempt < m_faults.retries)
                error = transient;

            qint64 delayMs = 50;
            if (attempt > 0) {
                // The delay of the retrier that sent us round again (recorded below).
                delayMs = m_retryDelayMs;
            }
            qint64 started;
            if (legacyLambda) {
                Json scheduled { { s("resource"), resourceArn }, { s("input"), jsonText(parameters) },
                    { s("inputDetails"), Json { { s("truncated"), false } } } };
                const qint64 sc = add(s("LambdaFunctionScheduled"), last, scheduled, delayMs);
                started = add(s("LambdaFunctionStarted"), sc, {});
            } else {
                Json scheduled = base;
                scheduled.insert(s("region"), m_region);
                scheduled.insert(s("parameters"), jsonText(parameters));
                const qint64 sc = add(s("TaskScheduled"), last, scheduled, delayMs);
                started = add(s("TaskStarted"), sc, base);
            }

            if (error.isEmpty()) {
                QJsonValue payload = parameters.isObject() && parameters.toObject().contains(u"Payload")
                    ? parameters.toObject().value(u"Payload")
                    : parameters;
                if (payload.isObject() && payload.toObject().contains(u"Payload"))
                    payload = payload.toObject().value(u"Payload");
                QJsonValue result;
                if (legacyLambda)
                    result = payload;
                else if (resourceType == u"lambda")
                    result = Json { { s("ExecutedVersion"), s("$LATEST") }, { s("Payload"), payload },
                        { s("StatusCode"), 200 } };
                else
                    result = QJsonObject();
                QJsonObject effect;
                if (m_hasTransaction) {
                    if (name.contains(u"Rollback"))
                        effect = Json { { s("op"), s("remove") },
                            { s("attribute"), QString(name).remove(QStringLiteral("Rollback")) } };
                    else
                        effect = Json { { s("op"), s("put") }, { s("attribute"), name } };
                }
                Json succeeded = legacyLambda ? Json() : base;
                succeeded.insert(s("output"), jsonText(result));
                succeeded.insert(s("outputDetails"), Json { { s("truncated"), false } });
                last = add(
                    legacyLambda ? s("LambdaFunctionSucceeded") : s("TaskSucceeded"), started, succeeded, 400, effect);
                if (state.contains(u"ResultSelector"))
                    result = evalTemplate(state.value(u"ResultSelector"), result);
                Flow f;
                f.output = applyPath(state, s("OutputPath"), applyResultPath(state, s("ResultPath"), data, result));
                f.last = last;
                return f;
            }

            const QString cause = jsonText(Json {
                { s("errorMessage"), QStringLiteral("%1 failed (simulated)").arg(name) }, { s("errorType"), error } });
            Json failedDetails = legacyLambda ? Json() : base;
            failedDetails.insert(s("error"), error);
            failedDetails.insert(s("cause"), cause);
            last = add(legacyLambda ? s("LambdaFunctionFailed") : s("TaskFailed"), started, failedDetails, 400);

            int retrier = -1;
            for (int i = 0; i < retriers.size(); ++i) {
                if (errorMatches(retriers.at(i).toObject().value(u"ErrorEquals").toArray(), error)) {
                    retrier = i;
                    break;
                }
            }
            if (retrier < 0)
                return failed(error, cause, last);
            const QJsonObject r = retriers.at(retrier).toObject();
            const int maxAttempts = r.contains(u"MaxAttempts") ? r.value(u"MaxAttempts").toInt() : 3;
            if (used[retrier] >= maxAttempts)
                return failed(error, cause, last);
            const double interval = r.contains(u"IntervalSeconds") ? r.value(u"IntervalSeconds").toDouble() : 1.0;
            const double backoff = r.contains(u"BackoffRate") ? r.value(u"BackoffRate").toDouble() : 2.0;
            double delay = interval * std::pow(backoff, used[retrier]);
            if (r.contains(u"MaxDelaySeconds"))
                delay = qMin(delay, r.value(u"MaxDelaySeconds").toDouble());
            m_retryDelayMs = qint64(delay * 1000);
            ++used[retrier];
        }
    }

    qint64 m_nextId;
    qint64 m_clock = 0;
    qint64 m_retryDelayMs = 1000;
    QString m_region;
    Faults m_faults;
    bool m_hasTransaction;
    QString m_ctxState;
    QJsonValue m_ctxInput;
};

} // namespace

QList<SimEvent> simulateExecution(const QJsonObject &definition, const QString &input, const QString &roleArn,
    const QString &region, const Faults &faults, bool hasTransaction)
{
    Simulator sim(1, region, faults, hasTransaction);
    sim.execution(definition, input, roleArn);
    return sim.events;
}

QList<SimEvent> simulateRedrive(const QJsonObject &definition, int redriveCount, qint64 lastEventId,
    const QString &state, const QJsonValue &input, const QString &region, bool hasTransaction)
{
    Faults off;
    off.enabled = false;
    Simulator sim(lastEventId + 1, region, off, hasTransaction);
    sim.redrive(definition, redriveCount, lastEventId, state, input);
    return sim.events;
}

QString jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

std::optional<QJsonValue> parseJson(const QString &text, QString *error)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray("[" + text.toUtf8() + "]"), &e);
    if (e.error != QJsonParseError::NoError || d.array().size() != 1) {
        if (error)
            *error = e.error != QJsonParseError::NoError ? e.errorString() : s("expected one JSON value");
        return std::nullopt;
    }
    return d.array().first();
}

QString eventDetailsKey(const QString &type)
{
    return type.left(1).toLower() + type.mid(1) + QStringLiteral("EventDetails");
}

} // namespace Bramble::Test
