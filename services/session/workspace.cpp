#include "session/workspace.h"

#include "session/awssessions.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"

namespace Bramble::Session {

Workspace::Workspace(const Core::Environment &env, const WorkspaceOptions &options, QObject *parent)
    : QObject(parent)
    , m_catalog(new ConnectionCatalog(env, this))
{
    // As LocalRuntimeHost::isAvailable(): the host comes after the cluster
    // session it invokes OpenFaaS functions through.
    m_catalog->setLocalProfileAvailable(!options.localDataDirectory.isEmpty());
    // The command line's choices first, so the cluster opens on them.
    if (!options.kubeconfig.isEmpty())
        m_catalog->setKubeconfigOverride(options.kubeconfig);
    if (!options.context.isEmpty())
        m_catalog->setCurrentContext(options.context);
    if (!options.profile.isEmpty())
        m_catalog->setCurrentProfile(options.profile);
    if (!options.region.isEmpty())
        m_catalog->setCurrentRegion(options.region);
    m_cluster = new ClusterSession(m_catalog, this);
    m_local = new LocalRuntimeHost(env, options.localDataDirectory, m_cluster, this);
    m_aws = new AwsSessions(m_catalog, m_local, this);
}

Workspace::~Workspace()
{
    // Users of the sessions go first, then the catalog they read.
    delete m_aws;
    delete m_local; // invokes OpenFaaS functions through the cluster's client
    delete m_cluster;
}

} // namespace Bramble::Session
