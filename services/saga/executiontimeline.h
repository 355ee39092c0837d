#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace Bramble::Saga {

// One GetExecutionHistory event (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
struct HistoryEvent {
    qint64 id = 0;
    qint64 previousEventId = 0;
    QString type; // "TaskStateEntered", "ExecutionFailed", ...
    QDateTime timestamp; // UTC; invalid when the event carried none
    QJsonObject details; // the one "*EventDetails" member, empty when absent

    QString name() const { return details.value(QStringLiteral("name")).toString(); }
    QString error() const { return details.value(QStringLiteral("error")).toString(); }
    QString cause() const { return details.value(QStringLiteral("cause")).toString(); }
};

struct History {
    QList<HistoryEvent> events; // sorted by id, duplicates removed
    Core::Errors problems; // entries that were skipped, with their JSON pointer
};

// Reads a GetExecutionHistory response ({"events": [...]}) or a bare events
// array, in either order. Timestamps may be epoch seconds (the wire format)
// or ISO 8601 strings (the aws CLI's output). Entries without a positive id
// or a type are skipped and reported; a duplicated id keeps the first entry.
History parseHistory(const QByteArray &json);
History parseHistory(const QJsonArray &events);
// The events as ExecutionFollower and SagaExplorer hold them; `firstIndex`
// is the position of the first one in the whole history (for the pointers
// of the problems, when a history is read in pieces).
History parseHistory(const QList<QJsonObject> &events, qsizetype firstIndex = 0);

enum class StepStatus {
    Running, // entered, not closed yet
    Succeeded, // exited after a successful last attempt (Succeed states, exits without failure)
    Caught, // its last attempt failed and it exited: a Catch sent the flow on (see Step::nextState)
    Failed, // failed and the failure ended the execution or the enclosing branch (Fail states too)
    Aborted, // closed by *StateAborted, ExecutionAborted or ExecutionTimedOut
};

QString stepStatusName(StepStatus status); // "RUNNING", "SUCCEEDED", "CAUGHT", "FAILED", "ABORTED"

// One visit of a state: from its *StateEntered to the event that closed it.
struct Step {
    QString state;
    QString stateType; // "Task", "Parallel", ... from the event type
    int parent = -1; // index of the enclosing Parallel/Map step, -1 at the top level
    int mapIteration = -1; // index of the Map iteration it ran in, -1 outside a Map
    qint64 enteredEventId = 0;
    qint64 closedEventId = 0; // 0 while running
    StepStatus status = StepStatus::Running;
    int attempts = 0; // Task/Lambda/Activity scheduled, or Parallel/Map started; retries are attempts - 1
    QDateTime startedAt;
    QDateTime endedAt;
    QString input;
    QString output;
    QString error; // of the last failed attempt (or the failed child for Parallel/Map)
    QString cause;
    QString nextState; // the state entered right after this one (by previousEventId), if any

    qint64 durationMs() const { return startedAt.isValid() && endedAt.isValid() ? startedAt.msecsTo(endedAt) : -1; }
};

enum class ExecutionStatus { Running, Succeeded, Failed, TimedOut, Aborted };

QString executionStatusName(ExecutionStatus status); // "RUNNING", "SUCCEEDED", ... as DescribeExecution spells them

struct Timeline {
    QList<Step> steps; // in the order they were entered
    ExecutionStatus status = ExecutionStatus::Running;
    qint64 terminalEventId = 0; // the event that ended the execution (after the last redrive), 0 while running
    QString error; // from ExecutionFailed / Aborted / TimedOut
    QString cause;
    int failedStep = -1; // the step the terminal failure came from, -1 when none
    QString input; // ExecutionStarted input
    QString output; // ExecutionSucceeded output
    int redriveCount = 0;
    Core::Errors problems; // links that could not be followed (partial history, hostile input)
};

// Rebuilds the state visits from events (sorted by id). Events are assigned to
// visits by following previousEventId, never by adjacency, so Parallel branches
// and Map iterations that interleave end up under the right parent. Works on a
// partial history: visits without a closing event stay Running.
Timeline buildTimeline(const History &history);

class TimelineBuilderState;

// buildTimeline() for a history that arrives in pieces (a follower's polls):
// each append() reads only the new events, and timeline() is then what
// buildTimeline() gives for all the events so far. Pieces come from
// parseHistory() (sorted); an event whose id is not above the last one read
// is skipped and reported in the timeline's problems. Of each event read,
// only its id, type and links are kept. Any thread, one at a time.
class TimelineBuilder {
public:
    TimelineBuilder();
    ~TimelineBuilder();
    TimelineBuilder(TimelineBuilder &&) noexcept;
    TimelineBuilder &operator=(TimelineBuilder &&) noexcept;

    void append(const History &events);
    const Timeline &timeline() const;
    qint64 lastEventId() const; // 0 before the first event
    qsizetype eventCount() const;

private:
    std::unique_ptr<TimelineBuilderState> d;
};

} // namespace Bramble::Saga

// Every member is relocatable: a growing list moves them with memmove instead
// of copying each (a 25,000-event history grows the steps list many times).
Q_DECLARE_TYPEINFO(Bramble::Saga::HistoryEvent, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(Bramble::Saga::Step, Q_RELOCATABLE_TYPE);
