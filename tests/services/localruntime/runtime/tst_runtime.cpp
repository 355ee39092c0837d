// The local runtime through Bramble's own AWS client (StepFunctionsClient,
// AwsPager, SigV4 signing): the seed sample deployed and run both ways and
// classified by the saga analysis; an execution that survives the runtime
// being destroyed mid-run and continues in a new one on the same data
// directory with a valid history.
#include "aws/awspager.h"
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/dynamodbclient.h"
#include "aws/endpoints.h"
#include "aws/stepfunctionsclient.h"
#include "functions/localtaskrunner.h"
#include "runtime/localruntime.h"
#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"
#include "saga/sagaexplorer.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using LocalRuntime::Runtime;

Q_DECLARE_METATYPE(Bramble::Core::Error)

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(Test::testData(QStringLiteral("localruntime/runtime/") + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestRuntime : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        QStringLiteral("testing"), QStringLiteral("testing"), {}, {}, QStringLiteral("test") } };

    std::unique_ptr<Aws::AwsTransport> transport(const Runtime &runtime)
    {
        auto t = std::make_unique<Aws::AwsTransport>(&m_network, &m_credentials, QStringLiteral("us-east-1"));
        t->setEndpoint(Aws::ServiceInfo::stepFunctions(), runtime.endpoint());
        t->setEndpoint(Aws::ServiceInfo::dynamoDb(), runtime.endpoint());
        return t;
    }

    // Waits for a call; returns its response body (empty on failure, with a warning).
    static QJsonObject finish(Aws::AwsCall *call)
    {
        call->setAutoDelete(false);
        std::unique_ptr<Aws::AwsCall> owner(call);
        if (!call->isFinished()) {
            QSignalSpy spy(call, &Core::Job::finished);
            if (!spy.wait(20000))
                return {};
        }
        if (!call->ok()) {
            qWarning().noquote() << call->error().toString();
            return {};
        }
        return call->response().json;
    }

    static QJsonArray finish(Aws::AwsPager *pager)
    {
        pager->setAutoDelete(false);
        std::unique_ptr<Aws::AwsPager> owner(pager);
        if (!pager->isFinished()) {
            QSignalSpy spy(pager, &Core::Job::finished);
            if (!spy.wait(20000))
                return {};
        }
        if (!pager->ok())
            qWarning().noquote() << pager->error().toString();
        return pager->value();
    }

    static QString waitForEnd(Aws::StepFunctionsClient &sfn, const QString &executionArn, QJsonObject *described)
    {
        QString status;
        (void)QTest::qWaitFor(
            [&] {
                *described = finish(sfn.describeExecution(executionArn));
                status = described->value(QStringLiteral("status")).toString();
                return !status.isEmpty() && status != QLatin1String("RUNNING");
            },
            60000);
        return status;
    }

    // Ids 1..n without gaps or repeats, each previousEventId pointing back.
    static void checkHistory(const QJsonArray &events)
    {
        QSet<int> seen;
        for (int i = 0; i < events.size(); ++i) {
            const QJsonObject event = events.at(i).toObject();
            const int id = event.value(QStringLiteral("id")).toInt();
            QCOMPARE(id, i + 1);
            QVERIFY(!seen.contains(id));
            seen.insert(id);
            const int previous = event.value(QStringLiteral("previousEventId")).toInt();
            QVERIFY2(previous >= 0 && previous < id, qPrintable(QString::number(id)));
            QVERIFY(event.value(QStringLiteral("timestamp")).isDouble());
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void startErrors()
    {
        Runtime first;
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("errors"));
        Core::Error error = first.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        QVERIFY(first.endpoint().toString().startsWith(QStringLiteral("http://127.0.0.1:")));

        // The port is taken.
        Runtime second;
        Runtime::Options taken = options;
        taken.dataDirectory = m_dir.filePath(QStringLiteral("errors2"));
        taken.port = quint16(first.endpoint().port());
        error = second.start(taken);
        QVERIFY(error.is(Core::Error::Kind::Network));
        QVERIFY(!second.isListening());

        // A functions file or mock config that does not read names itself.
        Runtime::Options badFunctions = taken;
        badFunctions.port = 0;
        badFunctions.functionsFile = m_dir.filePath(QStringLiteral("missing-functions.yaml"));
        error = second.start(badFunctions);
        QVERIFY(!error.isNull());
        QVERIFY2(error.toString().contains(QStringLiteral("missing-functions.yaml")), qPrintable(error.toString()));
        Runtime::Options badMocks = taken;
        badMocks.port = 0;
        badMocks.mockConfigFile = Test::testData(QStringLiteral("localruntime/runtime/forever.asl.json"));
        error = second.start(badMocks);
        QVERIFY(!error.isNull());
        QVERIFY(!second.isListening());
        QVERIFY(second.deploySeedSample().is(Core::Error::Kind::Usage));

        // A data directory that cannot be made.
        Runtime::Options badDir = taken;
        badDir.port = 0;
        badDir.dataDirectory = QStringLiteral("/proc/bramble-cannot-be-here");
        QVERIFY(!second.start(badDir).isNull());
    }

    void seedSampleKeepsTheFunctionsFile()
    {
        Runtime runtime;
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("functions"));
        options.functionsFile = Test::testData(QStringLiteral("localruntime/runtime/functions.yaml"));
        Core::Error error = runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        const LocalRuntime::FunctionsConfig &before = runtime.taskRunner()->functions();
        QCOMPARE(before.functions.size(), 2);
        QVERIFY(!before.find(QStringLiteral("saga-CommitRecords")));
        QVERIFY(runtime.deploySeedSample().isNull());
        const LocalRuntime::FunctionsConfig &after = runtime.taskRunner()->functions();
        QVERIFY(after.find(QStringLiteral("Custom")));
        QCOMPARE(after.find(QStringLiteral("saga-ProcessRecords"))->kind, LocalRuntime::FunctionBinding::Kind::Command);
        QVERIFY(after.find(QStringLiteral("saga-CommitRecords")));
        QCOMPARE(after.find(QStringLiteral("saga-CommitRecords"))->kind, LocalRuntime::FunctionBinding::Kind::Builtin);
        QCOMPARE(after.functions.size(), LocalRuntime::FunctionsConfig::seedSample().functions.size() + 1);
    }

    void seedSampleEndToEnd()
    {
        Runtime runtime;
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("seed"));
        options.timeScale = 0.001;
        Core::Error error = runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        error = runtime.deploySeedSample();
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        error = runtime.deploySeedSample(); // idempotent
        QVERIFY2(error.isNull(), qPrintable(error.toString()));

        auto t = transport(runtime);
        Aws::StepFunctionsClient sfn(t.get());
        const QJsonArray machines = finish(sfn.listStateMachines());
        QCOMPARE(machines.size(), 1);
        const auto summary = Aws::StateMachineSummary::fromJson(machines.first().toObject());
        QCOMPARE(summary.name, QStringLiteral("seed-saga"));
        QVERIFY(summary.creationDate.isValid());
        const QJsonObject machine = finish(sfn.describeStateMachine(summary.stateMachineArn));
        const Saga::StateGraph graph
            = Saga::parseDefinition(machine.value(QStringLiteral("definition")).toString().toUtf8());
        QVERIFY(graph.isValid());

        QSignalSpy changed(&runtime, &Runtime::executionChanged);
        struct Case {
            QString id;
            bool fail;
            QString status;
            Saga::SagaOutcome outcome;
        };
        for (const Case &c :
            { Case { QStringLiteral("tx-fail"), true, QStringLiteral("FAILED"), Saga::SagaOutcome::Compensated },
                Case { QStringLiteral("tx-ok"), false, QStringLiteral("SUCCEEDED"), Saga::SagaOutcome::Committed } }) {
            const QJsonObject input { { QStringLiteral("Payload"),
                QJsonObject { { QStringLiteral("TransactionDetails"),
                    QJsonObject {
                        { QStringLiteral("TransactionId"), c.id }, { QStringLiteral("simulateFail"), c.fail } } } } } };
            const QJsonObject started = finish(sfn.startExecution(
                summary.stateMachineArn, c.id, QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact))));
            const QString arn = started.value(QStringLiteral("executionArn")).toString();
            QVERIFY(!arn.isEmpty());
            QJsonObject described;
            QCOMPARE(waitForEnd(sfn, arn, &described), c.status);

            Aws::ExecutionHistoryOptions paging;
            paging.maxResults = 5; // several pages through nextToken
            const QJsonArray events = finish(sfn.getExecutionHistory(arn, paging));
            checkHistory(events);
            const Saga::SagaAnalysis analysis
                = Saga::analyzeSaga(graph, Saga::buildTimeline(Saga::parseHistory(events)));
            QVERIFY2(analysis.outcome == c.outcome, qPrintable(Saga::sagaOutcomeName(analysis.outcome)));

            const QJsonArray listed = finish(sfn.listExecutions(summary.stateMachineArn, c.status));
            bool found = false;
            for (const QJsonValue &item : listed)
                found = found || item.toObject().value(QStringLiteral("executionArn")).toString() == arn;
            QVERIFY(found);
            const QJsonObject forExecution = finish(sfn.describeStateMachineForExecution(arn));
            QCOMPARE(forExecution.value(QStringLiteral("name")).toString(), QStringLiteral("seed-saga"));
        }
        QVERIFY(changed.size() >= 4); // started and ended, twice

        // The Sagas pane's explorer reads the listing and each outcome unchanged.
        qRegisterMetaType<Core::Error>();
        Saga::SagaExplorer explorer(t.get());
        QSignalSpy listed(&explorer, &Saga::SagaExplorer::executionsListed);
        QSignalSpy updated(&explorer, &Saga::SagaExplorer::executionUpdated);
        explorer.listExecutions(summary.stateMachineArn);
        QVERIFY(listed.wait(20000));
        const auto entries = listed.first().at(1).value<QList<Saga::ExecutionEntry>>();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).name, QStringLiteral("tx-ok")); // newest first
        QCOMPARE(entries.at(0).status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(entries.at(1).status, QStringLiteral("FAILED"));
        QVERIFY(entries.at(1).stopDate.isValid());
        QVERIFY(QTest::qWaitFor([&] { return updated.size() >= 2 && !explorer.isLoadingDetails(); }, 20000));
        QHash<QString, Saga::SagaOutcome> outcomes;
        for (const QList<QVariant> &signal : std::as_const(updated)) {
            const auto entry = signal.first().value<Saga::ExecutionEntry>();
            if (entry.outcomeLoaded)
                outcomes.insert(entry.name, entry.outcome);
        }
        QCOMPARE(outcomes.value(QStringLiteral("tx-ok"), Saga::SagaOutcome::Running), Saga::SagaOutcome::Committed);
        QCOMPARE(outcomes.value(QStringLiteral("tx-fail"), Saga::SagaOutcome::Running), Saga::SagaOutcome::Compensated);

        // The committed transaction left its item; the compensated one left none.
        Aws::DynamoDbClient dynamo(t.get());
        QJsonObject item = finish(dynamo.getItem(QStringLiteral("SagaTransactions"),
            QJsonObject { { QStringLiteral("TransactionId"), QStringLiteral("tx-ok") } }));
        QVERIFY2(item.contains(QStringLiteral("Item")), QJsonDocument(item).toJson().constData());
        item = finish(dynamo.getItem(QStringLiteral("SagaTransactions"),
            QJsonObject { { QStringLiteral("TransactionId"), QStringLiteral("tx-fail") } }));
        QVERIFY2(!item.contains(QStringLiteral("Item")), QJsonDocument(item).toJson().constData());
    }

    void mockTestCases()
    {
        // "<machine ARN>#<case>" picks a test case of the mock config: the
        // mocked CommitRecords throws, the saga compensates. A case the
        // config lacks is refused.
        Runtime runtime;
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("mock"));
        options.mockConfigFile = Test::testData(QStringLiteral("localruntime/runtime/seed-mock-config.json"));
        options.timeScale = 0.001;
        Core::Error error = runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        QVERIFY(runtime.deploySeedSample().isNull());
        auto t = transport(runtime);
        Aws::StepFunctionsClient sfn(t.get());
        const QString machineArn = QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:seed-saga");
        const QString input
            = QStringLiteral(R"({"Payload":{"TransactionDetails":{"TransactionId":"m1","simulateFail":false}}})");

        Aws::AwsCall *refused = sfn.startExecution(machineArn + QStringLiteral("#NoSuchCase"), {}, input);
        refused->setAutoDelete(false);
        std::unique_ptr<Aws::AwsCall> owner(refused);
        QSignalSpy done(refused, &Core::Job::finished);
        QVERIFY(done.wait(20000));
        QCOMPARE(refused->error().reason, QStringLiteral("InvalidName"));

        const QString arn
            = finish(sfn.startExecution(machineArn + QStringLiteral("#CommitFails"), QStringLiteral("mocked"), input))
                  .value(QStringLiteral("executionArn"))
                  .toString();
        QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:seed-saga:mocked"));
        QJsonObject described;
        QCOMPARE(waitForEnd(sfn, arn, &described), QStringLiteral("FAILED"));
        const QJsonArray events = finish(sfn.getExecutionHistory(arn));
        bool mockedFailure = false;
        for (const QJsonValue &event : events) {
            const QJsonObject details = event.toObject().value(QStringLiteral("taskFailedEventDetails")).toObject();
            mockedFailure
                = mockedFailure || details.value(QStringLiteral("error")).toString() == QLatin1String("Mock.Boom");
        }
        QVERIFY(mockedFailure);
        const QJsonObject machine = finish(sfn.describeStateMachine(machineArn));
        const Saga::StateGraph graph
            = Saga::parseDefinition(machine.value(QStringLiteral("definition")).toString().toUtf8());
        const Saga::SagaAnalysis analysis = Saga::analyzeSaga(graph, Saga::buildTimeline(Saga::parseHistory(events)));
        QVERIFY2(
            analysis.outcome == Saga::SagaOutcome::Compensated, qPrintable(Saga::sagaOutcomeName(analysis.outcome)));
        QCOMPARE(analysis.failedStep, QStringLiteral("CommitRecords"));
    }

    void manyConcurrentExecutions()
    {
        // 300 executions started at once through the client (several
        // connections, requests in flight together), all run concurrently
        // and all listed afterwards, page by page.
        Runtime runtime;
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("many"));
        options.timeScale = 0.001;
        Core::Error error = runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        auto t = transport(runtime);
        const QJsonObject created
            = finish(t->callJson(Aws::ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("many") },
                    { QStringLiteral("definition"),
                        QString::fromUtf8(fixture(QStringLiteral("waiting.asl.json")))
                            .replace(QStringLiteral("1500"), QStringLiteral("50")) },
                    { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::123456789012:role/test") } }));
        const QString machineArn = created.value(QStringLiteral("stateMachineArn")).toString();
        QVERIFY(!machineArn.isEmpty());
        Aws::StepFunctionsClient sfn(t.get());
        const int count = 300;
        int started = 0;
        int failed = 0;
        for (int i = 0; i < count; ++i) {
            Aws::AwsCall *call = sfn.startExecution(machineArn, QStringLiteral("run-%1").arg(i), QStringLiteral("{}"));
            connect(call, &Core::Job::finished, this, [call, &started, &failed] { call->ok() ? ++started : ++failed; });
        }
        QVERIFY(QTest::qWaitFor([&] { return started + failed == count; }, 60000));
        QCOMPARE(failed, 0);
        QVERIFY(QTest::qWaitFor(
            [&] { return finish(sfn.listExecutions(machineArn, QStringLiteral("RUNNING"))).isEmpty(); }, 60000));
        const QJsonArray succeeded = finish(sfn.listExecutions(machineArn, QStringLiteral("SUCCEEDED")));
        QCOMPARE(succeeded.size(), count);
        QSet<QString> names;
        for (const QJsonValue &item : succeeded)
            names.insert(item.toObject().value(QStringLiteral("name")).toString());
        QCOMPARE(names.size(), count);
    }

    void executionSurvivesARestart()
    {
        const QString data = m_dir.filePath(QStringLiteral("restart"));
        Runtime::Options options;
        options.dataDirectory = data;
        options.timeScale = 0.002; // the Wait lasts 3 s
        QString executionArn;
        {
            Runtime first;
            Core::Error error = first.start(options);
            QVERIFY2(error.isNull(), qPrintable(error.toString()));
            auto t = transport(first);
            QJsonObject body { { QStringLiteral("name"), QStringLiteral("waiting") },
                { QStringLiteral("definition"), QString::fromUtf8(fixture(QStringLiteral("waiting.asl.json"))) },
                { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::123456789012:role/test") } };
            const QJsonObject created
                = finish(t->callJson(Aws::ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"), body));
            const QString machineArn = created.value(QStringLiteral("stateMachineArn")).toString();
            QVERIFY(!machineArn.isEmpty());
            Aws::StepFunctionsClient sfn(t.get());
            executionArn = finish(sfn.startExecution(machineArn, QStringLiteral("survivor"), QStringLiteral("{}")))
                               .value(QStringLiteral("executionArn"))
                               .toString();
            QVERIFY(!executionArn.isEmpty());
            // Wait until it is inside the Wait state, then drop the runtime.
            QVERIFY(QTest::qWaitFor(
                [&] {
                    const QJsonArray events = finish(sfn.getExecutionHistory(executionArn));
                    return !events.isEmpty()
                        && events.last().toObject().value(QStringLiteral("type")).toString()
                        == QLatin1String("WaitStateEntered");
                },
                20000));
            QCOMPARE(finish(sfn.describeExecution(executionArn)).value(QStringLiteral("status")).toString(),
                QStringLiteral("RUNNING"));
        }

        Runtime second;
        Core::Error error = second.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        auto t = transport(second);
        Aws::StepFunctionsClient sfn(t.get());
        QJsonObject described;
        QCOMPARE(waitForEnd(sfn, executionArn, &described), QStringLiteral("SUCCEEDED"));
        QCOMPARE(QJsonDocument::fromJson(described.value(QStringLiteral("output")).toString().toUtf8()).object(),
            QJsonObject({ { QStringLiteral("before"), QStringLiteral("before") },
                { QStringLiteral("after"), QStringLiteral("after") } }));
        const QJsonArray events = finish(sfn.getExecutionHistory(executionArn));
        checkHistory(events);
        QStringList types;
        for (const QJsonValue &event : events)
            types << event.toObject().value(QStringLiteral("type")).toString();
        QCOMPARE(types.count(QStringLiteral("ExecutionStarted")), 1);
        QCOMPARE(types.count(QStringLiteral("WaitStateEntered")), 1);
        QCOMPARE(types.count(QStringLiteral("PassStateEntered")), 2);
        QCOMPARE(types.last(), QStringLiteral("ExecutionSucceeded"));

        // Newest first, and the reverse pages meet the forward ones.
        Aws::ExecutionHistoryOptions reverse;
        reverse.reverseOrder = true;
        reverse.maxResults = 3;
        const QJsonArray reversed = finish(sfn.getExecutionHistory(executionArn, reverse));
        QCOMPARE(reversed.size(), events.size());
        QCOMPARE(reversed.first().toObject().value(QStringLiteral("id")),
            events.last().toObject().value(QStringLiteral("id")));
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
