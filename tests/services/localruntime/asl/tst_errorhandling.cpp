// Retry and Catch: AWS's worked example, the order rules of ErrorEquals,
// task timeouts, Catch ResultPath, terminal States.Runtime, and the Wait
// failures AWS records.

#include "asltest.h"

#include "asl/retrycatch.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;

namespace {

// A runner that fails with the next error of `errors` (success after them).
ScriptedRunner failingWith(const QStringList &errors)
{
    ScriptedRunner runner;
    auto left = std::make_shared<QStringList>(errors);
    runner.script = [left](const TaskRequest &) -> std::optional<TaskOutcome> {
        if (left->isEmpty())
            return TaskOutcome::success(QStringLiteral("ok"));
        const QString e = left->takeFirst();
        return TaskOutcome::failure(e, QStringLiteral("cause of ") + e);
    };
    return runner;
}

} // namespace

class TestErrorHandling : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void awsWorkedExample()
    {
        ScriptedRunner runner = failingWith(list({ "ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB" }));
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done",
                 "Retry":[{"ErrorEquals":["ErrorA","ErrorB"],"IntervalSeconds":1,"BackoffRate":2.0,"MaxAttempts":2},
                          {"ErrorEquals":["ErrorC"],"IntervalSeconds":5}],
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Z"}]},
            "Z":{"Type":"Pass","End":true},"Done":{"Type":"Succeed"}}})"),
            QJsonObject(), &runner);
        QCOMPARE(run.retryDelays, QList<double>({ 1, 2, 5, 4 }));
        QCOMPARE(runner.requests.size(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(runner.requests.at(i).attempt, i);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"Error":"ErrorB","Cause":"cause of ErrorB"})"));
        // Entered, 5 x (Scheduled, Started, Failed), Exited, then the catcher's target.
        const QStringList t = run.types();
        QCOMPARE(t.count(QStringLiteral("TaskScheduled")), 5);
        QCOMPARE(t.count(QStringLiteral("TaskFailed")), 5);
        QCOMPARE(t.mid(t.size() - 4),
            list({ "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded" }));
        QCOMPARE(linkProblem(run.events), QString());
        // Each TaskScheduled follows the failure before it (no event for a backoff).
        const QList<QJsonObject> scheduled = run.ofType(QStringLiteral("TaskScheduled"));
        const QList<QJsonObject> failed = run.ofType(QStringLiteral("TaskFailed"));
        for (int i = 1; i < 5; ++i)
            QCOMPARE(scheduled.at(i).value(u"previousEventId"), failed.at(i - 1).value(u"id"));
    }

    void backoffWaitsScaled()
    {
        ScriptedRunner runner = failingWith(list({ "E", "E" }));
        ExecutionSpec spec = specFor(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2}]}}})"));
        spec.timeScale = 0.01; // 2 s and 4 s become 20 ms and 40 ms
        Run run;
        Bramble::LocalRuntime::Execution execution(spec, &runner);
        record(execution, run);
        execution.start();
        QCOMPARE(run.types().last(), QStringLiteral("TaskStarted"));
        QVERIFY(waitEnd(run));
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.retryDelays, QList<double>({ 2, 4 }));
        QCOMPARE(runner.requests.size(), 3);
    }

    void backoffFormula()
    {
        const QJsonObject r
            = object(R"({"ErrorEquals":["E"],"IntervalSeconds":3,"BackoffRate":1.5,"MaxDelaySeconds":5})");
        QCOMPARE(Bramble::LocalRuntime::Asl::backoffDelay(r, 1), 3.0);
        QCOMPARE(Bramble::LocalRuntime::Asl::backoffDelay(r, 2), 4.5);
        QCOMPARE(Bramble::LocalRuntime::Asl::backoffDelay(r, 3), 5.0);
        QCOMPARE(Bramble::LocalRuntime::Asl::backoffDelay(object(R"({"ErrorEquals":["E"]})"), 3), 4.0);
    }

    void retryDefaultsMaxDelayAndJitter()
    {
        ScriptedRunner runner = failingWith(list({ "E", "E", "E", "E" }));
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Retry":[{"ErrorEquals":["E"],"MaxDelaySeconds":3}]}}})"),
            QJsonObject(), &runner);
        // Defaults: 1 s, x2, 3 attempts; capped at 3 s; the fourth failure ends the run.
        QCOMPARE(run.retryDelays, QList<double>({ 1, 2, 3 }));
        QCOMPARE(run.end->error, QStringLiteral("E"));

        ScriptedRunner jittered = failingWith(list({ "E", "E", "E" }));
        const Run j = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"JitterStrategy":"FULL"}]}}})"),
            QJsonObject(), &jittered);
        QCOMPARE(j.retryDelays.size(), 3);
        QVERIFY(j.retryDelays.at(0) >= 0 && j.retryDelays.at(0) <= 10);
        QVERIFY(j.retryDelays.at(1) >= 0 && j.retryDelays.at(1) <= 20);
        QVERIFY(j.retryDelays.at(2) >= 0 && j.retryDelays.at(2) <= 40);
        QCOMPARE(j.end->status, QStringLiteral("SUCCEEDED"));

        ScriptedRunner never = failingWith(list({ "E" }));
        const Run n = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Retry":[{"ErrorEquals":["E"],"MaxAttempts":0}]}}})"),
            QJsonObject(), &never);
        QVERIFY(n.retryDelays.isEmpty());
        QCOMPARE(n.end->error, QStringLiteral("E"));
    }

    void retryCountInContext()
    {
        ScriptedRunner runner = failingWith(list({ "E", "E" }));
        runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Parameters":{"retry.$":"$$.State.RetryCount","name.$":"$$.State.Name","exec.$":"$$.Execution.Name"},
                 "Retry":[{"ErrorEquals":["E"]}]}}})"),
            QJsonObject(), &runner);
        QCOMPARE(runner.requests.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(runner.requests.at(i).parameters,
                QJsonValue(
                    QJsonObject { { QStringLiteral("retry"), i }, { QStringLiteral("name"), QStringLiteral("X") },
                        { QStringLiteral("exec"), QStringLiteral("run-1") } }));
    }

    void catchOrder_data()
    {
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("target");
        const auto row = [](const char *error, const char *target) {
            QTest::newRow(error) << QString::fromUtf8(error) << QString::fromUtf8(target);
        };
        row("Specific", "OnSpecific");
        row("Other", "OnTaskFailed");
        row("States.Timeout", "OnAll");
        row("States.Permissions", "OnTaskFailed");
    }
    void catchOrder()
    {
        QFETCH(QString, error);
        QFETCH(QString, target);
        ScriptedRunner runner = failingWith({ error });
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Catch":[{"ErrorEquals":["Specific"],"Next":"OnSpecific"},
                          {"ErrorEquals":["States.TaskFailed"],"Next":"OnTaskFailed"},
                          {"ErrorEquals":["States.ALL"],"Next":"OnAll"}]},
            "OnSpecific":{"Type":"Pass","End":true},"OnTaskFailed":{"Type":"Pass","End":true},
            "OnAll":{"Type":"Pass","End":true}}})"),
            QJsonObject(), &runner);
        QCOMPARE(run.ofType(QStringLiteral("PassStateEntered"))
                     .first()
                     .value(u"stateEnteredEventDetails")
                     .toObject()
                     .value(u"name")
                     .toString(),
            target);
    }

    void taskTimeoutIsNotATaskFailure()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); }; // never ends
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":1,"End":true,
                 "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Wrong"},
                          {"ErrorEquals":["States.Timeout"],"ResultPath":"$.timeout","Next":"Right"}]},
            "Wrong":{"Type":"Fail","Error":"Wrong"},"Right":{"Type":"Pass","End":true}}})"),
            value(R"({"k":1})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output.toObject().value(u"timeout").toObject().value(u"Error").toString(),
            QStringLiteral("States.Timeout"));
        QCOMPARE(run.end->output.toObject().value(u"k").toInt(), 1);
        QCOMPARE(runner.cancelled, 1);
        QCOMPARE(run.types().mid(2, 4), list({ "TaskScheduled", "TaskStarted", "TaskTimedOut", "TaskStateExited" }));
        QCOMPARE(detailsValue(run.events.at(4), "error").toString(), QStringLiteral("States.Timeout"));

        ScriptedRunner lambda;
        lambda.script = runner.script;
        const Run l = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:1:function:f","TimeoutSecondsPath":"$.t","End":true}}})"),
            value(R"({"t":1})"), &lambda);
        QCOMPARE(l.end->error, QStringLiteral("States.Timeout"));
        QCOMPARE(l.types().mid(2),
            list({ "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionTimedOut", "ExecutionFailed" }));
        QCOMPARE(detailsValue(l.events.at(2), "timeoutInSeconds").toInt(), 1);
    }

    void catchResultPath_data()
    {
        QTest::addColumn<QString>("resultPath");
        QTest::addColumn<QString>("output");
        const auto row = [](const char *name, const char *rp, const char *out) {
            QTest::newRow(name) << QString::fromUtf8(rp) << QString::fromUtf8(out);
        };
        row("default replaces", "", R"({"Error":"E","Cause":"cause of E"})");
        row("null discards", R"(,"ResultPath":null)", R"({"in":1})");
        row("path merges", R"(,"ResultPath":"$.a.err")", R"({"in":1,"a":{"err":{"Error":"E","Cause":"cause of E"}}})");
    }
    void catchResultPath()
    {
        QFETCH(QString, resultPath);
        QFETCH(QString, output);
        ScriptedRunner runner = failingWith(list({ "E" }));
        const QString json = QStringLiteral(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"%1}]},"C":{"Type":"Pass","End":true}}})")
                                 .arg(resultPath);
        const Run run = runDefinition(QJsonDocument::fromJson(json.toUtf8()).object(), value(R"({"in":1})"), &runner);
        QCOMPARE(run.end->output, value(output.toUtf8().constData()));
    }

    void runtimeErrorsAreNotCaught()
    {
        ScriptedRunner runner;
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.missing","End":true,
                 "Retry":[{"ErrorEquals":["States.ALL"]}],
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]},"C":{"Type":"Pass","End":true}}})"),
            value(R"({"in":1})"), &runner);
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QVERIFY(run.retryDelays.isEmpty());
        QCOMPARE(runner.requests.size(), 0);
        QCOMPARE(run.types(), list({ "ExecutionStarted", "TaskStateEntered", "ExecutionFailed" }));
    }

    void outputOverThePayloadLimit()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) -> std::optional<TaskOutcome> {
            return TaskOutcome::success(QString(262145, u'x'));
        };
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]},"C":{"Type":"Pass","End":true}}})"),
            QJsonObject(), &runner);
        QCOMPARE(run.end->error, QStringLiteral("States.DataLimitExceeded"));
        QCOMPARE(run.types().mid(run.types().size() - 2), list({ "TaskSucceeded", "ExecutionFailed" }));

        runner.script = [](const TaskRequest &) -> std::optional<TaskOutcome> {
            return TaskOutcome::success(QString(262000, u'x'));
        };
        QCOMPARE(runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})"),
                     QJsonObject(), &runner)
                     .end->status,
            QStringLiteral("SUCCEEDED"));
    }

    void parameterPathFailureIsARuntimeError()
    {
        // AWS fails the execution with States.Runtime, which Catch States.ALL does not take.
        ScriptedRunner runner;
        const Run run = runDefinition(object(R"({"StartAt":"X","States":{
            "X":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"v.$":"$.missing"},"End":true,
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]},"C":{"Type":"Pass","End":true}}})"),
            value(R"({"in":1})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("FAILED"));
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QVERIFY2(run.end->cause.contains(u"$.missing"), qPrintable(run.end->cause));
        QVERIFY(run.ofType(QStringLiteral("PassStateEntered")).isEmpty());
        QVERIFY(runner.requests.isEmpty());
    }

    void waitTimestampFormats_data()
    {
        QTest::addColumn<QString>("timestamp");
        QTest::addColumn<bool>("valid");
        const auto row = [](const char *ts, bool valid) { QTest::newRow(ts) << QString::fromUtf8(ts) << valid; };
        row("2016-03-14T01:59:00Z", true);
        row("2016-03-14T01:59:00.12Z", true);
        row("2016-03-14T01:59:00.123Z", true);
        row("2016-03-14T01:59:00.123456Z", true);
        row("2016-03-14T01:59:00.1234567Z", true);
        row("2016-03-14T01:59:00+01:00", true);
        row("2016-03-14T01:59:00", false);
        row("2016-03-14T01:59:00.123", false);
        row("yesterday", false);
    }
    void waitTimestampFormats()
    {
        QFETCH(QString, timestamp);
        QFETCH(bool, valid);
        const Run run = runDefinition(object(R"({"StartAt":"W","States":{
            "W":{"Type":"Wait","TimestampPath":"$.ts","Next":"S"},"S":{"Type":"Succeed"}}})"),
            QJsonObject { { QStringLiteral("ts"), timestamp } });
        if (valid) {
            QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
            QCOMPARE(run.types().mid(1, 2), list({ "WaitStateEntered", "WaitStateExited" }));
            return;
        }
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QCOMPARE(run.types(), list({ "ExecutionStarted", "WaitStateEntered", "ExecutionFailed" }));
        QCOMPARE(run.events.last().value(u"previousEventId").toInt(), 2);
        QVERIFY(run.end->cause.startsWith(
            QStringLiteral("An error occurred while executing the state 'W' (entered at the event id #2). The "
                           "TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time")));
    }

    void waitSecondsUsesTimeScale()
    {
        ExecutionSpec spec = specFor(object(R"({"StartAt":"W","States":{
            "W":{"Type":"Wait","SecondsPath":"$.s","Next":"S"},"S":{"Type":"Succeed"}}})"),
            value(R"({"s":100})"));
        spec.timeScale = 0.001; // 100 s -> 100 ms
        ScriptedRunner runner;
        Run run;
        Bramble::LocalRuntime::Execution execution(spec, &runner);
        record(execution, run);
        execution.start();
        QCOMPARE(run.types().last(), QStringLiteral("WaitStateEntered"));
        QVERIFY(waitEnd(run));
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));

        const Run bad = runDefinition(object(R"({"StartAt":"W","States":{
            "W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})"),
            value(R"({"s":"soon"})"));
        QCOMPARE(bad.end->error, QStringLiteral("States.Runtime"));
    }
};

QTEST_GUILESS_MAIN(TestErrorHandling)
#include "tst_errorhandling.moc"
