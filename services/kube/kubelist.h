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
// page, once per list; a second expiry is an error. Returned at once by
// start(); emits finished() once, then deletes itself.
class KubeList : public QObject {
    Q_OBJECT
public:
    static KubeList *start(KubeClient *client, const QString &path, int pageSize = 500, QObject *parent = nullptr);

    // Every item, when collecting (the default). A caller that handles
    // pageReceived() itself turns collecting off and holds one page at a time.
    const QList<QJsonObject> &items() const { return m_items; }
    void setCollectItems(bool collect) { m_collect = collect; }
    QString resourceVersion() const { return m_resourceVersion; }
    const KubeError &error() const { return m_error; }
    bool ok() const { return m_error.isNull(); }
    int pages() const { return m_pages; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    // One page's items, as they arrive. After an expired continue token the
    // list starts over: restarted() says to forget the pages seen so far.
    void pageReceived(const QList<QJsonObject> &items);
    void restarted();
    // A page request waits before it is sent again (429, or 5xx with
    // Retry-After): text says why and for how long.
    void progressChanged(const Bramble::Core::Progress &progress);
    void finished();

private:
    KubeList(KubeClient *client, QString path, int pageSize, QObject *parent);
    void request(const QString &continueToken);
    void onPage(KubeCall *call);
    void finish(KubeError error);

    QPointer<KubeClient> m_client;
    QString m_path;
    int m_pageSize;
    QPointer<KubeCall> m_call;
    QList<QJsonObject> m_items;
    QString m_resourceVersion;
    KubeError m_error;
    int m_pages = 0;
    bool m_restarted = false;
    bool m_collect = true;
    bool m_finished = false;
};

} // namespace Bramble::Kube
