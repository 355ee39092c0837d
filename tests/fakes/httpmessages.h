#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <functional>

class QTcpSocket;

namespace Bramble::Test {

// The HTTP/1.1 the in-process fakes speak: requests with Content-Length bodies
// (no chunked uploads), several per connection, responses sized up front.

struct HttpRequest {
    QByteArray method;
    QByteArray target; // as on the request line: "/", "/path?query"
    QByteArray version; // "HTTP/1.1"
    QList<QPair<QByteArray, QByteArray>> headers; // names as sent, in order
    QByteArray body;

    // The first header of that name (case-insensitive), empty when absent.
    QByteArray header(const QByteArray &name) const;
    // The client asked for the connection to end after the response: HTTP/1.0
    // or "Connection: close" (the last Connection header decides).
    bool wantsClose() const;
};

// Hands every complete request buffered on `socket` to `handle`, in order, and
// keeps a partial one buffered on the socket (a property) for the next call;
// call it on each readyRead. Stops when `handle` returns false (it dropped or
// is closing the connection): the requests after it are discarded. Answers
// "Expect: 100-continue" once while a request's body is pending, after the
// requests before it were handled.
void takeHttpRequests(QTcpSocket *socket, const std::function<bool(const HttpRequest &)> &handle);

// "OK", "Not Found", ... ("Status" for codes it does not know).
QByteArray reasonPhrase(int status);

// "HTTP/1.1 <status> <reason>", `headers`, Content-Length, then `body`.
QByteArray httpResponse(int status, const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body);

} // namespace Bramble::Test
