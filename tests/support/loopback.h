#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>

namespace Bramble::Test {

// Small blocking helpers for talking to peers on 127.0.0.1. They need no event
// loop, may be called from any thread, and never use a proxy. Every call is
// bounded by its timeout.

// "127.0.0.1": every test peer listens here and nowhere else.
QString loopbackHost();

// A TCP port on 127.0.0.1 that was free a moment ago: binds a QTcpServer to
// port 0, reads the port the kernel picked and closes it again. Another process
// may take the port before the peer binds it (PeerProcess::start() retries with
// a fresh port when the peer exits early). Returns 0 if no port could be bound.
quint16 freeLoopbackPort();

// True if a TCP connection to 127.0.0.1:port is accepted within timeout.
bool loopbackPortAcceptsConnections(quint16 port, std::chrono::milliseconds timeout = std::chrono::seconds(1));

// The first line (without CR LF) a server on 127.0.0.1:port sends after the
// connection is accepted, e.g. an SSH identification string "SSH-2.0-...".
// Empty with *error set if nothing arrives within timeout.
QByteArray loopbackGreeting(quint16 port, std::chrono::milliseconds timeout, QString *error = nullptr);

// The reply to one loopbackHttpRequest().
struct LoopbackHttpReply {
    int status = 0; // HTTP status code; 0 if no status line was read
    QByteArray headers; // the raw header block, status line included
    QByteArray body;
    QString error; // set when the exchange failed (connect, timeout, garbage)

    // No transport error and a 2xx status.
    bool isSuccess() const { return error.isEmpty() && status >= 200 && status < 300; }
    // One line for failure messages: "HTTP 404: <start of body>" or the error.
    QString summary() const;
};

// Sends one HTTP/1.0 request (so the server closes the connection after its
// reply) to http://127.0.0.1:port<path> and reads the whole reply. body and
// contentType are sent when non-empty (with Content-Length). Bodies are
// "identity" only: fine for moto and the fakes, not for chunked replies.
LoopbackHttpReply loopbackHttpRequest(quint16 port, const QByteArray &method, const QByteArray &path,
    const QByteArray &body = {}, const QByteArray &contentType = {},
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

} // namespace Bramble::Test
