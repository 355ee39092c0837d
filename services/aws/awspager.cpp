#include "aws/awspager.h"

#include "aws/awstransport.h"

namespace Bramble::Aws {

AwsPager::AwsPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec)
    : QObject(transport)
    , m_transport(transport)
    , m_service(service)
    , m_spec(std::move(spec))
{
    QMetaObject::invokeMethod(
        this, [this] { request(QJsonValue()); }, Qt::QueuedConnection);
}

void AwsPager::cancel()
{
    if (m_finished)
        return;
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
    }
    // Finished from here on, so that a cancel() from a pageReceived() slot
    // requests no further page; finished() still comes later, as promised.
    m_finished = true;
    m_error.kind = AwsError::Cancelled;
    m_error.operation = m_spec.operation;
    m_error.message = QStringLiteral("cancelled");
    QMetaObject::invokeMethod(
        this,
        [this] {
            Q_EMIT finished();
            deleteLater();
        },
        Qt::QueuedConnection);
}

void AwsPager::request(const QJsonValue &token)
{
    if (m_finished)
        return;
    QJsonObject input = m_spec.input;
    if (!token.isUndefined() && !token.isNull())
        input.insert(m_spec.inputToken, token);
    m_call = m_transport->callJson(m_service, m_spec.operation, input);
    connect(m_call, &AwsCall::finished, this, [this, token] {
        const AwsResponse &r = m_call->response();
        if (!r.ok()) {
            finish(r.error);
            return;
        }
        ++m_pages;
        QJsonArray page = r.json.value(m_spec.itemsKey).toArray();
        if (m_spec.maxItems > 0 && m_items.size() + page.size() > m_spec.maxItems) {
            while (m_items.size() + page.size() > m_spec.maxItems)
                page.removeLast();
        }
        for (const QJsonValue &v : std::as_const(page))
            m_items.append(v);
        Q_EMIT pageReceived(page, r.json);
        const QJsonValue next = r.json.value(m_spec.outputToken);
        const bool more = !next.isUndefined() && !next.isNull() && next != token
            && !(next.isString() && next.toString().isEmpty()) && !(next.isObject() && next.toObject().isEmpty());
        if (m_finished)
            return; // cancelled from pageReceived
        if (more && (m_spec.maxItems <= 0 || m_items.size() < m_spec.maxItems))
            request(next);
        else
            finish({});
    });
}

void AwsPager::finish(const AwsError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    Q_EMIT finished();
    deleteLater();
}

} // namespace Bramble::Aws
