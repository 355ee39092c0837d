// MetalLB's validation rules, one valid and one invalid case each, read
// through the YAML reader as users write them.

#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include <QTest>

using namespace Bramble::MetalLB;

namespace {

// An IPAddressPool in metallb-system with the given address lines.
QByteArray crdPool(const char *name, std::initializer_list<const char *> addresses, const char *ns = "metallb-system")
{
    QByteArray out
        = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: " + QByteArray(name) + '\n';
    if (ns)
        out += "  namespace: " + QByteArray(ns) + '\n';
    out += "spec:\n  addresses:\n";
    for (const char *a : addresses)
        out += "  - \"" + QByteArray(a) + "\"\n";
    return out;
}

QByteArray bgpAdvertisement(const char *extra)
{
    return "apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata:\n  name: ads\n  namespace: "
           "metallb-system\n"
           "spec:\n"
        + QByteArray(extra);
}

QByteArray legacy(const QByteArray &poolLines)
{
    QByteArray out = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: metallb-system\n"
                     "data:\n  config: |\n    address-pools:\n";
    for (const QByteArray &l : poolLines.split('\n'))
        if (!l.isEmpty())
            out += "    " + l + '\n';
    return out;
}

Issues check(const QByteArray &yaml)
{
    PoolConfigReadResult r = PoolConfigReader::readYaml(yaml, QStringLiteral("pools.yaml"));
    Issues issues = r.issues;
    issues += PoolValidator::validate(r.config);
    return issues;
}

QStringList texts(const Issues &issues, Issue::Severity s)
{
    QStringList out;
    for (const Issue &i : issues)
        if (i.severity == s)
            out << i.toString();
    return out;
}

} // namespace

class TestPoolValidator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rules_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error"); // empty: no error expected; else the only error (a substring)
        QTest::addColumn<QString>("warning"); // likewise for warnings

        QTest::newRow("valid crd") << crdPool("lan", { "192.168.1.240-192.168.1.250", "fd00::/120" }) << QString()
                                   << QString();
        QTest::newRow("missing name (crd)")
            << QByteArray(
                   "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  namespace: metallb-system\n"
                   "spec:\n  addresses: [10.0.0.0/24]\n")
            << QStringLiteral("pools.yaml:1: document 1: missing pool name") << QString();
        QTest::newRow("missing name (legacy)")
            << legacy("- protocol: layer2\n  addresses: [10.0.0.0/24]")
            << QStringLiteral("pools.yaml:9: document 1: missing pool name") << QString();
        QTest::newRow("valid legacy") << legacy("- name: a\n  protocol: layer2\n  addresses: [10.0.0.0/24]")
                                      << QString() << QString();
        QTest::newRow("empty addresses") << crdPool("lan", {}) << QStringLiteral("pool \"lan\": pool has no addresses")
                                         << QString();
        QTest::newRow("malformed cidr")
            << crdPool("lan", { "10.0.0.0/24", "10.0.1.0/40" })
            << QStringLiteral("pools.yaml:9: document 1: pool \"lan\": entry \"10.0.1.0/40\": invalid CIDR")
            << QString();
        QTest::newRow("plain address") << crdPool("lan", { "10.0.0.1" })
                                       << QStringLiteral("entry \"10.0.0.1\": invalid CIDR") << QString();
        QTest::newRow("malformed range") << crdPool("lan",
            { "10.0.0.1-10.0.0" }) << QStringLiteral("entry \"10.0.0.1-10.0.0\": invalid IP range: invalid end IP")
                                         << QString();
        QTest::newRow("start after end") << crdPool("lan", { "10.0.0.20 - 10.0.0.10" })
                                         << QStringLiteral("start IP 10.0.0.20 is after the end IP 10.0.0.10")
                                         << QString();
        QTest::newRow("mixed families") << crdPool("lan", { "10.0.0.1-fd00::1" })
                                        << QStringLiteral("start and end are different address families") << QString();
        QTest::newRow("duplicate names") << crdPool("lan", { "10.0.0.0/24" }) + "---\n"
                + crdPool("lan", { "10.0.1.0/24" })
                                         << QStringLiteral(
                                                "pools.yaml:10: document 2: pool \"lan\": duplicate definition")
                                         << QString();
        QTest::newRow("distinct names") << crdPool("a", { "10.0.0.0/24" }) + "---\n" + crdPool("b", { "10.0.1.0/24" })
                                        << QString() << QString();
        QTest::newRow("overlap across pools (range vs cidr)")
            << crdPool("a", { "10.0.0.0/24" }) + "---\n" + crdPool("b", { "10.0.0.200-10.0.1.10" })
            << QStringLiteral("document 2: pool \"b\": entry \"10.0.0.200-10.0.1.10\": overlaps entry \"10.0.0.0/24\" "
                              "of pool \"a\"")
            << QString();
        QTest::newRow("overlap within a pool")
            << crdPool("a", { "10.0.0.0/24", "10.0.0.128/25" })
            << QStringLiteral("entry \"10.0.0.128/25\": overlaps entry \"10.0.0.0/24\" of pool \"a\"") << QString();
        QTest::newRow("overlap v6") << crdPool("a", { "fd00::/64", "fd00::1:0-fd00::1:ff" })
                                    << QStringLiteral("overlaps") << QString();
        QTest::newRow("adjacent, no overlap")
            << crdPool("a", { "10.0.0.0/25", "10.0.0.128-10.0.0.255" }) << QString() << QString();
        QTest::newRow("outside metallb-system")
            << crdPool("a", { "10.0.0.0/24" }, "default") << QStringLiteral("IPAddressPool in namespace \"default\"")
            << QString();
        QTest::newRow("no namespace warns")
            << crdPool("a", { "10.0.0.0/24" }, nullptr) << QString() << QStringLiteral("no metadata.namespace");
        QTest::newRow("host bits warn") << crdPool("a", { "10.0.0.7/24" }) << QString()
                                        << QStringLiteral(
                                               "entry \"10.0.0.7/24\": host bits set: MetalLB uses 10.0.0.0/24");
        QTest::newRow("aggregation ok") << crdPool("a", { "10.0.0.0/24" }) + "---\n"
                + bgpAdvertisement("  aggregationLength: 24\n")
                                        << QString() << QString();
        QTest::newRow("aggregation out of bounds v4")
            << crdPool("a", { "10.0.0.0/24" }) + "---\n" + bgpAdvertisement("  aggregationLength: 33\n")
            << QStringLiteral(
                   "pools.yaml:16: document 2: BGPAdvertisement \"ads\": aggregation length 33 is out of bounds")
            << QString();
        QTest::newRow("aggregation out of bounds v6")
            << crdPool("a", { "fd00::/120" }) + "---\n" + bgpAdvertisement("  aggregationLengthV6: 129\n")
            << QStringLiteral("IPv6 aggregation length 129 is out of bounds") << QString();
        QTest::newRow("aggregation negative")
            << crdPool("a", { "10.0.0.0/24" }) + "---\n" + bgpAdvertisement("  aggregationLength: -1\n")
            << QStringLiteral("aggregation length -1 is out of bounds") << QString();
        QTest::newRow("aggregation shorter than block")
            << crdPool("a", { "10.0.0.0/26" }) + "---\n"
                + bgpAdvertisement("  aggregationLength: 24\n  ipAddressPools: [a]\n")
            << QStringLiteral("aggregation length 24 is shorter than prefix /26 of entry \"10.0.0.0/26\" of pool \"a\"")
            << QString();
        QTest::newRow("range fits when one block fits")
            << crdPool("a", { "10.0.0.0-10.0.0.2" }) + "---\n" + bgpAdvertisement("  aggregationLength: 31\n")
            << QString() << QString();
        QTest::newRow("range shorter than every block")
            << crdPool("a", { "10.0.0.0-10.0.0.2" }) + "---\n" + bgpAdvertisement("  aggregationLength: 30\n")
            << QStringLiteral("aggregation length 30 is shorter than prefix /31 of entry \"10.0.0.0-10.0.0.2\"")
            << QString();
        QTest::newRow("aggregation v6 shorter than block")
            << crdPool("a", { "fd00::/124" }) + "---\n" + bgpAdvertisement("  aggregationLengthV6: 120\n")
            << QStringLiteral("IPv6 aggregation length 120 is shorter than prefix /124") << QString();
        QTest::newRow("aggregation for another pool")
            << crdPool("a", { "10.0.0.0/26" }) + "---\n" + crdPool("b", { "10.1.0.0/24" }) + "---\n"
                + bgpAdvertisement("  aggregationLength: 24\n  ipAddressPools: [b]\n")
            << QString() << QString();
        QTest::newRow("advertisement names unknown pool")
            << crdPool("a", { "10.0.0.0/24" }) + "---\n" + bgpAdvertisement("  ipAddressPools: [nope]\n") << QString()
            << QStringLiteral("selects pool \"nope\", which these files do not define");
        QTest::newRow("legacy aggregation shorter than block")
            << legacy("- name: a\n  protocol: bgp\n  addresses: [10.0.0.0/26]\n  bgp-advertisements:\n  - "
                      "aggregation-length: 24")
            << QStringLiteral("pools.yaml:13: document 1: pool \"a\": aggregation length 24 is shorter than prefix /26")
            << QString();
        QTest::newRow("legacy aggregation ok") << legacy(
            "- name: a\n  protocol: bgp\n  addresses: [10.0.0.0/24]\n  bgp-advertisements:\n  - aggregation-length: 24")
                                               << QString() << QString();
        QTest::newRow("legacy advertisements for layer2") << legacy(
            "- name: a\n  protocol: layer2\n  addresses: [10.0.0.0/24]\n  bgp-advertisements:\n  - localpref: 10")
                                                          << QStringLiteral(
                                                                 "bgp-advertisements are only valid for protocol bgp")
                                                          << QString();
        QTest::newRow("unknown protocol") << legacy("- name: a\n  protocol: ospf\n  addresses: [10.0.0.0/24]")
                                          << QStringLiteral("pool \"a\": unknown protocol \"ospf\"") << QString();
        QTest::newRow("missing protocol") << legacy("- name: a\n  addresses: [10.0.0.0/24]")
                                          << QStringLiteral("pool \"a\": missing protocol") << QString();
        QTest::newRow("legacy unknown key")
            << legacy("- name: a\n  protocol: layer2\n  addresses: [10.0.0.0/24]\n  auto-asign: false")
            << QStringLiteral("pools.yaml:12: document 1: pool \"a\": address-pools: unknown field \"auto-asign\"")
            << QString();
        QTest::newRow("legacy unknown top key")
            << legacy("- name: a\n  protocol: layer2\n  addresses: [10.0.0.0/24]") + "    address-pool: []\n"
            << QStringLiteral("config: unknown field \"address-pool\"") << QString();
        QTest::newRow("crd unknown spec key")
            << QByteArray("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: a\n  namespace: "
                          "metallb-system\n"
                          "spec:\n  addresses: [10.0.0.0/24]\n  autoassign: false\n")
            << QStringLiteral("pools.yaml:8: document 1: pool \"a\": spec: unknown field \"autoassign\"") << QString();
        QTest::newRow("yaml does not parse") << QByteArray("apiVersion: metallb.io/v1beta1\nkind: [IPAddressPool\n")
                                             << QStringLiteral("document 1: YAML does not parse") << QString();
        QTest::newRow("legacy body does not parse")
            << QByteArray("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: metallb-system\n"
                          "data:\n  config: |\n    address-pools:\n    - name: [a\n")
            << QStringLiteral("ConfigMap \"config\": data.config: YAML does not parse") << QString();
        QTest::newRow("bool type") << QByteArray(
            "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: a\n"
            "  namespace: metallb-system\nspec:\n  addresses: [10.0.0.0/24]\n"
            "  autoAssign: \"false\"\n")
                                   << QStringLiteral("spec.autoAssign: expected true or false") << QString();
        QTest::newRow("wrong apiVersion")
            << QByteArray("apiVersion: metallb.io/v1alpha1\nkind: IPAddressPool\nmetadata:\n  name: a\n")
            << QStringLiteral("apiVersion \"metallb.io/v1alpha1\" is not metallb.io/v1beta1") << QString();
    }
    void rules()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        QFETCH(QString, warning);
        const Issues issues = check(yaml);
        const QStringList errors = texts(issues, Issue::Error);
        const QStringList warnings = texts(issues, Issue::Warning);
        if (error.isEmpty()) {
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        } else {
            QVERIFY2(errors.size() == 1, qPrintable(errors.join(u'\n')));
            QVERIFY2(errors.constFirst().contains(error), qPrintable(errors.constFirst()));
        }
        if (warning.isEmpty()) {
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
        } else {
            QVERIFY2(warnings.size() == 1, qPrintable(warnings.join(u'\n')));
            QVERIFY2(warnings.constFirst().contains(warning), qPrintable(warnings.constFirst()));
        }
    }

    void overlapsAcrossForms()
    {
        // A ConfigMap pool and an IPAddressPool are checked together.
        const Issues issues = check(legacy("- name: old\n  protocol: layer2\n  addresses: [10.0.0.0/24]") + "---\n"
            + crdPool("new", { "10.0.0.5-10.0.0.6" }));
        const QStringList errors = texts(issues, Issue::Error);
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.constFirst().contains(QStringLiteral("pool \"new\"")));
    }

    void everyOverlappingPairOnce()
    {
        const Issues issues
            = check(crdPool("a", { "10.0.0.0/16" }) + "---\n" + crdPool("b", { "10.0.1.0/24", "10.0.2.0/24" }));
        QCOMPARE(texts(issues, Issue::Error).size(), 2);
    }

    // Overlaps are found by one sweep over sorted entries: N copies of one
    // CIDR give N-1 findings (not N(N-1)/2), at most ten listed per pair of
    // pools and the rest summed up; distinct addresses give none.
    void overlapsScaleAndAreCapped()
    {
        QByteArray yaml = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: a\n"
                          "  namespace: metallb-system\nspec:\n  addresses:\n";
        for (int i = 0; i < 5000; ++i)
            yaml += "  - 10.0.0.0/24\n";
        yaml += "---\n" + crdPool("b", { "10.0.0.7/32" });
        const QStringList errors = texts(check(yaml), Issue::Error);
        QCOMPARE(errors.size(), 10 + 1 + 1);
        QVERIFY2(
            errors.filter(QStringLiteral("pool \"a\": … and 4,989 more overlapping entries within the pool")).size()
                == 1,
            qPrintable(errors.join(u'\n')));
        QVERIFY2(
            errors.filter(QStringLiteral("pool \"b\": entry \"10.0.0.7/32\": overlaps entry \"10.0.0.0/24\"")).size() == 1,
            qPrintable(errors.join(u'\n')));

        QByteArray distinct = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: many\n"
                              "  namespace: metallb-system\nspec:\n  addresses:\n";
        for (int i = 0; i < 60000; ++i)
            distinct += "  - 10." + QByteArray::number(i >> 16) + '.' + QByteArray::number((i >> 8) & 255) + '.'
                + QByteArray::number(i & 255) + "/32\n";
        QVERIFY(texts(check(distinct), Issue::Error).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPoolValidator)
#include "tst_poolvalidator.moc"
