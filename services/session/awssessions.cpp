#include "session/awssessions.h"

#include "aws/awsconfig.h"
#include "aws/awssession.h"
#include "core/boundedfile.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"

#include <QCryptographicHash>

namespace Bramble::Session {

AwsSessions::AwsSessions(ConnectionCatalog *catalog, LocalRuntimeHost *local, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_local(local)
{
    m_fingerprint = filesFingerprint();
    connect(catalog, &ConnectionCatalog::reloaded, this, &AwsSessions::onCatalogReloaded);
    connect(catalog, &ConnectionCatalog::currentProfileChanged, this, &AwsSessions::currentChanged);
    connect(catalog, &ConnectionCatalog::currentRegionChanged, this, &AwsSessions::currentChanged);
}

AwsSessions::~AwsSessions()
{
    qDeleteAll(m_sessions);
}

Aws::AwsSession *AwsSessions::current()
{
    return session(m_catalog->currentProfile(), m_catalog->currentRegion());
}

Aws::AwsSession *AwsSessions::session(const QString &profile, const QString &region)
{
    const bool local = profile == localProfileName();
    const QString key = local ? profile : profile + u'\n' + region;
    if (Aws::AwsSession *existing = m_sessions.value(key))
        return existing;
    if (local) {
        Aws::AwsSession *created = makeLocalSession();
        m_sessions.insert(key, created);
        return created;
    }
    Aws::AwsSessionOptions options;
    options.profile = profile;
    options.region = region;
    auto *created = new Aws::AwsSession(m_catalog->environment(), options);
    if (m_mfaPrompt && created->credentials())
        created->credentials()->setMfaPrompt(m_mfaPrompt);
    m_sessions.insert(key, created);
    return created;
}

Aws::AwsSession *AwsSessions::makeLocalSession()
{
    Aws::AwsSessionOptions options;
    options.region = LocalRuntimeHost::region();
    if (!m_local || !m_local->isAvailable())
        options.unusable = tr("the local runtime is not available in this window");
    const Core::Result<QUrl> endpoint
        = m_local ? m_local->ensureStarted() : Core::Result<QUrl>(Core::Error(options.unusable));
    if (endpoint.ok())
        options.endpointUrl = endpoint.value().toString();
    else if (options.unusable.isEmpty())
        options.unusable = tr("the local runtime did not start: %1").arg(endpoint.error().toString());
    return new Aws::AwsSession(m_local ? m_local->sessionEnvironment() : m_catalog->environment(), options);
}

void AwsSessions::setMfaPrompt(Aws::ProfileCredentialsProvider::MfaPrompt prompt)
{
    m_mfaPrompt = std::move(prompt);
    for (Aws::AwsSession *s : std::as_const(m_sessions))
        if (s->credentials())
            s->credentials()->setMfaPrompt(m_mfaPrompt);
}

void AwsSessions::onCatalogReloaded()
{
    const QByteArray now = filesFingerprint();
    if (now == m_fingerprint)
        return;
    m_fingerprint = now;
    reset();
}

// The two shared files' names and bytes: the files are small, and the
// catalog has just read them too.
QByteArray AwsSessions::filesFingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const Aws::AwsSharedConfig &config = m_catalog->aws().config;
    for (const QString &file : { config.configFile, config.credentialsFile }) {
        hash.addData(file.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        const auto bytes = Core::readBoundedFile(file, Core::FileLimit::AwsConfig);
        hash.addData(bytes.ok() ? bytes.value() : bytes.error().message.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    }
    return hash.result();
}

void AwsSessions::reset()
{
    if (m_sessions.isEmpty())
        return;
    const auto old = std::exchange(m_sessions, {});
    // Users drop their pointers in the slot; delete after, from the event loop.
    Q_EMIT sessionsReset();
    for (Aws::AwsSession *s : old)
        s->deleteLater();
}

} // namespace Bramble::Session
