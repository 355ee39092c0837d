#pragma once

#include "core/environment.h"
#include "core/job.h"
#include "kube/kubeauth.h"
#include "kube/kubeconnection.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QTimer;

namespace Bramble::Kube {

class KubeClient;

// What went wrong with one request to the API server.
struct KubeError {
    enum Kind {
        None,
        Http, // the server answered with an error status (a Status object, usually)
        Network, // refused, reset, DNS, TLS
        Timeout, // no complete answer in time
        Cancelled, // cancel() was called
        Auth, // no usable credentials (token file, exec plugin)
        Protocol, // the answer could not be parsed
    };
    Kind kind = None;
    int httpStatus = 0;
    QString reason; // Status.reason: NotFound, Forbidden, Expired, Gone, TooManyRequests ...
    QString message; // Status.message, or ours
    int retryAfterSeconds = -1; // Retry-After (429, 503); -1 when absent
    int attempts = 0; // how many times the request was sent (a call that was retried: more than 1)
    bool connectionRefused = false; // Network: nothing listens there (the server restarts, or is down)

    static KubeError make(Kind kind, QString message)
    {
        KubeError e;
        e.kind = kind;
        e.message = std::move(message);
        return e;
    }
    bool isNull() const { return kind == None; }
    // "GET /api/v1/nodes: Forbidden: nodes is forbidden: ... (HTTP 403)"
    QString toString() const;
    // 410, or a Status with reason Expired / Gone (client-go treats both as expired)
    bool isExpired() const;
};

// What a call and a watch share: credentials first (a failure to get them
// finishes the exchange), one more try after a 401 with fresh credentials,
// cancel(), and a finish that happens once and drops the reply.
class KubeExchange : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void cancel();

protected:
    explicit KubeExchange(KubeClient *client);
    // Begins (and, after a 401, begins again): by default sendAuthenticated().
    virtual void start() { sendAuthenticated(); }
    // Fetches credentials, then sends with them (send() returns the reply).
    void sendAuthenticated();
    virtual QNetworkReply *send(const KubeAuthResult &auth) = 0;
    virtual void finish(KubeError error) = 0;
    void finishLater(KubeError error); // from the event loop, never inside the caller
    // After a 401: invalidate the credentials and start() once more. False when
    // it was not a 401, or the one retry is spent.
    bool retriedAfterUnauthorized(int httpStatus);
    // Marks the exchange finished and drops the reply; false if it already was.
    bool close();

    QPointer<KubeClient> m_client;
    QPointer<QNetworkReply> m_reply;
    bool m_finished = false;

private:
    bool m_retriedAuth = false;
};

// One request and its whole answer. Returned at once; emits finished() once,
// asynchronously, then deletes itself: read it in the slot.
//
// Like client-go, a 429, or a 5xx that carries Retry-After, is sent again
// after the Retry-After seconds (1 s when a 429 has none), up to
// maxRetries times; then the last answer is the error. Each wait is logged
// (bramble.kube info: `bramblectl --verbose`) and reported through
// progressChanged() for a freshness line. The timeout is per attempt.
class KubeCall : public KubeExchange {
    Q_OBJECT
public:
    static constexpr int maxRetries = 10;

    int httpStatus() const { return m_status; }
    const QByteArray &body() const { return m_body; }
    QJsonObject json() const; // the body parsed; empty when it is not an object
    const KubeError &error() const { return m_error; }
    bool ok() const { return m_error.isNull(); }
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    // "GET /api/v1/nodes: 429 Too Many Requests, retrying in 1 s (retry 1 of 10)"
    void progressChanged(const Bramble::Core::Progress &progress);
    void finished();

private:
    friend class KubeClient;
    KubeCall(
        KubeClient *client, QByteArray method, QString path, QUrlQuery query, QByteArray body, QByteArray contentType);
    void start() override; // the timeout covers credentials and answer, per attempt
    QNetworkReply *send(const KubeAuthResult &auth) override;
    void onFinished();
    bool retriedAfterThrottling(QNetworkReply *reply);
    void finish(KubeError error) override;

    QByteArray m_method;
    QString m_path;
    QUrlQuery m_query;
    QByteArray m_requestBody;
    QByteArray m_contentType;
    QTimer *m_timer = nullptr;
    QTimer *m_retryTimer = nullptr;
    int m_attempts = 0;
    int m_status = 0;
    QByteArray m_body;
    KubeError m_error;
};

// A watch: one JSON object per line, for as long as the server keeps the
// stream open. Objects are delivered whole however the bytes were chunked.
// finished() comes once: error None when the server ended the stream
// normally (timeoutSeconds), else why it failed. Deletes itself after.
class KubeWatchStream : public KubeExchange {
    Q_OBJECT
public:
    // Wall-clock time (ms since the epoch) of the last byte, or of the
    // start. Wall clock, not monotonic: a suspended laptop's monotonic clock
    // stops, and a stream that slept through its timeout must look silent.
    qint64 lastActivityMs() const { return m_lastActivityMs; }
    bool isConnected() const { return m_connected; }
    int httpStatus() const { return m_status; }

Q_SIGNALS:
    void connected(); // the server answered 200: events follow
    void eventsReceived(const QList<QJsonObject> &events);
    void finished(const Bramble::Kube::KubeError &error);

private:
    friend class KubeClient;
    KubeWatchStream(KubeClient *client, QString path, QUrlQuery query);
    QNetworkReply *send(const KubeAuthResult &auth) override;
    void onReadyRead();
    void onFinished();
    void finish(KubeError error) override;

    QString m_path;
    QUrlQuery m_query;
    QByteArray m_buffer;
    qint64 m_lastActivityMs = 0;
    int m_status = 0;
    bool m_connected = false;
};

// Talks to one API server as one user: TLS and proxy from the kubeconfig,
// credentials from KubeAuth (a 401 refreshes them and retries once).
// GUI or CLI main thread.
class KubeClient : public QObject {
    Q_OBJECT
public:
    KubeClient(KubeConnection connection, Core::Environment env, QObject *parent = nullptr);
    ~KubeClient() override;

    // The kubeconfig as kubectl finds it (`kubeconfig`: --kubeconfig, else
    // KUBECONFIG, else ~/.kube/config) and `context` (empty: the current
    // one). nullptr with *errors naming file and key when it cannot be used.
    static KubeClient *open(const Core::Environment &env, const QString &kubeconfig, const QString &context,
        Core::Errors *errors, Core::Errors *warnings = nullptr, QObject *parent = nullptr);

    const KubeConnection &connection() const { return m_connection; }
    KubeAuth *auth() const { return m_auth; }

    // Requests other than watches: no complete answer within this is a Timeout.
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }

    // `path` is absolute ("/api/v1/nodes"); the server URL's own path is kept in front.
    KubeCall *get(const QString &path, const QUrlQuery &query = {});
    KubeCall *patch(
        const QString &path, const QByteArray &body, const QByteArray &contentType = "application/merge-patch+json");
    // Any other request (POST, PUT, PATCH with query parameters such as dryRun...).
    KubeCall *send(const QByteArray &method, const QString &path, const QUrlQuery &query, const QByteArray &body = {},
        const QByteArray &contentType = {});
    KubeWatchStream *watch(const QString &path, const QUrlQuery &query);

private:
    friend class KubeExchange;
    friend class KubeCall;
    friend class KubeWatchStream;
    QNetworkRequest request(const QString &path, const QUrlQuery &query, const KubeAuthResult &auth) const;
    QNetworkAccessManager *watchNetwork();
    void releaseWatchNetwork(QNetworkAccessManager *network);
    static KubeError errorFrom(QNetworkReply *reply, const QByteArray &body);

    KubeConnection m_connection;
    QNetworkAccessManager *m_network; // calls only
    QHash<QNetworkAccessManager *, int> m_watchLoad; // watch managers -> open watches
    KubeAuth *m_auth;
    int m_timeoutMs = 30000;
};

} // namespace Bramble::Kube
