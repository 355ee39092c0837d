#pragma once

#include "aws/awserror.h"
#include "saga/incrementalanalysis.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace Bramble::Aws {
class AwsPager;
class StepFunctionsClient;
} // namespace Bramble::Aws

namespace Bramble::Saga {

// Follows one Step Functions execution live: polls GetExecutionHistory and
// emits only the events not seen before, until a terminal event
// (ExecutionSucceeded / Failed / TimedOut / Aborted) or an error that retrying
// will not cure. Used by `bramblectl sagas watch` and the Sagas pane.
//
// Fetching only what is new: each poll asks for reverseOrder=true pages
// (newest first) and stops paging at the first event id it already knows, so
// a long history costs one page per poll on real AWS. Some services ignore
// reverseOrder (moto answers oldest first): when a poll's ids come out
// ascending (an id greater than the one before it, or a first id below the
// newest known), the follower switches for good to reading every page in
// forward order and keeping the ids greater than the newest known. Either
// way a poll's events are appended only when the poll completed, so a page
// that failed half way leaves no gap, and an id is never appended twice.
//
// Poll interval: activeIntervalMs after a poll that brought events, then
// ×1.5 per empty poll up to idleIntervalMs. After a throttling (or other
// retryable) error that outlived the transport's own retries:
// throttledIntervalMs, doubled per consecutive error up to
// maxThrottledIntervalMs (10 s, 20 s, 30 s); the first successful poll
// returns to the normal schedule.
//
// The client (and its transport) must outlive the follower. GUI/main thread.
class ExecutionFollower : public QObject {
    Q_OBJECT

public:
    // Step Functions' quotas, for the gauges: events in one execution's
    // history, and the bytes of one input or output (UTF-8).
    static constexpr int MaxHistoryEvents = 25000;
    static constexpr qsizetype MaxPayloadBytes = 256 * 1024;

    ExecutionFollower(Aws::StepFunctionsClient *client, QString executionArn, QObject *parent = nullptr);
    ~ExecutionFollower() override;

    QString executionArn() const { return m_arn; }

    // The events up to lastEventId were read already (a whole history, from
    // event 1): polls bring only later ones. Call before start().
    void resumeAfter(qint64 lastEventId, int eventCount, qsizetype largestPayloadBytes);
    // Whether events() keeps every event (the default). A caller that reads
    // each eventsAppended() batch and keeps what it needs turns it off.
    void setRetainEvents(bool retain) { m_retain = retain; }

    // Polls at once, then on the schedule. No-op while running or once finished.
    void start();
    // Cancels the poll in flight and the next one; no signal comes after it.
    // start() resumes from the events already known.
    void stop();
    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }

    // Every event so far, in id order (none when not retained, see setRetainEvents()).
    const QList<QJsonObject> &events() const { return m_events; }
    qint64 lastEventId() const { return m_lastId; }
    // The terminal event's type ("ExecutionSucceeded"...), empty until then.
    QString terminalEventType() const { return m_terminalType; }
    // The error finished() reported, or the last failed poll's.
    const Core::Error &lastError() const { return m_lastError; }
    // False once the service was seen ignoring reverseOrder.
    bool reverseOrderHonoured() const { return !m_forwardOnly; }
    int pollCount() const { return m_polls; }

    // The gauges: events vs MaxHistoryEvents, the largest "input"/"output" of
    // any event details vs MaxPayloadBytes.
    int eventCount() const { return m_count; }
    double eventFraction() const { return double(m_count) / MaxHistoryEvents; }
    qsizetype largestPayloadBytes() const { return m_largestPayload; }
    double payloadFraction() const { return double(m_largestPayload) / double(MaxPayloadBytes); }

    // The wait before the next poll (the one scheduled, or the one that will be).
    int intervalMs() const;
    void setActiveIntervalMs(int ms) { m_activeMs = qMax(1, ms); }
    void setIdleIntervalMs(int ms) { m_idleMs = qMax(1, ms); }
    void setThrottledIntervalMs(int firstMs, int maxMs);
    int activeIntervalMs() const { return m_activeMs; }
    int idleIntervalMs() const { return m_idleMs; }
    // GetExecutionHistory maxResults (1..1000); 0: the service's default.
    void setPageSize(int events) { m_pageSize = events; }

Q_SIGNALS:
    // New events, ascending ids, none seen before.
    void eventsAppended(const QList<QJsonObject> &newEvents);
    // After every completed or failed poll: the wait before the next one.
    void polled(int nextPollMs);
    // A poll failed; unless finished() follows, the follower keeps polling.
    void error(const Bramble::Core::Error &error);
    // Once: at a terminal event (error null) or on an error that is not
    // retryable (throttling, network trouble, timeouts and 5xx are retried).
    void finished(const Bramble::Core::Error &error);

private:
    void poll();
    void onPage(const QJsonArray &items);
    void onPagerFinished();
    void completePoll();
    void failPoll(const Core::Error &error);
    void schedule();
    void finish(const Core::Error &error);
    void dropPager();

    Aws::StepFunctionsClient *m_client;
    QString m_arn;
    QTimer *m_timer;
    QPointer<Aws::AwsPager> m_pager;

    QList<QJsonObject> m_events;
    qint64 m_lastId = 0;
    qint64 m_firstId = 0;
    qsizetype m_largestPayload = 0;
    int m_count = 0;
    bool m_retain = true;
    QString m_terminalType;
    Core::Error m_lastError;

    // The poll in flight: new events by id, the id received before.
    QMap<qint64, QJsonObject> m_fresh;
    qint64 m_previousId = 0;
    bool m_forwardOnly = false;

    bool m_running = false;
    bool m_finished = false;
    int m_polls = 0;
    int m_pageSize = 0;
    int m_activeMs = 1000;
    int m_idleMs = 5000;
    int m_throttledMs = 10000;
    int m_maxThrottledMs = 30000;
    int m_normalMs = 1000;
    int m_errorStreak = 0;
};

} // namespace Bramble::Saga
