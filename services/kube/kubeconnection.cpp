#include "kube/kubeconnection.h"

#include "core/boundedfile.h"

#include <QFile>
#include <QHostAddress>

namespace Bramble::Kube {

using Core::Error;
using Core::SourceLocation;

namespace {

SourceLocation keyIn(const SourceLocation &origin, const QString &key)
{
    SourceLocation where = origin;
    where.key = where.key.isEmpty() ? key : where.key + u'.' + key;
    return where;
}

// The bytes of a "-data" field or of the file a path field names.
std::optional<QByteArray> readMaterial(
    const QByteArray &data, const QString &path, const SourceLocation &where, Core::Errors *errors)
{
    if (!data.isEmpty())
        return data;
    Core::Result<QByteArray> bytes = Core::readBoundedFile(path, Core::FileLimit::Small);
    if (!bytes.ok()) {
        Error e = bytes.error();
        e.message = QStringLiteral("%1: %2").arg(Core::oneLine(path), e.message);
        e.where = where;
        errors->append(e);
        return std::nullopt;
    }
    return bytes.takeValue();
}

bool hostMatchesNoProxy(const QString &host, int port, const QString &noProxy)
{
    const QStringList entries = noProxy.split(u',', Qt::SkipEmptyParts);
    for (QString entry : entries) {
        entry = entry.trimmed().toLower();
        if (entry.isEmpty())
            continue;
        if (entry == u"*")
            return true;
        // "host:port" matches only that port
        int entryPort = -1;
        const int colon = entry.lastIndexOf(u':');
        if (colon > 0 && !entry.contains(u']') && entry.count(u':') == 1) {
            bool ok = false;
            entryPort = entry.mid(colon + 1).toInt(&ok);
            if (!ok)
                continue;
            entry.truncate(colon);
        }
        if (entryPort > 0 && entryPort != port)
            continue;
        // CIDR or address
        if (entry.contains(u'/')) {
            const auto subnet = QHostAddress::parseSubnet(entry);
            if (QHostAddress(host).isInSubnet(subnet))
                return true;
            continue;
        }
        if (entry.startsWith(u'.'))
            entry.remove(0, 1);
        if (host == entry || host.endsWith(u'.' + entry))
            return true;
    }
    return false;
}

} // namespace

QSslKey parsePrivateKey(const QByteArray &pem)
{
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Opaque }) {
        if (algorithm == QSsl::Opaque)
            break;
        for (QSsl::EncodingFormat format : { QSsl::Pem, QSsl::Der }) {
            QSslKey key(pem, algorithm, format, QSsl::PrivateKey);
            if (!key.isNull())
                return key;
        }
    }
    return {};
}

std::optional<QNetworkProxy> parseProxyUrl(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type;
    int defaultPort;
    if (scheme == u"http" || scheme == u"https") {
        type = QNetworkProxy::HttpProxy;
        defaultPort = scheme == u"http" ? 80 : 443;
    } else if (scheme == u"socks5") {
        type = QNetworkProxy::Socks5Proxy;
        defaultPort = 1080;
    } else {
        *error = QStringLiteral("proxy URL \"%1\" must be http, https or socks5").arg(text);
        return std::nullopt;
    }
    if (!url.isValid() || url.host().isEmpty()) {
        *error = QStringLiteral("proxy URL \"%1\" is not a valid URL").arg(text);
        return std::nullopt;
    }
    return QNetworkProxy(type, url.host(), quint16(url.port(defaultPort)), url.userName(QUrl::FullyDecoded),
        url.password(QUrl::FullyDecoded));
}

std::optional<QNetworkProxy> proxyFromEnvironment(const QUrl &url, const Core::Environment &env)
{
    const QString host = url.host().toLower();
    const QHostAddress address(host);
    if (host == u"localhost" || address.isLoopback())
        return std::nullopt;
    auto var = [&](const QString &name) {
        const QString upper = env.value(name.toUpper());
        return upper.isEmpty() ? env.value(name.toLower()) : upper;
    };
    const QString proxy
        = url.scheme() == u"https" ? var(QStringLiteral("HTTPS_PROXY")) : var(QStringLiteral("HTTP_PROXY"));
    if (proxy.isEmpty())
        return std::nullopt;
    if (hostMatchesNoProxy(host, url.port(url.scheme() == u"https" ? 443 : 80), var(QStringLiteral("NO_PROXY"))))
        return std::nullopt;
    // Go accepts "host:port" without a scheme: http is assumed.
    QString error;
    return parseProxyUrl(proxy.contains(QStringLiteral("://")) ? proxy : QStringLiteral("http://") + proxy, &error);
}

QSslConfiguration KubeConnection::sslConfiguration() const
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (!caCertificates.isEmpty())
        ssl.setCaCertificates(caCertificates);
    if (!clientCertificate.isNull()) {
        ssl.setLocalCertificate(clientCertificate);
        ssl.setPrivateKey(clientKey);
    }
    ssl.setPeerVerifyMode(insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);
    return ssl;
}

std::optional<KubeConnection> KubeConnection::resolve(const Kubeconfig &config, const QString &contextName,
    const Core::Environment &env, Core::Errors *errors, Core::Errors *warnings)
{
    const QString name = contextName.isEmpty() ? config.currentContext : contextName;
    const QString files = config.files.join(QStringLiteral(", "));
    if (name.isEmpty()) {
        errors->append(
            Error(QStringLiteral("no current context: pass --context or set current-context in %1").arg(files)));
        return std::nullopt;
    }
    const KubeContext *context = config.context(name);
    if (!context) {
        errors->append(Error(QStringLiteral("context \"%1\" not found in %2").arg(name, files)));
        return std::nullopt;
    }
    const Core::Errors invalid = config.validateContext(name, warnings);
    if (!invalid.isEmpty()) {
        errors->append(invalid);
        return std::nullopt;
    }

    KubeConnection c;
    c.contextName = name;
    c.namespace_ = context->namespace_.isEmpty() ? QStringLiteral("default") : context->namespace_;
    c.cluster = *config.cluster(context->cluster);
    c.user = *config.user(context->user);
    const KubeCluster &cluster = c.cluster;
    const KubeUser &user = c.user;
    const qsizetype before = errors->size();

    c.server = QUrl(cluster.server, QUrl::StrictMode);
    if (!c.server.isValid() || c.server.host().isEmpty()
        || (c.server.scheme() != u"https" && c.server.scheme() != u"http")) {
        errors->append(Error(QStringLiteral("server \"%1\" is not an http(s) URL").arg(cluster.server),
            keyIn(cluster.origin, QStringLiteral("server"))));
    }

    c.insecure = cluster.insecureSkipTlsVerify;
    c.peerVerifyName = cluster.tlsServerName;
    if (!cluster.certificateAuthorityData.isEmpty() || !cluster.certificateAuthority.isEmpty()) {
        const QString key = cluster.certificateAuthorityData.isEmpty() ? QStringLiteral("certificate-authority")
                                                                       : QStringLiteral("certificate-authority-data");
        const SourceLocation where = keyIn(cluster.origin, key);
        if (const auto pem
            = readMaterial(cluster.certificateAuthorityData, cluster.certificateAuthority, where, errors)) {
            c.caCertificates = QSslCertificate::fromData(*pem, QSsl::Pem);
            if (c.caCertificates.isEmpty())
                c.caCertificates = QSslCertificate::fromData(*pem, QSsl::Der);
            if (c.caCertificates.isEmpty())
                errors->append(Error(QStringLiteral("no PEM certificate in the CA data"), where));
        }
    }

    const bool hasCert = !user.clientCertificateData.isEmpty() || !user.clientCertificate.isEmpty();
    if (hasCert) {
        const SourceLocation certWhere = keyIn(user.origin,
            user.clientCertificateData.isEmpty() ? QStringLiteral("client-certificate")
                                                 : QStringLiteral("client-certificate-data"));
        const SourceLocation keyWhere = keyIn(user.origin,
            user.clientKeyData.isEmpty() ? QStringLiteral("client-key") : QStringLiteral("client-key-data"));
        if (const auto pem = readMaterial(user.clientCertificateData, user.clientCertificate, certWhere, errors)) {
            const QList<QSslCertificate> certs = QSslCertificate::fromData(*pem, QSsl::Pem);
            if (certs.isEmpty())
                errors->append(Error(QStringLiteral("no PEM certificate in the client certificate"), certWhere));
            else
                c.clientCertificate = certs.first();
        }
        if (const auto pem = readMaterial(user.clientKeyData, user.clientKey, keyWhere, errors)) {
            c.clientKey = parsePrivateKey(*pem);
            if (c.clientKey.isNull())
                errors->append(Error(QStringLiteral("the client key is not a PEM RSA or EC private key"), keyWhere));
        }
    }

    if (!cluster.proxyUrl.isEmpty()) {
        QString error;
        c.proxy = parseProxyUrl(cluster.proxyUrl, &error);
        if (!c.proxy)
            errors->append(Error(error, keyIn(cluster.origin, QStringLiteral("proxy-url"))));
    } else {
        c.proxy = proxyFromEnvironment(c.server, env);
    }

    if (errors->size() > before)
        return std::nullopt;
    return c;
}

} // namespace Bramble::Kube
