#pragma once

#include <QByteArray>
#include <QString>

namespace Bramble::Aws {

class AwsCall;
class AwsTransport;
struct AwsResponse;

struct SecretValue {
    QString name;
    QString versionId;
    QString secretString; // when the secret is text
    QByteArray secretBinary; // when it is binary (decoded)
};

// Secrets Manager (JSON 1.1). The secret is in memory only as long as the
// caller keeps it; never log it.
class SecretsManagerClient {
public:
    explicit SecretsManagerClient(AwsTransport *transport)
        : m_transport(transport)
    {
    }

    // versionStage empty: AWSCURRENT.
    AwsCall *getSecretValue(const QString &secretId, const QString &versionStage = {});
    static SecretValue secretValue(const AwsResponse &response);

private:
    AwsTransport *m_transport;
};

} // namespace Bramble::Aws
