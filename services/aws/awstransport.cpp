#include "aws/awstransport.h"

#include "aws/awsprotocol.h"
#include "aws/credentialsprovider.h"
#include "aws/logging.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace Bramble::Aws {

namespace {

// Codes that mean "these credentials have expired": fetch fresh ones once.
bool isExpiredCredentials(const Core::Error &e)
{
    return e.reason == u"ExpiredToken" || e.reason == u"ExpiredTokenException" || e.reason == u"RequestExpired";
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6 literal
    const int port = url.port();
    const bool defaultPort
        = port < 0 || (url.scheme() == u"https" && port == 443) || (url.scheme() == u"http" && port == 80);
    if (!defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

} // namespace

QByteArray AwsResponse::header(const QByteArray &name) const
{
    for (const HttpHeader &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

// ---------------------------------------------------------------- AwsCall

AwsCall::AwsCall(AwsTransport *transport, AwsRequest request)
    : Core::Job(transport)
    , m_transport(transport)
    , m_request(std::move(request))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
}

AwsCall::~AwsCall()
{
    dropReply();
}

void AwsCall::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void AwsCall::begin()
{
    // The first attempt from the event loop: the caller connects first.
    QMetaObject::invokeMethod(this, &AwsCall::startAttempt, Qt::QueuedConnection);
}

void AwsCall::abort()
{
    m_timer->stop();
    if (m_credentialsJob) {
        m_credentialsJob->disconnect(this);
        m_credentialsJob->cancel();
    }
    dropReply();
    Core::Error e(Core::Error::Kind::Cancelled, QStringLiteral("cancelled"));
    e.operation = m_request.operation;
    e.attempts = m_attempts;
    m_response.error = e;
}

void AwsCall::startAttempt()
{
    if (isEnding() || !m_transport)
        return;
    ++m_attempts;
    m_timedOut = false;
    m_oversized = false;
    if (!m_request.sign) {
        onCredentials(nullptr);
        return;
    }
    CredentialsJob *job = m_transport->m_credentials->fetch(this);
    m_credentialsJob = job;
    connect(job, &CredentialsJob::finished, this, [this, job] { onCredentials(job); });
    job->start();
}

void AwsCall::onCredentials(CredentialsJob *job)
{
    if (isEnding() || !m_transport)
        return;
    m_credentialsJob = nullptr;
    const CredentialsResult result = job ? job->result() : CredentialsResult {};
    if (m_request.sign && !result.ok()) {
        // The provider's error names the profile, the file and the line.
        Core::Error e = result.error;
        if (e.isNull())
            e = Core::Error(QStringLiteral("no AWS credentials"));
        e.kind = Core::Error::Kind::Auth;
        finish(e);
        return;
    }
    AwsTransport *t = m_transport;
    const ServiceInfo &service = *m_request.service;
    const QUrl endpoint = t->endpoint(service);
    if (!endpoint.isValid() || endpoint.host().isEmpty()) {
        finish(Core::Error(
            Core::Error::Kind::Usage, QStringLiteral("no endpoint for %1: set a region").arg(service.serviceId)));
        return;
    }
    QByteArray basePath = endpoint.path(QUrl::FullyEncoded).toUtf8();
    while (basePath.endsWith('/'))
        basePath.chop(1);
    const QByteArray target = basePath + m_request.target;
    const QUrl url
        = QUrl::fromEncoded(endpoint.toEncoded(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment) + target);

    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("bramble/" BRAMBLE_VERSION));
    HttpHeaders headers = m_request.headers;
    if (m_request.sign) {
        SigningRequest s { m_request.method, hostHeader(url), target, headers, m_request.body };
        headers
            += SigV4::sign(s, result.credentials, t->region(), service.signingName, QDateTime::currentDateTimeUtc());
    }
    for (const HttpHeader &h : std::as_const(headers))
        req.setRawHeader(h.first, h.second);

    qCDebug(lcAws).noquote() << m_request.operation << "attempt" << m_attempts << m_request.method
                             << url.toString(QUrl::RemoveQuery);
    m_reply = t->m_network->sendCustomRequest(req, m_request.method, m_request.body);
    const qint64 cap = t->m_maxResponseBytes;
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this, cap](qint64 received, qint64) {
        if (received > cap && m_reply) {
            m_oversized = true;
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &AwsCall::onReplyFinished);
    m_timer->disconnect(this);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
    m_timer->start(t->m_timeoutMs);
}

void AwsCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || isEnding() || !m_transport)
        return;
    m_timer->stop();
    m_reply = nullptr;
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_response.httpStatus = status;
    m_response.headers.clear();
    for (const auto &pair : reply->rawHeaderPairs())
        m_response.headers.append(pair);
    m_response.body = reply->readAll();
    m_response.json = {};

    const ServiceInfo &service = *m_request.service;
    Core::Error error;
    if (m_timedOut) {
        error.kind = Core::Error::Kind::Network;
        error.reason = timeoutReason();
        error.message = QStringLiteral("no answer within %1 s").arg(m_transport->m_timeoutMs / 1000.0);
    } else if (m_oversized) {
        error.kind = Core::Error::Kind::Server;
        error.message = QStringLiteral("answer larger than %1 MiB").arg(m_transport->m_maxResponseBytes >> 20);
    } else if (status == 0) {
        error.kind = Core::Error::Kind::Network;
        error.message = reply->errorString();
    } else if (status < 200 || status >= 300) {
        error = service.protocol == ServiceInfo::Protocol::Query
            ? Protocol::queryError(status, m_response.body)
            : Protocol::jsonError(status, m_response.headers, m_response.body);
    } else if (service.protocol == ServiceInfo::Protocol::Query) {
        QString parseError;
        const QJsonObject root = Protocol::xmlToJson(m_response.body, &parseError);
        const QJsonObject envelope = root.value(m_request.operation + QStringLiteral("Response")).toObject();
        m_response.json = envelope.value(m_request.operation + QStringLiteral("Result")).toObject();
        if (!parseError.isEmpty() || envelope.isEmpty()) {
            error.kind = Core::Error::Kind::Server;
            error.message = QStringLiteral("unreadable XML answer (%1)")
                                .arg(parseError.isEmpty() ? QStringLiteral("no ") + m_request.operation
                                            + QStringLiteral("Response element")
                                                          : parseError);
        } else {
            m_response.json.insert(
                QStringLiteral("ResponseMetadata"), envelope.value(QStringLiteral("ResponseMetadata")));
        }
    } else if (!m_response.body.trimmed().isEmpty()) {
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(m_response.body, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            error.kind = Core::Error::Kind::Server;
            error.message = pe.error != QJsonParseError::NoError
                ? QStringLiteral("unreadable JSON answer at offset %1: %2").arg(pe.offset).arg(pe.errorString())
                : QStringLiteral("JSON answer is not an object");
        } else {
            m_response.json = doc.object();
        }
    }
    if (error.isNull()) {
        m_transport->m_retry.release(m_quotaTaken);
        finish(error);
        return;
    }
    error.attempts = m_attempts;
    qCDebug(lcAws).noquote() << m_request.operation << "attempt" << m_attempts << "failed:" << error.toString();

    if (isExpiredCredentials(error) && !m_refreshedCredentials && m_request.sign) {
        m_refreshedCredentials = true;
        m_transport->m_credentials->invalidate();
        --m_attempts; // a refresh is not a retry
        startAttempt();
        return;
    }
    RetryPolicy &policy = m_transport->m_retry;
    if (RetryPolicy::isRetryable(error) && m_attempts < policy.maxAttempts() && policy.acquire(error, &m_quotaTaken)) {
        const int delay = policy.delayMs(m_attempts);
        Q_EMIT retrying(error, delay);
        reportProgress(m_attempts, policy.maxAttempts(),
            QStringLiteral("attempt %1 failed (%2); retrying in %3 ms")
                .arg(m_attempts)
                .arg(error.reason.isEmpty() ? Core::Error::kindName(error.kind) : error.reason)
                .arg(delay));
        m_timer->disconnect(this);
        connect(m_timer, &QTimer::timeout, this, &AwsCall::startAttempt);
        m_timer->start(delay);
        return;
    }
    finish(error);
}

void AwsCall::finish(Core::Error error)
{
    if (isEnding())
        return;
    m_timer->stop();
    if (error.isNull()) {
        m_response.error = {};
        succeed();
        return;
    }
    error.operation = m_request.operation;
    error.attempts = m_attempts;
    m_response.error = error;
    fail(std::move(error));
}

// ---------------------------------------------------------------- AwsTransport

AwsTransport::AwsTransport(
    QNetworkAccessManager *network, CredentialsProvider *credentials, QString region, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_credentials(credentials)
    , m_region(std::move(region))
{
}

void AwsTransport::setEndpoint(const ServiceInfo &service, const QUrl &url)
{
    m_endpoints.insert(service.endpointPrefix, url);
}

QUrl AwsTransport::endpoint(const ServiceInfo &service) const
{
    const auto it = m_endpoints.constFind(service.endpointPrefix);
    if (it != m_endpoints.constEnd())
        return *it;
    if (m_region.isEmpty())
        return {};
    const QString suffix = m_region.startsWith(QStringLiteral("cn-")) ? QStringLiteral("amazonaws.com.cn")
                                                                      : QStringLiteral("amazonaws.com");
    return QUrl(QStringLiteral("https://%1.%2.%3").arg(service.endpointPrefix, m_region, suffix));
}

AwsCall *AwsTransport::send(AwsRequest request)
{
    Q_ASSERT(request.service);
    auto *call = new AwsCall(this, std::move(request));
    call->start();
    return call;
}

AwsCall *AwsTransport::callJson(const ServiceInfo &service, const QString &operation, const QJsonObject &input)
{
    AwsRequest r;
    r.service = &service;
    r.operation = operation;
    const QByteArray version = service.protocol == ServiceInfo::Protocol::Json11 ? "1.1" : "1.0";
    r.headers = { { QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/x-amz-json-") + version },
        { QByteArrayLiteral("X-Amz-Target"), service.targetPrefix + '.' + operation.toLatin1() } };
    r.body = QJsonDocument(input).toJson(QJsonDocument::Compact);
    return send(std::move(r));
}

AwsCall *AwsTransport::callQuery(
    const ServiceInfo &service, const QString &operation, const QList<QPair<QString, QString>> &parameters)
{
    AwsRequest r;
    r.service = &service;
    r.operation = operation;
    r.headers = { { QByteArrayLiteral("Content-Type"),
        QByteArrayLiteral("application/x-www-form-urlencoded; charset=utf-8") } };
    QList<QPair<QString, QString>> all { { QStringLiteral("Action"), operation },
        { QStringLiteral("Version"), service.apiVersion } };
    all += parameters;
    r.body = Protocol::formEncode(all);
    return send(std::move(r));
}

} // namespace Bramble::Aws
