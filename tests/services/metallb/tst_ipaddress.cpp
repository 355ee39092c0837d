// IP arithmetic: parsing, blocks, ranges, sizes, membership and overlap.

#include "metallb/ipaddress.h"

#include <QTest>

using namespace Bramble::MetalLB;

namespace {

IpAddress ip(const char *text)
{
    const auto a = IpAddress::parse(QString::fromLatin1(text));
    if (!a)
        qFatal("bad test address %s", text);
    return *a;
}

QStringList cidrTexts(const QList<IpCidr> &blocks)
{
    QStringList out;
    for (const IpCidr &c : blocks)
        out << c.toString();
    return out;
}

} // namespace

class TestIpAddress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseAddress_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("v4") << QStringLiteral("192.168.1.240") << true << QStringLiteral("192.168.1.240");
        QTest::newRow("v4 zero") << QStringLiteral("0.0.0.0") << true << QStringLiteral("0.0.0.0");
        QTest::newRow("v4 max") << QStringLiteral("255.255.255.255") << true << QStringLiteral("255.255.255.255");
        QTest::newRow("v4 octet > 255") << QStringLiteral("1.2.3.256") << false << QString();
        QTest::newRow("v4 leading zero") << QStringLiteral("1.2.3.04") << false << QString();
        QTest::newRow("v4 three parts") << QStringLiteral("1.2.3") << false << QString();
        QTest::newRow("v4 empty part") << QStringLiteral("1..2.3") << false << QString();
        QTest::newRow("v4 sign") << QStringLiteral("1.2.3.+4") << false << QString();
        QTest::newRow("v6 full") << QStringLiteral("2001:0db8:0000:0000:0000:0000:0000:0001") << true
                                 << QStringLiteral("2001:db8::1");
        QTest::newRow("v6 any") << QStringLiteral("::") << true << QStringLiteral("::");
        QTest::newRow("v6 loopback") << QStringLiteral("::1") << true << QStringLiteral("::1");
        QTest::newRow("v6 trailing ::") << QStringLiteral("fd00::") << true << QStringLiteral("fd00::");
        QTest::newRow("v6 upper") << QStringLiteral("FD00:AB::Cd") << true << QStringLiteral("fd00:ab::cd");
        QTest::newRow("v6 longest run") << QStringLiteral("1:0:0:2:0:0:0:3") << true << QStringLiteral("1:0:0:2::3");
        QTest::newRow("v6 single zero group")
            << QStringLiteral("1:0:2:3:4:5:6:7") << true << QStringLiteral("1:0:2:3:4:5:6:7");
        QTest::newRow("v6 max") << QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") << true
                                << QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        QTest::newRow("v4-mapped") << QStringLiteral("::ffff:192.168.1.1") << true
                                   << QStringLiteral("::ffff:192.168.1.1");
        QTest::newRow("v4-mapped hex") << QStringLiteral("::ffff:c0a8:101") << true
                                       << QStringLiteral("::ffff:192.168.1.1");
        QTest::newRow("v6 two ::") << QStringLiteral("1::2::3") << false << QString();
        QTest::newRow("v6 nine groups") << QStringLiteral("1:2:3:4:5:6:7:8:9") << false << QString();
        QTest::newRow("v6 seven groups") << QStringLiteral("1:2:3:4:5:6:7") << false << QString();
        QTest::newRow("v6 long group") << QStringLiteral("12345::") << false << QString();
        QTest::newRow("v6 zone") << QStringLiteral("fe80::1%eth0") << false << QString();
        QTest::newRow("v6 quad not last") << QStringLiteral("::1.2.3.4:5") << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
        QTest::newRow("name") << QStringLiteral("example.com") << false << QString();
    }
    void parseAddress()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, canonical);
        const auto a = IpAddress::parse(text);
        QCOMPARE(a.has_value(), ok);
        if (ok)
            QCOMPARE(a->toString(), canonical);
    }

    void v4MappedIsV6ButUnmaps()
    {
        const IpAddress m = ip("::ffff:10.0.0.1");
        QCOMPARE(m.family, IpFamily::V6);
        QVERIFY(m.isV4Mapped());
        QCOMPARE(m.unmapped(), ip("10.0.0.1"));
        QVERIFY(m != ip("10.0.0.1"));
        QVERIFY(!ip("::1").isV4Mapped());
        // As Go's To4() does for MetalLB, a range of mapped ends is IPv4.
        const AddressEntry e = AddressEntry::parse(QStringLiteral("::ffff:10.0.0.1-::ffff:10.0.0.9"));
        QVERIFY(e.ok);
        QCOMPARE(e.range.family(), IpFamily::V4);
        QCOMPARE(e.range.size().saturated(), quint64(9));
        QVERIFY(AddressEntry::parse(QStringLiteral("10.0.0.1-::ffff:10.0.0.9")).ok);
    }

    void cidrs_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("last");
        QTest::addColumn<QString>("size");
        QTest::addColumn<bool>("hostBits");
        QTest::newRow("/24") << QStringLiteral("192.168.1.0/24") << true << QStringLiteral("192.168.1.0")
                             << QStringLiteral("192.168.1.255") << QStringLiteral("256") << false;
        QTest::newRow("v4 /0") << QStringLiteral("0.0.0.0/0") << true << QStringLiteral("0.0.0.0")
                               << QStringLiteral("255.255.255.255") << QStringLiteral("4294967296") << false;
        QTest::newRow("/32") << QStringLiteral("10.1.2.3/32") << true << QStringLiteral("10.1.2.3")
                             << QStringLiteral("10.1.2.3") << QStringLiteral("1") << false;
        QTest::newRow("host bits") << QStringLiteral("10.1.2.3/24") << true << QStringLiteral("10.1.2.0")
                                   << QStringLiteral("10.1.2.255") << QStringLiteral("256") << true;
        QTest::newRow("v6 /0") << QStringLiteral("::/0") << true << QStringLiteral("::")
                               << QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
                               << QStringLiteral("340282366920938463463374607431768211456") << false;
        QTest::newRow("v6 /1") << QStringLiteral("8000::/1") << true << QStringLiteral("8000::")
                               << QStringLiteral("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
                               << QStringLiteral("170141183460469231731687303715884105728") << false;
        QTest::newRow("v6 /64") << QStringLiteral("fd00:1::/64") << true << QStringLiteral("fd00:1::")
                                << QStringLiteral("fd00:1::ffff:ffff:ffff:ffff")
                                << QStringLiteral("18446744073709551616") << false;
        QTest::newRow("v6 /128") << QStringLiteral("fd00::5/128") << true << QStringLiteral("fd00::5")
                                 << QStringLiteral("fd00::5") << QStringLiteral("1") << false;
        QTest::newRow("v6 host bits") << QStringLiteral("fd00::5/64") << true << QStringLiteral("fd00::")
                                      << QStringLiteral("fd00::ffff:ffff:ffff:ffff")
                                      << QStringLiteral("18446744073709551616") << true;
        QTest::newRow("v4 /33") << QStringLiteral("10.0.0.0/33") << false << QString() << QString() << QString()
                                << false;
        QTest::newRow("v6 /129") << QStringLiteral("::/129") << false << QString() << QString() << QString() << false;
        QTest::newRow("no length") << QStringLiteral("10.0.0.0/") << false << QString() << QString() << QString()
                                   << false;
        QTest::newRow("negative") << QStringLiteral("10.0.0.0/-1") << false << QString() << QString() << QString()
                                  << false;
        QTest::newRow("leading zero len")
            << QStringLiteral("10.0.0.0/08") << false << QString() << QString() << QString() << false;
        QTest::newRow("no slash") << QStringLiteral("10.0.0.1") << false << QString() << QString() << QString()
                                  << false;
        QTest::newRow("bad address") << QStringLiteral("10.0.0.256/24") << false << QString() << QString() << QString()
                                     << false;
    }
    void cidrs()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, first);
        QFETCH(QString, last);
        QFETCH(QString, size);
        QFETCH(bool, hostBits);
        const AddressEntry e = AddressEntry::parse(text);
        QCOMPARE(e.ok, ok);
        if (!ok) {
            QVERIFY(!e.error.isEmpty());
            return;
        }
        QVERIFY(e.isCidr);
        QCOMPARE(e.range.first.toString(), first);
        QCOMPARE(e.range.last.toString(), last);
        QCOMPARE(e.range.size().toString(), size);
        QCOMPARE(e.cidr.size(), e.range.size());
        QCOMPARE(e.hostBitsSet, hostBits);
    }

    void ranges_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error"); // empty when valid
        QTest::addColumn<QString>("size");
        QTest::addColumn<QStringList>("blocks");
        QTest::newRow("one address") << QStringLiteral("10.0.0.7-10.0.0.7") << QString() << QStringLiteral("1")
                                     << QStringList { QStringLiteral("10.0.0.7/32") };
        QTest::newRow("spaces") << QStringLiteral("192.168.1.240 - 192.168.1.250") << QString() << QStringLiteral("11")
                                << QStringList { QStringLiteral("192.168.1.240/29"), QStringLiteral("192.168.1.248/31"),
                                       QStringLiteral("192.168.1.250/32") };
        QTest::newRow("across octet") << QStringLiteral("10.0.0.255-10.0.1.0") << QString() << QStringLiteral("2")
                                      << QStringList { QStringLiteral("10.0.0.255/32"), QStringLiteral("10.0.1.0/32") };
        QTest::newRow("aligned /24") << QStringLiteral("10.0.1.0-10.0.1.255") << QString() << QStringLiteral("256")
                                     << QStringList { QStringLiteral("10.0.1.0/24") };
        QTest::newRow("all v4") << QStringLiteral("0.0.0.0-255.255.255.255") << QString()
                                << QStringLiteral("4294967296") << QStringList { QStringLiteral("0.0.0.0/0") };
        QTest::newRow("v4 top") << QStringLiteral("255.255.255.254-255.255.255.255") << QString() << QStringLiteral("2")
                                << QStringList { QStringLiteral("255.255.255.254/31") };
        QTest::newRow("across 64-bit boundary")
            << QStringLiteral("fd00::ffff:ffff:ffff:ffff-fd00:0:0:1::1") << QString() << QStringLiteral("3")
            << QStringList { QStringLiteral("fd00::ffff:ffff:ffff:ffff/128"), QStringLiteral("fd00:0:0:1::/127") };
        QTest::newRow("v6 low half") << QStringLiteral(":: - ::ffff:ffff:ffff:ffff") << QString()
                                     << QStringLiteral("18446744073709551616")
                                     << QStringList { QStringLiteral("::/64") };
        QTest::newRow("all v6") << QStringLiteral("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") << QString()
                                << QStringLiteral("340282366920938463463374607431768211456")
                                << QStringList { QStringLiteral("::/0") };
        QTest::newRow("v6 all but first") << QStringLiteral("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff") << QString()
                                          << QStringLiteral("340282366920938463463374607431768211455") << QStringList();
        QTest::newRow("start after end") << QStringLiteral("10.0.0.9-10.0.0.1") << QStringLiteral("is after the end IP")
                                         << QString() << QStringList();
        QTest::newRow("mixed families") << QStringLiteral("10.0.0.1-fd00::1")
                                        << QStringLiteral("different address families") << QString() << QStringList();
        QTest::newRow("bad start") << QStringLiteral("10.0.0-10.0.0.9") << QStringLiteral("invalid start IP")
                                   << QString() << QStringList();
        QTest::newRow("bad end") << QStringLiteral("10.0.0.1-") << QStringLiteral("invalid end IP") << QString()
                                 << QStringList();
        QTest::newRow("two hyphens") << QStringLiteral("10.0.0.1-10.0.0.2-10.0.0.3") << QStringLiteral("more than one")
                                     << QString() << QStringList();
        QTest::newRow("cidr in range") << QStringLiteral("10.0.0.0/24-10.0.1.0") << QStringLiteral("invalid start IP")
                                       << QString() << QStringList();
    }
    void ranges()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QString, size);
        QFETCH(QStringList, blocks);
        const AddressEntry e = AddressEntry::parse(text);
        QCOMPARE(e.ok, error.isEmpty());
        if (!e.ok) {
            QVERIFY2(e.error.contains(error), qPrintable(e.error));
            return;
        }
        QVERIFY(!e.isCidr);
        QCOMPARE(e.range.size().toString(), size);
        const QList<IpCidr> cidrs = e.cidrs();
        if (!blocks.isEmpty())
            QCOMPARE(cidrTexts(cidrs), blocks);
        // The blocks tile the range exactly: contiguous, in order.
        QVERIFY(!cidrs.isEmpty());
        QCOMPARE(cidrs.constFirst().first(), e.range.first);
        QCOMPARE(cidrs.constLast().last(), e.range.last);
        for (qsizetype i = 1; i < cidrs.size(); ++i)
            QVERIFY(cidrs.at(i - 1).last() < cidrs.at(i).first());
    }

    void allButFirstNeeds128Blocks()
    {
        const AddressEntry e = AddressEntry::parse(QStringLiteral("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        QVERIFY(e.ok);
        QCOMPARE(e.cidrs().size(), 128);
        QCOMPARE(e.range.size().saturated(), std::numeric_limits<quint64>::max());
    }

    void membership()
    {
        const IpRange r = AddressEntry::parse(QStringLiteral("10.0.0.250-10.0.1.5")).range;
        QVERIFY(r.contains(ip("10.0.0.250")));
        QVERIFY(r.contains(ip("10.0.1.0")));
        QVERIFY(r.contains(ip("10.0.1.5")));
        QVERIFY(!r.contains(ip("10.0.0.249")));
        QVERIFY(!r.contains(ip("10.0.1.6")));
        QVERIFY(!r.contains(ip("::ffff:10.0.1.0"))); // another family
        const IpRange v6 = AddressEntry::parse(QStringLiteral("fd00::/127")).range;
        QVERIFY(v6.contains(ip("fd00::1")));
        QVERIFY(!v6.contains(ip("fd00::2")));
        const IpRange all = AddressEntry::parse(QStringLiteral("0.0.0.0/0")).range;
        QVERIFY(all.contains(ip("255.255.255.255")));
        QVERIFY(!all.contains(ip("::")));
    }

    void overlap_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("overlaps");
        QTest::newRow("range in cidr") << QStringLiteral("192.168.1.240-192.168.1.250")
                                       << QStringLiteral("192.168.1.0/24") << true;
        QTest::newRow("touching ends") << QStringLiteral("10.0.0.0/25") << QStringLiteral("10.0.0.127-10.0.0.200")
                                       << true;
        QTest::newRow("adjacent") << QStringLiteral("10.0.0.0/25") << QStringLiteral("10.0.0.128/25") << false;
        QTest::newRow("v6 nested") << QStringLiteral("fd00::/64") << QStringLiteral("fd00::ff-fd00::1ff") << true;
        QTest::newRow("v6 apart") << QStringLiteral("fd00::/64") << QStringLiteral("fd00:0:0:1::/64") << false;
        QTest::newRow("families") << QStringLiteral("0.0.0.0/0") << QStringLiteral("::/0") << false;
        QTest::newRow("mapped v6 vs v4") << QStringLiteral("::ffff:0:0/96") << QStringLiteral("10.0.0.0/8") << false;
    }
    void overlap()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, overlaps);
        const IpRange ra = AddressEntry::parse(a).range, rb = AddressEntry::parse(b).range;
        QCOMPARE(ra.overlaps(rb), overlaps);
        QCOMPARE(rb.overlaps(ra), overlaps);
    }

    void ordering()
    {
        QVERIFY(ip("10.0.0.1") < ip("10.0.0.2"));
        QVERIFY(ip("255.255.255.255") < ip("::"));
        QVERIFY(ip("::ffff:ffff:ffff:ffff") < ip("0:0:0:1::"));
    }

    void arithmetic()
    {
        const Uint128 big { 1, 0 }; // 2^64
        QCOMPARE((big - Uint128 { 0, 1 }), (Uint128 { 0, ~quint64(0) }));
        QCOMPARE((Uint128 { 0, ~quint64(0) } + Uint128 { 0, 1 }), big);
        QCOMPARE((Uint128 {} - Uint128 { 0, 1 }), (Uint128 { ~quint64(0), ~quint64(0) })); // wraps

        const AddressCount all { {}, true };
        const AddressCount max { { ~quint64(0), ~quint64(0) }, false }; // 2^128 - 1
        QCOMPARE(AddressCount::of(254) + AddressCount::of(2), AddressCount::of(256));
        QCOMPARE(max + AddressCount::of(1), all);
        QCOMPARE(max + max, all); // saturates
        QCOMPARE(all + AddressCount::of(5), all);
        QCOMPARE(AddressCount::of(3) - AddressCount::of(5), AddressCount {}); // never negative
        QCOMPARE(all - AddressCount::of(1), max);
        QCOMPARE(all - AddressCount {}, all);
        QCOMPARE(all - all, AddressCount {});
        QCOMPARE(
            (AddressCount { big, false } - AddressCount::of(1)).toString(), QStringLiteral("18446744073709551615"));
        QVERIFY(AddressCount::of(1) < all);
        QVERIFY(max < all);
        QVERIFY(AddressCount {}.isZero());
        QVERIFY(!all.isZero());
    }
};

QTEST_GUILESS_MAIN(TestIpAddress)
#include "tst_ipaddress.moc"
