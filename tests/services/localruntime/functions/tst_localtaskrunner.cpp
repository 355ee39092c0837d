// LocalTaskRunner: which function a task reaches, mocks, hot-swapped
// bindings and the resources it does not run.
#include "functions/localtaskrunner.h"
#include "support/testpaths.h"
#include "taskwait.h"

#include <QJsonObject>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {

QString S(const char *text)
{
    return QString::fromUtf8(text);
}

const QString MachineArn = S("arn:aws:states:eu-west-2:210987654321:stateMachine:LambdaSQSIntegration");

// A function that answers `value` (JSON text) whatever its event.
FunctionBinding answering(const char *value)
{
    FunctionBinding b;
    b.kind = FunctionBinding::Kind::Command;
    b.argv = QStringList { S("python3"), S("-c"), S("import sys; sys.stdin.read(); print(sys.argv[1])"), S(value) };
    return b;
}

TaskRequest request(const QString &resource, const QJsonValue &parameters, const QString &state = S("LambdaState"))
{
    TaskRequest r;
    r.executionArn = S("arn:aws:states:eu-west-2:210987654321:execution:LambdaSQSIntegration:e1");
    r.stateMachineArn = MachineArn;
    r.stateMachineName = S("LambdaSQSIntegration");
    r.stateName = state;
    r.resource = resource;
    r.parameters = parameters;
    return r;
}

TaskRequest invoke(const QString &functionName)
{
    return request(S("arn:aws:states:::lambda:invoke"),
        QJsonObject { { S("FunctionName"), functionName }, { S("Payload"), QJsonObject() } });
}

TaskOutcome outcomeOf(TaskCall *job)
{
    const Core::Result<TaskOutcome> r = Test::runTask(job);
    if (!r.ok())
        return TaskOutcome::failure(S("JOB FAILED"), r.error().toString());
    return r.value();
}

} // namespace

class TestLocalTaskRunner : public QObject {
    Q_OBJECT

private:
    FunctionsConfig config() const
    {
        FunctionsConfig c;
        c.functions.append({ S("saga-ProcessRecords"), answering("\"A\"") });
        return c;
    }

private Q_SLOTS:
    void everyFunctionNameFormReachesTheBinding_data()
    {
        QTest::addColumn<QString>("functionName");
        QTest::newRow("name") << S("saga-ProcessRecords");
        QTest::newRow("name:alias") << S("saga-ProcessRecords:live");
        QTest::newRow("full arn") << S("arn:aws:lambda:eu-west-1:123456789012:function:saga-ProcessRecords");
        QTest::newRow("full arn:version") << S("arn:aws:lambda:eu-west-1:123456789012:function:saga-ProcessRecords:4");
        QTest::newRow("partial arn") << S("123456789012:function:saga-ProcessRecords");
    }
    void everyFunctionNameFormReachesTheBinding()
    {
        QFETCH(QString, functionName);
        LocalTaskRunner runner(config(), nullptr);
        const TaskOutcome o = outcomeOf(runner.call(invoke(functionName)));
        QVERIFY2(o.ok, qPrintable(o.error + u' ' + o.cause));
        QCOMPARE(o.output.toObject().value(u"Payload").toString(), S("A"));
        QCOMPARE(o.output.toObject().value(u"ExecutedVersion").toString(),
            functionName.endsWith(u":4") ? S("4") : S("$LATEST"));
    }

    void unknownFunctionIsResourceNotFound_data()
    {
        QTest::addColumn<QString>("functionName");
        QTest::addColumn<QString>("arn");
        // A bare name takes the region and account of the state machine.
        QTest::newRow("name") << S("saga-Nope") << S("arn:aws:lambda:eu-west-2:210987654321:function:saga-Nope");
        QTest::newRow("alias") << S("saga-Nope:live")
                               << S("arn:aws:lambda:eu-west-2:210987654321:function:saga-Nope:live");
        QTest::newRow("arn") << S("arn:aws:lambda:eu-west-1:123456789012:function:saga-Nope")
                             << S("arn:aws:lambda:eu-west-1:123456789012:function:saga-Nope");
        QTest::newRow("case") << S("saga-processrecords")
                              << S("arn:aws:lambda:eu-west-2:210987654321:function:saga-processrecords");
    }
    void unknownFunctionIsResourceNotFound()
    {
        QFETCH(QString, functionName);
        QFETCH(QString, arn);
        LocalTaskRunner runner(config(), nullptr);
        const TaskOutcome o = outcomeOf(runner.call(invoke(functionName)));
        QVERIFY(!o.ok);
        QCOMPARE(o.error, S("Lambda.ResourceNotFoundException"));
        QVERIFY2(o.cause.startsWith(S("Function not found: ") + arn
                     + S(" (Service: AWSLambda; Status Code: 404; "
                         "Error Code: ResourceNotFoundException")),
            qPrintable(o.cause));
    }

    void badTasksFail_data()
    {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QJsonValue>("parameters");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        const QString invokeArn = S("arn:aws:states:::lambda:invoke");
        QTest::newRow("invalid name") << invokeArn << QJsonValue(QJsonObject { { S("FunctionName"), S("a b") } })
                                      << S("Lambda.AWSLambdaException") << S("Value 'a b' at 'functionName'");
        QTest::newRow("no FunctionName") << invokeArn << QJsonValue(QJsonObject { { S("Payload"), 1 } })
                                         << S("States.Runtime") << S("need a FunctionName");
        QTest::newRow("unknown field") << invokeArn
                                       << QJsonValue(QJsonObject {
                                              { S("FunctionName"), S("saga-ProcessRecords") }, { S("Paylod"), 1 } })
                                       << S("States.Runtime") << S("\"Paylod\" is not supported");
        QTest::newRow("async invoke") << invokeArn
                                      << QJsonValue(QJsonObject { { S("FunctionName"), S("saga-ProcessRecords") },
                                             { S("InvocationType"), S("Event") } })
                                      << S("States.Runtime") << S("InvocationType Event");
        QTest::newRow("sqs") << S("arn:aws:states:::sqs:sendMessage") << QJsonValue(QJsonObject())
                             << S("States.Runtime")
                             << S("The resource arn:aws:states:::sqs:sendMessage (state LambdaState) is not supported "
                                  "by the local runtime");
        QTest::newRow("callback") << S("arn:aws:states:::lambda:invoke.waitForTaskToken") << QJsonValue(QJsonObject())
                                  << S("States.Runtime") << S("lambda:invoke.waitForTaskToken");
        QTest::newRow("activity") << S("arn:aws:states:eu-west-2:210987654321:activity:review")
                                  << QJsonValue(QJsonObject()) << S("States.Runtime") << S("activity:review");
        QTest::newRow("dynamodb without store") << S("arn:aws:states:::dynamodb:getItem") << QJsonValue(QJsonObject())
                                                << S("States.Runtime") << S("No DynamoDB table store");
    }
    void badTasksFail()
    {
        QFETCH(QString, resource);
        QFETCH(QJsonValue, parameters);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        LocalTaskRunner runner(config(), nullptr);
        const TaskOutcome o = outcomeOf(runner.call(request(resource, parameters)));
        QVERIFY(!o.ok);
        QCOMPARE(o.error, error);
        QVERIFY2(o.cause.contains(cause), qPrintable(o.cause));
    }

    void setFunctionsSwapsBindings()
    {
        LocalTaskRunner runner(config(), nullptr);
        TaskCall *before = runner.call(invoke(S("saga-ProcessRecords"))); // made with binding A
        FunctionsConfig swapped;
        swapped.functions.append({ S("saga-ProcessRecords"), answering("\"B\"") });
        swapped.functions.append({ S("Other"), answering("\"C\"") });
        runner.setFunctions(swapped);
        QCOMPARE(runner.functions().functions.size(), 2);
        QCOMPARE(
            outcomeOf(runner.call(invoke(S("saga-ProcessRecords")))).output.toObject().value(u"Payload").toString(),
            S("B"));
        QCOMPARE(outcomeOf(runner.call(invoke(S("Other")))).output.toObject().value(u"Payload").toString(), S("C"));
        QCOMPARE(outcomeOf(before).output.toObject().value(u"Payload").toString(), S("A"));
        runner.setFunctions(FunctionsConfig());
        QCOMPARE(outcomeOf(runner.call(invoke(S("Other")))).error, S("Lambda.ResourceNotFoundException"));
    }

    void mocksCountInvocationsPerExecutionAndState()
    {
        const Core::Result<MockConfig> mocks
            = MockConfig::load(Test::testData(QStringLiteral("localruntime/functions/MockConfigFile.json")));
        QVERIFY(mocks.ok());
        LocalTaskRunner runner(config(), nullptr);
        runner.setMockConfig(mocks.value());

        TaskRequest r = invoke(S("saga-ProcessRecords"));
        r.testCase = MachineArn + S("#RetryPath");
        const QStringList expected { S("Lambda.ResourceNotReadyException"), S("Lambda.TimeoutException"),
            S("Lambda.TimeoutException"), QString(), S("States.Runtime") };
        for (int i = 0; i < expected.size(); ++i) {
            r.attempt = i;
            const TaskOutcome o = outcomeOf(runner.call(r));
            QCOMPARE(o.error, expected.at(i));
            if (o.ok) {
                // lambda:invoke's Return is Invoke's whole response.
                QCOMPARE(o.output.toObject().value(u"StatusCode").toInt(), 200);
                QCOMPARE(o.output.toObject().value(u"Payload").toObject().value(u"body").toString(),
                    S("Hello from Lambda!"));
            }
        }
        // Another execution counts from 0; so does this one once forgotten.
        TaskRequest other = r;
        other.executionArn += u'2';
        QCOMPARE(outcomeOf(runner.call(other)).error, S("Lambda.ResourceNotReadyException"));
        runner.forgetExecution(r.executionArn);
        QCOMPARE(outcomeOf(runner.call(r)).error, S("Lambda.ResourceNotReadyException"));
        // Another state of the same execution has its own count.
        TaskRequest sqs = request(S("arn:aws:states:::sqs:sendMessage"), QJsonObject(), S("SQSState"));
        sqs.testCase = S("RetryPath");
        const TaskOutcome sent = outcomeOf(runner.call(sqs));
        QVERIFY(sent.ok);
        QCOMPARE(sent.output.toObject().value(u"MessageId").toString(), S("3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"));
    }

    void mockedAndRealStatesMix()
    {
        const Core::Result<MockConfig> mocks
            = MockConfig::load(Test::testData(QStringLiteral("localruntime/functions/MockConfigFile.json")));
        QVERIFY(mocks.ok());
        LocalTaskRunner runner(config(), nullptr);
        runner.setMockConfig(mocks.value());

        // A plain function ARN's mocked result is the Return's Payload.
        TaskRequest plain = request(S("arn:aws:lambda:eu-west-2:210987654321:function:anything"), QJsonObject());
        plain.testCase = S("HybridPath");
        TaskOutcome o = outcomeOf(runner.call(plain));
        QVERIFY(o.ok);
        QCOMPARE(o.output.toObject().value(u"body").toString(), S("Hello from Lambda!"));
        // HybridPath does not mock SQSState: it runs for real (and the
        // local runtime does not run SQS).
        TaskRequest sqs = request(S("arn:aws:states:::sqs:sendMessage"), QJsonObject(), S("SQSState"));
        sqs.testCase = S("HybridPath");
        QCOMPARE(outcomeOf(runner.call(sqs)).error, S("States.Runtime"));
        // A real function in a test case that does not mock its state.
        TaskRequest real = invoke(S("saga-ProcessRecords"));
        real.stateName = S("ProcessRecords");
        real.testCase = S("HappyPath");
        o = outcomeOf(runner.call(real));
        QVERIFY(o.ok);
        QCOMPARE(o.output.toObject().value(u"Payload").toString(), S("A"));
        // An unknown test case.
        real.testCase = S("SadPath");
        o = outcomeOf(runner.call(real));
        QCOMPARE(o.error, S("States.Runtime"));
        QVERIFY2(o.cause.contains(u"No definitions for test case SadPath"), qPrintable(o.cause));
        // Without a test case mocks do not apply.
        real.testCase.clear();
        QVERIFY(outcomeOf(runner.call(real)).ok);
        // A test case and no mock config.
        runner.setMockConfig(std::nullopt);
        real.testCase = S("HappyPath");
        QCOMPARE(outcomeOf(runner.call(real)).error, S("States.Runtime"));
    }
};

QTEST_GUILESS_MAIN(TestLocalTaskRunner)
#include "tst_localtaskrunner.moc"
