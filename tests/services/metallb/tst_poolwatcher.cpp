// PoolWatcher and PoolApplyJob against the fake API server: the report
// follows the cluster live, a cluster without the metallb.io API is read
// from its ConfigMap, and applying goes through a server-side dry run first.

#include "fakes/fakekubeapiserver.h"
#include "fakes/fakekubeclient.h"
#include "fakes/fakekubefixture.h"
#include "metallb/poolapply.h"
#include "metallb/poolwatcher.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;
using namespace Bramble::MetalLB;
using Test::FakeKubeApiServer;

namespace {

const QString kLan = QStringLiteral("lan-pool");

QMap<QString, QString> allocatedFrom(const QString &pool)
{
    return { { QStringLiteral("metallb.io/ip-allocated-from-pool"), pool } };
}

} // namespace

class TestPoolWatcher : public QObject {
    Q_OBJECT

private:
    Test::FakeKubeFixture m_kube;
    FakeKubeApiServer *m_server = nullptr;

    Kube::KubeClient *client(QObject *parent)
    {
        return Test::kubeClientFor(
            m_server->kubeconfigWithToken(FakeKubeApiServer::defaultToken()), m_kube.kubeconfigPath(), parent);
    }

    static QList<ApplyResult> runJob(Kube::KubeClient *c, const QList<QJsonObject> &objects, bool dryRun)
    {
        PoolApplyJob *job = PoolApplyJob::start(c, objects, dryRun);
        QList<ApplyResult> results;
        QSignalSpy finished(job, &PoolApplyJob::finished);
        QObject::connect(job, &PoolApplyJob::finished, job, [&] { results = job->results(); });
        if (!finished.wait(10000))
            qWarning("the apply job did not finish");
        return results;
    }

    static QString states(const AllocationReport &r)
    {
        QStringList out;
        for (const ServiceState &s : r.services)
            out << QStringLiteral("%1/%2=%3").arg(s.namespace_, s.name, ServiceState::stateName(s.state));
        return out.join(u' ');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_kube.generatePki(&error), qPrintable(error));
    }

    void init()
    {
        QString error;
        m_server = m_kube.start(&error);
        QVERIFY2(m_server, qPrintable(error));
        m_server->seedNodes(3);
    }

    void cleanup()
    {
        m_kube.stop();
        m_server = nullptr;
    }

    void reportFollowsTheCluster()
    {
        QVERIFY(m_server->putObject(QStringLiteral("ipaddresspools"),
            FakeKubeApiServer::makeIpAddressPool(kLan, { QStringLiteral("192.168.1.240-192.168.1.250") })));
        QVERIFY(m_server->putObject(QStringLiteral("l2advertisements"),
            FakeKubeApiServer::makeL2Advertisement(QStringLiteral("lan"), { kLan })));
        QVERIFY(m_server->putObject(QStringLiteral("services"),
            FakeKubeApiServer::makeLoadBalancerService(QStringLiteral("ingress-nginx"),
                QStringLiteral("ingress-nginx-controller"), { QStringLiteral("192.168.1.240") }, allocatedFrom(kLan))));
        QVERIFY(m_server->putObject(QStringLiteral("services"),
            FakeKubeApiServer::makeLoadBalancerService(QStringLiteral("default"), QStringLiteral("waiting"), {})));

        QObject owner;
        Kube::KubeClient *c = client(&owner);
        QVERIFY(c);
        PoolWatcher watcher(c);
        watcher.setBatchIntervalMs(10);
        QSignalSpy synced(&watcher, &PoolWatcher::synced);
        watcher.start();
        QVERIFY(synced.wait(10000));
        QVERIFY(watcher.isSynced());
        QVERIFY(watcher.hasCrdApi());
        QVERIFY(!watcher.hasLegacyConfigMap());
        QTRY_COMPARE(watcher.status().state, Kube::ConnectionStatus::Live); // the lists end before the watches open

        const PoolUsage *lan = watcher.report().pool(kLan);
        QVERIFY(lan);
        QCOMPARE(lan->total.toString(), QStringLiteral("11"));
        QCOMPARE(lan->used.toString(), QStringLiteral("1"));
        QCOMPARE(lan->protocol, QStringLiteral("layer2"));
        QCOMPARE(states(watcher.report()),
            QStringLiteral("default/waiting=pending ingress-nginx/ingress-nginx-controller=assigned"));
        QCOMPARE(watcher.poolObject(kLan).value(u"spec").toObject().value(u"addresses").toArray().size(), 1);

        // A change reaches the report without a relist.
        const int lists = m_server->requestCount(FakeKubeApiServer::List);
        QSignalSpy changed(&watcher, &PoolWatcher::reportChanged);
        QVERIFY(m_server->putObject(QStringLiteral("services"),
            FakeKubeApiServer::makeLoadBalancerService(
                QStringLiteral("default"), QStringLiteral("waiting"), { QStringLiteral("192.168.1.241") })));
        QTRY_COMPARE_WITH_TIMEOUT(watcher.report().pool(kLan)->used.toString(), QStringLiteral("2"), 10000);
        QVERIFY(changed.size() >= 1);

        // The pool goes: its services now hold addresses outside every pool.
        QVERIFY(m_server->deleteObject(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), kLan));
        QTRY_COMPARE_WITH_TIMEOUT(states(watcher.report()),
            QStringLiteral("default/waiting=outside-pools ingress-nginx/ingress-nginx-controller=outside-pools"),
            10000);
        QCOMPARE(m_server->requestCount(FakeKubeApiServer::List), lists);
        QVERIFY(watcher.poolObject(kLan).isEmpty());
        watcher.stop();
        QCOMPARE(watcher.status().state, Kube::ConnectionStatus::Idle);
    }

    // MetalLB before 0.13 (or none): no metallb.io API, so the ConfigMap is
    // the whole configuration and nothing is reported failing.
    void clusterWithoutCrdApi()
    {
        m_server->injectFault(FakeKubeApiServer::Discovery, FakeKubeApiServer::Fault::httpStatus(404));
        QVERIFY(m_server->putObject(QStringLiteral("configmaps"),
            FakeKubeApiServer::makeMetalLBConfigMap("address-pools:\n- name: legacy\n  protocol: layer2\n  addresses:\n"
                                                    "  - 192.168.1.96/28\n")));
        QVERIFY(m_server->putObject(QStringLiteral("ipaddresspools"),
            FakeKubeApiServer::makeIpAddressPool(QStringLiteral("not-served"), { QStringLiteral("10.9.0.0/24") })));
        QObject owner;
        Kube::KubeClient *c = client(&owner);
        PoolWatcher watcher(c);
        QSignalSpy synced(&watcher, &PoolWatcher::synced);
        watcher.start();
        QVERIFY(synced.wait(10000));
        QVERIFY(!watcher.hasCrdApi());
        QVERIFY(watcher.hasLegacyConfigMap());
        QCOMPARE(watcher.report().pools.size(), 1);
        QCOMPARE(watcher.report().pools.first().name, QStringLiteral("legacy"));
        QCOMPARE(watcher.report().pools.first().source, PoolSource::ConfigMap);
        QCOMPARE(watcher.report().pools.first().total.toString(), QStringLiteral("16"));
        QTRY_COMPARE(watcher.status().state, Kube::ConnectionStatus::Live); // the lists end before the watches open
        QVERIFY(MetalLB::migrationYaml(watcher.config()).contains("kind: IPAddressPool\nmetadata:\n  name: legacy\n"));
    }

    void unreachableServerIsReported()
    {
        QObject owner;
        Kube::KubeClient *c = client(&owner);
        m_kube.stop(); // nothing listens there any more
        PoolWatcher watcher(c);
        QSignalSpy status(&watcher, &PoolWatcher::statusChanged);
        watcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(watcher.status().state == Kube::ConnectionStatus::Reconnecting, 10000);
        QVERIFY(!watcher.isSynced());
        QVERIFY(!watcher.status().reason.isEmpty());
        watcher.stop();
    }

    void applyWithDryRunFirst()
    {
        QObject owner;
        Kube::KubeClient *c = client(&owner);
        const QJsonObject pool = FakeKubeApiServer::makeIpAddressPool(kLan, { QStringLiteral("192.168.1.240/29") });

        QList<ApplyResult> r = runJob(c, { pool }, true);
        QCOMPARE(r.size(), 1);
        QVERIFY2(r.first().ok, qPrintable(r.first().message));
        QCOMPARE(r.first().message, QStringLiteral("created"));
        QCOMPARE(
            r.first().toString(true), QStringLiteral("ipaddresspool.metallb.io/lan-pool created (server dry run)"));
        QVERIFY(m_server->object(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), kLan).isEmpty());
        const FakeKubeApiServer::Request dry = m_server->lastRequest(FakeKubeApiServer::Patch);
        QCOMPARE(dry.queryValue(QStringLiteral("dryRun")), QStringLiteral("All"));
        QCOMPARE(dry.queryValue(QStringLiteral("fieldManager")), QStringLiteral("bramble"));
        QCOMPARE(dry.header("content-type"), QByteArray("application/apply-patch+yaml"));

        r = runJob(c, { pool }, false);
        QCOMPARE(r.size(), 1);
        QCOMPARE(r.first().message, QStringLiteral("created"));
        const QJsonObject stored
            = m_server->object(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), kLan);
        QCOMPARE(stored.value(u"spec").toObject().value(u"addresses").toArray(),
            QJsonArray { QStringLiteral("192.168.1.240/29") });
        QVERIFY(!m_server->lastRequest(FakeKubeApiServer::Patch).hasQuery(QStringLiteral("dryRun")));

        QCOMPARE(runJob(c, { pool }, false).value(0).message, QStringLiteral("unchanged"));

        // Edit the stored object's addresses, as the pane does.
        const QJsonObject edited = poolWithAddresses(stored, { QStringLiteral("192.168.1.240-192.168.1.250") });
        QVERIFY(!edited.value(u"metadata").toObject().contains(u"resourceVersion"));
        QVERIFY(!edited.contains(u"status"));
        QCOMPARE(runJob(c, { edited }, false).value(0).message, QStringLiteral("configured"));
        QCOMPARE(m_server->object(QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), kLan)
                     .value(u"spec")
                     .toObject()
                     .value(u"addresses")
                     .toArray(),
            QJsonArray { QStringLiteral("192.168.1.240-192.168.1.250") });

        // MetalLB's webhook says no: the dry run carries its words, nothing changes.
        m_server->setAdmission([](const QString &, const QJsonObject &, bool) {
            return QStringLiteral("CIDR \"192.168.1.0/24\" overlaps with already defined CIDR \"192.168.1.240/29\"");
        });
        const QJsonObject overlapping
            = FakeKubeApiServer::makeIpAddressPool(QStringLiteral("whole-lan"), { QStringLiteral("192.168.1.0/24") });
        const QJsonObject second
            = FakeKubeApiServer::makeIpAddressPool(QStringLiteral("other"), { QStringLiteral("10.0.0.0/30") });
        r = runJob(c, { overlapping, second }, true);
        QCOMPARE(r.size(), 2); // the second is still tried
        QVERIFY(!r.first().ok);
        QVERIFY2(r.first().message.contains(u"denied the request: CIDR \"192.168.1.0/24\" overlaps"),
            qPrintable(r.first().message));
        QVERIFY2(r.first().message.endsWith(u"(HTTP 403)"), qPrintable(r.first().message));
        QVERIFY(!r.first().message.startsWith(u"PATCH"));
        QVERIFY(m_server
                    ->object(
                        QStringLiteral("ipaddresspools"), QStringLiteral("metallb-system"), QStringLiteral("whole-lan"))
                    .isEmpty());
    }

    void readApplyObjectsRefusesWhatItCannotApply()
    {
        QString error;
        QList<QJsonObject> objects = readApplyObjects("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
                                                      "metadata:\n  name: a\nspec:\n  addresses: ['10.0.0.0/24']\n"
                                                      "  autoAssign: false\n---\n"
                                                      "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\n"
                                                      "metadata:\n  name: a\n  namespace: metallb-system\n",
            QStringLiteral("pools.yaml"), &error);
        QCOMPARE(objects.size(), 2);
        QCOMPARE(objects.first().value(u"metadata").toObject().value(u"namespace").toString(),
            QStringLiteral("metallb-system"));
        QCOMPARE(objects.first().value(u"spec").toObject().value(u"autoAssign"), QJsonValue(false));
        QCOMPARE(objects.first().value(u"spec").toObject().value(u"addresses").toArray().first().toString(),
            QStringLiteral("10.0.0.0/24"));

        objects = readApplyObjects("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: "
                                   "metallb-system\ndata:\n  config: |\n    address-pools: []\n",
            QStringLiteral("legacy.yaml"), &error);
        QVERIFY(objects.isEmpty());
        QVERIFY2(error.contains(u"legacy.yaml: document 1: the legacy ConfigMap"), qPrintable(error));
        QVERIFY(error.contains(u"pools migrate"));

        objects = readApplyObjects(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n", QStringLiteral("s.yaml"), &error);
        QVERIFY(objects.isEmpty());
        QVERIFY2(error.contains(u"is not a metallb.io/v1beta1"), qPrintable(error));

        objects = readApplyObjects("a: [b\n", QStringLiteral("bad.yaml"), &error);
        QVERIFY(objects.isEmpty());
        QVERIFY2(error.startsWith(u"bad.yaml:"), qPrintable(error));
    }

    void migrationKeepsWhatTheLegacyPoolSaid()
    {
        PoolConfig legacy;
        AddressPool l2;
        l2.source = PoolSource::ConfigMap;
        l2.name = QStringLiteral("home");
        l2.protocol = QStringLiteral("layer2");
        l2.addresses = { { QStringLiteral("192.168.1.240-192.168.1.250"), 0 } };
        l2.autoAssign = false;
        AddressPool bgp = l2;
        bgp.name = QStringLiteral("routed");
        bgp.protocol = QStringLiteral("bgp");
        bgp.autoAssign = true;
        bgp.avoidBuggyIPs = true;
        LegacyBgpAdvertisement ad;
        ad.aggregationLength = 32;
        ad.localPref = 100;
        ad.communities = { QStringLiteral("64512:1") };
        bgp.bgpAdvertisements = { ad };
        legacy.pools = { l2, bgp };
        const QByteArray yaml = migrationYaml(legacy);
        QString error;
        const QList<QJsonObject> objects = readApplyObjects(yaml, QStringLiteral("migrated.yaml"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(objects.size(), 4);
        QCOMPARE(objects.at(0).value(u"kind").toString(), QStringLiteral("IPAddressPool"));
        QCOMPARE(objects.at(0).value(u"spec").toObject().value(u"autoAssign"), QJsonValue(false));
        QCOMPARE(objects.at(1).value(u"kind").toString(), QStringLiteral("L2Advertisement"));
        QCOMPARE(objects.at(1).value(u"spec").toObject().value(u"ipAddressPools").toArray(),
            QJsonArray { QStringLiteral("home") });
        QCOMPARE(objects.at(2).value(u"spec").toObject().value(u"avoidBuggyIPs"), QJsonValue(true));
        const QJsonObject bgpAd = objects.at(3).value(u"spec").toObject();
        QCOMPARE(objects.at(3).value(u"kind").toString(), QStringLiteral("BGPAdvertisement"));
        QCOMPARE(bgpAd.value(u"aggregationLength").toInt(), 32);
        QCOMPARE(bgpAd.value(u"localPref").toInt(), 100);
        QCOMPARE(bgpAd.value(u"communities").toArray(), QJsonArray { QStringLiteral("64512:1") });
    }
};

QTEST_GUILESS_MAIN(TestPoolWatcher)
#include "tst_poolwatcher.moc"
