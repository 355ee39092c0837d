#pragma once

#include "fakes/httpmessages.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace Bramble::Test {

// The OpenFaaS gateway (faas gateway + faas-provider routes, CE), plain HTTP on
// 127.0.0.1, with functions that are handlers in the test. What it serves, as
// the real one (reference/openfaas.md, faas-provider proxy/proxy.go):
//  - any method /function/NAME[.NS][/PATH]: the function's answer (status,
//    Content-Type, body), unauthenticated; NAME without NS is in openfaas-fn.
//    An unknown function: 503 "No endpoints available for: NAME[.NS]." with
//    X-Openfaas-Internal: proxy (the provider's resolver finds no endpoints);
//  - GET /system/functions[?namespace=NS]: the FunctionStatus list (name,
//    image, namespace, replicas, availableReplicas, invocationCount); basic
//    auth required: 401 "invalid credentials" without it, as every /system/
//    route;
//  - GET|HEAD /healthz: 200 OK, unauthenticated;
//  - anything else: 404 "404 page not found".
// In-process: it runs on the test's event loop. Requests are recorded.
class FakeOpenFaasGateway : public QObject {
    Q_OBJECT

public:
    struct Answer {
        int status = 200;
        QByteArray body;
        QByteArray contentType; // empty: the request's, else text/plain (as the provider's proxy)
        int delayMs = 0; // answer this much later (the connection stays open meanwhile)
    };
    using Handler = std::function<Answer(const HttpRequest &request)>;

    explicit FakeOpenFaasGateway(QObject *parent = nullptr);
    ~FakeOpenFaasGateway() override;

    bool listen(quint16 port = 0); // 127.0.0.1; 0 = a free port
    quint16 port() const;
    QString url() const; // "http://127.0.0.1:PORT"

    void setCredentials(const QString &user, const QByteArray &password);
    void addFunction(const QString &name, const QString &ns, Handler handler);
    void removeFunction(const QString &name, const QString &ns);

    const QList<HttpRequest> &requests() const { return m_requests; }
    int invocations(const QString &name, const QString &ns) const;
    // Delayed answers whose connection is still open.
    int pendingAnswers() const { return int(m_pending.size()); }

Q_SIGNALS:
    void requestReceived();

private:
    struct Function {
        Handler handler;
        int invocations = 0;
    };
    void onConnection();
    bool handle(QTcpSocket *socket, const HttpRequest &request);
    QByteArray route(const HttpRequest &request, int *delayMs);
    QByteArray systemFunctions(const QString &ns) const;

    QTcpServer *m_server;
    QString m_user = QStringLiteral("admin");
    QByteArray m_password;
    QHash<QString, Function> m_functions; // "name.ns"
    QList<HttpRequest> m_requests;
    QList<QTcpSocket *> m_pending;
};

} // namespace Bramble::Test
