#pragma once

#include "aws/credentials.h"

#include <QString>

namespace Bramble::Aws {

class AwsCall;
class AwsTransport;
struct AwsResponse;

struct CallerIdentity {
    QString account;
    QString arn;
    QString userId;
};

struct AssumeRoleRequest {
    QString roleArn;
    QString sessionName; // botocore: "botocore-session-<epoch seconds>"
    QString externalId; // optional
    QString serialNumber; // mfa_serial, optional
    QString tokenCode; // the MFA code, with serialNumber
    int durationSeconds = 0; // 0: the service default (1 h)
};

// AWS STS over the Query protocol. The calls return at once (see AwsCall);
// the static functions read a finished call's response.
class StsClient {
public:
    explicit StsClient(AwsTransport *transport)
        : m_transport(transport)
    {
    }

    AwsCall *getCallerIdentity();
    AwsCall *assumeRole(const AssumeRoleRequest &request);

    static CallerIdentity callerIdentity(const AwsResponse &response);
    // The temporary credentials of an AssumeRole answer, `source` describing them.
    static AwsCredentials assumedCredentials(const AwsResponse &response, const QString &source);

private:
    AwsTransport *m_transport;
};

} // namespace Bramble::Aws
