#include "aws/credentialsprovider.h"

#include <QObject>

namespace Bramble::Aws {

// ---------------------------------------------------------------- CredentialsJob

CredentialsJob::CredentialsJob(CredentialsProvider *provider, std::weak_ptr<bool> alive, QObject *parent)
    : Core::ValueJob<AwsCredentials>(parent)
    , m_provider(provider)
    , m_providerAlive(std::move(alive))
{
}

CredentialsJob::~CredentialsJob()
{
    withdraw();
}

void CredentialsJob::begin()
{
    if (m_providerAlive.expired()) {
        fail(Core::Error(Core::Error::Kind::Auth, QStringLiteral("no AWS credentials: the session was closed")));
        return;
    }
    m_waiting = true;
    m_inBegin = true;
    m_provider->request(this);
    m_inBegin = false;
}

void CredentialsJob::abort()
{
    withdraw();
}

void CredentialsJob::withdraw()
{
    if (!m_waiting)
        return;
    m_waiting = false;
    if (!m_providerAlive.expired())
        m_provider->withdraw(this);
}

void CredentialsJob::answer(const CredentialsResult &result)
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_answeredAtStart = m_inBegin;
    if (result.ok())
        succeedWith(result.credentials);
    else
        fail(result.error.isNull() ? Core::Error(Core::Error::Kind::Auth, QStringLiteral("no AWS credentials"))
                                   : result.error);
}

// ---------------------------------------------------------------- CredentialsProvider

CredentialsProvider::CredentialsProvider()
    : m_alive(std::make_shared<bool>(true))
{
}

CredentialsProvider::~CredentialsProvider() = default;

CredentialsJob *CredentialsProvider::fetch(QObject *parent)
{
    return new CredentialsJob(this, m_alive, parent);
}

void CredentialsProvider::answer(CredentialsJob *job, const CredentialsResult &result)
{
    if (job)
        job->answer(result);
}

void StaticCredentialsProvider::request(CredentialsJob *job)
{
    CredentialsResult result { m_credentials, {} };
    if (!m_credentials.isValid())
        result.error = Core::Error(Core::Error::Kind::Auth, QStringLiteral("no AWS credentials"));
    answer(job, result);
}

} // namespace Bramble::Aws
