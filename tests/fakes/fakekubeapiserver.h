#pragma once

#include "fakes/testpki.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QSslServer;

namespace Bramble::Test {

struct FakeKubeResource; // a row of the served resource table (fakekubeapiserver.cpp)

// A Kubernetes API server for tests and benchmarks over the real wire
// protocol, with faults on demand. Proven against kubectl 1.32
// (tst_fakekubeapiserver). It serves these resources (plural names):
//   nodes, namespaces                       /api/v1/PLURAL (cluster-scoped)
//   services, configmaps, secrets           /api/v1[/namespaces/NS]/PLURAL
//   ipaddresspools, l2advertisements,
//   bgpadvertisements (metallb.io/v1beta1)  /apis/metallb.io/v1beta1[/namespaces/NS]/PLURAL
// each with the legacy /watch/ paths too. A namespace springs into existence
// (ADDED, a resource version of its own) with the first object put in it;
// kubectl asks for it after a 404.
//
// - HTTPS only, on 127.0.0.1, with the server certificate of a TestPki. A
//   request authenticates with a bearer token (setTokens(); rotate at any time)
//   and/or a client certificate that chains to the TestPki's CA; otherwise it
//   gets 401 with a Status body (as a server with --anonymous-auth=false).
// - list (limit/continue pagination over a consistent snapshot, all
//   namespaces or one, Table output for kubectl), get, watch (chunked, one
//   JSON event per line, replay from a bounded history, 410 ERROR when
//   compacted, BOOKMARKs, timeoutSeconds), POST create (409 AlreadyExists),
//   PUT update, PATCH (merge, strategic merge, JSON patch, server-side apply
//   with a JSON or YAML body; no managedFields), DELETE, and the discovery
//   kubectl needs (/version, /api, /api/v1, /apis, /apis/metallb.io[/v1beta1],
//   and a stub /openapi/v3 that makes kubectl apply validate on the server).
// - Writes check metadata.resourceVersion when given (a stale one: 409
//   Conflict), honour dryRun=All (answered as the write would be, nothing
//   stored, no event; another dryRun value: 422) and pass the admission hook
//   (setAdmission), dry runs included.
// - Resource versions are one global counter; every change stamps the object.
//   Lists: resourceVersion unset or "0" = now; another value = "not older
//   than" (Exact, or with limit: that snapshot if still kept, else 410); one
//   from the future = 504 "Too large resource version". Selectors: label
//   selectors (=, ==, !=, in, notin, exists, !) and the field selectors
//   metadata.name, metadata.namespace and spec.unschedulable, on lists and
//   watches.
//
// In-process: the server lives on the thread that created it and is driven by
// its event loop. Tests must keep that loop running while a client talks to it
// (QSignalSpy::wait, QTRY_*), and never block in waitFor*() calls. Methods
// return at once; changes reach open watches before the method returns (they
// are written to the sockets, flushed by the event loop).
class FakeKubeApiServer : public QObject {
    Q_OBJECT

public:
    enum RequestKind {
        Discovery = 0x01, // /version, /api, /apis, /api/v1, /healthz...
        List = 0x02,
        Watch = 0x04,
        Get = 0x08, // one object
        Patch = 0x10, // server-side apply included
        Delete = 0x20,
        Other = 0x40, // unknown paths and methods
        Create = 0x80, // POST
        Update = 0x100, // PUT
        Proxy = 0x200, // /api/v1/namespaces/NS/services/NAME[:PORT]/proxy/...
        AnyKind = 0x3ff
    };
    Q_ENUM(RequestKind)
    Q_DECLARE_FLAGS(RequestKinds, RequestKind)

    // What the server received and answered; one per HTTP request.
    struct Request {
        RequestKind kind = Other;
        QByteArray method;
        QString path; // decoded, without the query
        QUrlQuery query;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QString user; // authenticated user (token user or certificate CN); empty if refused
        int status = 0; // the HTTP status answered (a watch: 200 once streaming); 0 for drop/stall faults

        QByteArray header(const QByteArray &name) const; // case-insensitive; empty if absent
        QString queryValue(const QString &key) const { return query.queryItemValue(key, QUrl::FullyDecoded); }
        bool hasQuery(const QString &key) const { return query.hasQueryItem(key); }
    };

    // A canned answer that replaces the real one for matching requests.
    struct Fault {
        enum Kind { Status, Drop, Stall };
        Kind kind = Status;
        int status = 500;
        int retryAfterSeconds = -1; // >= 0 adds Retry-After and details.retryAfterSeconds
        QString message;

        static Fault tooManyRequests(int retryAfterSeconds); // 429 TooManyRequests + Retry-After
        static Fault internalError(); // 500 InternalError
        static Fault httpStatus(int code, const QString &message = {}); // a Status body with its reason
        static Fault drop(); // close the connection without an answer
        static Fault stall(); // read the request, never answer
    };

    // How the next watch streams misbehave. Fields combine.
    struct WatchFault {
        // Close the connection (no terminating chunk) after this many
        // ADDED/MODIFIED/DELETED events were written; 0 = right after the
        // headers. BOOKMARKs are not counted. -1 = never.
        int dropAfterEvents = -1;
        // With dropAfterEvents: first write the beginning of the next event's
        // line (cut inside its JSON), then close.
        bool dropMidLine = false;
        // Re-chunk the body: chunk payload sizes in bytes (e.g. {7, 1, 300}),
        // the cycle continuing over the stream, so boundaries fall anywhere,
        // inside JSON strings included. A payload (one event, or
        // eventsPerChunk of them) is never held back for the next, so its
        // last chunk may be shorter. Empty = one chunk per payload.
        QList<int> chunkSizes;
        // Put this many events in one chunk payload (before chunkSizes applies).
        // The initial ADDED/replayed batch is flushed at its end; live events
        // wait until enough have happened (a remainder goes out when the stream
        // ends gracefully). BOOKMARKs flush what is pending.
        int eventsPerChunk = 1;
        // Space chunks this far apart so the client sees them in separate
        // reads; 0 = write them back to back (TLS may then merge them).
        int chunkIntervalMs = 0;
        // Send the 200 headers, then nothing at all: no events, no bookmarks,
        // no end at timeoutSeconds. The connection stays open until the client
        // closes it or the server is destroyed.
        bool stall = false;
    };

    // Knobs for makeNode(); defaults give a healthy Raspberry Pi 4 worker.
    struct NodeOptions {
        bool controlPlane = false; // role label and NoSchedule taint
        QString ready = QStringLiteral("True"); // "True", "False" or "Unknown" (see setReady)
        QString internalIp; // default 10.42.x.y, derived from the number the name ends with
        QString kubeletVersion = QStringLiteral("v1.32.4");
        QString kernelVersion = QStringLiteral("6.6.62+rpt-rpi-v8");
        QString containerRuntimeVersion = QStringLiteral("containerd://1.7.24");
        int cpus = 4;
        qint64 memoryKi = 7999976; // an 8 GB Pi 4/5
        int pods = 110;
        bool unschedulable = false;
        QDateTime created; // default: now minus a few days
        QMap<QString, QString> extraLabels;
    };

    // pki must be valid (TestPki::generate); the server copies what it needs.
    explicit FakeKubeApiServer(const TestPki &pki, QObject *parent = nullptr);
    ~FakeKubeApiServer() override;

    // Listens on 127.0.0.1:port (0 = a free port). False with errorString() on failure.
    bool listen(quint16 port = 0);
    quint16 port() const;
    QString url() const; // "https://127.0.0.1:PORT"
    QString errorString() const;

    // kubeconfig YAML for this server (certificate-authority-data embedded),
    // one context "bramble-fake" made current, authenticating with a token or
    // with a client certificate (PEM, embedded as -data).
    QByteArray kubeconfigWithToken(const QByteArray &token) const;
    QByteArray kubeconfigWithClientCertificate(const QByteArray &certPem, const QByteArray &keyPem) const;

    // --- authentication ---
    // Accepted bearer tokens; default {"bramble-test-token"}. Takes effect for
    // the next request (a rotation: old token -> 401). Empty list = no token
    // is accepted.
    void setTokens(const QByteArrayList &tokens);
    void setToken(const QByteArray &token) { setTokens({ token }); }
    QByteArrayList tokens() const { return m_tokens; }
    static QByteArray defaultToken();
    static QString tokenUser(); // the user name a valid token authenticates as
    // Client certificates chaining to the CA authenticate (default on).
    void setClientCertificateAuth(bool enabled) { m_certAuth = enabled; }

    // --- the node store; every change bumps the resource version and reaches watches ---
    // A realistic Node: kubeadm labels (arch arm64, os linux, hostname, roles),
    // annotations, podCIDR, taints, capacity/allocatable, the four kubelet
    // conditions with reasons/messages, addresses, nodeInfo (Debian 12,
    // containerd, kubelet version). No uid/resourceVersion: the store adds them.
    static QJsonObject makeNode(const QString &name, const NodeOptions &options);
    static QJsonObject makeNode(const QString &name); // default NodeOptions
    // Adds `count` nodes rpi-01, rpi-02, ... (width grows with count); the
    // first (first three when count >= 5) are control-plane nodes.
    void seedNodes(int count);
    // False if the name exists (add) or not (update/delete) or the object has
    // no metadata.name. addNode sets uid and creationTimestamp when missing.
    bool addNode(const QJsonObject &node);
    bool updateNode(const QJsonObject &node); // replaces (uid/creationTimestamp kept); no event when unchanged
    bool deleteNode(const QString &name);
    // Node conditions as the kubelet / node lifecycle controller set them:
    // "True" (KubeletReady), "False" (KubeletNotReady, not-ready taint) or
    // "Unknown" (NodeStatusUnknown on every condition, unreachable taints).
    bool setReady(const QString &name, const QString &status, const QString &reason = {}, const QString &message = {});
    // One condition (MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, Ready...).
    bool setCondition(const QString &name, const QString &type, const QString &status, const QString &reason,
        const QString &message = {});
    bool setUnschedulable(const QString &name, bool unschedulable);
    bool setLabel(const QString &name, const QString &key, const QString &value);
    bool removeLabel(const QString &name, const QString &key);
    QJsonObject node(const QString &name) const; // empty if missing
    QStringList nodeNames() const; // sorted, as lists return them
    int nodeCount() const;
    QByteArray resourceVersion() const; // the latest, as lists report it

    // --- every resource (plural names as above; nodes included) ---
    // Creates or replaces (uid/creationTimestamp kept; no event when
    // unchanged); the namespace comes from metadata.namespace ("default" when
    // missing; ignored for nodes), kind and apiVersion are set. False for an
    // unknown resource or a missing metadata.name.
    bool putObject(const QString &resource, const QJsonObject &object);
    bool deleteObject(const QString &resource, const QString &ns, const QString &name); // ns ignored for nodes
    QJsonObject object(const QString &resource, const QString &ns, const QString &name) const; // empty if missing
    // Sorted by namespace, then name, as lists return them; ns empty = all namespaces.
    QList<QJsonObject> objects(const QString &resource, const QString &ns = {}) const;
    static QStringList resources(); // the plural names served

    // Admission (a validating webhook): called for every create, update,
    // patch and delete that got that far, dry runs included, with the object
    // as it would be stored (for a delete: as it is). A non-empty answer
    // rejects the write with 403 Forbidden: admission webhook
    // "<singular>validationwebhook.<group>" denied the request: <answer>
    // (group metallb.io; bramble.test for core resources). Empty = none.
    using Admission = std::function<QString(const QString &resource, const QJsonObject &object, bool dryRun)>;
    void setAdmission(Admission admission) { m_admission = std::move(admission); }

    // A LoadBalancer Service: one port 80/TCP (with a nodePort), a clusterIP
    // derived from the name, status.loadBalancer.ingress[].ip for each IP.
    static QJsonObject makeLoadBalancerService(const QString &ns, const QString &name, const QStringList &ingressIps,
        const QMap<QString, QString> &annotations = {});
    // A Secret (type Opaque) with `data` base64-encoded, as the API server serves it.
    static QJsonObject makeSecret(const QString &ns, const QString &name, const QMap<QString, QByteArray> &data);

    // --- the service proxy ---
    // Requests of any method under
    // /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy[/PATH] are
    // forwarded to `upstream` + /PATH (query kept) with their method, body and
    // headers, minus the Authorization that authenticated them to this server
    // (as the real one drops it), and the upstream's status, headers and body
    // are relayed. As the API server answers itself (a Status): no Service
    // NAME in NS: 404 NotFound; a Service without an upstream here (no
    // endpoints): 503 ServiceUnavailable "no endpoints available for service";
    // an upstream that does not answer: 503 "error trying to reach service:
    // ..."; setForbidden(Proxy): 403 on services/proxy. This adds a ClusterIP
    // Service NS/NAME with that port when there is none; an empty `upstream`
    // removes the endpoint (the Service stays). `port` empty matches a
    // request without one.
    void setServiceUpstream(const QString &ns, const QString &service, const QString &port, const QUrl &upstream);

    // MetalLB objects in metallb-system.
    static QJsonObject makeIpAddressPool(
        const QString &name, const QStringList &addresses, bool autoAssign = true, bool avoidBuggyIPs = false);
    static QJsonObject makeL2Advertisement(const QString &name, const QStringList &pools);
    // The legacy (MetalLB < 0.13) ConfigMap metallb-system/config with data.config.
    static QJsonObject makeMetalLBConfigMap(const QByteArray &configYaml);

    // --- history, compaction, bookmarks ---
    // Watch history kept for replay (default 1000 events). Older events are
    // compacted: watching from before them gets 410.
    void setHistoryLimit(int events);
    // Forget all history now (as etcd compaction): a watch from any resource
    // version before the current one gets 410 Expired, and so does a continue
    // token from before. Open watches continue.
    void compactHistory();
    // 410 for a too-old watch as an HTTP 410 Status reply instead of (the
    // default) a 200 stream holding one ERROR event.
    void setWatchExpiredAsHttpError(bool enabled) { m_expiredAsHttp = enabled; }
    // BOOKMARK period for watches that allow them (default 60000 ms; 0 = none).
    // Applies to watches started afterwards.
    void setBookmarkInterval(int milliseconds) { m_bookmarkIntervalMs = milliseconds; }
    // End every open watch as timeoutSeconds would (terminating chunk).
    void closeWatches();
    // Abort every connection, watches included (as a restarting server).
    void dropConnections();
    int activeWatchCount() const { return int(m_watches.size()); }

    // --- faults ---
    // The next `count` requests of the given kinds get `fault` instead of
    // their answer (checked after authentication, before setForbidden).
    // Faults queue in order; the first matching one applies.
    void injectFault(RequestKinds kinds, const Fault &fault, int count = 1);
    // The next `count` watch requests misbehave as `fault` says.
    void injectWatchFault(const WatchFault &fault, int count = 1);
    void clearFaults();
    // Requests of these kinds get 403 Forbidden (as RBAC would) until reset
    // with setForbidden({}). E.g. setForbidden(Patch) for cordon errors.
    void setForbidden(RequestKinds kinds) { m_forbidden = kinds; }

    // --- observation ---
    // The last 10,000 requests, oldest first.
    const QList<Request> &requests() const { return m_requests; }
    Request lastRequest(RequestKinds kinds = AnyKind) const; // kind Other/empty if none
    int requestCount(RequestKinds kinds = AnyKind) const; // since construction or clearRequests()
    void clearRequests();

Q_SIGNALS:
    // After a request was answered (or its fault applied); requests() holds its record.
    // status is the HTTP status (200 for a watch that started streaming, 0 for drop/stall faults).
    void requestHandled(Bramble::Test::FakeKubeApiServer::RequestKind kind, int status);
    void watchStarted();
    void watchEnded();

private:
    struct Connection;
    struct WatchStream;
    struct Selector;
    struct Target; // the resource, namespace and name a request is about
    struct Event {
        const FakeKubeResource *resource = nullptr;
        QByteArray type; // ADDED MODIFIED DELETED
        quint64 rv = 0;
        QString name; // the store key
        QByteArray object; // compact JSON, metadata.resourceVersion == rv
        QByteArray previous; // the object before (MODIFIED/DELETED), for selectors
    };
    // Store key ("namespace/name", or name when cluster-scoped) -> compact JSON, sorted like etcd keys.
    using Store = QMap<QString, QByteArray>;
    using Stores = QHash<const FakeKubeResource *, Store>;
    using Headers = QList<QPair<QByteArray, QByteArray>>;
    struct PendingFault {
        RequestKinds kinds;
        Fault fault;
        int remaining = 0;
    };

    void onNewConnection();
    void onDisconnected(Connection *c);
    void processInput(Connection *c);
    void handleRequest(Connection *c, Request &req);
    void finishRecord(const Request &req);
    void answer(Connection *c, Request &req, int status, const QByteArray &body,
        const QByteArray &contentType = "application/json", const Headers &extra = {});
    void answerStatus(Connection *c, Request &req, int code, const QByteArray &reason, const QString &message,
        const QJsonObject &details = {}, const Headers &extra = {});
    void answerNotFound(Connection *c, Request &req, const Target &t);
    void serveDiscovery(Connection *c, Request &req, const QString &path);
    void serveList(Connection *c, Request &req, const Target &t);
    void serveGet(Connection *c, Request &req, const Target &t);
    void serveCreate(Connection *c, Request &req, const Target &t);
    void serveUpdate(Connection *c, Request &req, const Target &t);
    void servePatch(Connection *c, Request &req, const Target &t);
    void serveDelete(Connection *c, Request &req, const Target &t);
    void serveProxy(Connection *c, Request &req, const QString &path);
    void serveWatch(Connection *c, Request &req, const Target &t);
    // The common end of every write: admission, dry run, store, answer.
    void completeWrite(Connection *c, Request &req, const Target &t, QJsonObject after, const QByteArray &before);
    QByteArray tableFor(const FakeKubeResource &r, const QList<QByteArray> &objects, const QJsonObject &listMeta,
        bool withColumns, const QString &includeObject, const QByteArray &version) const;

    Store &store(const FakeKubeResource &r) { return m_stores[&r]; }
    const Store &nodeStore() const;
    void commit(const FakeKubeResource &r, const QByteArray &type, const QString &key, QJsonObject object);
    bool storeObject(const FakeKubeResource &r, const QJsonObject &object, bool add, bool replace);
    bool modifyNode(const QString &name, const std::function<void(QJsonObject &)> &change);
    void trimHistory();
    void keepSnapshot(quint64 rv, const Stores &stores);

    // Watch streams. The bool results say whether the stream still exists.
    bool deliver(WatchStream *w, const Event &e);
    bool writeEventLine(WatchStream *w, const QByteArray &line, bool countsAsEvent);
    void sendBookmark(WatchStream *w, bool initialEventsEnd = false);
    void flushWatch(WatchStream *w);
    void queueChunks(WatchStream *w, const QByteArray &payload);
    void endWatch(WatchStream *w, bool gracefully);
    void finishWatch(WatchStream *w);

    QSslServer *m_server;
    TestPki m_pki;
    QString m_error;
    QByteArrayList m_tokens;
    bool m_certAuth = true;

    Stores m_stores;
    quint64 m_rv = 1000; // real clusters never start at 1; tests must not assume numbers
    QList<Event> m_history;
    int m_historyLimit = 1000;
    quint64 m_compactedRv = 0; // a watch or continue from before this is expired
    QMap<quint64, Stores> m_snapshots; // list snapshots that continue tokens point at
    QByteArray m_listCache; // the whole list of m_listCacheKey at m_listCacheRv
    QString m_listCacheKey;
    quint64 m_listCacheRv = 0;
    Admission m_admission;

    bool m_expiredAsHttp = false;
    int m_bookmarkIntervalMs = 60000;
    QList<PendingFault> m_faults;
    QList<QPair<WatchFault, int>> m_watchFaults;
    RequestKinds m_forbidden;

    QHash<QString, QUrl> m_upstreams; // "ns/name:port" -> upstream base URL
    QNetworkAccessManager *m_proxyNetwork = nullptr;

    QList<Request> m_requests;
    QHash<int, int> m_counts; // RequestKind -> count
    bool m_recorded = false; // the request being handled has been recorded
    QSet<Connection *> m_connections;
    QList<WatchStream *> m_watches; // streaming or stalled
};

Q_DECLARE_OPERATORS_FOR_FLAGS(FakeKubeApiServer::RequestKinds)

} // namespace Bramble::Test
