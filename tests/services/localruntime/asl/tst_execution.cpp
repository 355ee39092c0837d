// The interpreter's states and the history it writes: Pass, Task (both
// Lambda shapes), Choice, Wait, Succeed, Fail, event links, checkpoints,
// stop, resume and redrive.

#include "asltest.h"

#include "saga/executiontimeline.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;

class TestExecution : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void passChainSucceeds()
    {
        const Run run = runDefinition(object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.a","Next":"B"},
            "B":{"Type":"Pass","Parameters":{"sum.$":"$.a.x","fixed":"v"},"ResultPath":"$.b","Next":"Done"},
            "Done":{"Type":"Succeed","OutputPath":"$.b"}}})"),
            value(R"({"in":true})"));
        QVERIFY(run.end);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"sum":1,"fixed":"v"})"));
        QCOMPARE(run.types(),
            list({ "ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited",
                "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded" }));
        QCOMPARE(linkProblem(run.events), QString());
        // The first state follows nothing; then each event follows the one before.
        QCOMPARE(run.events.at(1).value(u"previousEventId").toInt(), 0);
        for (int i = 2; i < run.events.size(); ++i)
            QCOMPARE(run.events.at(i).value(u"previousEventId").toInt(), i);
        // Inputs and outputs are JSON text.
        QCOMPARE(parsed(detailsValue(run.events.at(0), "input")), value(R"({"in":true})"));
        QCOMPARE(parsed(detailsValue(run.events.at(2), "output")), value(R"({"in":true,"a":{"x":1}})"));
        QCOMPARE(run.events.at(1).value(u"stateEnteredEventDetails").toObject().value(u"name").toString(),
            QStringLiteral("A"));
        QVERIFY(run.events.at(0).value(u"timestamp").isDouble());
        QCOMPARE(parsed(detailsValue(run.events.last(), "output")), value(R"({"sum":1,"fixed":"v"})"));
    }

    void lambdaInvokeTaskHistory()
    {
        ScriptedRunner runner;
        const Run run = runDefinition(object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":30,"HeartbeatSeconds":10,
                 "Parameters":{"FunctionName":"f","Payload.$":"$"},
                 "ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.r","End":true}}})"),
            value(R"({"k":"v"})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"k":"v","r":{"p":{"k":"v"}}})"));
        QCOMPARE(run.types(),
            list({ "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                "TaskStateExited", "ExecutionSucceeded" }));
        const QJsonObject scheduled = run.events.at(2).value(u"taskScheduledEventDetails").toObject();
        QCOMPARE(scheduled.value(u"resourceType").toString(), QStringLiteral("lambda"));
        QCOMPARE(scheduled.value(u"resource").toString(), QStringLiteral("invoke"));
        QCOMPARE(scheduled.value(u"region").toString(), QStringLiteral("eu-west-1"));
        QCOMPARE(scheduled.value(u"timeoutInSeconds").toInt(), 30);
        QCOMPARE(scheduled.value(u"heartbeatInSeconds").toInt(), 10);
        QCOMPARE(parsed(scheduled.value(u"parameters")), value(R"({"FunctionName":"f","Payload":{"k":"v"}})"));
        QCOMPARE(detailsValue(run.events.at(3), "resource").toString(), QStringLiteral("invoke"));
        QCOMPARE(linkProblem(run.events), QString());
        QCOMPARE(runner.requests.size(), 1);
        QCOMPARE(runner.requests.first().stateName, QStringLiteral("T"));
        QCOMPARE(runner.requests.first().attempt, 0);
        QCOMPARE(runner.requests.first().timeoutSeconds, 30);
        QCOMPARE(runner.requests.first().executionArn, specFor({}).executionArn);
    }

    void plainLambdaArnWritesLambdaFunctionEvents()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &r) -> std::optional<TaskOutcome> {
            if (r.parameters.toObject().value(u"fail").toBool())
                return TaskOutcome::failure(QStringLiteral("Exception"), QStringLiteral("{\"errorMessage\":\"no\"}"));
            return TaskOutcome::success(value(R"({"done":true})"));
        };
        const QJsonObject def = object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:saga-Step","End":true}}})");
        Run ok = runDefinition(def, value(R"({"fail":false})"), &runner);
        QCOMPARE(ok.types(),
            list({ "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded" }));
        QCOMPARE(detailsValue(ok.events.at(2), "resource").toString(),
            QStringLiteral("arn:aws:lambda:eu-west-1:123456789012:function:saga-Step"));
        QCOMPARE(parsed(detailsValue(ok.events.at(2), "input")), value(R"({"fail":false})"));
        QVERIFY(!ok.events.at(3).contains(u"lambdaFunctionStartedEventDetails"));
        QCOMPARE(ok.end->output, value(R"({"done":true})"));

        Run bad = runDefinition(def, value(R"({"fail":true})"), &runner);
        QCOMPARE(bad.types().mid(4), list({ "LambdaFunctionFailed", "ExecutionFailed" }));
        QCOMPARE(bad.end->status, QStringLiteral("FAILED"));
        QCOMPARE(bad.end->error, QStringLiteral("Exception"));
        QCOMPARE(detailsValue(bad.events.last(), "error").toString(), QStringLiteral("Exception"));
        QCOMPARE(bad.events.last().value(u"previousEventId").toInt(), 5);
    }

    void runnerErrorIsTaskFailed()
    {
        class Broken : public TaskCall {
            void begin() override { fail(Bramble::Core::Error(QStringLiteral("no backend"))); }
        };
        struct Runner : TaskRunner {
            TaskCall *call(const TaskRequest &) override { return new Broken; }
        } runner;
        const Run run = runDefinition(object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","End":true}}})"),
            QJsonObject(), &runner);
        QCOMPARE(run.end->error, QStringLiteral("States.TaskFailed"));
        QVERIFY(run.end->cause.contains(QStringLiteral("no backend")));
        QCOMPARE(detailsValue(run.events.at(2), "resourceType").toString(), QStringLiteral("dynamodb"));
        QCOMPARE(detailsValue(run.events.at(2), "resource").toString(), QStringLiteral("putItem"));
    }

    void failState_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("cause");
        const auto row = [](const char *name, const char *state, const char *error, const char *cause) {
            QTest::newRow(name) << QString::fromUtf8(state) << QString::fromUtf8(error) << QString::fromUtf8(cause);
        };
        row("literal", R"({"Type":"Fail","Error":"E1","Cause":"C1"})", "E1", "C1");
        row("paths", R"({"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"})", "FromInput", "because");
        row("intrinsic", R"j({"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('{} failed', $.e)"})j",
            "FromInput", "FromInput failed");
    }
    void failState()
    {
        QFETCH(QString, state);
        QFETCH(QString, error);
        QFETCH(QString, cause);
        const QJsonObject def { { QStringLiteral("StartAt"), QStringLiteral("F") },
            { QStringLiteral("States"),
                QJsonObject { { QStringLiteral("F"), QJsonDocument::fromJson(state.toUtf8()).object() } } } };
        const Run run = runDefinition(def, value(R"({"e":"FromInput","c":"because"})"));
        QCOMPARE(run.types(), list({ "ExecutionStarted", "FailStateEntered", "ExecutionFailed" }));
        QCOMPARE(run.end->status, QStringLiteral("FAILED"));
        QCOMPARE(run.end->error, error);
        QCOMPARE(run.end->cause, cause);
        QCOMPARE(detailsValue(run.events.last(), "error").toString(), error);
        QCOMPARE(run.events.last().value(u"previousEventId").toInt(), 2);
    }

    void checkpointsAtTopLevelStates()
    {
        const Run run = runDefinition(object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
            "B":{"Type":"Pass","Assign":{"v":"x"},"Next":"C"},
            "C":{"Type":"Succeed"}}})"),
            value(R"({})"));
        QCOMPARE(run.checkpoints.size(), 3);
        QCOMPARE(run.checkpoints.at(0).state, QStringLiteral("A"));
        QCOMPARE(run.checkpoints.at(0).lastEventId, 1);
        QCOMPARE(run.checkpoints.at(1).state, QStringLiteral("B"));
        QCOMPARE(run.checkpoints.at(1).input, value(R"({"a":1})"));
        QCOMPARE(run.checkpoints.at(1).lastEventId, 3);
        QCOMPARE(run.checkpoints.at(2).variables, object(R"({"v":"x"})"));
        // Round trip through JSON.
        const auto back = Checkpoint::fromJson(run.checkpoints.at(2).toJson());
        QVERIFY(back);
        QCOMPARE(back->state, QStringLiteral("C"));
        QCOMPARE(back->input, value(R"({"a":1})"));
        QCOMPARE(back->variables, object(R"({"v":"x"})"));
        QCOMPARE(back->lastEventId, 5);
        QVERIFY(!Checkpoint::fromJson(object(R"({"state":"C"})")));
        QVERIFY(!Checkpoint::fromJson(object(R"({"state":"C","input":"not json","lastEventId":1})")));
    }

    void resumeContinuesWithoutNewFirstEvents()
    {
        const QJsonObject def = object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
            "B":{"Type":"Pass","Parameters":{"seen.$":"$seen","a.$":"$.a"},"Next":"C"},
            "C":{"Type":"Succeed"}}})");
        ExecutionSpec spec = specFor(def, QJsonObject());
        spec.resume = Checkpoint { QStringLiteral("B"), value(R"({"a":7})"), object(R"({"seen":"yes"})"), 3 };
        ScriptedRunner runner;
        const Run run = runSpec(spec, &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"seen":"yes","a":7})"));
        QCOMPARE(run.types(),
            list({ "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited",
                "ExecutionSucceeded" }));
        QCOMPARE(run.events.first().value(u"id").toInt(), 4);
        QCOMPARE(run.events.first().value(u"previousEventId").toInt(), 3);
        QCOMPARE(linkProblem(run.events, 4), QString());
    }

    void redriveWritesExecutionRedrivenFirst()
    {
        const QJsonObject def = object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload.$":"$"},"End":true}}})");
        ScriptedRunner runner;
        bool failing = true;
        runner.script = [&failing](const TaskRequest &r) -> std::optional<TaskOutcome> {
            if (failing)
                return TaskOutcome::failure(QStringLiteral("Boom"), QStringLiteral("first run"));
            return TaskOutcome::success(r.parameters);
        };
        const Run first = runSpec(specFor(def, value(R"({"n":1})")), &runner);
        QCOMPARE(first.end->status, QStringLiteral("FAILED"));
        QCOMPARE(first.checkpoints.size(), 1);
        failing = false;
        ExecutionSpec spec = specFor(def, value(R"({"n":1})"));
        spec.resume = first.checkpoints.first();
        spec.redrive = true;
        spec.redriveCount = 1;
        spec.historyLastEventId = first.events.last().value(u"id").toInt();
        const Run again = runSpec(spec, &runner);
        QCOMPARE(again.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(again.types().first(), QStringLiteral("ExecutionRedriven"));
        QCOMPARE(again.events.first().value(u"id").toInt(), int(spec.historyLastEventId + 1));
        QCOMPARE(detailsValue(again.events.first(), "redriveCount").toInt(), 1);
        QCOMPARE(again.events.at(1).value(u"type").toString(), QStringLiteral("TaskStateEntered"));
        QCOMPARE(again.events.at(1).value(u"previousEventId").toInt(), again.events.first().value(u"id").toInt());
        QCOMPARE(linkProblem(first.events + again.events), QString());
    }

    void stopAbortsTheRunningTask()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); }; // never ends
        Run run;
        Execution execution(specFor(object(R"({"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})")),
            &runner);
        record(execution, run);
        execution.start();
        QVERIFY(execution.isRunning());
        QCOMPARE(run.types().last(), QStringLiteral("TaskStarted"));
        execution.stop(QStringLiteral("Stopped"), QStringLiteral("by the test"));
        QVERIFY(!execution.isRunning());
        QVERIFY(waitEnd(run));
        QCOMPARE(run.end->status, QStringLiteral("ABORTED"));
        QCOMPARE(run.end->error, QStringLiteral("Stopped"));
        QCOMPARE(run.types().last(), QStringLiteral("ExecutionAborted"));
        QCOMPARE(detailsValue(run.events.last(), "cause").toString(), QStringLiteral("by the test"));
        QCOMPARE(runner.cancelled, 1);
        QCOMPARE(linkProblem(run.events), QString());
        QCOMPARE(execution.lastEventId(), run.events.last().value(u"id").toInt());
    }

    void stopDuringMapAndParallel()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); }; // never ends
        Run run;
        Execution execution(specFor(object(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
              {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}]}}}}}})"),
                                value("[1,2,3,4,5]")),
            &runner);
        record(execution, run);
        execution.start();
        QCOMPARE(runner.requests.size(), 2);
        execution.stop({}, {});
        QVERIFY(waitEnd(run));
        QCOMPARE(run.end->status, QStringLiteral("ABORTED"));
        QCOMPARE(runner.cancelled, 2);
        QCOMPARE(linkProblem(run.events), QString());
        QVERIFY(!run.events.last().contains(u"executionAbortedEventDetails")
            || run.events.last().value(u"executionAbortedEventDetails").toObject().isEmpty());
        const Saga::Timeline tl = Saga::buildTimeline(Saga::parseHistory(run.array()));
        QCOMPARE(tl.status, Saga::ExecutionStatus::Aborted);
        QVERIFY(tl.problems.isEmpty());
        QTest::qWait(20); // deferred deletions of the scopes
    }

    void deletingARunningExecutionCancelsItsTasks()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); };
        auto *execution = new Execution(specFor(object(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "Branches":[{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
                        {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}})")),
            &runner);
        execution->start();
        QCOMPARE(runner.requests.size(), 2);
        delete execution;
        QCOMPARE(runner.cancelled, 2);
        QTest::qWait(20);
    }

    void executionTimeout()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); };
        ExecutionSpec spec = specFor(object(R"({"StartAt":"T","TimeoutSeconds":1,"States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})"));
        const Run run = runSpec(spec, &runner);
        QVERIFY(run.end);
        QCOMPARE(run.end->status, QStringLiteral("TIMED_OUT"));
        QCOMPARE(run.types().last(), QStringLiteral("ExecutionTimedOut"));
        QCOMPARE(runner.cancelled, 1);
    }
};

QTEST_GUILESS_MAIN(TestExecution)
#include "tst_execution.moc"
