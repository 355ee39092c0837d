// AttributeValue helpers: exact decimals (parse, compare, add, print), the
// sortable key encoding agreeing with compareValues() on random numbers and
// strings, deep equality, set arithmetic and validation messages.
#include "dynamodb/attributevalue.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace Bramble::LocalRuntime::Dynamo;

namespace {

AttributeValue n(const QString &text)
{
    return AttributeValue { { QStringLiteral("N"), text } };
}

AttributeValue s(const QString &text)
{
    return AttributeValue { { QStringLiteral("S"), text } };
}

QString randomNumber(QRandomGenerator &random)
{
    QString digits;
    const int length = 1 + int(random.bounded(12));
    for (int i = 0; i < length; ++i)
        digits += QChar(u'0' + int(random.bounded(10)));
    QString out = random.bounded(2) ? QStringLiteral("-") : QString();
    const int point = int(random.bounded(length + 1));
    out += digits.left(point).isEmpty() ? QStringLiteral("0") : digits.left(point);
    if (point < length)
        out += QLatin1Char('.') + digits.mid(point);
    if (random.bounded(4) == 0)
        out += QStringLiteral("e") + QString::number(int(random.bounded(-20, 20)));
    return out;
}

} // namespace

class TestAttributeValue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decimals_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("sum");
        QTest::newRow("equal forms") << "10"
                                     << "1e1" << 0 << "20";
        QTest::newRow("trailing zeros") << "1.500"
                                        << "01.5" << 0 << "3";
        QTest::newRow("negative zero") << "-0"
                                       << "0.000" << 0 << "0";
        QTest::newRow("string order is not number order") << "9"
                                                          << "10" << -1 << "19";
        QTest::newRow("negatives") << "-10"
                                   << "-9.99" << -1 << "-19.99";
        QTest::newRow("cancelling") << "-2.5"
                                    << "2.5" << -1 << "0";
        QTest::newRow("38 digits") << "0.30000000000000000000000000000000000001"
                                   << "0.3" << 1 << "0.60000000000000000000000000000000000001";
        QTest::newRow("tiny") << "1e-130"
                              << "0" << 1 << QStringLiteral("0.") + QString(129, u'0') + QStringLiteral("1");
        QTest::newRow("borrow") << "1000"
                                << "-0.001" << 1 << "999.999";
    }

    void decimals()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, order);
        QFETCH(QString, sum);
        const auto x = Decimal::parse(a);
        const auto y = Decimal::parse(b);
        QVERIFY(x && y);
        QCOMPARE(compare(*x, *y), order);
        QCOMPARE(compare(*y, *x), -order);
        QCOMPARE(add(*x, *y).toString(), sum);
        QCOMPARE(compareValues(n(a), n(b)), std::optional<int>(order));
        QCOMPARE(sortKey(n(a)).compare(sortKey(n(b))) < 0, order < 0);
        QCOMPARE(sortKey(n(a)) == sortKey(n(b)), order == 0);
    }

    void refusesNumbers_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad :
            { "", "abc", "1.2.3", "--1", "1e", ".", "1e1000", "1234567890123456789012345678901234567890" })
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }

    void refusesNumbers()
    {
        QFETCH(QString, text);
        QVERIFY(!Decimal::parse(text));
        QCOMPARE(validate(n(text)), QStringLiteral("A value provided cannot be converted into a number"));
    }

    // Random numbers sorted by their key bytes come out in the order the
    // exact comparison gives, which agrees with long double where that is exact enough.
    void sortKeyOrdersNumbers()
    {
        QRandomGenerator random(20261207);
        QStringList numbers;
        for (int i = 0; i < 2000; ++i)
            numbers.append(randomNumber(random));
        QStringList byKey = numbers;
        std::sort(byKey.begin(), byKey.end(),
            [](const QString &a, const QString &b) { return sortKey(n(a)) < sortKey(n(b)); });
        for (int i = 1; i < byKey.size(); ++i) {
            const auto c = compareValues(n(byKey.at(i - 1)), n(byKey.at(i)));
            QVERIFY2(c && *c <= 0, qPrintable(byKey.at(i - 1) + QStringLiteral(" > ") + byKey.at(i)));
            QVERIFY2(byKey.at(i - 1).toDouble() <= byKey.at(i).toDouble(),
                qPrintable(byKey.at(i - 1) + QStringLiteral(" > ") + byKey.at(i)));
        }
    }

    void sortKeyOrdersStrings()
    {
        const QStringList words = { QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("ab"), QStringLiteral("B"),
            QStringLiteral("é"), QStringLiteral("z"), QStringLiteral("😀"), QStringLiteral("\uffff") };
        QStringList byKey = words;
        std::sort(byKey.begin(), byKey.end(),
            [](const QString &a, const QString &b) { return sortKey(s(a)) < sortKey(s(b)); });
        QStringList byBytes = words;
        std::sort(
            byBytes.begin(), byBytes.end(), [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
        QCOMPARE(byKey, byBytes);
        // UTF-8 order puts U+FFFF before the emoji (UTF-16 order would not).
        QVERIFY(byKey.indexOf(QStringLiteral("\uffff")) < byKey.indexOf(QStringLiteral("😀")));
    }

    void equality()
    {
        const AttributeValue ns1 { { QStringLiteral("NS"),
            QJsonArray { QStringLiteral("1"), QStringLiteral("2.0") } } };
        const AttributeValue ns2 { { QStringLiteral("NS"),
            QJsonArray { QStringLiteral("2"), QStringLiteral("1.00") } } };
        QVERIFY(equalValues(ns1, ns2));
        const AttributeValue m1 { { QStringLiteral("M"),
            QJsonObject { { QStringLiteral("a"), n(QStringLiteral("1")) } } } };
        const AttributeValue m2 { { QStringLiteral("M"),
            QJsonObject { { QStringLiteral("a"), n(QStringLiteral("1.0")) } } } };
        QVERIFY(equalValues(m1, m2));
        QVERIFY(!equalValues(n(QStringLiteral("1")), s(QStringLiteral("1"))));
        QVERIFY(!compareValues(m1, m2).has_value()); // maps have no order
        const auto diff = setDifference(ns1, ns2);
        QVERIFY(!diff.has_value());
        QCOMPARE(setUnion(ns1, AttributeValue { { QStringLiteral("NS"), QJsonArray { QStringLiteral("3") } } })
                     .value(QStringLiteral("NS"))
                     .toArray()
                     .size(),
            3);
    }

    void validation_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QJsonValue(QJsonObject())
                               << QStringLiteral("Supplied AttributeValue is empty, must contain exactly one of the "
                                                 "supported datatypes");
        QTest::newRow("two types") << QJsonValue(
            QJsonObject { { QStringLiteral("S"), QStringLiteral("a") }, { QStringLiteral("N"), QStringLiteral("1") } })
                                   << QStringLiteral("Supplied AttributeValue has more than one datatypes set, must "
                                                     "contain exactly one of the supported datatypes");
        QTest::newRow("NULL false") << QJsonValue(QJsonObject { { QStringLiteral("NULL"), false } })
                                    << QStringLiteral("One or more parameter values were invalid: Null attribute value "
                                                      "types must have the value of true");
        QTest::newRow("duplicates") << QJsonValue(
            QJsonObject { { QStringLiteral("NS"), QJsonArray { QStringLiteral("1"), QStringLiteral("1.0") } } })
                                    << QStringLiteral("One or more parameter values were invalid: Input collection "
                                                      "contains duplicates");
        QTest::newRow("nested") << QJsonValue(QJsonObject {
            { QStringLiteral("L"), QJsonArray { QJsonObject { { QStringLiteral("N"), QStringLiteral("x") } } } } })
                                << QStringLiteral("A value provided cannot be converted into a number");
        QTest::newRow("fine") << QJsonValue(QJsonObject { { QStringLiteral("M"), QJsonObject {} } }) << QString();
    }

    void validation()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        QCOMPARE(validate(value), message);
    }
};

QTEST_GUILESS_MAIN(TestAttributeValue)
#include "tst_attributevalue.moc"
