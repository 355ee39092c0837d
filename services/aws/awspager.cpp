#include "aws/awspager.h"

#include "aws/awstransport.h"

namespace Bramble::Aws {

QList<QJsonObject> objectItems(const QJsonArray &items)
{
    QList<QJsonObject> list;
    list.reserve(items.size());
    for (const QJsonValue &v : items)
        list.append(v.toObject());
    return list;
}

AwsPager::AwsPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec)
    : Core::ValueJob<QJsonArray>(transport)
    , m_transport(transport)
    , m_service(service)
    , m_spec(std::move(spec))
{
}

AwsPager *startPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec)
{
    auto *pager = new AwsPager(transport, service, std::move(spec));
    pager->start();
    return pager;
}

void AwsPager::begin()
{
    request(QJsonValue());
}

void AwsPager::abort()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
    }
}

void AwsPager::request(const QJsonValue &token)
{
    if (isEnding())
        return;
    QJsonObject input = m_spec.input;
    if (!token.isUndefined() && !token.isNull())
        input.insert(m_spec.inputToken, token);
    AwsCall *call = m_transport->callJson(m_service, m_spec.operation, input);
    m_call = call;
    connect(call, &AwsCall::finished, this, [this, call, token] {
        m_call = nullptr;
        const AwsResponse &r = call->response();
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
        reportProgress(m_items.size(), m_spec.maxItems > 0 ? m_spec.maxItems : -1,
            QStringLiteral("%1: %2 items in %3 pages").arg(m_spec.operation).arg(m_items.size()).arg(m_pages));
        Q_EMIT pageReceived(page, r.json);
        if (isEnding())
            return; // cancelled from pageReceived
        const QJsonValue next = r.json.value(m_spec.outputToken);
        const bool more = !next.isUndefined() && !next.isNull() && next != token
            && !(next.isString() && next.toString().isEmpty()) && !(next.isObject() && next.toObject().isEmpty());
        if (more && (m_spec.maxItems <= 0 || m_items.size() < m_spec.maxItems))
            request(next);
        else
            finish({});
    });
}

void AwsPager::finish(Core::Error error)
{
    if (error.isNull()) {
        succeedWith(m_items);
        return;
    }
    if (error.operation.isEmpty())
        error.operation = m_spec.operation;
    fail(std::move(error));
}

} // namespace Bramble::Aws
