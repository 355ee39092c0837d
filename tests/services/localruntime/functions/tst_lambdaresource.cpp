#include "functions/lambdaresource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {
QString S(const char *text)
{
    return QString::fromUtf8(text);
}
} // namespace

class TestLambdaResource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesFunctionNames_data()
    {
        QTest::addColumn<QString>("functionName");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("qualifier");
        QTest::addColumn<QString>("arn");

        const QString arn = S("arn:aws:lambda:eu-west-1:123456789012:function:saga-ProcessRecords");
        QTest::newRow("name") << S("saga-ProcessRecords") << true << S("saga-ProcessRecords") << QString()
                              << S("arn:aws:lambda:us-east-1:111122223333:function:saga-ProcessRecords");
        QTest::newRow("name:alias") << S("my_fn:live") << true << S("my_fn") << S("live")
                                    << S("arn:aws:lambda:us-east-1:111122223333:function:my_fn:live");
        QTest::newRow("name:version") << S("my-fn:7") << true << S("my-fn") << S("7")
                                      << S("arn:aws:lambda:us-east-1:111122223333:function:my-fn:7");
        QTest::newRow("name:$LATEST") << S("my-fn:$LATEST") << true << S("my-fn") << QString()
                                      << S("arn:aws:lambda:us-east-1:111122223333:function:my-fn");
        QTest::newRow("full arn") << arn << true << S("saga-ProcessRecords") << QString() << arn;
        QTest::newRow("full arn:alias") << arn + S(":prod") << true << S("saga-ProcessRecords") << S("prod")
                                        << arn + S(":prod");
        QTest::newRow("gov arn") << S("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f") << true << S("f")
                                 << QString() << S("arn:aws:lambda:us-gov-west-1:123456789012:function:f");
        QTest::newRow("partial arn") << S("123456789012:function:f") << true << S("f") << QString()
                                     << S("arn:aws:lambda:us-east-1:123456789012:function:f");
        QTest::newRow("partial arn:alias") << S("123456789012:function:f:blue") << true << S("f") << S("blue")
                                           << S("arn:aws:lambda:us-east-1:123456789012:function:f:blue");
        QTest::newRow("empty") << QString() << false << QString() << QString() << QString();
        QTest::newRow("space") << S("my fn") << false << QString() << QString() << QString();
        QTest::newRow("too long") << QString(65, u'a') << false << QString() << QString() << QString();
        QTest::newRow("two qualifiers") << S("f:a:b") << false << QString() << QString() << QString();
        QTest::newRow("short account") << S("1234:function:f") << false << QString() << QString() << QString();
        QTest::newRow("not lambda") << S("arn:aws:states:eu-west-1:123456789012:function:f") << false << QString()
                                    << QString() << QString();
        QTest::newRow("bad region") << S("arn:aws:lambda:europe:123456789012:function:f") << false << QString()
                                    << QString() << QString();
        QTest::newRow("layer arn") << S("arn:aws:lambda:eu-west-1:123456789012:layer:f") << false << QString()
                                   << QString() << QString();
        QTest::newRow("empty qualifier") << S("f:") << false << QString() << QString() << QString();
    }
    void parsesFunctionNames()
    {
        QFETCH(QString, functionName);
        QFETCH(bool, valid);
        QFETCH(QString, name);
        QFETCH(QString, qualifier);
        QFETCH(QString, arn);
        const std::optional<LambdaFunctionRef> ref = parseFunctionName(functionName);
        QCOMPARE(ref.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(ref->name, name);
        QCOMPARE(ref->qualifier, qualifier);
        QCOMPARE(ref->arn(S("us-east-1"), S("111122223333")), arn);
    }

    void classifiesResources_data()
    {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("action");
        using K = TaskResource::Kind;
        QTest::newRow("invoke") << S("arn:aws:states:::lambda:invoke") << int(K::LambdaInvoke) << S("invoke");
        QTest::newRow("function arn") << S("arn:aws:lambda:eu-west-1:123456789012:function:f") << int(K::LambdaArn)
                                      << QString();
        QTest::newRow("function arn:alias")
            << S("arn:aws:lambda:eu-west-1:123456789012:function:f:live") << int(K::LambdaArn) << QString();
        for (const char *a : { "getItem", "putItem", "updateItem", "deleteItem" })
            QTest::newRow(a) << S("arn:aws:states:::dynamodb:") + S(a) << int(K::DynamoDb) << S(a);
        QTest::newRow("invoke.waitForTaskToken")
            << S("arn:aws:states:::lambda:invoke.waitForTaskToken") << int(K::Unsupported) << QString();
        QTest::newRow("dynamodb query") << S("arn:aws:states:::dynamodb:query") << int(K::Unsupported) << QString();
        QTest::newRow("aws-sdk query") << S("arn:aws:states:::aws-sdk:dynamodb:query") << int(K::DynamoDbSdk)
                                       << S("query");
        QTest::newRow("aws-sdk batch") << S("arn:aws:states:::aws-sdk:dynamodb:batchWriteItem") << int(K::Unsupported)
                                       << QString();
        QTest::newRow("aws-sdk s3") << S("arn:aws:states:::aws-sdk:s3:getObject") << int(K::Unsupported) << QString();
        QTest::newRow("sqs") << S("arn:aws:states:::sqs:sendMessage") << int(K::Unsupported) << QString();
        QTest::newRow("activity") << S("arn:aws:states:eu-west-1:123456789012:activity:a") << int(K::Unsupported)
                                  << QString();
    }
    void classifiesResources()
    {
        QFETCH(QString, resource);
        QFETCH(int, kind);
        QFETCH(QString, action);
        const TaskResource r = classifyResource(resource);
        QCOMPARE(int(r.kind), kind);
        if (!action.isEmpty())
            QCOMPARE(r.action, action);
    }

    void regionAndAccountOfArns()
    {
        const QString arn = S("arn:aws:states:eu-west-1:123456789012:stateMachine:seed-saga");
        QCOMPARE(regionOfArn(arn), S("eu-west-1"));
        QCOMPARE(accountOfArn(arn), S("123456789012"));
        QCOMPARE(regionOfArn(QString()), S("us-east-1"));
        QCOMPARE(accountOfArn(QString()), S("123456789012"));
    }

    void jsonValuesOfAnyKind()
    {
        QCOMPARE(jsonText(QJsonValue(S("a\"b"))), QByteArray("\"a\\\"b\""));
        QCOMPARE(jsonText(QJsonValue(42)), QByteArray("42"));
        QCOMPARE(jsonText(QJsonValue::Null), QByteArray("null"));
        QCOMPARE(jsonText(QJsonObject { { S("a"), 1 } }), QByteArray("{\"a\":1}"));
        QCOMPARE(parseJsonValue(" \"ok\"\n")->toString(), S("ok"));
        QCOMPARE(parseJsonValue("1.5")->toDouble(), 1.5);
        QVERIFY(parseJsonValue("null")->isNull());
        QVERIFY(parseJsonValue("[1,2]")->isArray());
        QString why;
        QVERIFY(!parseJsonValue("1],[2", &why));
        QVERIFY(!parseJsonValue("1,2", &why));
        QCOMPARE(why, S("more than one value"));
        QVERIFY(!parseJsonValue("hello", &why));
        QVERIFY(!parseJsonValue("", &why));
    }

    void functionAnswers()
    {
        TaskOutcome o = functionSucceeded("{\"a\": [1, 2]}");
        QVERIFY(o.ok);
        QCOMPARE(o.output.toObject().value(u"a").toArray().size(), 2);
        o = functionSucceeded("");
        QVERIFY(o.ok);
        QVERIFY(o.output.isNull());
        o = functionSucceeded("Traceback: not json");
        QVERIFY(!o.ok);
        QCOMPARE(o.error, S("Runtime.MarshalError"));
        const QJsonObject cause = QJsonDocument::fromJson(o.cause.toUtf8()).object();
        QCOMPARE(cause.value(u"errorType").toString(), S("Runtime.MarshalError"));
        QVERIFY(cause.value(u"errorMessage").toString().startsWith(u"Unable to marshal response"));

        // A typed error document: its type, and the document itself as the cause.
        const QByteArray typed = "{\"errorType\": \"ValidationError\", \"errorMessage\": \"bad input\", \"trace\": []}";
        o = functionFailed(typed, S("exit status 1"));
        QCOMPARE(o.error, S("ValidationError"));
        QCOMPARE(o.cause, QString::fromUtf8(typed));
        // Untyped: Lambda.Unknown with Step Functions' words and the payload.
        o = functionFailed("{\"errorMessage\": \"Task timed out\"}", S("exit status 1"));
        QCOMPARE(o.error, S("Lambda.Unknown"));
        QVERIFY(o.cause.startsWith(u"The cause could not be determined because Lambda did not return an error type."));
        QVERIFY(o.cause.endsWith(u"Returned payload: {\"errorMessage\":\"Task timed out\"}"));
        o = functionFailed("segfault", S("exit status 139"));
        QCOMPARE(o.error, S("Lambda.Unknown"));
        QVERIFY2(o.cause.contains(u"exit status 139: segfault"), qPrintable(o.cause));
        o = functionFailed("{\"errorType\": \"\"}", S("exit status 2"));
        QCOMPARE(o.error, S("Lambda.Unknown"));
        // Error names and causes are bounded as Step Functions bounds them.
        o = functionFailed(QByteArray("{\"errorType\": \"") + QByteArray(300, 'E') + "\"}", {});
        QCOMPARE(o.error.size(), 256);
    }

    void serviceErrors()
    {
        const TaskOutcome o = lambdaServiceError(S("ResourceNotFoundException"), 404,
            S("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"));
        QCOMPARE(o.error, S("Lambda.ResourceNotFoundException"));
        QVERIFY2(
            o.cause.startsWith(u"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: "
                               u"AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "),
            qPrintable(o.cause));
        QVERIFY(o.cause.endsWith(u"; Proxy: null)"));
    }

    void httpAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("error");
        QTest::newRow("200") << 200 << QByteArray("{\"x\": 1}") << true << QString();
        QTest::newRow("204 empty") << 204 << QByteArray() << true << QString();
        QTest::newRow("200 text") << 200 << QByteArray("hello") << false << S("Runtime.MarshalError");
        QTest::newRow("500 typed") << 500 << QByteArray("{\"errorType\": \"Boom\", \"errorMessage\": \"m\"}") << false
                                   << S("Boom");
        QTest::newRow("500 text") << 500 << QByteArray("Internal Server Error") << false << S("Lambda.Unknown");
        QTest::newRow("404") << 404 << QByteArray("not found") << false << S("Lambda.Unknown");
        QTest::newRow("429") << 429 << QByteArray("slow down") << false << S("Lambda.TooManyRequestsException");
        QTest::newRow("503") << 503 << QByteArray() << false << S("Lambda.ServiceException");
        QTest::newRow("502") << 502 << QByteArray("bad gateway") << false << S("Lambda.ServiceException");
        QTest::newRow("503 typed") << 503 << QByteArray("{\"errorType\": \"Busy\"}") << false << S("Busy");
    }
    void httpAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, ok);
        QFETCH(QString, error);
        const TaskOutcome o = httpFunctionAnswer(status, body, S("http://127.0.0.1:1/fn"));
        QCOMPARE(o.ok, ok);
        QCOMPARE(o.error, error);
        if (!ok && error.startsWith(u"Lambda.") && error != u"Lambda.Unknown")
            QVERIFY2(o.cause.contains(u"http://127.0.0.1:1/fn answered HTTP"), qPrintable(o.cause));
    }

    void invokeResultIsShapedAsAws()
    {
        const QJsonObject payload { { S("TransactionDetails"), QJsonObject { { S("TransactionId"), S("2") } } } };
        const QJsonObject r = lambdaInvokeResult(payload).toObject();
        QCOMPARE(r.value(u"ExecutedVersion").toString(), S("$LATEST"));
        QCOMPARE(r.value(u"Payload").toObject(), payload);
        QCOMPARE(r.value(u"StatusCode").toInt(), 200);
        const QJsonObject http = r.value(u"SdkHttpMetadata").toObject();
        QCOMPARE(http.value(u"HttpStatusCode").toInt(), 200);
        const QString requestId = r.value(u"SdkResponseMetadata").toObject().value(u"RequestId").toString();
        QVERIFY(!requestId.isEmpty());
        QCOMPARE(http.value(u"HttpHeaders").toObject().value(u"x-amzn-RequestId").toString(), requestId);
        QCOMPARE(http.value(u"AllHttpHeaders").toObject().value(u"X-Amz-Executed-Version").toArray().at(0).toString(),
            S("$LATEST"));
        QCOMPARE(http.value(u"HttpHeaders").toObject().value(u"Content-Length").toString(),
            QString::number(jsonText(payload).size()));
        QCOMPARE(lambdaInvokeResult(QJsonValue::Null, S("3")).toObject().value(u"ExecutedVersion").toString(), S("3"));
        QCOMPARE(lambdaInvokeResult(QJsonValue::Null, S("live")).toObject().value(u"ExecutedVersion").toString(),
            S("$LATEST"));
        QVERIFY(lambdaInvokeResult(QJsonValue::Null).toObject().value(u"Payload").isNull());
    }
};

QTEST_GUILESS_MAIN(TestLambdaResource)
#include "tst_lambdaresource.moc"
