#include "models/sagavisuals.h"

namespace Bramble::Models {

using Saga::StateRole;
using Saga::StepStatus;

QString stateVisualName(StateVisual visual)
{
    switch (visual) {
    case StateVisual::NotReached:
        return QStringLiteral("Not reached");
    case StateVisual::Running:
        return QStringLiteral("Running");
    case StateVisual::Succeeded:
        return QStringLiteral("Succeeded");
    case StateVisual::Failed:
        return QStringLiteral("Failed");
    case StateVisual::Caught:
        return QStringLiteral("Caught");
    case StateVisual::Compensated:
        return QStringLiteral("Compensated");
    case StateVisual::CompensationSucceeded:
        return QStringLiteral("Compensation succeeded");
    case StateVisual::CompensationFailed:
        return QStringLiteral("Compensation failed");
    case StateVisual::Aborted:
        return QStringLiteral("Aborted");
    }
    return {};
}

namespace {

// The top-level state that contains node (node itself at the top level).
int topLevelOf(const Saga::StateGraph &graph, int node)
{
    for (int guard = 0; guard < 64 && node >= 0 && node < graph.nodes.size(); ++guard) {
        const int parent = graph.nodes.at(node).parent;
        if (parent < 0 || parent >= graph.nodes.size())
            return node;
        node = parent;
    }
    return node;
}

} // namespace

QHash<QString, StateVisual> stateVisuals(
    const Saga::StateGraph &graph, const Saga::SagaRoles &roles, const Saga::SagaAnalysis &analysis)
{
    const QList<Saga::Step> &steps = analysis.timeline.steps;
    QHash<QString, int> lastVisit;
    for (qsizetype i = 0; i < steps.size(); ++i)
        lastVisit.insert(steps.at(i).state, int(i)); // later visits overwrite earlier ones

    QHash<QString, StateVisual> out;
    out.reserve(graph.nodes.size());
    for (const Saga::StateNode &node : graph.nodes) {
        const auto it = lastVisit.constFind(node.name);
        out.insert(node.name,
            it == lastVisit.cend() ? StateVisual::NotReached
                                   : visitVisual(steps.at(*it).status, roles.role(node.name)));
    }

    // A completed forward step is undone when its paired compensation
    // succeeded after it.
    for (auto pair = roles.compensationOf.cbegin(); pair != roles.compensationOf.cend(); ++pair) {
        if (out.value(pair.key()) != StateVisual::Succeeded)
            continue;
        const int forward = lastVisit.value(pair.key(), -1);
        const int compensation = lastVisit.value(pair.value(), -1);
        if (forward < 0 || compensation < 0 || steps.at(compensation).status != StepStatus::Succeeded)
            continue;
        if (steps.at(compensation).enteredEventId > steps.at(forward).enteredEventId)
            out.insert(pair.key(), StateVisual::Compensated);
    }

    // States inside an undone Parallel/Map were undone with it.
    for (qsizetype n = 0; n < graph.nodes.size(); ++n) {
        const Saga::StateNode &node = graph.nodes.at(n);
        if (node.parent < 0 || out.value(node.name) != StateVisual::Succeeded)
            continue;
        const int top = topLevelOf(graph, int(n));
        if (top >= 0 && top < graph.nodes.size() && out.value(graph.nodes.at(top).name) == StateVisual::Compensated)
            out.insert(node.name, StateVisual::Compensated);
    }
    return out;
}

QHash<QString, StateVisual> stateVisuals(const Saga::StateGraph &graph, const Saga::SagaAnalysis &analysis)
{
    return stateVisuals(graph, Saga::deriveRoles(graph), analysis);
}

QSet<QString> danglingStates(const Saga::SagaAnalysis &analysis)
{
    return QSet<QString>(analysis.dangling.cbegin(), analysis.dangling.cend());
}

StateVisual visitVisual(StepStatus status, StateRole role)
{
    const bool compensation = role == StateRole::Compensation;
    switch (status) {
    case StepStatus::Running:
        return StateVisual::Running;
    case StepStatus::Succeeded:
        return compensation ? StateVisual::CompensationSucceeded : StateVisual::Succeeded;
    case StepStatus::Caught:
        // A compensation that had to be caught did not undo anything.
        return compensation ? StateVisual::CompensationFailed : StateVisual::Caught;
    case StepStatus::Failed:
        return compensation ? StateVisual::CompensationFailed : StateVisual::Failed;
    case StepStatus::Aborted:
        return StateVisual::Aborted;
    }
    return StateVisual::NotReached;
}

} // namespace Bramble::Models
