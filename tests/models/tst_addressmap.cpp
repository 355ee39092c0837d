// AddressMap: one cell per address of an IPv4 pool, with its state and holders.

#include "lbreportfixture.h"
#include "models/addressmap.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::Test;
using MetalLB::AllocationReport;
using MetalLB::Problem;
using Models::AddressMap;

class TestAddressMap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void statesAndHolders()
    {
        AllocationReport r;
        r.pools = { pool("lan", "192.168.1.254", "192.168.2.1",
            { s("web/a@192.168.1.254"), s("web/b@192.168.2.0"), s("web/c@192.168.2.0"), s("bad/x@192.168.2.1") }) };
        r.pools[0].avoidBuggyIPs = true;
        r.problems = { problem(Problem::Error, "ip-in-wrong-pool", "service/bad/x", "bad/x is in the wrong pool") };
        const AddressMap map = AddressMap::build(r, s("lan"));
        QVERIFY(map.isIpv4);
        QCOMPARE(map.pool, s("lan"));
        QCOMPARE(map.cells.size(), 4);
        QCOMPARE(map.totalAddresses, quint64(4));
        QCOMPARE(map.notShown, quint64(0));
        QCOMPARE(map.cells.at(0).address.toString(), s("192.168.1.254"));
        QCOMPARE(map.cells.at(0).state, AddressMap::Used);
        QCOMPARE(map.cells.at(0).holders, QStringList { s("web/a") });
        QCOMPARE(map.cells.at(1).address.toString(), s("192.168.1.255"));
        QCOMPARE(map.cells.at(1).state, AddressMap::Excluded);
        QCOMPARE(map.cells.at(2).state, AddressMap::Shared); // .0, but held: shared wins
        QCOMPARE(map.cells.at(2).holders, QStringList({ s("web/b"), s("web/c") }));
        QCOMPARE(map.cells.at(3).state, AddressMap::Problem);
        QCOMPARE(map.count(AddressMap::Used), 1);
        QCOMPARE(map.count(AddressMap::Free), 0);
        QVERIFY(map.describe(2).contains(s("held by web/c")));
        QVERIFY(map.describe(1).contains(s("excluded")));
        QVERIFY(map.describe(9).isEmpty());

        // Without avoidBuggyIPs, .255 is an ordinary free address.
        r.pools[0].avoidBuggyIPs = false;
        QCOMPARE(AddressMap::build(r, s("lan")).cells.at(1).state, AddressMap::Free);
        // A problem naming an address marks it.
        r.problems << problem(Problem::Warning, "pool-overlaps-node-ip", "ip/192.168.1.255", "a node has it");
        QCOMPARE(AddressMap::build(r, s("lan")).cells.at(1).state, AddressMap::Problem);
    }

    void capsLargePools()
    {
        AllocationReport r;
        r.pools = { pool("big", "10.0.0.0", "10.0.255.255") };
        r.pools[0].ranges << MetalLB::IpRange { ip("10.9.0.0"), ip("10.9.0.9") };
        const AddressMap map = AddressMap::build(r, s("big"));
        QCOMPARE(map.cells.size(), AddressMap::DefaultCap);
        QCOMPARE(map.totalAddresses, quint64(65536 + 10));
        QCOMPARE(map.notShown, quint64(65546 - 4096));
        QCOMPARE(map.cells.constLast().address.toString(), s("10.0.15.255"));

        const AddressMap small = AddressMap::build(r, s("big"), 65540);
        QCOMPARE(small.cells.size(), 65540);
        QCOMPARE(small.cells.constLast().address.toString(), s("10.9.0.3")); // into the second range
        QCOMPARE(small.notShown, quint64(6));
    }

    void ipv6AndMissingPools()
    {
        AllocationReport r;
        r.pools = { pool("v6", "fd00::", "fd00::ff") };
        const AddressMap v6 = AddressMap::build(r, s("v6"));
        QVERIFY(!v6.isIpv4);
        QVERIFY(v6.isEmpty());
        QCOMPARE(v6.totalAddresses, quint64(256));
        QCOMPARE(v6.notShown, quint64(256));

        const AddressMap none = AddressMap::build(r, s("nope"));
        QVERIFY(none.isEmpty());
        QVERIFY(none.pool.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAddressMap)
#include "tst_addressmap.moc"
