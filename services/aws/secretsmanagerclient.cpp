#include "aws/secretsmanagerclient.h"

#include "aws/awstransport.h"

namespace Bramble::Aws {

AwsCall *SecretsManagerClient::getSecretValue(const QString &secretId, const QString &versionStage)
{
    QJsonObject input { { QStringLiteral("SecretId"), secretId } };
    if (!versionStage.isEmpty())
        input.insert(QStringLiteral("VersionStage"), versionStage);
    return m_transport->callJson(ServiceInfo::secretsManager(), QStringLiteral("GetSecretValue"), input);
}

SecretValue SecretsManagerClient::secretValue(const AwsResponse &response)
{
    const QJsonObject &r = response.json;
    SecretValue v;
    v.name = r.value(QStringLiteral("Name")).toString();
    v.versionId = r.value(QStringLiteral("VersionId")).toString();
    v.secretString = r.value(QStringLiteral("SecretString")).toString();
    v.secretBinary = QByteArray::fromBase64(r.value(QStringLiteral("SecretBinary")).toString().toLatin1());
    return v;
}

} // namespace Bramble::Aws
