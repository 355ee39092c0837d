#include "saga/incrementalanalysis.h"
#include "services/saga/sagatest.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;

namespace {

QList<QJsonObject> wireEvents(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QJsonArray array = doc.isArray() ? doc.array() : doc.object().value(QStringLiteral("events")).toArray();
    QList<QJsonObject> events;
    for (const QJsonValue &v : array)
        events.append(v.toObject());
    // Pieces arrive oldest first, as a follower hands them over.
    std::sort(events.begin(), events.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return a.value(QStringLiteral("id")).toDouble() < b.value(QStringLiteral("id")).toDouble();
    });
    return events;
}

// What must not differ between reading a history whole and in pieces.
QJsonObject summary(const SagaAnalysis &a)
{
    QJsonObject o = a.toJson();
    o.insert(QStringLiteral("compensating"), a.compensating);
    o.insert(QStringLiteral("completedSteps"), QJsonArray::fromStringList(a.completedSteps));
    o.insert(QStringLiteral("sentence"), outcomeSentence(a));
    QJsonArray steps;
    for (const Step &s : a.timeline.steps)
        steps.append(QJsonArray { s.state, s.parent, s.mapIteration, double(s.enteredEventId), double(s.closedEventId),
            s.input, s.output, s.nextState });
    o.insert(QStringLiteral("visits"), steps);
    o.insert(QStringLiteral("terminal"), double(a.timeline.terminalEventId));
    o.insert(QStringLiteral("failedVisit"), a.timeline.failedStep);
    o.insert(QStringLiteral("timelineProblems"), int(a.timeline.problems.size()));
    return o;
}

// A 25,000-event history (the service's cap): a step, then a Map of ~5,000 iterations.
QList<QJsonObject> maximumHistory()
{
    QList<QJsonObject> events;
    const auto add = [&events](const QString &type, int prev, const QString &name = {}) {
        const int id = int(events.size()) + 1;
        QJsonObject e { { QStringLiteral("id"), id }, { QStringLiteral("previousEventId"), prev },
            { QStringLiteral("timestamp"), 1763990000.0 + id }, { QStringLiteral("type"), type } };
        if (!name.isEmpty())
            e.insert(QStringLiteral("stateEnteredEventDetails"),
                QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("input"), QStringLiteral("{}") } });
        events.append(e);
        return id;
    };
    const auto task = [&add](const QString &name, int prev) {
        const int s = add(QStringLiteral("TaskScheduled"), add(QStringLiteral("TaskStateEntered"), prev, name));
        return add(QStringLiteral("TaskStateExited"),
            add(QStringLiteral("TaskSucceeded"), add(QStringLiteral("TaskStarted"), s)), name);
    };
    int x = task(QStringLiteral("ProcessRecords"), add(QStringLiteral("ExecutionStarted"), 0));
    int last
        = add(QStringLiteral("MapStateStarted"), add(QStringLiteral("MapStateEntered"), x, QStringLiteral("Each")));
    while (events.size() < 24990)
        last = add(QStringLiteral("MapIterationSucceeded"),
            task(QStringLiteral("Item"), add(QStringLiteral("MapIterationStarted"), last)));
    x = add(QStringLiteral("MapStateExited"), add(QStringLiteral("MapStateSucceeded"), last), QStringLiteral("Each"));
    add(QStringLiteral("ExecutionSucceeded"), x);
    return events;
}

} // namespace

class TestIncrementalAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Read in pieces (one event at a time, a few, a page, random sizes) the
    // analysis equals the one of the whole history read at once.
    void piecesGiveTheWholeAnalysis_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("history");
        const QString seed = QStringLiteral("seed-saga.asl.json");
        for (const char *h : { "seed-success", "seed-fail-commit", "seed-fail-commit-reverse", "seed-rollback-fails",
                 "seed-running", "seed-running-compensating", "seed-runtime-error", "seed-aborted" })
            QTest::newRow(h) << seed << QString::fromLatin1(h) + QStringLiteral(".history.json");
        for (const char *h : { "cdk-success", "cdk-rollback-succeeded" })
            QTest::newRow(h) << QStringLiteral("cdk-saga.asl.json")
                             << QString::fromLatin1(h) + QStringLiteral(".history.json");
    }

    void piecesGiveTheWholeAnalysis()
    {
        QFETCH(QString, definition);
        QFETCH(QString, history);
        const StateGraph g = parseDefinition(fixture(definition));
        const SagaRoles roles = deriveRoles(g);
        const QList<QJsonObject> events = wireEvents(fixture(history));
        QVERIFY(events.size() > 5);
        const SagaAnalysis whole = analyzeSaga(g, roles, buildTimeline(parseHistory(events)));
        HistoryStats wholeStats;
        for (const QJsonObject &e : events)
            wholeStats.add(e);

        QRandomGenerator random(42);
        for (int size : { 1, 2, 3, 7, 1000, 0 }) {
            IncrementalAnalysis incremental(g, roles);
            for (qsizetype at = 0; at < events.size();) {
                const qsizetype n = size > 0 ? size : random.bounded(1, 6);
                incremental.append(events.mid(at, n));
                at += n;
                // Every intermediate state equals the analysis of that prefix.
                const SagaAnalysis prefix = analyzeSaga(g, roles, buildTimeline(parseHistory(events.mid(0, at))));
                QCOMPARE(summary(incremental.analysis()), summary(prefix));
            }
            QCOMPARE(summary(incremental.analysis()), summary(whole));
            QCOMPARE(incremental.stats().eventCount, wholeStats.eventCount);
            QCOMPARE(incremental.stats().largestPayloadBytes, wholeStats.largestPayloadBytes);
            QCOMPARE(incremental.lastEventId(), qint64(events.constLast().value(QStringLiteral("id")).toInt()));
        }
    }

    // A poll that repeats events already read (a service that ignores
    // reverseOrder) changes nothing and counts nothing twice.
    void repeatedEventsAreSkipped()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const QList<QJsonObject> events = wireEvents(fixture(QStringLiteral("seed-fail-commit.history.json")));
        IncrementalAnalysis incremental(g, deriveRoles(g));
        incremental.append(events.mid(0, 10));
        incremental.append(events.mid(5, 10)); // 5 old, 5 new
        incremental.append(events.mid(15));
        QCOMPARE(incremental.stats().eventCount, int(events.size()));
        QCOMPARE(summary(incremental.analysis()), summary(analyzeSaga(g, buildTimeline(parseHistory(events)))));
    }

    // The figure of the report: one poll's worth of new events on a
    // 25,000-event history, read incrementally vs the whole history again.
    void maximumHistoryPerPoll()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const SagaRoles roles = deriveRoles(g);
        const QList<QJsonObject> events = maximumHistory();
        const qsizetype poll = 20; // events brought by one poll
        IncrementalAnalysis incremental(g, roles);
        incremental.append(events.mid(0, events.size() - poll));
        (void)incremental.analysis();

        QElapsedTimer timer;
        timer.start();
        incremental.append(events.mid(events.size() - poll));
        const SagaAnalysis a = incremental.analysis();
        const qint64 incrementalUs = timer.nsecsElapsed() / 1000;
        timer.restart();
        const SagaAnalysis full = analyzeSaga(g, roles, buildTimeline(parseHistory(events)));
        const qint64 fullUs = timer.nsecsElapsed() / 1000;
        qInfo("one poll (%d new events) on %d events: incremental %lld us, whole history again %lld us", int(poll),
            int(events.size()), incrementalUs, fullUs);
        QCOMPARE(summary(a), summary(full));
        QCOMPARE(a.timeline.status, ExecutionStatus::Succeeded);
        QVERIFY(a.timeline.steps.size() > 3000);
    }
};

QTEST_GUILESS_MAIN(TestIncrementalAnalysis)
#include "tst_incrementalanalysis.moc"
