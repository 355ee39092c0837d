#include "saga/sagaanalysis.h"

#include <QJsonArray>
#include <QSet>

namespace Bramble::Saga {

namespace {

const QList<EdgeKind> FlowEdges = { EdgeKind::Next, EdgeKind::Default, EdgeKind::Choice };

QString stripSuffixes(QString name, std::initializer_list<const char *> suffixes, bool repeat)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (const char *s : suffixes) {
            const QLatin1String suffix(s);
            if (name.size() > suffix.size() && name.endsWith(suffix)) {
                name.chop(suffix.size());
                changed = repeat;
                break;
            }
        }
    }
    return name;
}

QString baseName(const QString &name)
{
    QString n;
    for (QChar c : name)
        if (c.isLetterOrNumber())
            n.append(c.toLower());
    return stripSuffixes(n, { "group", "task", "step", "state", "wrapper", "parallel" }, true);
}

// "" when the name does not look like a compensation.
QString compensatedBaseName(const QString &name)
{
    const QString n = baseName(name);
    const QString stripped = stripSuffixes(
        n, { "rollback", "compensation", "compensate", "undo", "refund", "release", "revert", "cancel" }, false);
    return stripped == n ? QString() : baseName(stripped);
}

// Nodes reachable from the seeds through the given edge kinds (seeds included).
QList<bool> reach(
    const StateGraph &g, const QList<int> &seeds, const QList<EdgeKind> &kinds, const QList<bool> *within = nullptr)
{
    QList<QList<int>> out(g.nodes.size());
    for (const StateEdge &e : g.edges)
        if (kinds.contains(e.kind))
            out[e.from].append(e.to);
    QList<bool> seen(g.nodes.size(), false);
    QList<int> stack;
    for (qsizetype k = seeds.size() - 1; k >= 0; --k)
        stack.append(seeds.at(k));
    while (!stack.isEmpty()) {
        const int n = stack.takeLast();
        if (n < 0 || seen.at(n) || (within && !within->at(n)))
            continue;
        seen[n] = true;
        const QList<int> &next = out.at(n);
        for (qsizetype k = next.size() - 1; k >= 0; --k)
            stack.append(next.at(k));
    }
    return seen;
}

// Depth-first preorder from the seeds, edges in declaration order, restricted to `within`.
QList<int> preorder(
    const StateGraph &g, const QList<int> &seeds, const QList<EdgeKind> &kinds, const QList<bool> &within)
{
    QList<QList<int>> out(g.nodes.size());
    for (const StateEdge &e : g.edges)
        if (kinds.contains(e.kind))
            out[e.from].append(e.to);
    QList<bool> seen(g.nodes.size(), false);
    QList<int> order;
    QList<int> stack;
    for (qsizetype k = seeds.size() - 1; k >= 0; --k)
        stack.append(seeds.at(k));
    while (!stack.isEmpty()) {
        const int n = stack.takeLast();
        if (n < 0 || seen.at(n) || !within.at(n))
            continue;
        seen[n] = true;
        order.append(n);
        const QList<int> &next = out.at(n);
        for (qsizetype k = next.size() - 1; k >= 0; --k)
            stack.append(next.at(k));
    }
    return order;
}

int topLevelAncestor(const StateGraph &g, int n)
{
    int guard = 0;
    while (n >= 0 && g.nodes.at(n).parent >= 0 && guard++ < 1000)
        n = g.nodes.at(n).parent;
    return n;
}

} // namespace

QString stateRoleName(StateRole role)
{
    switch (role) {
    case StateRole::Forward:
        return QStringLiteral("forward");
    case StateRole::Compensation:
        return QStringLiteral("compensation");
    case StateRole::Other:
        break;
    }
    return QStringLiteral("other");
}

QString sagaOutcomeName(SagaOutcome outcome)
{
    switch (outcome) {
    case SagaOutcome::Running:
        return QStringLiteral("RUNNING");
    case SagaOutcome::Committed:
        return QStringLiteral("COMMITTED");
    case SagaOutcome::Compensated:
        return QStringLiteral("COMPENSATED");
    case SagaOutcome::CompensationFailed:
        return QStringLiteral("COMPENSATION_FAILED");
    case SagaOutcome::FailedUncompensated:
        return QStringLiteral("FAILED_UNCOMPENSATED");
    case SagaOutcome::TimedOut:
        return QStringLiteral("TIMED_OUT");
    case SagaOutcome::Aborted:
        return QStringLiteral("ABORTED");
    }
    return QString();
}

SagaRoles deriveRoles(const StateGraph &g)
{
    return deriveRoles(g, RoleOverrides());
}

StateRole stateRoleFromName(const QString &name)
{
    if (name == QLatin1String("forward"))
        return StateRole::Forward;
    if (name == QLatin1String("compensation"))
        return StateRole::Compensation;
    return StateRole::Other;
}

QJsonObject RoleOverrides::toJson() const
{
    QJsonObject r;
    for (auto it = roles.cbegin(); it != roles.cend(); ++it)
        r.insert(it.key(), stateRoleName(it.value()));
    QJsonObject c;
    for (auto it = compensationOf.cbegin(); it != compensationOf.cend(); ++it)
        c.insert(it.key(), it.value());
    return { { QStringLiteral("roles"), r }, { QStringLiteral("compensationOf"), c } };
}

RoleOverrides RoleOverrides::fromJson(const QJsonObject &json)
{
    RoleOverrides o;
    const QJsonObject r = json.value(QStringLiteral("roles")).toObject();
    for (auto it = r.begin(); it != r.end(); ++it)
        if (it.value().isString())
            o.roles.insert(it.key(), stateRoleFromName(it.value().toString()));
    const QJsonObject c = json.value(QStringLiteral("compensationOf")).toObject();
    for (auto it = c.begin(); it != c.end(); ++it)
        if (it.value().isString())
            o.compensationOf.insert(it.key(), it.value().toString());
    return o;
}

SagaRoles deriveRoles(const StateGraph &g, const RoleOverrides &overrides)
{
    SagaRoles r;
    const qsizetype n = g.nodes.size();
    QList<bool> top(n, false);
    for (qsizetype i = 0; i < n; ++i)
        top[i] = g.nodes.at(i).scope == 0;

    const QList<bool> forward = reach(g, { g.start() }, FlowEdges, &top);
    QList<int> catchTargets;
    for (const StateEdge &e : g.edges)
        if (e.kind == EdgeKind::Catch && top.at(e.from))
            catchTargets.append(e.to);
    const QList<bool> afterCatch
        = reach(g, catchTargets, { EdgeKind::Next, EdgeKind::Default, EdgeKind::Choice, EdgeKind::Catch }, &top);
    QList<bool> compensation(n, false);
    for (qsizetype i = 0; i < n; ++i)
        compensation[i] = afterCatch.at(i) && !forward.at(i);

    QList<StateRole> topRole(n, StateRole::Other);
    for (qsizetype i = 0; i < n; ++i) {
        if (!top.at(i) || !g.nodes.at(i).isWork())
            continue;
        if (forward.at(i))
            topRole[i] = StateRole::Forward;
        else if (compensation.at(i))
            topRole[i] = StateRole::Compensation;
    }
    for (auto it = overrides.roles.cbegin(); it != overrides.roles.cend(); ++it) {
        const int i = g.indexOf(it.key());
        if (i >= 0 && top.at(i))
            topRole[i] = it.value();
    }
    for (qsizetype i = 0; i < n; ++i) {
        const int a = topLevelAncestor(g, int(i));
        // Inside a container: the container's role, but only for work states.
        const StateRole role = a >= 0 && (a == i || g.nodes.at(i).isWork()) ? topRole.at(a) : StateRole::Other;
        r.roles.insert(g.nodes.at(i).name, role);
    }

    for (int i : preorder(g, { g.start() }, FlowEdges, forward))
        if (topRole.at(i) == StateRole::Forward)
            r.forwardSteps.append(g.nodes.at(i).name);
    for (qsizetype i = 0; i < n; ++i) // made forward by the user, off the derived path
        if (topRole.at(i) == StateRole::Forward && !r.forwardSteps.contains(g.nodes.at(i).name))
            r.forwardSteps.append(g.nodes.at(i).name);

    // Pairing: see the header. A name match inside the step's own chain wins (a shared
    // catch-all handler lists every rollback in every chain); then the first state new
    // to this step's chain; then the first unpaired one; then a name match anywhere.
    QSet<QString> paired;
    QSet<QString> earlierChains;
    QHash<QString, QString> forced; // the user's pairs that name real states
    for (auto it = overrides.compensationOf.cbegin(); it != overrides.compensationOf.cend(); ++it) {
        const int c = g.indexOf(it.value());
        if (r.forwardSteps.contains(it.key()) && (it.value().isEmpty() || (c >= 0 && top.at(c)))) {
            forced.insert(it.key(), it.value());
            paired.insert(it.value());
        }
    }
    const auto pair = [&](const QString &step, const QString &comp) {
        r.compensationOf.insert(step, comp);
        paired.insert(comp);
    };
    for (const QString &step : std::as_const(r.forwardSteps)) {
        const int idx = g.indexOf(step);
        if (!forced.value(step).isEmpty())
            r.compensationOf.insert(step, forced.value(step));
        const QList<int> targets = g.successors(idx, { EdgeKind::Catch });
        QStringList chain;
        for (int c : preorder(g, targets, FlowEdges, compensation))
            if (topRole.at(c) == StateRole::Compensation)
                chain.append(g.nodes.at(c).name);
        r.catchChains.insert(step, chain);
        const QString base = baseName(step);
        QString choice;
        for (const QString &c : std::as_const(chain))
            if (choice.isEmpty() && !paired.contains(c) && compensatedBaseName(c) == base)
                choice = c;
        for (const QString &c : std::as_const(chain))
            if (choice.isEmpty() && !paired.contains(c) && !earlierChains.contains(c))
                choice = c;
        for (const QString &c : std::as_const(chain))
            if (choice.isEmpty() && !paired.contains(c))
                choice = c;
        if (!choice.isEmpty() && !forced.contains(step))
            pair(step, choice);
        for (const QString &c : std::as_const(chain))
            earlierChains.insert(c);
    }
    for (const QString &step : std::as_const(r.forwardSteps)) {
        if (r.compensationOf.contains(step) || forced.contains(step))
            continue;
        const QString base = baseName(step);
        for (qsizetype i = 0; i < n && !base.isEmpty(); ++i) {
            const QString &name = g.nodes.at(i).name;
            if (topRole.at(i) == StateRole::Compensation && !paired.contains(name)
                && compensatedBaseName(name) == base) {
                pair(step, name);
                break;
            }
        }
    }
    return r;
}

SagaAnalysis analyzeSaga(const StateGraph &graph, const Timeline &timeline)
{
    return analyzeSaga(graph, deriveRoles(graph), timeline);
}

namespace {

// Where the saga turned: the failed forward visit and the first compensation visit (-1: none).
struct Turn {
    int failure = -1;
    int firstCompensation = -1;
    qint64 failureId = 0; // entered event of the failure (else of the first compensation), 0: none
};

// Whether a top-level forward visit is the failure that started compensation
// (or ended the run): it failed outright, or it was caught and the flow left
// the forward path. While running, a caught step whose Catch has not been
// followed yet counts when its Catch leads to compensation.
bool isSagaFailure(const Step &s, const SagaRoles &roles)
{
    if (s.status == StepStatus::Failed)
        return true;
    if (s.status != StepStatus::Caught)
        return false;
    if (s.nextState.isEmpty())
        return !roles.catchChains.value(s.state).isEmpty();
    const StateRole next = roles.role(s.nextState);
    return next == StateRole::Compensation || (next == StateRole::Other && roles.catchChains.value(s.state).size() > 0);
}

// The failure that started compensation (or ended the run): the first top-level
// forward visit that was caught into compensation or failed outright.
Turn findTurn(SagaAnalysis &a, const SagaRoles &roles)
{
    Turn t;
    const QList<Step> &steps = a.timeline.steps;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps.at(i);
        if (s.parent >= 0)
            continue;
        const StateRole role = a.stepRoles.at(i);
        if (role == StateRole::Compensation && t.firstCompensation < 0)
            t.firstCompensation = int(i);
        if (role == StateRole::Forward && t.failure < 0 && isSagaFailure(s, roles))
            t.failure = int(i);
    }
    a.compensating = t.firstCompensation >= 0;
    t.failureId = t.failure >= 0 ? steps.at(t.failure).enteredEventId
                                 : (t.firstCompensation >= 0 ? steps.at(t.firstCompensation).enteredEventId : 0);
    if (t.failure >= 0) {
        a.failedStep = steps.at(t.failure).state;
        a.error = steps.at(t.failure).error;
        a.cause = steps.at(t.failure).cause;
    } else if (t.firstCompensation >= 0) {
        a.notes.append(QStringLiteral("compensation began at %1 without a failed forward step")
                           .arg(steps.at(t.firstCompensation).state));
    }
    return t;
}

// Forward steps that completed before the failure. Returns whether every
// forward step's last visit succeeded.
bool collectCompletedSteps(SagaAnalysis &a, const Turn &t)
{
    bool forwardAllSucceeded = true;
    QHash<QString, StepStatus> lastForward;
    const QList<Step> &steps = a.timeline.steps;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps.at(i);
        if (s.parent >= 0 || a.stepRoles.at(i) != StateRole::Forward)
            continue;
        lastForward.insert(s.state, s.status);
        if (s.status == StepStatus::Succeeded && (t.failureId == 0 || s.enteredEventId < t.failureId)
            && !a.completedSteps.contains(s.state))
            a.completedSteps.append(s.state);
    }
    for (auto it = lastForward.cbegin(); it != lastForward.cend(); ++it)
        if (it.value() != StepStatus::Succeeded)
            forwardAllSucceeded = false;
    return forwardAllSucceeded;
}

// The compensations the failure requires, which succeeded, which are missing, and what is left dangling.
void collectCompensations(SagaAnalysis &a, const SagaRoles &roles, const Turn &t)
{
    if (t.failure >= 0) {
        const QString own = roles.compensationOf.value(a.failedStep);
        if (!own.isEmpty() && roles.catchChains.value(a.failedStep).contains(own))
            a.requiredCompensations.append(own);
    }
    for (qsizetype k = a.completedSteps.size() - 1; k >= 0; --k) {
        const QString c = roles.compensationOf.value(a.completedSteps.at(k));
        if (!c.isEmpty() && !a.requiredCompensations.contains(c))
            a.requiredCompensations.append(c);
    }
    const QList<Step> &steps = a.timeline.steps;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps.at(i);
        if (s.parent >= 0 || a.stepRoles.at(i) != StateRole::Compensation)
            continue;
        if (s.status == StepStatus::Succeeded && s.enteredEventId > t.failureId
            && !a.succeededCompensations.contains(s.state))
            a.succeededCompensations.append(s.state);
    }
    for (const QString &c : std::as_const(a.requiredCompensations))
        if (!a.succeededCompensations.contains(c))
            a.missingCompensations.append(c);
    for (const QString &step : std::as_const(a.completedSteps))
        if (a.missingCompensations.contains(roles.compensationOf.value(step)))
            a.dangling.append(step);
}

// "during compensation", "before any forward step completed", "during the forward path, after X".
QString phaseOf(const SagaAnalysis &a)
{
    if (a.compensating)
        return QStringLiteral("during compensation");
    if (a.completedSteps.isEmpty())
        return QStringLiteral("before any forward step completed");
    return QStringLiteral("during the forward path, after %1").arg(a.completedSteps.join(QStringLiteral(", ")));
}

void classifySucceeded(SagaAnalysis &a, const Turn &t, bool forwardAllSucceeded)
{
    if (!a.compensating && t.failure < 0 && forwardAllSucceeded) {
        a.outcome = SagaOutcome::Committed;
        a.requiredCompensations.clear();
        a.missingCompensations.clear();
        a.dangling.clear();
    } else if (!a.compensating) {
        a.outcome = SagaOutcome::FailedUncompensated;
        a.notes.append(
            QStringLiteral("the execution SUCCEEDED although a forward step failed and nothing was compensated"));
    } else {
        a.outcome = a.missingCompensations.isEmpty() ? SagaOutcome::Compensated : SagaOutcome::CompensationFailed;
    }
}

void classifyFailed(SagaAnalysis &a)
{
    const Timeline &timeline = a.timeline;
    if (!a.compensating) {
        a.outcome = SagaOutcome::FailedUncompensated;
        if (!a.completedSteps.isEmpty())
            a.notes.append(QStringLiteral("inconsistent: %1 completed and no compensation ran")
                               .arg(a.completedSteps.join(QStringLiteral(", "))));
        return;
    }
    // After a redrive, only the terminal failure of the last run counts (Timeline resets it).
    const bool fromCompensation
        = timeline.failedStep >= 0 && a.stepRoles.value(timeline.failedStep) == StateRole::Compensation;
    a.outcome = a.missingCompensations.isEmpty() && !fromCompensation ? SagaOutcome::Compensated
                                                                      : SagaOutcome::CompensationFailed;
    if (a.outcome == SagaOutcome::Compensated && timeline.failedStep >= 0
        && timeline.steps.at(timeline.failedStep).stateType != QLatin1String("Fail"))
        a.notes.append(QStringLiteral("the run ended in %1, not in a Fail state")
                           .arg(timeline.steps.at(timeline.failedStep).state));
}

void classify(SagaAnalysis &a, const Turn &t, bool forwardAllSucceeded)
{
    switch (a.timeline.status) {
    case ExecutionStatus::Running:
        a.outcome = SagaOutcome::Running;
        a.dangling.clear(); // not decided yet: missingCompensations lists what is still pending
        if (!a.compensating) {
            a.requiredCompensations.clear();
            a.missingCompensations.clear();
        }
        break;
    case ExecutionStatus::TimedOut:
        a.outcome = SagaOutcome::TimedOut;
        a.notes.append(QStringLiteral("timed out %1").arg(phaseOf(a)));
        break;
    case ExecutionStatus::Aborted:
        a.outcome = SagaOutcome::Aborted;
        a.notes.append(QStringLiteral("aborted %1").arg(phaseOf(a)));
        break;
    case ExecutionStatus::Succeeded:
        classifySucceeded(a, t, forwardAllSucceeded);
        break;
    case ExecutionStatus::Failed:
        classifyFailed(a);
        break;
    }
}

} // namespace

SagaAnalysis analyzeSaga(const StateGraph &graph, const SagaRoles &roles, const Timeline &timeline)
{
    Q_UNUSED(graph)
    SagaAnalysis a;
    a.timeline = timeline;
    a.executionStatus = timeline.status;
    a.stepRoles.reserve(timeline.steps.size());
    for (const Step &s : timeline.steps)
        a.stepRoles.append(roles.role(s.state));
    const Turn turn = findTurn(a, roles);
    const bool forwardAllSucceeded = collectCompletedSteps(a, turn);
    collectCompensations(a, roles, turn);
    classify(a, turn, forwardAllSucceeded);
    return a;
}

QJsonObject SagaAnalysis::toJson() const
{
    const auto list = [](const QStringList &l) { return QJsonArray::fromStringList(l); };
    QJsonArray stepArray;
    for (qsizetype i = 0; i < timeline.steps.size(); ++i) {
        const Step &s = timeline.steps.at(i);
        QJsonObject o;
        o.insert(QStringLiteral("state"), s.state);
        o.insert(QStringLiteral("role"), stateRoleName(stepRoles.value(i, StateRole::Other)));
        o.insert(QStringLiteral("status"), stepStatusName(s.status));
        o.insert(QStringLiteral("attempts"), s.attempts);
        o.insert(QStringLiteral("startedAt"),
            s.startedAt.isValid() ? QJsonValue(s.startedAt.toString(Qt::ISODateWithMs)) : QJsonValue());
        o.insert(QStringLiteral("durationMs"), s.durationMs() >= 0 ? QJsonValue(double(s.durationMs())) : QJsonValue());
        o.insert(QStringLiteral("error"), s.error.isEmpty() ? QJsonValue() : QJsonValue(s.error));
        o.insert(QStringLiteral("cause"), s.cause.isEmpty() ? QJsonValue() : QJsonValue(s.cause));
        if (s.parent >= 0)
            o.insert(QStringLiteral("parent"), s.parent);
        stepArray.append(o);
    }
    QJsonObject o;
    o.insert(QStringLiteral("outcome"), sagaOutcomeName(outcome));
    o.insert(QStringLiteral("executionStatus"), executionStatusName(executionStatus));
    o.insert(QStringLiteral("failedStep"), failedStep.isEmpty() ? QJsonValue() : QJsonValue(failedStep));
    o.insert(QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error));
    o.insert(QStringLiteral("cause"), cause.isEmpty() ? QJsonValue() : QJsonValue(cause));
    o.insert(QStringLiteral("dangling"), list(dangling));
    o.insert(QStringLiteral("missingCompensations"), list(missingCompensations));
    o.insert(QStringLiteral("notes"), list(notes));
    o.insert(QStringLiteral("steps"), stepArray);
    return o;
}

} // namespace Bramble::Saga

namespace Bramble::Saga {

QString outcomeSentence(const SagaAnalysis &a)
{
    const QString failed = a.failedStep.isEmpty() ? QStringLiteral("a step") : a.failedStep;
    const QString left = a.dangling.join(QStringLiteral(", "));
    switch (a.outcome) {
    case SagaOutcome::Running:
        if (a.compensating)
            return QStringLiteral("Compensating after %1 failed").arg(failed);
        return a.completedSteps.isEmpty()
            ? QStringLiteral("Running")
            : QStringLiteral("Running: %1 done").arg(a.completedSteps.join(QStringLiteral(", ")));
    case SagaOutcome::Committed:
        return a.completedSteps.isEmpty()
            ? QStringLiteral("Committed")
            : QStringLiteral("Committed: %1 succeeded").arg(a.completedSteps.join(QStringLiteral(", ")));
    case SagaOutcome::Compensated:
        return QStringLiteral("Rolled back cleanly after %1 failed").arg(failed);
    case SagaOutcome::CompensationFailed:
        return left.isEmpty() ? QStringLiteral("Rollback FAILED after %1 failed").arg(failed)
                              : QStringLiteral("Rollback FAILED: %1 left committed").arg(left);
    case SagaOutcome::FailedUncompensated:
        return left.isEmpty() ? QStringLiteral("Failed at %1, nothing to roll back").arg(failed)
                              : QStringLiteral("Failed at %1 without rollback: %2 left committed").arg(failed, left);
    case SagaOutcome::TimedOut:
        return left.isEmpty() ? QStringLiteral("Timed out") : QStringLiteral("Timed out: %1 left committed").arg(left);
    case SagaOutcome::Aborted:
        return left.isEmpty() ? QStringLiteral("Stopped") : QStringLiteral("Stopped: %1 left committed").arg(left);
    }
    return QString();
}

} // namespace Bramble::Saga
