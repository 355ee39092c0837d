#include "aws/awssession.h"

#include "aws/awstransport.h"
#include "aws/credentialchain.h"
#include "aws/logging.h"

#include <QNetworkAccessManager>

#include <algorithm>

namespace Bramble::Aws {

namespace {

const ServiceInfo *const allServices[] = {
    &ServiceInfo::stepFunctions(),
    &ServiceInfo::cloudWatchLogs(),
    &ServiceInfo::dynamoDb(),
    &ServiceInfo::secretsManager(),
    &ServiceInfo::sts(),
};

} // namespace

AwsSession::AwsSession(const Core::Environment &env, const AwsSessionOptions &options, QObject *parent)
    : QObject(parent)
    , m_env(env)
    , m_options(options)
{
    AwsConfigLoadResult loaded = AwsConfigLoader::load(env);
    m_config = std::move(loaded.config);
    m_errors = std::move(loaded.errors);
    if (!options.unusable.isEmpty())
        m_errors << Core::Error(Core::Error::Kind::Network, options.unusable);
    m_profile = AwsConfigLoader::selectedProfile(env, options.profile);
    m_region = AwsConfigLoader::selectedRegion(env, m_config, m_profile, options.region);

    if (m_region.isEmpty()) {
        // Point at the profile's section when it exists, else at the config file.
        const AwsProfile *p = m_config.profile(m_profile);
        const Core::SourceLocation where
            = p ? p->origin : Core::SourceLocation { m_config.configFile, 0, 0, QString() };
        m_errors << Core::Error(QStringLiteral("no AWS region for profile \"%1\": pass --region, set AWS_REGION, "
                                               "or add \"region = ...\" to the profile")
                                    .arg(m_profile),
            where);
    }

    m_network = new QNetworkAccessManager(this);
    m_credentials = new ProfileCredentialsProvider(env, m_config, options.profile, m_network, m_region, this);
    m_transport = new AwsTransport(m_network, m_credentials, m_region, this);
    for (const ServiceInfo *service : allServices) {
        const EndpointResolution e = endpoint(*service);
        if (!e.error.isEmpty()) {
            // Without a region it was said once above; one --endpoint-url
            // or AWS_ENDPOINT_URL serves every service: say it once.
            const bool said = std::any_of(
                m_errors.cbegin(), m_errors.cend(), [&](const Core::Error &x) { return x.message == e.error; });
            if (!m_region.isEmpty() && !said)
                m_errors << Core::Error(e.error);
            continue;
        }
        m_transport->setEndpoint(*service, e.url);
        qCDebug(lcAws).noquote() << service->serviceId << "endpoint" << e.url.toString() << "from" << e.source;
    }
}

AwsSession::~AwsSession()
{
    // The transport's calls use the provider and the network: go first.
    delete m_transport;
    delete m_credentials;
}

EndpointResolution AwsSession::endpoint(const ServiceInfo &service) const
{
    return resolveEndpoint(service, m_region, m_env, m_config, m_profile, m_options.endpointUrl);
}

} // namespace Bramble::Aws
