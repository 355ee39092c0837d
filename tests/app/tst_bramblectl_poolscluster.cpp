// bramblectl pools against the fake API server: the JSON scripts read
// (field names and types as the issue spells them), the table, apply with
// and without --dry-run, a webhook's denial, migration of a legacy
// ConfigMap, and an unreachable cluster.

#include "fakes/fakekubefixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Bramble;
using Test::FakeKubeApiServer;

namespace {

using Run = Test::CliRun;
using Test::objectNamed;

} // namespace

class TestBramblectlPoolsCluster : public QObject {
    Q_OBJECT

private:
    Test::FakeKubeFixture m_kube;
    FakeKubeApiServer *m_server = nullptr;

    Run run(const QStringList &args) const { return m_kube.runBramblectl(args); }

    QString file(const QString &name, const QByteArray &content) const
    {
        return Test::writeFile(m_kube.filePath(name), content);
    }

    void putService(
        const QString &ns, const QString &name, const QStringList &ips, const QMap<QString, QString> &annotations = {})
    {
        QVERIFY(m_server->putObject(
            QStringLiteral("services"), FakeKubeApiServer::makeLoadBalancerService(ns, name, ips, annotations)));
    }

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
        m_server->seedNodes(3);
        QVERIFY(m_server->putObject(QStringLiteral("ipaddresspools"),
            FakeKubeApiServer::makeIpAddressPool(
                QStringLiteral("lan-pool"), { QStringLiteral("192.168.1.240 - 192.168.1.250") })));
        QVERIFY(m_server->putObject(QStringLiteral("ipaddresspools"),
            FakeKubeApiServer::makeIpAddressPool(
                QStringLiteral("reserved"), { QStringLiteral("192.168.1.200/29") }, false, true)));
        QVERIFY(m_server->putObject(QStringLiteral("l2advertisements"),
            FakeKubeApiServer::makeL2Advertisement(QStringLiteral("lan"), { QStringLiteral("lan-pool") })));
        const QMap<QString, QString> shared { { QStringLiteral("metallb.universe.tf/allow-shared-ip"),
            QStringLiteral("pihole") } };
        putService(QStringLiteral("ingress-nginx"), QStringLiteral("ingress-nginx-controller"),
            { QStringLiteral("192.168.1.240") },
            { { QStringLiteral("metallb.io/ip-allocated-from-pool"), QStringLiteral("lan-pool") } });
        putService(QStringLiteral("home"), QStringLiteral("pihole-tcp"), { QStringLiteral("192.168.1.243") }, shared);
        putService(QStringLiteral("home"), QStringLiteral("pihole-udp"), { QStringLiteral("192.168.1.243") }, shared);
        putService(QStringLiteral("default"), QStringLiteral("stray"), { QStringLiteral("192.168.1.99") });
        putService(QStringLiteral("default"), QStringLiteral("waiting"), {},
            { { QStringLiteral("metallb.universe.tf/address-pool"), QStringLiteral("gone") } });
    }

    void cleanup()
    {
        m_kube.stop();
        m_server = nullptr;
    }

    void json()
    {
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("--json") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject doc = r.object();
        QVERIFY2(!doc.isEmpty(), r.out.constData());

        const QJsonArray pools = doc.value(u"pools").toArray();
        QCOMPARE(pools.size(), 2);
        const QJsonObject lan = objectNamed(pools, QStringLiteral("lan-pool"));
        QCOMPARE(lan.value(u"source").toString(), QStringLiteral("crd"));
        QCOMPARE(lan.value(u"protocol").toString(), QStringLiteral("layer2"));
        QCOMPARE(lan.value(u"addresses").toArray(), QJsonArray { QStringLiteral("192.168.1.240 - 192.168.1.250") });
        QVERIFY(lan.value(u"total").isDouble());
        QCOMPARE(lan.value(u"total").toInt(), 11);
        QCOMPARE(lan.value(u"used").toInt(), 2); // the shared address counts once
        QCOMPARE(lan.value(u"free").toInt(), 9);
        QCOMPARE(lan.value(u"autoAssign"), QJsonValue(true));
        QCOMPARE(lan.value(u"avoidBuggyIPs"), QJsonValue(false));
        const QJsonArray holders = lan.value(u"services").toArray();
        QCOMPARE(holders.size(), 3);
        const QJsonObject first = holders.first().toObject();
        QCOMPARE(first.value(u"namespace").toString(), QStringLiteral("ingress-nginx"));
        QCOMPARE(first.value(u"name").toString(), QStringLiteral("ingress-nginx-controller"));
        QCOMPARE(first.value(u"ip").toString(), QStringLiteral("192.168.1.240"));

        const QJsonObject reserved = objectNamed(pools, QStringLiteral("reserved"));
        QCOMPARE(reserved.value(u"total").toInt(), 8);
        QCOMPARE(reserved.value(u"autoAssign"), QJsonValue(false));
        QCOMPARE(reserved.value(u"avoidBuggyIPs"), QJsonValue(true));
        QCOMPARE(reserved.value(u"protocol").toString(), QStringLiteral("none"));

        const QJsonArray services = doc.value(u"services").toArray();
        QCOMPARE(services.size(), 5);
        const QJsonObject stray = objectNamed(services, QStringLiteral("stray"));
        QCOMPARE(stray.value(u"namespace").toString(), QStringLiteral("default"));
        QCOMPARE(stray.value(u"state").toString(), QStringLiteral("outside-pools"));
        QVERIFY(stray.value(u"pool").isNull());
        QCOMPARE(stray.value(u"ips").toArray(), QJsonArray { QStringLiteral("192.168.1.99") });
        const QJsonObject waiting = objectNamed(services, QStringLiteral("waiting"));
        QCOMPARE(waiting.value(u"state").toString(), QStringLiteral("pending"));
        QCOMPARE(waiting.value(u"ips").toArray(), QJsonArray {});
        QCOMPARE(
            objectNamed(services, QStringLiteral("pihole-udp")).value(u"pool").toString(), QStringLiteral("lan-pool"));

        QStringList codes;
        for (const QJsonValue &p : doc.value(u"problems").toArray()) {
            const QJsonObject o = p.toObject();
            QVERIFY(o.value(u"severity").toString() == u"error" || o.value(u"severity").toString() == u"warning");
            QVERIFY(!o.value(u"message").toString().isEmpty());
            codes << o.value(u"code").toString() + u' ' + o.value(u"subject").toString();
        }
        QVERIFY2(codes.contains(u"ip-outside-pools service/default/stray"), qPrintable(codes.join(u", ")));
        QVERIFY2(codes.contains(u"pending-pool-missing service/default/waiting"), qPrintable(codes.join(u", ")));
        QVERIFY2(codes.contains(u"pool-not-advertised pool/reserved"), qPrintable(codes.join(u", ")));
        QVERIFY2(!codes.join(u' ').contains(u"shared-ip-without-key"), qPrintable(codes.join(u", ")));
    }

    void table()
    {
        const Run r = run({ QStringLiteral("pools") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY2(lines.first().startsWith("NAME "), r.out.constData());
        QVERIFY(r.out.contains("lan-pool "));
        QVERIFY(r.out.contains("192.168.1.240 - 192.168.1.250"));
        QVERIFY(r.out.contains("NAMESPACE "));
        QVERIFY(r.out.contains("<pending>"));
        QVERIFY(r.out.contains("ip-outside-pools"));
    }

    void applyDryRunThenApply()
    {
        const QString path = file(QStringLiteral("wider.yaml"),
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: lan-pool\n"
            "  namespace: metallb-system\nspec:\n  addresses:\n  - 192.168.1.230-192.168.1.250\n---\n"
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: guests\n"
            "  namespace: metallb-system\nspec:\n  addresses:\n  - 192.168.2.0/28\n");
        Run r = run({ QStringLiteral("pools"), QStringLiteral("apply"), path, QStringLiteral("--dry-run") });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out,
            QByteArray("ipaddresspool.metallb.io/lan-pool configured (server dry run)\n"
                       "ipaddresspool.metallb.io/guests created (server dry run)\n"));
        QVERIFY(
            m_server
                ->object(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), QStringLiteral("guests"))
                .isEmpty());

        r = run({ QStringLiteral("pools"), QStringLiteral("apply"), path });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.out,
            QByteArray("ipaddresspool.metallb.io/lan-pool configured\nipaddresspool.metallb.io/guests created\n"));
        QCOMPARE(
            m_server
                ->object(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), QStringLiteral("lan-pool"))
                .value(u"spec")
                .toObject()
                .value(u"addresses")
                .toArray(),
            QJsonArray { QStringLiteral("192.168.1.230-192.168.1.250") });
    }

    void applyRefusedByTheWebhookExitsOne()
    {
        m_server->setAdmission([](const QString &, const QJsonObject &o, bool) {
            return o.value(u"metadata").toObject().value(u"name").toString() == u"whole-lan"
                ? QStringLiteral("CIDR \"192.168.1.0/24\" overlaps with already defined CIDR \"192.168.1.200/29\"")
                : QString();
        });
        const QString path = file(QStringLiteral("overlap.yaml"),
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: whole-lan\n"
            "  namespace: metallb-system\nspec:\n  addresses:\n  - 192.168.1.0/24\n");
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("apply"), path, QStringLiteral("--dry-run") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("ipaddresspool.metallb.io/whole-lan: admission webhook"), r.err.constData());
        QVERIFY2(r.err.contains("denied the request: CIDR \"192.168.1.0/24\" overlaps"), r.err.constData());
    }

    void applyValidatesLocallyFirst()
    {
        const QString path = file(QStringLiteral("broken.yaml"),
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: broken\n"
            "  namespace: metallb-system\nspec:\n  addresses:\n  - 192.168.1.250-192.168.1.240\n");
        const int patches = m_server->requestCount(FakeKubeApiServer::Patch);
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("apply"), path });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("broken.yaml:"), r.err.constData());
        QVERIFY2(r.err.contains("pool \"broken\""), r.err.constData());
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::Patch), patches);

        const QString legacy = file(QStringLiteral("legacy.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: metallb-system\n"
            "data:\n  config: |\n    address-pools:\n    - name: old\n      protocol: layer2\n"
            "      addresses:\n      - 10.1.0.0/24\n");
        const Run l = run({ QStringLiteral("pools"), QStringLiteral("apply"), legacy });
        QCOMPARE(l.exitCode, 1);
        QVERIFY2(l.err.contains("pools migrate"), l.err.constData());

        const Run m = run({ QStringLiteral("pools"), QStringLiteral("migrate"), legacy });
        QVERIFY2(m.exitCode == 0, qPrintable(m.describe()));
        QVERIFY2(m.out.contains("kind: IPAddressPool\nmetadata:\n  name: old\n  namespace: metallb-system\n"),
            m.out.constData());
        QVERIFY(m.out.contains("kind: L2Advertisement"));
    }

    void usage()
    {
        QCOMPARE(run({ QStringLiteral("pools"), QStringLiteral("apply") }).exitCode, 2);
        QCOMPARE(run({ QStringLiteral("pools"), QStringLiteral("frobnicate") }).exitCode, 2);
        const Run missing
            = run({ QStringLiteral("pools"), QStringLiteral("apply"), m_kube.filePath(QStringLiteral("nope.yaml")) });
        QCOMPARE(missing.exitCode, 1);
    }

    void unreachable()
    {
        m_kube.stop();
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith("bramblectl: "), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBramblectlPoolsCluster)
#include "tst_bramblectl_poolscluster.moc"
