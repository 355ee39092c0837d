#include "kube/kubelist.h"

#include "kube/logging.h"

#include <QJsonArray>

namespace Bramble::Kube {

KubeList::KubeList(KubeClient *client, QString path, int pageSize, QObject *parent)
    : Core::Job(parent ? parent : client)
    , m_client(client)
    , m_path(std::move(path))
    , m_pageSize(pageSize)
{
}

KubeList *KubeList::start(KubeClient *client, const QString &path, int pageSize, QObject *parent)
{
    auto *list = new KubeList(client, path, pageSize, parent);
    list->Core::Job::start();
    return list;
}

void KubeList::request(const QString &continueToken)
{
    if (!m_client) {
        fail(Core::Error(Core::Error::Kind::Cancelled, QStringLiteral("the client is gone")));
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
    connect(call, &KubeCall::progressChanged, this,
        [this](const Core::Progress &p) { reportProgress(p.done, p.total, p.text); });
}

void KubeList::onPage(KubeCall *call)
{
    m_call = nullptr;
    if (isEnding())
        return;
    if (!call->ok()) {
        if (isExpired(call->error()) && m_pages > 0 && !m_restarted) {
            qCInfo(lcKube).noquote() << m_path << "continue token expired after" << m_pages << "pages; listing again";
            m_restarted = true;
            m_items.clear();
            m_resourceVersion.clear();
            m_pages = 0;
            Q_EMIT restarted();
            request({});
            return;
        }
        fail(call->error());
        return;
    }
    const QJsonObject page = call->json();
    const QJsonValue items = page.value(QStringLiteral("items"));
    if (!items.isArray() && !items.isNull() && !items.isUndefined()) {
        Core::Error e(Core::Error::Kind::Server, QStringLiteral("the answer has no items array"));
        e.operation = QStringLiteral("GET ") + m_path;
        fail(e);
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
        succeed();
}

void KubeList::abort()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
        m_call = nullptr;
    }
}

} // namespace Bramble::Kube
