#include "kube/kubeclient.h"

#include "kube/kubeconfigloader.h"
#include "kube/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <algorithm>

namespace Bramble::Kube {

namespace {

const QByteArray userAgent = "bramble/" BRAMBLE_VERSION;

Core::Error authError(const KubeAuthResult &auth)
{
    Core::Error e = auth.error;
    e.kind = Core::Error::Kind::Auth;
    return e;
}

Core::Error make(Core::Error::Kind kind, QString message, QString reason = {})
{
    Core::Error e(kind, std::move(message));
    e.reason = std::move(reason);
    return e;
}

} // namespace

bool isExpired(const Core::Error &error)
{
    return !error.isNull() && (error.httpStatus == 410 || error.reason == u"Expired" || error.reason == u"Gone");
}

bool isConnectionRefused(const Core::Error &error)
{
    return error.is(Core::Error::Kind::Network) && error.reason == u"ConnectionRefused";
}

Core::Error statusError(int httpStatus, const QString &reason, const QString &message)
{
    Core::Error e(Core::Error::kindOfHttpStatus(httpStatus), message);
    e.httpStatus = httpStatus;
    e.reason = reason;
    if (reason == u"Unauthorized" || reason == u"Forbidden")
        e.kind = Core::Error::Kind::Auth;
    else if (reason == u"NotFound")
        e.kind = Core::Error::Kind::NotFound;
    else if (reason == u"TooManyRequests")
        e.kind = Core::Error::Kind::Throttled;
    if (e.message.isEmpty())
        e.message = reason.isEmpty() ? QStringLiteral("failed") : reason;
    return e;
}

// ---- KubeClient

KubeClient::KubeClient(KubeConnection connection, Core::Environment env, QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_network(new QNetworkAccessManager(this))
    , m_auth(new KubeAuth(m_connection, std::move(env), this))
{
    m_network->setProxy(m_connection.proxy.value_or(QNetworkProxy(QNetworkProxy::NoProxy)));
    m_network->setAutoDeleteReplies(false);
}

KubeClient::~KubeClient() = default;

// Over HTTP/1.1 (an API server behind an HTTP/1.1 proxy or load balancer, or
// kubectl proxy) each watch holds a connection for minutes, and Qt opens at
// most six per host and manager: the seventh request would queue behind
// watches that never end. So calls keep m_network to themselves and watches
// spread over managers of their own, a few each. Over HTTP/2 this costs one
// connection per manager instead of one in all.
QNetworkAccessManager *KubeClient::watchNetwork()
{
    constexpr int watchesPerManager = 4;
    QNetworkAccessManager *chosen = nullptr;
    for (auto it = m_watchLoad.cbegin(); it != m_watchLoad.cend(); ++it) {
        if (it.value() < watchesPerManager && (!chosen || it.value() < m_watchLoad.value(chosen)))
            chosen = it.key();
    }
    if (!chosen) {
        chosen = new QNetworkAccessManager(this);
        chosen->setProxy(m_network->proxy());
        chosen->setAutoDeleteReplies(false);
        m_watchLoad.insert(chosen, 0);
    }
    ++m_watchLoad[chosen];
    return chosen;
}

void KubeClient::releaseWatchNetwork(QNetworkAccessManager *network)
{
    auto it = m_watchLoad.find(network);
    if (it != m_watchLoad.end() && it.value() > 0)
        --it.value();
}

KubeClient *KubeClient::open(const Core::Environment &env, const QString &kubeconfig, const QString &context,
    Core::Errors *errors, Core::Errors *warnings, QObject *parent)
{
    const KubeconfigLoadResult loaded = KubeconfigLoader::load(env, kubeconfig);
    if (!loaded.ok()) {
        errors->append(loaded.errors);
        return nullptr;
    }
    if (warnings)
        warnings->append(loaded.warnings);
    if (loaded.config.files.isEmpty() && loaded.config.contexts.isEmpty()) {
        errors->append(
            Core::Error(QStringLiteral("no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create %1")
                            .arg(env.expandHome(QStringLiteral("~/.kube/config")))));
        return nullptr;
    }
    auto connection = KubeConnection::resolve(loaded.config, context, env, errors, warnings);
    if (!connection)
        return nullptr;
    return new KubeClient(std::move(*connection), env, parent);
}

QNetworkRequest KubeClient::request(const QString &path, const QUrlQuery &query, const KubeAuthResult &auth) const
{
    QUrl url = m_connection.server;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    url.setQuery(query);
    QNetworkRequest r(url);
    QSslConfiguration ssl = m_connection.sslConfiguration();
    if (!auth.clientCertificate.isNull()) {
        ssl.setLocalCertificate(auth.clientCertificate);
        ssl.setPrivateKey(auth.clientKey);
    }
    r.setSslConfiguration(ssl);
    if (!m_connection.peerVerifyName.isEmpty())
        r.setPeerVerifyName(m_connection.peerVerifyName);
    r.setRawHeader("Accept", "application/json");
    r.setRawHeader("User-Agent", userAgent);
    if (!auth.authorization.isEmpty())
        r.setRawHeader("Authorization", auth.authorization);
    if (m_connection.cluster.disableCompression)
        r.setRawHeader("Accept-Encoding", "identity");
    const KubeUser &user = m_connection.user;
    if (!user.impersonate.isEmpty())
        r.setRawHeader("Impersonate-User", user.impersonate.toUtf8());
    if (!user.impersonateUid.isEmpty())
        r.setRawHeader("Impersonate-Uid", user.impersonateUid.toUtf8());
    // Qt joins repeated raw headers with ", ", which the API server splits again.
    if (!user.impersonateGroups.isEmpty())
        r.setRawHeader("Impersonate-Group", user.impersonateGroups.join(QStringLiteral(", ")).toUtf8());
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return r;
}

Core::Error KubeClient::errorFrom(QNetworkReply *reply, const QByteArray &body)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300) {
        QString reason, message;
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        if (o.value(QStringLiteral("kind")).toString() == u"Status") {
            reason = o.value(QStringLiteral("reason")).toString();
            message = o.value(QStringLiteral("message")).toString();
        }
        if (message.isEmpty())
            message = QString::fromUtf8(body.left(200)).simplified();
        if (message.isEmpty())
            message = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        Core::Error e = statusError(status, reason, message);
        bool ok = false;
        const int after = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && after >= 0)
            e.retryAfterMs = std::min(after, 24 * 3600) * 1000;
        return e;
    }
    if (reply->error() == QNetworkReply::NoError)
        return {};
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return make(Core::Error::Kind::Cancelled, reply->errorString());
    return make(Core::Error::Kind::Network, reply->errorString(),
        reply->error() == QNetworkReply::ConnectionRefusedError ? QStringLiteral("ConnectionRefused") : QString());
}

KubeCall *KubeClient::get(const QString &path, const QUrlQuery &query)
{
    return send("GET", path, query);
}

KubeCall *KubeClient::patch(const QString &path, const QByteArray &body, const QByteArray &contentType)
{
    return send("PATCH", path, {}, body, contentType);
}

KubeCall *KubeClient::send(const QByteArray &method, const QString &path, const QUrlQuery &query,
    const QByteArray &body, const QByteArray &contentType)
{
    auto *call = new KubeCall(this, method, path, query, body, contentType);
    call->start();
    return call;
}

KubeCall *KubeClient::proxy(const QByteArray &method, const QString &path, const QByteArray &body,
    const QByteArray &contentType, int timeoutMs, qint64 maxBodyBytes)
{
    auto *call = new KubeCall(this, method, path, {}, body, contentType);
    call->m_proxied = true;
    call->m_timeoutMs = timeoutMs;
    call->m_maxBodyBytes = maxBodyBytes;
    call->start();
    return call;
}

KubeWatchStream *KubeClient::watch(const QString &path, const QUrlQuery &query)
{
    auto *stream = new KubeWatchStream(this, path, query, KubeWatchStream::Framing::JsonEvents);
    stream->start();
    return stream;
}

KubeWatchStream *KubeClient::streamLines(const QString &path, const QUrlQuery &query)
{
    auto *stream = new KubeWatchStream(this, path, query, KubeWatchStream::Framing::Lines);
    stream->start();
    return stream;
}

// ---- KubeExchange

KubeExchange::KubeExchange(KubeClient *client)
    : Core::Job(client)
    , m_client(client)
{
}

KubeExchange::~KubeExchange()
{
    dropReply();
}

void KubeExchange::sendAuthenticated()
{
    if (!m_client) {
        finish(make(Core::Error::Kind::Cancelled, QStringLiteral("the client is gone")));
        return;
    }
    m_client->auth()->fetch(this, [this](const KubeAuthResult &auth) {
        if (isEnding())
            return;
        if (!auth.ok()) {
            finish(authError(auth));
            return;
        }
        m_reply = send(auth);
    });
}

bool KubeExchange::retriedAfterUnauthorized(int httpStatus)
{
    if (httpStatus != 401 || m_retriedAuth || !m_client)
        return false;
    // Tokens rotate and plugins' credentials expire: refresh once.
    m_retriedAuth = true;
    m_client->auth()->invalidate();
    attempt();
    return true;
}

bool KubeExchange::close()
{
    if (isEnding())
        return false;
    dropReply();
    return true;
}

void KubeExchange::dropReply()
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

// ---- KubeCall

KubeCall::KubeCall(
    KubeClient *client, QByteArray method, QString path, QUrlQuery query, QByteArray body, QByteArray contentType)
    : KubeExchange(client)
    , m_method(std::move(method))
    , m_path(std::move(path))
    , m_query(std::move(query))
    , m_requestBody(std::move(body))
    , m_contentType(std::move(contentType))
    , m_timer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &KubeCall::attempt);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        finish(make(Core::Error::Kind::Network,
            QStringLiteral("no answer within %1 s").arg(m_timer->interval() / 1000.0), QStringLiteral("Timeout")));
    });
}

QJsonObject KubeCall::json() const
{
    return QJsonDocument::fromJson(m_body).object();
}

void KubeCall::abort()
{
    m_timer->stop();
    m_retryTimer->stop();
    dropReply();
}

bool KubeCall::fromApiServer() const
{
    const QJsonObject o = QJsonDocument::fromJson(m_body).object();
    return o.value(QStringLiteral("kind")).toString() == u"Status"
        && o.value(QStringLiteral("apiVersion")).toString() == u"v1";
}

void KubeCall::attempt()
{
    if (m_client)
        m_timer->start(m_timeoutMs > 0 ? m_timeoutMs : m_client->timeoutMs());
    sendAuthenticated();
}

QNetworkReply *KubeCall::send(const KubeAuthResult &auth)
{
    ++m_attempts;
    QNetworkRequest r = m_client->request(m_path, m_query, auth);
    if (!m_contentType.isEmpty())
        r.setHeader(QNetworkRequest::ContentTypeHeader, m_contentType);
    qCDebug(lcKube).noquote() << m_method << r.url().toString();
    if (m_proxied)
        r.setRawHeader("Accept", "application/json, */*");
    QNetworkReply *reply = m_client->m_network->sendCustomRequest(r, m_method, m_requestBody);
    connect(reply, &QNetworkReply::finished, this, &KubeCall::onFinished);
    if (m_maxBodyBytes > 0) {
        connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
            if (reply != m_reply || reply->bytesAvailable() <= m_maxBodyBytes)
                return;
            finish(
                make(Core::Error::Kind::Server, QStringLiteral("an answer of more than %1 bytes").arg(m_maxBodyBytes),
                    QStringLiteral("ResponseSizeTooLarge")));
        });
    }
    return reply;
}

void KubeCall::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || isEnding())
        return;
    reply->deleteLater();
    m_reply = nullptr;
    m_body = reply->readAll();
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_maxBodyBytes > 0 && m_body.size() > m_maxBodyBytes) {
        finish(make(Core::Error::Kind::Server, QStringLiteral("an answer of more than %1 bytes").arg(m_maxBodyBytes),
            QStringLiteral("ResponseSizeTooLarge")));
        return;
    }
    if ((!m_proxied || fromApiServer()) && retriedAfterUnauthorized(m_status))
        return;
    if (!m_proxied && retriedAfterThrottling(reply))
        return;
    finish(KubeClient::errorFrom(reply, m_body));
}

// client-go's rule (rest.Request's retry with checkWait): the server said
// when to come back. A 429 without Retry-After still means "slow down".
bool KubeCall::retriedAfterThrottling(QNetworkReply *reply)
{
    const Core::Error e = KubeClient::errorFrom(reply, m_body);
    const bool throttled = m_status == 429;
    if (!throttled && !(m_status >= 500 && e.retryAfterMs >= 0))
        return false;
    const int retry = m_attempts; // the retry this would be: 1 after the first answer
    if (retry > maxRetries)
        return false;
    const int seconds = std::clamp(e.retryAfterMs >= 0 ? e.retryAfterMs / 1000 : 1, 0, 3600);
    const QString phrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QString text = QStringLiteral("%1 %2: %3 %4, retrying in %5 s (retry %6 of %7)")
                             .arg(QString::fromLatin1(m_method), m_path, QString::number(m_status),
                                 phrase.isEmpty() ? e.reason : phrase, QString::number(seconds), QString::number(retry),
                                 QString::number(maxRetries));
    qCInfo(lcKube).noquote() << text;
    m_timer->stop(); // the timeout is per attempt; the wait is the server's wish
    reportProgress(retry, maxRetries, text);
    m_retryTimer->start(seconds * 1000);
    return true;
}

void KubeCall::finish(Core::Error error)
{
    if (!close())
        return;
    m_timer->stop();
    m_retryTimer->stop();
    if (error.isNull()) {
        succeed();
        return;
    }
    error.attempts = m_attempts;
    if (error.operation.isEmpty())
        error.operation = QString::fromLatin1(m_method) + u' ' + m_path;
    fail(std::move(error));
}

// ---- KubeWatchStream

KubeWatchStream::KubeWatchStream(KubeClient *client, QString path, QUrlQuery query, Framing framing)
    : KubeExchange(client)
    , m_path(std::move(path))
    , m_query(std::move(query))
    , m_framing(framing)
{
    if (m_framing == Framing::JsonEvents) {
        m_query.removeAllQueryItems(QStringLiteral("watch"));
        m_query.addQueryItem(QStringLiteral("watch"), QStringLiteral("1"));
    }
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
}

QNetworkReply *KubeWatchStream::send(const KubeAuthResult &auth)
{
    QNetworkRequest r = m_client->request(m_path, m_query, auth);
    // A watch lasts as long as the server wants; ListWatch judges silence.
    r.setTransferTimeout(0);
    if (m_framing == Framing::Lines)
        r.setRawHeader("Accept", "text/plain, */*");
    qCDebug(lcKube).noquote() << (m_framing == Framing::Lines ? "STREAM" : "WATCH") << r.url().toString();
    QNetworkAccessManager *network = m_client->watchNetwork();
    QNetworkReply *reply = network->get(r);
    connect(reply, &QObject::destroyed, m_client, [client = m_client, network] {
        if (client)
            client->releaseWatchNetwork(network);
    });
    // Headers alone (a quiet cluster, no bookmarks) already mean the watch is open.
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
        m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_status == 200 && !m_connected) {
            m_connected = true;
            Q_EMIT connected();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, &KubeWatchStream::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &KubeWatchStream::onFinished);
    return reply;
}

void KubeWatchStream::onReadyRead()
{
    if (!m_reply || isEnding())
        return;
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status != 200)
        return; // an error body: read whole in onFinished()
    if (!m_connected) {
        m_connected = true;
        Q_EMIT connected();
    }
    const QList<QByteArray> lines = m_lines.append(m_reply->readAll());
    if (!deliver(lines))
        return;
    if (m_lines.overflowed())
        finish(make(Core::Error::Kind::Server, QStringLiteral("a line longer than 64 MiB")));
}

// False when the stream failed (a watch line that is not a JSON object).
bool KubeWatchStream::deliver(const QList<QByteArray> &lines)
{
    if (lines.isEmpty())
        return true;
    if (m_framing == Framing::Lines) {
        Q_EMIT linesReceived(lines);
        return !isEnding();
    }
    QList<QJsonObject> events;
    events.reserve(lines.size());
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            const Core::Error e = make(Core::Error::Kind::Server,
                QStringLiteral("a watch line that is not a JSON object (%1): %2")
                    .arg(pe.errorString(), Core::oneLine(QString::fromUtf8(line.left(80)), 80)));
            if (!events.isEmpty())
                Q_EMIT eventsReceived(events);
            finish(e);
            return false;
        }
        events.append(doc.object());
    }
    if (!events.isEmpty())
        Q_EMIT eventsReceived(events);
    return !isEnding();
}

void KubeWatchStream::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || isEnding())
        return;
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 200) {
        onReadyRead();
        if (isEnding())
            return;
        // What came after the last newline: a last log line is whole; a
        // watch event is not.
        const QByteArray rest = m_lines.finish();
        if (m_framing == Framing::Lines) {
            if (!rest.isEmpty() && !deliver({ rest }))
                return;
        } else if (!rest.trimmed().isEmpty()) {
            reply->deleteLater();
            m_reply = nullptr;
            finish(make(Core::Error::Kind::Network, QStringLiteral("the stream ended inside an event")));
            return;
        }
    }
    const QByteArray body = m_status == 200 ? QByteArray() : reply->readAll();
    Core::Error e = KubeClient::errorFrom(reply, body);
    reply->deleteLater();
    m_reply = nullptr;
    if (retriedAfterUnauthorized(m_status))
        return;
    finish(e);
}

void KubeWatchStream::finish(Core::Error error)
{
    if (!close())
        return;
    if (error.isNull()) {
        succeed();
        return;
    }
    if (error.operation.isEmpty())
        error.operation = QStringLiteral("WATCH ") + m_path;
    fail(std::move(error));
}

} // namespace Bramble::Kube
