// The http backend against a small HTTP server on 127.0.0.1, and the
// OpenFaaS backend through a test invoker.
#include "functions/localtaskrunner.h"
#include "support/loopback.h"
#include "taskwait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {

QString S(const char *text)
{
    return QString::fromUtf8(text);
}

// Answers every request with one status and body (Connection: close), and
// keeps what it was sent.
class TinyHttpServer : public QObject {
public:
    struct Request {
        QByteArray head;
        QByteArray body;
    };
    int status = 200;
    QByteArray body;
    QList<Request> requests;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

private:
    void onReadable(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buffer.left(end);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return;
        requests.append({ head, buffer.mid(end + 4, length) });
        m_buffers.remove(socket);
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " Status\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// An OpenFaaS call as the runtime's invoker would make it: here it answers
// what the test says, or fails, or never ends.
class FakeFaasJob : public Core::ValueJob<HttpAnswer> {
public:
    enum Mode { Answer, Fail, Hang };
    FakeFaasJob(Mode mode, HttpAnswer answer, bool *aborted)
        : m_mode(mode)
        , m_answer(std::move(answer))
        , m_aborted(aborted)
    {
    }

protected:
    void begin() override
    {
        if (m_mode == Answer)
            succeedWith(m_answer);
        else if (m_mode == Fail)
            fail(Core::Error(Core::Error::Kind::Network, QStringLiteral("connection refused")));
    }
    void abort() override { *m_aborted = true; }

private:
    Mode m_mode;
    HttpAnswer m_answer;
    bool *m_aborted;
};

TaskRequest invoke(const QString &function, const QJsonValue &payload)
{
    TaskRequest r;
    r.executionArn = S("arn:aws:states:us-east-1:123456789012:execution:m:e");
    r.stateMachineArn = S("arn:aws:states:us-east-1:123456789012:stateMachine:m");
    r.stateName = S("Step");
    r.resource = S("arn:aws:states:::lambda:invoke");
    r.parameters = QJsonObject { { S("FunctionName"), function }, { S("Payload"), payload } };
    return r;
}

FunctionsConfig bindings(const QUrl &http)
{
    FunctionsConfig c;
    FunctionBinding h;
    h.kind = FunctionBinding::Kind::Http;
    h.url = http;
    c.functions.append({ S("Transform"), h });
    FunctionBinding refused;
    refused.kind = FunctionBinding::Kind::Http;
    refused.url = QUrl(QStringLiteral("http://127.0.0.1:%1/fn").arg(Test::freeLoopbackPort()));
    c.functions.append({ S("Refused"), refused });
    FunctionBinding faas;
    faas.kind = FunctionBinding::Kind::OpenFaas;
    faas.openFaasName = S("commit-records");
    c.functions.append({ S("Commit"), faas });
    return c;
}

} // namespace

class TestHttpFunction : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void postsTheEventAndReturnsTheBody()
    {
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.body = "{\"transformed\": true}";
        LocalTaskRunner runner(bindings(server.url(S("/transform"))), nullptr);
        const QJsonObject payload { { S("id"), S("2") } };
        const auto r = Test::runTask(runner.call(invoke(S("Transform:live"), payload)));
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QVERIFY2(r.value().ok, qPrintable(r.value().cause));
        QCOMPARE(r.value().output.toObject().value(u"Payload").toObject().value(u"transformed").toBool(), true);
        QCOMPARE(server.requests.size(), 1);
        const QByteArray head = server.requests.at(0).head;
        QVERIFY2(head.startsWith("POST /transform HTTP/1.1"), head.constData());
        QVERIFY(head.toLower().contains("content-type: application/json"));
        QCOMPARE(QJsonDocument::fromJson(server.requests.at(0).body).object(), payload);
    }

    void errorAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        QTest::newRow("500 typed") << 500
                                   << QByteArray("{\"errorType\":\"CommitFailed\",\"errorMessage\":\"disk full\"}")
                                   << S("CommitFailed")
                                   << S("{\"errorType\":\"CommitFailed\",\"errorMessage\":\"disk full\"}");
        QTest::newRow("500 untyped") << 500 << QByteArray("Internal Server Error") << S("Lambda.Unknown")
                                     << S("answered HTTP 500: Internal Server Error");
        QTest::newRow("503") << 503 << QByteArray() << S("Lambda.ServiceException") << S("answered HTTP 503");
        QTest::newRow("429") << 429 << QByteArray() << S("Lambda.TooManyRequestsException") << S("Rate exceeded");
        QTest::newRow("200 text") << 200 << QByteArray("<html>") << S("Runtime.MarshalError") << S("<html>");
    }
    void errorAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        TinyHttpServer server;
        QVERIFY(server.listen());
        server.status = status;
        server.body = body;
        LocalTaskRunner runner(bindings(server.url(S("/fn"))), nullptr);
        const auto r = Test::runTask(runner.call(invoke(S("Transform"), QJsonObject())));
        QVERIFY(r.ok());
        QVERIFY(!r.value().ok);
        QCOMPARE(r.value().error, error);
        QVERIFY2(r.value().cause.contains(cause), qPrintable(r.value().cause));
    }

    void unreachableEndpointIsAClientError()
    {
        LocalTaskRunner runner(bindings(QUrl(S("http://127.0.0.1:1/"))), nullptr);
        const auto r = Test::runTask(runner.call(invoke(S("Refused"), QJsonObject())));
        QVERIFY(r.ok());
        QCOMPARE(r.value().error, S("Lambda.SdkClientException"));
        QVERIFY2(r.value().cause.startsWith(u"Unable to execute HTTP request: http://127.0.0.1:"),
            qPrintable(r.value().cause));
    }

    void openFaasGoesThroughTheInvoker()
    {
        LocalTaskRunner runner(bindings(QUrl(S("http://127.0.0.1:1/"))), nullptr);
        QString name, ns;
        QByteArray event;
        bool aborted = false;
        FakeFaasJob::Mode mode = FakeFaasJob::Answer;
        HttpAnswer answer { 200, "{\"committed\": 1}" };
        runner.setOpenFaasInvoker([&](const QString &n, const QString &s, const QByteArray &e) {
            name = n;
            ns = s;
            event = e;
            return new FakeFaasJob(mode, answer, &aborted);
        });
        auto r = Test::runTask(runner.call(invoke(S("Commit"), QJsonObject { { S("x"), 1 } })));
        QVERIFY(r.ok() && r.value().ok);
        QCOMPARE(name, S("commit-records"));
        QCOMPARE(ns, S("openfaas-fn"));
        QCOMPARE(QJsonDocument::fromJson(event).object(), (QJsonObject { { S("x"), 1 } }));
        QCOMPARE(r.value().output.toObject().value(u"Payload").toObject().value(u"committed").toInt(), 1);

        answer = HttpAnswer { 500, "{\"errorType\":\"CommitFailed\",\"errorMessage\":\"m\"}" };
        r = Test::runTask(runner.call(invoke(S("Commit"), QJsonObject())));
        QCOMPARE(r.value().error, S("CommitFailed"));

        mode = FakeFaasJob::Fail;
        r = Test::runTask(runner.call(invoke(S("Commit"), QJsonObject())));
        QCOMPARE(r.value().error, S("Lambda.SdkClientException"));
        QVERIFY2(
            r.value().cause.contains(u"OpenFaaS function commit-records.openfaas-fn"), qPrintable(r.value().cause));
        QVERIFY(r.value().cause.contains(u"connection refused"));

        mode = FakeFaasJob::Hang;
        TaskCall *job = runner.call(invoke(S("Commit"), QJsonObject()));
        job->setAutoDelete(false);
        std::unique_ptr<TaskCall> owner(job);
        QSignalSpy finished(job, &Core::Job::finished);
        job->start();
        QVERIFY(!finished.wait(100));
        job->cancel();
        QVERIFY(finished.wait(1000));
        QVERIFY(job->error().is(Core::Error::Kind::Cancelled));
        QVERIFY(aborted); // the invoker's job was cancelled too
    }

    void openFaasWithoutAnInvokerSaysSo()
    {
        LocalTaskRunner runner(bindings(QUrl(S("http://127.0.0.1:1/"))), nullptr);
        const auto r = Test::runTask(runner.call(invoke(S("Commit"), QJsonObject())));
        QVERIFY(r.ok());
        QCOMPARE(r.value().error, S("Lambda.SdkClientException"));
        QVERIFY2(r.value().cause.contains(u"no OpenFaaS gateway is reachable"), qPrintable(r.value().cause));
    }
};

QTEST_GUILESS_MAIN(TestHttpFunction)
#include "tst_httpfunction.moc"
