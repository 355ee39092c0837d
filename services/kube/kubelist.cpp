#include "kube/kubelist.h"

#include "kube/logging.h"

#include <QJsonArray>

namespace Bramble::Kube {

KubeList::KubeList(KubeClient *client, QString path, int pageSize, QObject *parent)
    : QObject(parent ? parent : client)
    , m_client(client)
    , m_path(std::move(path))
    , m_pageSize(pageSize)
{
}

KubeList *KubeList::start(KubeClient *client, const QString &path, int pageSize, QObject *parent)
{
    auto *list = new KubeList(client, path, pageSize, parent);
    list->request({});
    return list;
}

void KubeList::request(const QString &continueToken)
{
    if (!m_client) {
        const KubeError e = KubeError::make(KubeError::Cancelled, QStringLiteral("the client is gone"));
        QMetaObject::invokeMethod(
            this, [this, e] { finish(e); }, Qt::QueuedConnection);
        return;
    }
    QUrlQuery query;
    if (m_pageSize > 0)
        query.addQueryItem(QStringLiteral("limit"), QString::number(m_pageSize));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"), continueToken);
    KubeCall *call = m_client->get(m_path, query);
    m_call = call;
    connect(call, &KubeCall::finished, this, [this, call] { onPage(call); });
    connect(call, &KubeCall::progressChanged, this, &KubeList::progressChanged);
}

void KubeList::onPage(KubeCall *call)
{
    m_call = nullptr;
    if (m_finished)
        return;
    if (!call->ok()) {
        if (call->error().isExpired() && m_pages > 0 && !m_restarted) {
            qCInfo(lcKube).noquote() << m_path << "continue token expired after" << m_pages << "pages; listing again";
            m_restarted = true;
            m_items.clear();
            m_resourceVersion.clear();
            m_pages = 0;
            Q_EMIT restarted();
            request({});
            return;
        }
        finish(call->error());
        return;
    }
    const QJsonObject page = call->json();
    const QJsonValue items = page.value(QStringLiteral("items"));
    if (!items.isArray() && !items.isNull() && !items.isUndefined()) {
        const KubeError e
            = KubeError::make(KubeError::Protocol, QStringLiteral("GET %1: the answer has no items array").arg(m_path));
        finish(e);
        return;
    }
    ++m_pages;
    const QJsonArray array = items.toArray();
    QList<QJsonObject> objects;
    objects.reserve(array.size());
    for (const QJsonValue &v : array)
        if (v.isObject())
            objects.append(v.toObject());
    Q_EMIT pageReceived(objects);
    if (m_collect)
        m_items.append(std::move(objects));
    const QJsonObject meta = page.value(QStringLiteral("metadata")).toObject();
    if (m_resourceVersion.isEmpty())
        m_resourceVersion = meta.value(QStringLiteral("resourceVersion")).toString();
    const QString next = meta.value(QStringLiteral("continue")).toString();
    if (!next.isEmpty())
        request(next);
    else
        finish({});
}

void KubeList::cancel()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
    }
    const KubeError e = KubeError::make(KubeError::Cancelled, QStringLiteral("cancelled"));
    QMetaObject::invokeMethod(
        this, [this, e] { finish(e); }, Qt::QueuedConnection);
}

void KubeList::finish(KubeError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = std::move(error);
    Q_EMIT finished();
    deleteLater();
}

} // namespace Bramble::Kube
