#include "session/clustersession.h"

#include "kube/kubeclient.h"
#include "kube/kubeconnection.h"
#include "kube/nodeservice.h"
#include "kube/watchhub.h"
#include "metallb/poolwatcher.h"
#include "session/connectioncatalog.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QIODevice>

namespace Bramble::Session {

ClusterSession::ClusterSession(ConnectionCatalog *catalog, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
{
    connect(catalog, &ConnectionCatalog::reloaded, this, &ClusterSession::reopen);
    connect(catalog, &ConnectionCatalog::currentContextChanged, this, &ClusterSession::reopen);
    reopen();
}

ClusterSession::~ClusterSession()
{
    // The watcher's stop() would report Idle to consumers that may be gone.
    if (m_watcher)
        m_watcher->disconnect(this);
    delete m_client; // takes the watcher along
}

void ClusterSession::start()
{
    if (m_started)
        return;
    m_started = true;
    if (m_watcher)
        m_watcher->start();
}

void ClusterSession::stop()
{
    if (!m_started)
        return;
    m_started = false;
    if (m_watcher)
        m_watcher->stop();
}

void ClusterSession::relist()
{
    if (!m_started || !m_hub)
        return;
    // Every running collection lists again; a watch's store survives the
    // restart, so consumers get the difference.
    m_hub->relist();
}

Kube::WatchHub *ClusterSession::watches() const
{
    return m_hub;
}

MetalLB::PoolWatcher *ClusterSession::poolWatcher()
{
    if (!m_client)
        return nullptr;
    if (!m_poolWatcher)
        m_poolWatcher = new MetalLB::PoolWatcher(m_client, m_hub, m_client);
    return m_poolWatcher;
}

Kube::KubeClient *ClusterSession::client() const
{
    return m_client;
}

Kube::NodeWatcher *ClusterSession::watcher() const
{
    return m_watcher;
}

QUrl ClusterSession::server() const
{
    return m_client ? m_client->connection().server : QUrl();
}

Kube::ConnectionStatus ClusterSession::status() const
{
    return m_watcher ? m_watcher->status() : Kube::ConnectionStatus {};
}

Kube::CordonJob *ClusterSession::cordon(const QString &nodeName, bool cordon)
{
    if (!m_client)
        return nullptr;
    return Kube::CordonJob::start(m_client, nodeName, cordon, m_client);
}

// Everything in the merged kubeconfig that the connection for the current
// context is built from. Hashed so no credential is kept in it.
QByteArray ClusterSession::fingerprint() const
{
    const auto &kube = m_catalog->kube();
    const QString name = m_catalog->currentContext();
    if (!kube.ok() || name.isEmpty())
        return {};
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << name;
    const Kube::KubeContext *context = kube.config.context(name);
    if (!context)
        return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    out << context->cluster << context->user << context->namespace_;
    if (const Kube::KubeCluster *c = kube.config.cluster(context->cluster))
        out << true << c->server << c->tlsServerName << c->insecureSkipTlsVerify << c->certificateAuthority
            << c->certificateAuthorityData << c->proxyUrl << c->disableCompression;
    else
        out << false;
    if (const Kube::KubeUser *u = kube.config.user(context->user)) {
        out << true << u->clientCertificate << u->clientCertificateData << u->clientKey << u->clientKeyData << u->token
            << u->tokenFile << u->impersonate << u->impersonateUid << u->impersonateGroups << u->username << u->password
            << u->authProvider << u->exec.has_value();
        if (u->exec) {
            out << u->exec->command << u->exec->args << u->exec->apiVersion << u->exec->interactiveMode
                << u->exec->provideClusterInfo;
            for (const Kube::KubeExecEnvVar &v : u->exec->env)
                out << v.name << v.value;
        }
    } else {
        out << false;
    }
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

void ClusterSession::close()
{
    if (m_watcher)
        m_watcher->disconnect(this);
    delete m_client; // the hub and the watchers are its children
    m_watcher = nullptr;
    m_hub = nullptr;
    m_poolWatcher = nullptr;
    m_client = nullptr;
    m_errors.clear();
    m_warnings.clear();
    m_context.clear();
    m_synced = false;
}

void ClusterSession::reopen()
{
    const QByteArray print = fingerprint();
    if (print == m_fingerprint)
        return;
    m_fingerprint = print;
    close();

    if (!print.isEmpty()) {
        m_context = m_catalog->currentContext();
        auto connection = Kube::KubeConnection::resolve(
            m_catalog->kube().config, m_context, m_catalog->environment(), &m_errors, &m_warnings);
        if (connection) {
            m_client = new Kube::KubeClient(std::move(*connection), m_catalog->environment(), this);
            m_hub = new Kube::WatchHub(m_client, m_client);
            m_watcher = new Kube::NodeWatcher(m_client, m_hub, m_client);
            // A watch burst becomes one model batch (one repaint) per 100 ms.
            m_watcher->setBatchIntervalMs(100);
            connect(m_watcher, &Kube::NodeWatcher::nodeEvents, this, &ClusterSession::nodeEvents);
            connect(m_watcher, &Kube::NodeWatcher::synced, this, [this] {
                m_synced = true;
                Q_EMIT synced();
            });
            connect(m_watcher, &Kube::NodeWatcher::statusChanged, this, &ClusterSession::statusChanged);
        }
    }
    Q_EMIT connectionChanged();
    Q_EMIT statusChanged(status());
    if (m_started && m_watcher)
        m_watcher->start();
}

} // namespace Bramble::Session
