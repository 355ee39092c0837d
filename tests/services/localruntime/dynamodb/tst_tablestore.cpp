// The table store's lifecycle and item operations through call(), as the
// DynamoDB API server and the task runner use it: tables, keys, conditions,
// the seed saga's steps, two stores in one process, reopening a file.
#include "dynamotest.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace Bramble::LocalRuntime;
using namespace Bramble::Test::Dynamo;

namespace {

const char *kSagaTable = "{'TableName': 'SagaTransactions', 'BillingMode': 'PAY_PER_REQUEST',"
                         " 'AttributeDefinitions': [{'AttributeName': 'TransactionId', 'AttributeType': 'S'}],"
                         " 'KeySchema': [{'AttributeName': 'TransactionId', 'KeyType': 'HASH'}]}";

} // namespace

class TestTableStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createAndDescribe()
    {
        auto opened
            = TableStore::open(QStringLiteral(":memory:"), QStringLiteral("eu-west-1"), QStringLiteral("123456789012"));
        QVERIFY(opened.ok());
        auto store = opened.takeValue();
        const DynamoAnswer created = store->call(QStringLiteral("CreateTable"), j(kSagaTable));
        QVERIFY2(created.ok(), why(created));
        const QJsonObject d = created.body.value(QStringLiteral("TableDescription")).toObject();
        QCOMPARE(d.value(QStringLiteral("TableStatus")).toString(), QStringLiteral("ACTIVE"));
        QCOMPARE(d.value(QStringLiteral("TableArn")).toString(),
            QStringLiteral("arn:aws:dynamodb:eu-west-1:123456789012:table/SagaTransactions"));
        QCOMPARE(d.value(QStringLiteral("ItemCount")).toInt(-1), 0);
        QCOMPARE(d.value(QStringLiteral("KeySchema")).toArray().size(), 1);
        QCOMPARE(
            d.value(QStringLiteral("BillingModeSummary")).toObject().value(QStringLiteral("BillingMode")).toString(),
            QStringLiteral("PAY_PER_REQUEST"));

        QVERIFY(store
                    ->call(QStringLiteral("PutItem"),
                        j("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 't1'}}}"))
                    .ok());
        const DynamoAnswer described
            = store->call(QStringLiteral("DescribeTable"), j("{'TableName': 'SagaTransactions'}"));
        QVERIFY2(described.ok(), why(described));
        const QJsonObject table = described.body.value(QStringLiteral("Table")).toObject();
        QCOMPARE(table.value(QStringLiteral("ItemCount")).toInt(), 1);
        QVERIFY(table.value(QStringLiteral("TableSizeBytes")).toInt() > 0);
        QCOMPARE(table.value(QStringLiteral("TableName")).toString(), QStringLiteral("SagaTransactions"));
    }

    void tableLifecycleErrors()
    {
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        const DynamoAnswer again = store->call(QStringLiteral("CreateTable"), j(kSagaTable));
        QCOMPARE(again.errorType, QStringLiteral("ResourceInUseException"));
        QCOMPARE(again.message, QStringLiteral("Table already exists: SagaTransactions"));
        QCOMPARE(again.httpStatus, 400);

        const DynamoAnswer missing = store->call(QStringLiteral("DescribeTable"), j("{'TableName': 'Nope'}"));
        QCOMPARE(missing.errorType, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(missing.message, QStringLiteral("Requested resource not found: Table: Nope not found"));

        const DynamoAnswer getMissing
            = store->call(QStringLiteral("GetItem"), j("{'TableName': 'Nope', 'Key': {'TransactionId': {'S': 'x'}}}"));
        QCOMPARE(getMissing.errorType, QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(getMissing.message, QStringLiteral("Requested resource not found"));

        const DynamoAnswer deleted = store->call(QStringLiteral("DeleteTable"), j("{'TableName': 'SagaTransactions'}"));
        QVERIFY2(deleted.ok(), why(deleted));
        QCOMPARE(deleted.body.value(QStringLiteral("TableDescription")).toObject().value(QStringLiteral("TableStatus")),
            QJsonValue(QStringLiteral("DELETING")));
        QCOMPARE(store->call(QStringLiteral("DeleteTable"), j("{'TableName': 'SagaTransactions'}")).errorType,
            QStringLiteral("ResourceNotFoundException"));
        QCOMPARE(store->call(QStringLiteral("DescribeTable"), j("{'TableName': 'SagaTransactions'}")).errorType,
            QStringLiteral("ResourceNotFoundException"));
        // The name is free again, and the new table starts empty.
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        QCOMPARE(store->call(QStringLiteral("DescribeTable"), j("{'TableName': 'SagaTransactions'}"))
                     .body.value(QStringLiteral("Table"))
                     .toObject()
                     .value(QStringLiteral("ItemCount"))
                     .toInt(-1),
            0);

        const DynamoAnswer unknown = store->call(QStringLiteral("BatchWriteItem"), QJsonObject());
        QCOMPARE(unknown.errorType, QStringLiteral("UnknownOperationException"));
    }

    void createTableValidation_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("message");
        QTest::newRow("key not defined")
            << QByteArray("{'TableName': 'Tab', 'AttributeDefinitions': [{'AttributeName': 'a', 'AttributeType': "
                          "'S'}], 'KeySchema': [{'AttributeName': 'b', 'KeyType': 'HASH'}]}")
            << QStringLiteral("One or more parameter values were invalid: Some index key attributes are not defined "
                              "in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]");
        QTest::newRow("first not hash") << QByteArray(
            "{'TableName': 'Tab', 'AttributeDefinitions': [{'AttributeName': 'a', 'AttributeType': "
            "'S'}], 'KeySchema': [{'AttributeName': 'a', 'KeyType': 'RANGE'}]}")
                                        << QStringLiteral(
                                               "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        QTest::newRow("bad attribute type")
            << QByteArray("{'TableName': 'Tab', 'AttributeDefinitions': [{'AttributeName': 'a', 'AttributeType': "
                          "'BOOL'}], 'KeySchema': [{'AttributeName': 'a', 'KeyType': 'HASH'}]}")
            << QStringLiteral("1 validation error detected: Value 'BOOL' at "
                              "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member "
                              "must satisfy enum value set: [B, N, S]");
        QTest::newRow("extra definition")
            << QByteArray("{'TableName': 'Tab', 'AttributeDefinitions': [{'AttributeName': 'a', 'AttributeType': "
                          "'S'}, {'AttributeName': 'b', 'AttributeType': 'S'}], 'KeySchema': [{'AttributeName': "
                          "'a', 'KeyType': 'HASH'}]}")
            << QStringLiteral("One or more parameter values were invalid: Number of attributes in KeySchema does not "
                              "exactly match number of attributes defined in AttributeDefinitions");
        QTest::newRow("short name")
            << QByteArray("{'TableName': 'T', 'AttributeDefinitions': [{'AttributeName': 'a', 'AttributeType': "
                          "'S'}], 'KeySchema': [{'AttributeName': 'a', 'KeyType': 'HASH'}]}")
            << QStringLiteral("1 validation error detected: Value 'T' at 'tableName' failed to satisfy constraint: "
                              "Member must have length greater than or equal to 3");
        QTest::newRow("no name") << QByteArray("{}")
                                 << QStringLiteral("1 validation error detected: Value null at 'tableName' failed to "
                                                   "satisfy constraint: Member must not be null");
    }

    void createTableValidation()
    {
        QFETCH(QByteArray, request);
        QFETCH(QString, message);
        auto store = openMemory();
        const DynamoAnswer a = store->call(QStringLiteral("CreateTable"), j(request.constData()));
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
        QVERIFY(
            store->call(QStringLiteral("ListTables"), {}).body.value(QStringLiteral("TableNames")).toArray().isEmpty());
    }

    void putGetDelete()
    {
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        const QJsonObject item = j("{'TransactionId': {'S': 't1'}, 'n': {'N': '42'}, 'm': {'M': {'x': {'L': "
                                   "[{'S': 'a'}, {'BOOL': true}]}}}, 'ss': {'SS': ['b', 'a']}}");
        QJsonObject put = j("{'TableName': 'SagaTransactions'}");
        put.insert(QStringLiteral("Item"), item);
        const DynamoAnswer putAnswer = store->call(QStringLiteral("PutItem"), put);
        QVERIFY2(putAnswer.ok(), why(putAnswer));
        QVERIFY(putAnswer.body.isEmpty());

        const QJsonObject key = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 't1'}}}");
        DynamoAnswer got = store->call(QStringLiteral("GetItem"), key);
        QVERIFY2(got.ok(), why(got));
        QCOMPARE(got.body.value(QStringLiteral("Item")).toObject(), item);

        QJsonObject projected = key;
        projected.insert(QStringLiteral("ProjectionExpression"), QStringLiteral("n, #m.x[1]"));
        projected.insert(QStringLiteral("ExpressionAttributeNames"), j("{'#m': 'm'}"));
        got = store->call(QStringLiteral("GetItem"), projected);
        QVERIFY2(got.ok(), why(got));
        QCOMPARE(text(got.body.value(QStringLiteral("Item")).toObject()),
            text(j("{'m': {'M': {'x': {'L': [{'BOOL': true}]}}}, 'n': {'N': '42'}}")));

        // A second put replaces the whole item; ALL_OLD returns the first.
        put.insert(QStringLiteral("Item"), j("{'TransactionId': {'S': 't1'}, 'extra': {'NULL': true}}"));
        put.insert(QStringLiteral("ReturnValues"), QStringLiteral("ALL_OLD"));
        const DynamoAnswer replaced = store->call(QStringLiteral("PutItem"), put);
        QVERIFY2(replaced.ok(), why(replaced));
        QCOMPARE(replaced.body.value(QStringLiteral("Attributes")).toObject(), item);
        QCOMPARE(store->call(QStringLiteral("GetItem"), key).body.value(QStringLiteral("Item")).toObject().keys(),
            QStringList({ QStringLiteral("TransactionId"), QStringLiteral("extra") }));

        QJsonObject del = key;
        del.insert(QStringLiteral("ReturnValues"), QStringLiteral("ALL_OLD"));
        const DynamoAnswer deleted = store->call(QStringLiteral("DeleteItem"), del);
        QVERIFY2(deleted.ok(), why(deleted));
        QVERIFY(deleted.body.value(QStringLiteral("Attributes")).toObject().contains(QStringLiteral("extra")));
        got = store->call(QStringLiteral("GetItem"), key);
        QVERIFY2(got.ok(), why(got));
        QVERIFY(!got.body.contains(QStringLiteral("Item"))); // no "Item" member at all
        // Deleting what is not there succeeds, with nothing to return.
        const DynamoAnswer again = store->call(QStringLiteral("DeleteItem"), del);
        QVERIFY(again.ok());
        QVERIFY(again.body.isEmpty());
    }

    void projections_data()
    {
        QTest::addColumn<QString>("projection");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("top level") << QStringLiteral("a, TransactionId")
                                   << QByteArray("{'TransactionId': {'S': 'p'}, 'a': {'N': '1'}}");
        QTest::newRow("list elements in index order")
            << QStringLiteral("l[2], l[0]")
            << QByteArray("{'l': {'L': [{'M': {'x': {'N': '1'}, 'y': {'N': '2'}}}, "
                          "{'S': 'c'}]}}");
        QTest::newRow("two keys of one element") << QStringLiteral(
            "l[0].y, l[0].x") << QByteArray("{'l': {'L': [{'M': {'x': {'N': '1'}, 'y': {'N': '2'}}}]}}");
        QTest::newRow("missing parts left out")
            << QStringLiteral("l[9], m.nope, m.k, nothing") << QByteArray("{'m': {'M': {'k': {'S': 'v'}}}}");
        QTest::newRow("nothing found") << QStringLiteral("nothing") << QByteArray("{}");
    }

    void projections()
    {
        QFETCH(QString, projection);
        QFETCH(QByteArray, expected);
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        QVERIFY(store
                    ->call(QStringLiteral("PutItem"),
                        j("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'p'}, 'a': {'N': "
                          "'1'}, 'l': {'L': [{'M': {'x': {'N': '1'}, 'y': {'N': '2'}}}, {'S': 'b'}, {'S': "
                          "'c'}]}, 'm': {'M': {'k': {'S': 'v'}, 'j': {'S': 'w'}}}}}"))
                    .ok());
        QJsonObject get = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'p'}}}");
        get.insert(QStringLiteral("ProjectionExpression"), projection);
        const DynamoAnswer a = store->call(QStringLiteral("GetItem"), get);
        QVERIFY2(a.ok(), why(a));
        QVERIFY(a.body.contains(QStringLiteral("Item"))); // the item exists, even when nothing of it is projected
        QCOMPARE(text(a.body.value(QStringLiteral("Item")).toObject()), text(j(expected.constData())));
    }

    void keyValidation_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QString>("message");
        QTest::newRow("put without key")
            << QStringLiteral("PutItem") << QByteArray("{'TableName': 'SagaTransactions', 'Item': {'a': {'S': 'x'}}}")
            << QStringLiteral("One or more parameter values were invalid: Missing the key TransactionId in the item");
        QTest::newRow("put key of another type")
            << QStringLiteral("PutItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'N': '1'}}}")
            << QStringLiteral("One or more parameter values were invalid: Type mismatch for key TransactionId "
                              "expected: S actual: N");
        QTest::newRow("get with an extra attribute")
            << QStringLiteral("GetItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'x'}, 'b': {'S': 'y'}}}")
            << QStringLiteral("The provided key element does not match the schema");
        QTest::newRow("update key of another type")
            << QStringLiteral("UpdateItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'N': '1'}}}")
            << QStringLiteral("The provided key element does not match the schema");
        QTest::newRow("delete with empty key")
            << QStringLiteral("DeleteItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': ''}}}")
            << QStringLiteral("One or more parameter values are not valid. The AttributeValue for a key attribute "
                              "cannot contain an empty string value. Key: TransactionId");
        QTest::newRow("empty set")
            << QStringLiteral("PutItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'x'}, 's': {'SS': []}}}")
            << QStringLiteral("One or more parameter values were invalid: An string set  may not be empty");
        QTest::newRow("bad number")
            << QStringLiteral("PutItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'x'}, 'n': {'N': "
                          "'12abc'}}}")
            << QStringLiteral("A value provided cannot be converted into a number");
        QTest::newRow("update the key")
            << QStringLiteral("UpdateItem")
            << QByteArray("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'x'}}, "
                          "'UpdateExpression': 'SET TransactionId = :v', 'ExpressionAttributeValues': {':v': {'S': "
                          "'y'}}}")
            << QStringLiteral("One or more parameter values were invalid: Cannot update attribute TransactionId. This "
                              "attribute is part of the key");
    }

    void keySizeLimits()
    {
        auto store = openMemory();
        QVERIFY(store
                    ->call(QStringLiteral("CreateTable"),
                        j("{'TableName': 'Ranged', 'AttributeDefinitions': [{'AttributeName': 'h', "
                          "'AttributeType': 'S'}, {'AttributeName': 'r', 'AttributeType': 'S'}], 'KeySchema': "
                          "[{'AttributeName': 'h', 'KeyType': 'HASH'}, {'AttributeName': 'r', 'KeyType': "
                          "'RANGE'}]}"))
                    .ok());
        const auto put = [&](int hashBytes, int rangeBytes) {
            QJsonObject item;
            item.insert(QStringLiteral("h"), QJsonObject { { QStringLiteral("S"), QString(hashBytes, u'h') } });
            item.insert(QStringLiteral("r"), QJsonObject { { QStringLiteral("S"), QString(rangeBytes, u'r') } });
            return store->call(QStringLiteral("PutItem"),
                QJsonObject {
                    { QStringLiteral("TableName"), QStringLiteral("Ranged") }, { QStringLiteral("Item"), item } });
        };
        QVERIFY(put(2048, 1024).ok());
        QCOMPARE(put(2049, 1).message,
            QStringLiteral("One or more parameter values were invalid: Size of hashkey has "
                           "exceeded the maximum size limit of2048 bytes"));
        QCOMPARE(put(1, 1025).message,
            QStringLiteral("One or more parameter values were invalid: Aggregated size of "
                           "all range keys has exceeded the size limit of 1024 bytes"));
    }

    void keyValidation()
    {
        QFETCH(QString, operation);
        QFETCH(QByteArray, request);
        QFETCH(QString, message);
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        const DynamoAnswer a = store->call(operation, j(request.constData()));
        QCOMPARE(a.errorType, QStringLiteral("ValidationException"));
        QCOMPARE(a.message, message);
        QCOMPARE(store->call(QStringLiteral("Scan"), j("{'TableName': 'SagaTransactions'}"))
                     .body.value(QStringLiteral("Count"))
                     .toInt(-1),
            0);
    }

    // The seed saga's moto variant, step by step: ProcessRecords creates the
    // item, CommitRecords' condition `SimulateFail = :false` fails it when
    // the input asked to fail, and the rollbacks undo the steps.
    void seedSagaSteps_data()
    {
        QTest::addColumn<bool>("simulateFail");
        QTest::newRow("commits") << false;
        QTest::newRow("rolls back") << true;
    }

    void seedSagaSteps()
    {
        QFETCH(bool, simulateFail);
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        QJsonObject process = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'tx-1'}},"
                                " 'UpdateExpression': 'SET ProcessRecords = :sample, SimulateFail = :simulateFail',"
                                " 'ExpressionAttributeValues': {':sample': {'S': 'Sample ProcessRecords data'}}}");
        QJsonObject values = process.value(QStringLiteral("ExpressionAttributeValues")).toObject();
        values.insert(QStringLiteral(":simulateFail"), QJsonObject { { QStringLiteral("BOOL"), simulateFail } });
        process.insert(QStringLiteral("ExpressionAttributeValues"), values);
        DynamoAnswer a = store->call(QStringLiteral("UpdateItem"), process);
        QVERIFY2(a.ok(), why(a));
        QVERIFY(a.body.isEmpty()); // ReturnValues NONE: `{}`, as the task result expects

        a = store->call(QStringLiteral("UpdateItem"),
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'tx-1'}},"
              " 'UpdateExpression': 'SET TransformRecords = :sample',"
              " 'ExpressionAttributeValues': {':sample': {'S': 'Sample TransformRecords data'}}}"));
        QVERIFY2(a.ok(), why(a));

        QJsonObject commit = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'tx-1'}},"
                               " 'UpdateExpression': 'SET CommitRecords = :sample',"
                               " 'ConditionExpression': 'SimulateFail = :false',"
                               " 'ExpressionAttributeValues': {':sample': {'S': 'Sample CommitRecords data'},"
                               " ':false': {'BOOL': false}}}");
        commit.insert(QStringLiteral("ReturnValuesOnConditionCheckFailure"), QStringLiteral("ALL_OLD"));
        a = store->call(QStringLiteral("UpdateItem"), commit);
        const QJsonObject key = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'tx-1'}}}");
        if (!simulateFail) {
            QVERIFY2(a.ok(), why(a));
            const QJsonObject item
                = store->call(QStringLiteral("GetItem"), key).body.value(QStringLiteral("Item")).toObject();
            QCOMPARE(item.value(QStringLiteral("CommitRecords")).toObject().value(QStringLiteral("S")).toString(),
                QStringLiteral("Sample CommitRecords data"));
            return;
        }
        QCOMPARE(a.errorType, QStringLiteral("ConditionalCheckFailedException"));
        QCOMPARE(a.message, QStringLiteral("The conditional request failed"));
        QCOMPARE(a.httpStatus, 400);
        const QJsonObject old = a.errorExtra.value(QStringLiteral("Item")).toObject();
        QCOMPARE(old.value(QStringLiteral("SimulateFail")).toObject(), j("{'BOOL': true}"));
        QVERIFY(!old.contains(QStringLiteral("CommitRecords")));
        // The failed update left the item as it was.
        QVERIFY(!store->call(QStringLiteral("GetItem"), key)
                     .body.value(QStringLiteral("Item"))
                     .toObject()
                     .contains(QStringLiteral("CommitRecords")));

        for (const char *rollback : { "REMOVE CommitRecords", "REMOVE TransformRecords" }) {
            QJsonObject r = key;
            r.insert(QStringLiteral("UpdateExpression"), QString::fromLatin1(rollback));
            r.insert(QStringLiteral("ReturnValues"), QStringLiteral("ALL_NEW"));
            a = store->call(QStringLiteral("UpdateItem"), r);
            QVERIFY2(a.ok(), why(a));
        }
        QCOMPARE(text(a.body.value(QStringLiteral("Attributes")).toObject()),
            text(j("{'ProcessRecords': {'S': 'Sample ProcessRecords data'}, 'SimulateFail': {'BOOL': true}, "
                   "'TransactionId': {'S': 'tx-1'}}")));
        a = store->call(QStringLiteral("DeleteItem"), key);
        QVERIFY2(a.ok(), why(a));
        QVERIFY(!store->call(QStringLiteral("GetItem"), key).body.contains(QStringLiteral("Item")));
    }

    void conditionalWrites()
    {
        auto store = openMemory();
        QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        const QJsonObject onlyNew = j("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'a'}, 'v': "
                                      "{'N': '1'}}, 'ConditionExpression': 'attribute_not_exists(TransactionId)'}");
        QVERIFY(store->call(QStringLiteral("PutItem"), onlyNew).ok());
        DynamoAnswer a = store->call(QStringLiteral("PutItem"), onlyNew);
        QCOMPARE(a.errorType, QStringLiteral("ConditionalCheckFailedException"));
        QVERIFY(a.errorExtra.isEmpty()); // not asked for

        // A condition on a missing item sees no attributes.
        a = store->call(QStringLiteral("DeleteItem"),
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'b'}},"
              " 'ConditionExpression': 'attribute_exists(v)'}"));
        QCOMPARE(a.errorType, QStringLiteral("ConditionalCheckFailedException"));
        a = store->call(QStringLiteral("UpdateItem"),
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'b'}},"
              " 'UpdateExpression': 'SET v = :one', 'ConditionExpression': 'v <> :one',"
              " 'ExpressionAttributeValues': {':one': {'N': '1'}}}"));
        QVERIFY2(a.ok(), why(a));

        QJsonObject guarded = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'a'}},"
                                " 'ConditionExpression': 'v > :limit', 'ReturnValuesOnConditionCheckFailure': "
                                "'ALL_OLD', 'ExpressionAttributeValues': {':limit': {'N': '5'}}}");
        a = store->call(QStringLiteral("DeleteItem"), guarded);
        QCOMPARE(a.errorType, QStringLiteral("ConditionalCheckFailedException"));
        QCOMPARE(a.errorExtra.value(QStringLiteral("Item")).toObject().value(QStringLiteral("v")).toObject(),
            j("{'N': '1'}"));
        guarded.insert(QStringLiteral("ExpressionAttributeValues"), j("{':limit': {'N': '0.5'}}"));
        a = store->call(QStringLiteral("DeleteItem"), guarded);
        QVERIFY2(a.ok(), why(a));
    }

    void twoStoresInOneProcess()
    {
        auto first = openMemory();
        auto second = openMemory();
        QVERIFY(first->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        QCOMPARE(second->call(QStringLiteral("DescribeTable"), j("{'TableName': 'SagaTransactions'}")).errorType,
            QStringLiteral("ResourceNotFoundException"));
        QVERIFY(second->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        first.reset();
        QVERIFY(second->call(QStringLiteral("DescribeTable"), j("{'TableName': 'SagaTransactions'}")).ok());
    }

    void persistsAcrossReopen()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("tables.sqlite"));
        const QJsonObject key = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'kept'}}}");
        {
            auto opened = TableStore::open(path);
            QVERIFY2(opened.ok(), qPrintable(opened.error().toString()));
            auto store = opened.takeValue();
            QVERIFY(store->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
            QJsonObject update = key;
            update.insert(QStringLiteral("UpdateExpression"), QStringLiteral("SET n = :n"));
            update.insert(QStringLiteral("ExpressionAttributeValues"), j("{':n': {'N': '7'}}"));
            QVERIFY(store->call(QStringLiteral("UpdateItem"), update).ok());
            // A failed operation leaves nothing half-done behind it.
            update.insert(QStringLiteral("ConditionExpression"), QStringLiteral("n = :n"));
            update.insert(QStringLiteral("ExpressionAttributeValues"), j("{':n': {'N': '8'}}"));
            QCOMPARE(store->call(QStringLiteral("UpdateItem"), update).errorType,
                QStringLiteral("ConditionalCheckFailedException"));
        }
        auto reopened = TableStore::open(path);
        QVERIFY2(reopened.ok(), qPrintable(reopened.error().toString()));
        auto store = reopened.takeValue();
        const DynamoAnswer got = store->call(QStringLiteral("GetItem"), key);
        QVERIFY2(got.ok(), why(got));
        QCOMPARE(text(got.body.value(QStringLiteral("Item")).toObject()),
            text(j("{'TransactionId': {'S': 'kept'}, 'n': {'N': '7'}}")));
        QCOMPARE(store->call(QStringLiteral("ListTables"), {}).body.value(QStringLiteral("TableNames")).toArray(),
            QJsonArray({ QStringLiteral("SagaTransactions") }));
    }

    // The app and bramblectl may open one file at once: each sees the
    // other's committed writes.
    void twoStoresOnOneFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("shared.sqlite"));
        auto first = TableStore::open(path).takeValue();
        auto second = TableStore::open(path).takeValue();
        QVERIFY(first->call(QStringLiteral("CreateTable"), j(kSagaTable)).ok());
        const QJsonObject update = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'c'}},"
                                     " 'UpdateExpression': 'ADD n :one', 'ExpressionAttributeValues': {':one': {'N': "
                                     "'1'}}, 'ReturnValues': 'UPDATED_NEW'}");
        for (int i = 0; i < 5; ++i) {
            QVERIFY(first->call(QStringLiteral("UpdateItem"), update).ok());
            QVERIFY(second->call(QStringLiteral("UpdateItem"), update).ok());
        }
        const DynamoAnswer a = second->call(QStringLiteral("UpdateItem"), update);
        QVERIFY2(a.ok(), why(a));
        QCOMPARE(text(a.body.value(QStringLiteral("Attributes")).toObject()), text(j("{'n': {'N': '11'}}")));
    }

    void openRefusesWhatIsNotAStore()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile junk(dir.filePath(QStringLiteral("junk.sqlite")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        const auto opened = TableStore::open(junk.fileName());
        QVERIFY(!opened.ok());
        QVERIFY(opened.error().message.contains(QStringLiteral("DynamoDB table store")));
        QCOMPARE(opened.error().where.file, junk.fileName());
    }

    void listTablesPages()
    {
        auto store = openMemory();
        for (const char *name : { "gamma", "alpha", "beta", "delta" }) {
            QJsonObject create = j(kSagaTable);
            create.insert(QStringLiteral("TableName"), QString::fromLatin1(name));
            QVERIFY(store->call(QStringLiteral("CreateTable"), create).ok());
        }
        DynamoAnswer a = store->call(QStringLiteral("ListTables"), j("{'Limit': 3}"));
        QVERIFY2(a.ok(), why(a));
        QCOMPARE(a.body.value(QStringLiteral("TableNames")).toArray(),
            QJsonArray({ QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("delta") }));
        QCOMPARE(a.body.value(QStringLiteral("LastEvaluatedTableName")).toString(), QStringLiteral("delta"));
        a = store->call(QStringLiteral("ListTables"), j("{'Limit': 3, 'ExclusiveStartTableName': 'delta'}"));
        QCOMPARE(a.body.value(QStringLiteral("TableNames")).toArray(), QJsonArray({ QStringLiteral("gamma") }));
        QVERIFY(!a.body.contains(QStringLiteral("LastEvaluatedTableName")));
        QCOMPARE(store->call(QStringLiteral("ListTables"), j("{'Limit': 0}")).errorType,
            QStringLiteral("ValidationException"));
    }
};

QTEST_GUILESS_MAIN(TestTableStore)
#include "tst_tablestore.moc"
