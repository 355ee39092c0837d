#pragma once

#include "kube/listwatch.h"
#include "kube/watchhub.h"
#include "metallb/allocation.h"
#include "metallb/poolconfig.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

class QTimer;

namespace Bramble::Kube {
class KubeClient;
}

namespace Bramble::MetalLB {

// Follows everything the Load balancers pane shows, live, on one cluster:
// Services (all namespaces), Nodes (for their InternalIPs), the legacy
// ConfigMap metallb-system/config and the metallb.io/v1beta1 IPAddressPools,
// L2Advertisements and BGPAdvertisements, each through a ListWatch. After
// any change (bursts coalesced) it rebuilds the PoolConfig, validates it and
// analyses the allocation, and emits reportChanged().
//
// A cluster without the metallb.io API (an old MetalLB using the ConfigMap,
// or none at all) is not an error: its CRD watches are simply not started
// (the API group is looked up once per start()).
//
// GUI or CLI main thread.
class PoolWatcher : public QObject {
    Q_OBJECT

public:
    // The collections it watches (for the table in poolwatcher.cpp).
    enum Kind { Services, Nodes, ConfigMaps, Pools, L2Ads, BgpAds, KindCount };

    // `hub`: the connection's shared watches (the node watch is the Nodes
    // pane's too); without one the watcher keeps a hub of its own.
    explicit PoolWatcher(Kube::KubeClient *client, Kube::WatchHub *hub = nullptr, QObject *parent = nullptr);
    ~PoolWatcher() override;

    void start();
    void stop();
    // Lists everything again (F5).
    void relist();
    bool isRunning() const { return m_running; }

    // Every watch has listed at least once since start(): the report is the cluster's.
    bool isSynced() const;
    // The worst state of its watches (Failed > Reconnecting > Connecting > Live).
    Kube::ConnectionStatus status() const;
    // The metallb.io/v1beta1 API is served (known once the lookup answered).
    bool hasCrdApi() const { return m_crdApi; }
    // The legacy ConfigMap metallb-system/config exists.
    bool hasLegacyConfigMap() const;

    const PoolConfig &config() const { return m_config; }
    const Issues &configIssues() const { return m_issues; }
    const AllocationReport &report() const { return m_report; }
    // The IPAddressPool object as the server has it (for editing); empty when
    // there is no such CRD pool.
    QJsonObject poolObject(const QString &name) const;

    // Coalescing delay between a change and the rebuilt report (default 100 ms).
    void setBatchIntervalMs(int ms);

Q_SIGNALS:
    void reportChanged();
    void statusChanged(const Bramble::Kube::ConnectionStatus &status);
    // All watches have listed once since start() (emitted once per start).
    void synced();

private:
    void startWatch(Kind kind);
    void lookUpCrdApi();
    void scheduleRebuild();
    void rebuild();
    void onStatusChanged();

    QPointer<Kube::KubeClient> m_client;
    Kube::WatchHub *m_hub;
    QList<QPointer<Kube::ListWatch>> m_watches; // KindCount entries; null until first started
    QList<bool> m_subscribed;
    QList<bool> m_listed;
    bool m_running = false;
    bool m_crdApi = false;
    bool m_syncedEmitted = false;
    int m_generation = 0; // bumped by stop(), so a late discovery answer is ignored
    QTimer *m_batch;
    PoolConfig m_config;
    Issues m_issues;
    AllocationReport m_report;
    Kube::ConnectionStatus m_lastStatus;
};

} // namespace Bramble::MetalLB
