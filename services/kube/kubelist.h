#pragma once

#include "kube/kubeclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Bramble::Kube {

// A whole collection, read page by page (limit / continue; client-go's pager
// uses 500 items a page). All pages share the first page's resourceVersion.
// A continue token that expired (410) starts the list over from the first
// page, once per list; a second expiry is an error. A Core::Job, returned
// started by start(): finished() once, then it deletes itself; a page that
// waits to be retried (429, 5xx with Retry-After) reports progressChanged().
class KubeList : public Core::Job {
    Q_OBJECT
public:
    using Core::Job::start; // begins a job made here (started already by the factory)
    static KubeList *start(KubeClient *client, const QString &path, int pageSize = 500, QObject *parent = nullptr);

    // Every item, when collecting (the default). A caller that handles
    // pageReceived() itself turns collecting off and holds one page at a time.
    const QList<QJsonObject> &items() const { return m_items; }
    void setCollectItems(bool collect) { m_collect = collect; }
    QString resourceVersion() const { return m_resourceVersion; }
    int pages() const { return m_pages; }

Q_SIGNALS:
    // One page's items, as they arrive. After an expired continue token the
    // list starts over: restarted() says to forget the pages seen so far.
    void pageReceived(const QList<QJsonObject> &items);
    void restarted();

private:
    KubeList(KubeClient *client, QString path, int pageSize, QObject *parent);
    void begin() override { request({}); }
    void abort() override;
    void request(const QString &continueToken);
    void onPage(KubeCall *call);

    QPointer<KubeClient> m_client;
    QString m_path;
    int m_pageSize;
    QPointer<KubeCall> m_call;
    QList<QJsonObject> m_items;
    QString m_resourceVersion;
    int m_pages = 0;
    bool m_restarted = false;
    bool m_collect = true;
};

} // namespace Bramble::Kube
