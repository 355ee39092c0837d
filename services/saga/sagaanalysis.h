#pragma once

#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Bramble::Saga {

enum class StateRole {
    Forward, // a work state (Task/Parallel/Map) on the success path from StartAt
    Compensation, // a work state reachable only through a Catch edge
    Other, // Pass/Choice/Wait/Succeed/Fail, and anything unreachable
};

QString stateRoleName(StateRole role); // "forward", "compensation", "other"

// Saga roles derived once per definition (reference/step-functions.md §6.1).
//
// Forward states: top-level states reachable from StartAt through Next,
// Default and Choice edges. Compensation states: top-level states reachable
// from a Catch target (following every edge) that are not forward. States
// inside a Parallel/Map take the role of their top-level container (the CDK
// one-branch Parallel wrapper is the unit, its inner Task the work).
//
// Pairing (which compensation undoes which forward step), in forward order.
// The chain of a step is the compensation work states entered from its
// Catch[].Next, following Next/Default/Choice through compensation states
// (seed saga: CommitRecords -> [CommitRecordsRollback, TransformRecordsRollback,
// ProcessRecordsRollback]). The step is paired with, in this order of preference
// and never with a state already paired:
//   1. a state of its chain named after it: the step's name (minus a Group/Task/
//      Step/State/Parallel wrapper suffix, case and punctuation ignored) plus
//      Rollback, Compensate, Compensation, Undo, Refund, Release, Revert or Cancel;
//   2. the first state of its chain that no earlier step's chain contains;
//   3. the first state of its chain;
//   4. a compensation state anywhere that is named after it (rule 1's names).
// Forward steps without a pair are treated as having nothing to undo.
struct SagaRoles {
    QHash<QString, StateRole> roles; // every state of the graph
    QStringList forwardSteps; // top-level forward work states, in path order
    QHash<QString, QString> compensationOf; // forward step -> its compensation state
    QHash<QString, QStringList>
        catchChains; // forward step -> compensation work states its Catch leads through, in order

    StateRole role(const QString &state) const { return roles.value(state, StateRole::Other); }
    bool operator==(const SagaRoles &o) const
    {
        return roles == o.roles && forwardSteps == o.forwardSteps && compensationOf == o.compensationOf
            && catchChains == o.catchChains;
    }
};

// What the user says about a state machine where the derivation guesses
// wrong: a role per top-level state, and which compensation undoes which
// forward step (an empty value: the step has nothing to undo). Names that are
// not top-level states of the graph are ignored.
struct RoleOverrides {
    QHash<QString, StateRole> roles;
    QHash<QString, QString> compensationOf;

    bool isEmpty() const { return roles.isEmpty() && compensationOf.isEmpty(); }
    // {"roles": {"State": "forward"|"compensation"|"other"}, "compensationOf": {"Step": "Rollback"}}
    QJsonObject toJson() const;
    static RoleOverrides fromJson(const QJsonObject &json);
    bool operator==(const RoleOverrides &other) const
    {
        return roles == other.roles && compensationOf == other.compensationOf;
    }
};

SagaRoles deriveRoles(const StateGraph &graph);
// The derivation with the user's word first: overridden roles replace the
// derived ones before forward order and pairing are worked out, and an
// overridden pair replaces the derived pairing for that step.
SagaRoles deriveRoles(const StateGraph &graph, const RoleOverrides &overrides);
StateRole stateRoleFromName(const QString &name); // Other for anything unknown

enum class SagaOutcome {
    Running, // no terminal event yet (see SagaAnalysis::compensating)
    Committed, // succeeded, every forward step succeeded, no compensation ran
    Compensated, // a forward step failed and every required compensation succeeded
    CompensationFailed, // a required compensation failed, was skipped, or was caught elsewhere
    FailedUncompensated, // the execution failed and no compensation ran
    TimedOut, // ExecutionTimedOut (qualify with the phase and the dangling set)
    Aborted, // ExecutionAborted (StopExecution)
};

QString sagaOutcomeName(SagaOutcome outcome); // "RUNNING", "COMMITTED", "COMPENSATED", ...

struct SagaAnalysis {
    SagaOutcome outcome = SagaOutcome::Running;
    ExecutionStatus executionStatus = ExecutionStatus::Running;
    bool compensating = false; // a compensation state was entered
    QString failedStep; // the forward step whose failure started compensation (or ended the run)
    QString error; // of that failure
    QString cause;
    QStringList completedSteps; // forward steps that succeeded (before the failure, if any)
    QStringList requiredCompensations; // compensation states that had to run
    QStringList succeededCompensations;
    QStringList missingCompensations; // required but without a successful visit
    QStringList dangling; // forward steps that completed and whose compensation did not succeed
    QList<StateRole> stepRoles; // aligned with timeline.steps
    QStringList notes; // human-readable qualifications (unexpected terminal, phase...)
    Timeline timeline;

    // {"outcome", "executionStatus", "failedStep" (or null), "error", "cause", "dangling",
    //  "missingCompensations", "steps": [{"state", "role", "status", "attempts", "startedAt",
    //  "durationMs", "error", "cause"}]} -- the shape `bramblectl sagas analyze --json` prints.
    QJsonObject toJson() const;
};

// Classifies an execution (reference/step-functions.md §6.2-6.3). Only
// top-level steps decide the outcome; nested steps are reported with their
// container's role. Never infers from the execution status alone.
SagaAnalysis analyzeSaga(const StateGraph &graph, const SagaRoles &roles, const Timeline &timeline);
SagaAnalysis analyzeSaga(const StateGraph &graph, const Timeline &timeline);

// One sentence for a banner or a list cell, e.g. "Committed: ProcessRecords,
// TransformRecords, CommitRecords succeeded", "Rolled back cleanly after
// TransformRecords failed", "Rollback FAILED: ProcessRecords, TransformRecords
// left committed", "Compensating after CommitRecords failed".
QString outcomeSentence(const SagaAnalysis &analysis);

} // namespace Bramble::Saga
