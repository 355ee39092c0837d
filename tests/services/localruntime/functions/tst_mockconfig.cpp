#include "functions/localtaskrunner.h"
#include "support/testpaths.h"

#include <QJsonObject>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {
QString S(const char *text)
{
    return QString::fromUtf8(text);
}

// The example of Step Functions Local's documentation
// (sfn-local-mock-cfg-file.md), as local-runtime.md §1.1 summarises it.
MockConfig documentationExample()
{
    const Core::Result<MockConfig> r
        = MockConfig::load(Test::testData(QStringLiteral("localruntime/functions/MockConfigFile.json")));
    if (!r.ok())
        qFatal("%s", qPrintable(r.error().toString()));
    return r.value();
}
} // namespace

class TestMockConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void documentationExampleAnswers()
    {
        const MockConfig m = documentationExample();
        const QString machine = S("LambdaSQSIntegration");
        QVERIFY(m.hasTestCase(machine, S("HappyPath")));
        QVERIFY(m.hasTestCase(machine, S("RetryPath")));
        QVERIFY(!m.hasTestCase(machine, S("SadPath")));
        QVERIFY(!m.hasTestCase(S("Other"), S("HappyPath")));

        std::optional<TaskOutcome> o = m.outcome(machine, S("HappyPath"), S("LambdaState"), 0);
        QVERIFY(o && o->ok);
        QCOMPARE(o->output.toObject().value(u"StatusCode").toInt(), 200);
        QCOMPARE(o->output.toObject().value(u"Payload").toObject().value(u"body").toString(), S("Hello from Lambda!"));
        o = m.outcome(machine, S("HappyPath"), S("SQSState"), 0);
        QVERIFY(o && o->ok);
        QCOMPARE(o->output.toObject().value(u"MessageId").toString(), S("3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"));

        // Not listed in the test case: the state runs for real.
        QVERIFY(!m.outcome(machine, S("HybridPath"), S("SQSState"), 0));
        QVERIFY(!m.outcome(machine, S("HappyPath"), S("OtherState"), 0));
    }

    void retryPathCountsInvocations_data()
    {
        QTest::addColumn<int>("invocation");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        QTest::newRow("0") << 0 << false << S("Lambda.ResourceNotReadyException") << S("Lambda resource is not ready.");
        QTest::newRow("1") << 1 << false << S("Lambda.TimeoutException") << S("Lambda timed out.");
        QTest::newRow("2") << 2 << false << S("Lambda.TimeoutException") << S("Lambda timed out.");
        QTest::newRow("3") << 3 << true << QString() << QString();
        QTest::newRow("past the last") << 4 << false << S("States.Runtime") << S("covers only invocations 0 to 3");
    }
    void retryPathCountsInvocations()
    {
        QFETCH(int, invocation);
        QFETCH(bool, ok);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        const std::optional<TaskOutcome> o
            = documentationExample().outcome(S("LambdaSQSIntegration"), S("RetryPath"), S("LambdaState"), invocation);
        QVERIFY(o);
        QCOMPARE(o->ok, ok);
        QCOMPARE(o->error, error);
        QVERIFY2(o->cause.contains(cause), qPrintable(o->cause));
    }

    // LocalStack's checks (moto/stepfunctions/parser/mocking/mock_config.py
    // and mock_config_file.py), made when the file is read.
    void refusesInvalidFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        const auto one = [](const char *entries) -> QByteArray {
            return QByteArray("{\"StateMachines\": {\"M\": {\"TestCases\": {\"C\": {\"S\": \"R\"}}}}, "
                              "\"MockedResponses\": {\"R\": ")
                + entries + "}}";
        };
        QTest::newRow("gap") << one("{\"0\": {\"Return\": {}}, \"2\": {\"Return\": {}}}") << S("/MockedResponses/R")
                             << S("consecutively numbered from 0: after invocation 0 comes 2, expected 1");
        QTest::newRow("not from 0") << one("{\"1\": {\"Return\": {}}}") << S("/MockedResponses/R")
                                    << S("after invocation -1 comes 1, expected 0");
        QTest::newRow("overlap") << one("{\"0-1\": {\"Return\": {}}, \"1\": {\"Return\": {}}}")
                                 << S("/MockedResponses/R") << S("consecutively numbered");
        QTest::newRow("range backwards") << one("{\"0\": {\"Return\": {}}, \"2-1\": {\"Return\": {}}}")
                                         << S("/MockedResponses/R/2-1") << S("ends before it starts");
        QTest::newRow("range three parts") << one("{\"0-1-2\": {\"Return\": {}}}") << S("/MockedResponses/R/0-1-2")
                                           << S("neither an invocation number");
        QTest::newRow("not a number") << one("{\"first\": {\"Return\": {}}}") << S("/MockedResponses/R/first")
                                      << S("not a non-negative invocation number");
        QTest::newRow("negative") << one("{\"-1\": {\"Return\": {}}}") << S("/MockedResponses/R/-1")
                                  << S("not a non-negative");
        QTest::newRow("both") << one("{\"0\": {\"Return\": {}, \"Throw\": {\"Error\": \"E\", \"Cause\": \"C\"}}}")
                              << S("/MockedResponses/R/0") << S("exactly one of Return and Throw");
        QTest::newRow("neither") << one("{\"0\": {}}") << S("/MockedResponses/R/0")
                                 << S("exactly one of Return and Throw");
        QTest::newRow("extra field") << one("{\"0\": {\"Return\": {}, \"Wait\": 1}}") << S("/MockedResponses/R/0")
                                     << S("unknown field Wait");
        QTest::newRow("throw without cause") << one("{\"0\": {\"Throw\": {\"Error\": \"E\"}}}")
                                             << S("/MockedResponses/R/0/Throw") << S("\"Cause\": string");
        QTest::newRow("throw error not string") << one("{\"0\": {\"Throw\": {\"Error\": 1, \"Cause\": \"C\"}}}")
                                                << S("/MockedResponses/R/0/Throw") << S("\"Error\": string");
        QTest::newRow("return not object") << one("{\"0\": {\"Return\": \"ok\"}}") << S("/MockedResponses/R/0/Return")
                                           << S("Return must be an object");
        QTest::newRow("empty response") << one("{}") << S("/MockedResponses/R") << S("object of numbered entries");
        QTest::newRow("unknown response")
            << QByteArray(
                   "{\"StateMachines\": {\"M\": {\"TestCases\": {\"C\": {\"S\": \"Nope\"}}}}, \"MockedResponses\": {}}")
            << S("/StateMachines/M/TestCases/C/S") << S("no definitions for mocked response Nope");
        QTest::newRow("state not string")
            << QByteArray("{\"StateMachines\": {\"M\": {\"TestCases\": {\"C\": {\"S\": 1}}}}, \"MockedResponses\": {}}")
            << S("/StateMachines/M/TestCases/C/S") << S("must name a mocked response");
        QTest::newRow("no test cases") << QByteArray("{\"StateMachines\": {\"M\": {}}, \"MockedResponses\": {}}")
                                       << S("/StateMachines/M") << S("{\"TestCases\"");
        QTest::newRow("case not object") << QByteArray(
            "{\"StateMachines\": {\"M\": {\"TestCases\": {\"C\": []}}}, \"MockedResponses\": {}}")
                                         << S("/StateMachines/M/TestCases/C") << S("must map Task state names");
        QTest::newRow("unknown top field")
            << QByteArray("{\"StateMachines\": {}, \"MockedResponses\": {}, \"Mocks\": {}}") << S("/Mocks")
            << S("unknown field Mocks");
        QTest::newRow("no responses") << QByteArray("{\"StateMachines\": {}}") << S("/MockedResponses")
                                      << S("MockedResponses must be an object");
        QTest::newRow("array") << QByteArray("[]") << QString() << S("an object with StateMachines");
    }
    void refusesInvalidFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, where);
        QFETCH(QString, message);
        const Core::Result<MockConfig> r = MockConfig::parse(json, S("mock.json"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, Core::Error::Kind::Input);
        QCOMPARE(r.error().where.file, S("mock.json"));
        QCOMPARE(r.error().where.key, where);
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    }

    void invalidJsonNamesTheLine()
    {
        const Core::Result<MockConfig> r = MockConfig::parse("{\n  \"StateMachines\": {},\n  oops\n}", S("m.json"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where.line, 3);
        QVERIFY(r.error().message.startsWith(u"invalid JSON"));
        QVERIFY(!MockConfig::load(S("/nonexistent/MockConfigFile.json")).ok());
    }

    void rangesExpand()
    {
        const Core::Result<MockConfig> r = MockConfig::parse(
            "{\"StateMachines\": {\"M\": {\"TestCases\": {\"C\": {\"S\": \"R\"}}}},"
            "\"MockedResponses\": {\"R\": {\"2-4\": {\"Return\": {\"n\": 2}}, \"0-1\": {\"Return\": {\"n\": 0}}, "
            "\"5\": {\"Throw\": {\"Error\": \"E\", \"Cause\": \"C\"}}}}}");
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        const QList<int> expected { 0, 0, 2, 2, 2 };
        for (int i = 0; i < expected.size(); ++i) {
            const std::optional<TaskOutcome> o = r.value().outcome(S("M"), S("C"), S("S"), i);
            QVERIFY(o && o->ok);
            QCOMPARE(o->output.toObject().value(u"n").toInt(), expected.at(i));
        }
        const std::optional<TaskOutcome> thrown = r.value().outcome(S("M"), S("C"), S("S"), 5);
        QVERIFY(thrown && !thrown->ok);
        QCOMPARE(thrown->error, S("E"));
        QCOMPARE(thrown->cause, S("C"));
        QVERIFY(!r.value().outcome(S("M"), S("C"), S("S"), 6)->ok);
    }
};

QTEST_GUILESS_MAIN(TestMockConfig)
#include "tst_mockconfig.moc"
