// The local runtime's HTTP/1.1 server: well-formed requests (Content-Length,
// chunked, pipelined, keep-alive, 100-continue) answered in order, curl as a
// client written by others, and malformed or oversized input answered with
// the right status and a closed connection, never a crash.
#include "runtime/httpparser.h"
#include "runtime/httpserver.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>

using namespace Bramble::LocalRuntime;

namespace {

// Echoes what it received: "METHOD TARGET\nheader-count\nbody".
HttpResponse echo(const HttpRequest &request)
{
    HttpResponse response;
    response.addHeader("Content-Type", "text/plain");
    response.body = request.method + ' ' + request.target + '\n' + request.header("x-tag") + '\n' + request.body;
    return response;
}

struct Reply {
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// Splits a byte stream into complete responses (Content-Length framed).
QList<Reply> parseReplies(QByteArray data)
{
    QList<Reply> replies;
    for (;;) {
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end < 0)
            return replies;
        Reply reply;
        reply.head = data.left(end);
        reply.status = reply.head.mid(9, 3).toInt();
        qint64 length = 0;
        for (const QByteArray &line : reply.head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (reply.status == 100)
            length = 0;
        if (data.size() < end + 4 + length)
            return replies;
        reply.body = data.mid(end + 4, length);
        data.remove(0, end + 4 + length);
        replies.append(reply);
    }
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private:
    HttpServer *m_server = nullptr;
    int m_handled = 0;

    // Sends `bytes`, then reads until `expected` responses arrived or the
    // server closed the connection. *closed tells which.
    QList<Reply> exchange(const QByteArray &bytes, int expected, bool *closed = nullptr, int chunkSize = 0)
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
            return {};
        if (chunkSize <= 0) {
            socket.write(bytes);
        } else {
            for (qsizetype i = 0; i < bytes.size(); i += chunkSize) {
                socket.write(bytes.mid(i, chunkSize));
                socket.flush();
                QTest::qWait(1);
            }
        }
        QByteArray data;
        bool gone = false;
        (void)QTest::qWaitFor(
            [&] {
                data += socket.readAll();
                gone = socket.state() == QAbstractSocket::UnconnectedState;
                if (gone)
                    data += socket.readAll();
                return gone || parseReplies(data).size() >= expected;
            },
            10000);
        if (!gone && expected > 0) {
            // Whether the server closes after these answers.
            (void)QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 300);
            gone = socket.state() == QAbstractSocket::UnconnectedState;
        }
        if (closed)
            *closed = gone;
        return parseReplies(data);
    }

private Q_SLOTS:
    void init()
    {
        m_handled = 0;
        m_server = new HttpServer([this](const HttpRequest &request) {
            ++m_handled;
            return echo(request);
        });
        HttpLimits limits;
        limits.maxHeaderBytes = 4096;
        limits.maxBodyBytes = 100000;
        m_server->setLimits(limits);
        QVERIFY(m_server->listen());
        QVERIFY(m_server->port() != 0);
    }

    void cleanup()
    {
        delete m_server;
        m_server = nullptr;
    }

    void simpleRequestKeepsTheConnectionOpen()
    {
        bool closed = true;
        const auto replies
            = exchange("POST /a HTTP/1.1\r\nHost: x\r\nX-Tag: one\r\nContent-Length: 5\r\n\r\nhello", 1, &closed);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().status, 200);
        QCOMPARE(replies.first().body, QByteArray("POST /a\none\nhello"));
        QVERIFY(replies.first().head.contains("Connection: keep-alive"));
        QVERIFY(!closed);
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        QByteArray bytes;
        for (int i = 0; i < 20; ++i) {
            const QByteArray body = QByteArray::number(i).repeated(i);
            bytes += "POST /p" + QByteArray::number(i) + " HTTP/1.1\r\nX-Tag: " + QByteArray::number(i)
                + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        bytes += "GET /last HTTP/1.1\r\nConnection: close\r\n\r\n";
        bool closed = false;
        const auto replies = exchange(bytes, 21, &closed);
        QCOMPARE(replies.size(), 21);
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(replies.at(i).body,
                "POST /p" + QByteArray::number(i) + '\n' + QByteArray::number(i) + '\n'
                    + QByteArray::number(i).repeated(i));
        }
        QCOMPARE(replies.last().body, QByteArray("GET /last\n\n"));
        QVERIFY(replies.last().head.contains("Connection: close"));
        QVERIFY(closed);
    }

    void bytesArrivingOneByOne()
    {
        const QByteArray bytes = "POST /slow HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "3\r\nabc\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n";
        const auto replies = exchange(bytes, 1, nullptr, 1);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().body, QByteArray("POST /slow\n\nabc0123456789abcdef"));
    }

    void chunkedBodyAndBareLineFeeds()
    {
        const auto replies = exchange("POST /c HTTP/1.1\nTransfer-Encoding: chunked\n\n"
                                      "5\nhello\n0\n\n",
            1);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().body, QByteArray("POST /c\n\nhello"));
    }

    void expectContinueIsAnswered()
    {
        // The head alone: the server asks for the body with 100 Continue.
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000));
        socket.write("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QByteArray data;
        QVERIFY(QTest::qWaitFor(
            [&] {
                data += socket.readAll();
                return data.contains("\r\n\r\n");
            },
            5000));
        QCOMPARE(data, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        socket.write("ok");
        QVERIFY(QTest::qWaitFor(
            [&] {
                data += socket.readAll();
                return parseReplies(data).size() == 2;
            },
            5000));
        QCOMPARE(parseReplies(data).at(1).body, QByteArray("POST /e\n\nok"));

        // Head and body together: no 100 needed.
        const auto replies = exchange("POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok", 1);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().status, 200);
    }

    void http10ClosesUnlessKeepAlive()
    {
        bool closed = false;
        auto replies = exchange("GET /old HTTP/1.0\r\n\r\n", 1, &closed);
        QCOMPARE(replies.size(), 1);
        QVERIFY(closed);
        replies = exchange("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 1, &closed);
        QCOMPARE(replies.size(), 1);
        QVERIFY(!closed);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15) << 400;
        QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("bad version") << QByteArray("GET / HTTP/x.y\r\n\r\n") << 400;
        QTest::newRow("http2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("folding") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 400;
        QTest::newRow("nul in value") << QByteArray("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26) << 400;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("hex length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n") << 400;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") << 400;
        QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                     << 400;
        QTest::newRow("te and cl") << QByteArray(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n")
                                   << 400;
        QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
        QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                        << 400;
        QTest::newRow("chunk overrun") << QByteArray(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
                                       << 400;
        QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 100001\r\n\r\n") << 413;
        QTest::newRow("chunks too large")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n186a1\r\n") << 413;
        QTest::newRow("headers too large")
            << QByteArray("GET / HTTP/1.1\r\nA: " + QByteArray(5000, 'a') + "\r\n\r\n") << 431;
        QTest::newRow("endless line") << QByteArray(5000, 'G') << 431;
    }

    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        bool closed = false;
        const auto replies = exchange(bytes, 1, &closed);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().status, status);
        QVERIFY(closed);
        QCOMPARE(m_handled, 0);
    }

    void goodRequestBeforeGarbageIsStillAnswered()
    {
        bool closed = false;
        const auto replies = exchange("GET /ok HTTP/1.1\r\n\r\nNONSENSE\r\n\r\n", 2, &closed);
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies.at(0).status, 200);
        QCOMPARE(replies.at(1).status, 400);
        QVERIFY(closed);
    }

    void randomGarbageNeverCrashes()
    {
        // The parser alone, fed random bytes in random pieces, must end in a
        // defined state; then the server, fed the same, must stay up.
        QRandomGenerator random(1234);
        for (int round = 0; round < 300; ++round) {
            QByteArray bytes(int(random.bounded(1, 3000)), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(random.bounded(256));
            if (round % 3 == 0)
                bytes.prepend("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            HttpRequestParser parser(m_server->limits());
            qsizetype at = 0;
            HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
            while (at < bytes.size() && status != HttpRequestParser::Status::Error) {
                const int piece = int(random.bounded(1, 200));
                parser.feed(bytes.mid(at, piece));
                at += piece;
                while ((status = parser.next()) == HttpRequestParser::Status::Ready)
                    parser.takeRequest();
            }
            if (status == HttpRequestParser::Status::Error)
                QVERIFY(parser.errorStatus() >= 400);
        }
        for (int round = 0; round < 20; ++round) {
            QByteArray bytes(int(random.bounded(1, 3000)), Qt::Uninitialized);
            for (char &c : bytes)
                c = char(random.bounded(256));
            exchange(bytes, 1);
        }
        const auto replies = exchange("GET /alive HTTP/1.1\r\n\r\n", 1);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.first().status, 200);
    }

    void curlSendsChunkedAndKeepsAlive()
    {
        // curl, a client written by others: a chunked upload from stdin and a
        // second request reusing the connection.
        QProcess curl;
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(m_server->port());
        curl.start(QStringLiteral("curl"),
            { QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"), QStringLiteral("-H"),
                QStringLiteral("Transfer-Encoding: chunked"), QStringLiteral("-H"), QStringLiteral("X-Tag: curl"),
                QStringLiteral("--data-binary"), QStringLiteral("@-"), url + QStringLiteral("up"),
                QStringLiteral("--next"), QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"),
                url + QStringLiteral("again"), QStringLiteral("-w"), QStringLiteral("|%{num_connects}") });
        QVERIFY(curl.waitForStarted());
        curl.write(QByteArray(70000, 'z'));
        curl.closeWriteChannel();
        QVERIFY(QTest::qWaitFor([&] { return curl.state() == QProcess::NotRunning; }, 20000));
        QCOMPARE(curl.exitCode(), 0);
        const QByteArray out = curl.readAllStandardOutput();
        const QByteArray expected
            = QByteArray("POST /up\ncurl\n") + QByteArray(70000, 'z') + QByteArray("GET /again\n\n");
        QVERIFY2(out.startsWith(expected), out.left(100).constData());
        QVERIFY2(out.endsWith("|0"), out.right(20).constData()); // the second request reused the connection
        QCOMPARE(m_handled, 2);
    }

    void bindsToLoopbackOnly()
    {
        QTcpSocket socket;
        // The port is bound on 127.0.0.1 only; another local address of this
        // machine (if any) must refuse. 127.0.0.2 is loopback too but not bound.
        socket.connectToHost(QStringLiteral("127.0.0.2"), m_server->port());
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
