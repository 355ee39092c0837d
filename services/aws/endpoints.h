#pragma once

#include "aws/awsconfig.h"
#include "core/environment.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace Bramble::Aws {

// What a client needs to know about one AWS service.
struct ServiceInfo {
    enum class Protocol { Json10, Json11, Query, RestJson };

    QString serviceId; // "SFN", "CloudWatch Logs": names AWS_ENDPOINT_URL_<ID> and the config "services" key
    QString endpointPrefix; // "states": the host name's first label
    QString signingName; // "states": the SigV4 credential scope's service
    Protocol protocol = Protocol::Json10;
    QByteArray targetPrefix; // "AWSStepFunctions" (JSON) ; empty for Query
    QString apiVersion; // "2011-06-15" (Query only)

    // "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS".
    QString endpointEnvName() const;
    // "sfn", "cloudwatch_logs": the key inside a config "[services x]" section.
    QString configKey() const;

    static const ServiceInfo &stepFunctions();
    static const ServiceInfo &cloudWatchLogs();
    static const ServiceInfo &dynamoDb();
    static const ServiceInfo &secretsManager();
    static const ServiceInfo &sts();
    // The IAM Identity Center portal (GetRoleCredentials): REST-JSON, unsigned,
    // host portal.sso.<region>.amazonaws.com.
    static const ServiceInfo &sso();
};

struct EndpointResolution {
    QUrl url;
    QString source; // "--endpoint-url", "AWS_ENDPOINT_URL_SFN", "profile dev in ~/.aws/config", "default"
    QString error; // non-empty when a configured URL is not a usable http(s) URL
};

// Where requests for a service go, in the AWS CLI's order: --endpoint-url;
// AWS_ENDPOINT_URL_<SERVICE>; the profile's "services" section; AWS_ENDPOINT_URL;
// the profile's endpoint_url; else https://<prefix>.<region>.amazonaws.com
// (.amazonaws.com.cn in cn- regions). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
// (or the profile's ignore_configured_endpoint_urls) leaves only --endpoint-url
// and the default.
EndpointResolution resolveEndpoint(const ServiceInfo &service, const QString &region, const Core::Environment &env,
    const AwsSharedConfig &config, const QString &profile, const QString &cliEndpointUrl);

} // namespace Bramble::Aws
