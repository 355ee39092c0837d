#include "metallb/poolwatcher.h"

#include "kube/kubeclient.h"
#include "metallb/logging.h"
#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include <QJsonArray>
#include <QTimer>

namespace Bramble::MetalLB {

namespace {

constexpr auto crdApiPath = u"/apis/metallb.io/v1beta1";

// Per watched collection (indexed by PoolWatcher's Kind): where it is, and
// the apiVersion and kind of its items.
struct Collection {
    const char16_t *path;
    const char16_t *apiVersion;
    const char16_t *kind;
};

constexpr Collection collections[] = {
    { u"/api/v1/services", u"v1", u"Service" },
    { u"/api/v1/nodes", u"v1", u"Node" },
    { u"/api/v1/namespaces/metallb-system/configmaps", u"v1", u"ConfigMap" },
    { u"/apis/metallb.io/v1beta1/ipaddresspools", u"metallb.io/v1beta1", u"IPAddressPool" },
    { u"/apis/metallb.io/v1beta1/l2advertisements", u"metallb.io/v1beta1", u"L2Advertisement" },
    { u"/apis/metallb.io/v1beta1/bgpadvertisements", u"metallb.io/v1beta1", u"BGPAdvertisement" },
};
static_assert(std::size(collections) == PoolWatcher::KindCount);

// Worse states first.
int severity(Kube::ConnectionStatus::State s)
{
    switch (s) {
    case Kube::ConnectionStatus::Failed:
        return 4;
    case Kube::ConnectionStatus::Reconnecting:
        return 3;
    case Kube::ConnectionStatus::Connecting:
        return 2;
    case Kube::ConnectionStatus::Live:
        return 1;
    case Kube::ConnectionStatus::Idle:
        return 0;
    }
    return 0;
}

QList<NodeAddress> internalIps(const QJsonObject &node)
{
    QList<NodeAddress> out;
    const QString name = node.value(u"metadata").toObject().value(u"name").toString();
    const QJsonArray addresses = node.value(u"status").toObject().value(u"addresses").toArray();
    for (const QJsonValue &a : addresses) {
        const QJsonObject o = a.toObject();
        if (o.value(u"type").toString() == u"InternalIP")
            out.append({ name, o.value(u"address").toString() });
    }
    return out;
}

} // namespace

PoolWatcher::PoolWatcher(Kube::KubeClient *client, Kube::WatchHub *hub, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_hub(hub ? hub : new Kube::WatchHub(client, this))
    , m_batch(new QTimer(this))
{
    m_watches.resize(KindCount);
    m_subscribed.fill(false, KindCount);
    m_listed.fill(false, KindCount);
    m_batch->setSingleShot(true);
    m_batch->setInterval(100);
    connect(m_batch, &QTimer::timeout, this, &PoolWatcher::rebuild);
}

PoolWatcher::~PoolWatcher() = default;

void PoolWatcher::setBatchIntervalMs(int ms)
{
    m_batch->setInterval(std::max(0, ms));
}

void PoolWatcher::start()
{
    if (m_running || !m_client)
        return;
    m_running = true;
    m_syncedEmitted = false;
    m_listed.fill(false, KindCount);
    startWatch(Services);
    startWatch(Nodes);
    startWatch(ConfigMaps);
    lookUpCrdApi();
    onStatusChanged();
}

void PoolWatcher::stop()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    for (int kind = 0; kind < KindCount; ++kind) {
        if (m_watches[kind] && m_subscribed[kind])
            m_hub->unsubscribe(m_watches[kind]);
        m_subscribed[kind] = false;
    }
    onStatusChanged();
}

void PoolWatcher::relist()
{
    if (!m_running)
        return;
    stop();
    start();
}

void PoolWatcher::startWatch(Kind kind)
{
    QPointer<Kube::ListWatch> &w = m_watches[kind];
    if (!w) {
        w = m_hub->watch(QString::fromUtf16(collections[kind].path));
        // Shared watches signal for every consumer: only while subscribed.
        connect(w, &Kube::ListWatch::eventsReady, this, [this, kind] {
            if (m_subscribed[kind])
                scheduleRebuild();
        });
        connect(w, &Kube::ListWatch::statusChanged, this, [this, kind] {
            if (m_subscribed[kind])
                onStatusChanged();
        });
        connect(w, &Kube::ListWatch::synced, this, [this, kind] {
            if (!m_subscribed[kind])
                return;
            m_listed[kind] = true;
            scheduleRebuild();
        });
    }
    if (m_subscribed[kind])
        return;
    // A watch another consumer keeps running has listed already: its store
    // is the picture to start from.
    const bool alreadyListed = w->isRunning() && w->listCount() > 0;
    m_subscribed[kind] = true;
    m_hub->subscribe(w);
    if (alreadyListed) {
        m_listed[kind] = true;
        scheduleRebuild();
    }
}

// The metallb.io API is looked up before its collections are watched: a
// cluster without it would otherwise show three watches failing with 404.
void PoolWatcher::lookUpCrdApi()
{
    const int generation = m_generation;
    Kube::KubeCall *call = m_client->get(QString::fromUtf16(crdApiPath));
    connect(call, &Kube::KubeCall::finished, this, [this, call, generation] {
        if (generation != m_generation || !m_running)
            return;
        if (call->ok()) {
            m_crdApi = true;
            startWatch(Pools);
            startWatch(L2Ads);
            startWatch(BgpAds);
        } else if (call->httpStatus() == 404) {
            m_crdApi = false;
            m_listed[Pools] = m_listed[L2Ads] = m_listed[BgpAds] = true;
            qCInfo(lcMetalLB) << "no metallb.io/v1beta1 API on this cluster";
            scheduleRebuild();
        } else {
            // Not known yet (the server is unreachable, or refuses): the other
            // watches report why; ask again shortly.
            qCInfo(lcMetalLB).noquote() << "metallb.io API lookup:" << call->error().toString();
            QTimer::singleShot(5000, this, [this, generation] {
                if (generation == m_generation && m_running)
                    lookUpCrdApi();
            });
        }
    });
}

bool PoolWatcher::isSynced() const
{
    return std::all_of(m_listed.cbegin(), m_listed.cend(), [](bool b) { return b; });
}

Kube::ConnectionStatus PoolWatcher::status() const
{
    Kube::ConnectionStatus worst;
    for (const QPointer<Kube::ListWatch> &w : m_watches) {
        if (w && w->isRunning() && severity(w->status().state) > severity(worst.state))
            worst = w->status();
    }
    return worst;
}

void PoolWatcher::onStatusChanged()
{
    const Kube::ConnectionStatus now = status();
    if (now == m_lastStatus)
        return;
    m_lastStatus = now;
    Q_EMIT statusChanged(now);
}

bool PoolWatcher::hasLegacyConfigMap() const
{
    const Kube::ListWatch *w = m_watches.at(ConfigMaps);
    return w && w->objects().contains(QStringLiteral("metallb-system/config"));
}

QJsonObject PoolWatcher::poolObject(const QString &name) const
{
    const Kube::ListWatch *w = m_watches.at(Pools);
    if (!w)
        return {};
    for (const QJsonObject &o : w->objects()) {
        if (o.value(u"metadata").toObject().value(u"name").toString() == name)
            return o;
    }
    return {};
}

void PoolWatcher::scheduleRebuild()
{
    if (!m_batch->isActive())
        m_batch->start();
}

void PoolWatcher::rebuild()
{
    // Objects in a stable order, so the report (and the issues) do not
    // reshuffle from one rebuild to the next. Items of a list carry no kind
    // or apiVersion (only watch events do): the reader needs both.
    const auto sorted = [this](Kind kind) {
        QList<QJsonObject> out;
        const Kube::ListWatch *w = m_watches.at(kind);
        if (!w)
            return out;
        QStringList keys = w->objects().keys();
        keys.sort();
        const Collection &type = collections[kind];
        for (const QString &k : std::as_const(keys)) {
            QJsonObject o = w->objects().value(k);
            o.insert(u"apiVersion", QString::fromUtf16(type.apiVersion));
            o.insert(u"kind", QString::fromUtf16(type.kind));
            out.append(o);
        }
        return out;
    };

    QList<QJsonObject> configObjects;
    for (const QJsonObject &cm : sorted(ConfigMaps)) {
        if (cm.value(u"metadata").toObject().value(u"name").toString() == u"config")
            configObjects.append(cm);
    }
    configObjects += sorted(Pools);
    configObjects += sorted(L2Ads);
    configObjects += sorted(BgpAds);
    PoolConfigReadResult read = PoolConfigReader::readObjects(configObjects);
    m_config = read.config;
    m_issues = read.issues;
    m_issues += PoolValidator::validate(m_config);

    QList<LbService> services;
    for (const QJsonObject &s : sorted(Services)) {
        if (std::optional<LbService> lb = LbService::fromJson(s))
            services.append(*lb);
    }
    QList<NodeAddress> nodes;
    for (const QJsonObject &n : sorted(Nodes))
        nodes += internalIps(n);

    m_report = analyzeAllocation(m_config, m_issues, services, nodes);
    Q_EMIT reportChanged();
    if (!m_syncedEmitted && isSynced()) {
        m_syncedEmitted = true;
        Q_EMIT synced();
    }
}

} // namespace Bramble::MetalLB
