#pragma once

#include "core/environment.h"
#include "core/error.h"
#include "core/job.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace Bramble::LocalRuntime {
class Runtime;
struct FunctionsConfig;
} // namespace Bramble::LocalRuntime

namespace Bramble::Session {

class ClusterSession;

// The name the AWS profile picker and AwsSessions use for the local runtime
// ("Local (this machine)"): not a name the shared files can hold.
QString localProfileName();
QString localProfileTitle();

// The window's local Step Functions + DynamoDB runtime (the embedded
// default): started on first use, on a free loopback port, with its data in
// `dataDirectory`; the seed sample saga and its table deployed, and on the
// very first start two sample executions (one that commits, one that rolls
// back) so a new user sees a saga run at once. GUI thread.
class LocalRuntimeHost : public QObject {
    Q_OBJECT
public:
    // An empty `dataDirectory` makes the runtime unavailable (tests that do
    // not want it). Functions bound to OpenFaaS are invoked through the
    // client `cluster` has at the time of each call (none: they fail, saying
    // there is no Kubernetes context); `cluster` may be nullptr, and must
    // outlive the runtime's tasks otherwise.
    LocalRuntimeHost(const Core::Environment &env, QString dataDirectory, ClusterSession *cluster = nullptr,
        QObject *parent = nullptr);
    ~LocalRuntimeHost() override;

    bool isAvailable() const { return !m_dataDirectory.isEmpty(); }
    bool isRunning() const;
    QString dataDirectory() const { return m_dataDirectory; }

    // Starts the runtime when it is not running yet; its endpoint, or why it
    // could not start.
    Core::Result<QUrl> ensureStarted();
    LocalRuntime::Runtime *runtime() const { return m_runtime; }

    // What runs each Lambda function (the runtime must be running), and a
    // change of it: applied at once and kept in the data directory's
    // functions.yaml for the next start.
    LocalRuntime::FunctionsConfig functions() const;
    Core::Error setFunctions(const LocalRuntime::FunctionsConfig &functions);
    QString functionsFile() const;

    // The environment an AwsSession for the runtime runs in: its own dummy
    // keys (the runtime checks no signature), no profile, no shared files.
    Core::Environment sessionEnvironment() const;
    static QString region();
    // The seed sample's state machine (deployed when the runtime starts).
    QString seedSampleArn() const;

Q_SIGNALS:
    void started(const QUrl &endpoint);

private:
    void startSampleExecutions();

    Core::Environment m_env;
    QString m_dataDirectory;
    QPointer<ClusterSession> m_cluster;
    LocalRuntime::Runtime *m_runtime = nullptr;
    Core::Error m_startError;
};

} // namespace Bramble::Session
