#include "aws/endpoints.h"

namespace Bramble::Aws {

namespace {

bool isTrue(const QString &value)
{
    return value.trimmed().compare(u"true", Qt::CaseInsensitive) == 0;
}

EndpointResolution configured(const QString &text, const QString &source)
{
    EndpointResolution r;
    r.source = source;
    r.url = QUrl(text.trimmed(), QUrl::StrictMode);
    if (!r.url.isValid() || (r.url.scheme() != u"http" && r.url.scheme() != u"https") || r.url.host().isEmpty())
        r.error = QStringLiteral("%1 is not an http(s) URL: \"%2\"").arg(source, text);
    return r;
}

} // namespace

QString ServiceInfo::endpointEnvName() const
{
    return QStringLiteral("AWS_ENDPOINT_URL_") + serviceId.toUpper().replace(u' ', u'_');
}

QString ServiceInfo::configKey() const
{
    return serviceId.toLower().replace(u' ', u'_');
}

const ServiceInfo &ServiceInfo::stepFunctions()
{
    static const ServiceInfo s { QStringLiteral("SFN"), QStringLiteral("states"), QStringLiteral("states"),
        Protocol::Json10, QByteArrayLiteral("AWSStepFunctions"), {} };
    return s;
}

const ServiceInfo &ServiceInfo::cloudWatchLogs()
{
    static const ServiceInfo s { QStringLiteral("CloudWatch Logs"), QStringLiteral("logs"), QStringLiteral("logs"),
        Protocol::Json11, QByteArrayLiteral("Logs_20140328"), {} };
    return s;
}

const ServiceInfo &ServiceInfo::dynamoDb()
{
    static const ServiceInfo s { QStringLiteral("DynamoDB"), QStringLiteral("dynamodb"), QStringLiteral("dynamodb"),
        Protocol::Json10, QByteArrayLiteral("DynamoDB_20120810"), {} };
    return s;
}

const ServiceInfo &ServiceInfo::secretsManager()
{
    static const ServiceInfo s { QStringLiteral("Secrets Manager"), QStringLiteral("secretsmanager"),
        QStringLiteral("secretsmanager"), Protocol::Json11, QByteArrayLiteral("secretsmanager"), {} };
    return s;
}

const ServiceInfo &ServiceInfo::sts()
{
    static const ServiceInfo s { QStringLiteral("STS"), QStringLiteral("sts"), QStringLiteral("sts"), Protocol::Query,
        {}, QStringLiteral("2011-06-15") };
    return s;
}

const ServiceInfo &ServiceInfo::sso()
{
    static const ServiceInfo s { QStringLiteral("SSO"), QStringLiteral("portal.sso"), QStringLiteral("awsssoportal"),
        Protocol::RestJson, {}, {} };
    return s;
}

EndpointResolution resolveEndpoint(const ServiceInfo &service, const QString &region, const Core::Environment &env,
    const AwsSharedConfig &config, const QString &profileName, const QString &cliEndpointUrl)
{
    if (!cliEndpointUrl.isEmpty())
        return configured(cliEndpointUrl, QStringLiteral("--endpoint-url"));

    const AwsProfile *profile = config.profile(profileName);
    const QString where = QStringLiteral("profile %1 in %2").arg(profileName, config.configFile);
    bool ignore = isTrue(env.value(QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")));
    if (!env.contains(QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) && profile)
        ignore = isTrue(profile->settings.value(QStringLiteral("ignore_configured_endpoint_urls")));

    if (!ignore) {
        const QString perService = env.value(service.endpointEnvName());
        if (!perService.isEmpty())
            return configured(perService, service.endpointEnvName());
        if (profile) {
            const QString servicesName = profile->settings.value(QStringLiteral("services"));
            if (!servicesName.isEmpty()) {
                if (const IniSection *s = config.config.section(QStringLiteral("services ") + servicesName)) {
                    const QString url = s->values.value(service.configKey() + QStringLiteral(".endpoint_url"));
                    if (!url.isEmpty())
                        return configured(
                            url, QStringLiteral("[services %1] in %2").arg(servicesName, config.configFile));
                }
            }
        }
        const QString global = env.value(QStringLiteral("AWS_ENDPOINT_URL"));
        if (!global.isEmpty())
            return configured(global, QStringLiteral("AWS_ENDPOINT_URL"));
        if (profile) {
            const QString url = profile->settings.value(QStringLiteral("endpoint_url"));
            if (!url.isEmpty())
                return configured(url, where);
        }
    }

    EndpointResolution r;
    r.source = QStringLiteral("default");
    if (region.isEmpty()) {
        r.error = QStringLiteral("no AWS region: pass --region, set AWS_REGION, or add \"region\" to profile %1")
                      .arg(profileName);
        return r;
    }
    const QString suffix = region.startsWith(QStringLiteral("cn-")) ? QStringLiteral("amazonaws.com.cn")
                                                                    : QStringLiteral("amazonaws.com");
    r.url = QUrl(QStringLiteral("https://%1.%2.%3").arg(service.endpointPrefix, region, suffix));
    return r;
}

} // namespace Bramble::Aws
