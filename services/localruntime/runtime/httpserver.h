#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace Bramble::LocalRuntime {

// One parsed HTTP/1.1 request. Header names are kept lower-case, values
// with surrounding whitespace trimmed, in the order received.
struct HttpRequest {
    QByteArray method;
    QByteArray target;
    int minorVersion = 1; // HTTP/1.<minorVersion>
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // de-chunked

    // The first value of `name` (lower-case), or empty.
    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;
};

struct HttpResponse {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; // Content-Length, Connection and Date are added
    QByteArray body;

    void addHeader(const QByteArray &name, const QByteArray &value) { headers.append(qMakePair(name, value)); }
    static QByteArray reasonPhrase(int status);
};

// The limits of one connection.
struct HttpLimits {
    qint64 maxHeaderBytes = 64 * 1024; // request line + headers: above it 431
    qint64 maxBodyBytes = 16 * 1024 * 1024; // above it 413
    int idleTimeoutMs = 120000; // a connection silent this long is closed
    qint64 maxPendingOutput = 32 * 1024 * 1024; // stop reading while more is unsent
};

// A small HTTP/1.1 server on 127.0.0.1 only: request line and headers,
// Content-Length and chunked request bodies, keep-alive, pipelined requests
// (answered in order), "Expect: 100-continue". Malformed input is answered
// 400 (too large: 413 for a body, 431 for the headers) and the connection
// closed; nothing a client sends can crash it. Requests are handed to the
// handler one at a time, on the thread that owns the server; the handler
// answers synchronously.
class HttpServer : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }

    // Listens on 127.0.0.1:port (0: a free port). False, with errorString(), when it cannot.
    bool listen(quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    QString errorString() const;
    int connectionCount() const;

private:
    void onNewConnection();

    Handler m_handler;
    HttpLimits m_limits;
    QTcpServer *m_server = nullptr;
};

} // namespace Bramble::LocalRuntime
