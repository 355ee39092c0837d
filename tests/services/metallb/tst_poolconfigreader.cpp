// Reading MetalLB configuration files: both forms, multi-document files,
// where each object came from.

#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include "support/testpaths.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::MetalLB;

namespace {

QStringList addressTexts(const AddressPool &p)
{
    QStringList out;
    for (const AddressText &a : p.addresses)
        out << a.text;
    return out;
}

QString allIssues(const Issues &issues)
{
    QStringList out;
    for (const Issue &i : issues)
        out << i.toString();
    return out.join(u'\n');
}

} // namespace

class TestPoolConfigReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void legacyConfigMap()
    {
        const QString path = Test::testData(QStringLiteral("metallb/legacy-configmap.yaml"));
        const PoolConfigReadResult r = PoolConfigReader::readFile(path);
        QVERIFY2(r.issues.isEmpty(), qPrintable(allIssues(r.issues)));
        QCOMPARE(r.documents, 1);
        QCOMPARE(r.config.pools.size(), 2);
        const AddressPool &lan = r.config.pools.at(0);
        QCOMPARE(lan.source, PoolSource::ConfigMap);
        QCOMPARE(lan.name, QStringLiteral("lan"));
        QCOMPARE(lan.protocol, QStringLiteral("layer2"));
        QCOMPARE(addressTexts(lan),
            (QStringList { QStringLiteral("192.168.1.240-192.168.1.250"), QStringLiteral("192.168.2.0/28") }));
        QCOMPARE(lan.autoAssign, true);
        QCOMPARE(lan.origin.file, path);
        QCOMPARE(lan.origin.document, 1);
        QCOMPARE(lan.origin.line, 10); // lines inside the embedded config map to the file
        QCOMPARE(lan.addresses.at(1).line, 14);
        const AddressPool &routed = r.config.pools.at(1);
        QCOMPARE(routed.protocol, QStringLiteral("bgp"));
        QCOMPARE(routed.autoAssign, false);
        QCOMPARE(routed.avoidBuggyIPs, true);
        QCOMPARE(routed.bgpAdvertisements.size(), 1);
        QCOMPARE(routed.bgpAdvertisements.at(0).aggregationLength, std::optional<int>(24));
        QCOMPARE(routed.bgpAdvertisements.at(0).aggregationLengthV6, std::optional<int>(120));
        QCOMPARE(routed.bgpAdvertisements.at(0).localPref, std::optional<int>(100));
        QVERIFY(PoolValidator::validate(r.config).isEmpty());
    }

    void crdFile()
    {
        const QString path = Test::testData(QStringLiteral("metallb/crds.yaml"));
        const PoolConfigReadResult r = PoolConfigReader::readFile(path);
        QVERIFY2(r.issues.isEmpty(), qPrintable(allIssues(r.issues)));
        QCOMPARE(r.documents, 5); // the Service is read past, not counted as a pool
        QCOMPARE(r.config.pools.size(), 2);
        const AddressPool &lan = r.config.pools.at(0);
        QCOMPARE(lan.source, PoolSource::Crd);
        QCOMPARE(lan.namespace_, QStringLiteral("metallb-system"));
        QCOMPARE(addressTexts(lan).constFirst(), QStringLiteral("192.168.1.240 - 192.168.1.250"));
        QCOMPARE(lan.origin.document, 1);
        QCOMPARE(lan.origin.line, 2);
        QVERIFY(!lan.status);
        const AddressPool &routed = r.config.pools.at(1);
        QCOMPARE(routed.origin.document, 2);
        QCOMPARE(routed.origin.line, 13);
        QCOMPARE(routed.addresses.at(1).line, 21);
        QCOMPARE(routed.avoidBuggyIPs, true);
        QVERIFY(routed.serviceAllocation);
        QCOMPARE(routed.serviceAllocation->priority, std::optional<int>(50));
        QCOMPARE(routed.serviceAllocation->namespaces,
            (QStringList { QStringLiteral("openfaas"), QStringLiteral("ingress-nginx") }));
        QVERIFY(routed.status);
        QCOMPARE(routed.status->availableIPv6, std::optional<qint64>(256));
        QCOMPARE(routed.status->assignedIPv4, std::optional<qint64>(2));

        QCOMPARE(r.config.advertisements.size(), 2);
        const Advertisement &l2 = r.config.advertisements.at(0);
        QCOMPARE(l2.kind, Advertisement::L2);
        QCOMPARE(l2.ipAddressPools, QStringList { QStringLiteral("lan") });
        QCOMPARE(l2.origin.document, 3);
        const Advertisement &bgp = r.config.advertisements.at(1);
        QCOMPARE(bgp.kind, Advertisement::Bgp);
        QCOMPARE(bgp.aggregationLength, std::optional<int>(24));
        QCOMPARE(bgp.aggregationLengthV6, std::optional<int>(120));
        QCOMPARE(bgp.origin.document, 4);
        QVERIFY(PoolValidator::validate(r.config).isEmpty());
    }

    void invalidFileNamesEveryPlace()
    {
        const QString path = Test::testData(QStringLiteral("metallb/invalid.yaml"));
        const PoolConfigReadResult r = PoolConfigReader::readFile(path);
        QVERIFY(r.ok());
        QStringList errors, warnings;
        for (const Issue &i : PoolValidator::validate(r.config))
            (i.severity == Issue::Error ? errors : warnings) << i.toString();
        QCOMPARE(errors,
            (QStringList {
                path + QStringLiteral(":9: document 1: pool \"lan\": entry \"192.168.1.300/24\": invalid CIDR"),
                path
                    + QStringLiteral(":18: document 2: pool \"second\": entry \"192.168.1.0/24\": overlaps entry "
                                     "\"192.168.1.240-192.168.1.250\" of pool \"lan\" (")
                    + path + QStringLiteral(", document 1, line 8)") }));
        QCOMPARE(warnings,
            QStringList { path
                + QStringLiteral(":19: document 2: pool \"second\": entry \"10.0.0.9/8\": "
                                 "host bits set: MetalLB uses 10.0.0.0/8") });
    }

    void documentsAndSeparators()
    {
        // Leading "---", empty and comment-only documents, "..." ends, CRLF.
        const QByteArray yaml = "---\n# nothing here\n---\n"
                                "apiVersion: metallb.io/v1beta1\r\nkind: IPAddressPool\r\nmetadata: {name: a, "
                                "namespace: metallb-system}\r\n"
                                "spec: {addresses: [10.0.0.0/24]}\r\n...\n"
                                "--- {apiVersion: metallb.io/v1beta1, kind: IPAddressPool, metadata: {name: b}}\n"
                                "---\n"
                                "kind: [broken\n"
                                "---\n"
                                "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: c\n";
        const PoolConfigReadResult r = PoolConfigReader::readYaml(yaml, QStringLiteral("f.yaml"));
        QCOMPARE(r.documents, 4);
        QCOMPARE(r.config.pools.size(), 3);
        QCOMPARE(r.config.pools.at(0).name, QStringLiteral("a"));
        QCOMPARE(r.config.pools.at(0).origin.line, 4);
        QCOMPARE(r.config.pools.at(1).name, QStringLiteral("b"));
        QCOMPARE(r.config.pools.at(1).origin.document, 2);
        QCOMPARE(r.config.pools.at(1).origin.line, 9);
        QCOMPARE(r.config.pools.at(2).name, QStringLiteral("c"));
        QCOMPARE(r.config.pools.at(2).origin.document, 4);
        QCOMPARE(r.config.pools.at(2).origin.line, 13);
        QCOMPARE(r.issues.size(), 1);
        QCOMPARE(r.issues.at(0).where.document, 3);
        QCOMPARE(r.issues.at(0).where.line, 11);
        QVERIFY(r.issues.at(0).message.startsWith(QStringLiteral("YAML does not parse")));
    }

    void listAndBareLegacyBody()
    {
        const QByteArray list = "apiVersion: v1\nkind: List\nitems:\n"
                                "- apiVersion: metallb.io/v1beta1\n  kind: IPAddressPool\n  metadata: {name: a, "
                                "namespace: metallb-system}\n"
                                "  spec: {addresses: [10.0.0.0/24]}\n"
                                "- apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n";
        const PoolConfigReadResult l = PoolConfigReader::readYaml(list, QStringLiteral("list.yaml"));
        QVERIFY2(l.issues.isEmpty(), qPrintable(allIssues(l.issues)));
        QCOMPARE(l.config.pools.size(), 1);
        QCOMPARE(l.config.pools.at(0).origin.line, 4);

        const QByteArray body
            = "address-pools:\n- name: lan\n  protocol: layer2\n  addresses:\n  - 10.0.0.1-10.0.0.9\n";
        const PoolConfigReadResult b = PoolConfigReader::readYaml(body, QStringLiteral("config.yaml"));
        QVERIFY2(b.issues.isEmpty(), qPrintable(allIssues(b.issues)));
        QCOMPARE(b.config.pools.size(), 1);
        QCOMPARE(b.config.pools.at(0).source, PoolSource::ConfigMap);
        QCOMPARE(b.config.pools.at(0).addresses.at(0).line, 5);
    }

    void otherConfigMapsAreSkipped()
    {
        const QByteArray yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nginx, namespace: ingress-nginx}\n"
                                "data: {config: 'not metallb'}\n---\n"
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: kube-system}\n"
                                "data: {config: 'address-pools: []'}\n";
        const PoolConfigReadResult r = PoolConfigReader::readYaml(yaml, QStringLiteral("cm.yaml"));
        QVERIFY(r.ok());
        QCOMPARE(r.config.pools.size(), 0);
        QCOMPARE(r.issues.size(), 1); // a warning for the config map in the wrong namespace
        QCOMPARE(r.issues.at(0).severity, Issue::Warning);
    }

    void unreadableFile()
    {
        const PoolConfigReadResult r = PoolConfigReader::readFile(QStringLiteral("/nonexistent/pools.yaml"));
        QVERIFY(!r.ok());
        QVERIFY(r.issues.at(0).toString().startsWith(QStringLiteral("/nonexistent/pools.yaml: cannot read")));
    }
};

QTEST_GUILESS_MAIN(TestPoolConfigReader)
#include "tst_poolconfigreader.moc"
