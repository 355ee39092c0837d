// KubeCall's retries, as client-go's: 429 (with or without Retry-After) and
// 5xx with Retry-After are sent again after the wait the server asked for,
// up to KubeCall::maxRetries times; other errors are not retried.

#include "fakes/fakekubeclient.h"
#include "fakes/scriptedhttpserver.h"

#include "kube/kubeclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Bramble;
using Test::ScriptedHttpServer;

namespace {

using Answer = ScriptedHttpServer::Answer;

const QByteArray nodeList = R"({"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[]})";

Answer status(int code, const QByteArray &reason, int retryAfter = -1)
{
    Answer a = Answer::json(code,
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected","reason":")" + reason
            + R"(","code":)" + QByteArray::number(code) + "}");
    if (retryAfter >= 0)
        a.headers.append({ "Retry-After", QByteArray::number(retryAfter) });
    return a;
}

} // namespace

class TestKubeClient : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ScriptedHttpServer> m_server;
    std::unique_ptr<Kube::KubeClient> m_client;

    Kube::KubeCall *get(QSignalSpy **progress = nullptr)
    {
        Kube::KubeCall *call = m_client->get(QStringLiteral("/api/v1/nodes"));
        if (progress)
            *progress = new QSignalSpy(call, &Kube::KubeCall::progressChanged);
        return call;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<ScriptedHttpServer>();
        QVERIFY(m_server->listen());
        m_server->setFallback(Answer::json(200, nodeList));
        const QByteArray config = "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                  "clusters:\n- name: k\n  cluster:\n    server: "
            + m_server->url()
            + "\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\n"
              "users:\n- name: u\n  user:\n    token: t0ken\n";
        m_client.reset(Test::kubeClientFor(config, QStringLiteral("/tmp/kubeconfig"), nullptr));
        QVERIFY(m_client);
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void throttledOnceThenAnswered()
    {
        m_server->enqueue(status(429, "TooManyRequests", 1));
        QSignalSpy *progress = nullptr;
        Kube::KubeCall *call = get(&progress);
        std::unique_ptr<QSignalSpy> keep(progress);
        QSignalSpy done(call, &Kube::KubeCall::finished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(done.wait(10000));
        QVERIFY2(call->ok(), qPrintable(call->error().toString()));
        QCOMPARE(call->httpStatus(), 200);
        QCOMPARE(call->attempts(), 2);
        QCOMPARE(m_server->requests().size(), 2);
        QVERIFY2(clock.elapsed() >= 900, "Retry-After: 1 was not honoured");
        QCOMPARE(progress->size(), 1);
        const auto p = progress->first().first().value<Core::Progress>();
        QVERIFY2(p.text.contains(QStringLiteral("GET /api/v1/nodes: 429")), qPrintable(p.text));
        QVERIFY2(p.text.contains(QStringLiteral("retrying in 1 s (retry 1 of 10)")), qPrintable(p.text));
    }

    void unavailableWithRetryAfterIsRetried()
    {
        m_server->enqueue(status(503, "ServiceUnavailable", 0));
        m_server->enqueue(status(503, "ServiceUnavailable", 0));
        Kube::KubeCall *call = get();
        QSignalSpy done(call, &Kube::KubeCall::finished);
        QVERIFY(done.wait(10000));
        QVERIFY2(call->ok(), qPrintable(call->error().toString()));
        QCOMPARE(call->attempts(), 3);
        QCOMPARE(m_server->requests().size(), 3);
    }

    void serverErrorWithoutRetryAfterIsNot()
    {
        m_server->enqueue(status(500, "InternalError"));
        m_server->enqueue(status(503, "ServiceUnavailable"));
        Kube::KubeCall *call = get();
        QSignalSpy done(call, &Kube::KubeCall::finished);
        QVERIFY(done.wait(10000));
        QVERIFY(!call->ok());
        QCOMPARE(call->error().httpStatus, 500);
        QCOMPARE(m_server->requests().size(), 1);
    }

    void givesUpAfterTenRetries()
    {
        m_server->setFallback(status(429, "TooManyRequests", 0));
        QSignalSpy *progress = nullptr;
        Kube::KubeCall *call = get(&progress);
        std::unique_ptr<QSignalSpy> keep(progress);
        QSignalSpy done(call, &Kube::KubeCall::finished);
        QVERIFY(done.wait(20000));
        QVERIFY(!call->ok());
        QCOMPARE(call->error().httpStatus, 429);
        QCOMPARE(call->error().reason, QStringLiteral("TooManyRequests"));
        QCOMPARE(m_server->requests().size(), 1 + Kube::KubeCall::maxRetries);
        QCOMPARE(progress->size(), Kube::KubeCall::maxRetries);
        const QString text = call->error().toString();
        QVERIFY2(text.contains(QStringLiteral("11 attempts")), qPrintable(text));
    }

    // A followed pod log: plain text, no watch=1, a last line without newline.
    void plainTextLines()
    {
        Answer log;
        log.status = 200;
        log.headers = { { "Content-Type", "text/plain" } };
        log.body = "2026-12-07T20:00:00Z one\n2026-12-07T20:00:01Z {not json}\r\n\n2026-12-07T20:00:02Z last";
        m_server->enqueue(log);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
        query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
        std::unique_ptr<Kube::KubeWatchStream> stream(
            m_client->streamLines(QStringLiteral("/api/v1/namespaces/default/pods/web-0/log"), query));
        stream->setAutoDelete(false);
        QList<QByteArray> lines;
        connect(stream.get(), &Kube::KubeWatchStream::linesReceived, this,
            [&](const QList<QByteArray> &more) { lines += more; });
        QSignalSpy done(stream.get(), &Kube::KubeWatchStream::finished);
        QVERIFY(done.wait(10000));
        QVERIFY2(stream->ok(), qPrintable(stream->error().toString()));
        const QList<QByteArray> expected
            = { "2026-12-07T20:00:00Z one", "2026-12-07T20:00:01Z {not json}", "", "2026-12-07T20:00:02Z last" };
        QCOMPARE(lines, expected);
        const QByteArray target = m_server->requests().constLast().target;
        QVERIFY2(target.startsWith("/api/v1/namespaces/default/pods/web-0/log?"), target.constData());
        QVERIFY2(target.contains("follow=true") && target.contains("timestamps=true"), target.constData());
        QVERIFY2(!target.contains("watch"), target.constData());
    }

    void cancelWhileWaiting()
    {
        m_server->enqueue(status(429, "TooManyRequests", 30));
        QSignalSpy *progress = nullptr;
        Kube::KubeCall *call = get(&progress);
        std::unique_ptr<QSignalSpy> keep(progress);
        QSignalSpy done(call, &Kube::KubeCall::finished);
        QVERIFY(progress->wait(10000));
        call->cancel();
        QVERIFY(done.wait(2000));
        QVERIFY(!call->ok());
        QCOMPARE(m_server->requests().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestKubeClient)
#include "tst_kubeclient.moc"
