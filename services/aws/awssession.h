#pragma once

#include "aws/awsconfig.h"
#include "aws/endpoints.h"
#include "core/environment.h"
#include "core/error.h"

#include <QObject>
#include <QString>

class QNetworkAccessManager;

namespace Bramble::Aws {

class AwsTransport;
class ProfileCredentialsProvider;

// What the user chose on the command line or in the connection bar; empty
// fields fall back to the environment and the shared files, as in the aws CLI.
struct AwsSessionOptions {
    QString profile; // --profile
    QString region; // --region
    QString endpointUrl; // --endpoint-url: every service of this session goes there
    // Set when the session cannot be used for a reason known before it is
    // made (the local runtime did not start): isValid() is false, errors() says it.
    QString unusable;
};

// One profile + region, wired: the shared files read once, the credential
// chain for the profile, and a transport whose endpoint for each service is
// resolved as the aws CLI resolves it. Clients take transport().
//
//     AwsSession session(env, {cliProfile, cliRegion, cliEndpoint});
//     if (!session.isValid()) { report(session.errors()); return; }
//     StepFunctionsClient sfn(session.transport());
//
// The files are read in the constructor (local, small). GUI or CLI main
// thread; owns its network access manager, provider and transport.
class AwsSession : public QObject {
    Q_OBJECT
public:
    AwsSession(const Core::Environment &env, const AwsSessionOptions &options, QObject *parent = nullptr);
    ~AwsSession() override;

    // False when the files do not parse, no region is set, or a configured
    // endpoint URL is unusable; errors() says which, naming profile and file.
    bool isValid() const { return m_errors.isEmpty(); }
    const Core::Errors &errors() const { return m_errors; }

    QString profile() const { return m_profile; }
    QString region() const { return m_region; }
    const AwsSharedConfig &config() const { return m_config; }
    // Where requests for `service` go and why ("--endpoint-url", "default" ...).
    EndpointResolution endpoint(const ServiceInfo &service) const;

    AwsTransport *transport() const { return m_transport; }
    ProfileCredentialsProvider *credentials() const { return m_credentials; }

private:
    Core::Environment m_env;
    AwsSessionOptions m_options;
    AwsSharedConfig m_config;
    QString m_profile;
    QString m_region;
    Core::Errors m_errors;
    QNetworkAccessManager *m_network = nullptr;
    ProfileCredentialsProvider *m_credentials = nullptr;
    AwsTransport *m_transport = nullptr;
};

} // namespace Bramble::Aws
