#include "fakes/scriptedhttpserver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace Bramble::Test {

namespace {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

} // namespace

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

QByteArray ScriptedHttpServer::Request::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
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

// Parses as many complete requests as the socket holds (keep-alive), with
// Content-Length bodies; the buffer lives on the socket as a property.
void ScriptedHttpServer::onReadable(QTcpSocket *socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        Request req;
        const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
        req.method = start.value(0);
        req.target = start.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines.at(i).left(colon).trimmed();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            req.headers.append({ name, value });
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            break;
        req.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        m_requests.append(req);

        const Answer answer = m_script.isEmpty() ? m_fallback : m_script.dequeue();
        Q_EMIT requestReceived();
        if (answer.kind == Answer::Drop) {
            socket->abort();
            return;
        }
        if (answer.kind == Answer::Stall)
            continue;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(answer.status) + ' ' + reasonPhrase(answer.status) + "\r\n";
        for (const auto &h : answer.headers)
            out += h.first + ": " + h.second + "\r\n";
        out += "Content-Length: " + QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body;
        socket->write(out);
    }
    socket->setProperty("buffer", buffer);
}

} // namespace Bramble::Test
