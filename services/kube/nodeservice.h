#pragma once

#include "kube/kubeclient.h"
#include "kube/listwatch.h"
#include "kube/node.h"
#include "kube/watchhub.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Bramble::Kube {

inline constexpr char16_t nodesPath[] = u"/api/v1/nodes";

// The cluster's nodes, live: the ListWatch on /api/v1/nodes (shared through
// a WatchHub with every other consumer of the connection) read into Node
// values. Objects that are not valid nodes are skipped with a warning in the
// log (and counted), never passed on.
//
// start() subscribes: a consumer that joins a watch others keep running first
// gets the difference between what it has seen and the watch's store, as
// ordinary events (then synced() when the watch has listed already). stop()
// unsubscribes; events that arrive meanwhile are caught up the same way.
class NodeWatcher : public QObject {
    Q_OBJECT
public:
    // `hub`: the connection's shared watches; without one the watcher keeps
    // a hub of its own (bramblectl, tests).
    explicit NodeWatcher(KubeClient *client, WatchHub *hub = nullptr, QObject *parent = nullptr);

    void start();
    void stop();
    bool isStarted() const { return m_subscribed; }
    ListWatch *listWatch() const { return m_watch; }
    const ConnectionStatus &status() const { return m_watch->status(); }
    int skipped() const { return m_skipped; }
    // Collect events for this long and pass them on as one batch (0: at
    // once). A view repaints per batch: a GUI wants 50-100 ms, a script 0.
    void setBatchIntervalMs(int ms);

Q_SIGNALS:
    void nodeEvents(const Bramble::Kube::NodeEvents &events);
    void synced();
    void statusChanged(const Bramble::Kube::ConnectionStatus &status);

private:
    void take(const WatchEvents &events);
    void catchUp();
    void flush();

    WatchHub *m_hub;
    ListWatch *m_watch;
    QTimer *m_batchTimer;
    NodeEvents m_pending;
    QHash<QString, QString> m_seen; // key -> resourceVersion of what the consumer was given
    bool m_subscribed = false;
    int m_skipped = 0;
};

// Cordon or uncordon one node, as `kubectl cordon` does: read it, and patch
// spec.unschedulable only when it must change. A Core::Job, returned started:
// finished() once (error() null on success), then it deletes itself.
class CordonJob : public Core::Job {
    Q_OBJECT
public:
    enum class Outcome { Changed, AlreadyDone, Failed, Cancelled };

    using Core::Job::start; // begins a job made here (started already by the factory)

    static CordonJob *start(KubeClient *client, const QString &nodeName, bool cordon, QObject *parent = nullptr);

    Outcome outcome() const;
    // For people: "node \"pi-3\" not found", "forbidden: User \"dev\" cannot patch ...".
    QString errorString() const;
    const Node &node() const { return m_node; } // the node after the change

private:
    CordonJob(KubeClient *client, QString name, bool cordon, QObject *parent);
    void begin() override;
    void abort() override;
    void failWith(Core::Error error);

    QPointer<KubeClient> m_client;
    QString m_name;
    bool m_cordon;
    QPointer<KubeCall> m_call;
    bool m_changed = false;
    Node m_node;
};

} // namespace Bramble::Kube
