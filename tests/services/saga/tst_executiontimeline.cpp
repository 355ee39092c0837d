#include "saga/executiontimeline.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;

namespace {

Timeline timelineOf(const QString &name)
{
    return buildTimeline(parseHistory(fixture(name)));
}

int stepIndex(const Timeline &t, const QString &state, int nth = 0)
{
    for (qsizetype i = 0; i < t.steps.size(); ++i)
        if (t.steps.at(i).state == state && nth-- == 0)
            return int(i);
    return -1;
}

// Builds events the way the service links them: ids from 1, each naming the event it follows.
class Events {
public:
    int add(const QString &type, int prev, const QString &name = {}, const QJsonObject &extra = {})
    {
        QJsonObject e { { QStringLiteral("id"), int(m_events.size()) + 1 }, { QStringLiteral("previousEventId"), prev },
            { QStringLiteral("timestamp"), 1763900000.0 + double(m_events.size()) }, { QStringLiteral("type"), type } };
        QJsonObject details = extra;
        if (!name.isEmpty())
            details.insert(QStringLiteral("name"), name);
        if (!details.isEmpty())
            e.insert(QStringLiteral("someEventDetails"), details);
        m_events.append(e);
        return int(m_events.size());
    }
    QJsonArray array() const { return m_events; }

private:
    QJsonArray m_events;
};

} // namespace

class TestExecutionTimeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void success()
    {
        const Timeline t = timelineOf(QStringLiteral("seed-success.history.json"));
        QVERIFY(t.problems.isEmpty());
        QCOMPARE(t.status, ExecutionStatus::Succeeded);
        QStringList states;
        for (const Step &s : t.steps) {
            states.append(s.state);
            QCOMPARE(s.status, StepStatus::Succeeded);
            QCOMPARE(s.parent, -1);
            QVERIFY(s.durationMs() >= 0);
        }
        QCOMPARE(states,
            (QStringList { QStringLiteral("StartTransaction"), QStringLiteral("ProcessRecords"),
                QStringLiteral("TransformRecords"), QStringLiteral("CommitRecords"),
                QStringLiteral("FinishTransaction"), QStringLiteral("SagaSucceeded") }));
        const Step &process = t.steps.at(1);
        QCOMPARE(process.stateType, QStringLiteral("Task"));
        QCOMPARE(process.attempts, 1);
        QCOMPARE(process.durationMs(), 550); // entered + 0.05 scheduled + 0.05 started + 0.4 run + 0.05 exited
        QCOMPARE(process.nextState, QStringLiteral("TransformRecords"));
        QVERIFY(process.output.contains(QStringLiteral("TransactionId")));
        QVERIFY(t.input.contains(QStringLiteral("simulateFail")));
    }

    void caughtFailureAndRetry()
    {
        const Timeline t = timelineOf(QStringLiteral("seed-fail-commit.history.json"));
        QVERIFY(t.problems.isEmpty());
        QCOMPARE(t.status, ExecutionStatus::Failed);
        QCOMPARE(t.error, QStringLiteral("SagaRolledBack"));
        const Step &commit = t.steps.at(stepIndex(t, QStringLiteral("CommitRecords")));
        QCOMPARE(commit.status, StepStatus::Caught);
        QCOMPARE(commit.attempts, 2);
        QCOMPARE(commit.error, QStringLiteral("Lambda.ServiceException"));
        QVERIFY(commit.cause.contains(QStringLiteral("simulateFail")));
        QCOMPARE(commit.nextState, QStringLiteral("CommitRecordsRollback"));
        for (const char *rb : { "CommitRecordsRollback", "TransformRecordsRollback", "ProcessRecordsRollback" })
            QCOMPARE(t.steps.at(stepIndex(t, QLatin1String(rb))).status, StepStatus::Succeeded);
        QCOMPARE(t.failedStep, stepIndex(t, QStringLiteral("SagaFailed")));
        const Step &fail = t.steps.at(t.failedStep);
        QCOMPARE(fail.status, StepStatus::Failed);
        QCOMPARE(fail.error, QStringLiteral("SagaRolledBack"));
        QCOMPARE(fail.durationMs(), 0);
    }

    void reverseOrderGivesTheSameSteps()
    {
        const Timeline forward = timelineOf(QStringLiteral("seed-fail-commit.history.json"));
        const Timeline reverse = timelineOf(QStringLiteral("seed-fail-commit-reverse.history.json"));
        QVERIFY(reverse.problems.isEmpty());
        QCOMPARE(reverse.steps.size(), forward.steps.size());
        for (qsizetype i = 0; i < forward.steps.size(); ++i) {
            QCOMPARE(reverse.steps.at(i).state, forward.steps.at(i).state);
            QCOMPARE(reverse.steps.at(i).status, forward.steps.at(i).status);
            QCOMPARE(reverse.steps.at(i).attempts, forward.steps.at(i).attempts);
            QCOMPARE(reverse.steps.at(i).startedAt, forward.steps.at(i).startedAt); // ISO strings vs epoch seconds
            QCOMPARE(reverse.steps.at(i).durationMs(), forward.steps.at(i).durationMs());
        }
        QCOMPARE(reverse.status, forward.status);
    }

    // The events as a follower holds them read the same as the wire's array.
    void eventListReadsLikeTheArray()
    {
        const QJsonArray array
            = QJsonDocument::fromJson(fixture(QStringLiteral("seed-fail-commit-reverse.history.json")))
                  .object()
                  .value(u"events")
                  .toArray();
        QList<QJsonObject> list;
        for (const QJsonValue &v : array)
            list << v.toObject();
        list << QJsonObject { { QStringLiteral("id"), -3 } }; // skipped, with a problem
        const History fromArray = parseHistory(array);
        const History fromList = parseHistory(list);
        QCOMPARE(fromList.events.size(), fromArray.events.size());
        for (qsizetype i = 0; i < fromArray.events.size(); ++i) {
            QCOMPARE(fromList.events.at(i).id, fromArray.events.at(i).id);
            QCOMPARE(fromList.events.at(i).previousEventId, fromArray.events.at(i).previousEventId);
            QCOMPARE(fromList.events.at(i).type, fromArray.events.at(i).type);
            QCOMPARE(fromList.events.at(i).timestamp, fromArray.events.at(i).timestamp);
            QCOMPARE(fromList.events.at(i).details, fromArray.events.at(i).details);
        }
        QCOMPARE(fromList.problems.size(), fromArray.problems.size() + 1);
        QCOMPARE(fromList.problems.constLast().where.key, QStringLiteral("/events/%1/id").arg(array.size()));
    }

    void parallelWrappers()
    {
        const Timeline t = timelineOf(QStringLiteral("cdk-rollback-succeeded.history.json"));
        QVERIFY(t.problems.isEmpty());
        QCOMPARE(t.status, ExecutionStatus::Succeeded);
        const int group = stepIndex(t, QStringLiteral("TransformRecordsGroup"));
        const int task = stepIndex(t, QStringLiteral("TransformRecordsTask"));
        QCOMPARE(t.steps.at(task).parent, group);
        QCOMPARE(t.steps.at(task).status, StepStatus::Failed);
        QCOMPARE(t.steps.at(group).status, StepStatus::Caught);
        QCOMPARE(t.steps.at(group).attempts, 1);
        QCOMPARE(t.steps.at(group).error,
            QStringLiteral("Error")); // ParallelStateFailed carries none: taken from the branch
        QCOMPARE(t.steps.at(group).nextState, QStringLiteral("TransformRecordsRollbackGroup"));
        const int rollback = stepIndex(t, QStringLiteral("ProcessRecordsRollbackGroup"));
        QCOMPARE(t.steps.at(rollback).status, StepStatus::Succeeded);
        QCOMPARE(t.steps.at(rollback).parent, -1);
        QCOMPARE(t.steps.at(stepIndex(t, QStringLiteral("ProcessRecordsRollbackTask"))).parent, rollback);
    }

    void interleavedBranchesAndMapIterations()
    {
        Events ev;
        const int start = ev.add(QStringLiteral("ExecutionStarted"), 0);
        const int pe = ev.add(QStringLiteral("ParallelStateEntered"), start, QStringLiteral("Both"));
        const int ps = ev.add(QStringLiteral("ParallelStateStarted"), pe);
        const int a = ev.add(QStringLiteral("TaskStateEntered"), ps, QStringLiteral("A"));
        const int b = ev.add(QStringLiteral("PassStateEntered"), ps, QStringLiteral("B"));
        const int as = ev.add(QStringLiteral("TaskScheduled"), a);
        const int bx = ev.add(QStringLiteral("PassStateExited"), b, QStringLiteral("B"));
        const int ast = ev.add(QStringLiteral("TaskStarted"), as);
        const int b2 = ev.add(QStringLiteral("PassStateEntered"), bx, QStringLiteral("B2"));
        const int aok = ev.add(QStringLiteral("TaskSucceeded"), ast);
        const int b2x = ev.add(QStringLiteral("PassStateExited"), b2, QStringLiteral("B2"));
        const int ax = ev.add(QStringLiteral("TaskStateExited"), aok, QStringLiteral("A"));
        Q_UNUSED(b2x)
        ev.add(QStringLiteral("ParallelStateSucceeded"), ax);
        const int px = ev.add(QStringLiteral("ParallelStateExited"), ax, QStringLiteral("Both"));
        const int me = ev.add(QStringLiteral("MapStateEntered"), px, QStringLiteral("Each"));
        const int ms = ev.add(QStringLiteral("MapStateStarted"), me, {}, { { QStringLiteral("length"), 2 } });
        const int i0 = ev.add(
            QStringLiteral("MapIterationStarted"), ms, QStringLiteral("Each"), { { QStringLiteral("index"), 0 } });
        const int w0 = ev.add(QStringLiteral("PassStateEntered"), i0, QStringLiteral("Item"));
        const int w0x = ev.add(QStringLiteral("PassStateExited"), w0, QStringLiteral("Item"));
        ev.add(
            QStringLiteral("MapIterationSucceeded"), w0x, QStringLiteral("Each"), { { QStringLiteral("index"), 0 } });
        const int i1 = ev.add(
            QStringLiteral("MapIterationStarted"), w0x, QStringLiteral("Each"), { { QStringLiteral("index"), 1 } });
        const int w1 = ev.add(QStringLiteral("PassStateEntered"), i1, QStringLiteral("Item"));
        const int w1x = ev.add(QStringLiteral("PassStateExited"), w1, QStringLiteral("Item"));
        ev.add(
            QStringLiteral("MapIterationSucceeded"), w1x, QStringLiteral("Each"), { { QStringLiteral("index"), 1 } });
        const int mok = ev.add(QStringLiteral("MapStateSucceeded"), w1x);
        Q_UNUSED(mok)
        const int mx = ev.add(QStringLiteral("MapStateExited"), w1x, QStringLiteral("Each"));
        ev.add(QStringLiteral("ExecutionSucceeded"), mx);

        const Timeline t = buildTimeline(parseHistory(ev.array()));
        QVERIFY(t.problems.isEmpty());
        QCOMPARE(t.status, ExecutionStatus::Succeeded);
        const int both = stepIndex(t, QStringLiteral("Both"));
        for (const char *inner : { "A", "B", "B2" }) {
            const Step &s = t.steps.at(stepIndex(t, QLatin1String(inner)));
            QCOMPARE(s.parent, both);
            QCOMPARE(s.status, StepStatus::Succeeded);
        }
        QCOMPARE(t.steps.at(stepIndex(t, QStringLiteral("A"))).attempts, 1);
        QCOMPARE(t.steps.at(both).status, StepStatus::Succeeded);
        QCOMPARE(t.steps.at(both).nextState, QStringLiteral("Each"));
        const int each = stepIndex(t, QStringLiteral("Each"));
        QCOMPARE(t.steps.at(each).parent, -1);
        QCOMPARE(t.steps.at(stepIndex(t, QStringLiteral("Item"), 0)).mapIteration, 0);
        QCOMPARE(t.steps.at(stepIndex(t, QStringLiteral("Item"), 1)).mapIteration, 1);
        QCOMPARE(t.steps.at(stepIndex(t, QStringLiteral("Item"), 1)).parent, each);
        QCOMPARE(t.steps.at(each).status, StepStatus::Succeeded);
    }

    void running()
    {
        const Timeline t = timelineOf(QStringLiteral("seed-running.history.json"));
        QCOMPARE(t.status, ExecutionStatus::Running);
        QCOMPARE(t.terminalEventId, qint64(0));
        const Step &last = t.steps.last();
        QCOMPARE(last.state, QStringLiteral("TransformRecords"));
        QCOMPARE(last.status, StepStatus::Running);
        QCOMPARE(last.attempts, 1);
        QCOMPARE(last.durationMs(), -1);
    }

    void abortedAndUncaught()
    {
        const Timeline aborted = timelineOf(QStringLiteral("seed-aborted.history.json"));
        QCOMPARE(aborted.status, ExecutionStatus::Aborted);
        QCOMPARE(aborted.error, QStringLiteral("UserStop"));
        QCOMPARE(aborted.steps.last().status, StepStatus::Aborted);

        const Timeline failed = timelineOf(QStringLiteral("seed-rollback-fails.history.json"));
        QCOMPARE(failed.status, ExecutionStatus::Failed);
        const int rb = stepIndex(failed, QStringLiteral("TransformRecordsRollback"));
        QCOMPARE(failed.failedStep, rb);
        QCOMPARE(failed.steps.at(rb).status, StepStatus::Failed);
        QCOMPARE(failed.steps.at(rb).error, QStringLiteral("ConditionalCheckFailed"));
    }

    void partialHistory()
    {
        // The first page of a reverse-order read: only the newest events, links into the unknown.
        QJsonArray events = QJsonDocument::fromJson(fixture(QStringLiteral("seed-fail-commit.history.json")))
                                .object()
                                .value(QStringLiteral("events"))
                                .toArray();
        while (events.size() > 20)
            events.removeFirst();
        const Timeline t = buildTimeline(parseHistory(events));
        QVERIFY(!t.problems.isEmpty());
        QCOMPARE(t.status, ExecutionStatus::Failed);
        QCOMPARE(t.steps.last().state, QStringLiteral("SagaFailed"));
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("problems");
        QTest::newRow("not json") << QByteArray("{\"events\": [") << 1;
        QTest::newRow("no events") << QByteArray("{\"nextToken\": \"x\"}") << 1;
        QTest::newRow("events not objects") << QByteArray("[1, \"two\", null]") << 3;
        QTest::newRow("bad ids") << QByteArray("[{\"id\": -1, \"type\": \"ExecutionStarted\"}, {\"id\": 1.5, \"type\": "
                                               "\"X\"}, {\"id\": 1e300, \"type\": \"X\"}]")
                                 << 3;
        QTest::newRow("no type") << QByteArray("[{\"id\": 1}]") << 1;
        QTest::newRow("forward link") << QByteArray(
            "[{\"id\": 1, \"previousEventId\": 5, \"type\": \"TaskStateEntered\"}]")
                                      << 1;
        QTest::newRow("duplicate ids") << QByteArray(
            "[{\"id\": 1, \"type\": \"ExecutionStarted\"}, {\"id\": 1, \"type\": \"ExecutionStarted\"}]")
                                       << 1;
        QTest::newRow("orphan exit") << QByteArray(
            "[{\"id\": 3, \"previousEventId\": 2, \"type\": \"TaskStateExited\", \"timestamp\": \"garbage\"}]")
                                     << 0;
    }

    void hostile()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, problems);
        const History h = parseHistory(json);
        QCOMPARE(h.problems.size(), problems);
        const Timeline t = buildTimeline(h); // must not crash
        QVERIFY(t.steps.size() <= h.events.size());
    }

    void fuzzedHistoriesNeverCrash()
    {
        QRandomGenerator rng(5);
        const char *types[] = { "ExecutionStarted", "TaskStateEntered", "TaskStateExited", "TaskScheduled",
            "TaskFailed", "TaskSucceeded", "ParallelStateEntered", "ParallelStateStarted", "ParallelStateFailed",
            "ParallelStateExited", "MapStateEntered", "MapIterationStarted", "MapStateExited", "FailStateEntered",
            "ExecutionFailed", "ExecutionSucceeded", "ExecutionRedriven", "EvaluationFailed", "TaskStateAborted",
            "Bogus" };
        for (int round = 0; round < 300; ++round) {
            QJsonArray events;
            const int n = 1 + rng.bounded(200);
            for (int i = 1; i <= n; ++i) {
                QJsonObject details { { QStringLiteral("name"), QStringLiteral("S%1").arg(rng.bounded(5)) },
                    { QStringLiteral("state"), QStringLiteral("S%1").arg(rng.bounded(5)) } };
                events.append(QJsonObject { { QStringLiteral("id"), rng.bounded(3) ? i : rng.bounded(n + 5) - 2 },
                    { QStringLiteral("previousEventId"), rng.bounded(n + 2) - 1 },
                    { QStringLiteral("type"), QLatin1String(types[rng.bounded(int(std::size(types)))]) },
                    { QStringLiteral("xEventDetails"), details } });
            }
            const Timeline t = buildTimeline(parseHistory(events));
            // A parent is a Parallel or Map visit entered before the step (so no cycles).
            for (int i = 0; i < int(t.steps.size()); ++i) {
                const Step &s = t.steps.at(i);
                if (s.parent == -1)
                    continue;
                QVERIFY2(s.parent >= 0 && s.parent < i,
                    qPrintable(QStringLiteral("round %1, step %2, parent %3").arg(round).arg(i).arg(s.parent)));
                const QString &type = t.steps.at(s.parent).stateType;
                QVERIFY2(type == QLatin1String("Parallel") || type == QLatin1String("Map"), qPrintable(type));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestExecutionTimeline)
#include "tst_executiontimeline.moc"
