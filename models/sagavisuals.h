#pragma once

#include "saga/aslgraph.h"
#include "saga/sagaanalysis.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace Bramble::Models {

// How one state of a saga looks after an execution: what its last visit did,
// read through the saga's roles. Pure functions over an analysis already made
// (services/saga); no I/O, safe on any thread.
enum class StateVisual {
    NotReached, // never entered
    Running, // its last visit has not closed yet
    Succeeded,
    Failed,
    Caught, // failed, and a Catch sent the flow on (usually into compensation)
    Compensated, // a forward step that completed and whose paired compensation then succeeded
    CompensationSucceeded, // a compensation state that ran OK
    CompensationFailed, // a compensation state that failed, was caught or was aborted
    Aborted, // closed by an abort or a timeout
};

// "Not reached", "Running", "Succeeded", "Failed", "Caught", "Compensated",
// "Compensation succeeded", "Compensation failed", "Aborted" (for legends and tooltips).
QString stateVisualName(StateVisual visual);

// How one visit looks: its status read through the role of its state.
StateVisual visitVisual(Saga::StepStatus status, Saga::StateRole role);

// One entry for every state of the graph (NotReached for those never entered),
// from the LAST visit of each state in analysis.timeline. A state nested in a
// Parallel/Map takes its container's role, and a step inside a compensated
// forward container is Compensated with it. A dangling step (completed, its
// compensation never succeeded) stays Succeeded: see danglingStates().
QHash<QString, StateVisual> stateVisuals(
    const Saga::StateGraph &graph, const Saga::SagaRoles &roles, const Saga::SagaAnalysis &analysis);
// Derives the roles from the graph first.
QHash<QString, StateVisual> stateVisuals(const Saga::StateGraph &graph, const Saga::SagaAnalysis &analysis);

// The forward steps the analysis found left committed without a successful
// compensation (SagaAnalysis::dangling), as a set for badges.
QSet<QString> danglingStates(const Saga::SagaAnalysis &analysis);

} // namespace Bramble::Models
