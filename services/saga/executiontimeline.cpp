#include "saga/executiontimeline.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace Bramble::Saga {

namespace {

constexpr double MaxEventId = 9007199254740991.0; // 2^53 - 1: ids beyond it cannot be exact in JSON
constexpr int MaxProblems = 50; // a hostile history must not grow an unbounded report
constexpr int MaxDepth = 64; // Parallel/Map nesting followed; deeper visits are attached to the top level
constexpr int MaxOpenScan = 64; // open visits searched when an event's link leads nowhere useful

Core::Error problem(const QString &pointer, const QString &message)
{
    Core::SourceLocation loc;
    loc.key = pointer;
    return Core::Error(message, loc);
}

QDateTime parseTimestamp(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double seconds = v.toDouble();
        if (!std::isfinite(seconds) || std::fabs(seconds) > 1e11)
            return {};
        return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(seconds * 1000.0)), Qt::UTC);
    }
    if (v.isString()) {
        QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        return t.isValid() ? t.toUTC() : QDateTime();
    }
    return {};
}

bool endsWith(const QString &s, const char *suffix)
{
    return s.endsWith(QLatin1String(suffix));
}

bool isIn(const QString &type, std::initializer_list<const char *> names)
{
    for (const char *n : names)
        if (type == QLatin1String(n))
            return true;
    return false;
}

// The state type whose visit an inner event belongs to, empty for execution-level events.
QStringView familyOf(const QString &type)
{
    static const QString task = QStringLiteral("Task");
    static const QString parallel = QStringLiteral("Parallel");
    static const QString map = QStringLiteral("Map");
    for (const char *suffix : { "StateExited", "StateAborted" })
        if (endsWith(type, suffix))
            return QStringView(type).left(type.size() - qsizetype(qstrlen(suffix)));
    if (type.startsWith(QLatin1String("LambdaFunction")) || type.startsWith(QLatin1String("Activity"))
        || type.startsWith(QLatin1String("Task")))
        return task;
    if (type.startsWith(QLatin1String("ParallelState")))
        return parallel;
    if (type.startsWith(QLatin1String("MapState")) || type.startsWith(QLatin1String("MapIteration"))
        || type.startsWith(QLatin1String("MapRun")))
        return map;
    return {};
}

bool isAttemptStart(const QString &t)
{
    return isIn(t,
        { "TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled", "ParallelStateStarted", "MapStateStarted" });
}

bool isAttemptSuccess(const QString &t)
{
    return isIn(t,
        { "TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded", "ParallelStateSucceeded",
            "MapStateSucceeded" });
}

bool isAttemptFailure(const QString &t)
{
    return isIn(t,
        { "TaskFailed", "TaskStartFailed", "TaskSubmitFailed", "TaskTimedOut", "LambdaFunctionFailed",
            "LambdaFunctionScheduleFailed", "LambdaFunctionStartFailed", "LambdaFunctionTimedOut", "ActivityFailed",
            "ActivityScheduleFailed", "ActivityTimedOut", "ParallelStateFailed", "MapStateFailed", "MapRunFailed",
            "EvaluationFailed" });
}

bool isContainerStart(const QString &t)
{
    return isIn(t, { "ParallelStateStarted", "MapStateStarted", "MapIterationStarted" });
}

} // namespace

// The state of one timeline being built, event by event in id order (see
// TimelineBuilder). Only what later events link to is kept of each event.
class TimelineBuilderState {
public:
    // Whole histories keep their events untouched (shared with the caller, not
    // copied); a builder fed in pieces drops the details later events never read.
    explicit TimelineBuilderState(bool compact)
        : m_compact(compact)
    {
    }

    // Events sorted by id (parseHistory); after the first call, only ids
    // above the last one read are taken, the others are skipped and reported.
    void append(const QList<HistoryEvent> &events)
    {
        const qsizetype from = m_events.size();
        if (m_events.isEmpty()) {
            m_events = events; // shared, not copied: the usual whole history
        } else {
            for (const HistoryEvent &e : events) {
                if (e.id <= m_events.constLast().id) {
                    note(QStringLiteral("event %1 (%2) came after event %3 and was skipped")
                             .arg(e.id)
                             .arg(e.type)
                             .arg(m_events.constLast().id));
                    continue;
                }
                m_events.append(e);
            }
        }
        if (from == 0) { // later pieces grow the list geometrically; an exact reserve would copy it each time
            qsizetype entered = 0;
            for (const HistoryEvent &e : std::as_const(m_events))
                entered += endsWith(e.type, "StateEntered") ? 1 : 0;
            m_t.steps.reserve(entered);
        }
        m_owner.resize(m_events.size(), -1);
        for (qsizetype i = from; i < m_events.size(); ++i) {
            handle(i);
            if (m_compact && m_events.at(i).type != QLatin1String("MapIterationStarted"))
                m_events[i].details = QJsonObject(); // later events read only ids, types and Map indexes
        }
    }

    const Timeline &timeline() const { return m_t; }
    Timeline take() { return std::move(m_t); }
    qint64 lastEventId() const { return m_events.isEmpty() ? 0 : m_events.constLast().id; }
    qsizetype eventCount() const { return m_events.size(); }

private:
    void note(const QString &message)
    {
        if (m_t.problems.size() < MaxProblems)
            m_t.problems.append(problem(QString(), message));
        else if (m_t.problems.size() == MaxProblems)
            m_t.problems.append(problem(QString(), QStringLiteral("more problems were not reported")));
    }

    // The event this one follows: previousEventId when it is in the history,
    // else the event before it by id (a partial history), -1 for none.
    qsizetype previousOf(qsizetype i)
    {
        const HistoryEvent &e = m_events.at(i);
        if (e.previousEventId == 0)
            return -1;
        if (e.previousEventId > 0 && e.previousEventId < e.id) {
            // Events are sorted by id (parseHistory): usually the one just before.
            const auto begin = m_events.cbegin();
            const auto end = begin + i;
            const auto it = std::lower_bound(
                begin, end, e.previousEventId, [](const HistoryEvent &a, qint64 id) { return a.id < id; });
            if (it != end && it->id == e.previousEventId)
                return it - begin;
        }
        note(QStringLiteral("event %1 (%2) follows event %3, which is not in the history")
                 .arg(e.id)
                 .arg(e.type)
                 .arg(e.previousEventId));
        return i > 0 ? i - 1 : -1;
    }

    int ownerOfEvent(qsizetype position) const { return position < 0 ? -1 : m_owner.at(position); }

    bool isOpen(int s) const { return s >= 0 && m_t.steps.at(s).closedEventId == 0; }

    // Walks up from step s to the nearest open visit of the given state type.
    int openAncestor(int s, QStringView family) const
    {
        for (; s >= 0; s = m_t.steps.at(s).parent)
            if (isOpen(s) && m_t.steps.at(s).stateType == family)
                return s;
        // Not on the chain (a partial or hostile history): the latest open visit of that type.
        for (qsizetype k = m_open.size() - 1; k >= 0 && k >= m_open.size() - MaxOpenScan; --k)
            if (m_t.steps.at(m_open.at(k)).stateType == family)
                return m_open.at(k);
        return -1;
    }

    void close(int s, StepStatus status, const HistoryEvent &e)
    {
        Step &step = m_t.steps[s];
        if (step.closedEventId != 0)
            return;
        step.status = status;
        step.closedEventId = e.id;
        step.endedAt = e.timestamp;
        m_open.removeOne(s);
        if (step.stateType == QLatin1String("Parallel") || step.stateType == QLatin1String("Map"))
            closeOpenUnder(s, e);
    }

    // Closes the open visits under a container. A closed container has already
    // closed its own, so closed children are not descended into: linear overall.
    void closeOpenUnder(int container, const HistoryEvent &e)
    {
        const QList<int> children = m_children.value(container);
        for (int s : children) {
            if (!isOpen(s))
                continue;
            const Step &step = m_t.steps.at(s);
            StepStatus st = StepStatus::Aborted;
            if (m_failed.value(s) || step.stateType == QLatin1String("Fail"))
                st = StepStatus::Failed;
            else if (step.stateType == QLatin1String("Succeed"))
                st = StepStatus::Succeeded;
            close(s, st, e);
        }
    }

    // The error of the latest failed visit inside a container, for Parallel/Map failures
    // that carry none. Searches the container's subtree, newest first, a bounded number of visits.
    void inheritChildError(int container)
    {
        int best = -1;
        QList<int> stack = m_children.value(container);
        for (int budget = 4096; !stack.isEmpty() && budget > 0; --budget) {
            const int k = stack.takeLast();
            if (!m_t.steps.at(k).error.isEmpty() && k > best)
                best = k;
            stack.append(m_children.value(k));
        }
        if (best >= 0) {
            m_t.steps[container].error = m_t.steps.at(best).error;
            m_t.steps[container].cause = m_t.steps.at(best).cause;
        }
    }

    void enter(qsizetype i, qsizetype prev)
    {
        const HistoryEvent &e = m_events.at(i);
        Step step;
        step.state = e.name();
        step.stateType = stateTypeOf(e.type);
        step.enteredEventId = e.id;
        step.startedAt = e.timestamp;
        step.input = e.details.value(QStringLiteral("input")).toString();

        if (prev >= 0) {
            const HistoryEvent &p = m_events.at(prev);
            const int o = ownerOfEvent(prev);
            if (o >= 0 && isContainerStart(p.type) && isOpen(o)) {
                step.parent = o;
                step.mapIteration = p.type == QLatin1String("MapIterationStarted")
                    ? p.details.value(QStringLiteral("index")).toInt(-1)
                    : (p.type == QLatin1String("MapStateStarted") ? 0 : -1);
            } else if (o >= 0) {
                step.parent = m_t.steps.at(o).parent;
                step.mapIteration = m_t.steps.at(o).mapIteration;
                if (m_t.steps.at(o).nextState.isEmpty())
                    m_t.steps[o].nextState = step.state;
            }
        }
        int depth = 0;
        for (int p = step.parent; p >= 0 && depth <= MaxDepth; p = m_t.steps.at(p).parent)
            ++depth;
        if (depth > MaxDepth) {
            note(QStringLiteral("event %1: states nested deeper than %2 levels are shown at the top level")
                     .arg(e.id)
                     .arg(MaxDepth));
            step.parent = -1;
        }
        const int s = int(m_t.steps.size());
        const int parent = step.parent;
        const bool fail = step.stateType == QLatin1String("Fail");
        m_t.steps.append(std::move(step));
        if (parent >= 0)
            m_children[parent].append(s);
        m_owner[i] = s;
        if (fail) {
            // A Fail state ends its branch (or the execution) the moment it is entered.
            m_t.steps[s].status = StepStatus::Failed;
            m_t.steps[s].closedEventId = e.id;
            m_t.steps[s].endedAt = e.timestamp;
        } else {
            m_open.append(s);
        }
    }

    // "TaskStateEntered" -> "Task", shared between the visits (one string per type).
    QString stateTypeOf(const QString &enteredType)
    {
        auto it = m_stateTypes.constFind(enteredType);
        if (it == m_stateTypes.cend())
            it = m_stateTypes.insert(
                enteredType, enteredType.left(enteredType.size() - qsizetype(qstrlen("StateEntered"))));
        return it.value();
    }

    void handle(qsizetype i)
    {
        const HistoryEvent &e = m_events.at(i);
        const QString &t = e.type;
        const qsizetype prev = previousOf(i);

        if (endsWith(t, "StateEntered")) {
            enter(i, prev);
            return;
        }
        if (t.startsWith(QLatin1String("Execution"))) {
            execution(i, prev);
            return;
        }
        const QStringView family = familyOf(t);
        int s = -1;
        if (t == QLatin1String("EvaluationFailed")) {
            const QString name = e.details.value(QStringLiteral("state")).toString();
            for (qsizetype k = m_open.size() - 1; k >= 0 && s < 0; --k)
                if (m_t.steps.at(m_open.at(k)).state == name)
                    s = m_open.at(k);
            if (s < 0)
                s = ownerOfEvent(prev);
        } else if (!family.isEmpty()) {
            s = openAncestor(ownerOfEvent(prev), family);
        }
        if (s < 0) {
            note(QStringLiteral("event %1 (%2) belongs to no open state").arg(e.id).arg(t));
            return;
        }
        m_owner[i] = s;
        Step &step = m_t.steps[s];

        if (isAttemptStart(t)) {
            ++step.attempts;
            m_failed[s] = false;
            if (t == QLatin1String("LambdaFunctionScheduled") || t == QLatin1String("ActivityScheduled"))
                if (step.input.isEmpty())
                    step.input = e.details.value(QStringLiteral("input")).toString();
        } else if (isAttemptSuccess(t)) {
            m_failed[s] = false;
            step.error.clear();
            step.cause.clear();
        } else if (isAttemptFailure(t)) {
            m_failed[s] = true;
            step.error = e.error();
            step.cause = e.cause();
            if (step.error.isEmpty()
                && (t == QLatin1String("ParallelStateFailed") || t == QLatin1String("MapStateFailed")))
                inheritChildError(s);
        } else if (endsWith(t, "StateExited")) {
            step.output = e.details.value(QStringLiteral("output")).toString();
            close(s, m_failed.value(s) ? StepStatus::Caught : StepStatus::Succeeded, e);
        } else if (endsWith(t, "StateAborted")) {
            close(s, StepStatus::Aborted, e);
        }
        // MapIteration*, MapRun*, TaskStarted, TaskSubmitted... only belong to the visit.
    }

    void execution(qsizetype i, qsizetype prev)
    {
        const HistoryEvent &e = m_events.at(i);
        const QString &t = e.type;
        if (t == QLatin1String("ExecutionStarted")) {
            m_t.input = e.details.value(QStringLiteral("input")).toString();
            return;
        }
        if (t == QLatin1String("ExecutionRedriven")) {
            m_t.redriveCount = e.details.value(QStringLiteral("redriveCount")).toInt(m_t.redriveCount + 1);
            m_t.status = ExecutionStatus::Running;
            m_t.terminalEventId = 0;
            m_t.error.clear();
            m_t.cause.clear();
            m_t.failedStep = -1;
            return;
        }
        ExecutionStatus status;
        if (t == QLatin1String("ExecutionSucceeded"))
            status = ExecutionStatus::Succeeded;
        else if (t == QLatin1String("ExecutionFailed"))
            status = ExecutionStatus::Failed;
        else if (t == QLatin1String("ExecutionAborted"))
            status = ExecutionStatus::Aborted;
        else if (t == QLatin1String("ExecutionTimedOut"))
            status = ExecutionStatus::TimedOut;
        else
            return;

        m_t.status = status;
        m_t.terminalEventId = e.id;
        m_t.error = e.error();
        m_t.cause = e.cause();
        if (status == ExecutionStatus::Succeeded)
            m_t.output = e.details.value(QStringLiteral("output")).toString();

        if (status == ExecutionStatus::Failed) {
            int o = ownerOfEvent(prev);
            m_t.failedStep = o;
            for (int s = o; s >= 0; s = m_t.steps.at(s).parent) {
                Step &step = m_t.steps[s];
                if (step.error.isEmpty() && (s == o || step.closedEventId == 0)) {
                    step.error = m_t.error;
                    step.cause = m_t.cause;
                }
                close(s, StepStatus::Failed, e);
            }
        }
        const QList<int> open = m_open;
        for (int s : open) {
            const QString &type = m_t.steps.at(s).stateType;
            const bool done = status == ExecutionStatus::Succeeded || type == QLatin1String("Succeed");
            close(s, done ? StepStatus::Succeeded : StepStatus::Aborted, e);
        }
    }

    bool m_compact;
    QList<HistoryEvent> m_events;
    Timeline m_t;
    QList<int> m_owner; // event position -> step index, -1 for none
    QHash<int, bool> m_failed; // step -> its last attempt failed
    QHash<QString, QString> m_stateTypes; // see stateTypeOf()
    QList<int> m_open; // steps not closed yet, in entry order
    QHash<int, QList<int>> m_children; // container step -> the steps directly inside it
};

QString stepStatusName(StepStatus status)
{
    switch (status) {
    case StepStatus::Running:
        return QStringLiteral("RUNNING");
    case StepStatus::Succeeded:
        return QStringLiteral("SUCCEEDED");
    case StepStatus::Caught:
        return QStringLiteral("CAUGHT");
    case StepStatus::Failed:
        return QStringLiteral("FAILED");
    case StepStatus::Aborted:
        return QStringLiteral("ABORTED");
    }
    return QString();
}

QString executionStatusName(ExecutionStatus status)
{
    switch (status) {
    case ExecutionStatus::Running:
        return QStringLiteral("RUNNING");
    case ExecutionStatus::Succeeded:
        return QStringLiteral("SUCCEEDED");
    case ExecutionStatus::Failed:
        return QStringLiteral("FAILED");
    case ExecutionStatus::TimedOut:
        return QStringLiteral("TIMED_OUT");
    case ExecutionStatus::Aborted:
        return QStringLiteral("ABORTED");
    }
    return QString();
}

namespace {

// The event's "*EventDetails" object. Tried first by name ("TaskScheduled":
// taskScheduledEventDetails, "PassStateEntered": stateEnteredEventDetails),
// which saves turning every key of every event into a string.
QJsonObject detailsOf(const QJsonObject &o, const QString &type)
{
    QString guess;
    if (type.endsWith(QLatin1String("StateEntered")))
        guess = QStringLiteral("stateEnteredEventDetails");
    else if (type.endsWith(QLatin1String("StateExited")))
        guess = QStringLiteral("stateExitedEventDetails");
    else if (!type.isEmpty())
        guess = QString(type.at(0).toLower() + QStringView(type).mid(1) + QLatin1String("EventDetails"));
    const QJsonValue v = o.value(guess);
    if (v.isObject())
        return v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.value().isObject() && it.key().endsWith(QLatin1String("EventDetails")))
            return it.value().toObject();
    return {};
}

// One event of a history into h (skipped, with a problem, when it is unusable).
void readEvent(const QJsonObject &o, qsizetype i, History &h)
{
    const auto pointer = [i] { return QString(QStringLiteral("/events/") + QString::number(i)); };
    const double id = o.value(QLatin1String("id")).toDouble(-1);
    if (!(id >= 1 && id <= MaxEventId) || id != std::floor(id)) {
        h.problems.append(problem(pointer() + QStringLiteral("/id"), QStringLiteral("id must be a positive integer")));
        return;
    }
    HistoryEvent e;
    e.id = qint64(id);
    e.type = o.value(QLatin1String("type")).toString();
    if (e.type.isEmpty()) {
        h.problems.append(problem(pointer() + QStringLiteral("/type"), QStringLiteral("type is missing")));
        return;
    }
    const QJsonValue prev = o.value(QLatin1String("previousEventId"));
    const double p = prev.toDouble(0);
    if (!prev.isUndefined() && (!prev.isDouble() || p < 0 || p != std::floor(p) || p >= id)) {
        h.problems.append(problem(pointer() + QStringLiteral("/previousEventId"),
            QStringLiteral("previousEventId must be an integer below id")));
        e.previousEventId = -1; // unknown: the timeline falls back to the event before by id
    } else {
        e.previousEventId = qint64(p);
    }
    e.timestamp = parseTimestamp(o.value(QLatin1String("timestamp")));
    // id, previousEventId, timestamp and type, plus at most one "*EventDetails".
    if (o.size() > 4 || !o.contains(QLatin1String("previousEventId")))
        e.details = detailsOf(o, e.type);
    h.events.append(std::move(e));
}

// Sorted by id, the first of each id kept.
void sortEvents(History &h)
{
    const auto byId = [](const HistoryEvent &a, const HistoryEvent &b) { return a.id < b.id; };
    if (!std::is_sorted(h.events.cbegin(), h.events.cend(), byId)) // AWS sends them in order (or reversed)
        std::stable_sort(h.events.begin(), h.events.end(), byId);
    const auto dup = std::unique(
        h.events.begin(), h.events.end(), [](const HistoryEvent &a, const HistoryEvent &b) { return a.id == b.id; });
    if (dup != h.events.end()) {
        h.problems.append(problem(QStringLiteral("/events"),
            QStringLiteral("%1 events repeat an id; the first of each was kept").arg(h.events.end() - dup)));
        h.events.erase(dup, h.events.end());
    }
}

} // namespace

History parseHistory(const QJsonArray &events)
{
    History h;
    h.events.reserve(events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QJsonValue v = events.at(i);
        if (v.isObject())
            readEvent(v.toObject(), i, h);
        else
            h.problems.append(
                problem(QStringLiteral("/events/%1").arg(i), QStringLiteral("an event must be an object")));
    }
    sortEvents(h);
    return h;
}

History parseHistory(const QList<QJsonObject> &events, qsizetype firstIndex)
{
    History h;
    h.events.reserve(events.size());
    for (qsizetype i = 0; i < events.size(); ++i)
        readEvent(events.at(i), firstIndex + i, h);
    sortEvents(h);
    return h;
}

History parseHistory(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        History h;
        h.problems.append(
            problem(QString(), QStringLiteral("not valid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString())));
        return h;
    }
    if (doc.isArray())
        return parseHistory(doc.array());
    const QJsonValue events = doc.object().value(QStringLiteral("events"));
    if (!events.isArray()) {
        History h;
        h.problems.append(
            problem(QStringLiteral("/events"), QStringLiteral("expected {\"events\": [...]} or an array of events")));
        return h;
    }
    return parseHistory(events.toArray());
}

Timeline buildTimeline(const History &history)
{
    TimelineBuilderState state(false);
    state.append(history.events);
    return state.take();
}

TimelineBuilder::TimelineBuilder()
    : d(std::make_unique<TimelineBuilderState>(true))
{
}

TimelineBuilder::~TimelineBuilder() = default;
TimelineBuilder::TimelineBuilder(TimelineBuilder &&) noexcept = default;
TimelineBuilder &TimelineBuilder::operator=(TimelineBuilder &&) noexcept = default;

void TimelineBuilder::append(const History &events)
{
    d->append(events.events);
}

const Timeline &TimelineBuilder::timeline() const
{
    return d->timeline();
}

qint64 TimelineBuilder::lastEventId() const
{
    return d->lastEventId();
}

qsizetype TimelineBuilder::eventCount() const
{
    return d->eventCount();
}

} // namespace Bramble::Saga
