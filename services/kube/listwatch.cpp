#include "kube/listwatch.h"

#include "kube/logging.h"

#include <QTimer>

namespace Bramble::Kube {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString versionOf(const QJsonObject &object)
{
    return object.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("resourceVersion")).toString();
}

} // namespace

QString ConnectionStatus::stateName(State state)
{
    switch (state) {
    case Idle:
        return QStringLiteral("idle");
    case Connecting:
        return QStringLiteral("connecting");
    case Live:
        return QStringLiteral("live");
    case Reconnecting:
        return QStringLiteral("reconnecting");
    case Failed:
        return QStringLiteral("failed");
    }
    return {};
}

ListWatch::ListWatch(KubeClient *client, QString path, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_path(std::move(path))
    , m_retryTimer(new QTimer(this))
    , m_watchdog(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    m_watchdog->setInterval(5000);
    connect(m_watchdog, &QTimer::timeout, this, &ListWatch::checkSilence);
}

ListWatch::~ListWatch()
{
    stop();
}

QString ListWatch::keyOf(const QJsonObject &object)
{
    const QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    const QString ns = meta.value(QStringLiteral("namespace")).toString();
    const QString name = meta.value(QStringLiteral("name")).toString();
    return ns.isEmpty() ? name : ns + u'/' + name;
}

void ListWatch::setWatchTimeoutRange(int minSeconds, int maxSeconds)
{
    m_minTimeout = std::max(1, minSeconds);
    m_maxTimeout = std::max(m_minTimeout, maxSeconds);
}

void ListWatch::setBackoff(int initialMs, int maxMs, int resetAfterMs)
{
    m_initialBackoffMs = initialMs;
    m_maxBackoffMs = maxMs;
    m_resetAfterMs = resetAfterMs;
}

void ListWatch::setWatchdogIntervalMs(int ms)
{
    m_watchdog->setInterval(ms);
}

void ListWatch::start()
{
    if (m_running)
        return;
    m_running = true;
    m_backoffMs = 0;
    setState(ConnectionStatus::Connecting);
    m_lastTickMs = nowMs();
    m_watchdog->start();
    list();
}

void ListWatch::stop()
{
    m_running = false;
    m_retryTimer->stop();
    m_watchdog->stop();
    if (m_list) {
        m_list->disconnect(this);
        m_list->cancel();
    }
    dropStream();
    setState(ConnectionStatus::Idle);
}

void ListWatch::setState(ConnectionStatus::State state, const QString &reason)
{
    ConnectionStatus next = m_status;
    if (state != m_status.state) {
        // Reconnecting and Failed keep the time of the first failure.
        const bool stillDown = (state == ConnectionStatus::Reconnecting || state == ConnectionStatus::Failed)
            && (m_status.state == ConnectionStatus::Reconnecting || m_status.state == ConnectionStatus::Failed);
        if (!stillDown)
            next.since = QDateTime::currentDateTimeUtc();
    }
    next.state = state;
    next.reason = reason;
    if (state == ConnectionStatus::Live) {
        next.attempt = 0;
        next.lastSync = QDateTime::currentDateTimeUtc();
    }
    if (next == m_status)
        return;
    m_status = next;
    Q_EMIT statusChanged(m_status);
}

void ListWatch::list()
{
    if (!m_running || !m_client)
        return;
    ++m_lists;
    KubeList *list = KubeList::start(m_client, m_path, m_pageSize, this);
    m_list = list;
    connect(list, &KubeList::finished, this, [this, list] {
        m_list = nullptr;
        if (!m_running)
            return;
        if (!list->ok()) {
            retry(true, list->error());
            return;
        }
        finishList(list->items(), list->resourceVersion());
    });
    // The server asked to wait (429, 503 + Retry-After): say so on the freshness line.
    connect(list, &KubeList::progressChanged, this, [this](const Core::Progress &p) {
        if (m_running)
            setState(m_status.state == ConnectionStatus::Connecting ? ConnectionStatus::Connecting
                                                                    : ConnectionStatus::Reconnecting,
                p.text);
    });
}

void ListWatch::finishList(const QList<QJsonObject> &items, const QString &resourceVersion)
{
    // The difference between what the consumer has and what the list says.
    QHash<QString, QJsonObject> fresh;
    fresh.reserve(items.size());
    WatchEvents events;
    for (const QJsonObject &o : items) {
        const QString key = keyOf(o);
        if (key.isEmpty())
            continue;
        const auto old = m_store.constFind(key);
        if (old == m_store.cend())
            events.append({ WatchEvent::Added, o });
        else if (versionOf(*old) != versionOf(o) || *old != o)
            events.append({ WatchEvent::Modified, o });
        fresh.insert(key, o);
    }
    for (auto it = m_store.cbegin(); it != m_store.cend(); ++it)
        if (!fresh.contains(it.key()))
            events.append({ WatchEvent::Deleted, it.value() });
    m_store = std::move(fresh);
    m_resourceVersion = resourceVersion;
    m_status.lastSync = QDateTime::currentDateTimeUtc();
    qCDebug(lcKube).noquote() << m_path << "listed" << m_store.size() << "at" << m_resourceVersion << "changes"
                              << events.size();
    emitEvents(events);
    Q_EMIT synced();
    watch();
}

void ListWatch::emitEvents(WatchEvents &events)
{
    if (!events.isEmpty())
        Q_EMIT eventsReady(std::exchange(events, {}));
}

void ListWatch::watch()
{
    if (!m_running || !m_client)
        return;
    dropStream();
    ++m_watches;
    m_streamTimeoutSeconds = m_minTimeout + int(m_random.bounded(quint32(m_maxTimeout - m_minTimeout + 1)));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("resourceVersion"), m_resourceVersion);
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(m_streamTimeoutSeconds));
    KubeWatchStream *stream = m_client->watch(m_path, query);
    m_stream = stream;
    m_streamStartMs = nowMs();
    m_streamHadEvents = false;
    m_streamConnected = false;
    connect(stream, &KubeWatchStream::connected, this, [this] {
        m_streamConnected = true;
        if (m_status.state != ConnectionStatus::Live)
            m_healthySinceMs = nowMs();
        setState(ConnectionStatus::Live);
    });
    connect(stream, &KubeWatchStream::eventsReceived, this, &ListWatch::onWatchEvents);
    connect(stream, &KubeWatchStream::finished, this, [this, stream] { onWatchFinished(stream->error()); });
}

void ListWatch::onWatchEvents(const QList<QJsonObject> &raw)
{
    WatchEvents events;
    for (const QJsonObject &e : raw) {
        const QString type = e.value(QStringLiteral("type")).toString();
        const QJsonObject object = e.value(QStringLiteral("object")).toObject();
        if (type == u"ERROR") {
            emitEvents(events);
            Core::Error error = statusError(object.value(QStringLiteral("code")).toInt(),
                object.value(QStringLiteral("reason")).toString(), object.value(QStringLiteral("message")).toString());
            error.operation = QStringLiteral("WATCH ") + m_path;
            dropStream();
            if (isExpired(error)) {
                qCInfo(lcKube).noquote() << m_path << "watch expired:" << error.toString() << "- listing again";
                setState(ConnectionStatus::Reconnecting, error.toString());
                list();
            } else {
                retry(true, error);
            }
            return;
        }
        const QString version = versionOf(object);
        if (type == u"BOOKMARK") {
            if (!version.isEmpty())
                m_resourceVersion = version;
            continue;
        }
        const QString key = keyOf(object);
        if (key.isEmpty() || (type != u"ADDED" && type != u"MODIFIED" && type != u"DELETED"))
            continue; // nothing to key it by, or a type client-go would reject
        m_streamHadEvents = true;
        if (!version.isEmpty())
            m_resourceVersion = version;
        const bool known = m_store.contains(key);
        if (type == u"DELETED") {
            if (known) {
                m_store.remove(key);
                events.append({ WatchEvent::Deleted, object });
            }
            continue;
        }
        m_store.insert(key, object);
        events.append({ known ? WatchEvent::Modified : WatchEvent::Added, object });
    }
    emitEvents(events);
}

void ListWatch::onWatchFinished(const Core::Error &error)
{
    m_stream = nullptr;
    if (!m_running || error.is(Core::Error::Kind::Cancelled))
        return;
    if (error.isNull()) {
        // The server ended the watch (timeoutSeconds). A watch that ends at
        // once with nothing in it is an error in disguise: back off.
        if (nowMs() - m_streamStartMs < 1000 && !m_streamHadEvents) {
            retry(false,
                Core::Error(Core::Error::Kind::Network, QStringLiteral("the watch closed at once, with no events")));
            return;
        }
        watch();
        return;
    }
    if (isExpired(error)) {
        setState(ConnectionStatus::Reconnecting, error.toString());
        list();
        return;
    }
    // A stream that broke after it was open, refused connections and
    // throttling keep the resourceVersion: watching again from it loses
    // nothing (and a 410 then says when it would). Server errors before the
    // stream opened relist.
    // (A stream that broke, or carried a line we could not read, has no HTTP status.)
    const bool broken = m_streamConnected && error.httpStatus == 0
        && (error.kind == Core::Error::Kind::Network || error.kind == Core::Error::Kind::Server);
    const bool rewatch = broken || isConnectionRefused(error) || error.httpStatus == 429;
    retry(!rewatch, error);
}

void ListWatch::retry(bool relist, const Core::Error &error)
{
    if (!m_running)
        return;
    const qint64 now = nowMs();
    if (m_status.state == ConnectionStatus::Live && now - m_healthySinceMs >= m_resetAfterMs)
        m_backoffMs = 0;
    const int base = m_backoffMs == 0 ? m_initialBackoffMs : std::min(m_maxBackoffMs, m_backoffMs * 2);
    m_backoffMs = base;
    // Full jitter on top (client-go: jitter 1.0 => [d, 2d)), capped.
    int delay = std::min<qint64>(m_maxBackoffMs, base + qint64(m_random.generateDouble() * base));
    if (error.retryAfterMs >= 0)
        delay = std::max(delay, error.retryAfterMs);
    const bool refused = error.httpStatus == 401 || error.httpStatus == 403 || error.httpStatus == 404
        || error.kind == Core::Error::Kind::Auth;
    const int attempt = m_status.attempt + 1;
    setState(refused ? ConnectionStatus::Failed : ConnectionStatus::Reconnecting, error.toString());
    m_status.attempt = attempt;
    qCInfo(lcKube).noquote() << m_path << (relist ? "relist" : "re-watch") << "in" << delay
                             << "ms after:" << error.toString();
    m_retryTimer->disconnect();
    connect(m_retryTimer, &QTimer::timeout, this, [this, relist] {
        if (relist || m_resourceVersion.isEmpty())
            list();
        else
            watch();
    });
    m_retryTimer->start(delay);
}

void ListWatch::dropStream()
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->cancel();
        m_stream = nullptr;
    }
}

void ListWatch::checkSilence()
{
    const qint64 now = nowMs();
    const qint64 gap = now - m_lastTickMs;
    m_lastTickMs = now;
    if (!m_running || !m_stream)
        return;
    // The timer fired far later than asked: the machine was asleep, and the
    // stream's TCP connection is most likely dead without knowing it.
    const bool slept = gap > 3 * m_watchdog->interval() + 10000;
    const qint64 silent = now - m_stream->lastActivityMs();
    const bool silentTooLong = silent > qint64(m_streamTimeoutSeconds) * 1000 + m_graceMs;
    if (!slept && !silentTooLong)
        return;
    const QString reason = slept ? QStringLiteral("the computer was asleep for %1 s").arg(gap / 1000)
                                 : QStringLiteral("no data for %1 s").arg(silent / 1000);
    qCInfo(lcKube).noquote() << m_path << "watch presumed dead:" << reason;
    dropStream();
    setState(ConnectionStatus::Reconnecting, reason);
    watch();
}

} // namespace Bramble::Kube
