#include "kube/nodeservice.h"

#include "kube/logging.h"

#include <QJsonDocument>

namespace Bramble::Kube {

NodeWatcher::NodeWatcher(KubeClient *client, WatchHub *hub, QObject *parent)
    : QObject(parent)
    , m_hub(hub ? hub : new WatchHub(client, this))
    , m_watch(m_hub->watch(QString::fromUtf16(nodesPath)))
    , m_batchTimer(new QTimer(this))
{
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setInterval(0);
    connect(m_batchTimer, &QTimer::timeout, this, &NodeWatcher::flush);
    connect(m_watch, &ListWatch::eventsReady, this, [this](const WatchEvents &events) {
        if (m_subscribed)
            take(events);
    });
    connect(m_watch, &ListWatch::synced, this, [this] {
        if (!m_subscribed)
            return;
        flush(); // the list's difference first, then "synced"
        Q_EMIT synced();
    });
    connect(m_watch, &ListWatch::statusChanged, this, [this](const ConnectionStatus &status) {
        if (m_subscribed)
            Q_EMIT statusChanged(status);
    });
}

void NodeWatcher::start()
{
    if (m_subscribed)
        return;
    m_subscribed = true;
    const bool alreadyListed = m_watch->isRunning() && m_watch->listCount() > 0;
    m_hub->subscribe(m_watch);
    catchUp();
    if (alreadyListed) {
        flush();
        Q_EMIT synced();
    }
    Q_EMIT statusChanged(m_watch->status());
}

void NodeWatcher::stop()
{
    if (!m_subscribed)
        return;
    flush(); // what was collected is still owed to the consumer
    m_subscribed = false;
    m_hub->unsubscribe(m_watch);
}

void NodeWatcher::take(const WatchEvents &events)
{
    NodeEvents &nodes = m_pending;
    for (const WatchEvent &e : events) {
        const QString key = ListWatch::keyOf(e.object);
        if (e.type == WatchEvent::Deleted)
            m_seen.remove(key);
        else
            m_seen.insert(key, e.object.value(u"metadata").toObject().value(u"resourceVersion").toString());
        QString error;
        NodeEvent n = NodeEvent::fromWatchEvent(e, &error);
        if (!n.node.isValid()) {
            ++m_skipped;
            qCWarning(lcKube).noquote() << "skipping an object that is not a node:" << error;
            continue;
        }
        nodes.append(std::move(n));
    }
    if (m_batchTimer->interval() == 0)
        flush();
    else if (!m_batchTimer->isActive() && !m_pending.isEmpty())
        m_batchTimer->start();
}

// What the shared store holds that this consumer has not seen: objects it
// lacks (ADDED), changed since (MODIFIED), gone (DELETED: only the name is
// known by then, which is all a consumer needs to drop it; nodes are
// cluster-scoped, so the key is the name).
void NodeWatcher::catchUp()
{
    const QHash<QString, QJsonObject> &store = m_watch->objects();
    WatchEvents events;
    for (auto it = store.cbegin(); it != store.cend(); ++it) {
        const auto seen = m_seen.constFind(it.key());
        if (seen == m_seen.cend())
            events.append({ WatchEvent::Added, it.value() });
        else if (*seen != it.value().value(u"metadata").toObject().value(u"resourceVersion").toString())
            events.append({ WatchEvent::Modified, it.value() });
    }
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it) {
        if (store.contains(it.key()))
            continue;
        QJsonObject gone { { QStringLiteral("metadata"), QJsonObject { { QStringLiteral("name"), it.key() } } } };
        events.append({ WatchEvent::Deleted, gone });
    }
    if (!events.isEmpty())
        take(events);
}

void NodeWatcher::setBatchIntervalMs(int ms)
{
    m_batchTimer->setInterval(std::max(0, ms));
}

void NodeWatcher::flush()
{
    m_batchTimer->stop();
    if (!m_pending.isEmpty())
        Q_EMIT nodeEvents(std::exchange(m_pending, {}));
}

CordonJob::CordonJob(KubeClient *client, QString name, bool cordon, QObject *parent)
    : Core::Job(parent ? parent : client)
    , m_client(client)
    , m_name(std::move(name))
    , m_cordon(cordon)
{
}

CordonJob *CordonJob::start(KubeClient *client, const QString &nodeName, bool cordon, QObject *parent)
{
    auto *job = new CordonJob(client, nodeName, cordon, parent);
    job->Core::Job::start();
    return job;
}

CordonJob::Outcome CordonJob::outcome() const
{
    if (!isFinished() || error().is(Core::Error::Kind::Cancelled))
        return isFinished() ? Outcome::Cancelled : Outcome::Failed;
    if (!ok())
        return Outcome::Failed;
    return m_changed ? Outcome::Changed : Outcome::AlreadyDone;
}

void CordonJob::begin()
{
    if (!m_client) {
        fail(Core::Error(Core::Error::Kind::Cancelled, QStringLiteral("the client is gone")));
        return;
    }
    const QString path = QString::fromUtf16(nodesPath) + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(m_name));
    KubeCall *get = m_client->get(path);
    m_call = get;
    connect(get, &KubeCall::finished, this, [this, get, path] {
        m_call = nullptr;
        if (!get->ok()) {
            failWith(get->error());
            return;
        }
        m_node = Node::fromJson(get->json());
        if (m_node.unschedulable == m_cordon) {
            succeed();
            return;
        }
        const QByteArray patch = QJsonDocument(
            QJsonObject { { QStringLiteral("spec"), QJsonObject { { QStringLiteral("unschedulable"), m_cordon } } } })
                                     .toJson(QJsonDocument::Compact);
        KubeCall *call = m_client->patch(path, patch, "application/merge-patch+json");
        m_call = call;
        connect(call, &KubeCall::finished, this, [this, call] {
            m_call = nullptr;
            if (!call->ok()) {
                failWith(call->error());
                return;
            }
            m_node = Node::fromJson(call->json());
            m_changed = true;
            succeed();
        });
    });
}

void CordonJob::failWith(Core::Error error)
{
    if (error.httpStatus == 404)
        error.message = QStringLiteral("node \"%1\" not found").arg(m_name);
    fail(std::move(error));
}

QString CordonJob::errorString() const
{
    // People read kubectl's words: the server's for a 403 ("nodes \"pi-3\" is
    // forbidden: User ..."), ours for a 404, the whole line otherwise.
    const Core::Error &e = error();
    if (e.isNull())
        return {};
    if (e.httpStatus == 404 || e.httpStatus == 403 || e.is(Core::Error::Kind::Cancelled))
        return e.message;
    return e.toString();
}

void CordonJob::abort()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
        m_call = nullptr;
    }
}

} // namespace Bramble::Kube
