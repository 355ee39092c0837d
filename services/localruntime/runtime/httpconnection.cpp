#include "runtime/httpconnection.h"

#include <QDateTime>
#include <QLocale>
#include <QTcpSocket>
#include <QTimer>

namespace Bramble::LocalRuntime {

namespace {

bool hasToken(const QByteArray &value, const QByteArray &token)
{
    for (const QByteArray &item : value.split(',')) {
        if (item.trimmed().toLower() == token)
            return true;
    }
    return false;
}

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

} // namespace

HttpConnection::HttpConnection(
    QTcpSocket *socket, const HttpServer::Handler &handler, const HttpLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_limits(limits)
    , m_parser(limits)
    , m_idle(new QTimer(this))
{
    m_socket->setParent(this);
    // Bounded: while we do not read (output backlog), the kernel holds the rest.
    m_socket->setReadBufferSize(1024 * 1024);
    // Each answer is one write; Nagle would hold it for the client's delayed ACK (40 ms).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idle->setSingleShot(true);
    m_idle->setInterval(m_limits.idleTimeoutMs);
    connect(m_idle, &QTimer::timeout, this, [this] { m_socket->abort(); });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_closing && m_socket->bytesToWrite() < m_limits.maxPendingOutput / 2)
            onReadyRead();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
    m_idle->start();
    if (m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::onReadyRead);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onReadyRead()
{
    if (m_closing)
        return;
    m_idle->start();
    while (m_socket->bytesAvailable() > 0 && m_socket->bytesToWrite() < m_limits.maxPendingOutput) {
        m_parser.feed(m_socket->read(256 * 1024));
        process();
        if (m_closing)
            return;
    }
}

void HttpConnection::process()
{
    for (;;) {
        if (m_socket->bytesToWrite() >= m_limits.maxPendingOutput)
            return; // resumed from bytesWritten
        const HttpRequestParser::Status status = m_parser.next();
        if (m_parser.takeContinueRequest())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (status == HttpRequestParser::Status::NeedMore)
            return;
        if (status == HttpRequestParser::Status::Error) {
            sendError(m_parser.errorStatus(), m_parser.errorText());
            return;
        }
        const HttpRequest request = m_parser.takeRequest();
        const QByteArray connection = request.header("connection");
        const bool keepAlive
            = request.minorVersion >= 1 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        HttpResponse response = m_handler ? m_handler(request) : HttpResponse { 503, {}, {} };
        send(response, keepAlive, request.method == "HEAD");
        if (!keepAlive) {
            closeAfterWrite();
            return;
        }
    }
}

void HttpConnection::send(const HttpResponse &response, bool keepAlive, bool headOnly)
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + HttpResponse::reasonPhrase(response.status)
        + "\r\n";
    out += "Date: " + httpDate() + "\r\n";
    for (const auto &[name, value] : response.headers) {
        const QByteArray lower = name.toLower();
        if (lower == "content-length" || lower == "connection" || lower == "date" || lower == "transfer-encoding")
            continue;
        out += name + ": " + value + "\r\n";
    }
    out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    out += "\r\n";
    if (!headOnly)
        out += response.body;
    m_socket->write(out);
}

void HttpConnection::sendError(int status, const QByteArray &text)
{
    HttpResponse response;
    response.status = status;
    response.addHeader("Content-Type", "text/plain; charset=utf-8");
    response.body = text + '\n';
    send(response, false, false);
    closeAfterWrite();
}

void HttpConnection::closeAfterWrite()
{
    m_closing = true;
    m_idle->stop();
    // disconnectFromHost() sends what is buffered first, then closes.
    m_socket->disconnectFromHost();
}

} // namespace Bramble::LocalRuntime
