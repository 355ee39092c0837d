// bramblectl nodes against the fake API server: the JSON fields and exit
// codes scripts depend on, the live --watch stream (including what a relist
// prints), cordon and uncordon.

#include "fakes/fakekubefixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Bramble;
using Test::FakeKubeApiServer;

namespace {

using Run = Test::CliRun;
using Test::objectNamed;

} // namespace

class TestBramblectlNodes : public QObject {
    Q_OBJECT

private:
    Test::FakeKubeFixture m_kube;
    FakeKubeApiServer *m_server = nullptr;
    QString m_kubeconfig;

    // Runs bramblectl while this thread's event loop serves the fake; the
    // arguments name the kubeconfig themselves (withConfig) when they need one.
    Run run(const QStringList &args) { return m_kube.runBramblectl(args, false); }

    QStringList withConfig(QStringList args) const { return args << QStringLiteral("--kubeconfig") << m_kubeconfig; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(Test::bramblectlPath()));
        QString error;
        QVERIFY2(m_kube.generatePki(&error), qPrintable(error));
    }

    void init()
    {
        QString error;
        m_server = m_kube.start(&error);
        QVERIFY2(m_server, qPrintable(error));
        m_server->seedNodes(5);
        m_kubeconfig = m_kube.kubeconfigPath();
        QVERIFY(!m_kubeconfig.isEmpty());
    }

    void cleanup()
    {
        m_kube.stop();
        m_server = nullptr;
    }

    void json()
    {
        QVERIFY(
            m_server->setReady(QStringLiteral("rpi-02"), QStringLiteral("False"), QStringLiteral("KubeletNotReady")));
        QVERIFY(m_server->setUnschedulable(QStringLiteral("rpi-03"), true));
        QVERIFY(m_server->setReady(QStringLiteral("rpi-04"), QStringLiteral("Unknown")));
        const Run r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("--json") }));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray nodes = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(nodes.size(), 5);
        QCOMPARE(nodes.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("rpi-01"));

        const QJsonObject one = objectNamed(nodes, QStringLiteral("rpi-01"));
        QCOMPARE(one.value(QStringLiteral("ready")).toString(), QStringLiteral("True"));
        QVERIFY(one.value(QStringLiteral("roles")).toArray().contains(QJsonValue(QStringLiteral("control-plane"))));
        QCOMPARE(one.value(QStringLiteral("arch")).toString(), QStringLiteral("arm64"));
        QCOMPARE(one.value(QStringLiteral("kubeletVersion")).toString(), QStringLiteral("v1.32.4"));
        QVERIFY(one.value(QStringLiteral("osImage")).toString().contains(QStringLiteral("Debian")));
        QVERIFY(!one.value(QStringLiteral("internalIP")).toString().isEmpty());
        QCOMPARE(one.value(QStringLiteral("unschedulable")), QJsonValue(false));
        QCOMPARE(one.value(QStringLiteral("conditions")).toObject().value(QStringLiteral("Ready")).toString(),
            QStringLiteral("True"));
        QCOMPARE(one.value(QStringLiteral("conditions")).toObject().value(QStringLiteral("MemoryPressure")).toString(),
            QStringLiteral("False"));
        QCOMPARE(one.value(QStringLiteral("capacity")).toObject().value(QStringLiteral("cpu")).toString(),
            QStringLiteral("4"));
        QVERIFY(one.value(QStringLiteral("allocatable")).toObject().contains(QStringLiteral("memory")));
        QVERIFY(one.value(QStringLiteral("reason")).isString());

        const QJsonObject two = objectNamed(nodes, QStringLiteral("rpi-02"));
        QCOMPARE(two.value(QStringLiteral("ready")).toString(), QStringLiteral("False"));
        QCOMPARE(two.value(QStringLiteral("reason")).toString(), QStringLiteral("KubeletNotReady"));
        QCOMPARE(objectNamed(nodes, QStringLiteral("rpi-03")).value(QStringLiteral("unschedulable")), QJsonValue(true));
        QCOMPARE(objectNamed(nodes, QStringLiteral("rpi-04")).value(QStringLiteral("ready")).toString(),
            QStringLiteral("Unknown"));
    }

    void table()
    {
        QVERIFY(m_server->setUnschedulable(QStringLiteral("rpi-03"), true));
        const Run r = run(withConfig({ QStringLiteral("nodes") }));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 6);
        QVERIFY(lines.at(0).startsWith("NAME "));
        QVERIFY(lines.at(0).contains("STATUS"));
        QVERIFY(lines.at(3).startsWith("rpi-03 "));
        QVERIFY2(lines.at(3).contains("Ready,SchedulingDisabled"), lines.at(3).constData());
    }

    void watchJson()
    {
        QProcess p;
        p.setProcessEnvironment(m_kube.environment());
        QByteArray out;
        connect(&p, &QProcess::readyReadStandardOutput, this, [&] { out += p.readAllStandardOutput(); });
        auto lines = [&] {
            QList<QJsonObject> objects;
            for (const QByteArray &l : out.split('\n'))
                if (!l.trimmed().isEmpty())
                    objects << QJsonDocument::fromJson(l).object();
            return objects;
        };
        p.start(Test::bramblectlPath(),
            withConfig({ QStringLiteral("nodes"), QStringLiteral("--watch"), QStringLiteral("--json") }));
        QTRY_COMPARE_WITH_TIMEOUT(lines().size(), 5, 15000);
        for (const QJsonObject &o : lines()) {
            QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("ADDED"));
            QVERIFY(!o.value(QStringLiteral("node")).toObject().value(QStringLiteral("name")).toString().isEmpty());
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->activeWatchCount(), 1, 10000);

        QVERIFY(m_server->setReady(QStringLiteral("rpi-02"), QStringLiteral("False")));
        QTRY_COMPARE_WITH_TIMEOUT(lines().size(), 6, 10000);
        QCOMPARE(lines().at(5).value(QStringLiteral("type")).toString(), QStringLiteral("MODIFIED"));
        QCOMPARE(lines().at(5).value(QStringLiteral("node")).toObject().value(QStringLiteral("ready")).toString(),
            QStringLiteral("False"));

        // While the watch is down and history is compacted, rpi-5 goes and
        // rpi-9 comes: after the relist, exactly those two lines.
        FakeKubeApiServer::WatchFault refuse;
        refuse.dropAfterEvents = 0;
        m_server->injectWatchFault(refuse, 1);
        m_server->dropConnections();
        QVERIFY(m_server->deleteNode(QStringLiteral("rpi-05")));
        QVERIFY(m_server->addNode(FakeKubeApiServer::makeNode(QStringLiteral("rpi-09"))));
        m_server->compactHistory();
        QTRY_COMPARE_WITH_TIMEOUT(lines().size(), 8, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount(FakeKubeApiServer::List) >= 2, 10000);
        // Nothing more may come: a marker change made now must be the very next line.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->activeWatchCount() > 0, 10000);
        QVERIFY(m_server->setUnschedulable(QStringLiteral("rpi-01"), true));
        QTRY_COMPARE_WITH_TIMEOUT(lines().size(), 9, 10000);
        const QList<QJsonObject> all = lines();
        QCOMPARE(all.at(8).value(QStringLiteral("type")).toString(), QStringLiteral("MODIFIED"));
        QCOMPARE(all.at(8).value(QStringLiteral("node")).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("rpi-01"));
        QSet<QString> tail { all.at(6).value(QStringLiteral("type")).toString() + u' '
                + all.at(6).value(QStringLiteral("node")).toObject().value(QStringLiteral("name")).toString(),
            all.at(7).value(QStringLiteral("type")).toString() + u' '
                + all.at(7).value(QStringLiteral("node")).toObject().value(QStringLiteral("name")).toString() };
        QCOMPARE(tail, (QSet<QString> { QStringLiteral("DELETED rpi-05"), QStringLiteral("ADDED rpi-09") }));

        ::kill(pid_t(p.processId()), SIGTERM);
        QSignalSpy finished(&p, &QProcess::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

    void cordonAndUncordon()
    {
        Run r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("cordon"), QStringLiteral("rpi-02") }));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QByteArray("node/rpi-02 cordoned\n"));
        QCOMPARE(m_server->node(QStringLiteral("rpi-02"))
                     .value(QStringLiteral("spec"))
                     .toObject()
                     .value(QStringLiteral("unschedulable")),
            QJsonValue(true));
        QCOMPARE(m_server->lastRequest(FakeKubeApiServer::Patch).header("Content-Type"),
            QByteArray("application/merge-patch+json"));

        r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("cordon"), QStringLiteral("rpi-02") }));
        QCOMPARE(r.out, QByteArray("node/rpi-02 already cordoned\n"));
        const int patches = m_server->requestCount(FakeKubeApiServer::Patch);
        QCOMPARE(patches, 1);

        r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("uncordon"), QStringLiteral("rpi-02") }));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out, QByteArray("node/rpi-02 uncordoned\n"));
        QVERIFY(!m_server->node(QStringLiteral("rpi-02"))
                     .value(QStringLiteral("spec"))
                     .toObject()
                     .value(QStringLiteral("unschedulable"))
                     .toBool());

        r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("cordon"), QStringLiteral("nope") }));
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QByteArray("bramblectl: node \"nope\" not found\n"));

        m_server->setForbidden(FakeKubeApiServer::Patch);
        r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("cordon"), QStringLiteral("rpi-01") }));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("forbidden"), r.err.constData());
    }

    // kubectl (client-go) waits out a 429's Retry-After and asks again; so do we.
    void throttledListIsRetried()
    {
        m_server->injectFault(FakeKubeApiServer::List, FakeKubeApiServer::Fault::tooManyRequests(1), 1);
        const Run r
            = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("--json"), QStringLiteral("--verbose") }));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 5);
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::List), 2);
        QVERIFY2(r.err.contains("GET /api/v1/nodes: 429"), r.err.constData());
        QVERIFY2(r.err.contains("retrying in 1 s (retry 1 of 10)"), r.err.constData());
    }

    // A kubeconfig that is a device never ends: refused at once, one line naming it.
    void kubeconfigDeviceIsRefusedFast()
    {
        for (const QString &command : { QStringLiteral("contexts"), QStringLiteral("nodes") }) {
            QElapsedTimer clock;
            clock.start();
            const Run r = run({ command, QStringLiteral("--kubeconfig"), QStringLiteral("/dev/zero") });
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("/dev/zero"), r.err.constData());
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(clock.elapsed() < 10000, "took too long");
        }
    }

    void errors()
    {
        Run r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("cordon") }));
        QCOMPARE(r.exitCode, 2);
        r = run(withConfig({ QStringLiteral("nodes"), QStringLiteral("drain"), QStringLiteral("x") }));
        QCOMPARE(r.exitCode, 2);
        r = run(
            { QStringLiteral("nodes"), QStringLiteral("--kubeconfig"), m_kube.filePath(QStringLiteral("missing")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("missing"), r.err.constData());

        m_server->setToken("rotated");
        r = run(withConfig({ QStringLiteral("nodes") }));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("401"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestBramblectlNodes)
#include "tst_bramblectl_nodes.moc"
