#include "saga/sagaanalysis.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;

namespace {

QStringList words(const char *text)
{
    return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
}

// Appends events linked the way the service links them.
class Appender {
public:
    explicit Appender(QJsonArray events)
        : m_events(std::move(events))
    {
    }
    int add(const QString &type, int prev, const QString &name = {})
    {
        const int id = int(m_events.size()) + 1;
        QJsonObject e { { QStringLiteral("id"), id }, { QStringLiteral("previousEventId"), prev },
            { QStringLiteral("timestamp"), 1763990000.0 + id }, { QStringLiteral("type"), type } };
        if (!name.isEmpty())
            e.insert(QStringLiteral("stateEnteredEventDetails"), QJsonObject { { QStringLiteral("name"), name } });
        m_events.append(e);
        return id;
    }
    int task(const QString &name, int prev)
    {
        const int e = add(QStringLiteral("TaskStateEntered"), prev, name);
        const int s = add(QStringLiteral("TaskScheduled"), e);
        const int st = add(QStringLiteral("TaskStarted"), s);
        const int ok = add(QStringLiteral("TaskSucceeded"), st);
        return add(QStringLiteral("TaskStateExited"), ok, name);
    }
    const QJsonArray &events() const { return m_events; }

private:
    QJsonArray m_events;
};

} // namespace

class TestSagaAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void seedRoles()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const SagaRoles r = deriveRoles(g);
        QCOMPARE(r.forwardSteps, words("ProcessRecords TransformRecords CommitRecords"));
        QCOMPARE(r.compensationOf.value(QStringLiteral("ProcessRecords")), QStringLiteral("ProcessRecordsRollback"));
        QCOMPARE(
            r.compensationOf.value(QStringLiteral("TransformRecords")), QStringLiteral("TransformRecordsRollback"));
        QCOMPARE(r.compensationOf.value(QStringLiteral("CommitRecords")), QStringLiteral("CommitRecordsRollback"));
        QCOMPARE(r.catchChains.value(QStringLiteral("CommitRecords")),
            words("CommitRecordsRollback TransformRecordsRollback ProcessRecordsRollback"));
        QCOMPARE(r.role(QStringLiteral("StartTransaction")), StateRole::Other);
        QCOMPARE(r.role(QStringLiteral("SagaFailed")), StateRole::Other);
        QCOMPARE(r.role(QStringLiteral("CommitRecordsRollback")), StateRole::Compensation);
        QCOMPARE(r.role(QStringLiteral("CommitRecords")), StateRole::Forward);
    }

    void cdkRoles()
    {
        const SagaRoles r = deriveRoles(parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json"))));
        QCOMPARE(r.forwardSteps, words("ProcessRecordsGroup TransformRecordsGroup CommitRecordsGroup"));
        QCOMPARE(r.compensationOf.value(QStringLiteral("TransformRecordsGroup")),
            QStringLiteral("TransformRecordsRollbackGroup"));
        QCOMPARE(r.role(QStringLiteral("TransformRecordsTask")), StateRole::Forward);
        QCOMPARE(r.role(QStringLiteral("TransformRecordsRollbackTask")), StateRole::Compensation);
    }

    void sharedHandlerPairsByName()
    {
        // One catch-all handler runs every rollback: each chain holds all of them, names decide.
        const SagaRoles r = deriveRoles(
            parseDefinition(q("{'StartAt':'ReserveFlight','States':{"
                              "'ReserveFlight':{'Type':'Task','Resource':'r','Next':'ChargeCard','Catch':[{'"
                              "ErrorEquals':['States.ALL'],'Next':'Handle'}]},"
                              "'ChargeCard':{'Type':'Task','Resource':'r','Next':'Done','Catch':[{'ErrorEquals':['"
                              "States.ALL'],'Next':'Handle'}]},"
                              "'Done':{'Type':'Succeed'},"
                              "'Handle':{'Type':'Pass','Next':'refund-charge-card'},"
                              "'refund-charge-card':{'Type':'Task','Resource':'r','Next':'CancelReserveFlight'},"
                              "'CancelReserveFlight':{'Type':'Task','Resource':'r','Next':'Failed'},"
                              "'Failed':{'Type':'Fail'}}}")));
        // Names that do not follow the convention ("Cancel" as a prefix): the chain order decides,
        // and with one shared handler it pairs the wrong way round (a per-machine override fixes it).
        QCOMPARE(r.compensationOf.value(QStringLiteral("ReserveFlight")), QStringLiteral("refund-charge-card"));
        QCOMPARE(r.compensationOf.value(QStringLiteral("ChargeCard")), QStringLiteral("CancelReserveFlight"));
        QCOMPARE(r.role(QStringLiteral("Handle")), StateRole::Other);
        QCOMPARE(r.role(QStringLiteral("refund-charge-card")), StateRole::Compensation);

        const SagaRoles named = deriveRoles(
            parseDefinition(q("{'StartAt':'ReserveFlight','States':{"
                              "'ReserveFlight':{'Type':'Task','Resource':'r','Next':'ChargeCard','Catch':[{'"
                              "ErrorEquals':['States.ALL'],'Next':'Handle'}]},"
                              "'ChargeCard':{'Type':'Task','Resource':'r','Next':'Done','Catch':[{'ErrorEquals':['"
                              "States.ALL'],'Next':'Handle'}]},"
                              "'Done':{'Type':'Succeed'},"
                              "'Handle':{'Type':'Pass','Next':'ChargeCardRefund'},"
                              "'ChargeCardRefund':{'Type':'Task','Resource':'r','Next':'ReserveFlightCancel'},"
                              "'ReserveFlightCancel':{'Type':'Task','Resource':'r','Next':'Failed'},"
                              "'Failed':{'Type':'Fail'}}}")));
        QCOMPARE(named.compensationOf.value(QStringLiteral("ReserveFlight")), QStringLiteral("ReserveFlightCancel"));
        QCOMPARE(named.compensationOf.value(QStringLiteral("ChargeCard")), QStringLiteral("ChargeCardRefund"));
    }

    void outcome_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("history");
        QTest::addColumn<SagaOutcome>("outcome");
        QTest::addColumn<ExecutionStatus>("status");
        QTest::addColumn<QString>("failedStep");
        QTest::addColumn<QStringList>("dangling");
        QTest::addColumn<QStringList>("missing");
        QTest::addColumn<bool>("compensating");

        const QString seed = QStringLiteral("seed-saga.asl.json");
        const QString cdk = QStringLiteral("cdk-saga.asl.json");
        QTest::newRow("success") << seed << "seed-success.history.json" << SagaOutcome::Committed
                                 << ExecutionStatus::Succeeded << QString() << QStringList() << QStringList() << false;
        QTest::newRow("fail at commit, rolled back, FAILED")
            << seed << "seed-fail-commit.history.json" << SagaOutcome::Compensated << ExecutionStatus::Failed
            << "CommitRecords" << QStringList() << QStringList() << true;
        QTest::newRow("same, reverse order")
            << seed << "seed-fail-commit-reverse.history.json" << SagaOutcome::Compensated << ExecutionStatus::Failed
            << "CommitRecords" << QStringList() << QStringList() << true;
        QTest::newRow("rollback fails") << seed << "seed-rollback-fails.history.json" << SagaOutcome::CompensationFailed
                                        << ExecutionStatus::Failed << "CommitRecords"
                                        << words("ProcessRecords TransformRecords")
                                        << words("TransformRecordsRollback ProcessRecordsRollback") << true;
        QTest::newRow("running forward") << seed << "seed-running.history.json" << SagaOutcome::Running
                                         << ExecutionStatus::Running << QString() << QStringList() << QStringList()
                                         << false;
        QTest::newRow("running, compensating")
            << seed << "seed-running-compensating.history.json" << SagaOutcome::Running << ExecutionStatus::Running
            << "TransformRecords" << QStringList() << words("TransformRecordsRollback ProcessRecordsRollback") << true;
        QTest::newRow("uncatchable States.Runtime")
            << seed << "seed-runtime-error.history.json" << SagaOutcome::FailedUncompensated << ExecutionStatus::Failed
            << "TransformRecords" << words("ProcessRecords") << words("TransformRecordsRollback ProcessRecordsRollback")
            << false;
        QTest::newRow("aborted") << seed << "seed-aborted.history.json" << SagaOutcome::Aborted
                                 << ExecutionStatus::Aborted << QString() << words("ProcessRecords")
                                 << words("ProcessRecordsRollback") << false;
        QTest::newRow("cdk rolled back, SUCCEEDED")
            << cdk << "cdk-rollback-succeeded.history.json" << SagaOutcome::Compensated << ExecutionStatus::Succeeded
            << "TransformRecordsGroup" << QStringList() << QStringList() << true;
        QTest::newRow("cdk success") << cdk << "cdk-success.history.json" << SagaOutcome::Committed
                                     << ExecutionStatus::Succeeded << QString() << QStringList() << QStringList()
                                     << false;
    }

    void outcome()
    {
        QFETCH(QString, definition);
        QFETCH(QString, history);
        QFETCH(SagaOutcome, outcome);
        QFETCH(ExecutionStatus, status);
        QFETCH(QString, failedStep);
        QFETCH(QStringList, dangling);
        QFETCH(QStringList, missing);
        QFETCH(bool, compensating);

        const StateGraph g = parseDefinition(fixture(definition));
        QVERIFY(g.isValid());
        const SagaAnalysis a = analyzeSaga(g, buildTimeline(parseHistory(fixture(history))));
        QCOMPARE(sagaOutcomeName(a.outcome), sagaOutcomeName(outcome));
        QCOMPARE(a.executionStatus, status);
        QCOMPARE(a.failedStep, failedStep);
        QCOMPARE(a.dangling, dangling);
        QCOMPARE(a.missingCompensations, missing);
        QCOMPARE(a.compensating, compensating);
        QCOMPARE(a.stepRoles.size(), a.timeline.steps.size());
    }

    // A RUNNING execution whose forward step has already failed reports that
    // step, from the event that closed its failed visit on: before its
    // compensation is entered and while it runs (the banner's "Compensating
    // after CommitRecords failed" and `sagas analyze --json` agree).
    void runningReportsTheFailedStep_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("history");
        QTest::addColumn<QString>("failedStep");
        const QString seed = QStringLiteral("seed-saga.asl.json");
        QTest::newRow("fail at commit") << seed << "seed-fail-commit.history.json"
                                        << "CommitRecords";
        QTest::newRow("rollback fails") << seed << "seed-rollback-fails.history.json"
                                        << "CommitRecords";
        QTest::newRow("cdk, Parallel wrapper") << "cdk-saga.asl.json"
                                               << "cdk-rollback-succeeded.history.json"
                                               << "TransformRecordsGroup";
    }

    void runningReportsTheFailedStep()
    {
        QFETCH(QString, definition);
        QFETCH(QString, history);
        QFETCH(QString, failedStep);
        const StateGraph g = parseDefinition(fixture(definition));
        const History whole = parseHistory(fixture(history));
        const SagaAnalysis all = analyzeSaga(g, buildTimeline(whole));
        QCOMPARE(all.failedStep, failedStep);
        qint64 closed = 0;
        for (const Step &s : all.timeline.steps)
            if (s.state == failedStep && s.parent < 0 && closed == 0)
                closed = s.closedEventId;
        QVERIFY(closed > 0);
        int checked = 0;
        for (qint64 last = closed; last < all.timeline.terminalEventId; ++last) {
            History prefix;
            for (const HistoryEvent &e : whole.events)
                if (e.id <= last)
                    prefix.events.append(e);
            const SagaAnalysis a = analyzeSaga(g, buildTimeline(prefix));
            QCOMPARE(a.outcome, SagaOutcome::Running);
            QVERIFY2(a.failedStep == failedStep,
                qPrintable(QStringLiteral("up to event %1: failedStep \"%2\"").arg(last).arg(a.failedStep)));
            QCOMPARE(a.toJson().value(QStringLiteral("failedStep")).toString(), failedStep);
            if (a.compensating)
                QCOMPARE(outcomeSentence(a), QStringLiteral("Compensating after %1 failed").arg(failedStep));
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

    void details()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const SagaAnalysis a
            = analyzeSaga(g, buildTimeline(parseHistory(fixture(QStringLiteral("seed-fail-commit.history.json")))));
        QCOMPARE(a.error, QStringLiteral("Lambda.ServiceException"));
        QCOMPARE(a.completedSteps, words("ProcessRecords TransformRecords"));
        QCOMPARE(
            a.requiredCompensations, words("CommitRecordsRollback TransformRecordsRollback ProcessRecordsRollback"));
        QCOMPARE(
            a.succeededCompensations, words("CommitRecordsRollback TransformRecordsRollback ProcessRecordsRollback"));
        QVERIFY(a.notes.isEmpty());

        const SagaAnalysis runtime
            = analyzeSaga(g, buildTimeline(parseHistory(fixture(QStringLiteral("seed-runtime-error.history.json")))));
        QCOMPARE(runtime.error, QStringLiteral("States.Runtime"));
        QCOMPARE(runtime.notes.size(), 1);
        QVERIFY(runtime.notes.first().contains(QStringLiteral("inconsistent")));
    }

    void jsonShape()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const QJsonObject o
            = analyzeSaga(g, buildTimeline(parseHistory(fixture(QStringLiteral("seed-rollback-fails.history.json")))))
                  .toJson();
        QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("COMPENSATION_FAILED"));
        QCOMPARE(o.value(QStringLiteral("failedStep")).toString(), QStringLiteral("CommitRecords"));
        QCOMPARE(o.value(QStringLiteral("dangling")).toArray().size(), 2);
        const QJsonArray steps = o.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), 6);
        const QJsonObject commit = steps.at(3).toObject();
        QCOMPARE(commit.value(QStringLiteral("state")).toString(), QStringLiteral("CommitRecords"));
        QCOMPARE(commit.value(QStringLiteral("role")).toString(), QStringLiteral("forward"));
        QCOMPARE(commit.value(QStringLiteral("status")).toString(), QStringLiteral("CAUGHT"));
        QCOMPARE(commit.value(QStringLiteral("attempts")).toInt(), 1);
        QVERIFY(commit.value(QStringLiteral("startedAt")).toString().endsWith(u'Z'));
        QCOMPARE(commit.value(QStringLiteral("durationMs")).toInt(), 550);
        QCOMPARE(steps.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("other"));
        QCOMPARE(steps.at(5).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("compensation"));
        QVERIFY(steps.at(0).toObject().value(QStringLiteral("error")).isNull());
    }

    void redriveFinishesTheRollback()
    {
        // The rollback that failed is redriven and the chain completes: COMPENSATION_FAILED becomes COMPENSATED.
        const QJsonArray events = QJsonDocument::fromJson(fixture(QStringLiteral("seed-rollback-fails.history.json")))
                                      .object()
                                      .value(QStringLiteral("events"))
                                      .toArray();
        Appender h(events);
        int x = h.add(QStringLiteral("ExecutionRedriven"), int(events.size()));
        x = h.task(QStringLiteral("TransformRecordsRollback"), x);
        x = h.task(QStringLiteral("ProcessRecordsRollback"), x);
        x = h.add(QStringLiteral("FailStateEntered"), x, QStringLiteral("SagaFailed"));
        h.add(QStringLiteral("ExecutionFailed"), x);

        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const SagaAnalysis a = analyzeSaga(g, buildTimeline(parseHistory(h.events())));
        QCOMPARE(a.timeline.redriveCount, 1);
        QCOMPARE(sagaOutcomeName(a.outcome), QStringLiteral("COMPENSATED"));
        QVERIFY(a.dangling.isEmpty());
        QCOMPARE(a.failedStep, QStringLiteral("CommitRecords"));
    }

    void maximumHistory()
    {
        // 25,000 events (the service's cap): a forward step followed by a Map of ~5,000 iterations.
        Appender h { QJsonArray() };
        int x = h.add(QStringLiteral("ExecutionStarted"), 0);
        x = h.task(QStringLiteral("ProcessRecords"), x);
        const int me = h.add(QStringLiteral("MapStateEntered"), x, QStringLiteral("Each"));
        int last = h.add(QStringLiteral("MapStateStarted"), me);
        while (h.events().size() < 24990) {
            const int it = h.add(QStringLiteral("MapIterationStarted"), last);
            last = h.task(QStringLiteral("Item"), it);
            h.add(QStringLiteral("MapIterationSucceeded"), last);
        }
        h.add(QStringLiteral("MapStateSucceeded"), last);
        x = h.add(QStringLiteral("MapStateExited"), last, QStringLiteral("Each"));
        h.add(QStringLiteral("ExecutionSucceeded"), x);
        const QByteArray json
            = QJsonDocument(QJsonObject { { QStringLiteral("events"), h.events() } }).toJson(QJsonDocument::Compact);

        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        QElapsedTimer timer;
        timer.start();
        const SagaAnalysis a = analyzeSaga(g, buildTimeline(parseHistory(json)));
        qInfo("parse + timeline + analysis of %d events: %lld ms", int(h.events().size()), timer.elapsed());
        QVERIFY(a.timeline.problems.isEmpty());
        QCOMPARE(a.timeline.status, ExecutionStatus::Succeeded);
        QVERIFY(a.timeline.steps.size() > 3000);
    }

    void hostileShapesStayFast()
    {
        // Deep nesting and thousands of visits that never close: bounded work, no deep recursion.
        Appender h { QJsonArray() };
        int x = h.add(QStringLiteral("ExecutionStarted"), 0);
        for (int i = 0; i < 5000; ++i) {
            x = h.add(QStringLiteral("ParallelStateEntered"), x, QStringLiteral("P"));
            x = h.add(QStringLiteral("ParallelStateStarted"), x);
        }
        for (int i = 0; i < 5000; ++i)
            x = h.add(QStringLiteral("TaskStateEntered"), x, QStringLiteral("T"));
        for (int i = 0; i < 10000; ++i)
            x = h.add(i % 2 ? QStringLiteral("ParallelStateExited") : QStringLiteral("TaskFailed"), x);
        QElapsedTimer timer;
        timer.start();
        const Timeline t = buildTimeline(parseHistory(h.events()));
        QCOMPARE(t.steps.size(), 10000);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        qInfo("hostile 25,000 events: %lld ms", timer.elapsed());
    }

    void invalidInputsGiveAnOutcome()
    {
        // An empty graph and an empty history still analyse (as RUNNING) rather than crash.
        const SagaAnalysis a
            = analyzeSaga(parseDefinition(QByteArray("nonsense")), buildTimeline(parseHistory(QByteArray("[]"))));
        QCOMPARE(a.outcome, SagaOutcome::Running);
        // A history from another machine: nothing is forward or compensation.
        const SagaAnalysis b = analyzeSaga(parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json"))),
            buildTimeline(parseHistory(fixture(QStringLiteral("seed-fail-commit.history.json")))));
        QCOMPARE(b.outcome, SagaOutcome::FailedUncompensated);
        QVERIFY(b.dangling.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSagaAnalysis)
#include "tst_sagaanalysis.moc"
