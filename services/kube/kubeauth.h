#pragma once

#include "core/environment.h"
#include "core/error.h"
#include "kube/kubeconnection.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>

class QProcess;

namespace Bramble::Kube {

// What goes with each request: an Authorization header and/or a client
// certificate. Never logged.
struct KubeAuthResult {
    QByteArray authorization; // "Bearer ..." or "Basic ..."; empty: none
    QSslCertificate clientCertificate; // from an exec plugin; null: the kubeconfig's, if any
    QSslKey clientKey;
    QDateTime expiry; // invalid: until the server says 401
    Core::Error error; // names the kubeconfig file and key, or the plugin

    bool ok() const { return error.isNull(); }
};

using KubeAuthCallback = std::function<void(const KubeAuthResult &)>;

// The user's credentials for one connection, as client-go gets them:
//  - token: as written;
//  - tokenFile: read when first needed, again at most once a minute, and at
//    once after a 401 (invalidate()); the last good read wins over token;
//  - username/password: basic auth;
//  - exec: the credential plugin (client.authentication.k8s.io/v1 or
//    v1beta1) is run with KUBERNETES_EXEC_INFO, the exec env, stdin closed
//    (a GUI has no terminal, so interactiveMode Always is an error) and, when
//    the command is not in PATH, the PATH of the user's login shell (a
//    desktop launcher's PATH lacks ~/.local/bin, /opt/homebrew/bin ...). Its
//    ExecCredential is cached until status.expirationTimestamp, or until a
//    401; concurrent fetches share one run.
// Client certificates from the kubeconfig are in KubeConnection, not here.
class KubeAuth : public QObject {
    Q_OBJECT
public:
    KubeAuth(KubeConnection connection, Core::Environment env, QObject *parent = nullptr);
    ~KubeAuth() override;

    // Calls `done` exactly once: at once when nothing has to run, later for
    // a plugin. Dropped when `context` is destroyed first.
    void fetch(QObject *context, KubeAuthCallback done);
    // The server answered 401: the next fetch reads the token file again or
    // re-runs the plugin.
    void invalidate();

    void setExecTimeoutMs(int ms) { m_execTimeoutMs = ms; }
    // How often tokenFile is read again (client-go: one minute).
    void setTokenFileRefreshMs(qint64 ms) { m_tokenFileRefreshMs = ms; }
    // How many times the plugin ran (tests, diagnostics).
    int execRuns() const { return m_execRuns; }

private:
    struct Waiter {
        QPointer<QObject> context;
        KubeAuthCallback done;
    };
    KubeAuthResult fromTokenFile();
    void startExec();
    void runPlugin(const QString &program, const QString &path);
    void finishExec(KubeAuthResult result);
    QByteArray execInfo() const;

    KubeConnection m_connection;
    Core::Environment m_env;
    int m_execTimeoutMs = 120000;
    qint64 m_tokenFileRefreshMs = 60000;

    // tokenFile
    QByteArray m_fileToken;
    QDateTime m_fileReadAt;

    // exec
    KubeAuthResult m_execCached;
    bool m_execValid = false;
    QList<Waiter> m_waiters;
    QPointer<QProcess> m_process;
    int m_execRuns = 0;
    QString m_loginPath; // cached login-shell PATH
};

} // namespace Bramble::Kube
