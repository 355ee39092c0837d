#include "kube/watchhub.h"

#include "kube/kubeclient.h"

namespace Bramble::Kube {

WatchHub::WatchHub(KubeClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

WatchHub::~WatchHub() = default;

ListWatch *WatchHub::watch(const QString &path)
{
    if (ListWatch *existing = m_watches.value(path))
        return existing;
    auto *created = new ListWatch(m_client, path, this);
    if (m_tune)
        m_tune(created);
    m_watches.insert(path, created);
    return created;
}

void WatchHub::subscribe(ListWatch *watch)
{
    if (!watch || watch->parent() != this)
        return;
    if (m_counts[watch]++ == 0)
        watch->start();
}

void WatchHub::unsubscribe(ListWatch *watch)
{
    auto it = m_counts.find(watch);
    if (it == m_counts.end() || it.value() == 0)
        return;
    if (--it.value() == 0)
        watch->stop();
}

int WatchHub::subscribers(const QString &path) const
{
    return m_counts.value(m_watches.value(path), 0);
}

int WatchHub::runningWatches() const
{
    int n = 0;
    for (const ListWatch *w : m_watches)
        n += w->isRunning() ? 1 : 0;
    return n;
}

void WatchHub::relist()
{
    for (ListWatch *w : std::as_const(m_watches)) {
        if (!w->isRunning())
            continue;
        w->stop();
        w->start();
    }
}

} // namespace Bramble::Kube
