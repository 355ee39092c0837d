#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Bramble::Kube {

// The kubeconfig v1 document model (client-go tools/clientcmd/api/v1), after
// merging. Paths are already resolved against the file they came from.
// Each stanza remembers that file (kubectl's LocationOfOrigin).

struct KubeCluster {
    QString name;
    QString server;
    QString tlsServerName;
    bool insecureSkipTlsVerify = false;
    QString certificateAuthority; // path
    QByteArray certificateAuthorityData; // decoded PEM
    QString proxyUrl;
    bool disableCompression = false;
    Core::SourceLocation origin;
};

struct KubeExecEnvVar {
    QString name;
    QString value;
};

struct KubeExecConfig {
    QString command;
    QStringList args;
    QList<KubeExecEnvVar> env;
    QString apiVersion;
    QString installHint;
    bool provideClusterInfo = false;
    QString interactiveMode; // Never | IfAvailable | Always; empty when unset
};

struct KubeUser {
    QString name;
    QString clientCertificate; // path
    QByteArray clientCertificateData; // decoded PEM
    QString clientKey; // path
    QByteArray clientKeyData; // decoded PEM
    QString token;
    QString tokenFile;
    QString impersonate;
    QString impersonateUid;
    QStringList impersonateGroups;
    QString username;
    QString password;
    QString authProvider; // legacy auth-provider name, kept to report it
    std::optional<KubeExecConfig> exec;
    Core::SourceLocation origin;

    // "client certificate", "token", "exec: aws", ... for display; never the secret.
    QString authSummary() const;
};

struct KubeContext {
    QString name;
    QString cluster;
    QString user;
    QString namespace_;
    Core::SourceLocation origin;
};

struct Kubeconfig {
    QStringList files; // files that were read, in merge order
    QString currentContext;
    QList<KubeCluster> clusters; // first definition of each name, in order
    QList<KubeUser> users;
    QList<KubeContext> contexts;

    const KubeCluster *cluster(const QString &name) const;
    const KubeUser *user(const QString &name) const;
    const KubeContext *context(const QString &name) const;

    // Checks that the context can be used the way kubectl would: the cluster
    // and user it names exist, a server is set, one auth method, and so on
    // (client-go validation.go). Returns errors; warnings go to *warnings.
    Core::Errors validateContext(const QString &name, Core::Errors *warnings = nullptr) const;
};

} // namespace Bramble::Kube
