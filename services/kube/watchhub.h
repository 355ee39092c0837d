#pragma once

#include "kube/listwatch.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

namespace Bramble::Kube {

class KubeClient;

// One ListWatch per collection for everybody on one connection: the Nodes
// pane's NodeWatcher and the Load balancers pane's PoolWatcher see the same
// /api/v1/nodes watch, so the API server serves one list and one watch, not
// one per pane.
//
// watch() gives the collection's ListWatch (made on first use, never
// deleted before the hub: its store outlives pauses). subscribe() starts it
// for one more consumer; unsubscribe() stops it when the last consumer goes.
// A consumer that subscribes to a watch that has already listed reads its
// store (objects()) for what it missed: NodeWatcher turns that into events.
//
// GUI or CLI main thread; a child of the client it watches.
class WatchHub : public QObject {
    Q_OBJECT
public:
    explicit WatchHub(KubeClient *client, QObject *parent = nullptr);
    ~WatchHub() override;

    ListWatch *watch(const QString &path);
    void subscribe(ListWatch *watch);
    void unsubscribe(ListWatch *watch);
    int subscribers(const QString &path) const;
    // Watches running now (for tests and the status line).
    int runningWatches() const;

    // Lists every running collection again (F5): each consumer gets the
    // difference as ordinary events.
    void relist();

    // Applied to every watch made from now on (tests shorten them).
    void setTuning(std::function<void(ListWatch *)> tune) { m_tune = std::move(tune); }

private:
    QPointer<KubeClient> m_client;
    QHash<QString, ListWatch *> m_watches; // owned (children)
    QHash<ListWatch *, int> m_counts;
    std::function<void(ListWatch *)> m_tune;
};

} // namespace Bramble::Kube
