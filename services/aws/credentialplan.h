#pragma once

#include "aws/awsconfig.h"
#include "aws/credentialprocess.h"
#include "aws/credentials.h"
#include "core/environment.h"
#include "core/error.h"

#include <QList>
#include <QString>

namespace Bramble::Aws {

// How ProfileCredentialsProvider will obtain credentials, decided from the
// shared files and the environment alone (no I/O beyond what the caller
// loaded). Internal to the credential chain.

struct SsoSettings {
    QString profile;
    QString startUrl;
    QString region;
    QString accountId;
    QString roleName;
    QString sessionName; // empty for the legacy form (sso_start_url in the profile)
    Core::SourceLocation where;
};

// Where the chain starts: credentials at hand, a command to run, or SSO.
struct CredentialBase {
    enum Kind { Ready, Process, Sso };
    Kind kind = Ready;
    AwsCredentials credentials;
    CredentialProcessRequest process;
    SsoSettings sso;
};

struct RoleStep {
    QString profile;
    QString roleArn;
    QString sessionName;
    QString externalId;
    QString mfaSerial;
    int durationSeconds = 0;
    Core::SourceLocation where; // role_arn
    Core::SourceLocation mfaWhere; // mfa_serial
};

// The whole resolution, decided from the files and the environment alone:
// the base, then the roles to assume in order (innermost source first).
struct CredentialPlan {
    CredentialBase base;
    QList<RoleStep> roles;
};

struct CredentialPlanResult {
    CredentialPlan plan;
    Core::Error error; // set when the files or the environment are wrong, or hold no credentials

    bool ok() const { return error.isNull(); }
};

// botocore's default chain for `profile` (see credentialchain.h):
// `profileFromCli` (--profile) switches the environment's keys off;
// `profileExplicit` (--profile, AWS_DEFAULT_PROFILE or AWS_PROFILE) makes a
// missing profile an error. Pure function, any thread.
CredentialPlanResult planCredentials(const Core::Environment &env, const AwsSharedConfig &config,
    const QString &profile, bool profileFromCli, bool profileExplicit);

} // namespace Bramble::Aws
