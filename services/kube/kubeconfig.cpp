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

const KubeCluster *Kubeconfig::cluster(const QString &name) const { return findByName(clusters, name); }
const KubeUser *Kubeconfig::user(const QString &name) const { return findByName(users, name); }
const KubeContext *Kubeconfig::context(const QString &name) const { return findByName(contexts, name); }

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
    const KubeContext *ctx = context(name);
    if (!ctx) {
        errors.append(Error(QStringLiteral("context \"%1\" does not exist").arg(name)));
        return errors;
    }
    const KubeCluster *cl = cluster(ctx->cluster);
    if (!cl)
        errors.append(Error(QStringLiteral("context \"%1\" names cluster \"%2\", which does not exist").arg(name, ctx->cluster),
                            ctx->origin));
    if (!ctx->user.isEmpty() && !user(ctx->user))
        errors.append(Error(QStringLiteral("context \"%1\" names user \"%2\", which does not exist").arg(name, ctx->user),
                            ctx->origin));
    if (!ctx->namespace_.isEmpty() && !isDnsLabel(ctx->namespace_))
        errors.append(Error(QStringLiteral("namespace \"%1\" is not a valid DNS label").arg(ctx->namespace_), ctx->origin));
    if (cl) {
        if (cl->server.isEmpty())
            errors.append(Error(QStringLiteral("cluster \"%1\" has no server").arg(cl->name), cl->origin));
        const bool hasCa = !cl->certificateAuthority.isEmpty() || !cl->certificateAuthorityData.isEmpty();
        if (hasCa && cl->insecureSkipTlsVerify)
            errors.append(Error(QStringLiteral("cluster \"%1\" sets a certificate authority together with "
                                               "insecure-skip-tls-verify").arg(cl->name), cl->origin));
        if (warnings && cl->insecureSkipTlsVerify)
            warnings->append(Error(QStringLiteral("cluster \"%1\" skips TLS verification (insecure-skip-tls-verify)")
                                       .arg(cl->name), cl->origin));
        if (warnings && !cl->certificateAuthority.isEmpty() && !cl->certificateAuthorityData.isEmpty())
            warnings->append(Error(QStringLiteral("cluster \"%1\" sets both certificate-authority and "
                                                  "certificate-authority-data; the data is used").arg(cl->name), cl->origin));
    }
    if (const KubeUser *u = user(ctx->user)) {
        const bool hasCert = !u->clientCertificate.isEmpty() || !u->clientCertificateData.isEmpty();
        const bool hasKey = !u->clientKey.isEmpty() || !u->clientKeyData.isEmpty();
        if (hasCert != hasKey)
            errors.append(Error(QStringLiteral("user \"%1\" has a client certificate without a key, or a key without "
                                               "a certificate").arg(u->name), u->origin));
        if ((!u->token.isEmpty() || !u->tokenFile.isEmpty()) && !u->username.isEmpty())
            errors.append(Error(QStringLiteral("user \"%1\" has more than one authentication method (token and basic "
                                               "auth)").arg(u->name), u->origin));
        if (!u->authProvider.isEmpty() && u->exec)
            errors.append(Error(QStringLiteral("user \"%1\" sets both auth-provider and exec").arg(u->name), u->origin));
        if (u->exec) {
            if (u->exec->command.isEmpty())
                errors.append(Error(QStringLiteral("user \"%1\": exec has no command").arg(u->name), u->origin));
            if (u->exec->apiVersion.isEmpty())
                errors.append(Error(QStringLiteral("user \"%1\": exec has no apiVersion").arg(u->name), u->origin));
            const QString mode = u->exec->interactiveMode;
            if (!mode.isEmpty() && mode != u"Never" && mode != u"IfAvailable" && mode != u"Always")
                errors.append(Error(QStringLiteral("user \"%1\": exec interactiveMode \"%2\" is not Never, IfAvailable "
                                                   "or Always").arg(u->name, mode), u->origin));
        }
    }
    return errors;
}

} // namespace Bramble::Kube
