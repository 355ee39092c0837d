#include "fakes/fakeopenfaasgateway.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

namespace Bramble::Test {

namespace {

const QString defaultNamespace = QStringLiteral("openfaas-fn");

QByteArray plain(int status, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &extra = {})
{
    QList<QPair<QByteArray, QByteArray>> headers { { "Content-Type", "text/plain; charset=utf-8" } };
    headers += extra;
    return httpResponse(status, headers, body);
}

} // namespace

FakeOpenFaasGateway::FakeOpenFaasGateway(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeOpenFaasGateway::onConnection);
}

FakeOpenFaasGateway::~FakeOpenFaasGateway() = default;

bool FakeOpenFaasGateway::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 FakeOpenFaasGateway::port() const
{
    return m_server->serverPort();
}

QString FakeOpenFaasGateway::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void FakeOpenFaasGateway::setCredentials(const QString &user, const QByteArray &password)
{
    m_user = user;
    m_password = password;
}

void FakeOpenFaasGateway::addFunction(const QString &name, const QString &ns, Handler handler)
{
    m_functions.insert(name + u'.' + ns, Function { std::move(handler), 0 });
}

void FakeOpenFaasGateway::removeFunction(const QString &name, const QString &ns)
{
    m_functions.remove(name + u'.' + ns);
}

int FakeOpenFaasGateway::invocations(const QString &name, const QString &ns) const
{
    return m_functions.value(name + u'.' + ns).invocations;
}

void FakeOpenFaasGateway::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QIODevice::readyRead, this, [this, socket] {
            takeHttpRequests(socket, [this, socket](const HttpRequest &r) { return handle(socket, r); });
        });
        connect(socket, &QAbstractSocket::disconnected, this, [this, socket] {
            m_pending.removeAll(socket);
            socket->deleteLater();
        });
    }
}

bool FakeOpenFaasGateway::handle(QTcpSocket *socket, const HttpRequest &request)
{
    m_requests.append(request);
    Q_EMIT requestReceived();
    int delayMs = 0;
    const QByteArray response = route(request, &delayMs);
    const bool close = request.wantsClose();
    auto send = [socket, response, close] {
        socket->write(response);
        if (close)
            socket->disconnectFromHost();
    };
    if (delayMs <= 0) {
        send();
        return !close;
    }
    // One answer at a time per connection: the next request waits for it.
    m_pending.append(socket);
    QTimer::singleShot(delayMs, socket, [this, socket, send] {
        if (m_pending.removeOne(socket))
            send();
    });
    return !close;
}

QByteArray FakeOpenFaasGateway::route(const HttpRequest &request, int *delayMs)
{
    const QUrl target(QString::fromLatin1(request.target));
    const QString path = target.path();
    if (path.startsWith(u"/function/")) {
        const QString id = path.section(u'/', 2, 2);
        const QString key = id.contains(u'.') ? id : id + u'.' + defaultNamespace;
        auto it = m_functions.find(key);
        if (id.isEmpty())
            return plain(400, "Provide function name in the request path", { { "X-Openfaas-Internal", "proxy" } });
        if (it == m_functions.end())
            return plain(
                503, "No endpoints available for: " + id.toUtf8() + '.', { { "X-Openfaas-Internal", "proxy" } });
        ++it->invocations;
        const Answer answer = it->handler(request);
        *delayMs = answer.delayMs;
        QByteArray type = answer.contentType;
        if (type.isEmpty())
            type = request.header("content-type");
        if (type.isEmpty())
            type = "text/plain";
        return httpResponse(
            answer.status, { { "Content-Type", type }, { "X-Duration-Seconds", "0.001000" } }, answer.body);
    }
    if (path == u"/healthz" && (request.method == "GET" || request.method == "HEAD"))
        return plain(200, "OK");
    if (path.startsWith(u"/system/")) {
        const QByteArray credentials = m_user.toUtf8() + ':' + m_password;
        const QByteArray expected = "Basic " + credentials.toBase64();
        if (m_password.isEmpty() || request.header("authorization") != expected)
            return plain(401, "invalid credentials", { { "WWW-Authenticate", "Basic realm=\"Restricted\"" } });
        if (path == u"/system/functions" && request.method == "GET") {
            const QString ns = QUrlQuery(target).queryItemValue(QStringLiteral("namespace"));
            return httpResponse(
                200, { { "Content-Type", "application/json" } }, systemFunctions(ns.isEmpty() ? defaultNamespace : ns));
        }
    }
    return plain(404, "404 page not found\n");
}

QByteArray FakeOpenFaasGateway::systemFunctions(const QString &ns) const
{
    QJsonArray list;
    QStringList keys = m_functions.keys();
    keys.sort();
    for (const QString &key : keys) {
        const qsizetype dot = key.lastIndexOf(u'.');
        if (key.mid(dot + 1) != ns)
            continue;
        const QString name = key.left(dot);
        list.append(QJsonObject { { QStringLiteral("name"), name },
            { QStringLiteral("image"), QStringLiteral("ghcr.io/bramble/%1:latest").arg(name) },
            { QStringLiteral("namespace"), ns }, { QStringLiteral("replicas"), 1 },
            { QStringLiteral("availableReplicas"), 1 },
            { QStringLiteral("invocationCount"), double(m_functions.value(key).invocations) } });
    }
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

} // namespace Bramble::Test
