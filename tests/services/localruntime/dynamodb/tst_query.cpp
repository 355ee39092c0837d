// Query and Scan: key conditions on a number and a string sort key (numbers
// in numeric order, strings by bytes), ScanIndexForward, FilterExpression
// with Count and ScannedCount, Select COUNT, ProjectionExpression, Limit
// and paging with ExclusiveStartKey / LastEvaluatedKey, parallel scan
// segments, and the errors of bad key conditions.
#include "dynamotest.h"

#include <QJsonArray>
#include <QSet>

using namespace Bramble::LocalRuntime;
using namespace Bramble::Test::Dynamo;

namespace {

const QStringList kNumbers = { QStringLiteral("100"), QStringLiteral("-2.5"), QStringLiteral("1e3"),
    QStringLiteral("0"), QStringLiteral("1.5"), QStringLiteral("-10"), QStringLiteral("2"), QStringLiteral("10"),
    QStringLiteral("1"), QStringLiteral("0.30000000000000000000000000000000000001"), QStringLiteral("0.3") };
// kNumbers in numeric order.
const QStringList kSorted = { QStringLiteral("-10"), QStringLiteral("-2.5"), QStringLiteral("0"), QStringLiteral("0.3"),
    QStringLiteral("0.30000000000000000000000000000000000001"), QStringLiteral("1"), QStringLiteral("1.5"),
    QStringLiteral("2"), QStringLiteral("10"), QStringLiteral("100"), QStringLiteral("1e3") };

std::unique_ptr<TableStore> numberStore()
{
    auto store = openMemory();
    store->call(QStringLiteral("CreateTable"),
        j("{'TableName': 'Events', 'AttributeDefinitions': [{'AttributeName': 'h', 'AttributeType': 'S'},"
          " {'AttributeName': 'r', 'AttributeType': 'N'}], 'KeySchema': [{'AttributeName': 'h', 'KeyType':"
          " 'HASH'}, {'AttributeName': 'r', 'KeyType': 'RANGE'}]}"));
    int i = 0;
    for (const QString &n : kNumbers) {
        for (const char *h : { "a", "b" }) {
            QJsonObject item { { QStringLiteral("h"), QJsonObject { { QStringLiteral("S"), QLatin1String(h) } } },
                { QStringLiteral("r"), QJsonObject { { QStringLiteral("N"), n } } },
                { QStringLiteral("even"), QJsonObject { { QStringLiteral("BOOL"), i % 2 == 0 } } },
                { QStringLiteral("padding"), QJsonObject { { QStringLiteral("S"), QStringLiteral("x") } } } };
            QJsonObject put { { QStringLiteral("TableName"), QStringLiteral("Events") },
                { QStringLiteral("Item"), item } };
            if (!store->call(QStringLiteral("PutItem"), put).ok())
                qFatal("cannot put %s", qPrintable(n));
        }
        ++i;
    }
    return store;
}

QStringList rangeValues(const QJsonArray &items, const QString &attribute = QStringLiteral("r"))
{
    QStringList out;
    for (const QJsonValue &item : items) {
        const QJsonObject v = item.toObject().value(attribute).toObject();
        out.append(v.begin().value().toString());
    }
    return out;
}

QJsonObject query(const char *condition, const char *values)
{
    QJsonObject request = j("{'TableName': 'Events'}");
    request.insert(QStringLiteral("KeyConditionExpression"), QString::fromLatin1(condition));
    request.insert(QStringLiteral("ExpressionAttributeValues"), j(values));
    return request;
}

} // namespace

class TestQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void numberSortKey_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QByteArray>("values");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("all") << QStringLiteral("h = :h") << QByteArray("{':h': {'S': 'a'}}") << kSorted;
        QTest::newRow("=") << QStringLiteral("h = :h AND r = :v")
                           << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '1000'}}")
                           << QStringList { QStringLiteral("1e3") };
        QTest::newRow("<") << QStringLiteral("h = :h AND r < :v")
                           << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '0.3'}}") << kSorted.mid(0, 3);
        QTest::newRow("<=") << QStringLiteral("h = :h AND r <= :v")
                            << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '0.3'}}") << kSorted.mid(0, 4);
        QTest::newRow(">") << QStringLiteral("r > :v AND h = :h") << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '2'}}")
                           << kSorted.mid(8);
        QTest::newRow(">=") << QStringLiteral("h = :h AND r >= :v")
                            << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '2.0'}}") << kSorted.mid(7);
        QTest::newRow("BETWEEN") << QStringLiteral("h = :h AND r BETWEEN :lo AND :hi")
                                 << QByteArray("{':h': {'S': 'a'}, ':lo': {'N': '-2.5'}, ':hi': {'N': '1'}}")
                                 << kSorted.mid(1, 5);
        QTest::newRow("mirrored") << QStringLiteral(":h = h AND :v > r")
                                  << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '0'}}") << kSorted.mid(0, 2);
        QTest::newRow("parenthesised") << QStringLiteral("(h = :h) AND (r < :v)")
                                       << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '-5'}}") << kSorted.mid(0, 1);
        QTest::newRow("no such hash") << QStringLiteral("h = :h") << QByteArray("{':h': {'S': 'zzz'}}")
                                      << QStringList();
    }

    void numberSortKey()
    {
        QFETCH(QString, condition);
        QFETCH(QByteArray, values);
        QFETCH(QStringList, expected);
        auto store = numberStore();
        QJsonObject request = query("h = :h", values.constData());
        request.insert(QStringLiteral("KeyConditionExpression"), condition);
        DynamoAnswer a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        QCOMPARE(rangeValues(a.body.value(QStringLiteral("Items")).toArray()), expected);
        QCOMPARE(a.body.value(QStringLiteral("Count")).toInt(), expected.size());
        QCOMPARE(a.body.value(QStringLiteral("ScannedCount")).toInt(), expected.size());
        QVERIFY(!a.body.contains(QStringLiteral("LastEvaluatedKey")));

        request.insert(QStringLiteral("ScanIndexForward"), false);
        a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        QStringList reversed = expected;
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(rangeValues(a.body.value(QStringLiteral("Items")).toArray()), reversed);
    }

    void stringSortKey()
    {
        auto store = openMemory();
        store->call(QStringLiteral("CreateTable"),
            j("{'TableName': 'Words', 'AttributeDefinitions': [{'AttributeName': 'h', 'AttributeType': 'N'},"
              " {'AttributeName': 'w', 'AttributeType': 'S'}], 'KeySchema': [{'AttributeName': 'h', "
              "'KeyType': 'HASH'}, {'AttributeName': 'w', 'KeyType': 'RANGE'}]}"));
        for (const QString &w : { QStringLiteral("apple"), QStringLiteral("Zebra"), QStringLiteral("été"),
                 QStringLiteral("ap"), QStringLiteral("apricot"), QStringLiteral("b") }) {
            QJsonObject put = j("{'TableName': 'Words', 'Item': {'h': {'N': '1.0'}}}");
            QJsonObject item = put.value(QStringLiteral("Item")).toObject();
            item.insert(QStringLiteral("w"), QJsonObject { { QStringLiteral("S"), w } });
            put.insert(QStringLiteral("Item"), item);
            QVERIFY(store->call(QStringLiteral("PutItem"), put).ok());
        }
        QJsonObject request = j("{'TableName': 'Words', 'KeyConditionExpression': 'h = :h',"
                                " 'ExpressionAttributeValues': {':h': {'N': '1'}}}");
        DynamoAnswer a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        // By UTF-8 bytes: upper case first, "é" (0xc3 0xa9) after every ASCII letter.
        QCOMPARE(rangeValues(a.body.value(QStringLiteral("Items")).toArray(), QStringLiteral("w")),
            QStringList({ QStringLiteral("Zebra"), QStringLiteral("ap"), QStringLiteral("apple"),
                QStringLiteral("apricot"), QStringLiteral("b"), QStringLiteral("été") }));
        request = j("{'TableName': 'Words', 'KeyConditionExpression': 'h = :h AND begins_with(w, :p)',"
                    " 'ExpressionAttributeValues': {':h': {'N': '1'}, ':p': {'S': 'ap'}}}");
        a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        QCOMPARE(rangeValues(a.body.value(QStringLiteral("Items")).toArray(), QStringLiteral("w")),
            QStringList({ QStringLiteral("ap"), QStringLiteral("apple"), QStringLiteral("apricot") }));
    }

    void filterCountAndProjection()
    {
        auto store = numberStore();
        QJsonObject request = query("h = :h", "{':h': {'S': 'b'}, ':t': {'BOOL': true}}");
        request.insert(QStringLiteral("FilterExpression"), QStringLiteral("even = :t"));
        request.insert(QStringLiteral("ProjectionExpression"), QStringLiteral("r, #e"));
        request.insert(QStringLiteral("ExpressionAttributeNames"), j("{'#e': 'even'}"));
        DynamoAnswer a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        QCOMPARE(a.body.value(QStringLiteral("Count")).toInt(), 6); // kNumbers at even positions
        QCOMPARE(a.body.value(QStringLiteral("ScannedCount")).toInt(), kNumbers.size());
        const QJsonArray items = a.body.value(QStringLiteral("Items")).toArray();
        QCOMPARE(items.size(), 6);
        for (const QJsonValue &item : items)
            QCOMPARE(item.toObject().keys(), QStringList({ QStringLiteral("even"), QStringLiteral("r") }));

        request.remove(QStringLiteral("ProjectionExpression"));
        request.remove(QStringLiteral("ExpressionAttributeNames"));
        request.insert(QStringLiteral("FilterExpression"), QStringLiteral("even = :t"));
        request.insert(QStringLiteral("Select"), QStringLiteral("COUNT"));
        a = store->call(QStringLiteral("Query"), request);
        QVERIFY2(a.ok(), why(a));
        QVERIFY(!a.body.contains(QStringLiteral("Items")));
        QCOMPARE(a.body.value(QStringLiteral("Count")).toInt(), 6);

        request.insert(QStringLiteral("FilterExpression"), QStringLiteral("r = :t"));
        a = store->call(QStringLiteral("Query"), request);
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message,
            QStringLiteral("Filter Expression can only contain non-primary key attributes: Primary key "
                           "attribute: r"));
    }

    // Pages of `limit` items, each resumed from the last LastEvaluatedKey,
    // give every item once, in order; Limit counts items read, not matched.
    void queryPages_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<bool>("forward");
        QTest::addColumn<bool>("filtered");
        for (int limit : { 1, 3, 4, 11, 50 }) {
            for (bool forward : { true, false }) {
                for (bool filtered : { false, true })
                    QTest::addRow("limit %d %s%s", limit, forward ? "forward" : "backward", filtered ? " filtered" : "")
                        << limit << forward << filtered;
            }
        }
    }

    void queryPages()
    {
        QFETCH(int, limit);
        QFETCH(bool, forward);
        QFETCH(bool, filtered);
        auto store = numberStore();
        QJsonObject request
            = query("h = :h", filtered ? "{':h': {'S': 'a'}, ':t': {'BOOL': true}}" : "{':h': {'S': 'a'}}");
        request.insert(QStringLiteral("Limit"), limit);
        request.insert(QStringLiteral("ScanIndexForward"), forward);
        if (filtered)
            request.insert(QStringLiteral("FilterExpression"), QStringLiteral("even = :t"));
        QStringList seen;
        int pages = 0;
        int scanned = 0;
        while (true) {
            const DynamoAnswer a = store->call(QStringLiteral("Query"), request);
            QVERIFY2(a.ok(), why(a));
            ++pages;
            QVERIFY(pages <= kNumbers.size() + 1);
            const int pageScanned = a.body.value(QStringLiteral("ScannedCount")).toInt();
            QVERIFY(pageScanned <= limit);
            scanned += pageScanned;
            seen += rangeValues(a.body.value(QStringLiteral("Items")).toArray());
            if (!a.body.contains(QStringLiteral("LastEvaluatedKey")))
                break;
            QCOMPARE(pageScanned, limit);
            const QJsonObject last = a.body.value(QStringLiteral("LastEvaluatedKey")).toObject();
            QCOMPARE(last.keys(), QStringList({ QStringLiteral("h"), QStringLiteral("r") }));
            request.insert(QStringLiteral("ExclusiveStartKey"), last);
        }
        QStringList expected;
        for (const QString &n : kSorted) {
            if (!filtered || kNumbers.indexOf(n) % 2 == 0)
                expected.append(n);
        }
        if (!forward)
            std::reverse(expected.begin(), expected.end());
        QCOMPARE(seen, expected);
        QCOMPARE(scanned, kNumbers.size());
        QCOMPARE(pages, (kNumbers.size() + limit - 1) / limit);
    }

    void scanPages()
    {
        auto store = numberStore();
        QJsonObject request = j("{'TableName': 'Events', 'Limit': 4}");
        QSet<QString> seen;
        int count = 0;
        while (true) {
            const DynamoAnswer a = store->call(QStringLiteral("Scan"), request);
            QVERIFY2(a.ok(), why(a));
            for (const QJsonValue &item : a.body.value(QStringLiteral("Items")).toArray()) {
                const QJsonObject o = item.toObject();
                seen.insert(
                    text(o.value(QStringLiteral("h")).toObject()) + text(o.value(QStringLiteral("r")).toObject()));
                ++count;
            }
            QCOMPARE(
                a.body.value(QStringLiteral("Count")).toInt(), a.body.value(QStringLiteral("ScannedCount")).toInt());
            if (!a.body.contains(QStringLiteral("LastEvaluatedKey")))
                break;
            request.insert(QStringLiteral("ExclusiveStartKey"), a.body.value(QStringLiteral("LastEvaluatedKey")));
        }
        QCOMPARE(count, 2 * kNumbers.size());
        QCOMPARE(seen.size(), count);

        const DynamoAnswer filtered = store->call(QStringLiteral("Scan"),
            j("{'TableName': 'Events', 'FilterExpression': 'h = :h AND r > :z',"
              " 'ExpressionAttributeValues': {':h': {'S': 'b'}, ':z': {'N': "
              "'0'}}}"));
        QVERIFY2(filtered.ok(), why(filtered));
        QCOMPARE(filtered.body.value(QStringLiteral("Count")).toInt(), 8);
        QCOMPARE(filtered.body.value(QStringLiteral("ScannedCount")).toInt(), 2 * kNumbers.size());
    }

    void scanSegments()
    {
        auto store = numberStore();
        QSet<QString> all;
        int total = 0;
        for (int segment = 0; segment < 3; ++segment) {
            QJsonObject request = j("{'TableName': 'Events', 'TotalSegments': 3}");
            request.insert(QStringLiteral("Segment"), segment);
            const DynamoAnswer a = store->call(QStringLiteral("Scan"), request);
            QVERIFY2(a.ok(), why(a));
            for (const QJsonValue &item : a.body.value(QStringLiteral("Items")).toArray()) {
                all.insert(text(item.toObject()));
                ++total;
            }
        }
        QCOMPARE(total, 2 * kNumbers.size());
        QCOMPARE(all.size(), total);
        const DynamoAnswer bad = store->call(QStringLiteral("Scan"),
            j("{'TableName': 'Events', 'Segment': 3, "
              "'TotalSegments': 3}"));
        QCOMPARE(bad.errorType, QStringLiteral("ValidationException"));
    }

    void badKeyConditions_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<QByteArray>("values");
        QTest::addColumn<QString>("message");
        QTest::newRow("no hash") << QStringLiteral("r = :v") << QByteArray("{':v': {'N': '1'}}")
                                 << QStringLiteral("Query condition missed key schema element: h");
        QTest::newRow("hash not =") << QStringLiteral("h > :h") << QByteArray("{':h': {'S': 'a'}}")
                                    << QStringLiteral("Query key condition not supported");
        QTest::newRow("OR") << QStringLiteral("h = :h OR r = :v") << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '1'}}")
                            << QStringLiteral("Invalid operator used in KeyConditionExpression: OR");
        QTest::newRow("non-key attribute")
            << QStringLiteral("h = :h AND padding = :v") << QByteArray("{':h': {'S': 'a'}, ':v': {'S': 'x'}}")
            << QStringLiteral("Query condition missed key schema element: r");
        QTest::newRow("two range conditions")
            << QStringLiteral("h = :h AND r > :v AND r < :v") << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '1'}}")
            << QStringLiteral("Query key condition not supported");
        QTest::newRow("wrong type") << QStringLiteral("h = :h AND r < :v")
                                    << QByteArray("{':h': {'S': 'a'}, ':v': {'S': '1'}}")
                                    << QStringLiteral("One or more parameter values were invalid: Condition parameter "
                                                      "type does not match schema type");
        QTest::newRow("begins_with on a number")
            << QStringLiteral("h = :h AND begins_with(r, :v)") << QByteArray("{':h': {'S': 'a'}, ':v': {'N': '1'}}")
            << QStringLiteral("Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                              "operator or function: begins_with, operand type: N");
        QTest::newRow("BETWEEN reversed")
            << QStringLiteral("h = :h AND r BETWEEN :hi AND :lo")
            << QByteArray("{':h': {'S': 'a'}, ':lo': {'N': '-1'}, ':hi': {'N': '1'}}")
            << QStringLiteral("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
                              "greater than or equal to lower bound; lower operand: AttributeValue: {N:1}, upper "
                              "operand: AttributeValue: {N:-1}");
        QTest::newRow("syntax") << QStringLiteral("h = :h AND AND") << QByteArray("{':h': {'S': 'a'}}")
                                << QStringLiteral("Invalid KeyConditionExpression: Syntax error; token: \"AND\", "
                                                  "near: \"AND AND\"");
    }

    void badKeyConditions()
    {
        QFETCH(QString, condition);
        QFETCH(QByteArray, values);
        QFETCH(QString, message);
        auto store = numberStore();
        QJsonObject request = query("h = :h", values.constData());
        request.insert(QStringLiteral("KeyConditionExpression"), condition);
        const DynamoAnswer a = store->call(QStringLiteral("Query"), request);
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
    }

    void badStartKeyAndLimit()
    {
        auto store = numberStore();
        QJsonObject request = query("h = :h", "{':h': {'S': 'a'}}");
        request.insert(QStringLiteral("ExclusiveStartKey"), j("{'h': {'S': 'a'}}"));
        DynamoAnswer a = store->call(QStringLiteral("Query"), request);
        QCOMPARE(a.message,
            QStringLiteral("The provided starting key is invalid: The provided key element does not "
                           "match the schema"));
        request.remove(QStringLiteral("ExclusiveStartKey"));
        request.insert(QStringLiteral("Limit"), 0);
        a = store->call(QStringLiteral("Query"), request);
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        a = store->call(QStringLiteral("Query"), j("{'TableName': 'Events'}"));
        QCOMPARE(a.message,
            QStringLiteral("Either the KeyConditions or KeyConditionExpression parameter must be "
                           "specified in the request."));
    }
};

QTEST_GUILESS_MAIN(TestQuery)
#include "tst_query.moc"
