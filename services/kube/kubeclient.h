#pragma once

#include "core/environment.h"
#include "core/job.h"
#include "kube/kubeauth.h"
#include "kube/kubeconnection.h"
#include "kube/linebuffer.h"

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

// Errors of the API server are Core::Error: kind from the HTTP status
// (Error::kindOfHttpStatus), reason = Status.reason ("NotFound", "Expired",
// "TooManyRequests"), message = Status.message, operation = "GET /api/v1/nodes",
// retryAfterMs from Retry-After. No complete answer (refused, reset, TLS,
// timeout) is Kind::Network; reason "ConnectionRefused" when nothing listens
// there, "Timeout" when the answer did not come in time. A body we cannot
// read is Kind::Server.

// 410, or a Status with reason Expired / Gone (client-go treats both as expired).
bool isExpired(const Core::Error &error);
// Nothing listens there (the server restarts, or is down).
bool isConnectionRefused(const Core::Error &error);
// An error from a Kubernetes Status (an ERROR watch event's object, or a reply body).
Core::Error statusError(int httpStatus, const QString &reason, const QString &message);

// What a call and a watch share: credentials first (a failure to get them
// finishes the exchange), one more try after a 401 with fresh credentials,
// cancel(), and one finished() (Core::Job) that drops the reply.
class KubeExchange : public Core::Job {
    Q_OBJECT
public:
    ~KubeExchange() override;

protected:
    explicit KubeExchange(KubeClient *client);
    void begin() override { attempt(); }
    void abort() override { dropReply(); }
    // Sends (again, after a 401 or a wait): by default sendAuthenticated().
    virtual void attempt() { sendAuthenticated(); }
    // Fetches credentials, then sends with them (send() returns the reply).
    void sendAuthenticated();
    virtual QNetworkReply *send(const KubeAuthResult &auth) = 0;
    // Ends the exchange: null error = success. Drops the reply.
    virtual void finish(Core::Error error) = 0;
    // After a 401: invalidate the credentials and attempt() once more. False
    // when it was not a 401, or the one retry is spent.
    bool retriedAfterUnauthorized(int httpStatus);
    // Drops the reply; false if the exchange is already ending.
    bool close();
    void dropReply();

    QPointer<KubeClient> m_client;
    QPointer<QNetworkReply> m_reply;

private:
    bool m_retriedAuth = false;
};

// One request and its whole answer: a Core::Job, started by KubeClient;
// finished() once, from the event loop, then it deletes itself: read it in
// the slot (error(), httpStatus(), body()).
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
    int attempts() const { return m_attempts; }
    // The body is a Kubernetes Status: for a proxy() call, the API server
    // answered itself (401, 403, no such service, no endpoints), not the service.
    bool fromApiServer() const;
    // progressChanged() text while waiting to retry:
    // "GET /api/v1/nodes: 429 Too Many Requests, retrying in 1 s (retry 1 of 10)"

private:
    friend class KubeClient;
    KubeCall(
        KubeClient *client, QByteArray method, QString path, QUrlQuery query, QByteArray body, QByteArray contentType);
    void attempt() override; // the timeout covers credentials and answer, per attempt
    void abort() override;
    QNetworkReply *send(const KubeAuthResult &auth) override;
    void onFinished();
    bool retriedAfterThrottling(QNetworkReply *reply);
    void finish(Core::Error error) override;

    QByteArray m_method;
    QString m_path;
    QUrlQuery m_query;
    QByteArray m_requestBody;
    QByteArray m_contentType;
    QTimer *m_timer = nullptr;
    QTimer *m_retryTimer = nullptr;
    bool m_proxied = false; // KubeClient::proxy()
    int m_timeoutMs = 0; // 0: the client's
    qint64 m_maxBodyBytes = 0; // 0: no limit
    int m_attempts = 0;
    int m_status = 0;
    QByteArray m_body;
};

// A stream of newline-framed lines, for as long as the server keeps it open,
// each line delivered whole however the bytes were chunked (LineBuffer):
//  - JsonEvents (a watch, KubeClient::watch()): every line is one JSON
//    object, passed on as eventsReceived(); a line that is not one fails the
//    stream, naming it;
//  - Lines (plain text, KubeClient::streamLines(): pod logs with
//    follow=true): linesReceived() with the bytes of each line, '\n' (and a
//    '\r' before it) removed; a last line without a newline is delivered
//    when the stream ends.
// A Core::Job: finished() comes once, ok() when the server ended the stream
// normally (timeoutSeconds), else error() says why. Deletes itself after.
class KubeWatchStream : public KubeExchange {
    Q_OBJECT
public:
    enum class Framing { JsonEvents, Lines };
    Framing framing() const { return m_framing; }
    // Wall-clock time (ms since the epoch) of the last byte, or of the
    // start. Wall clock, not monotonic: a suspended laptop's monotonic clock
    // stops, and a stream that slept through its timeout must look silent.
    qint64 lastActivityMs() const { return m_lastActivityMs; }
    bool isConnected() const { return m_connected; }
    int httpStatus() const { return m_status; }

Q_SIGNALS:
    void connected(); // the server answered 200: events follow
    void eventsReceived(const QList<QJsonObject> &events); // JsonEvents
    void linesReceived(const QList<QByteArray> &lines); // Lines

private:
    friend class KubeClient;
    KubeWatchStream(KubeClient *client, QString path, QUrlQuery query, Framing framing);
    bool deliver(const QList<QByteArray> &lines);
    QNetworkReply *send(const KubeAuthResult &auth) override;
    void onReadyRead();
    void onFinished();
    void finish(Core::Error error) override;

    QString m_path;
    QUrlQuery m_query;
    Framing m_framing;
    LineBuffer m_lines;
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
    // A request to a Service through the API server's service proxy
    // ("/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH"): the answer is
    // the service's own, whatever its status (httpStatus(), body(); error()
    // set when it is not 2xx). It is never sent again behind the caller's
    // back, since the service may not be idempotent: no retry after a 429 or a
    // 5xx, and a 401 retried with fresh credentials only when the API server
    // itself refused (a Status body). `timeoutMs` replaces the client's
    // timeout (0: the client's); an answer past `maxBodyBytes` (0: no limit)
    // ends the call as Kind::Server with reason "ResponseSizeTooLarge".
    KubeCall *proxy(const QByteArray &method, const QString &path, const QByteArray &body,
        const QByteArray &contentType, int timeoutMs = 0, qint64 maxBodyBytes = 0);
    KubeWatchStream *watch(const QString &path, const QUrlQuery &query);
    // A plain-text stream read line by line (no watch=1 added):
    // "/api/v1/namespaces/N/pods/P/log" with follow=true&timestamps=true.
    KubeWatchStream *streamLines(const QString &path, const QUrlQuery &query);

private:
    friend class KubeExchange;
    friend class KubeCall;
    friend class KubeWatchStream;
    QNetworkRequest request(const QString &path, const QUrlQuery &query, const KubeAuthResult &auth) const;
    QNetworkAccessManager *watchNetwork();
    void releaseWatchNetwork(QNetworkAccessManager *network);
    static Core::Error errorFrom(QNetworkReply *reply, const QByteArray &body);

    KubeConnection m_connection;
    QNetworkAccessManager *m_network; // calls only
    QHash<QNetworkAccessManager *, int> m_watchLoad; // watch managers -> open watches
    KubeAuth *m_auth;
    int m_timeoutMs = 30000;
};

} // namespace Bramble::Kube
