// UpdateExpression through UpdateItem: every SET form (arithmetic,
// if_not_exists, list_append, nested paths, list indexes), REMOVE, ADD and
// DELETE, each ReturnValues mode, operands read from the item as it was, and
// the errors of bad updates (which change nothing).
#include "dynamotest.h"

#include <QJsonArray>

using namespace Bramble::LocalRuntime;
using namespace Bramble::Test::Dynamo;

namespace {

const char *kFixture = "{'pk': {'S': 'k'}, 'n': {'N': '5'}, 's': {'S': 'x'}, 'l': {'L': [{'S': 'a'}, {'S': 'b'},"
                       " {'S': 'c'}]}, 'm': {'M': {'inside': {'N': '1'}}}, 'ss': {'SS': ['a', 'b']},"
                       " 'ns': {'NS': ['1', '2']}, 'gone': {'S': 'y'}}";

std::unique_ptr<TableStore> storeWithItem()
{
    auto store = openMemory();
    store->call(QStringLiteral("CreateTable"),
        j("{'TableName': 'Things', 'AttributeDefinitions': [{'AttributeName': 'pk', 'AttributeType': 'S'}],"
          " 'KeySchema': [{'AttributeName': 'pk', 'KeyType': 'HASH'}]}"));
    QJsonObject put = j("{'TableName': 'Things'}");
    put.insert(QStringLiteral("Item"), j(kFixture));
    if (!store->call(QStringLiteral("PutItem"), put).ok())
        qFatal("cannot put the fixture item");
    return store;
}

QJsonObject currentItem(TableStore &store)
{
    return store.call(QStringLiteral("GetItem"), j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}}}"))
        .body.value(QStringLiteral("Item"))
        .toObject();
}

QJsonObject updateRequest(const QString &expression, const QByteArray &values, const QString &returnValues)
{
    QJsonObject request = j("{'TableName': 'Things', 'Key': {'pk': {'S': 'k'}}}");
    request.insert(QStringLiteral("UpdateExpression"), expression);
    if (!values.isEmpty())
        request.insert(QStringLiteral("ExpressionAttributeValues"), j(values.constData()));
    if (!returnValues.isEmpty())
        request.insert(QStringLiteral("ReturnValues"), returnValues);
    return request;
}

} // namespace

class TestUpdateExpression : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void applies_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QByteArray>("values");
        QTest::addColumn<QString>("returnValues");
        QTest::addColumn<QByteArray>("attributes"); // the answer's Attributes; empty: none
        QTest::addColumn<QByteArray>("changes"); // attribute -> new value, or null when removed

        QTest::newRow("SET a = a + :v") << QStringLiteral("SET n = n + :one") << QByteArray("{':one': {'N': '1'}}")
                                        << QStringLiteral("UPDATED_NEW") << QByteArray("{'n': {'N': '6'}}")
                                        << QByteArray("{'n': {'N': '6'}}");
        QTest::newRow("SET a = :v - a") << QStringLiteral("SET n = :one - n") << QByteArray("{':one': {'N': '1'}}")
                                        << QStringLiteral("UPDATED_OLD") << QByteArray("{'n': {'N': '5'}}")
                                        << QByteArray("{'n': {'N': '-4'}}");
        QTest::newRow("exact decimals") << QStringLiteral("SET n = n + :v")
                                        << QByteArray("{':v': {'N': '0.1000000000000000000000000000000000001'}}")
                                        << QStringLiteral("UPDATED_NEW")
                                        << QByteArray("{'n': {'N': '5.1000000000000000000000000000000000001'}}")
                                        << QByteArray("{'n': {'N': '5.1000000000000000000000000000000000001'}}");
        QTest::newRow("if_not_exists, missing")
            << QStringLiteral("SET fresh = if_not_exists(fresh, :zero)") << QByteArray("{':zero': {'N': '0'}}")
            << QStringLiteral("ALL_NEW") << QByteArray() << QByteArray("{'fresh': {'N': '0'}}");
        QTest::newRow("if_not_exists, present")
            << QStringLiteral("SET n = if_not_exists(n, :zero)") << QByteArray("{':zero': {'N': '0'}}")
            << QStringLiteral("UPDATED_NEW") << QByteArray("{'n': {'N': '5'}}") << QByteArray("{}");
        QTest::newRow("counter from nothing")
            << QStringLiteral("SET c = if_not_exists(c, :zero) + :one")
            << QByteArray("{':zero': {'N': '0'}, ':one': {'N': '1'}}") << QStringLiteral("UPDATED_NEW")
            << QByteArray("{'c': {'N': '1'}}") << QByteArray("{'c': {'N': '1'}}");
        QTest::newRow("list_append at the end")
            << QStringLiteral("SET l = list_append(l, :more)") << QByteArray("{':more': {'L': [{'S': 'd'}]}}")
            << QStringLiteral("UPDATED_NEW")
            << QByteArray("{'l': {'L': [{'S': 'a'}, {'S': 'b'}, {'S': 'c'}, {'S': 'd'}]}}")
            << QByteArray("{'l': {'L': [{'S': 'a'}, {'S': 'b'}, {'S': 'c'}, {'S': 'd'}]}}");
        QTest::newRow("list_append in front")
            << QStringLiteral("SET l = list_append(:more, l)") << QByteArray("{':more': {'L': [{'S': 'd'}]}}")
            << QStringLiteral("NONE") << QByteArray()
            << QByteArray("{'l': {'L': [{'S': 'd'}, {'S': 'a'}, {'S': 'b'}, {'S': 'c'}]}}");
        QTest::newRow("nested map paths")
            << QStringLiteral("SET m.inside = :two, m.added = :s")
            << QByteArray("{':two': {'N': '2'}, ':s': {'S': 'z'}}") << QStringLiteral("UPDATED_OLD")
            << QByteArray("{'m': {'M': {'inside': {'N': '1'}}}}")
            << QByteArray("{'m': {'M': {'inside': {'N': '2'}, 'added': {'S': 'z'}}}}");
        QTest::newRow("list index replaced")
            << QStringLiteral("SET l[1] = :s") << QByteArray("{':s': {'S': 'z'}}") << QStringLiteral("UPDATED_NEW")
            << QByteArray("{'l': {'L': [{'S': 'z'}]}}")
            << QByteArray("{'l': {'L': [{'S': 'a'}, {'S': 'z'}, {'S': 'c'}]}}");
        QTest::newRow("list index past the end appends")
            << QStringLiteral("SET l[10] = :s") << QByteArray("{':s': {'S': 'z'}}") << QString() << QByteArray()
            << QByteArray("{'l': {'L': [{'S': 'a'}, {'S': 'b'}, {'S': 'c'}, {'S': 'z'}]}}");
        QTest::newRow("operands read before the update")
            << QStringLiteral("SET dup = n, n = :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("UPDATED_NEW") << QByteArray("{'dup': {'N': '5'}, 'n': {'N': '1'}}")
            << QByteArray("{'dup': {'N': '5'}, 'n': {'N': '1'}}");
        QTest::newRow("REMOVE") << QStringLiteral("REMOVE gone, l[0], l[2]") << QByteArray()
                                << QStringLiteral("UPDATED_OLD")
                                << QByteArray("{'gone': {'S': 'y'}, 'l': {'L': [{'S': 'a'}, {'S': 'c'}]}}")
                                << QByteArray("{'gone': null, 'l': {'L': [{'S': 'b'}]}}");
        QTest::newRow("REMOVE what is missing") << QStringLiteral("REMOVE nothing, m.nothing") << QByteArray()
                                                << QStringLiteral("UPDATED_NEW") << QByteArray() << QByteArray("{}");
        QTest::newRow("ADD to a number") << QStringLiteral("ADD n :v") << QByteArray("{':v': {'N': '-7.5'}}")
                                         << QStringLiteral("UPDATED_NEW") << QByteArray("{'n': {'N': '-2.5'}}")
                                         << QByteArray("{'n': {'N': '-2.5'}}");
        QTest::newRow("ADD starts at zero")
            << QStringLiteral("ADD fresh :v") << QByteArray("{':v': {'N': '3'}}") << QStringLiteral("UPDATED_OLD")
            << QByteArray() << QByteArray("{'fresh': {'N': '3'}}");
        QTest::newRow("ADD to a string set")
            << QStringLiteral("ADD ss :v") << QByteArray("{':v': {'SS': ['b', 'c']}}") << QStringLiteral("UPDATED_NEW")
            << QByteArray("{'ss': {'SS': ['a', 'b', 'c']}}") << QByteArray("{'ss': {'SS': ['a', 'b', 'c']}}");
        QTest::newRow("ADD to a number set by value")
            << QStringLiteral("ADD ns :v") << QByteArray("{':v': {'NS': ['1.0', '3']}}") << QString() << QByteArray()
            << QByteArray("{'ns': {'NS': ['1', '2', '3']}}");
        QTest::newRow("DELETE from a set") << QStringLiteral("DELETE ss :v") << QByteArray("{':v': {'SS': ['a', 'z']}}")
                                           << QStringLiteral("UPDATED_NEW") << QByteArray("{'ss': {'SS': ['b']}}")
                                           << QByteArray("{'ss': {'SS': ['b']}}");
        QTest::newRow("DELETE every element")
            << QStringLiteral("DELETE ss :v") << QByteArray("{':v': {'SS': ['a', 'b']}}")
            << QStringLiteral("UPDATED_NEW") << QByteArray() << QByteArray("{'ss': null}");
        QTest::newRow("DELETE from a missing set")
            << QStringLiteral("DELETE nothing :v") << QByteArray("{':v': {'SS': ['a']}}") << QStringLiteral("ALL_OLD")
            << QByteArray(kFixture) << QByteArray("{}");
        QTest::newRow("all four clauses")
            << QStringLiteral("SET a = :s REMOVE gone ADD n :one DELETE ss :ss")
            << QByteArray("{':s': {'S': 'z'}, ':one': {'N': '1'}, ':ss': {'SS': ['a']}}")
            << QStringLiteral("UPDATED_OLD")
            << QByteArray("{'gone': {'S': 'y'}, 'n': {'N': '5'}, 'ss': {'SS': ['a', 'b']}}")
            << QByteArray("{'a': {'S': 'z'}, 'gone': null, 'n': {'N': '6'}, 'ss': {'SS': ['b']}}");
        QTest::newRow("clauses in another order, lower case")
            << QStringLiteral("remove gone set a = :s") << QByteArray("{':s': {'S': 'z'}}") << QStringLiteral("ALL_OLD")
            << QByteArray(kFixture) << QByteArray("{'a': {'S': 'z'}, 'gone': null}");
    }

    void applies()
    {
        QFETCH(QString, expression);
        QFETCH(QByteArray, values);
        QFETCH(QString, returnValues);
        QFETCH(QByteArray, attributes);
        QFETCH(QByteArray, changes);
        auto store = storeWithItem();
        const DynamoAnswer a
            = store->call(QStringLiteral("UpdateItem"), updateRequest(expression, values, returnValues));
        QVERIFY2(a.ok(), why(a));

        QJsonObject expected = j(kFixture);
        const QJsonObject delta = j(changes.constData());
        for (auto it = delta.begin(); it != delta.end(); ++it) {
            if (it.value().isNull())
                expected.remove(it.key());
            else
                expected.insert(it.key(), it.value());
        }
        QCOMPARE(text(currentItem(*store)), text(expected));

        if (returnValues == QLatin1String("ALL_NEW"))
            attributes = QJsonDocument(expected).toJson(QJsonDocument::Compact);
        if (attributes.isEmpty())
            QVERIFY2(!a.body.contains(QStringLiteral("Attributes")), qPrintable(text(a.body)));
        else
            QCOMPARE(text(a.body.value(QStringLiteral("Attributes")).toObject()), text(j(attributes.constData())));
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QByteArray>("values");
        QTest::addColumn<QString>("message");
        QTest::newRow("+ on a string")
            << QStringLiteral("SET n = s + :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                              "function: +, operand type: S");
        QTest::newRow("list_append on a string")
            << QStringLiteral("SET l = list_append(l, :s)") << QByteArray("{':s': {'S': 'z'}}")
            << QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
                              "function: list_append, operand type: S");
        QTest::newRow("missing operand")
            << QStringLiteral("SET x = absent") << QByteArray()
            << QStringLiteral("The provided expression refers to an attribute that does not exist in the item");
        QTest::newRow("ADD a number to a string")
            << QStringLiteral("ADD s :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("An operand in the update expression has an incorrect data type");
        QTest::newRow("ADD a string")
            << QStringLiteral("ADD n :s") << QByteArray("{':s': {'S': 'z'}}")
            << QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                              "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND");
        QTest::newRow("DELETE a number")
            << QStringLiteral("DELETE ss :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                              "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
        QTest::newRow("DELETE from another set type")
            << QStringLiteral("DELETE ss :ns") << QByteArray("{':ns': {'NS': ['1']}}")
            << QStringLiteral("An operand in the update expression has an incorrect data type");
        QTest::newRow("overlapping paths")
            << QStringLiteral("SET m.inside = :one REMOVE m") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
                              "rewrite one of these paths; path one: [m, inside], path two: [m]");
        QTest::newRow("SET twice")
            << QStringLiteral("SET a = :one SET b = :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
                              "expression;");
        QTest::newRow("path through a missing map")
            << QStringLiteral("SET nope.deep = :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("The document path provided in the update expression is invalid for update");
        QTest::newRow("index into a map")
            << QStringLiteral("SET m[0] = :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("The document path provided in the update expression is invalid for update");
        QTest::newRow("empty REMOVE") << QStringLiteral("REMOVE") << QByteArray()
                                      << QStringLiteral("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", "
                                                        "near: \"REMOVE\"");
        QTest::newRow("no =") << QStringLiteral("SET n :one") << QByteArray("{':one': {'N': '1'}}")
                              << QStringLiteral("Invalid UpdateExpression: Syntax error; token: \":one\", near: \"n "
                                                ":one\"");
        QTest::newRow("two operators")
            << QStringLiteral("SET n = n + :one + :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"");
        QTest::newRow("size in an update")
            << QStringLiteral("SET n = size(s)") << QByteArray()
            << QStringLiteral("Invalid UpdateExpression: The function is not allowed in an update expression; "
                              "function: size");
        QTest::newRow("no clause") << QStringLiteral("n = :one") << QByteArray("{':one': {'N': '1'}}")
                                   << QStringLiteral("Invalid UpdateExpression: Syntax error; token: \"n\", near: \"n "
                                                     "=\"");
        QTest::newRow("reserved word")
            << QStringLiteral("SET m.inner = :one") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral(
                   "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: inner");
        QTest::newRow("ADD past 38 digits")
            << QStringLiteral("ADD n :v") << QByteArray("{':v': {'N': '0.10000000000000000000000000000000000001'}}")
            << QStringLiteral("Number overflow. Attempting to store a number with magnitude larger than supported "
                              "range");
        QTest::newRow("+ past the largest magnitude")
            << QStringLiteral("SET n = :big + :big") << QByteArray("{':big': {'N': '9.9e125'}}")
            << QStringLiteral("Number overflow. Attempting to store a number with magnitude larger than supported "
                              "range");
        QTest::newRow("unused value")
            << QStringLiteral("REMOVE gone") << QByteArray("{':one': {'N': '1'}}")
            << QStringLiteral("Value provided in ExpressionAttributeValues unused in expressions: keys: {:one}");
    }

    void refuses()
    {
        QFETCH(QString, expression);
        QFETCH(QByteArray, values);
        QFETCH(QString, message);
        auto store = storeWithItem();
        const DynamoAnswer a
            = store->call(QStringLiteral("UpdateItem"), updateRequest(expression, values, QStringLiteral("ALL_NEW")));
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
        QCOMPARE(text(currentItem(*store)), text(j(kFixture)));
    }

    void returnValuesModes()
    {
        auto store = storeWithItem();
        QJsonObject request
            = updateRequest(QStringLiteral("SET n = :one"), "{':one': {'N': '1'}}", QStringLiteral("ALL"));
        DynamoAnswer a = store->call(QStringLiteral("UpdateItem"), request);
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QVERIFY(a.message.contains(QStringLiteral("'returnValues' failed to satisfy constraint")));
        QJsonObject put = j("{'TableName': 'Things', 'Item': {'pk': {'S': 'k'}}, 'ReturnValues': 'ALL_NEW'}");
        a = store->call(QStringLiteral("PutItem"), put);
        QCOMPARE(a.message, QStringLiteral("Return values set to invalid value"));

        // UpdateItem creates a missing item; nothing old to return.
        QJsonObject create
            = updateRequest(QStringLiteral("SET n = :one"), "{':one': {'N': '1'}}", QStringLiteral("ALL_OLD"));
        create.insert(QStringLiteral("Key"), j("{'pk': {'S': 'new'}}"));
        a = store->call(QStringLiteral("UpdateItem"), create);
        QVERIFY2(a.ok(), why(a));
        QVERIFY(!a.body.contains(QStringLiteral("Attributes")));
        create.insert(QStringLiteral("Key"), j("{'pk': {'S': 'newer'}}"));
        create.insert(QStringLiteral("ReturnValues"), QStringLiteral("ALL_NEW"));
        a = store->call(QStringLiteral("UpdateItem"), create);
        QCOMPARE(text(a.body.value(QStringLiteral("Attributes")).toObject()),
            text(j("{'n': {'N': '1'}, 'pk': {'S': 'newer'}}")));
        // Without an UpdateExpression the item is just its key.
        a = store->call(QStringLiteral("UpdateItem"),
            j("{'TableName': 'Things', 'Key': {'pk': {'S': 'bare'}}, 'ReturnValues': 'ALL_NEW'}"));
        QCOMPARE(text(a.body.value(QStringLiteral("Attributes")).toObject()), text(j("{'pk': {'S': 'bare'}}")));
    }
};

QTEST_GUILESS_MAIN(TestUpdateExpression)
#include "tst_updateexpression.moc"
