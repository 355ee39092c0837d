// Histories written by the interpreter, read by Bramble's saga analysis:
// the seed saga run through Execution must classify as the Sagas pane
// expects (committed; compensated when CommitRecords fails).

#include "asltest.h"
#include "support/testpaths.h"

#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QFile>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;

namespace {

QJsonObject seedDefinition(const QString &file = QStringLiteral("seed-saga.asl.json"))
{
    QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/") + file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The function name a lambda:invoke task calls ("saga-CommitRecords" -> "CommitRecords").
QString functionOf(const TaskRequest &r)
{
    const QString arn = r.parameters.toObject().value(u"FunctionName").toString();
    return arn.section(u':', -1).remove(QStringLiteral("saga-"));
}

} // namespace

class TestSagaOutcome : public QObject {
    Q_OBJECT

private:
    Saga::SagaAnalysis analyze(const QJsonObject &definition, const Run &run)
    {
        const Saga::StateGraph graph = Saga::parseDefinition(definition);
        const Saga::History history = Saga::parseHistory(run.array());
        if (!history.problems.isEmpty())
            qWarning() << history.problems.first().toString();
        [&] { QVERIFY(history.problems.isEmpty()); }();
        const Saga::Timeline timeline = Saga::buildTimeline(history);
        [&] { QVERIFY2(timeline.problems.isEmpty(), qPrintable(timeline.problems.value(0).toString())); }();
        return Saga::analyzeSaga(graph, timeline);
    }

private Q_SLOTS:
    void committedWhenNothingFails()
    {
        const QJsonObject def = seedDefinition();
        QVERIFY(!def.isEmpty());
        ScriptedRunner runner;
        const Run run
            = runDefinition(def, value(R"({"Payload":{"TransactionDetails":{"TransactionId":"t1"}}})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        const Saga::SagaAnalysis a = analyze(def, run);
        QCOMPARE(a.outcome, Saga::SagaOutcome::Committed);
        QCOMPARE(a.completedSteps, list({ "ProcessRecords", "TransformRecords", "CommitRecords" }));
        QCOMPARE(a.executionStatus, Saga::ExecutionStatus::Succeeded);
        QCOMPARE(runner.requests.size(), 3);
    }

    void compensatedWhenCommitRecordsFails()
    {
        const QJsonObject def = seedDefinition();
        ScriptedRunner runner;
        QStringList called;
        runner.script = [&called](const TaskRequest &r) -> std::optional<TaskOutcome> {
            called.append(functionOf(r));
            if (functionOf(r) == u"CommitRecords")
                return TaskOutcome::failure(QStringLiteral("Lambda.ServiceException"), QStringLiteral("down"));
            return TaskOutcome::success(QJsonObject { { QStringLiteral("StatusCode"), 200 },
                { QStringLiteral("Payload"), r.parameters.toObject().value(u"Payload") } });
        };
        const Run run = runDefinition(def, value(R"({"Payload":{}})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("FAILED"));
        QCOMPARE(run.end->error, QStringLiteral("SagaRolledBack"));
        // Retried twice (MaxAttempts 2), then caught into the rollback chain.
        QCOMPARE(called,
            list({ "ProcessRecords", "TransformRecords", "CommitRecords", "CommitRecords", "CommitRecords",
                "CommitRecordsRollback", "TransformRecordsRollback", "ProcessRecordsRollback" }));
        QCOMPARE(run.retryDelays, QList<double>({ 1.0, 2.0 }));
        const Saga::SagaAnalysis a = analyze(def, run);
        QCOMPARE(a.outcome, Saga::SagaOutcome::Compensated);
        QCOMPARE(a.failedStep, QStringLiteral("CommitRecords"));
        QCOMPARE(a.error, QStringLiteral("Lambda.ServiceException"));
        QVERIFY(a.missingCompensations.isEmpty());
        QVERIFY(a.dangling.isEmpty());
        // The caught error rides in $.error of the rollback's input.
        const QJsonObject rollback = run.ofType(QStringLiteral("TaskStateEntered")).at(3);
        QCOMPARE(
            parsed(detailsValue(rollback, "input")).toObject().value(u"error").toObject().value(u"Error").toString(),
            QStringLiteral("Lambda.ServiceException"));
    }

    void motoVariantWithDynamoDbTasks()
    {
        // The moto variant: DynamoDB updateItem/deleteItem tasks; CommitRecords' condition fails.
        const QJsonObject def = seedDefinition(QStringLiteral("seed-saga.moto.asl.json"));
        QVERIFY(!def.isEmpty());
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &r) -> std::optional<TaskOutcome> {
            if (r.parameters.toObject().contains(u"ConditionExpression"))
                return TaskOutcome::failure(QStringLiteral("DynamoDB.ConditionalCheckFailedException"),
                    QStringLiteral("The conditional request failed"));
            return TaskOutcome::success(QJsonObject());
        };
        const Run run = runDefinition(
            def, value(R"({"Payload":{"TransactionDetails":{"TransactionId":"t9","simulateFail":true}}})"), &runner);
        QCOMPARE(runner.requests.first().parameters.toObject().value(u"Key"), value(R"({"TransactionId":{"S":"t9"}})"));
        QCOMPARE(detailsValue(run.ofType(QStringLiteral("TaskScheduled")).first(), "resource").toString(),
            QStringLiteral("updateItem"));
        const Saga::SagaAnalysis a = analyze(def, run);
        QCOMPARE(a.outcome, Saga::SagaOutcome::Compensated);
        QCOMPARE(a.failedStep, QStringLiteral("CommitRecords"));
        QCOMPARE(a.error, QStringLiteral("DynamoDB.ConditionalCheckFailedException"));

        // Without the simulateFail flag, ProcessRecords' Parameters cannot be
        // built: States.Runtime, which fails the execution as AWS does (no
        // Catch takes it), so no rollback runs.
        const Run early
            = runDefinition(def, value(R"({"Payload":{"TransactionDetails":{"TransactionId":"t9"}}})"), &runner);
        QCOMPARE(early.end->status, QStringLiteral("FAILED"));
        QCOMPARE(early.end->error, QStringLiteral("States.Runtime"));
        QVERIFY(early.ofType(QStringLiteral("TaskStateExited")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSagaOutcome)
#include "tst_sagaoutcome.moc"
