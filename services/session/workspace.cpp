#include "session/workspace.h"

#include "session/awssessions.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"

namespace Bramble::Session {

Workspace::Workspace(const Core::Environment &env, const WorkspaceOptions &options, QObject *parent)
    : QObject(parent)
    , m_catalog(new ConnectionCatalog(env, this))
    , m_local(new LocalRuntimeHost(env, options.localDataDirectory, this))
{
    m_catalog->setLocalProfileAvailable(m_local->isAvailable());
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
    m_aws = new AwsSessions(m_catalog, m_local, this);
}

Workspace::~Workspace()
{
    // Users of the sessions go first, then the catalog they read.
    delete m_aws;
    delete m_cluster;
    delete m_local;
}

} // namespace Bramble::Session
