// The builtin seed-saga functions and the DynamoDB integrations, on a
// TableStore in memory.
#include "dynamodb/tablestore.h"
#include "functions/localtaskrunner.h"
#include "taskwait.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {

QString S(const char *text)
{
    return QString::fromUtf8(text);
}

// JSON written with single quotes.
QJsonObject j(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    const QJsonDocument doc = QJsonDocument::fromJson(b);
    if (!doc.isObject())
        qFatal("bad test JSON: %s", text);
    return doc.object();
}

const QString Region = S("eu-west-1");
const QString Account = S("123456789012");

TaskOutcome outcomeOf(TaskCall *job)
{
    const Core::Result<TaskOutcome> r = Test::runTask(job);
    if (!r.ok())
        return TaskOutcome::failure(S("JOB FAILED"), r.error().toString());
    return r.value();
}

// The seed saga's Task state `state`: lambda:invoke of saga-<state> with the
// state's input as Payload (resources/sagas/seed-saga.asl.json).
TaskRequest seedStep(const QString &state, const QJsonValue &input, int attempt = 0)
{
    TaskRequest r;
    r.executionArn = S("arn:aws:states:eu-west-1:123456789012:execution:seed-saga:e1");
    r.stateMachineArn = S("arn:aws:states:eu-west-1:123456789012:stateMachine:seed-saga");
    r.stateMachineName = S("seed-saga");
    r.stateName = state;
    r.resource = S("arn:aws:states:::lambda:invoke");
    r.parameters = QJsonObject { { S("FunctionName"),
                                     QString(S("arn:aws:lambda:eu-west-1:123456789012:function:saga-") + state) },
        { S("Payload"), input } };
    r.attempt = attempt;
    return r;
}

TaskRequest dynamo(const char *action, const QJsonObject &parameters)
{
    TaskRequest r = seedStep(S("Dynamo"), {});
    r.resource = S("arn:aws:states:::dynamodb:") + S(action);
    r.parameters = parameters;
    return r;
}

QJsonObject input(const char *details)
{
    return QJsonObject { { S("Payload"), QJsonObject { { S("TransactionDetails"), j(details) } } } };
}

} // namespace

class TestSeedSaga : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TableStore> m_store;
    std::unique_ptr<LocalTaskRunner> m_runner;

    QJsonObject item(const char *id)
    {
        const DynamoAnswer a = m_store->call(S("GetItem"),
            QJsonObject { { S("TableName"), S("SagaTransactions") },
                { S("Key"), QJsonObject { { S("TransactionId"), QJsonObject { { S("S"), S(id) } } } } },
                { S("ConsistentRead"), true } });
        if (!a.ok())
            qWarning("GetItem: %s", qPrintable(a.message));
        return a.body.value(u"Item").toObject();
    }

    // Runs one step on `in`; its output (the next state's input, as the
    // seed's states have no ResultPath).
    QJsonValue step(const char *state, const QJsonValue &in)
    {
        const TaskOutcome o = outcomeOf(m_runner->call(seedStep(S(state), in)));
        if (!o.ok)
            qWarning("%s failed: %s %s", state, qPrintable(o.error), qPrintable(o.cause));
        return o.ok ? o.output : QJsonValue();
    }

private Q_SLOTS:
    void init()
    {
        auto opened = TableStore::open(S(":memory:"), Region, Account);
        QVERIFY2(opened.ok(), qPrintable(opened.error().toString()));
        m_store = opened.takeValue();
        const DynamoAnswer created = m_store->call(S("CreateTable"),
            j("{'TableName': 'SagaTransactions', 'BillingMode': 'PAY_PER_REQUEST',"
              " 'AttributeDefinitions': [{'AttributeName': 'TransactionId', 'AttributeType': 'S'}],"
              " 'KeySchema': [{'AttributeName': 'TransactionId', 'KeyType': 'HASH'}]}"));
        QVERIFY2(created.ok(), qPrintable(created.message));
        m_runner = std::make_unique<LocalTaskRunner>(FunctionsConfig::seedSample(), m_store.get());
    }
    void cleanup()
    {
        m_runner.reset();
        m_store.reset();
    }

    void stepsWriteAndTheTransactionTravels()
    {
        QJsonValue v = step("ProcessRecords", input("{'TransactionId': '1'}"));
        QCOMPARE(v.toObject().value(u"StatusCode").toInt(), 200);
        // The payload hands the transaction on.
        QCOMPARE(v.toObject().value(u"Payload").toObject(), j("{'TransactionDetails': {'TransactionId': '1'}}"));
        QCOMPARE(item("1"),
            j("{'TransactionId': {'S': '1'}, 'ProcessRecords': {'S': 'Sample ProcessRecords data'},"
              " 'SimulateFail': {'BOOL': false}}"));
        v = step("TransformRecords", v);
        v = step("CommitRecords", v);
        QCOMPARE(v.toObject().value(u"Payload").toObject(), j("{'TransactionDetails': {'TransactionId': '1'}}"));
        QCOMPARE(item("1"),
            j("{'TransactionId': {'S': '1'}, 'ProcessRecords': {'S': 'Sample ProcessRecords data'},"
              " 'SimulateFail': {'BOOL': false}, 'TransformRecords': {'S': 'Sample TransformRecords data'},"
              " 'CommitRecords': {'S': 'Sample CommitRecords data'}}"));
    }

    void simulateFailRaisesAtCommitAndRollbacksRemove()
    {
        QJsonValue v = step("ProcessRecords", input("{'TransactionId': '2', 'simulateFail': true}"));
        v = step("TransformRecords", v);
        const TaskOutcome failed = outcomeOf(m_runner->call(seedStep(S("CommitRecords"), v)));
        QVERIFY(!failed.ok);
        QCOMPARE(failed.error, S("SimulatedFailure"));
        const QJsonObject cause = QJsonDocument::fromJson(failed.cause.toUtf8()).object();
        QCOMPARE(cause.value(u"errorType").toString(), S("SimulatedFailure"));
        QCOMPARE(cause.value(u"errorMessage").toString(), S("CommitRecords failed (simulated)"));
        QVERIFY(!item("2").contains(u"CommitRecords")); // a failing step writes nothing

        // The Catch's ResultPath $.error keeps the transaction beside the error.
        QJsonObject caught = v.toObject();
        caught.insert(S("error"), QJsonObject { { S("Error"), failed.error }, { S("Cause"), failed.cause } });
        QJsonValue r = step("CommitRecordsRollback", caught);
        QVERIFY(r.isObject());
        r = step("TransformRecordsRollback", r);
        QCOMPARE(item("2"),
            j("{'TransactionId': {'S': '2'}, 'ProcessRecords': {'S': 'Sample ProcessRecords data'},"
              " 'SimulateFail': {'BOOL': true}}"));
        r = step("ProcessRecordsRollback", r);
        QVERIFY(r.isObject());
        QVERIFY(item("2").isEmpty()); // ProcessRecordsRollback deletes the item
    }

    void faultsChooseTheStep()
    {
        // failAt another step
        QJsonValue v = step(
            "ProcessRecords", input("{'TransactionId': '3', 'simulateFail': true, 'failAt': 'TransformRecords'}"));
        TaskOutcome o = outcomeOf(m_runner->call(seedStep(S("TransformRecords"), v)));
        QCOMPARE(o.error, S("SimulatedFailure"));
        // failAt without simulateFail does nothing
        v = step("ProcessRecords", input("{'TransactionId': '4', 'failAt': 'ProcessRecords'}"));
        QVERIFY(v.isObject());
        // retries: transient Lambda.ServiceException on the first attempts
        const QJsonObject in = input("{'TransactionId': '5', 'simulateFail': true, 'retries': 2}");
        o = outcomeOf(m_runner->call(seedStep(S("CommitRecords"), in, 0)));
        QCOMPARE(o.error, S("Lambda.ServiceException"));
        QVERIFY2(o.cause.contains(u"(Service: AWSLambda; Status Code: 500; Error Code: ServiceException"),
            qPrintable(o.cause));
        QCOMPARE(outcomeOf(m_runner->call(seedStep(S("CommitRecords"), in, 1))).error, S("Lambda.ServiceException"));
        o = outcomeOf(m_runner->call(seedStep(S("CommitRecords"), in, 2)));
        QVERIFY2(o.ok, qPrintable(o.cause));
        QCOMPARE(item("5").value(u"CommitRecords").toObject().value(u"S").toString(), S("Sample CommitRecords data"));
        // failRollback: that rollback raises
        o = outcomeOf(m_runner->call(seedStep(S("TransformRecordsRollback"),
            input("{'TransactionId': '6', 'failRollback': 'TransformRecordsRollback'}"))));
        QCOMPARE(o.error, S("SimulatedFailure"));
    }

    void payloadsAsTextAndParallelArrays()
    {
        // The seed's Lambdas return JSON.stringify(...): Payload may be text.
        QJsonObject textual { { S("Payload"), S("{\"TransactionDetails\": {\"TransactionId\": \"7\"}}") } };
        QVERIFY(step("ProcessRecords", textual).isObject());
        QVERIFY(item("7").contains(u"ProcessRecords"));
        // A Parallel's output: the first branch's.
        const QJsonArray branches { input("{'TransactionId': '8'}"), input("{'TransactionId': '9'}") };
        QVERIFY(step("ProcessRecords", branches).isObject());
        QVERIFY(item("8").contains(u"ProcessRecords"));
        QVERIFY(item("9").isEmpty());
    }

    void badEventsAndMissingTables()
    {
        TaskOutcome o = outcomeOf(m_runner->call(seedStep(S("ProcessRecords"), j("{'Payload': {}}"))));
        QCOMPARE(o.error, S("TypeError"));
        QVERIFY2(o.cause.contains(u"TransactionId"), qPrintable(o.cause));
        const DynamoAnswer deleted = m_store->call(S("DeleteTable"), j("{'TableName': 'SagaTransactions'}"));
        QVERIFY(deleted.ok());
        o = outcomeOf(m_runner->call(seedStep(S("ProcessRecords"), input("{'TransactionId': '1'}"))));
        QCOMPARE(o.error, S("ResourceNotFoundException"));
        QVERIFY(o.cause.contains(u"\"errorType\":\"ResourceNotFoundException\""));
    }

    void dynamoDbIntegrations()
    {
        TaskOutcome o = outcomeOf(m_runner->call(dynamo("putItem",
            j("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'd1'}, 'N': {'N': '1'}}}"))));
        QVERIFY2(o.ok, qPrintable(o.cause));
        QCOMPARE(o.output.toObject(), QJsonObject());
        o = outcomeOf(m_runner->call(dynamo("getItem",
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'd1'}}, 'ConsistentRead': true}"))));
        QVERIFY(o.ok);
        QCOMPARE(o.output.toObject(), j("{'Item': {'TransactionId': {'S': 'd1'}, 'N': {'N': '1'}}}"));
        o = outcomeOf(m_runner->call(
            dynamo("getItem", j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'nope'}}}"))));
        QVERIFY(o.ok);
        QVERIFY(!o.output.toObject().contains(u"Item")); // missing: no Item at all
        o = outcomeOf(m_runner->call(dynamo("updateItem",
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'd1'}},"
              " 'UpdateExpression': 'SET #n = #n + :one', 'ExpressionAttributeNames': {'#n': 'N'},"
              " 'ExpressionAttributeValues': {':one': {'N': '1'}}, 'ReturnValues': 'UPDATED_NEW'}"))));
        QVERIFY2(o.ok, qPrintable(o.cause));
        QCOMPARE(o.output.toObject(), j("{'Attributes': {'N': {'N': '2'}}}"));
        o = outcomeOf(m_runner->call(dynamo("deleteItem",
            j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'd1'}}, 'ReturnValues': 'ALL_OLD'}"))));
        QVERIFY(o.ok);
        QCOMPARE(
            o.output.toObject().value(u"Attributes").toObject().value(u"N").toObject().value(u"N").toString(), S("2"));
        QVERIFY(item("d1").isEmpty());
    }

    // seed-saga.moto.asl.json's CommitRecords: simulateFail makes its
    // condition fail, a business outcome the saga catches.
    void conditionalCheckFailedIsNamedAsAws()
    {
        const QJsonObject process
            = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'm2'}},"
                " 'UpdateExpression': 'SET ProcessRecords = :sample, SimulateFail = :simulateFail',"
                " 'ExpressionAttributeValues': {':sample': {'S': 'Sample ProcessRecords data'},"
                " ':simulateFail': {'BOOL': true}}}");
        QVERIFY(outcomeOf(m_runner->call(dynamo("updateItem", process))).ok);
        const QJsonObject commit
            = j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'm2'}},"
                " 'UpdateExpression': 'SET CommitRecords = :sample', 'ConditionExpression': 'SimulateFail = :false',"
                " 'ExpressionAttributeValues': {':sample': {'S': 'Sample CommitRecords data'}, ':false': {'BOOL': "
                "false}}}");
        const TaskOutcome o = outcomeOf(m_runner->call(dynamo("updateItem", commit)));
        QVERIFY(!o.ok);
        QCOMPARE(o.error, S("DynamoDB.ConditionalCheckFailedException"));
        static const QRegularExpression cause(
            S("^The conditional request failed \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
              "ConditionalCheckFailedException; Request ID: [A-Z0-9]{52}; Proxy: null\\)$"));
        QVERIFY2(cause.match(o.cause).hasMatch(), qPrintable(o.cause));
        QVERIFY(!item("m2").contains(u"CommitRecords"));
    }

    void awsSdkDynamoDbIntegrations()
    {
        for (const char *id : { "q1", "q2" })
            QVERIFY(outcomeOf(
                m_runner->call(dynamo("putItem",
                    QJsonObject { { S("TableName"), S("SagaTransactions") },
                        { S("Item"), QJsonObject { { S("TransactionId"), QJsonObject { { S("S"), S(id) } } } } } })))
                        .ok);
        TaskRequest scan = dynamo("scan", j("{'TableName': 'SagaTransactions'}"));
        scan.resource = S("arn:aws:states:::aws-sdk:dynamodb:scan");
        TaskOutcome o = outcomeOf(m_runner->call(scan));
        QVERIFY2(o.ok, qPrintable(o.cause));
        QCOMPARE(o.output.toObject().value(u"Count").toInt(), 2);
        TaskRequest put = dynamo("putItem",
            j("{'TableName': 'SagaTransactions', 'Item': {'TransactionId': {'S': 'q1'}},"
              " 'ConditionExpression': 'attribute_not_exists(TransactionId)'}"));
        put.resource = S("arn:aws:states:::aws-sdk:dynamodb:putItem");
        o = outcomeOf(m_runner->call(put));
        // SDK integrations name errors <Service>.<Error> in PascalCase.
        QCOMPARE(o.error, S("DynamoDb.ConditionalCheckFailedException"));
        static const QRegularExpression cause(
            S("^The conditional request failed \\(Service: DynamoDb, Status Code: 400, Request ID: [A-Z0-9]{52}\\)$"));
        QVERIFY2(cause.match(o.cause).hasMatch(), qPrintable(o.cause));
        TaskRequest batch = scan;
        batch.resource = S("arn:aws:states:::aws-sdk:dynamodb:batchWriteItem");
        QCOMPARE(outcomeOf(m_runner->call(batch)).error, S("States.Runtime"));
    }

    void dynamoDbErrors()
    {
        TaskOutcome o = outcomeOf(
            m_runner->call(dynamo("getItem", j("{'TableName': 'Missing', 'Key': {'TransactionId': {'S': 'x'}}}"))));
        QCOMPARE(o.error, S("DynamoDB.ResourceNotFoundException"));
        QVERIFY2(o.cause.contains(u"Error Code: ResourceNotFoundException;"), qPrintable(o.cause));
        o = outcomeOf(m_runner->call(dynamo("getItem", j("{'TableName': 'SagaTransactions', 'Key': {}}"))));
        QCOMPARE(o.error, S("DynamoDB.ValidationException"));
        o = outcomeOf(m_runner->call(dynamo(
            "getItem", j("{'TableName': 'SagaTransactions', 'Key': {'TransactionId': {'S': 'x'}}, 'Limit': 1}"))));
        QCOMPARE(o.error, S("States.Runtime"));
        QVERIFY2(
            o.cause.contains(u"\"Limit\" is not supported by Step Functions for arn:aws:states:::dynamodb:getItem"),
            qPrintable(o.cause));
        o = outcomeOf(m_runner->call(dynamo("putItem", j("{'TableName': 'SagaTransactions', 'Key': {}}"))));
        QCOMPARE(o.error, S("States.Runtime")); // putItem takes Item, not Key
        TaskRequest notObject = dynamo("deleteItem", {});
        notObject.parameters = QJsonValue(S("x"));
        QCOMPARE(outcomeOf(m_runner->call(notObject)).error, S("States.Runtime"));
    }
};

QTEST_GUILESS_MAIN(TestSeedSaga)
#include "tst_seedsaga.moc"
