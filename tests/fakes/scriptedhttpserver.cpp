#include "fakes/scriptedhttpserver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace Bramble::Test {

ScriptedHttpServer::Answer ScriptedHttpServer::Answer::json(int status, const QByteArray &body)
{
    Answer a;
    a.status = status;
    a.headers = { { "Content-Type", "application/x-amz-json-1.0" }, { "x-amzn-RequestId", "fake-request-id" } };
    a.body = body;
    return a;
}

ScriptedHttpServer::Answer ScriptedHttpServer::Answer::awsError(
    int status, const QByteArray &type, const QByteArray &message)
{
    return json(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
}

ScriptedHttpServer::Answer ScriptedHttpServer::Answer::drop()
{
    Answer a;
    a.kind = Drop;
    return a;
}

ScriptedHttpServer::Answer ScriptedHttpServer::Answer::stall()
{
    Answer a;
    a.kind = Stall;
    return a;
}

ScriptedHttpServer::ScriptedHttpServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_fallback(Answer::json(200, "{}"))
{
    connect(m_server, &QTcpServer::newConnection, this, &ScriptedHttpServer::onConnection);
}

ScriptedHttpServer::~ScriptedHttpServer() = default;

bool ScriptedHttpServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 ScriptedHttpServer::port() const
{
    return m_server->serverPort();
}

QByteArray ScriptedHttpServer::url() const
{
    return "http://127.0.0.1:" + QByteArray::number(port());
}

void ScriptedHttpServer::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ScriptedHttpServer::onReadable(QTcpSocket *socket)
{
    takeHttpRequests(socket, [this, socket](const Request &request) {
        m_requests.append(request);
        const Answer answer = m_script.isEmpty() ? m_fallback : m_script.dequeue();
        Q_EMIT requestReceived();
        if (answer.kind == Answer::Drop) {
            socket->abort();
            return false; // requests behind it on this connection are never answered
        }
        if (answer.kind == Answer::Respond)
            socket->write(httpResponse(answer.status, answer.headers, answer.body));
        return true;
    });
}

} // namespace Bramble::Test
