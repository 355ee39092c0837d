// Who holds which address: pool counts as MetalLB counts them, service
// states and the reasons a service waits, every problem code, the JSON of
// `bramblectl pools --json`, and reading pools from API objects.

#include "metallb/allocation.h"
#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Bramble::MetalLB;

namespace {

AddressPool crdPool(const QString &name, const QStringList &addresses, const QMap<QString, QString> &labels = {})
{
    AddressPool p;
    p.source = PoolSource::Crd;
    p.name = name;
    p.namespace_ = QStringLiteral("metallb-system");
    p.labels = labels;
    for (const QString &a : addresses)
        p.addresses << AddressText { a, 0 };
    return p;
}

Advertisement advertisement(Advertisement::Kind kind, const QString &name, const QStringList &pools = {},
    const QList<LabelSelector> &selectors = {})
{
    Advertisement ad;
    ad.kind = kind;
    ad.name = name;
    ad.namespace_ = QStringLiteral("metallb-system");
    ad.ipAddressPools = pools;
    ad.poolSelectors = selectors;
    ad.hasPoolSelectors = !selectors.isEmpty();
    return ad;
}

// Pools announced by one L2Advertisement for all of them.
PoolConfig announced(const QList<AddressPool> &pools)
{
    return PoolConfig { pools, { advertisement(Advertisement::L2, QStringLiteral("all")) } };
}

LbService service(const QString &ns, const QString &name, const QStringList &ips, const QString &sharingKey = {})
{
    LbService s;
    s.namespace_ = ns;
    s.name = name;
    s.ingressIps = ips;
    s.sharingKey = sharingKey;
    return s;
}

QStringList codes(const AllocationReport &r)
{
    QStringList out;
    for (const Problem &p : r.problems)
        out << p.code;
    return out;
}

const Problem *find(const AllocationReport &r, const QString &code)
{
    for (const Problem &p : r.problems)
        if (p.code == code)
            return &p;
    return nullptr;
}

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestAllocation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void counting_data()
    {
        QTest::addColumn<QStringList>("addresses");
        QTest::addColumn<bool>("avoidBuggyIPs");
        QTest::addColumn<QString>("total");

        QTest::newRow("/24") << QStringList { QStringLiteral("192.168.1.0/24") } << false << QStringLiteral("256");
        QTest::newRow("/24 avoiding buggy IPs")
            << QStringList { QStringLiteral("192.168.1.0/24") } << true << QStringLiteral("254");
        QTest::newRow("/16 avoiding buggy IPs: two per /24")
            << QStringList { QStringLiteral("10.1.0.0/16") } << true << QStringLiteral("65024");
        QTest::newRow("range") << QStringList { QStringLiteral("192.168.1.240-192.168.1.250") } << false
                               << QStringLiteral("11");
        QTest::newRow("range across a /24 boundary")
            << QStringList { QStringLiteral("192.168.0.250-192.168.1.5") } << false << QStringLiteral("12");
        // .250/31 .252/30 1.0/30 1.4/31: .255 and 1.0 are left out.
        QTest::newRow("range across a /24 boundary avoiding buggy IPs")
            << QStringList { QStringLiteral("192.168.0.250-192.168.1.5") } << true << QStringLiteral("10");
        QTest::newRow("/31 ending in .255")
            << QStringList { QStringLiteral("192.168.1.254/31") } << true << QStringLiteral("1");
        QTest::newRow("/32 of a .0 address")
            << QStringList { QStringLiteral("192.168.1.0/32") } << true << QStringLiteral("0");
        QTest::newRow("IPv6 /124") << QStringList { QStringLiteral("fd00::/124") } << false << QStringLiteral("16");
        QTest::newRow("IPv6 has no buggy IPs")
            << QStringList { QStringLiteral("fd00::/120") } << true << QStringLiteral("256");
        QTest::newRow("IPv6 /64") << QStringList { QStringLiteral("fd00::/64") } << false
                                  << QStringLiteral("18446744073709551616");
        QTest::newRow("all of IPv6") << QStringList { QStringLiteral("::/0") } << false
                                     << QStringLiteral("340282366920938463463374607431768211456");
        QTest::newRow("entries add up, invalid ones skipped") << QStringList { QStringLiteral("10.0.0.0/30"),
            QStringLiteral("10.0.0.0/33"), QStringLiteral("10.0.1.1 - 10.0.1.3"), QStringLiteral("fd00::/126") }
                                                              << false << QStringLiteral("11");
    }

    void counting()
    {
        QFETCH(QStringList, addresses);
        QFETCH(bool, avoidBuggyIPs);
        QFETCH(QString, total);
        AddressPool pool = crdPool(QStringLiteral("p"), addresses);
        pool.avoidBuggyIPs = avoidBuggyIPs;
        const AllocationReport r = analyzeAllocation(announced({ pool }), {}, {}, {});
        QCOMPARE(r.pools.size(), 1);
        QCOMPARE(r.pools.at(0).total.toString(), total);
        QCOMPARE(r.pools.at(0).free.toString(), total);
        QCOMPARE(r.pools.at(0).used, AddressCount {});
        QCOMPARE(r.pools.at(0).addresses, addresses);
    }

    void usedCountsASharedAddressOnce()
    {
        const PoolConfig config = announced({ crdPool(QStringLiteral("home"), { QStringLiteral("10.0.0.0/29") }) });
        const QList<LbService> services { service(QStringLiteral("web"), QStringLiteral("https"),
                                              { QStringLiteral("10.0.0.1") }, QStringLiteral("k")),
            service(QStringLiteral("dns"), QStringLiteral("udp"), { QStringLiteral("10.0.0.2") }),
            service(
                QStringLiteral("web"), QStringLiteral("http"), { QStringLiteral("10.0.0.1") }, QStringLiteral("k")) };
        const AllocationReport r = analyzeAllocation(config, {}, services, {});
        const PoolUsage *home = r.pool(QStringLiteral("home"));
        QVERIFY(home);
        QCOMPARE(home->total, AddressCount::of(8));
        QCOMPARE(home->used, AddressCount::of(2));
        QCOMPARE(home->free, AddressCount::of(6));
        QCOMPARE(home->services.size(), 3);
        // By IP, then namespace/name.
        QCOMPARE(home->services.at(0).name, QStringLiteral("http"));
        QCOMPARE(home->services.at(1).name, QStringLiteral("https"));
        QCOMPARE(home->services.at(2).name, QStringLiteral("udp"));
        QCOMPARE(home->services.at(2).ip, QStringLiteral("10.0.0.2"));
        QCOMPARE(codes(r), QStringList());
        // Services by namespace, name.
        QCOMPARE(r.services.size(), 3);
        QCOMPARE(r.services.at(0).namespace_, QStringLiteral("dns"));
        QCOMPARE(r.services.at(1).name, QStringLiteral("http"));
        QCOMPARE(r.services.at(2).name, QStringLiteral("https"));
        for (const ServiceState &s : r.services) {
            QCOMPARE(s.state, ServiceState::Assigned);
            QCOMPARE(s.pool, QStringLiteral("home"));
        }
        QVERIFY(!r.pool(QStringLiteral("elsewhere")));
    }

    void fullPoolHasNoFreeAddresses()
    {
        const PoolConfig config = announced({ crdPool(QStringLiteral("one"), { QStringLiteral("10.0.0.7/32") }) });
        const AllocationReport r = analyzeAllocation(
            config, {}, { service(QStringLiteral("a"), QStringLiteral("b"), { QStringLiteral("10.0.0.7") }) }, {});
        QCOMPARE(r.pools.at(0).used, AddressCount::of(1));
        QCOMPARE(r.pools.at(0).free, AddressCount {});
    }

    void sharedIpWithoutKey_data()
    {
        QTest::addColumn<QString>("firstKey");
        QTest::addColumn<QString>("secondKey");
        QTest::addColumn<bool>("problem");
        QTest::newRow("same key") << QStringLiteral("k") << QStringLiteral("k") << false;
        QTest::newRow("one without") << QStringLiteral("k") << QString() << true;
        QTest::newRow("neither") << QString() << QString() << true;
        QTest::newRow("different keys") << QStringLiteral("k") << QStringLiteral("j") << true;
    }

    void sharedIpWithoutKey()
    {
        QFETCH(QString, firstKey);
        QFETCH(QString, secondKey);
        QFETCH(bool, problem);
        const PoolConfig config = announced({ crdPool(QStringLiteral("home"), { QStringLiteral("10.0.0.0/29") }) });
        const AllocationReport r = analyzeAllocation(config, {},
            { service(QStringLiteral("web"), QStringLiteral("a"), { QStringLiteral("10.0.0.3") }, firstKey),
                service(QStringLiteral("web"), QStringLiteral("b"), { QStringLiteral("10.0.0.3") }, secondKey) },
            {});
        if (!problem) {
            QCOMPARE(codes(r), QStringList());
            return;
        }
        QCOMPARE(codes(r), QStringList { QStringLiteral("shared-ip-without-key") });
        const Problem &p = r.problems.at(0);
        QCOMPARE(p.severity, Problem::Error);
        QCOMPARE(p.subject, QStringLiteral("ip/10.0.0.3"));
        QCOMPARE(p.message,
            QStringLiteral("web/a and web/b share 10.0.0.3 without the same metallb.io/allow-shared-ip key"));
        QCOMPARE(r.pools.at(0).used, AddressCount::of(1));
    }

    void ipOutsidePools()
    {
        const PoolConfig config = announced({ crdPool(QStringLiteral("home"), { QStringLiteral("10.0.0.0/29") }) });
        const AllocationReport r = analyzeAllocation(config, {},
            { service(QStringLiteral("web"), QStringLiteral("old"), { QStringLiteral("192.168.5.5") }) }, {});
        QCOMPARE(r.services.at(0).state, ServiceState::OutsidePools);
        QCOMPARE(r.services.at(0).pool, QString());
        QCOMPARE(codes(r), QStringList { QStringLiteral("ip-outside-pools") });
        QCOMPARE(r.problems.at(0).severity, Problem::Error);
        QCOMPARE(r.problems.at(0).subject, QStringLiteral("service/web/old"));
        QVERIFY(r.problems.at(0).message.contains(u"192.168.5.5"));
        QCOMPARE(r.pools.at(0).used, AddressCount {});
    }

    void avoidedBuggyAddressIsOutsideThePool()
    {
        AddressPool pool = crdPool(QStringLiteral("home"), { QStringLiteral("10.0.0.0/24") });
        pool.avoidBuggyIPs = true;
        const AllocationReport r = analyzeAllocation(announced({ pool }), {},
            { service(QStringLiteral("a"), QStringLiteral("b"), { QStringLiteral("10.0.0.255") }) }, {});
        QCOMPARE(r.services.at(0).state, ServiceState::OutsidePools);
        QCOMPARE(r.pools.at(0).used, AddressCount {});
    }

    void pendingReasons_data()
    {
        QTest::addColumn<QString>("requestedPool");
        QTest::addColumn<QStringList>("requestedIps");
        QTest::addColumn<bool>("fillPools");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("reason");

        QTest::newRow("missing pool") << QStringLiteral("gold") << QStringList() << false
                                      << QStringLiteral("pending-pool-missing")
                                      << QStringLiteral("requested pool \"gold\" does not exist");
        QTest::newRow("requested IP outside")
            << QString() << QStringList { QStringLiteral("10.0.0.1"), QStringLiteral("172.16.0.1") } << false
            << QStringLiteral("pending-ip-outside-pools")
            << QStringLiteral("requested IP 172.16.0.1 is outside every pool");
        QTest::newRow("requested pool full")
            << QStringLiteral("small") << QStringList() << true << QStringLiteral("pending-pool-exhausted")
            << QStringLiteral("pool \"small\" is exhausted");
        QTest::newRow("every auto-assign pool full")
            << QString() << QStringList() << true << QStringLiteral("pending-pool-exhausted")
            << QStringLiteral("every pool that assigns automatically is exhausted");
        QTest::newRow("nothing known") << QString() << QStringList() << false << QStringLiteral("pending")
                                       << QStringLiteral("waiting for MetalLB to assign an address");
        QTest::newRow("requested pool with room")
            << QStringLiteral("small") << QStringList() << false << QStringLiteral("pending")
            << QStringLiteral("waiting for MetalLB to assign an address");
    }

    void pendingReasons()
    {
        QFETCH(QString, requestedPool);
        QFETCH(QStringList, requestedIps);
        QFETCH(bool, fillPools);
        QFETCH(QString, code);
        QFETCH(QString, reason);
        AddressPool manual = crdPool(QStringLiteral("manual"), { QStringLiteral("10.0.9.0/24") });
        manual.autoAssign = false; // never full, but not automatic
        const PoolConfig config = announced({ crdPool(QStringLiteral("small"), { QStringLiteral("10.0.0.1/32") }),
            crdPool(QStringLiteral("other"), { QStringLiteral("10.0.0.2/32") }), manual });
        LbService waiting = service(QStringLiteral("app"), QStringLiteral("wait"), {});
        waiting.requestedPool = requestedPool;
        waiting.requestedIps = requestedIps;
        QList<LbService> services { waiting };
        if (fillPools)
            services << service(QStringLiteral("app"), QStringLiteral("one"), { QStringLiteral("10.0.0.1") })
                     << service(QStringLiteral("app"), QStringLiteral("two"), { QStringLiteral("10.0.0.2") });
        const AllocationReport r = analyzeAllocation(config, {}, services, {});
        const ServiceState &st = r.services.constLast();
        QCOMPARE(st.name, QStringLiteral("wait"));
        QCOMPARE(st.state, ServiceState::Pending);
        QCOMPARE(st.reason, reason);
        QCOMPARE(st.pool, QString());
        QCOMPARE(codes(r), QStringList { code });
        QCOMPARE(r.problems.at(0).severity, code == u"pending" ? Problem::Warning : Problem::Error);
        QCOMPARE(r.problems.at(0).subject, QStringLiteral("service/app/wait"));
        QCOMPARE(r.problems.at(0).message, QString(QStringLiteral("app/wait is pending: ") + reason));
    }

    void noAutomaticPool()
    {
        AddressPool manual = crdPool(QStringLiteral("manual"), { QStringLiteral("10.0.9.0/24") });
        manual.autoAssign = false;
        const AllocationReport r = analyzeAllocation(
            announced({ manual }), {}, { service(QStringLiteral("a"), QStringLiteral("b"), {}) }, {});
        QCOMPARE(codes(r), QStringList { QStringLiteral("pending-pool-missing") });
    }

    void allocatedFromAnnotation()
    {
        // "wide" overlaps "narrow": the annotation decides.
        const PoolConfig config = announced({ crdPool(QStringLiteral("wide"), { QStringLiteral("10.0.0.0/24") }),
            crdPool(QStringLiteral("narrow"), { QStringLiteral("10.0.0.16/28") }),
            crdPool(QStringLiteral("far"), { QStringLiteral("10.9.0.0/24") }) });
        LbService right = service(QStringLiteral("a"), QStringLiteral("right"), { QStringLiteral("10.0.0.17") });
        right.allocatedPool = QStringLiteral("narrow");
        LbService plain = service(QStringLiteral("a"), QStringLiteral("plain"), { QStringLiteral("10.0.0.18") });
        LbService wrong = service(QStringLiteral("a"), QStringLiteral("wrong"), { QStringLiteral("10.0.0.19") });
        wrong.allocatedPool = QStringLiteral("far");
        LbService gone = service(QStringLiteral("a"), QStringLiteral("gone"), { QStringLiteral("10.0.0.20") });
        gone.allocatedPool = QStringLiteral("deleted");
        const AllocationReport r = analyzeAllocation(config, {}, { right, plain, wrong, gone }, {});
        QCOMPARE(r.services.size(), 4);
        QCOMPARE(r.services.at(0).name, QStringLiteral("gone"));
        QCOMPARE(r.services.at(0).pool, QStringLiteral("wide"));
        QCOMPARE(r.services.at(1).pool, QStringLiteral("wide")); // plain: first pool holding it
        QCOMPARE(r.services.at(2).pool, QStringLiteral("narrow"));
        QCOMPARE(r.services.at(3).pool, QStringLiteral("wide"));
        for (const ServiceState &s : r.services)
            QCOMPARE(s.state, ServiceState::Assigned);
        QCOMPARE(codes(r), (QStringList { QStringLiteral("ip-in-wrong-pool"), QStringLiteral("ip-in-wrong-pool") }));
        QCOMPARE(r.problems.at(0).subject, QStringLiteral("service/a/gone"));
        QCOMPARE(r.problems.at(0).severity, Problem::Warning);
        QCOMPARE(r.problems.at(0).message,
            QStringLiteral("a/gone holds 10.0.0.20, but its ip-allocated-from-pool annotation names pool \"deleted\", "
                           "which does not exist"));
        QCOMPARE(r.problems.at(1).subject, QStringLiteral("service/a/wrong"));
        QVERIFY(r.problems.at(1).message.endsWith(u"names pool \"far\", which does not contain it"));
        // Both overlapping pools count the address.
        QCOMPARE(r.pool(QStringLiteral("wide"))->used, AddressCount::of(4));
        QCOMPARE(r.pool(QStringLiteral("narrow"))->used, AddressCount::of(4));
    }

    void poolOverlapsNodeIp()
    {
        const PoolConfig config = announced({ crdPool(QStringLiteral("home"), { QStringLiteral("192.168.1.0/28") }) });
        const AllocationReport r = analyzeAllocation(config, {}, {},
            { NodeAddress { QStringLiteral("pi1"), QStringLiteral("192.168.1.5") },
                NodeAddress { QStringLiteral("pi2"), QStringLiteral("192.168.1.50") } });
        QCOMPARE(codes(r), QStringList { QStringLiteral("pool-overlaps-node-ip") });
        QCOMPARE(r.problems.at(0).severity, Problem::Error);
        QCOMPARE(r.problems.at(0).subject, QStringLiteral("pool/home"));
        QVERIFY(r.problems.at(0).message.contains(u"pi1"));
        QVERIFY(r.problems.at(0).message.contains(u"192.168.1.5"));
    }

    void advertisementSelection()
    {
        const QMap<QString, QString> cheap { { QStringLiteral("tier"), QStringLiteral("cheap") } };
        const QMap<QString, QString> gold { { QStringLiteral("tier"), QStringLiteral("gold") },
            { QStringLiteral("public"), QStringLiteral("yes") } };
        PoolConfig config { { crdPool(QStringLiteral("byname"), { QStringLiteral("10.0.0.0/30") }),
                                crdPool(QStringLiteral("cheap"), { QStringLiteral("10.0.1.0/30") }, cheap),
                                crdPool(QStringLiteral("gold"), { QStringLiteral("10.0.2.0/30") }, gold),
                                crdPool(QStringLiteral("lonely"), { QStringLiteral("10.0.3.0/30") }),
                                crdPool(QStringLiteral("lonelyused"), { QStringLiteral("10.0.4.0/30") }) },
            {} };
        LabelSelector byLabel;
        byLabel.matchLabels.insert(QStringLiteral("tier"), QStringLiteral("cheap"));
        LabelSelector byExpression;
        byExpression.matchExpressions << LabelSelectorRequirement { QStringLiteral("tier"), QStringLiteral("In"),
            { QStringLiteral("gold"), QStringLiteral("silver") } }
                                      << LabelSelectorRequirement { QStringLiteral("public"), QStringLiteral("Exists"),
                                             {} }
                                      << LabelSelectorRequirement { QStringLiteral("private"),
                                             QStringLiteral("DoesNotExist"), {} }
                                      << LabelSelectorRequirement { QStringLiteral("tier"), QStringLiteral("NotIn"),
                                             { QStringLiteral("cheap") } };
        config.advertisements << advertisement(Advertisement::L2, QStringLiteral("l2"), { QStringLiteral("byname") })
                              << advertisement(Advertisement::L2, QStringLiteral("l2sel"), {}, { byLabel })
                              << advertisement(Advertisement::Bgp, QStringLiteral("bgp"), { QStringLiteral("byname") },
                                     { byExpression });
        const AllocationReport r = analyzeAllocation(
            config, {}, { service(QStringLiteral("a"), QStringLiteral("b"), { QStringLiteral("10.0.4.1") }) }, {});
        QCOMPARE(r.pool(QStringLiteral("byname"))->protocol, QStringLiteral("layer2+bgp"));
        QCOMPARE(r.pool(QStringLiteral("cheap"))->protocol, QStringLiteral("layer2"));
        QCOMPARE(r.pool(QStringLiteral("gold"))->protocol, QStringLiteral("bgp"));
        QCOMPARE(r.pool(QStringLiteral("lonely"))->protocol, QStringLiteral("none"));
        QVERIFY(r.pool(QStringLiteral("gold"))->advertised);
        QVERIFY(!r.pool(QStringLiteral("lonely"))->advertised);
        // Used but never announced is an error, and errors come first.
        QCOMPARE(
            codes(r), (QStringList { QStringLiteral("pool-not-advertised"), QStringLiteral("pool-not-advertised") }));
        QCOMPARE(r.problems.at(0).subject, QStringLiteral("pool/lonelyused"));
        QCOMPARE(r.problems.at(0).severity, Problem::Error);
        QCOMPARE(r.problems.at(1).subject, QStringLiteral("pool/lonely"));
        QCOMPARE(r.problems.at(1).severity, Problem::Warning);

        // An advertisement with neither names nor selectors announces every pool.
        config.advertisements << advertisement(Advertisement::Bgp, QStringLiteral("everything"));
        const AllocationReport all = analyzeAllocation(config, {}, {}, {});
        QCOMPARE(all.pool(QStringLiteral("lonely"))->protocol, QStringLiteral("bgp"));
        QCOMPARE(all.pool(QStringLiteral("cheap"))->protocol, QStringLiteral("layer2+bgp"));
        QCOMPARE(codes(all), QStringList());
    }

    void labelSelectorOperators()
    {
        const QMap<QString, QString> labels { { QStringLiteral("a"), QStringLiteral("1") } };
        const auto req = [](const char *key, const char *op, const QStringList &values = {}) {
            LabelSelector s;
            s.matchExpressions << LabelSelectorRequirement { QString::fromLatin1(key), QString::fromLatin1(op),
                values };
            return s;
        };
        QVERIFY(LabelSelector {}.matches(labels));
        QVERIFY(req("a", "In", { QStringLiteral("1") }).matches(labels));
        QVERIFY(!req("a", "In", { QStringLiteral("2") }).matches(labels));
        QVERIFY(!req("b", "In", { QStringLiteral("1") }).matches(labels));
        QVERIFY(req("b", "NotIn", { QStringLiteral("1") }).matches(labels));
        QVERIFY(!req("a", "NotIn", { QStringLiteral("1") }).matches(labels));
        QVERIFY(req("a", "Exists").matches(labels));
        QVERIFY(!req("b", "Exists").matches(labels));
        QVERIFY(req("b", "DoesNotExist").matches(labels));
        QVERIFY(!req("a", "DoesNotExist").matches(labels));
        QVERIFY(!req("a", "Matches").matches(labels));
        LabelSelector ml;
        ml.matchLabels.insert(QStringLiteral("a"), QString());
        QVERIFY(!ml.matches({})); // an empty value still needs the label
    }

    void legacyConfigMapPools()
    {
        const PoolConfigReadResult read = PoolConfigReader::readYaml("apiVersion: v1\n"
                                                                     "kind: ConfigMap\n"
                                                                     "metadata:\n"
                                                                     "  namespace: metallb-system\n"
                                                                     "  name: config\n"
                                                                     "data:\n"
                                                                     "  config: |\n"
                                                                     "    address-pools:\n"
                                                                     "    - name: routed\n"
                                                                     "      protocol: bgp\n"
                                                                     "      addresses: [10.5.0.0/30]\n",
            QStringLiteral("legacy.yaml"));
        QVERIFY(read.ok());
        const AllocationReport r = analyzeAllocation(read.config, {}, {}, {}); // no advertisements at all
        QCOMPARE(r.pools.size(), 1);
        QCOMPARE(r.pools.at(0).source, PoolSource::ConfigMap);
        QCOMPARE(r.pools.at(0).protocol, QStringLiteral("bgp"));
        QVERIFY(r.pools.at(0).advertised);
        QCOMPARE(r.pools.at(0).total, AddressCount::of(4));
        QCOMPARE(codes(r), QStringList());
        QCOMPARE(r.toJson().value(u"pools").toArray().at(0).toObject().value(u"source").toString(),
            QStringLiteral("configmap"));
    }

    void invalidConfig()
    {
        PoolConfig config = announced({ crdPool(QStringLiteral("bad"), { QStringLiteral("10.0.0.0/33") }) });
        config.pools.first().namespace_.clear();
        const Issues issues = PoolValidator::validate(config)
            + Issues { Issue { Issue::Error, { QStringLiteral("f.yaml"), 1, 3 }, {}, {}, {}, QStringLiteral("nope") } };
        QVERIFY(issues.size() >= 3);
        const AllocationReport r = analyzeAllocation(config, issues, {}, {});
        QCOMPARE(r.problems.size(), issues.size());
        // Errors first, warnings after, each in the issues' order.
        QStringList expectedMessages;
        for (Issue::Severity sev : { Issue::Error, Issue::Warning })
            for (const Issue &i : issues)
                if (i.severity == sev)
                    expectedMessages << i.toString();
        for (int n = 0; n < r.problems.size(); ++n) {
            const Problem &p = r.problems.at(n);
            QCOMPARE(p.code, QStringLiteral("invalid-config"));
            QCOMPARE(p.message, expectedMessages.at(n));
            QCOMPARE(
                p.subject, p.message.contains(u"pool \"bad\"") ? QStringLiteral("pool/bad") : QStringLiteral("config"));
        }
        const Problem *nope = nullptr;
        for (const Problem &p : r.problems)
            if (p.message == u"f.yaml:3: document 1: nope")
                nope = &p;
        QVERIFY(nope);
        QCOMPARE(nope->subject, QStringLiteral("config"));
        QCOMPARE(nope->severity, Problem::Error);
        QCOMPARE(r.problems.constLast().severity, Problem::Warning); // the missing namespace
        QCOMPARE(r.pools.at(0).total, AddressCount {});
    }

    void problemsErrorsFirst()
    {
        // A warning-producing service sorts before an error-producing one by
        // name; the error still comes first.
        const PoolConfig config = announced({ crdPool(QStringLiteral("home"), { QStringLiteral("10.0.0.0/29") }) });
        const AllocationReport r = analyzeAllocation(config, {},
            { service(QStringLiteral("a"), QStringLiteral("waits"), {}),
                service(QStringLiteral("b"), QStringLiteral("outside"), { QStringLiteral("1.1.1.1") }) },
            {});
        QCOMPARE(codes(r), (QStringList { QStringLiteral("ip-outside-pools"), QStringLiteral("pending") }));
    }

    void fromJson()
    {
        const QJsonObject svc
            = parse("{\"metadata\": {\"namespace\": \"web\", \"name\": \"front\", \"annotations\": {"
                    "  \"metallb.io/ip-allocated-from-pool\": \"new\","
                    "  \"metallb.universe.tf/ip-allocated-from-pool\": \"old\","
                    "  \"metallb.universe.tf/address-pool\": \"gold\","
                    "  \"metallb.universe.tf/allow-shared-ip\": \"k\","
                    "  \"metallb.io/loadBalancerIPs\": \"10.0.0.1, fd00::1,\"}},"
                    " \"spec\": {\"type\": \"LoadBalancer\", \"loadBalancerIP\": \"10.0.0.9\","
                    "  \"loadBalancerClass\": \"other\"},"
                    " \"status\": {\"loadBalancer\": {\"ingress\": ["
                    "  {\"ip\": \"10.0.0.1\"}, {\"hostname\": \"lb.example\"}, {\"ip\": \"fd00::1\"}]}}}");
        const auto s = LbService::fromJson(svc);
        QVERIFY(s);
        QCOMPARE(s->namespace_, QStringLiteral("web"));
        QCOMPARE(s->name, QStringLiteral("front"));
        QCOMPARE(s->ingressIps, (QStringList { QStringLiteral("10.0.0.1"), QStringLiteral("fd00::1") }));
        QCOMPARE(s->allocatedPool, QStringLiteral("new"));
        QCOMPARE(s->requestedPool, QStringLiteral("gold"));
        QCOMPARE(s->sharingKey, QStringLiteral("k"));
        QCOMPARE(s->requestedIps, (QStringList { QStringLiteral("10.0.0.1"), QStringLiteral("fd00::1") }));
        QCOMPARE(s->loadBalancerClass, QStringLiteral("other"));

        const auto plain
            = LbService::fromJson(parse("{\"metadata\": {\"namespace\": \"n\", \"name\": \"x\","
                                        " \"annotations\": {\"metallb.io/address-pool\": \"p\","
                                        "  \"metallb.io/allow-shared-ip\": \"s\"}},"
                                        " \"spec\": {\"type\": \"LoadBalancer\", \"loadBalancerIP\": \"10.0.0.9\"}}"));
        QVERIFY(plain);
        QCOMPARE(plain->requestedIps, QStringList { QStringLiteral("10.0.0.9") });
        QCOMPARE(plain->requestedPool, QStringLiteral("p"));
        QCOMPARE(plain->sharingKey, QStringLiteral("s"));
        QCOMPARE(plain->ingressIps, QStringList());
        QCOMPARE(plain->allocatedPool, QString());

        QVERIFY(!LbService::fromJson(parse("{\"spec\": {\"type\": \"ClusterIP\"}}")));
        QVERIFY(!LbService::fromJson(QJsonObject()));
    }

    void otherClassIsNotMetalLBs()
    {
        LbService s = service(QStringLiteral("a"), QStringLiteral("b"), {});
        s.loadBalancerClass = QStringLiteral("example.com/lb");
        LbService t = service(QStringLiteral("a"), QStringLiteral("c"), { QStringLiteral("1.1.1.1") });
        t.loadBalancerClass = QStringLiteral("example.com/lb");
        const AllocationReport r = analyzeAllocation(announced({}), {}, { s, t }, {});
        QCOMPARE(codes(r), QStringList());
        QCOMPARE(r.services.at(0).state, ServiceState::Pending);
        QCOMPARE(r.services.at(1).state, ServiceState::OutsidePools);
    }

    void toJson()
    {
        const PoolConfig config = announced({ crdPool(QStringLiteral("v4"), { QStringLiteral("10.0.0.0/24") }),
            crdPool(QStringLiteral("v6"), { QStringLiteral("fd00::/64") }) });
        LbService held = service(QStringLiteral("web"), QStringLiteral("front"), { QStringLiteral("10.0.0.5") });
        const AllocationReport r
            = analyzeAllocation(config, {}, { held, service(QStringLiteral("web"), QStringLiteral("wait"), {}) }, {});
        const QJsonObject json = parse(QJsonDocument(r.toJson()).toJson());
        QCOMPARE(json.keys(),
            (QStringList { QStringLiteral("pools"), QStringLiteral("problems"), QStringLiteral("services") }));

        const QJsonObject v4 = json.value(u"pools").toArray().at(0).toObject();
        QCOMPARE(v4.keys(),
            (QStringList { QStringLiteral("addresses"), QStringLiteral("autoAssign"), QStringLiteral("avoidBuggyIPs"),
                QStringLiteral("free"), QStringLiteral("name"), QStringLiteral("protocol"), QStringLiteral("services"),
                QStringLiteral("source"), QStringLiteral("total"), QStringLiteral("used") }));
        QCOMPARE(v4.value(u"name").toString(), QStringLiteral("v4"));
        QCOMPARE(v4.value(u"source").toString(), QStringLiteral("crd"));
        QCOMPARE(v4.value(u"protocol").toString(), QStringLiteral("layer2"));
        QVERIFY(v4.value(u"total").isDouble());
        QCOMPARE(v4.value(u"total").toInteger(), 256);
        QCOMPARE(v4.value(u"used").toInteger(), 1);
        QCOMPARE(v4.value(u"free").toInteger(), 255);
        QVERIFY(v4.value(u"autoAssign").isBool());
        QCOMPARE(v4.value(u"autoAssign").toBool(), true);
        QCOMPARE(v4.value(u"avoidBuggyIPs").toBool(false), false);
        QVERIFY(v4.value(u"avoidBuggyIPs").isBool());
        QCOMPARE(v4.value(u"addresses").toArray(), QJsonArray { QStringLiteral("10.0.0.0/24") });
        const QJsonObject holder = v4.value(u"services").toArray().at(0).toObject();
        QCOMPARE(holder.value(u"namespace").toString(), QStringLiteral("web"));
        QCOMPARE(holder.value(u"name").toString(), QStringLiteral("front"));
        QCOMPARE(holder.value(u"ip").toString(), QStringLiteral("10.0.0.5"));

        const QJsonObject v6 = json.value(u"pools").toArray().at(1).toObject();
        QVERIFY(v6.value(u"total").isString());
        QCOMPARE(v6.value(u"total").toString(), QStringLiteral("18446744073709551616"));
        QCOMPARE(v6.value(u"used").toInteger(), 0);
        QCOMPARE(v6.value(u"free").toString(), QStringLiteral("18446744073709551616"));

        const QJsonArray services = json.value(u"services").toArray();
        QCOMPARE(services.size(), 2);
        const QJsonObject front = services.at(0).toObject();
        QCOMPARE(front.keys(),
            (QStringList { QStringLiteral("ips"), QStringLiteral("name"), QStringLiteral("namespace"),
                QStringLiteral("pool"), QStringLiteral("state") }));
        QCOMPARE(front.value(u"pool").toString(), QStringLiteral("v4"));
        QCOMPARE(front.value(u"state").toString(), QStringLiteral("assigned"));
        QCOMPARE(front.value(u"ips").toArray(), QJsonArray { QStringLiteral("10.0.0.5") });
        const QJsonObject wait = services.at(1).toObject();
        QVERIFY(wait.value(u"pool").isNull());
        QCOMPARE(wait.value(u"state").toString(), QStringLiteral("pending"));
        QCOMPARE(wait.value(u"ips").toArray(), QJsonArray());

        const QJsonObject problem = json.value(u"problems").toArray().at(0).toObject();
        QCOMPARE(problem.keys(),
            (QStringList { QStringLiteral("code"), QStringLiteral("message"), QStringLiteral("severity"),
                QStringLiteral("subject") }));
        QCOMPARE(problem.value(u"severity").toString(), QStringLiteral("warning"));
        QCOMPARE(problem.value(u"code").toString(), QStringLiteral("pending"));
        QCOMPARE(problem.value(u"subject").toString(), QStringLiteral("service/web/wait"));
    }

    void names()
    {
        QCOMPARE(ServiceState::stateName(ServiceState::Assigned), QStringLiteral("assigned"));
        QCOMPARE(ServiceState::stateName(ServiceState::Pending), QStringLiteral("pending"));
        QCOMPARE(ServiceState::stateName(ServiceState::OutsidePools), QStringLiteral("outside-pools"));
        QCOMPARE(Problem::severityName(Problem::Error), QStringLiteral("error"));
        QCOMPARE(Problem::severityName(Problem::Warning), QStringLiteral("warning"));
    }

    void readObjectsFromTheCluster()
    {
        const QList<QJsonObject> objects {
            parse("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\","
                  " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"config\"},"
                  " \"data\": {\"config\": \"address-pools:\\n- name: legacy\\n  protocol: layer2\\n"
                  "  addresses:\\n  - 10.1.0.0/30\\n  bogus: 1\\n\"}}"),
            // Someone else's "config": not read, not reported.
            parse("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\","
                  " \"metadata\": {\"namespace\": \"default\", \"name\": \"config\"}, \"data\": {\"config\": \"x\"}}"),
            parse("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"IPAddressPool\","
                  " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"home\","
                  "  \"labels\": {\"tier\": \"cheap\"}, \"resourceVersion\": \"5\"},"
                  " \"spec\": {\"addresses\": [\"10.2.0.0/29\", \"10.3.0.1-10.3.0.2\"], \"autoAssign\": false,"
                  "  \"avoidBuggyIPs\": true}}"),
            parse("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"L2Advertisement\","
                  " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"l2\"},"
                  " \"spec\": {\"ipAddressPoolSelectors\": [{\"matchLabels\": {\"tier\": \"cheap\"},"
                  "  \"matchExpressions\": [{\"key\": \"zone\", \"operator\": \"NotIn\", \"values\": [\"b\"]}]}]}}"),
            parse("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"BGPAdvertisement\","
                  " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"bgp\"},"
                  " \"spec\": {\"ipAddressPools\": [\"home\"], \"aggregationLength\": 32}}"),
            parse("{\"metadata\": {\"namespace\": \"x\", \"name\": \"nokind\"}}"),
        };
        const PoolConfigReadResult r = PoolConfigReader::readObjects(objects);
        QCOMPARE(r.documents, 5);
        QCOMPARE(r.config.pools.size(), 2);
        const AddressPool &legacy = r.config.pools.at(0);
        QCOMPARE(legacy.source, PoolSource::ConfigMap);
        QCOMPARE(legacy.name, QStringLiteral("legacy"));
        QCOMPARE(legacy.protocol, QStringLiteral("layer2"));
        QCOMPARE(legacy.addresses.size(), 1);
        QCOMPARE(legacy.addresses.at(0).text, QStringLiteral("10.1.0.0/30"));
        QCOMPARE(legacy.origin.file, QStringLiteral("cluster"));
        QCOMPARE(legacy.origin.line, 2); // in data.config

        const AddressPool &home = r.config.pools.at(1);
        QCOMPARE(home.source, PoolSource::Crd);
        QCOMPARE(home.name, QStringLiteral("home"));
        QCOMPARE(home.namespace_, QStringLiteral("metallb-system"));
        QCOMPARE(home.labels, (QMap<QString, QString> { { QStringLiteral("tier"), QStringLiteral("cheap") } }));
        QCOMPARE(home.addresses.size(), 2);
        QVERIFY(!home.autoAssign);
        QVERIFY(home.avoidBuggyIPs);
        QCOMPARE(home.origin.file, QStringLiteral("cluster"));
        QCOMPARE(home.origin.line, 0);

        QCOMPARE(r.config.advertisements.size(), 2);
        const Advertisement &l2 = r.config.advertisements.at(0);
        QCOMPARE(l2.kind, Advertisement::L2);
        QVERIFY(l2.hasPoolSelectors);
        QCOMPARE(l2.poolSelectors.size(), 1);
        QCOMPARE(l2.poolSelectors.at(0).matchLabels.value(QStringLiteral("tier")), QStringLiteral("cheap"));
        QCOMPARE(l2.poolSelectors.at(0).matchExpressions.size(), 1);
        QCOMPARE(l2.poolSelectors.at(0).matchExpressions.at(0).op, QStringLiteral("NotIn"));
        QCOMPARE(l2.poolSelectors.at(0).matchExpressions.at(0).values, QStringList { QStringLiteral("b") });
        const Advertisement &bgp = r.config.advertisements.at(1);
        QCOMPARE(bgp.kind, Advertisement::Bgp);
        QCOMPARE(bgp.ipAddressPools, QStringList { QStringLiteral("home") });
        QCOMPARE(bgp.aggregationLength, std::optional<int>(32));

        QCOMPARE(r.issues.size(), 2);
        const Issue &bogus = r.issues.at(0);
        QCOMPARE(bogus.where.file, QStringLiteral("cluster"));
        QCOMPARE(bogus.where.line, 6); // "bogus: 1" in data.config
        QCOMPARE(bogus.pool, QStringLiteral("legacy"));
        QVERIFY(bogus.message.contains(u"unknown field \"bogus\""));
        const Issue &noKind = r.issues.at(1);
        QCOMPARE(noKind.severity, Issue::Error);
        QCOMPARE(noKind.where.file, QStringLiteral("cluster"));
        QCOMPARE(noKind.where.line, 0);
        QVERIFY(noKind.message.startsWith(u"object x/nokind: "));

        // The selector and the name both reach "home".
        const AllocationReport report = analyzeAllocation(r.config, {}, {}, {});
        QCOMPARE(report.pool(QStringLiteral("home"))->protocol, QStringLiteral("layer2+bgp"));
        QCOMPARE(report.pool(QStringLiteral("home"))->total, AddressCount::of(9)); // 10.2.0.0 avoided
        QCOMPARE(report.pool(QStringLiteral("legacy"))->protocol, QStringLiteral("layer2"));
    }

    void readObjectsReportsBadTypes()
    {
        const PoolConfigReadResult r = PoolConfigReader::readObjects(
            { parse("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"IPAddressPool\","
                    " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"p\"},"
                    " \"spec\": {\"addresses\": \"10.0.0.0/24\", \"autoAssign\": \"true\"}}"),
                parse("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"L2Advertisement\","
                      " \"metadata\": {\"namespace\": \"metallb-system\", \"name\": \"l2\"},"
                      " \"spec\": {\"ipAddressPoolSelectors\": [{\"matchExpressions\":"
                      "  [{\"key\": \"a\", \"operator\": \"Equals\"}]}]}}") },
            QStringLiteral("pi-cluster"));
        QStringList messages;
        for (const Issue &i : r.issues) {
            QCOMPARE(i.where.file, QStringLiteral("pi-cluster"));
            QCOMPARE(i.where.line, 0);
            messages << i.toString();
        }
        QCOMPARE(messages,
            (QStringList { QStringLiteral("pi-cluster: pool \"p\": spec.addresses: expected a list of CIDRs or ranges"),
                QStringLiteral("pi-cluster: pool \"p\": spec.autoAssign: expected true or false"),
                QStringLiteral("pi-cluster: L2Advertisement \"l2\": spec.ipAddressPoolSelectors.matchExpressions: "
                               "unknown operator \"Equals\" (In, NotIn, Exists, DoesNotExist)") }));
    }

    void validatorFollowsSelectors()
    {
        LabelSelector wide;
        wide.matchLabels.insert(QStringLiteral("size"), QStringLiteral("wide"));
        Advertisement bgp = advertisement(Advertisement::Bgp, QStringLiteral("agg"), {}, { wide });
        bgp.aggregationLength = 8; // shorter than /16: an error for a pool it selects
        const PoolConfig config { { crdPool(QStringLiteral("big"), { QStringLiteral("10.0.0.0/16") },
                                        { { QStringLiteral("size"), QStringLiteral("wide") } }),
                                      crdPool(QStringLiteral("other"), { QStringLiteral("10.1.0.0/16") }) },
            { bgp } };
        const Issues issues = PoolValidator::validate(config);
        QCOMPARE(issues.size(), 1);
        QVERIFY(issues.at(0).message.contains(u"pool \"big\""));
    }

    void readYamlSelectors()
    {
        const PoolConfigReadResult r = PoolConfigReader::readYaml("apiVersion: metallb.io/v1beta1\n"
                                                                  "kind: IPAddressPool\n"
                                                                  "metadata:\n"
                                                                  "  name: a\n"
                                                                  "  namespace: metallb-system\n"
                                                                  "  labels: {zone: x}\n"
                                                                  "spec:\n"
                                                                  "  addresses: [10.0.0.0/30]\n"
                                                                  "---\n"
                                                                  "apiVersion: metallb.io/v1beta1\n"
                                                                  "kind: IPAddressPool\n"
                                                                  "metadata:\n"
                                                                  "  name: b\n"
                                                                  "  namespace: metallb-system\n"
                                                                  "spec:\n"
                                                                  "  addresses: [10.0.1.0/30]\n"
                                                                  "---\n"
                                                                  "apiVersion: metallb.io/v1beta1\n"
                                                                  "kind: L2Advertisement\n"
                                                                  "metadata:\n"
                                                                  "  name: l2\n"
                                                                  "  namespace: metallb-system\n"
                                                                  "spec:\n"
                                                                  "  ipAddressPoolSelectors:\n"
                                                                  "  - matchExpressions:\n"
                                                                  "    - {key: zone, operator: Exists}\n",
            QStringLiteral("sel.yaml"));
        QVERIFY(r.ok());
        QCOMPARE(r.config.pools.at(0).labels.value(QStringLiteral("zone")), QStringLiteral("x"));
        const AllocationReport report = analyzeAllocation(r.config, {}, {}, {});
        QCOMPARE(report.pool(QStringLiteral("a"))->protocol, QStringLiteral("layer2"));
        QCOMPARE(report.pool(QStringLiteral("b"))->protocol, QStringLiteral("none"));
        QCOMPARE(codes(report), QStringList { QStringLiteral("pool-not-advertised") });
    }
};

QTEST_GUILESS_MAIN(TestAllocation)
#include "tst_allocation.moc"
