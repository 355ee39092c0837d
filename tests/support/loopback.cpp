#include "loopback.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpServer>
#include <QTcpSocket>

namespace Bramble::Test {

namespace {

int remainingMs(const QDeadlineTimer &deadline)
{
    return int(qMax<qint64>(0, deadline.remainingTime()));
}

// Connects a proxy-free socket to 127.0.0.1:port; false with *error on failure.
bool connectLoopback(QTcpSocket &socket, quint16 port, const QDeadlineTimer &deadline, QString *error)
{
    socket.setProxy(QNetworkProxy::NoProxy);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (socket.waitForConnected(remainingMs(deadline)))
        return true;
    if (error)
        *error = QStringLiteral("connect to 127.0.0.1:%1 failed: %2").arg(port).arg(socket.errorString());
    return false;
}

} // namespace

QString loopbackHost()
{
    return QStringLiteral("127.0.0.1");
}

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

bool loopbackPortAcceptsConnections(quint16 port, std::chrono::milliseconds timeout)
{
    QTcpSocket socket;
    const bool connected = connectLoopback(socket, port, QDeadlineTimer(timeout), nullptr);
    socket.abort();
    return connected;
}

QByteArray loopbackGreeting(quint16 port, std::chrono::milliseconds timeout, QString *error)
{
    const QDeadlineTimer deadline(timeout);
    QTcpSocket socket;
    if (!connectLoopback(socket, port, deadline, error))
        return {};
    while (!socket.canReadLine()) {
        if (deadline.hasExpired() || !socket.waitForReadyRead(remainingMs(deadline))) {
            if (error)
                *error = QStringLiteral("no greeting line from 127.0.0.1:%1 (%2)").arg(port).arg(socket.errorString());
            socket.abort();
            return {};
        }
    }
    QByteArray line = socket.readLine();
    socket.abort();
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}

QString LoopbackHttpReply::summary() const
{
    if (!error.isEmpty())
        return error;
    return QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body.left(300)));
}

LoopbackHttpReply loopbackHttpRequest(quint16 port, const QByteArray &method, const QByteArray &path,
    const QByteArray &body, const QByteArray &contentType, std::chrono::milliseconds timeout)
{
    LoopbackHttpReply reply;
    const QByteArray what = method + ' ' + path;
    const QDeadlineTimer deadline(timeout);
    QTcpSocket socket;
    if (!connectLoopback(socket, port, deadline, &reply.error))
        return reply;

    QByteArray request = method + ' ' + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nAccept: */*\r\nConnection: close\r\n";
    if (!contentType.isEmpty())
        request += "Content-Type: " + contentType + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    socket.write(request);

    // HTTP/1.0: the reply ends when the server closes the connection (or, if it
    // sent a Content-Length, when that many body bytes have arrived).
    QByteArray data;
    qsizetype headerEnd = -1;
    qint64 contentLength = -1;
    for (;;) {
        data += socket.readAll();
        if (headerEnd < 0) {
            headerEnd = data.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                for (const QByteArray &line : data.left(headerEnd).split('\n')) {
                    const QByteArray trimmed = line.trimmed();
                    if (trimmed.toLower().startsWith("content-length:"))
                        contentLength = trimmed.mid(15).trimmed().toLongLong();
                }
            }
        }
        if (headerEnd >= 0 && contentLength >= 0 && data.size() - headerEnd - 4 >= contentLength)
            break;
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (deadline.hasExpired()) {
            reply.error = QStringLiteral("%1 on 127.0.0.1:%2: no complete reply within %3 ms")
                              .arg(QString::fromLatin1(what))
                              .arg(port)
                              .arg(timeout.count());
            socket.abort();
            return reply;
        }
        if (!socket.waitForReadyRead(remainingMs(deadline)) && socket.error() != QAbstractSocket::RemoteHostClosedError
            && socket.error() != QAbstractSocket::SocketTimeoutError) {
            data += socket.readAll();
            break;
        }
    }
    socket.abort();

    if (headerEnd < 0) {
        reply.error = QStringLiteral("%1 on 127.0.0.1:%2: incomplete reply (%3 bytes)")
                          .arg(QString::fromLatin1(what))
                          .arg(port)
                          .arg(data.size());
        return reply;
    }
    reply.headers = data.left(headerEnd);
    reply.body = data.mid(headerEnd + 4);
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> statusLine = reply.headers.left(reply.headers.indexOf('\r')).split(' ');
    bool ok = false;
    if (statusLine.size() >= 2 && statusLine.first().startsWith("HTTP/"))
        reply.status = statusLine.at(1).toInt(&ok);
    if (!ok) {
        reply.status = 0;
        reply.error = QStringLiteral("%1 on 127.0.0.1:%2: not an HTTP reply: %3")
                          .arg(QString::fromLatin1(what))
                          .arg(port)
                          .arg(QString::fromLatin1(data.left(80)));
    } else if (contentLength >= 0 && reply.body.size() < contentLength) {
        reply.error = QStringLiteral("%1 on 127.0.0.1:%2: body truncated (%3 of %4 bytes)")
                          .arg(QString::fromLatin1(what))
                          .arg(port)
                          .arg(reply.body.size())
                          .arg(contentLength);
    }
    return reply;
}

} // namespace Bramble::Test
