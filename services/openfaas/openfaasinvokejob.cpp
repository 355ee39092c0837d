#include "openfaas/openfaasinvokejob.h"

#include "functions/lambdaresource.h"
#include "kube/kubeclient.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace Bramble::OpenFaas {

namespace {

constexpr int InvokeTimeoutMs = 15 * 60 * 1000; // Lambda's longest run

QString secretName()
{
    return QString::fromUtf16(GatewayNamespace) + u'/' + QString::fromUtf16(BasicAuthSecret);
}

Core::Error errorOf(Core::Error::Kind kind, const QString &message, const Core::Error &from = {})
{
    Core::Error e(kind, message);
    e.httpStatus = from.httpStatus;
    e.reason = from.reason;
    e.operation = from.operation;
    e.attempts = from.attempts;
    return e;
}

// Holds one client's credentials as its child, so they go with it.
class CredentialCache : public QObject {
public:
    explicit CredentialCache(QObject *parent)
        : QObject(parent)
    {
        setObjectName(QStringLiteral("bramble-openfaas-credentials"));
    }
    Credentials credentials;
};

CredentialCache *cacheOf(Kube::KubeClient *client)
{
    return client ? client->findChild<CredentialCache *>(
               QStringLiteral("bramble-openfaas-credentials"), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

std::optional<QByteArray> decoded(const QJsonObject &data, const QString &key)
{
    const QJsonValue value = data.value(key);
    if (!value.isString())
        return std::nullopt;
    const auto result
        = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

} // namespace

std::optional<Credentials> cachedCredentials(Kube::KubeClient *client)
{
    if (CredentialCache *cache = cacheOf(client))
        return cache->credentials;
    return std::nullopt;
}

QString functionProxyPath(const QString &name, const QString &ns)
{
    return QStringLiteral("/api/v1/namespaces/%1/services/%2/proxy/function/%3.%4")
        .arg(QString::fromUtf16(GatewayNamespace), QString::fromUtf16(GatewayService), name, ns);
}

OpenFaasInvokeJob::OpenFaasInvokeJob(
    Kube::KubeClient *client, QString name, QString ns, QByteArray event, QObject *parent)
    : Core::ValueJob<LocalRuntime::HttpAnswer>(parent)
    , m_client(client)
    , m_hadClient(client != nullptr)
    , m_name(std::move(name))
    , m_namespace(std::move(ns))
    , m_event(std::move(event))
{
}

OpenFaasInvokeJob::~OpenFaasInvokeJob()
{
    dropCall();
}

void OpenFaasInvokeJob::begin()
{
    if (!m_client) {
        fail(m_hadClient ? errorOf(Core::Error::Kind::Cancelled, QStringLiteral("the Kubernetes client was closed"))
                         : errorOf(Core::Error::Kind::Usage,
                             QStringLiteral("no Kubernetes context: OpenFaaS functions are reached through the "
                                            "cluster's API server")));
        return;
    }
    // The gateway's NameExpression; anything else would change the path.
    static const QRegularExpression valid(QStringLiteral("^[-a-zA-Z_0-9.]+$"));
    for (const QString &part : { m_name, m_namespace }) {
        if (!valid.match(part).hasMatch()) {
            fail(errorOf(Core::Error::Kind::Usage,
                QStringLiteral("\"%1\" is not an OpenFaaS function or namespace name (letters, digits and -_.)")
                    .arg(Core::oneLine(part, 80))));
            return;
        }
    }
    // A client closed under a call deletes it without finished().
    connect(m_client, &QObject::destroyed, this, [this] {
        m_call = nullptr;
        fail(errorOf(Core::Error::Kind::Cancelled, QStringLiteral("the Kubernetes client was closed")));
    });
    if (cacheOf(m_client)) {
        invoke();
        return;
    }
    m_call = m_client->get(QStringLiteral("/api/v1/namespaces/%1/secrets/%2")
                               .arg(QString::fromUtf16(GatewayNamespace), QString::fromUtf16(BasicAuthSecret)));
    Kube::KubeCall *call = m_call;
    connect(call, &Core::Job::finished, this, [this, call] { onSecret(call); });
}

void OpenFaasInvokeJob::onSecret(Kube::KubeCall *call)
{
    m_call = nullptr;
    if (!call->ok()) {
        const Core::Error &e = call->error();
        if (e.is(Core::Error::Kind::NotFound))
            fail(errorOf(Core::Error::Kind::NotFound,
                QStringLiteral("OpenFaaS basic-auth secret %1 not found: is OpenFaaS installed?").arg(secretName()),
                e));
        else if (e.is(Core::Error::Kind::Auth))
            fail(errorOf(Core::Error::Kind::Auth,
                QStringLiteral("not allowed to read the OpenFaaS basic-auth secret %1: %2")
                    .arg(secretName(), e.message),
                e));
        else
            fail(errorOf(e.kind,
                QStringLiteral("reading the OpenFaaS basic-auth secret %1: %2").arg(secretName(), e.message), e));
        return;
    }
    const QJsonObject data = call->json().value(u"data").toObject();
    const std::optional<QByteArray> password = decoded(data, QStringLiteral("basic-auth-password"));
    if (!password || password->isEmpty()) {
        fail(errorOf(Core::Error::Kind::Input,
            QStringLiteral("the OpenFaaS secret %1 has no data.basic-auth-password (base64)").arg(secretName())));
        return;
    }
    Credentials credentials;
    credentials.password = *password;
    if (const std::optional<QByteArray> user = decoded(data, QStringLiteral("basic-auth-user"));
        user && !user->isEmpty())
        credentials.user = QString::fromUtf8(*user);
    if (!m_client) {
        fail(errorOf(Core::Error::Kind::Cancelled, QStringLiteral("the Kubernetes client was closed")));
        return;
    }
    CredentialCache *cache = cacheOf(m_client);
    if (!cache)
        cache = new CredentialCache(m_client);
    cache->credentials = credentials;
    invoke();
}

void OpenFaasInvokeJob::invoke()
{
    m_call = m_client->proxy("POST", functionProxyPath(m_name, m_namespace), m_event, "application/json",
        InvokeTimeoutMs, LocalRuntime::MaxPayloadBytes);
    Kube::KubeCall *call = m_call;
    connect(call, &Core::Job::finished, this, [this, call] { onAnswer(call); });
}

void OpenFaasInvokeJob::onAnswer(Kube::KubeCall *call)
{
    m_call = nullptr;
    const int status = call->httpStatus();
    const Core::Error &e = call->error();
    const QString gateway = QString::fromUtf16(GatewayNamespace) + u'/' + QString::fromUtf16(GatewayService);
    if (e.reason == u"ResponseSizeTooLarge" || status == 0) {
        Core::Error failure = e;
        failure.message
            = QStringLiteral("OpenFaaS function %1.%2 through the API server: %3").arg(m_name, m_namespace, e.message);
        fail(failure);
        return;
    }
    if (status >= 400 && call->fromApiServer()) {
        if (status == 404)
            fail(errorOf(Core::Error::Kind::NotFound,
                QStringLiteral("OpenFaaS gateway service %1 not found: is OpenFaaS installed? (%2)")
                    .arg(gateway, e.message),
                e));
        else if (status == 401 || status == 403)
            fail(errorOf(Core::Error::Kind::Auth,
                QStringLiteral("not allowed to reach the OpenFaaS gateway %1 through the API server's service "
                               "proxy: %2")
                    .arg(gateway, e.message),
                e));
        else if (status == 503)
            fail(errorOf(Core::Error::Kind::Network,
                QStringLiteral("the OpenFaaS gateway %1 is not reachable through the API server: %2")
                    .arg(gateway, e.message),
                e));
        else
            fail(e);
        return;
    }
    succeedWith(LocalRuntime::HttpAnswer { status, call->body() });
}

void OpenFaasInvokeJob::abort()
{
    dropCall();
}

void OpenFaasInvokeJob::dropCall()
{
    if (Kube::KubeCall *call = m_call) {
        m_call = nullptr;
        call->disconnect(this);
        call->cancel();
    }
}

LocalRuntime::OpenFaasInvoker makeOpenFaasInvoker(Kube::KubeClient *client)
{
    QPointer<Kube::KubeClient> guarded(client);
    return makeOpenFaasInvoker([guarded] { return guarded.data(); });
}

LocalRuntime::OpenFaasInvoker makeOpenFaasInvoker(std::function<Kube::KubeClient *()> currentClient)
{
    return [currentClient = std::move(currentClient)](const QString &name, const QString &ns,
               const QByteArray &event) -> Core::ValueJob<LocalRuntime::HttpAnswer> * {
        return new OpenFaasInvokeJob(currentClient ? currentClient() : nullptr, name, ns, event);
    };
}

} // namespace Bramble::OpenFaas
