// DynamoDB AttributeValues to plain JSON and back (attributevalue.h): the
// conversion rules, numbers without loss, and where invalid input is reported.
// The same conversion against moto's DynamoDB is in tst_awsclients.cpp.

#include "aws/attributevalue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Bramble::Aws;

namespace {

// A JSON value written in the test (any type: it is parsed inside an array).
QJsonValue value(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        qFatal("test JSON does not parse (%s): %s", qPrintable(error.errorString()), text);
    return doc.array().at(0);
}

QJsonObject object(const char *text)
{
    const QJsonValue v = value(text);
    if (!v.isObject())
        qFatal("test JSON is not an object: %s", text);
    return v.toObject();
}

} // namespace

class tst_AttributeValue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void toJson_data();
    void toJson();
    void numbersStayExact_data();
    void numbersStayExact();
    void invalidInputSaysWhere_data();
    void invalidInputSaysWhere();
    void fromJson_data();
    void fromJson();
    void doublesRoundTrip_data();
    void doublesRoundTrip();
    void items();
};

void tst_AttributeValue::toJson_data()
{
    QTest::addColumn<QJsonObject>("attributeValue");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("S") << object("{\"S\":\"saga\"}") << value("\"saga\"");
    QTest::newRow("empty S") << object("{\"S\":\"\"}") << value("\"\"");
    QTest::newRow("N integer") << object("{\"N\":\"42\"}") << value("42");
    QTest::newRow("N negative fraction") << object("{\"N\":\"-0.25\"}") << value("-0.25");
    QTest::newRow("B stays base64") << object("{\"B\":\"AAFoaQ==\"}") << value("\"AAFoaQ==\"");
    QTest::newRow("BOOL true") << object("{\"BOOL\":true}") << value("true");
    QTest::newRow("BOOL false") << object("{\"BOOL\":false}") << value("false");
    QTest::newRow("NULL") << object("{\"NULL\":true}") << value("null");
    QTest::newRow("L") << object("{\"L\":[{\"S\":\"a\"},{\"N\":\"1\"},{\"NULL\":true},{\"L\":[]}]}")
                       << value("[\"a\",1,null,[]]");
    QTest::newRow("empty L") << object("{\"L\":[]}") << value("[]");
    QTest::newRow("M") << object("{\"M\":{\"a\":{\"M\":{\"b\":{\"BOOL\":true}}},\"n\":{\"N\":\"2\"}}}")
                       << value("{\"a\":{\"b\":true},\"n\":2}");
    QTest::newRow("empty M") << object("{\"M\":{}}") << value("{}");
    QTest::newRow("SS") << object("{\"SS\":[\"red\",\"blue\"]}") << value("[\"red\",\"blue\"]");
    QTest::newRow("NS mixed") << object("{\"NS\":[\"1.5\",\"12345678901234567890\"]}")
                              << value("[1.5,\"12345678901234567890\"]");
    QTest::newRow("BS") << object("{\"BS\":[\"eA==\",\"AP8=\"]}") << value("[\"eA==\",\"AP8=\"]");
}

void tst_AttributeValue::toJson()
{
    QFETCH(QJsonObject, attributeValue);
    QFETCH(QJsonValue, expected);
    QString error;
    const QJsonValue actual = AttributeValue::toJson(attributeValue, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(actual, expected);
}

void tst_AttributeValue::numbersStayExact_data()
{
    // A number a double holds exactly becomes a JSON number; any other keeps
    // its digits as a string (DynamoDB keeps 38 significant digits).
    QTest::addColumn<QString>("digits");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("zero") << QStringLiteral("0") << QJsonValue(0.0);
    QTest::newRow("padded") << QStringLiteral("007.50") << QJsonValue(7.5);
    QTest::newRow("plus sign") << QStringLiteral("+3") << QJsonValue(3.0);
    QTest::newRow("one tenth") << QStringLiteral("0.1") << QJsonValue(0.1);
    QTest::newRow("2^53") << QStringLiteral("9007199254740992") << QJsonValue(9007199254740992.0);
    QTest::newRow("2^53 + 1") << QStringLiteral("9007199254740993") << QJsonValue(QStringLiteral("9007199254740993"));
    QTest::newRow("-(2^53 + 1)") << QStringLiteral("-9007199254740993")
                                 << QJsonValue(QStringLiteral("-9007199254740993"));
    QTest::newRow("big fraction") << QStringLiteral("12345678901234567890.5")
                                  << QJsonValue(QStringLiteral("12345678901234567890.5"));
    QTest::newRow("38 digits") << QStringLiteral("0.12345678901234567890123456789012345678")
                               << QJsonValue(QStringLiteral("0.12345678901234567890123456789012345678"));
    QTest::newRow("1e21 in digits") << QStringLiteral("1000000000000000000000") << QJsonValue(1e21);
    QTest::newRow("small") << QStringLiteral("0.000001") << QJsonValue(0.000001);
    QTest::newRow("exponent") << QStringLiteral("1.5E+2") << QJsonValue(150.0);
    QTest::newRow("exponent, 38 digits") << QStringLiteral("9.9999999999999999999999999999999999999E+125")
                                         << QJsonValue(QStringLiteral("9.9999999999999999999999999999999999999E+125"));
}

void tst_AttributeValue::numbersStayExact()
{
    QFETCH(QString, digits);
    QFETCH(QJsonValue, expected);
    QString error;
    const QJsonValue actual = AttributeValue::toJson({ { QStringLiteral("N"), digits } }, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(actual.type(), expected.type());
    QCOMPARE(actual, expected);
}

void tst_AttributeValue::invalidInputSaysWhere_data()
{
    QTest::addColumn<QJsonObject>("attributeValue");
    QTest::addColumn<QString>("error");
    QTest::newRow("no type") << object("{}")
                             << QStringLiteral("/: an AttributeValue has exactly one type key, found 0");
    QTest::newRow("two types") << object("{\"S\":\"a\",\"N\":\"1\"}")
                               << QStringLiteral("/: an AttributeValue has exactly one type key, found 2");
    QTest::newRow("unknown type") << object("{\"X\":\"a\"}") << QStringLiteral("/X: unknown AttributeValue type \"X\"");
    QTest::newRow("S number") << object("{\"S\":5}") << QStringLiteral("/S: expected a string");
    QTest::newRow("B object") << object("{\"B\":{}}") << QStringLiteral("/B: expected a string");
    QTest::newRow("N number") << object("{\"N\":5}") << QStringLiteral("/N: expected a number as a string");
    QTest::newRow("BOOL string") << object("{\"BOOL\":\"true\"}") << QStringLiteral("/BOOL: expected true or false");
    QTest::newRow("M array") << object("{\"M\":[]}") << QStringLiteral("/M: expected an object");
    QTest::newRow("L object") << object("{\"L\":{}}") << QStringLiteral("/L: expected an array");
    QTest::newRow("SS string") << object("{\"SS\":\"a\"}") << QStringLiteral("/SS: expected an array");
    QTest::newRow("L element") << object("{\"L\":[{\"S\":\"a\"},{\"N\":1}]}")
                               << QStringLiteral("/L/1/N: expected a number as a string");
    QTest::newRow("L element not an object")
        << object("{\"L\":[\"a\"]}") << QStringLiteral("/L/0: an AttributeValue has exactly one type key, found 0");
    QTest::newRow("first error wins") << object("{\"L\":[{\"S\":1},{\"N\":2}]}")
                                      << QStringLiteral("/L/0/S: expected a string");
    QTest::newRow("in a map") << object("{\"M\":{\"inner\":{\"BOOL\":\"yes\"}}}")
                              << QStringLiteral("/M/inner/BOOL: expected true or false");
    QTest::newRow("deep") << object("{\"L\":[{\"M\":{\"k\":{\"L\":[{\"NULL\":true},{\"Q\":1}]}}}]}")
                          << QStringLiteral("/L/0/M/k/L/1/Q: unknown AttributeValue type \"Q\"");
    QTest::newRow("escaped key") << object("{\"M\":{\"a/b~c\":{\"S\":1}}}")
                                 << QStringLiteral("/M/a~1b~0c/S: expected a string");
    QTest::newRow("SS element") << object("{\"SS\":[\"a\",true]}") << QStringLiteral("/SS/1: expected a string");
    QTest::newRow("NS element") << object("{\"NS\":[\"1\",2]}")
                                << QStringLiteral("/NS/1: expected a number as a string");
    QTest::newRow("BS element") << object("{\"BS\":[null]}") << QStringLiteral("/BS/0: expected a string");
}

void tst_AttributeValue::invalidInputSaysWhere()
{
    QFETCH(QJsonObject, attributeValue);
    QFETCH(QString, error);
    QString actual;
    (void)AttributeValue::toJson(attributeValue, &actual);
    QCOMPARE(actual, error);

    // A pointer given by the caller is the prefix.
    QString prefixed;
    (void)AttributeValue::toJson(attributeValue, &prefixed, QStringLiteral("/Items/3/payload"));
    const QString prefix = QStringLiteral("/Items/3/payload");
    QCOMPARE(prefixed, error.startsWith(QStringLiteral("/: ")) ? prefix + error.mid(1) : prefix + error);

    // Without an error string it does not crash.
    (void)AttributeValue::toJson(attributeValue);
}

void tst_AttributeValue::fromJson_data()
{
    QTest::addColumn<QJsonValue>("plain");
    QTest::addColumn<QJsonObject>("expected");
    QTest::newRow("string") << value("\"saga\"") << object("{\"S\":\"saga\"}");
    QTest::newRow("integer") << value("42") << object("{\"N\":\"42\"}");
    QTest::newRow("negative fraction") << value("-0.25") << object("{\"N\":\"-0.25\"}");
    QTest::newRow("no exponent") << value("1e21") << object("{\"N\":\"1000000000000000000000\"}");
    QTest::newRow("small") << value("1e-7") << object("{\"N\":\"0.0000001\"}");
    QTest::newRow("true") << value("true") << object("{\"BOOL\":true}");
    QTest::newRow("false") << value("false") << object("{\"BOOL\":false}");
    QTest::newRow("null") << value("null") << object("{\"NULL\":true}");
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << object("{\"NULL\":true}");
    QTest::newRow("array is a list") << value("[1,\"a\",[]]")
                                     << object("{\"L\":[{\"N\":\"1\"},{\"S\":\"a\"},{\"L\":[]}]}");
    QTest::newRow("object is a map") << value("{\"a\":{\"b\":null}}")
                                     << object("{\"M\":{\"a\":{\"M\":{\"b\":{\"NULL\":true}}}}}");
    QTest::newRow("empty object") << value("{}") << object("{\"M\":{}}");
}

void tst_AttributeValue::fromJson()
{
    QFETCH(QJsonValue, plain);
    QFETCH(QJsonObject, expected);
    QCOMPARE(AttributeValue::fromJson(plain), expected);
}

void tst_AttributeValue::doublesRoundTrip_data()
{
    QTest::addColumn<double>("number");
    QTest::newRow("one tenth") << 0.1;
    QTest::newRow("one third") << 1.0 / 3.0;
    QTest::newRow("negative") << -123.456;
    QTest::newRow("2^53") << 9007199254740992.0;
    QTest::newRow("large") << 1e125;
    QTest::newRow("tiny") << 1e-130;
    QTest::newRow("max double") << std::numeric_limits<double>::max();
}

void tst_AttributeValue::doublesRoundTrip()
{
    QFETCH(double, number);
    const QJsonObject av = AttributeValue::fromJson(number);
    const QString digits = av.value(QStringLiteral("N")).toString();
    QVERIFY2(!digits.contains(u'e') && !digits.contains(u'E'), qPrintable(digits));
    QString error;
    const QJsonValue back = AttributeValue::toJson(av, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(back.isDouble(), qPrintable(digits));
    QCOMPARE(back.toDouble(), number);
}

void tst_AttributeValue::items()
{
    const QJsonObject typed = object("{\"TransactionId\":{\"S\":\"2\"},\"Amount\":{\"N\":\"12.5\"},"
                                     "\"Steps\":{\"L\":[{\"S\":\"reserve\"}]},\"Done\":{\"BOOL\":true}}");
    const QJsonObject plain = object("{\"TransactionId\":\"2\",\"Amount\":12.5,\"Steps\":[\"reserve\"],\"Done\":true}");
    QString error;
    QCOMPARE(AttributeValue::itemToJson(typed, &error), plain);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(AttributeValue::itemFromJson(plain), typed);
    QCOMPARE(AttributeValue::itemToJson({}, &error), QJsonObject());
    QCOMPARE(AttributeValue::itemFromJson({}), QJsonObject());

    // An item's errors start at the attribute's name.
    error.clear();
    (void)AttributeValue::itemToJson(object("{\"id\":{\"S\":\"1\"},\"bad\":{\"N\":true}}"), &error);
    QCOMPARE(error, QStringLiteral("/bad/N: expected a number as a string"));
    error.clear();
    (void)AttributeValue::itemToJson(object("{\"id\":{\"M\":{\"x\":{}}}}"), &error);
    QCOMPARE(error, QStringLiteral("/id/M/x: an AttributeValue has exactly one type key, found 0"));
}

QTEST_APPLESS_MAIN(tst_AttributeValue)
#include "tst_attributevalue.moc"
