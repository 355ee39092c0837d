#pragma once

#include "runtime/httpserver.h"

#include <QByteArray>

namespace Bramble::LocalRuntime {

// Incremental HTTP/1.x request parser for one connection (RFC 9112): feed()
// bytes as they arrive, then call next() until it stops returning Ready.
// Bare LF line ends are accepted; obsolete line folding, a request with
// both Transfer-Encoding and Content-Length, conflicting Content-Lengths and
// unknown transfer codings are refused (they are how requests get smuggled).
// After Error the parser stays in error: the connection must be closed.
class HttpRequestParser {
public:
    enum class Status { NeedMore, Ready, Error };

    explicit HttpRequestParser(const HttpLimits &limits = {});

    void feed(const QByteArray &data);
    Status next();
    // The request next() returned Ready for.
    HttpRequest takeRequest();

    // After Error: the status to answer (400, 413, 431, 501, 505) and why.
    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorText() const { return m_errorText; }

    // True once per request when its head asked "Expect: 100-continue" and
    // its body has not arrived yet: the caller sends "100 Continue".
    bool takeContinueRequest();
    // Bytes received and not yet parsed.
    qint64 buffered() const { return m_buffer.size() - m_pos; }
    // True while a request has begun arriving (for idle handling).
    bool isMidRequest() const { return m_state != State::Head || buffered() > 0; }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Error };

    Status fail(int status, const char *text);
    bool takeLine(QByteArray *line, qint64 limit, bool *tooLong);
    Status parseHead();
    Status parseRequestLine(const QByteArray &line);
    Status parseHeaderLine(const QByteArray &line);
    Status finishHead();
    Status ready();
    void compact();

    HttpLimits m_limits;
    State m_state = State::Head;
    QByteArray m_buffer;
    qint64 m_pos = 0;
    qint64 m_headBytes = 0;
    bool m_sawRequestLine = false;
    qint64 m_remaining = 0; // Body / ChunkData: bytes still to read
    bool m_continuePending = false;
    HttpRequest m_current;
    HttpRequest m_ready;
    int m_errorStatus = 0;
    QByteArray m_errorText;
};

} // namespace Bramble::LocalRuntime
