#pragma once

#include "fakes/httpmessages.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QQueue>

class QTcpServer;
class QTcpSocket;

namespace Bramble::Test {

// An HTTP/1.1 server on 127.0.0.1 that answers from a script, for testing
// what a client does when a service throttles, fails, stalls or drops the
// connection. In-process: it runs on the test's event loop, so wait with
// QSignalSpy/QTRY_*, never with blocking calls. Requests are recorded.
class ScriptedHttpServer : public QObject {
    Q_OBJECT

public:
    struct Answer {
        enum Kind { Respond, Drop, Stall };
        Kind kind = Respond;
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        static Answer json(int status, const QByteArray &body);
        // A JSON-protocol error: {"__type": type, "message": message}.
        static Answer awsError(int status, const QByteArray &type, const QByteArray &message);
        static Answer drop(); // close the connection without a response
        static Answer stall(); // read the request, never answer
    };

    using Request = HttpRequest;

    explicit ScriptedHttpServer(QObject *parent = nullptr);
    ~ScriptedHttpServer() override;

    bool listen(); // on a free loopback port
    quint16 port() const;
    QByteArray url() const; // "http://127.0.0.1:PORT"

    // Answers are used in order; when the script runs out, `fallback` answers.
    void enqueue(const Answer &answer) { m_script.enqueue(answer); }
    void setFallback(const Answer &answer) { m_fallback = answer; }
    const QList<Request> &requests() const { return m_requests; }

Q_SIGNALS:
    void requestReceived();

private:
    void onConnection();
    void onReadable(QTcpSocket *socket);

    QTcpServer *m_server;
    QQueue<Answer> m_script;
    Answer m_fallback;
    QList<Request> m_requests;
};

} // namespace Bramble::Test
