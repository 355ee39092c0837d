#include "functions/httppostjob.h"

#include "functions/lambdaresource.h"
#include "functions/logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace Bramble::LocalRuntime {

namespace {
constexpr int TransferTimeoutMs = 15 * 60 * 1000;
}

HttpPostJob::HttpPostJob(QNetworkAccessManager *network, QUrl url, QByteArray body, QObject *parent)
    : Core::ValueJob<HttpAnswer>(parent)
    , m_network(network)
    , m_url(std::move(url))
    , m_body(std::move(body))
{
}

HttpPostJob::~HttpPostJob()
{
    stopReply();
}

void HttpPostJob::begin()
{
    if (!m_network) {
        fail(Core::Error(Core::Error::Kind::Network, QStringLiteral("no network access for ") + m_url.toString()));
        return;
    }
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(TransferTimeoutMs);
    m_reply = m_network->post(request, m_body);
    connect(m_reply, &QNetworkReply::readyRead, this, [this] {
        m_answer += m_reply->readAll();
        if (m_answer.size() > MaxPayloadBytes) {
            stopReply();
            Core::Error error(Core::Error::Kind::Server,
                QStringLiteral("%1 answered more than %2 bytes").arg(m_url.toString()).arg(MaxPayloadBytes));
            error.reason = QStringLiteral("ResponseSizeTooLarge");
            fail(error);
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &HttpPostJob::onFinished);
    qCDebug(lcLocalFunctions).noquote() << "POST" << m_url.toString();
}

void HttpPostJob::abort()
{
    stopReply();
}

void HttpPostJob::onFinished()
{
    if (isEnding() || !m_reply)
        return;
    QNetworkReply *reply = m_reply.data();
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    m_answer += reply->readAll();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        Core::Error error(Core::Error::Kind::Network, reply->errorString());
        error.operation = QStringLiteral("POST ") + m_url.toString();
        fail(error);
        return;
    }
    if (m_answer.size() > MaxPayloadBytes) {
        Core::Error error(Core::Error::Kind::Server,
            QStringLiteral("%1 answered more than %2 bytes").arg(m_url.toString()).arg(MaxPayloadBytes));
        error.reason = QStringLiteral("ResponseSizeTooLarge");
        fail(error);
        return;
    }
    succeedWith(HttpAnswer { status.toInt(), m_answer });
}

void HttpPostJob::stopReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply.data();
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

} // namespace Bramble::LocalRuntime
