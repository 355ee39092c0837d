#pragma once

#include "core/error.h"
#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QJsonObject>
#include <QList>

namespace Bramble::Saga {

// The largest "input" or "output" (UTF-8 bytes) of one history event's
// "*EventDetails": what the 256 KiB payload quota applies to.
qsizetype eventPayloadBytes(const QJsonObject &event);

// What the history gauges show, against Step Functions' quotas: events in one
// execution's history, and the bytes of one input or output (UTF-8).
struct HistoryStats {
    static constexpr int MaxEvents = 25000;
    static constexpr qsizetype MaxPayloadBytes = 256 * 1024;

    int eventCount = 0;
    qsizetype largestPayloadBytes = 0;

    double eventFraction() const { return double(eventCount) / MaxEvents; }
    double payloadFraction() const { return double(largestPayloadBytes) / double(MaxPayloadBytes); }
    // Counts one wire event (GetExecutionHistory's JSON).
    void add(const QJsonObject &event);
};

// The saga analysis of an execution whose history arrives in pieces (the
// load, then each poll of a follower). append() reads only the new events:
// it parses them, extends the timeline (TimelineBuilder) and the statistics;
// analysis() then classifies the steps so far. The result is the one
// analyzeSaga() gives for the whole history read at once. The wire events
// themselves are not kept. Any thread, one at a time.
class IncrementalAnalysis {
public:
    IncrementalAnalysis() = default;
    IncrementalAnalysis(StateGraph graph, SagaRoles roles);

    // Wire events in ascending id order; ids at or below lastEventId() are skipped.
    void append(const QList<QJsonObject> &events);

    SagaAnalysis analysis() const;
    const Timeline &timeline() const { return m_timeline.timeline(); }
    const HistoryStats &stats() const { return m_stats; }
    qint64 lastEventId() const { return m_timeline.lastEventId(); }
    const StateGraph &graph() const { return m_graph; }
    const SagaRoles &roles() const { return m_roles; }
    // Entries that could not be read (with their JSON pointer into the whole
    // history); takeProblems() hands over those not taken yet.
    Core::Errors takeProblems();

private:
    StateGraph m_graph;
    SagaRoles m_roles;
    TimelineBuilder m_timeline;
    HistoryStats m_stats;
    Core::Errors m_problems;
    qsizetype m_read = 0; // wire events handed to append(), for the problems' JSON pointers
};

} // namespace Bramble::Saga
