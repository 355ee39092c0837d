// ConditionExpression through UpdateItem: each function, comparator and
// logical operator (with AND binding tighter than OR), numbers compared as
// numbers, and the ValidationException messages of bad expressions.
#include "dynamotest.h"

#include <QRegularExpression>

using namespace Bramble::LocalRuntime;
using namespace Bramble::Test::Dynamo;

namespace {

// Every placeholder a row may use; a request carries only those its
// expression names (DynamoDB refuses unused ones).
QJsonObject allValues()
{
    return j("{':one': {'N': '1'}, ':nine': {'N': '9'}, ':ten': {'N': '10'}, ':tenf': {'N': '10.000'},"
             " ':sci': {'N': '1e1'}, ':eleven': {'N': '11'}, ':neg': {'N': '-3.5'}, ':two': {'N': '2'},"
             " ':five': {'N': '5'}, ':s': {'S': '10'}, ':a': {'S': 'a'}, ':he': {'S': 'he'}, ':ell': {'S': 'ell'},"
             " ':x': {'S': 'x'}, ':z': {'S': 'z'}, ':zz': {'S': 'zz'}, ':true': {'BOOL': true},"
             " ':false': {'BOOL': false}, ':null': {'NULL': true}, ':SS': {'S': 'SS'}, ':S': {'S': 'S'},"
             " ':M': {'S': 'M'}, ':bad': {'S': 'STRING'}, ':hello': {'S': 'hello'}, ':l': {'L': [{'N': '1'},"
             " {'S': 'x'}]}, ':blob': {'B': 'AAE='}}");
}

QJsonObject allNames()
{
    return j("{'#dash': 'a-b', '#m': 'm', '#status': 'status'}");
}

QJsonObject used(const QJsonObject &all, const QString &expression, QChar sigil)
{
    QJsonObject out;
    static const QRegularExpression placeholder(QStringLiteral("[#:][A-Za-z0-9_]+"));
    auto it = placeholder.globalMatch(expression);
    while (it.hasNext()) {
        const QString p = it.next().captured(0);
        if (p.startsWith(sigil) && all.contains(p))
            out.insert(p, all.value(p));
    }
    return out;
}

DynamoAnswer conditionalUpdate(
    TableStore &store, const QString &condition, const QJsonObject &names, const QJsonObject &values)
{
    QJsonObject request = j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}}, 'UpdateExpression': 'SET touched = "
                            ":touched'}");
    request.insert(QStringLiteral("ConditionExpression"), condition);
    QJsonObject v = values;
    v.insert(QStringLiteral(":touched"), j("{'BOOL': true}"));
    request.insert(QStringLiteral("ExpressionAttributeValues"), v);
    if (!names.isEmpty())
        request.insert(QStringLiteral("ExpressionAttributeNames"), names);
    return store.call(QStringLiteral("UpdateItem"), request);
}

std::unique_ptr<TableStore> storeWithItem()
{
    auto store = openMemory();
    store->call(QStringLiteral("CreateTable"),
        j("{'TableName': 'Things', 'AttributeDefinitions': [{'AttributeName': 'pk', 'AttributeType': 'S'}],"
          " 'KeySchema': [{'AttributeName': 'pk', 'KeyType': 'HASH'}]}"));
    const DynamoAnswer put = store->call(QStringLiteral("PutItem"),
        j("{'TableName': 'Things', 'Item': {'pk': {'S': 'k'}, 's': {'S': 'hello'}, 'n': {'N': '10'},"
          " 'n2': {'N': '9.5'}, 'neg': {'N': '-3.5'}, 'b': {'BOOL': false}, 'l': {'L': [{'N': '1'}, {'S': 'x'}]},"
          " 'm': {'M': {'inside': {'S': 'v'}}}, 'a-b': {'N': '1'}, 'ss': {'SS': ['a', 'b']},"
          " 'ns': {'NS': ['1', '2']}, 'nul': {'NULL': true}, 'status': {'S': 'he'}, 'bin': {'B': 'AAECAw=='}}}"));
    if (!put.ok())
        qFatal("cannot put the fixture item: %s", qPrintable(put.message));
    return store;
}

} // namespace

class TestConditionExpression : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void evaluates_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<bool>("holds");
        auto row = [](const char *condition, bool holds) {
            QTest::newRow(condition) << QString::fromLatin1(condition) << holds;
        };
        row("n = :ten", true);
        row("n = :tenf", true); // numbers compare by value
        row("n = :sci", true);
        row("n > :nine", true); // "10" < "9" as strings, not as numbers
        row("n2 < n", true);
        row("neg < :one", true);
        row("neg > :neg", false);
        row("n >= :ten", true);
        row("n <= :nine", false);
        row("n <> :ten", false);
        row("n = :s", false); // N and S never equal
        row("n < :s", false);
        row("n <> :s", true);
        row("absent = :one", false);
        row("absent <> :one", true);
        row("s < :z", true);
        row("s > :zz", false);
        row("n BETWEEN :nine AND :eleven", true);
        row("neg BETWEEN :neg AND :one", true);
        row("n IN (:one, :ten)", true);
        row("s IN (:one, :a)", false);
        row("attribute_exists(m.inside)", true);
        row("attribute_exists(m.nope)", false);
        row("attribute_not_exists(absent)", true);
        row("attribute_not_exists(pk)", false);
        row("attribute_type(ss, :SS)", true);
        row("attribute_type(n, :S)", false);
        row("attribute_type(#m, :M)", true);
        row("begins_with(s, :he)", true);
        row("begins_with(s, :ell)", false);
        row("begins_with(bin, :blob)", true);
        row("begins_with(n, :one)", false);
        row("contains(s, :ell)", true);
        row("contains(ss, :a)", true);
        row("contains(ss, :z)", false);
        row("contains(ns, :one)", true);
        row("contains(l, :x)", true);
        row("contains(l, :one)", true);
        row("size(s) = :five", true);
        row("size(l) = :two", true);
        row("size(ss) > :one", true);
        row("size(n) = :two", false); // numbers have no size
        row("l[1] = :x", true);
        row("l[5] = :x", false);
        row("l = :l", true);
        row("#dash = :one", true);
        row("#status = :he", true);
        row("b = :false", true);
        row("nul = :null", true);
        row("NOT n = :ten", false);
        row("NOT NOT n = :ten", true);
        row("n = :ten OR s = :zz AND b = :true", true); // OR (AND ...)
        row("(n = :ten OR s = :zz) AND b = :true", false);
        row("s = :zz AND b = :true OR n = :ten", true);
        row("NOT (n = :one) AND b = :false", true);
        row("not n = :one and b = :false", true); // keywords in any case
    }

    void evaluates()
    {
        QFETCH(QString, condition);
        QFETCH(bool, holds);
        auto store = storeWithItem();
        const DynamoAnswer a = conditionalUpdate(*store, condition, used(allNames(), condition, QLatin1Char('#')),
            used(allValues(), condition, QLatin1Char(':')));
        if (holds) {
            QVERIFY2(a.ok(), why(a));
        } else {
            QCOMPARE(a.errorType, QStringLiteral("ConditionalCheckFailedException"));
            QCOMPARE(a.message, QStringLiteral("The conditional request failed"));
        }
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QByteArray>("values");
        QTest::addColumn<QString>("message");
        const QByteArray one = "{':one': {'N': '1'}}";
        QTest::newRow("empty") << QString() << QByteArray()
                               << QStringLiteral("Invalid ConditionExpression: The expression can not be empty;");
        QTest::newRow("dangling comparator")
            << QStringLiteral("n = ") << QByteArray()
            << QStringLiteral("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"");
        QTest::newRow("double equals")
            << QStringLiteral("n == :one") << one
            << QStringLiteral("Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :one\"");
        QTest::newRow("dangling AND")
            << QStringLiteral("n = :one AND") << one
            << QStringLiteral("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
        QTest::newRow("unbalanced") << QStringLiteral("n = :one)") << one
                                    << QStringLiteral(
                                           "Invalid ConditionExpression: Syntax error; token: \")\", near: \":one)\"");
        QTest::newRow("undefined value")
            << QStringLiteral("n = :nope") << QByteArray()
            << QStringLiteral("Invalid ConditionExpression: An expression attribute value used in expression is not "
                              "defined; attribute value: :nope");
        QTest::newRow("undefined name")
            << QStringLiteral("#nope = :one") << one
            << QStringLiteral("Invalid ConditionExpression: An expression attribute name used in the document path "
                              "is not defined; attribute name: #nope");
        QTest::newRow("unused value") << QStringLiteral("attribute_exists(n)") << one
                                      << QStringLiteral("Value provided in ExpressionAttributeValues unused in "
                                                        "expressions: keys: {:one}");
        QTest::newRow("unknown function")
            << QStringLiteral("foo(n)") << QByteArray()
            << QStringLiteral("Invalid ConditionExpression: Invalid function name; function: foo");
        QTest::newRow("function names are case-sensitive")
            << QStringLiteral("Attribute_Exists(n)") << QByteArray()
            << QStringLiteral("Invalid ConditionExpression: Invalid function name; function: Attribute_Exists");
        QTest::newRow("operand count")
            << QStringLiteral("attribute_exists(n, s)") << QByteArray()
            << QStringLiteral("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                              "operator or function: attribute_exists, number of operands: 2");
        QTest::newRow("update function in a condition")
            << QStringLiteral("if_not_exists(n, :one) = :one") << one
            << QStringLiteral("Invalid ConditionExpression: The function is not allowed in a condition expression; "
                              "function: if_not_exists");
        QTest::newRow("bad type name")
            << QStringLiteral("attribute_type(n, :t)") << QByteArray("{':t': {'S': 'STRING'}}")
            << QStringLiteral("Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid "
                              "types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
        QTest::newRow("bad character")
            << QStringLiteral("n ! :one") << one
            << QStringLiteral("Invalid ConditionExpression: Invalid character encountered; character: \"!\", near: "
                              "\"n ! :on\"");
        QTest::newRow("IN without parentheses")
            << QStringLiteral("n IN :one") << one
            << QStringLiteral("Invalid ConditionExpression: Syntax error; token: \":one\", near: \"IN :one\"");
        QTest::newRow("path index not a number")
            << QStringLiteral("l[x] = :one") << one
            << QStringLiteral("Invalid ConditionExpression: Syntax error; token: \"x\", near: \"[x]\"");
        QTest::newRow("reserved word")
            << QStringLiteral("status = :one") << one
            << QStringLiteral("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
                              "status");
        QTest::newRow("reserved word inside a path")
            << QStringLiteral("m.Data = :one") << one
            << QStringLiteral("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
                              "Data");
        QTest::newRow("BETWEEN bounds reversed")
            << QStringLiteral("n BETWEEN :b AND :a") << QByteArray("{':a': {'N': '9'}, ':b': {'N': '11'}}")
            << QStringLiteral("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
                              "than or equal to lower bound; lower operand: AttributeValue: {N:11}, upper operand: "
                              "AttributeValue: {N:9}");
        QTest::newRow("BETWEEN bounds of two types")
            << QStringLiteral("n BETWEEN :a AND :b") << QByteArray("{':a': {'N': '9'}, ':b': {'S': 'x'}}")
            << QStringLiteral("Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
                              "and upper bounds; lower operand: AttributeValue: {N:9}, upper operand: AttributeValue: "
                              "{S:x}");
        QTest::newRow("ordering a boolean")
            << QStringLiteral("n < :t") << QByteArray("{':t': {'BOOL': true}}")
            << QStringLiteral("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                              "operator: <, operand type: BOOLEAN");
        QTest::newRow("bad value")
            << QStringLiteral("n = :one") << QByteArray("{':one': {'N': 'one'}}")
            << QStringLiteral("ExpressionAttributeValues contains invalid value: A value provided cannot be "
                              "converted into a number for key :one");
    }

    void refuses()
    {
        QFETCH(QString, condition);
        QFETCH(QByteArray, values);
        QFETCH(QString, message);
        auto store = storeWithItem();
        QJsonObject request = j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}}}");
        request.insert(QStringLiteral("ConditionExpression"), condition);
        if (!values.isEmpty())
            request.insert(QStringLiteral("ExpressionAttributeValues"), j(values.constData()));
        const DynamoAnswer a = store->call(QStringLiteral("DeleteItem"), request);
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
        // Nothing was deleted.
        QVERIFY(store->call(QStringLiteral("GetItem"), j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}}}"))
                    .body.contains(QStringLiteral("Item")));
    }

    // Untrusted input: deep nesting and huge expressions are refused, not a crash.
    void refusesHugeExpressions_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QString>("message");
        QTest::newRow("parentheses") << QString(QString(2000, u'(') + QStringLiteral("n = :one") + QString(2000, u')'))
                                     << QStringLiteral("Invalid ConditionExpression: The expression is nested too "
                                                       "deeply; the limit is 64 levels");
        QString nots;
        for (int i = 0; i < 500; ++i)
            nots += QStringLiteral("NOT ");
        QTest::newRow("NOT") << QString(nots + QStringLiteral("n = :one"))
                             << QStringLiteral("Invalid ConditionExpression: The expression is nested too deeply; the "
                                               "limit is 64 levels");
        QString ors = QStringLiteral("n = :one");
        for (int i = 0; i < 400; ++i)
            ors += QStringLiteral(" OR n = :one");
        QTest::newRow("size") << ors
                              << QStringLiteral("Invalid ConditionExpression: Expression size has exceeded the maximum "
                                                "allowed size; expression size: %1")
                                     .arg(ors.size());
    }

    void refusesHugeExpressions()
    {
        QFETCH(QString, condition);
        QFETCH(QString, message);
        auto store = storeWithItem();
        const DynamoAnswer a = conditionalUpdate(*store, condition, {}, j("{':one': {'N': '1'}}"));
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
        // Long but flat and shallow enough: fine.
        QString ors = QStringLiteral("n = :one");
        for (int i = 0; i < 200; ++i)
            ors += QStringLiteral(" OR n = :one");
        QVERIFY(conditionalUpdate(
                    *store, QStringLiteral("((((") + ors + QStringLiteral("))))"), {}, j("{':one': {'N': '1'}}"))
                    .errorType
            == QStringLiteral("ConditionalCheckFailedException"));
    }

    void placeholdersWithoutExpressions()
    {
        auto store = storeWithItem();
        const DynamoAnswer a = store->call(QStringLiteral("DeleteItem"),
            j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}},"
              " 'ExpressionAttributeValues': {':one': {'N': '1'}}}"));
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, QStringLiteral("ExpressionAttributeValues can only be specified when using expressions"));
        const DynamoAnswer empty = store->call(QStringLiteral("DeleteItem"),
            j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}},"
              " 'ConditionExpression': 'attribute_exists(pk)',"
              " 'ExpressionAttributeValues': {}}"));
        QCOMPARE(empty.message, QStringLiteral("ExpressionAttributeValues must not be empty"));
        const DynamoAnswer legacy = store->call(QStringLiteral("DeleteItem"),
            j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}},"
              " 'Expected': {'pk': {'Exists': true}}}"));
        QCOMPARE(legacy.errorType, QStringLiteral("ValidationException"));
    }
};

QTEST_GUILESS_MAIN(TestConditionExpression)
#include "tst_conditionexpression.moc"
