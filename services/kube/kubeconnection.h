#pragma once

#include "core/environment.h"
#include "core/error.h"
#include "kube/kubeconfig.h"

#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QUrl>

#include <optional>

namespace Bramble::Kube {

// Everything needed to reach one cluster as one user, read from a merged
// kubeconfig: the server, how to trust it, how to get through a proxy, and
// the user's auth settings. Reads the CA and client certificate files (small,
// local); fetching tokens from plugins is KubeAuth's job.
struct KubeConnection {
    QString contextName;
    QString namespace_; // the context's namespace, "default" when unset
    KubeCluster cluster;
    KubeUser user;
    QUrl server; // https://host:port, path prefix kept
    QList<QSslCertificate> caCertificates; // empty: the system's
    QSslCertificate clientCertificate; // from the kubeconfig (exec plugins may add their own)
    QSslKey clientKey;
    QString peerVerifyName; // tls-server-name
    bool insecure = false; // insecure-skip-tls-verify
    std::optional<QNetworkProxy> proxy; // proxy-url, or HTTPS_PROXY/NO_PROXY from the environment

    // The TLS settings for requests: CA, client certificate, verification.
    QSslConfiguration sslConfiguration() const;

    // Resolves `context` (empty: the current context) as kubectl does. On
    // failure returns nullopt with errors naming the file and key; warnings
    // (insecure-skip-tls-verify, both a file and -data...) go to *warnings.
    static std::optional<KubeConnection> resolve(const Kubeconfig &config, const QString &context,
        const Core::Environment &env, Core::Errors *errors, Core::Errors *warnings = nullptr);
};

// PEM or DER private key of any type Qt knows (RSA, EC).
QSslKey parsePrivateKey(const QByteArray &pem);

// The proxy Go's http.ProxyFromEnvironment would pick for `url`: HTTPS_PROXY
// (or https_proxy) for https, HTTP_PROXY for http, unless NO_PROXY matches;
// never for localhost or loopback addresses. nullopt: connect directly.
std::optional<QNetworkProxy> proxyFromEnvironment(const QUrl &url, const Core::Environment &env);

// A proxy-url value (http, https or socks5) as a QNetworkProxy; nullopt with
// *error on anything else.
std::optional<QNetworkProxy> parseProxyUrl(const QString &text, QString *error);

} // namespace Bramble::Kube
