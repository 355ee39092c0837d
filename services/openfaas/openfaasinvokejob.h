#pragma once

#include "core/job.h"
#include "functions/localtaskrunner.h"

#include <QByteArray>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace Bramble::Kube {
class KubeCall;
class KubeClient;
} // namespace Bramble::Kube

namespace Bramble::OpenFaas {

// Where OpenFaaS lives on a cluster installed with its chart: the gateway
// Service openfaas/gateway on port 8080, its basic-auth credentials in the
// Secret openfaas/basic-auth (keys basic-auth-user, basic-auth-password).
inline constexpr char16_t GatewayNamespace[] = u"openfaas";
inline constexpr char16_t GatewayService[] = u"gateway:8080";
inline constexpr char16_t BasicAuthSecret[] = u"basic-auth";

// The gateway's basic-auth credentials, as the Secret holds them (decoded).
struct Credentials {
    QString user = QStringLiteral("admin");
    QByteArray password;
};

// The credentials read once for `client` (kept as long as the client
// lives), or nullopt before the first successful read.
std::optional<Credentials> cachedCredentials(Kube::KubeClient *client);

// The API server path that reaches `/function/<name>.<ns>` on the gateway:
// /api/v1/namespaces/openfaas/services/gateway:8080/proxy/function/<name>.<ns>
QString functionProxyPath(const QString &name, const QString &ns);

// Invokes one OpenFaaS function synchronously: POST of `event`
// (application/json) to the gateway's /function/<name>.<ns> through the
// Kubernetes API server's service proxy, authenticated to the API server by
// the client's kubeconfig credentials. It ends with the function's answer,
// whatever its status (the gateway's own answers included: 503 "No endpoints
// available for: <name>.<ns>." for a function with no ready replica or none
// at all).
//
// First the Secret openfaas/basic-auth is read through the client (once per
// client; cachedCredentials()). The credentials are not sent with the
// invocation: the gateway does not ask for them on /function/, and the API
// server drops the Authorization header before it proxies a request, so they
// could not reach the gateway this way anyway. Reading them checks that
// OpenFaaS is installed and keeps them for the gateway's /system/ API.
//
// It fails (Core::Error) when there is no answer from the function:
//  - no client: Kind::Usage, "no Kubernetes context: OpenFaaS functions are
//    reached through the cluster's API server";
//  - the Secret missing: Kind::NotFound, "OpenFaaS basic-auth secret
//    openfaas/basic-auth not found: is OpenFaaS installed?"; not allowed:
//    Kind::Auth; without basic-auth-password: Kind::Input;
//  - the API server's own refusals on the proxy (a Status body): no gateway
//    Service (NotFound), not allowed (Auth), no endpoints or not reachable
//    (Network);
//  - no answer at all (Network), an answer past the Lambda payload limit
//    (Server, reason "ResponseSizeTooLarge"), the client closed (Cancelled).
// A Core::Job on the client's thread: start() returns at once; cancel()
// aborts the request under way. Not owned by the client.
class OpenFaasInvokeJob : public Core::ValueJob<LocalRuntime::HttpAnswer> {
    Q_OBJECT

public:
    OpenFaasInvokeJob(Kube::KubeClient *client, QString name, QString ns, QByteArray event, QObject *parent = nullptr);
    ~OpenFaasInvokeJob() override;

protected:
    void begin() override;
    void abort() override;

private:
    void onSecret(Kube::KubeCall *call);
    void invoke();
    void onAnswer(Kube::KubeCall *call);
    void dropCall();

    QPointer<Kube::KubeClient> m_client;
    bool m_hadClient = false;
    QString m_name;
    QString m_namespace;
    QByteArray m_event;
    QPointer<Kube::KubeCall> m_call;
};

// The local runtime's invoker on one client (nullptr: every invocation fails
// as without a context).
LocalRuntime::OpenFaasInvoker makeOpenFaasInvoker(Kube::KubeClient *client);
// The same with the client resolved at each invocation (the current
// context's, which may change or go away).
LocalRuntime::OpenFaasInvoker makeOpenFaasInvoker(std::function<Kube::KubeClient *()> currentClient);

} // namespace Bramble::OpenFaas
