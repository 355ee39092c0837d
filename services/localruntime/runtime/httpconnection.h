#pragma once

#include "runtime/httpparser.h"
#include "runtime/httpserver.h"

#include <QObject>

class QTcpSocket;
class QTimer;

namespace Bramble::LocalRuntime {

// One client connection of HttpServer: parses requests as bytes arrive,
// answers them in order through the handler, keeps the connection open
// between requests unless the client (or an error) closes it, and stops
// reading while too much output is unsent. Deletes itself when the socket
// closes.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(
        QTcpSocket *socket, const HttpServer::Handler &handler, const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpConnection() override;

private:
    void onReadyRead();
    void process();
    void send(const HttpResponse &response, bool keepAlive, bool headOnly);
    void sendError(int status, const QByteArray &text);
    void closeAfterWrite();

    QTcpSocket *m_socket;
    HttpServer::Handler m_handler;
    HttpLimits m_limits;
    HttpRequestParser m_parser;
    QTimer *m_idle;
    bool m_closing = false;
};

} // namespace Bramble::LocalRuntime
