#pragma once

#include "core/error.h"
#include "kube/listwatch.h"
#include "kube/node.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace Bramble::Kube {
class CordonJob;
class KubeClient;
class NodeWatcher;
class WatchHub;
} // namespace Bramble::Kube
namespace Bramble::MetalLB {
class PoolWatcher;
}

namespace Bramble::Session {

class ConnectionCatalog;

// The live connection to the cluster of the catalog's current Kubernetes
// context: one KubeClient, one WatchHub on it (one ListWatch per collection,
// whoever asks: the Nodes and Load balancers panes share the node watch),
// and the NodeWatcher and PoolWatcher the panes show.
//
// The client is opened as soon as a context is chosen (no network: it reads
// the kubeconfig and certificates), so openErrors() can say at once why a
// context cannot be used. Watching starts with start() and then goes on until
// stop(), whatever is visible, so that consumers keep counting while hidden.
//
// When the context changes, or the kubeconfig changes in a way that matters
// to it (server, TLS, user, proxy, namespace), the client and watcher are
// replaced: connectionChanged() is emitted first, so consumers forget the old
// cluster's nodes before the new cluster's events arrive. Unrelated edits to
// the kubeconfig leave the watch alone.
// Certificate files named by path are read when the client is opened: a
// certificate replaced in place is picked up at the next change of context.
//
// GUI thread. Does no blocking I/O beyond reading the kubeconfig's small local
// files (as the catalog does).
class ClusterSession : public QObject {
    Q_OBJECT

public:
    explicit ClusterSession(ConnectionCatalog *catalog, QObject *parent = nullptr);
    ~ClusterSession() override;

    // Starts watching nodes (when a usable context exists, now or later).
    // Idempotent.
    void start();
    // Stops watching; keeps the client and the last known state.
    void stop();
    bool isStarted() const { return m_started; }

    // Lists every running collection again and watches from there (F5).
    // Consumers get the difference between what they had and the new list
    // as ordinary events. Does nothing when not started.
    void relist();

    // The context in use; empty when the catalog has none (no kubeconfig, no
    // context, or a kubeconfig that cannot be read: see the catalog).
    QString context() const { return m_context; }
    // Why the context cannot be used (a missing cluster or user, an
    // unreadable certificate...), naming file and key; empty when it can, or
    // when there is no context at all.
    const Core::Errors &openErrors() const { return m_errors; }
    // What is allowed but risky about it (insecure-skip-tls-verify...).
    const Core::Errors &warnings() const { return m_warnings; }
    // The API server's URL; empty without a client.
    QUrl server() const;

    // The client, or nullptr when there is no usable context. Replaced (and
    // the old one deleted) on connectionChanged().
    Kube::KubeClient *client() const;
    // The watcher on client(), or nullptr. For tuning in tests.
    Kube::NodeWatcher *watcher() const;
    // The connection's shared watches, or nullptr without a client.
    Kube::WatchHub *watches() const;
    // The MetalLB pools and services of this cluster, made on first use (not
    // started: the pane that shows it starts it); it subscribes to the same
    // node watch as watcher(). nullptr without a client; like the client,
    // replaced on connectionChanged().
    MetalLB::PoolWatcher *poolWatcher();

    // The watch's state; Idle when not started or without a client.
    Kube::ConnectionStatus status() const;
    // A list has completed since the client was opened: the events so far
    // are the whole cluster.
    bool isSynced() const { return m_synced; }

    // Cordons (true) or uncordons (false) a node. Returns at once; the job
    // emits finished() once and deletes itself. nullptr without a client. The
    // job is a child of the client, so it is destroyed (without finished())
    // when the connection changes: watch its destroyed() signal.
    Kube::CordonJob *cordon(const QString &nodeName, bool cordon);

Q_SIGNALS:
    // The client was replaced, opened or closed (context or kubeconfig
    // changed): forget the nodes seen so far. Emitted before any event of
    // the new connection.
    void connectionChanged();
    void nodeEvents(const Bramble::Kube::NodeEvents &events);
    // A list completed: the events so far are the whole cluster.
    void synced();
    void statusChanged(const Bramble::Kube::ConnectionStatus &status);

private:
    void reopen();
    void close();
    QByteArray fingerprint() const;

    ConnectionCatalog *m_catalog;
    QString m_context;
    QByteArray m_fingerprint;
    Core::Errors m_errors;
    Core::Errors m_warnings;
    QPointer<Kube::KubeClient> m_client;
    QPointer<Kube::NodeWatcher> m_watcher;
    QPointer<Kube::WatchHub> m_hub;
    QPointer<MetalLB::PoolWatcher> m_poolWatcher;
    bool m_started = false;
    bool m_synced = false;
};

} // namespace Bramble::Session
