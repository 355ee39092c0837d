#include "saga/executionfollower.h"

#include "aws/awspager.h"
#include "aws/retrypolicy.h"
#include "aws/stepfunctionsclient.h"

#include <QJsonArray>
#include <QTimer>

namespace Bramble::Saga {

namespace {

qint64 eventId(const QJsonObject &event)
{
    return qint64(event.value(QStringLiteral("id")).toDouble());
}

bool isTerminalType(const QString &type)
{
    return type == u"ExecutionSucceeded" || type == u"ExecutionFailed" || type == u"ExecutionTimedOut"
        || type == u"ExecutionAborted";
}

// The service had no answer to give: throttled, unreachable, 5xx. HTTP 429
// counts even without a throttling code.
bool isRetryable(const Core::Error &error)
{
    return Aws::RetryPolicy::isRetryable(error) || error.httpStatus == 429;
}

} // namespace

ExecutionFollower::ExecutionFollower(Aws::StepFunctionsClient *client, QString executionArn, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_arn(std::move(executionArn))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ExecutionFollower::poll);
}

ExecutionFollower::~ExecutionFollower()
{
    dropPager();
}

void ExecutionFollower::start()
{
    if (m_running || m_finished)
        return;
    m_running = true;
    if (m_polls == 0)
        m_normalMs = m_activeMs;
    poll();
}

void ExecutionFollower::stop()
{
    m_running = false;
    m_timer->stop();
    dropPager();
}

void ExecutionFollower::resumeAfter(qint64 lastEventId, int eventCount, qsizetype largestPayloadBytes)
{
    if (m_running || m_polls > 0 || lastEventId <= 0)
        return;
    m_firstId = 1;
    m_lastId = lastEventId;
    m_count = eventCount;
    m_largestPayload = largestPayloadBytes;
}

void ExecutionFollower::setThrottledIntervalMs(int firstMs, int maxMs)
{
    m_throttledMs = qMax(1, firstMs);
    m_maxThrottledMs = qMax(m_throttledMs, maxMs);
}

int ExecutionFollower::intervalMs() const
{
    if (m_errorStreak == 0)
        return m_normalMs;
    const qint64 backoff = qint64(m_throttledMs) << qMin(m_errorStreak - 1, 20);
    return int(qMin(backoff, qint64(m_maxThrottledMs)));
}

void ExecutionFollower::poll()
{
    if (!m_running || m_pager)
        return;
    ++m_polls;
    m_fresh.clear();
    m_previousId = 0;
    Aws::ExecutionHistoryOptions options;
    options.maxResults = m_pageSize;
    options.reverseOrder = !m_forwardOnly;
    m_pager = m_client->getExecutionHistory(m_arn, options);
    connect(m_pager, &Aws::AwsPager::pageReceived, this, [this](const QJsonArray &items) { onPage(items); });
    connect(m_pager, &Aws::AwsPager::finished, this, &ExecutionFollower::onPagerFinished);
}

// Newest first (reverseOrder honoured): everything above the newest known id
// is new, and the first known id ends the poll. Ascending ids mean the
// service ignored reverseOrder: then every page is read.
void ExecutionFollower::onPage(const QJsonArray &items)
{
    bool reachedKnown = false;
    for (const QJsonValue &value : items) {
        const QJsonObject event = value.toObject();
        const qint64 id = eventId(event);
        if (id <= 0)
            continue;
        if (!m_forwardOnly && (m_previousId > 0 ? id > m_previousId : id < m_lastId))
            m_forwardOnly = true;
        m_previousId = id;
        if (id > m_lastId)
            m_fresh.insert(id, event);
        else if (id != m_firstId)
            reachedKnown = true; // the oldest known id is ambiguous: oldest first would start there too
    }
    if (!reachedKnown || m_forwardOnly)
        return;
    dropPager();
    completePoll();
}

void ExecutionFollower::onPagerFinished()
{
    const Core::Error error = m_pager->error();
    m_pager = nullptr; // it deletes itself
    if (error.isNull())
        completePoll();
    else
        failPoll(error);
}

void ExecutionFollower::completePoll()
{
    QList<QJsonObject> added;
    added.reserve(m_fresh.size());
    for (auto it = m_fresh.cbegin(); it != m_fresh.cend(); ++it) {
        added.append(it.value());
        m_largestPayload = qMax(m_largestPayload, eventPayloadBytes(it.value()));
        const QString type = it.value().value(QStringLiteral("type")).toString();
        if (isTerminalType(type))
            m_terminalType = type;
    }
    m_fresh.clear();
    m_errorStreak = 0;
    if (added.isEmpty()) {
        m_normalMs = qBound(m_activeMs, int(m_normalMs * 1.5), m_idleMs);
    } else {
        if (m_firstId == 0)
            m_firstId = eventId(added.constFirst());
        m_lastId = eventId(added.constLast());
        m_count += int(added.size());
        if (m_retain)
            m_events += added;
        m_normalMs = m_activeMs;
        const QPointer<ExecutionFollower> self(this);
        Q_EMIT eventsAppended(added);
        if (!self || !m_running)
            return; // stopped or deleted by a slot
    }
    if (!m_terminalType.isEmpty())
        finish({});
    else
        schedule();
}

void ExecutionFollower::failPoll(const Core::Error &error)
{
    m_fresh.clear();
    m_lastError = error;
    const bool retry = isRetryable(error);
    if (retry)
        ++m_errorStreak;
    const QPointer<ExecutionFollower> self(this);
    Q_EMIT this->error(error);
    if (!self || !m_running)
        return;
    if (retry)
        schedule();
    else
        finish(error);
}

void ExecutionFollower::schedule()
{
    const int ms = intervalMs();
    m_timer->start(ms);
    Q_EMIT polled(ms);
}

void ExecutionFollower::finish(const Core::Error &error)
{
    m_running = false;
    m_finished = true;
    m_timer->stop();
    dropPager();
    if (!error.isNull())
        m_lastError = error;
    Q_EMIT finished(error);
}

void ExecutionFollower::dropPager()
{
    if (!m_pager)
        return;
    m_pager->disconnect(this);
    m_pager->cancel();
    m_pager = nullptr;
}

} // namespace Bramble::Saga
