#include "session/connectioncatalog.h"

#include "session/localruntimehost.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSet>
#include <QTimer>

namespace Bramble::Session {

ConnectionCatalog::ConnectionCatalog(Core::Environment env, QObject *parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_watcher(new QFileSystemWatcher(this))
    , m_reloadTimer(new QTimer(this))
{
    // Editors replace files in several steps; reload once they settle.
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(300);
    connect(m_reloadTimer, &QTimer::timeout, this, &ConnectionCatalog::reload);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadTimer, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadTimer, qOverload<>(&QTimer::start));
    reload();
}

ConnectionCatalog::~ConnectionCatalog() = default;

void ConnectionCatalog::setKubeconfigOverride(const QString &path)
{
    if (path == m_kubeconfigOverride)
        return;
    m_kubeconfigOverride = path;
    reload();
}

QString ConnectionCatalog::effectiveContext() const
{
    if (!m_chosenContext.isEmpty() && m_kube.config.context(m_chosenContext))
        return m_chosenContext;
    return m_kube.config.currentContext;
}

// The aws CLI's choice (--profile, AWS_PROFILE, "default"), except that with
// nothing chosen, no profile in the files and no keys in the environment,
// the local runtime is the default: a new user sees a saga run at once.
QString ConnectionCatalog::effectiveProfile() const
{
    const QString selected = Aws::AwsConfigLoader::selectedProfile(m_env, m_chosenProfile);
    if (!m_localAvailable || !m_chosenProfile.isEmpty() || m_aws.config.profile(selected)
        || m_env.contains(QStringLiteral("AWS_PROFILE")) || m_env.contains(QStringLiteral("AWS_DEFAULT_PROFILE"))
        || m_env.contains(QStringLiteral("AWS_ACCESS_KEY_ID")))
        return selected;
    return localProfileName();
}

void ConnectionCatalog::setLocalProfileAvailable(bool available)
{
    m_localAvailable = available;
    setCurrentProfile(m_chosenProfile);
}

QString ConnectionCatalog::effectiveRegion() const
{
    if (m_profile == localProfileName())
        return LocalRuntimeHost::region();
    return Aws::AwsConfigLoader::selectedRegion(m_env, m_aws.config, m_profile, m_chosenRegion);
}

void ConnectionCatalog::reload()
{
    m_kube = Kube::KubeconfigLoader::load(m_env, m_kubeconfigOverride);
    m_aws = Aws::AwsConfigLoader::load(m_env);
    watchFiles();

    const QString context = effectiveContext();
    const QString profile = effectiveProfile();
    const bool contextMoved = context != m_context;
    const bool profileMoved = profile != m_profile;
    m_context = context;
    m_profile = profile;
    const QString region = effectiveRegion();
    const bool regionMoved = region != m_region;
    m_region = region;

    Q_EMIT reloaded();
    if (contextMoved)
        Q_EMIT currentContextChanged(m_context);
    if (profileMoved)
        Q_EMIT currentProfileChanged(m_profile);
    if (regionMoved)
        Q_EMIT currentRegionChanged(m_region);
}

void ConnectionCatalog::setCurrentContext(const QString &name)
{
    m_chosenContext = name;
    const QString context = effectiveContext();
    if (context == m_context)
        return;
    m_context = context;
    Q_EMIT currentContextChanged(m_context);
}

void ConnectionCatalog::setCurrentProfile(const QString &name)
{
    m_chosenProfile = name;
    const QString profile = effectiveProfile();
    if (profile != m_profile) {
        m_profile = profile;
        Q_EMIT currentProfileChanged(m_profile);
    }
    setCurrentRegion(m_chosenRegion); // the profile's region may differ
}

void ConnectionCatalog::setCurrentRegion(const QString &region)
{
    m_chosenRegion = region;
    const QString effective = effectiveRegion();
    if (effective == m_region)
        return;
    m_region = effective;
    Q_EMIT currentRegionChanged(m_region);
}

void ConnectionCatalog::watchFiles()
{
    QStringList files = m_kube.config.files;
    files << m_aws.config.configFile << m_aws.config.credentialsFile;
    QStringList existing;
    QSet<QString> dirs;
    for (const QString &f : std::as_const(files)) {
        const QFileInfo info(f);
        if (info.exists())
            existing << info.absoluteFilePath();
        // Watch the directory too, so a file that appears later is noticed.
        if (info.absoluteDir().exists())
            dirs.insert(info.absolutePath());
    }
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    if (!existing.isEmpty())
        m_watcher->addPaths(existing);
    if (!dirs.isEmpty())
        m_watcher->addPaths(QStringList(dirs.cbegin(), dirs.cend()));
}

} // namespace Bramble::Session
