// KubeClient and ListWatch against the fake API server: TLS and auth, list
// pages, the watch, and every fault the issue names (dropped streams, events
// split across chunks, 410 after compaction, 429 with Retry-After, 500,
// stalled streams, rotated tokens), then hundreds of random faults while
// nodes change: the consumer's picture must always converge to the server's.

#include "fakes/fakekubeapiserver.h"
#include "fakes/fakekubeclient.h"
#include "fakes/testpki.h"
#include "kube/kubeclient.h"
#include "kube/kubeconfigloader.h"
#include "kube/kubelist.h"
#include "kube/listwatch.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Bramble;
using namespace Bramble::Kube;
using Test::FakeKubeApiServer;

namespace {

// What a consumer that applies every batch ends up with; counts events that
// would not make sense (ADDED for a known name, MODIFIED or DELETED for an
// unknown one), which must never happen.
struct Consumer {
    QHash<QString, QString> versions; // name -> resourceVersion
    int inconsistent = 0;
    int events = 0;

    void apply(const WatchEvents &batch)
    {
        for (const WatchEvent &e : batch) {
            ++events;
            const QJsonObject meta = e.object.value(QStringLiteral("metadata")).toObject();
            const QString name = meta.value(QStringLiteral("name")).toString();
            const bool known = versions.contains(name);
            switch (e.type) {
            case WatchEvent::Added:
                inconsistent += known;
                versions.insert(name, meta.value(QStringLiteral("resourceVersion")).toString());
                break;
            case WatchEvent::Modified:
                inconsistent += !known;
                versions.insert(name, meta.value(QStringLiteral("resourceVersion")).toString());
                break;
            case WatchEvent::Deleted:
                inconsistent += !known;
                versions.remove(name);
                break;
            }
        }
    }
};

QHash<QString, QString> truth(const FakeKubeApiServer &server)
{
    QHash<QString, QString> t;
    for (const QString &name : server.nodeNames())
        t.insert(name,
            server.node(name)
                .value(QStringLiteral("metadata"))
                .toObject()
                .value(QStringLiteral("resourceVersion"))
                .toString());
    return t;
}

} // namespace

class TestListWatch : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Test::TestPki m_pki;
    std::unique_ptr<FakeKubeApiServer> m_server;

    KubeClient *client(const QByteArray &kubeconfig, QObject *parent)
    {
        return Test::kubeClientFor(kubeconfig, m_dir.filePath(QStringLiteral("kubeconfig")), parent);
    }

    KubeClient *tokenClient(QObject *parent)
    {
        return client(m_server->kubeconfigWithToken(FakeKubeApiServer::defaultToken()), parent);
    }

    // A ListWatch tuned for tests: small pages, short backoff, fast watchdog.
    ListWatch *listWatch(KubeClient *c, QObject *parent)
    {
        auto *lw = new ListWatch(c, QStringLiteral("/api/v1/nodes"), parent);
        lw->setPageSize(2);
        lw->setBackoff(20, 200, 60000);
        lw->setWatchdogIntervalMs(100);
        lw->setRandomSeed(7);
        return lw;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_pki = Test::TestPki::generate(m_dir.filePath(QStringLiteral("pki")), &error);
        QVERIFY2(m_pki.isValid(), qPrintable(error));
    }

    void init()
    {
        m_server = std::make_unique<FakeKubeApiServer>(m_pki);
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        m_server->setBookmarkInterval(0);
    }

    void cleanup() { m_server.reset(); }

    void getOverTlsWithTokenAndCertificate()
    {
        m_server->seedNodes(3);
        QObject owner;
        KubeClient *byToken = tokenClient(&owner);
        QVERIFY(byToken);
        KubeCall *call = byToken->get(QStringLiteral("/api/v1/nodes/rpi-01"));
        QSignalSpy done(call, &KubeCall::finished);
        QVERIFY(done.wait(10000));
        QVERIFY2(call->ok(), qPrintable(call->error().toString()));
        QCOMPARE(call->json().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("rpi-01"));
        QCOMPARE(m_server->lastRequest(FakeKubeApiServer::Get).header("Authorization"),
            "Bearer " + FakeKubeApiServer::defaultToken());

        KubeClient *byCert
            = client(m_server->kubeconfigWithClientCertificate(m_pki.clientCertPem, m_pki.clientKeyPem), &owner);
        QVERIFY(byCert);
        call = byCert->get(QStringLiteral("/api/v1/nodes/rpi-99"));
        QSignalSpy done2(call, &KubeCall::finished);
        QVERIFY(done2.wait(10000));
        QCOMPARE(call->error().httpStatus, 404);
        QCOMPARE(call->error().reason, QStringLiteral("NotFound"));
        QCOMPARE(m_server->lastRequest(FakeKubeApiServer::Get).user, Test::TestPki::clientCommonName());

        // A server whose CA we do not trust: a TLS error, not an answer.
        QByteArray wrongCa = m_server->kubeconfigWithToken(FakeKubeApiServer::defaultToken());
        const QByteArray ours = m_pki.caCertPem.toBase64();
        QVERIFY(wrongCa.contains(ours));
        wrongCa.replace(ours, m_pki.strangerCertPem.toBase64());
        KubeClient *untrusting = client(wrongCa, &owner);
        QVERIFY(untrusting);
        call = untrusting->get(QStringLiteral("/api/v1/nodes"));
        QSignalSpy done3(call, &KubeCall::finished);
        QVERIFY(done3.wait(10000));
        QCOMPARE(call->error().kind, Core::Error::Kind::Network);
    }

    // The fake speaks HTTP/1.1, as an API server behind an HTTP/1.1 proxy
    // does: Qt allows six connections per host and manager, so watches
    // sharing the calls' manager would starve every later request.
    void callsAreNotQueuedBehindManyWatches()
    {
        m_server->seedNodes(2);
        QObject owner;
        KubeClient *c = tokenClient(&owner);
        QList<ListWatch *> watches;
        for (int i = 0; i < 9; ++i) {
            watches << listWatch(c, &owner);
            watches.last()->start();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->activeWatchCount(), 9, 10000);
        // The server counts a watch when its request arrives; the client is
        // Live once it has read the response headers, a moment later.
        const auto allLive = [&watches] {
            return std::all_of(watches.cbegin(), watches.cend(),
                [](const ListWatch *w) { return w->status().state == ConnectionStatus::Live; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(allLive(), 10000);

        KubeCall *call = c->get(QStringLiteral("/api/v1/nodes/rpi-01"));
        QSignalSpy done(call, &KubeCall::finished);
        QVERIFY(done.wait(5000));
    }

    // tls-server-name is the name the certificate must carry, whatever host
    // the URL names: "localhost" is in the fake's certificate, the other is not.
    void tlsServerName()
    {
        m_server->seedNodes(1);
        QObject owner;
        for (const auto &[name, ok] :
            { std::pair { QByteArray("localhost"), true }, std::pair { QByteArray("pi.example"), false } }) {
            QByteArray config = m_server->kubeconfigWithToken(FakeKubeApiServer::defaultToken());
            config.replace(QByteArray("    certificate-authority-data:"),
                QByteArray("    tls-server-name: " + name + "\n    certificate-authority-data:"));
            QVERIFY(config.contains("tls-server-name"));
            KubeClient *c = client(config, &owner);
            QVERIFY(c);
            QCOMPARE(c->connection().peerVerifyName, QString::fromUtf8(name));
            KubeCall *call = c->get(QStringLiteral("/api/v1/nodes"));
            QSignalSpy done(call, &KubeCall::finished);
            QVERIFY(done.wait(10000));
            QVERIFY2(call->ok() == ok, qPrintable(QString::fromUtf8(name) + u": " + call->error().toString()));
            if (!ok)
                QCOMPARE(call->error().kind, Core::Error::Kind::Network);
        }
    }

    void listPagesThenWatch()
    {
        m_server->seedNodes(5);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        QSignalSpy synced(lw, &ListWatch::synced);
        lw->start();
        QVERIFY(synced.wait(10000));
        QCOMPARE(consumer.versions, truth(*m_server));
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::List), 3); // 2 + 2 + 1
        const auto lists = m_server->requests();
        int continued = 0;
        for (const auto &r : lists)
            if (r.kind == FakeKubeApiServer::List) {
                QCOMPARE(r.queryValue(QStringLiteral("limit")), QStringLiteral("2"));
                continued += r.hasQuery(QStringLiteral("continue"));
            }
        QCOMPARE(continued, 2);

        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        const auto w = m_server->lastRequest(FakeKubeApiServer::Watch);
        QCOMPARE(w.queryValue(QStringLiteral("resourceVersion")), QString::fromUtf8(m_server->resourceVersion()));
        QCOMPARE(w.queryValue(QStringLiteral("allowWatchBookmarks")), QStringLiteral("true"));
        const int timeout = w.queryValue(QStringLiteral("timeoutSeconds")).toInt();
        QVERIFY2(timeout >= 300 && timeout <= 600, qPrintable(QString::number(timeout)));

        QVERIFY(m_server->setReady(QStringLiteral("rpi-02"), QStringLiteral("False")));
        QVERIFY(m_server->addNode(FakeKubeApiServer::makeNode(QStringLiteral("rpi-06"))));
        QVERIFY(m_server->deleteNode(QStringLiteral("rpi-01")));
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QCOMPARE(consumer.inconsistent, 0);
        QCOMPARE(consumer.events, 5 + 3);
        QCOMPARE(lw->objects().size(), 5);
    }

    void eventsSplitAcrossChunks()
    {
        m_server->seedNodes(3);
        FakeKubeApiServer::WatchFault split;
        split.chunkSizes = { 7, 1, 900, 2, 1700 };
        split.eventsPerChunk = 3;
        split.chunkIntervalMs = 1;
        m_server->injectWatchFault(split, 5);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        for (int i = 0; i < 12; ++i)
            QVERIFY(m_server->setCondition(QStringLiteral("rpi-0%1").arg(i % 3 + 1), QStringLiteral("DiskPressure"),
                i % 2 ? QStringLiteral("True") : QStringLiteral("False"), QStringLiteral("Step%1").arg(i)));
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QCOMPARE(consumer.inconsistent, 0);
        QCOMPARE(lw->watchCount(), 1); // no parse error, no reconnect
    }

    void droppedStreamReconnects()
    {
        m_server->seedNodes(3);
        FakeKubeApiServer::WatchFault drop;
        drop.dropAfterEvents = 1;
        drop.dropMidLine = true;
        m_server->injectWatchFault(drop, 2);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        for (int i = 0; i < 6; ++i) {
            QVERIFY(m_server->setUnschedulable(QStringLiteral("rpi-02"), i % 2 == 0));
            // One change at a time: seen, or the stream it was on was dropped.
            QTRY_VERIFY_WITH_TIMEOUT(
                consumer.versions == truth(*m_server) || lw->status().state != ConnectionStatus::Live, 10000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        QCOMPARE(consumer.inconsistent, 0);
        QVERIFY(lw->watchCount() >= 3);
    }

    void expiredWatchRelists_data()
    {
        QTest::addColumn<bool>("asHttpError");
        QTest::newRow("ERROR event") << false;
        QTest::newRow("HTTP 410") << true;
    }

    void expiredWatchRelists()
    {
        QFETCH(bool, asHttpError);
        m_server->seedNodes(4);
        m_server->setWatchExpiredAsHttpError(asHttpError);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        QSignalSpy synced(lw, &ListWatch::synced);
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);

        // The next watch is dropped before it says anything; meanwhile a node
        // goes and history is compacted: only a relist can show the deletion.
        FakeKubeApiServer::WatchFault drop;
        drop.dropAfterEvents = 0;
        m_server->injectWatchFault(drop, 1);
        m_server->dropConnections();
        QVERIFY(m_server->deleteNode(QStringLiteral("rpi-03")));
        QVERIFY(m_server->setReady(QStringLiteral("rpi-04"), QStringLiteral("Unknown")));
        m_server->compactHistory();
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QCOMPARE(consumer.inconsistent, 0);
        QVERIFY(synced.count() >= 2);
        QVERIFY(lw->listCount() >= 2);
        QVERIFY(!consumer.versions.contains(QStringLiteral("rpi-03")));
    }

    void throttledWatchWaitsRetryAfter()
    {
        m_server->seedNodes(2);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        QSignalSpy synced(lw, &ListWatch::synced);
        m_server->injectFault(FakeKubeApiServer::Watch, FakeKubeApiServer::Fault::tooManyRequests(1), 1);
        QElapsedTimer clock;
        clock.start();
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Reconnecting, 10000);
        QVERIFY(lw->status().reason.contains(QStringLiteral("429")));
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        QVERIFY2(clock.elapsed() >= 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::List), 1); // re-watched, no relist
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::Watch), 2);
    }

    void serverErrorsBackOff()
    {
        m_server->seedNodes(2);
        m_server->injectFault(FakeKubeApiServer::List, FakeKubeApiServer::Fault::internalError(), 3);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        QList<ConnectionStatus> states;
        connect(lw, &ListWatch::statusChanged, &owner, [&](const ConnectionStatus &s) { states << s; });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::List), 4);
        bool sawReconnecting = false;
        for (const ConnectionStatus &s : states)
            if (s.state == ConnectionStatus::Reconnecting) {
                sawReconnecting = true;
                QVERIFY(s.reason.contains(QStringLiteral("500")));
                QVERIFY(s.since.isValid());
            }
        QVERIFY(sawReconnecting);
        QCOMPARE(lw->status().attempt, 0);
        QCOMPARE(lw->objects().size(), 2);
    }

    void stalledStreamIsDropped()
    {
        m_server->seedNodes(2);
        FakeKubeApiServer::WatchFault stall;
        stall.stall = true;
        m_server->injectWatchFault(stall, 1);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        lw->setWatchTimeoutRange(1, 1);
        lw->setSilenceGraceMs(300);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        QVERIFY(m_server->setReady(QStringLiteral("rpi-01"), QStringLiteral("False")));
        // The stalled stream never delivers it; the watchdog must notice.
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QVERIFY(lw->watchCount() >= 2);
    }

    void rotatedTokenFileIsReadAgain()
    {
        m_server->seedNodes(2);
        const QString tokenFile = m_dir.filePath(QStringLiteral("token"));
        auto writeToken = [&](const QByteArray &t) {
            QFile f(tokenFile);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(t);
        };
        writeToken("first-token");
        m_server->setToken("first-token");
        QByteArray kubeconfig = m_server->kubeconfigWithToken("unused");
        kubeconfig.replace(QByteArray("token: \"unused\""), QByteArray(QByteArray("tokenFile: ") + tokenFile.toUtf8()));
        QVERIFY2(kubeconfig.contains("tokenFile"), kubeconfig.constData());
        QObject owner;
        KubeClient *c = client(kubeconfig, &owner);
        QVERIFY(c);
        ListWatch *lw = listWatch(c, &owner);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);

        // The token rotates on disk and on the server; the watch breaks.
        writeToken("second-token");
        m_server->setToken("second-token");
        m_server->dropConnections();
        QVERIFY(m_server->setReady(QStringLiteral("rpi-02"), QStringLiteral("False")));
        QTRY_COMPARE_WITH_TIMEOUT(consumer.versions, truth(*m_server), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
        QCOMPARE(
            m_server->lastRequest(FakeKubeApiServer::Watch).header("Authorization"), QByteArray("Bearer second-token"));
    }

    void forbiddenIsFailed()
    {
        m_server->setForbidden(FakeKubeApiServer::List);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Failed, 10000);
        QVERIFY(lw->status().reason.contains(QStringLiteral("403")));
        m_server->setForbidden({});
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);
    }

    // Hundreds of random faults while nodes change: after each one the
    // consumer must come back to exactly the server's nodes, and it never
    // sees an event that contradicts what it had.
    void convergesUnderRandomFaults()
    {
        m_server->seedNodes(20);
        m_server->setHistoryLimit(40);
        m_server->setBookmarkInterval(50);
        QObject owner;
        ListWatch *lw = listWatch(tokenClient(&owner), &owner);
        lw->setPageSize(7);
        lw->setBackoff(1, 10, 60000);
        lw->setSilenceGraceMs(200);
        Consumer consumer;
        connect(lw, &ListWatch::eventsReady, &owner, [&](const WatchEvents &b) { consumer.apply(b); });
        lw->start();
        QTRY_COMPARE_WITH_TIMEOUT(lw->status().state, ConnectionStatus::Live, 10000);

        QRandomGenerator random(20261123);
        int next = 21;
        auto change = [&] {
            const QStringList names = m_server->nodeNames();
            const QString someone = names.isEmpty() ? QString() : names.at(int(random.bounded(quint32(names.size()))));
            switch (random.bounded(6)) {
            case 0:
                m_server->addNode(FakeKubeApiServer::makeNode(QStringLiteral("rpi-%1").arg(next++)));
                break;
            case 1:
                if (!someone.isEmpty())
                    m_server->deleteNode(someone);
                break;
            case 2:
            case 3:
                if (!someone.isEmpty())
                    m_server->setReady(someone,
                        QStringList { QStringLiteral("True"), QStringLiteral("False"), QStringLiteral("Unknown") }.at(
                            int(random.bounded(3))));
                break;
            default:
                if (!someone.isEmpty())
                    m_server->setUnschedulable(someone, random.bounded(2));
                break;
            }
        };

        const int rounds = 200;
        const int before = m_server->requestCount(FakeKubeApiServer::List | FakeKubeApiServer::Watch);
        for (int round = 0; round < rounds; ++round) {
            for (int i = int(random.bounded(1, 4)); i > 0; --i)
                change();
            switch (random.bounded(7)) {
            case 0: { // the stream breaks, perhaps mid-line
                FakeKubeApiServer::WatchFault f;
                f.dropAfterEvents = int(random.bounded(3));
                f.dropMidLine = random.bounded(2);
                m_server->injectWatchFault(f);
                m_server->closeWatches();
                break;
            }
            case 1: { // events cut anywhere
                FakeKubeApiServer::WatchFault f;
                f.chunkSizes = { int(random.bounded(1, 40)), int(random.bounded(1, 5)) };
                f.eventsPerChunk = int(random.bounded(1, 4));
                m_server->injectWatchFault(f);
                m_server->closeWatches();
                break;
            }
            case 2: // history compacted while disconnected: only a relist shows the changes
                m_server->dropConnections();
                change();
                m_server->compactHistory();
                break;
            case 3:
                m_server->injectFault(random.bounded(2) ? FakeKubeApiServer::Watch : FakeKubeApiServer::List,
                    random.bounded(2) ? FakeKubeApiServer::Fault::internalError()
                                      : FakeKubeApiServer::Fault::tooManyRequests(0));
                m_server->dropConnections();
                break;
            case 4:
                m_server->injectFault(
                    FakeKubeApiServer::List | FakeKubeApiServer::Watch, FakeKubeApiServer::Fault::drop());
                m_server->dropConnections();
                break;
            case 5:
                m_server->closeWatches();
                break;
            case 6:
                m_server->dropConnections();
                break;
            }
            change();
            QTRY_VERIFY2_WITH_TIMEOUT(
                consumer.versions == truth(*m_server), qPrintable(QStringLiteral("round %1").arg(round)), 5000);
            QCOMPARE(consumer.inconsistent, 0);
        }
        QCOMPARE(lw->objects().size(), m_server->nodeCount());
        const int requests = m_server->requestCount(FakeKubeApiServer::List | FakeKubeApiServer::Watch) - before;
        qInfo("%d rounds of faults: %d lists, %d watches, %d list/watch requests, %d events", rounds, lw->listCount(),
            lw->watchCount(), requests, consumer.events);
        QVERIFY(lw->watchCount() >= rounds / 2);
    }
};

QTEST_GUILESS_MAIN(TestListWatch)
#include "tst_listwatch.moc"
