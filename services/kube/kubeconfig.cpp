#include "kube/kubeconfig.h"

#include <QFileInfo>

namespace Bramble::Kube {

using Core::Error;

namespace {

template<typename T>
const T *findByName(const QList<T> &list, const QString &name)
{
    for (const T &v : list)
        if (v.name == name)
            return &v;
    return nullptr;
}

} // namespace

const KubeCluster *Kubeconfig::cluster(const QString &name) const
{
    return findByName(clusters, name);
}
const KubeUser *Kubeconfig::user(const QString &name) const
{
    return findByName(users, name);
}
const KubeContext *Kubeconfig::context(const QString &name) const
{
    return findByName(contexts, name);
}

QString KubeUser::authSummary() const
{
    if (exec)
        return QStringLiteral("exec: ") + QFileInfo(exec->command).fileName();
    if (!authProvider.isEmpty())
        return QStringLiteral("auth-provider: ") + authProvider;
    if (!clientCertificate.isEmpty() || !clientCertificateData.isEmpty())
        return QStringLiteral("client certificate");
    if (!tokenFile.isEmpty())
        return QStringLiteral("token file");
    if (!token.isEmpty())
        return QStringLiteral("token");
    if (!username.isEmpty())
        return QStringLiteral("basic auth");
    return QStringLiteral("none");
}

namespace {

bool isDnsLabel(const QString &s)
{
    if (s.isEmpty() || s.size() > 63)
        return false;
    for (QChar c : s)
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'))
            return false;
    return s.front() != u'-' && s.back() != u'-';
}

} // namespace

Core::Errors Kubeconfig::validateContext(const QString &name, Core::Errors *warnings) const
{
    Core::Errors errors;
    auto warn = [warnings](const QString &message, const Core::SourceLocation &where) {
        if (warnings)
            warnings->append(Error(message, where));
    };
    const KubeContext *ctx = context(name);
    if (!ctx) {
        errors.append(Error(QStringLiteral("context \"%1\" does not exist").arg(name)));
        return errors;
    }
    const KubeCluster *cl = cluster(ctx->cluster);
    if (ctx->cluster.isEmpty())
        errors.append(Error(QStringLiteral("context \"%1\" names no cluster").arg(name), ctx->origin));
    else if (!cl)
        errors.append(
            Error(QStringLiteral("context \"%1\" names cluster \"%2\", which does not exist").arg(name, ctx->cluster),
                ctx->origin));
    if (!ctx->user.isEmpty() && !user(ctx->user))
        errors.append(
            Error(QStringLiteral("context \"%1\" names user \"%2\", which does not exist").arg(name, ctx->user),
                ctx->origin));
    if (!ctx->namespace_.isEmpty() && !isDnsLabel(ctx->namespace_))
        errors.append(
            Error(QStringLiteral("namespace \"%1\" is not a valid DNS label").arg(ctx->namespace_), ctx->origin));
    if (cl) {
        if (cl->server.isEmpty())
            errors.append(Error(QStringLiteral("cluster \"%1\" has no server").arg(cl->name), cl->origin));
        const bool hasCa = !cl->certificateAuthority.isEmpty() || !cl->certificateAuthorityData.isEmpty();
        if (hasCa && cl->insecureSkipTlsVerify)
            errors.append(Error(QStringLiteral("cluster \"%1\" sets a certificate authority together with "
                                               "insecure-skip-tls-verify")
                                    .arg(cl->name),
                cl->origin));
        if (!cl->proxyUrl.isEmpty()) {
            // client-go parseProxyURL: http, https or socks5 only.
            const QString scheme = cl->proxyUrl.section(u':', 0, 0);
            if (!cl->proxyUrl.contains(u':') || (scheme != u"http" && scheme != u"https" && scheme != u"socks5"))
                errors.append(Error(QStringLiteral("cluster \"%1\": proxy-url \"%2\" must use http, https or socks5")
                                        .arg(cl->name, cl->proxyUrl),
                    cl->origin));
        }
        if (cl->insecureSkipTlsVerify)
            warn(QStringLiteral("cluster \"%1\" skips TLS verification (insecure-skip-tls-verify)").arg(cl->name),
                cl->origin);
        if (!cl->certificateAuthority.isEmpty() && !cl->certificateAuthorityData.isEmpty())
            warn(QStringLiteral("cluster \"%1\" sets both certificate-authority and certificate-authority-data; "
                                "the data is used")
                     .arg(cl->name),
                cl->origin);
    }
    if (const KubeUser *u = ctx->user.isEmpty() ? nullptr : user(ctx->user)) {
        const bool hasCert = !u->clientCertificate.isEmpty() || !u->clientCertificateData.isEmpty();
        const bool hasKey = !u->clientKey.isEmpty() || !u->clientKeyData.isEmpty();
        if (hasCert && !hasKey)
            errors.append(
                Error(QStringLiteral("user \"%1\" has a client certificate without a key").arg(u->name), u->origin));
        // client-go only uses a key together with a certificate.
        if (hasKey && !hasCert)
            warn(QStringLiteral("user \"%1\" has a client key without a certificate; it is ignored").arg(u->name),
                u->origin);
        if (!u->clientCertificate.isEmpty() && !u->clientCertificateData.isEmpty())
            warn(QStringLiteral("user \"%1\" sets both client-certificate and client-certificate-data; the data is "
                                "used")
                     .arg(u->name),
                u->origin);
        if (!u->clientKey.isEmpty() && !u->clientKeyData.isEmpty())
            warn(QStringLiteral("user \"%1\" sets both client-key and client-key-data; the data is used").arg(u->name),
                u->origin);
        // Basic auth is a username or a password (validation.go); a token file is a token (transport).
        const bool hasBasic = !u->username.isEmpty() || !u->password.isEmpty();
        if ((!u->token.isEmpty() || !u->tokenFile.isEmpty()) && hasBasic)
            errors.append(Error(QStringLiteral("user \"%1\" has more than one authentication method (token and basic "
                                               "auth)")
                                    .arg(u->name),
                u->origin));
        if ((!u->impersonateUid.isEmpty() || !u->impersonateGroups.isEmpty()) && u->impersonate.isEmpty())
            errors.append(
                Error(QStringLiteral("user \"%1\" sets as-uid or as-groups without as").arg(u->name), u->origin));
        if (!u->authProvider.isEmpty() && u->exec)
            errors.append(
                Error(QStringLiteral("user \"%1\" sets both auth-provider and exec").arg(u->name), u->origin));
        if (u->exec) {
            static const QString v1 = QStringLiteral("client.authentication.k8s.io/v1");
            static const QString v1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");
            const QString &api = u->exec->apiVersion;
            if (u->exec->command.isEmpty())
                errors.append(Error(QStringLiteral("user \"%1\": exec has no command").arg(u->name), u->origin));
            if (api.isEmpty())
                errors.append(Error(QStringLiteral("user \"%1\": exec has no apiVersion").arg(u->name), u->origin));
            else if (api != v1 && api != v1beta1)
                errors.append(Error(QStringLiteral("user \"%1\": exec apiVersion \"%2\" is not %3 or %4")
                                        .arg(u->name, api, v1, v1beta1),
                    u->origin));
            for (const KubeExecEnvVar &var : u->exec->env)
                if (var.name.isEmpty())
                    errors.append(
                        Error(QStringLiteral("user \"%1\": exec env entry has no name").arg(u->name), u->origin));
            const QString mode = u->exec->interactiveMode;
            if (mode.isEmpty() && api == v1)
                // Defaulted to IfAvailable for v1beta1 only (v1 SetDefaults_ExecConfig).
                errors.append(
                    Error(QStringLiteral("user \"%1\": exec interactiveMode must be set for %2").arg(u->name, v1),
                        u->origin));
            if (!mode.isEmpty() && mode != u"Never" && mode != u"IfAvailable" && mode != u"Always")
                errors.append(Error(QStringLiteral("user \"%1\": exec interactiveMode \"%2\" is not Never, IfAvailable "
                                                   "or Always")
                                        .arg(u->name, mode),
                    u->origin));
        }
    }
    return errors;
}

} // namespace Bramble::Kube
