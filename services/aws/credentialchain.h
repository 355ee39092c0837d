#pragma once

#include "aws/awsconfig.h"
#include "aws/credentialsprovider.h"
#include "core/environment.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace Bramble::Aws {

// The AWS CLI's default credential chain (botocore's
// create_credential_resolver) for one profile:
//
//  1. the environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
//     (+ AWS_SECURITY_TOKEN or AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION);
//     skipped when the profile came from --profile (AWS_PROFILE does not skip it);
//  2. assume role: the profile's role_arn, with source_profile (resolved
//     recursively; a cycle is an error) or credential_source = Environment;
//     external_id, mfa_serial, duration_seconds, role_session_name; STS
//     AssumeRole signed with the source credentials;
//  3. web identity (web_identity_token_file): not supported, an error;
//  4. IAM Identity Center (sso_session or legacy sso_start_url): the token
//     cached by `aws sso login` in ~/.aws/sso/cache, then GetRoleCredentials
//     (unsigned, bearer token); a missing or expired token is an error that
//     says to run `aws sso login` (botocore would first try to refresh an
//     sso_session token with its refreshToken through SSO-OIDC; we do not);
//  5. aws_access_key_id in the profile's section of the credentials file;
//  6. credential_process;
//  7. aws_access_key_id in the profile's section of the config file.
//
// The EC2/ECS metadata providers that follow in botocore are not
// implemented. Settings of a profile are read as botocore's full_config
// merges them: the credentials file's section overrides the config file's.
// A profile named by --profile, AWS_DEFAULT_PROFILE or AWS_PROFILE that is in
// neither file is an error even when the environment holds keys (botocore's
// ProfileNotFound); the implicit "default" may be missing.
//
// STS goes to the STS endpoint of `region` (resolveEndpoint with the selected
// profile, so AWS_ENDPOINT_URL_STS, [services] and endpoint_url apply; with
// no region, the global https://sts.amazonaws.com signed for us-east-1); the
// SSO portal to the sso_region's (AWS_ENDPOINT_URL_SSO ... likewise).
//
// Results are cached until 15 minutes before they expire (botocore's
// advisory window); a refresh that fails while they still have more than 10
// minutes (the mandatory window) serves the old ones. Concurrent fetch()
// jobs share one resolution; cancelling one leaves the others waiting.
// Destroying the provider fails the jobs still waiting. Errors name the profile and the file, and the
// line of the setting at fault where there is one.
//
// GUI thread. Does not own the QNetworkAccessManager, which must outlive it.
class ProfileCredentialsProvider : public QObject, public CredentialsProvider {
    Q_OBJECT

public:
    using MfaAnswer = std::function<void(const QString &code)>;
    // Asked for the current code of `mfaSerial` (an ARN or a device serial).
    // Call `answer` exactly once, now or later, with the code, or with an
    // empty string when the user cancels. Calling it after the provider is
    // gone, or a second time, does nothing.
    using MfaPrompt = std::function<void(const QString &mfaSerial, MfaAnswer answer)>;

    // `cliProfile`: the --profile value, empty when none was given. The
    // profile in force is AwsConfigLoader::selectedProfile(env, cliProfile).
    // `region`: the session's region (AwsConfigLoader::selectedRegion), used
    // for STS; may be empty.
    ProfileCredentialsProvider(Core::Environment env, AwsSharedConfig config, QString cliProfile,
        QNetworkAccessManager *network, QString region, QObject *parent = nullptr);
    ~ProfileCredentialsProvider() override;

    QString profileName() const { return m_profile; }

    // Without a prompt, a role with mfa_serial fails with an error saying an
    // MFA code is required.
    void setMfaPrompt(MfaPrompt prompt) { m_mfaPrompt = std::move(prompt); }
    // How long credential_process may run (ms).
    void setProcessTimeoutMs(int ms) { m_processTimeoutMs = ms; }
    // Per attempt, for STS and the SSO portal (ms).
    void setRequestTimeoutMs(int ms) { m_requestTimeoutMs = ms; }

    void invalidate() override;

    bool isFetching() const { return m_run != nullptr; }

    // Advisory and mandatory refresh windows, seconds (botocore's).
    static constexpr qint64 AdvisoryRefreshSeconds = 15 * 60;
    static constexpr qint64 MandatoryRefreshSeconds = 10 * 60;

protected:
    void request(CredentialsJob *job) override;
    void withdraw(CredentialsJob *job) override;

private:
    struct Run;
    void startRun();
    void runBase();
    void runProcess();
    void runSso();
    void nextRole();
    void callAssumeRole(const QString &tokenCode);
    void succeed(AwsCredentials credentials);
    void fail(Core::Error error);
    void deliver(const CredentialsResult &result);

    Core::Environment m_env;
    AwsSharedConfig m_config;
    QString m_profile;
    bool m_profileFromCli = false;
    bool m_profileExplicit = false;
    QNetworkAccessManager *m_network;
    QString m_region;
    MfaPrompt m_mfaPrompt;
    int m_processTimeoutMs = 120000;
    int m_requestTimeoutMs = 30000;

    AwsCredentials m_cached; // valid when there is something cached
    QList<QPointer<CredentialsJob>> m_waiters;
    Run *m_run = nullptr; // the resolution in flight; owns its jobs and transports
};

} // namespace Bramble::Aws
