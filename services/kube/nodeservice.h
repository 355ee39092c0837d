#pragma once

#include "kube/kubeclient.h"
#include "kube/listwatch.h"
#include "kube/node.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Bramble::Kube {

inline constexpr char16_t nodesPath[] = u"/api/v1/nodes";

// The cluster's nodes, live: a ListWatch on /api/v1/nodes whose events are
// read into Node values. Objects that are not valid nodes are skipped with a
// warning in the log (and counted), never passed on.
class NodeWatcher : public QObject {
    Q_OBJECT
public:
    explicit NodeWatcher(KubeClient *client, QObject *parent = nullptr);

    void start() { m_watch->start(); }
    void stop()
    {
        m_watch->stop();
        flush(); // what was collected is still owed to the consumer
    }
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
    void flush();

    ListWatch *m_watch;
    QTimer *m_batchTimer;
    NodeEvents m_pending;
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
