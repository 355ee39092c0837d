#include "fakes/httpmessages.h"

#include <QTcpSocket>
#include <QVariant>

namespace Bramble::Test {

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool HttpRequest::wantsClose() const
{
    bool close = version == "HTTP/1.0";
    for (const auto &h : headers)
        if (h.first.compare("connection", Qt::CaseInsensitive) == 0)
            close = h.second.compare("close", Qt::CaseInsensitive) == 0;
    return close;
}

void takeHttpRequests(QTcpSocket *socket, const std::function<bool(const HttpRequest &)> &handle)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
        HttpRequest request;
        request.method = start.value(0);
        request.target = start.value(1);
        request.version = start.value(2);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines.at(i).left(colon).trimmed();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            request.headers.append({ name, value });
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
        }
        if (buffer.size() < end + 4 + length) {
            // The client waits for this before it sends the body (or gives up waiting).
            if (request.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0
                && !socket->property("continued").toBool()) {
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                socket->setProperty("continued", true);
            }
            break;
        }
        socket->setProperty("continued", false);
        request.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        if (!handle(request))
            return;
    }
    socket->setProperty("buffer", buffer);
}

QByteArray reasonPhrase(int status)
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
    case 413:
        return "Payload Too Large";
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

QByteArray httpResponse(int status, const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return out;
}

} // namespace Bramble::Test
