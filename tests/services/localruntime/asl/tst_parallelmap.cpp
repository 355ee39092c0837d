// Parallel and inline Map: results in order, failures that cancel the
// rest, Retry/Catch on the container, tolerated failures, concurrency, and
// a long execution near the 25,000-event cap.

#include "asltest.h"

#include "saga/executiontimeline.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;

class TestParallelMap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parallelResultsInBranchOrder()
    {
        ScriptedRunner runner;
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "ResultPath":"$.r","Branches":[
              {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"Payload.$":"$.v"},"ResultSelector":{"b1.$":"$.Payload"},"End":true}}},
              {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"two","End":true}}},
              {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"S"},"S":{"Type":"Succeed","InputPath":"$.v"}}}
            ]}}})"),
            value(R"({"v":3})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"v":3,"r":[{"b1":3},"two",3]})"));
        const QStringList t = run.types();
        QCOMPARE(t.mid(0, 3), list({ "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted" }));
        QCOMPARE(t.mid(t.size() - 3), list({ "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded" }));
        QCOMPARE(linkProblem(run.events), QString());
        // Every branch's first state follows ParallelStateStarted; Succeeded and Exited share a predecessor.
        for (const QJsonObject &e : run.events) {
            const QString name = e.value(u"stateEnteredEventDetails").toObject().value(u"name").toString();
            if (name == u"T" || name == u"A" || name == u"W")
                QCOMPARE(e.value(u"previousEventId").toInt(), 3);
        }
        const QJsonObject succeeded = run.ofType(QStringLiteral("ParallelStateSucceeded")).first();
        const QJsonObject exited = run.ofType(QStringLiteral("ParallelStateExited")).first();
        QCOMPARE(succeeded.value(u"previousEventId"), exited.value(u"previousEventId"));
        // Bramble's timeline nests the branch states under the Parallel.
        const Saga::Timeline tl = Saga::buildTimeline(Saga::parseHistory(run.array()));
        QVERIFY(tl.problems.isEmpty());
        QCOMPARE(tl.steps.first().state, QStringLiteral("P"));
        for (int i = 1; i < tl.steps.size(); ++i)
            QCOMPARE(tl.steps.at(i).parent, 0);
    }

    void failingBranchFailsParallelAndCancelsOthers()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &) { return std::optional<TaskOutcome>(); }; // never ends
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "Catch":[{"ErrorEquals":["Branch.Failed"],"ResultPath":"$.err","Next":"After"}],
            "Branches":[
              {"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
              {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Branch.Failed","Cause":"second"}}}
            ]},"After":{"Type":"Pass","End":true}}})"),
            value(R"({"in":1})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"({"in":1,"err":{"Error":"Branch.Failed","Cause":"second"}})"));
        QCOMPARE(runner.cancelled, 1);
        const QStringList t = run.types();
        QVERIFY(t.contains(QStringLiteral("ParallelStateFailed")));
        QVERIFY(t.contains(QStringLiteral("TaskStateAborted")));
        QVERIFY(!t.contains(QStringLiteral("ParallelStateSucceeded")));
        // ParallelStateFailed follows the failing branch's FailStateEntered.
        const QJsonObject failEntered = run.ofType(QStringLiteral("FailStateEntered")).first();
        QCOMPARE(run.ofType(QStringLiteral("ParallelStateFailed")).first().value(u"previousEventId"),
            failEntered.value(u"id"));
        QCOMPARE(linkProblem(run.events), QString());
    }

    void uncaughtBranchErrorFailsExecution()
    {
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}]}}})"),
            QJsonObject());
        QCOMPARE(run.end->error, QStringLiteral("E"));
        QCOMPARE(run.types().mid(run.types().size() - 2), list({ "ParallelStateFailed", "ExecutionFailed" }));
    }

    void parallelRetryStartsAgain()
    {
        int calls = 0;
        ScriptedRunner runner;
        runner.script = [&calls](const TaskRequest &) -> std::optional<TaskOutcome> {
            if (++calls == 1)
                return TaskOutcome::failure(QStringLiteral("Flaky"), QStringLiteral("once"));
            return TaskOutcome::success(QStringLiteral("ok"));
        };
        const Run run = runDefinition(object(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
            "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":3}],
            "Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}})"),
            QJsonObject(), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output, value(R"(["ok"])"));
        QCOMPARE(run.ofType(QStringLiteral("ParallelStateStarted")).size(), 2);
        QCOMPARE(run.retryDelays, QList<double>({ 3.0 }));
        QCOMPARE(linkProblem(run.events), QString());
    }

    void mapResultsInItemOrder_data()
    {
        QTest::addColumn<int>("maxConcurrency");
        QTest::newRow("unbounded") << 0;
        QTest::newRow("one at a time") << 1;
        QTest::newRow("two") << 2;
    }
    void mapResultsInItemOrder()
    {
        QFETCH(int, maxConcurrency);
        ScriptedRunner runner;
        QJsonObject def = object(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemsPath":"$.items","ResultPath":"$.out",
            "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index","tag.$":"$.tag"},
            "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"T","States":{
               "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"Payload.$":"$"},
                    "OutputPath":"$.Payload","End":true}}}}}})");
        QJsonObject m = def.value(u"States").toObject().value(u"M").toObject();
        m.insert(QStringLiteral("MaxConcurrency"), maxConcurrency);
        QJsonObject states = def.value(u"States").toObject();
        states.insert(QStringLiteral("M"), m);
        def.insert(QStringLiteral("States"), states);
        const Run run = runDefinition(def, value(R"({"items":["a","b","c","d"],"tag":"t"})"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output.toObject().value(u"out"),
            value(
                R"([{"v":"a","i":0,"tag":"t"},{"v":"b","i":1,"tag":"t"},{"v":"c","i":2,"tag":"t"},{"v":"d","i":3,"tag":"t"}])"));
        QCOMPARE(run.ofType(QStringLiteral("MapIterationStarted")).size(), 4);
        QCOMPARE(run.ofType(QStringLiteral("MapIterationSucceeded")).size(), 4);
        QCOMPARE(detailsValue(run.ofType(QStringLiteral("MapStateStarted")).first(), "length").toInt(), 4);
        QCOMPARE(detailsValue(run.ofType(QStringLiteral("MapIterationStarted")).at(2), "index").toInt(), 2);
        QCOMPARE(detailsValue(run.ofType(QStringLiteral("MapIterationStarted")).at(2), "name").toString(),
            QStringLiteral("M"));
        QCOMPARE(linkProblem(run.events), QString());
        if (maxConcurrency == 1) {
            // One at a time: each MapIterationStarted follows the previous iteration's last
            // inner event, as that iteration's MapIterationSucceeded does.
            const QList<QJsonObject> started = run.ofType(QStringLiteral("MapIterationStarted"));
            const QList<QJsonObject> succeeded = run.ofType(QStringLiteral("MapIterationSucceeded"));
            for (int i = 1; i < 4; ++i)
                QCOMPARE(started.at(i).value(u"previousEventId"), succeeded.at(i - 1).value(u"previousEventId"));
            QCOMPARE(run.ofType(QStringLiteral("MapStateSucceeded")).first().value(u"previousEventId"),
                succeeded.last().value(u"previousEventId"));
            QCOMPARE(run.ofType(QStringLiteral("MapStateExited")).first().value(u"previousEventId"),
                succeeded.last().value(u"previousEventId"));
        }
        const Saga::Timeline tl = Saga::buildTimeline(Saga::parseHistory(run.array()));
        QVERIFY(tl.problems.isEmpty());
        QCOMPARE(tl.status, Saga::ExecutionStatus::Succeeded);
        QCOMPARE(tl.steps.first().state, QStringLiteral("M"));
        for (int i = 1; i < tl.steps.size(); ++i)
            QCOMPARE(tl.steps.at(i).parent, 0);
    }

    void mapFailureAndTolerance_data()
    {
        QTest::addColumn<QString>("tolerance");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const char *tolerance, const char *status, const char *error) {
            QTest::newRow(name) << QString::fromUtf8(tolerance) << QString::fromUtf8(status)
                                << QString::fromUtf8(error);
        };
        row("none", "", "FAILED", "Odd");
        row("count 2 of 2 failures", R"("ToleratedFailureCount":2)", "SUCCEEDED", "");
        row("count 1 of 2 failures", R"("ToleratedFailureCount":1)", "FAILED",
            "States.ExceedToleratedFailureThreshold");
        row("percent 50", R"("ToleratedFailurePercentage":50)", "SUCCEEDED", "");
        row("percent 49", R"("ToleratedFailurePercentage":49)", "FAILED", "States.ExceedToleratedFailureThreshold");
    }
    void mapFailureAndTolerance()
    {
        QFETCH(QString, tolerance);
        QFETCH(QString, status);
        QFETCH(QString, error);
        const QString json = QStringLiteral(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,%1
            "MaxConcurrency":1,
            "Iterator":{"StartAt":"C","States":{
               "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"Bad"},
                                               {"Variable":"$","NumericEquals":3,"Next":"Bad"}],"Default":"Good"},
               "Bad":{"Type":"Fail","Error":"Odd","Cause":"odd item"},
               "Good":{"Type":"Pass","End":true}}}}}})")
                                 .arg(tolerance.isEmpty() ? QString() : tolerance + u',');
        const Run run = runDefinition(QJsonDocument::fromJson(json.toUtf8()).object(), value("[0,1,2,3]"));
        QCOMPARE(run.end->status, status);
        QCOMPARE(run.end->error, error);
        if (status == u"SUCCEEDED")
            QCOMPARE(run.end->output,
                value(R"([0,{"Error":"Odd","Cause":"odd item"},2,{"Error":"Odd","Cause":"odd item"}])"));
        else
            QVERIFY(run.types().contains(QStringLiteral("MapStateFailed")));
        QCOMPARE(linkProblem(run.events), QString());
    }

    void failingIterationAbortsTheOthers()
    {
        ScriptedRunner runner;
        runner.script = [](const TaskRequest &r) -> std::optional<TaskOutcome> {
            if (r.parameters.toInt() == 2)
                return TaskOutcome::failure(QStringLiteral("Two"), QStringLiteral("item 2"));
            return std::nullopt; // the others never end
        };
        const Run run = runDefinition(object(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "Catch":[{"ErrorEquals":["Two"],"Next":"Caught"}],
            "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}},
            "Caught":{"Type":"Pass","End":true}}})"),
            value("[0,1,2,3]"), &runner);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QCOMPARE(run.end->output.toObject().value(u"Error").toString(), QStringLiteral("Two"));
        QCOMPARE(runner.cancelled, 3);
        QCOMPARE(run.ofType(QStringLiteral("MapIterationAborted")).size(), 3);
        QCOMPARE(run.ofType(QStringLiteral("TaskStateAborted")).size(), 3);
        const QJsonObject iterationFailed = run.ofType(QStringLiteral("MapIterationFailed")).first();
        QCOMPARE(detailsValue(iterationFailed, "index").toInt(), 2);
        QCOMPARE(run.ofType(QStringLiteral("MapStateFailed")).first().value(u"previousEventId"),
            iterationFailed.value(u"previousEventId"));
        QCOMPARE(linkProblem(run.events), QString());
        const Saga::Timeline tl = Saga::buildTimeline(Saga::parseHistory(run.array()));
        QVERIFY(tl.problems.isEmpty());
        QCOMPARE(tl.steps.first().status, Saga::StepStatus::Caught);
    }

    void itemSelectorFailureFailsTheMap()
    {
        // A path missing from an item: States.Runtime, which no Catch takes.
        const Run run = runDefinition(object(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemsPath":"$.items","ItemSelector":{"x.$":"$$.Map.Item.Value.missing"},
            "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"C"}],
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}},
            "C":{"Type":"Pass","OutputPath":"$.err.Error","End":true}}})"),
            value(R"({"items":[{"a":1}]})"));
        QCOMPARE(run.end->status, QStringLiteral("FAILED"));
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QCOMPARE(linkProblem(run.events), QString());
    }

    void mapItemsPathMustBeArray()
    {
        const Run run = runDefinition(object(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemsPath":"$.x","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})"),
            value(R"({"x":{"not":"array"}})"));
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QVERIFY(run.end->cause.contains(QStringLiteral("entered at the event id #2")));
    }

    void bigMapNearTheEventCap()
    {
        // 4,000 items x (IterationStarted, 2 x Pass entered/exited, IterationSucceeded) + 6 = 24,006 events.
        QJsonArray items;
        for (int i = 0; i < 4000; ++i)
            items.append(i);
        const QJsonObject def = object(R"j({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
            "ItemProcessor":{"StartAt":"A","States":{
               "A":{"Type":"Pass","Parameters":{"n.$":"$.value"},"Next":"B"},
               "B":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.n, 1)"},"OutputPath":"$.sum","End":true}}}}}})j");
        const Run run = runDefinition(def, items);
        QCOMPARE(run.end->status, QStringLiteral("SUCCEEDED"));
        QMap<QString, int> counts;
        for (const QString &t : run.types())
            ++counts[t];
        QCOMPARE(counts.value(QStringLiteral("MapIterationSucceeded")), 4000);
        QCOMPARE(counts.value(QStringLiteral("PassStateExited")), 8000);
        QCOMPARE(run.events.size(), 24006);
        const QJsonArray out = run.end->output.toArray();
        QCOMPARE(out.size(), 4000);
        QCOMPARE(out.at(0).toInt(), 1);
        QCOMPARE(out.at(3999).toInt(), 4000);
        QCOMPARE(linkProblem(run.events), QString());
    }

    void loopHitsTheEventCap()
    {
        const Run run = runDefinition(object(R"({"StartAt":"A","States":{
            "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}})"),
            QJsonObject());
        QCOMPARE(run.end->status, QStringLiteral("FAILED"));
        QCOMPARE(run.end->error, QStringLiteral("States.Runtime"));
        QCOMPARE(run.events.size(), 25000);
        QCOMPARE(run.types().last(), QStringLiteral("ExecutionFailed"));
        QCOMPARE(linkProblem(run.events), QString());
    }
};

QTEST_GUILESS_MAIN(TestParallelMap)
#include "tst_parallelmap.moc"
