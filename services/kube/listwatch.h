#pragma once

#include "kube/kubeclient.h"
#include "kube/kubelist.h"
#include "kube/watchevent.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>

class QTimer;

namespace Bramble::Kube {

// How fresh a ListWatch's picture is, for the UI's freshness indicator.
struct ConnectionStatus {
    enum State {
        Idle, // not started, or stopped
        Connecting, // the first list is under way
        Live, // a watch is open: changes arrive as they happen
        Reconnecting, // the watch broke; retrying since `since`
        Failed, // the server refuses (401, 403, 404) or credentials fail; still retrying, slowly
    };
    State state = Idle;
    QDateTime since; // when this state began (Reconnecting: the first failure)
    QString reason; // why it is not Live: the last error
    int attempt = 0; // retries since the last healthy watch
    QDateTime lastSync; // when the picture was last known complete (a list ended, or a watch was live)

    static QString stateName(State state); // "live", "reconnecting", ...
    bool operator==(const ConnectionStatus &) const = default;
};

// List, then watch, one collection ("/api/v1/nodes"), for as long as it
// runs, and keep a store of its objects that converges to the server's:
//
//  - lists page by page (limit/continue); a continue token that expired
//    (410) starts the list over;
//  - watches from the list's resourceVersion with allowWatchBookmarks and a
//    timeoutSeconds drawn at random from [min, max] (client-go: 5-10 min),
//    following bookmarks; a normal end re-watches at once;
//  - 410 Gone (the status, or an ERROR event with code 410 / Expired / Gone)
//    relists and emits the difference between the old store and the new
//    list: ADDED, MODIFIED (resourceVersion changed) and DELETED events, so
//    a consumer that applies every batch ends with exactly the server's set;
//  - a stream that breaks after it opened, connection refused and 429
//    re-watch; other failures relist; both after
//    a backoff that starts at 800 ms, doubles with full jitter up to 30 s and
//    resets after 2 minutes of healthy watching (client-go's reflector);
//    429 and 503 wait at least their Retry-After;
//  - a stream silent for longer than its timeoutSeconds plus a grace, or a
//    wall-clock jump (the machine slept), is dead: it is dropped and the
//    watch restarts from the last resourceVersion.
//
// Events the consumer sees are consistent with the store: an ADDED for a
// known object is passed on as MODIFIED, a MODIFIED for an unknown one as
// ADDED, a DELETED for an unknown one is dropped.
class ListWatch : public QObject {
    Q_OBJECT
public:
    ListWatch(KubeClient *client, QString path, QObject *parent = nullptr);
    ~ListWatch() override;

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    const ConnectionStatus &status() const { return m_status; }
    // Objects by "namespace/name" (cluster-scoped: "name").
    const QHash<QString, QJsonObject> &objects() const { return m_store; }
    QString resourceVersion() const { return m_resourceVersion; }
    int listCount() const { return m_lists; }
    int watchCount() const { return m_watches; }

    // Tuning, for tests and for very large clusters.
    void setPageSize(int items) { m_pageSize = items; }
    void setWatchTimeoutRange(int minSeconds, int maxSeconds);
    void setBackoff(int initialMs, int maxMs, int resetAfterMs);
    void setSilenceGraceMs(int ms) { m_graceMs = ms; }
    void setWatchdogIntervalMs(int ms);
    void setRandomSeed(quint32 seed) { m_random.seed(seed); }

    static QString keyOf(const QJsonObject &object);

Q_SIGNALS:
    // Changes, in order; one batch per list difference or per chunk of a watch.
    void eventsReady(const Bramble::Kube::WatchEvents &events);
    // A list ended and its difference was emitted: the store equals that list.
    void synced();
    void statusChanged(const Bramble::Kube::ConnectionStatus &status);

private:
    void list();
    void finishList(const QList<QJsonObject> &items, const QString &resourceVersion);
    void watch();
    void onWatchEvents(const QList<QJsonObject> &events);
    void onWatchFinished(const Core::Error &error);
    void retry(bool relist, const Core::Error &error);
    void dropStream();
    void checkSilence();
    void setState(ConnectionStatus::State state, const QString &reason = {});
    void emitEvents(WatchEvents &events);

    QPointer<KubeClient> m_client;
    QString m_path;
    bool m_running = false;
    ConnectionStatus m_status;

    QHash<QString, QJsonObject> m_store;
    QString m_resourceVersion;
    QPointer<KubeList> m_list;
    QPointer<KubeWatchStream> m_stream;
    int m_streamTimeoutSeconds = 0;
    qint64 m_streamStartMs = 0;
    bool m_streamHadEvents = false;
    bool m_streamConnected = false;

    QTimer *m_retryTimer;
    QTimer *m_watchdog;
    qint64 m_lastTickMs = 0;
    qint64 m_healthySinceMs = 0;
    int m_backoffMs = 0;

    int m_pageSize = 500;
    int m_minTimeout = 300;
    int m_maxTimeout = 600;
    int m_initialBackoffMs = 800;
    int m_maxBackoffMs = 30000;
    int m_resetAfterMs = 120000;
    int m_graceMs = 30000;
    int m_lists = 0;
    int m_watches = 0;
    QRandomGenerator m_random { QRandomGenerator::securelySeeded() };
};

} // namespace Bramble::Kube
