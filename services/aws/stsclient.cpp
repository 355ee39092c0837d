#include "aws/stsclient.h"

#include "aws/awstransport.h"

namespace Bramble::Aws {

AwsCall *StsClient::getCallerIdentity()
{
    return m_transport->callQuery(ServiceInfo::sts(), QStringLiteral("GetCallerIdentity"), {});
}

AwsCall *StsClient::assumeRole(const AssumeRoleRequest &request)
{
    QList<QPair<QString, QString>> p { { QStringLiteral("RoleArn"), request.roleArn },
        { QStringLiteral("RoleSessionName"), request.sessionName } };
    if (!request.externalId.isEmpty())
        p.append({ QStringLiteral("ExternalId"), request.externalId });
    if (!request.serialNumber.isEmpty()) {
        p.append({ QStringLiteral("SerialNumber"), request.serialNumber });
        p.append({ QStringLiteral("TokenCode"), request.tokenCode });
    }
    if (request.durationSeconds > 0)
        p.append({ QStringLiteral("DurationSeconds"), QString::number(request.durationSeconds) });
    return m_transport->callQuery(ServiceInfo::sts(), QStringLiteral("AssumeRole"), p);
}

CallerIdentity StsClient::callerIdentity(const AwsResponse &response)
{
    const QJsonObject &r = response.json;
    return { r.value(QStringLiteral("Account")).toString(), r.value(QStringLiteral("Arn")).toString(),
        r.value(QStringLiteral("UserId")).toString() };
}

AwsCredentials StsClient::assumedCredentials(const AwsResponse &response, const QString &source)
{
    const QJsonObject c = response.json.value(QStringLiteral("Credentials")).toObject();
    AwsCredentials out;
    out.accessKeyId = c.value(QStringLiteral("AccessKeyId")).toString();
    out.secretAccessKey = c.value(QStringLiteral("SecretAccessKey")).toString();
    out.sessionToken = c.value(QStringLiteral("SessionToken")).toString();
    out.expiration = QDateTime::fromString(c.value(QStringLiteral("Expiration")).toString(), Qt::ISODateWithMs);
    out.source = source;
    return out;
}

} // namespace Bramble::Aws
