// stateVisuals() over the recorded saga histories (tests/data/saga): what
// each state of the definition looks like after the execution.

#include "models/sagavisuals.h"
#include "saga/executiontimeline.h"
#include "services/saga/sagatest.h"

#include <QTest>

using namespace Bramble;
using namespace Bramble::Models;
using Bramble::Test::Saga::fixture;

namespace {

// "State=Visual name" for every state, sorted, so a failure shows the whole picture.
QStringList describe(const QHash<QString, StateVisual> &visuals)
{
    QStringList out;
    for (auto it = visuals.cbegin(); it != visuals.cend(); ++it)
        out << it.key() + u'=' + stateVisualName(it.value());
    out.sort();
    return out;
}

QStringList expected(std::initializer_list<std::pair<const char *, StateVisual>> rows)
{
    QStringList out;
    for (const auto &[state, visual] : rows)
        out << QString::fromLatin1(state) + u'=' + stateVisualName(visual);
    out.sort();
    return out;
}

Saga::Step step(const char *state, Saga::StepStatus status, qint64 entered)
{
    Saga::Step s;
    s.state = QString::fromLatin1(state);
    s.status = status;
    s.enteredEventId = entered;
    return s;
}

} // namespace

class TestSagaVisuals : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recorded_data()
    {
        using V = StateVisual;
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("history");
        QTest::addColumn<QStringList>("visuals");
        QTest::addColumn<QStringList>("dangling");

        const QString seed = QStringLiteral("seed-saga.asl.json");
        const QString cdk = QStringLiteral("cdk-saga.asl.json");
        QTest::newRow("seed success")
            << seed << "seed-success.history.json"
            << expected({ { "StartTransaction", V::Succeeded }, { "ProcessRecords", V::Succeeded },
                   { "TransformRecords", V::Succeeded }, { "CommitRecords", V::Succeeded },
                   { "FinishTransaction", V::Succeeded }, { "SagaSucceeded", V::Succeeded },
                   { "CommitRecordsRollback", V::NotReached }, { "TransformRecordsRollback", V::NotReached },
                   { "ProcessRecordsRollback", V::NotReached }, { "SagaFailed", V::NotReached } })
            << QStringList();
        QTest::newRow("seed fail at commit, rolled back")
            << seed << "seed-fail-commit.history.json"
            << expected({ { "StartTransaction", V::Succeeded }, { "ProcessRecords", V::Compensated },
                   { "TransformRecords", V::Compensated }, { "CommitRecords", V::Caught },
                   { "FinishTransaction", V::NotReached }, { "SagaSucceeded", V::NotReached },
                   { "CommitRecordsRollback", V::CompensationSucceeded },
                   { "TransformRecordsRollback", V::CompensationSucceeded },
                   { "ProcessRecordsRollback", V::CompensationSucceeded }, { "SagaFailed", V::Failed } })
            << QStringList();
        QTest::newRow("seed rollback fails")
            << seed << "seed-rollback-fails.history.json"
            << expected({ { "StartTransaction", V::Succeeded }, { "ProcessRecords", V::Succeeded },
                   { "TransformRecords", V::Succeeded }, { "CommitRecords", V::Caught },
                   { "FinishTransaction", V::NotReached }, { "SagaSucceeded", V::NotReached },
                   { "CommitRecordsRollback", V::CompensationSucceeded },
                   { "TransformRecordsRollback", V::CompensationFailed }, { "ProcessRecordsRollback", V::NotReached },
                   { "SagaFailed", V::NotReached } })
            << QStringList { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords") };
        QTest::newRow("seed running, compensating")
            << seed << "seed-running-compensating.history.json"
            << expected({ { "StartTransaction", V::Succeeded }, { "ProcessRecords", V::Succeeded },
                   { "TransformRecords", V::Caught }, { "CommitRecords", V::NotReached },
                   { "FinishTransaction", V::NotReached }, { "SagaSucceeded", V::NotReached },
                   { "CommitRecordsRollback", V::NotReached }, { "TransformRecordsRollback", V::Running },
                   { "ProcessRecordsRollback", V::NotReached }, { "SagaFailed", V::NotReached } })
            << QStringList();
        QTest::newRow("seed aborted")
            << seed << "seed-aborted.history.json"
            << expected({ { "StartTransaction", V::Succeeded }, { "ProcessRecords", V::Succeeded },
                   { "TransformRecords", V::Aborted }, { "CommitRecords", V::NotReached },
                   { "FinishTransaction", V::NotReached }, { "SagaSucceeded", V::NotReached },
                   { "CommitRecordsRollback", V::NotReached }, { "TransformRecordsRollback", V::NotReached },
                   { "ProcessRecordsRollback", V::NotReached }, { "SagaFailed", V::NotReached } })
            << QStringList { QStringLiteral("ProcessRecords") };
        QTest::newRow("cdk rolled back")
            << cdk << "cdk-rollback-succeeded.history.json"
            << expected({ { "ProcessRecordsGroup", V::Compensated }, { "ProcessRecordsTask", V::Compensated },
                   { "TransformRecordsGroup", V::Caught }, { "TransformRecordsTask", V::Failed },
                   { "CommitRecordsGroup", V::NotReached }, { "CommitRecordsTask", V::NotReached },
                   { "Success", V::NotReached }, { "CommitRecordsRollbackGroup", V::NotReached },
                   { "CommitRecordsRollbackTask", V::NotReached },
                   { "TransformRecordsRollbackGroup", V::CompensationSucceeded },
                   { "TransformRecordsRollbackTask", V::CompensationSucceeded },
                   { "ProcessRecordsRollbackGroup", V::CompensationSucceeded },
                   { "ProcessRecordsRollbackTask", V::CompensationSucceeded } })
            << QStringList();
    }

    void recorded()
    {
        QFETCH(QString, definition);
        QFETCH(QString, history);
        QFETCH(QStringList, visuals);
        QFETCH(QStringList, dangling);

        const Saga::StateGraph graph = Saga::parseDefinition(fixture(definition));
        QVERIFY(graph.isValid());
        const Saga::SagaAnalysis analysis
            = Saga::analyzeSaga(graph, Saga::buildTimeline(Saga::parseHistory(fixture(history))));
        const QHash<QString, StateVisual> v = stateVisuals(graph, analysis);
        QCOMPARE(v.size(), graph.nodes.size());
        QCOMPARE(describe(v), visuals);
        QStringList d = danglingStates(analysis).values();
        d.sort();
        QCOMPARE(d, dangling);
    }

    // The last visit decides: a retried state that finally succeeded is
    // Succeeded, and a compensation that ran BEFORE the step's last visit
    // does not make it Compensated.
    void lastVisitWins()
    {
        const Saga::StateGraph graph = Saga::parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        Saga::SagaAnalysis a;
        a.timeline.steps = { step("StartTransaction", Saga::StepStatus::Succeeded, 2),
            step("ProcessRecords", Saga::StepStatus::Succeeded, 3),
            step("ProcessRecordsRollback", Saga::StepStatus::Succeeded, 10),
            step("ProcessRecords", Saga::StepStatus::Caught, 20),
            step("TransformRecords", Saga::StepStatus::Caught, 30),
            step("TransformRecords", Saga::StepStatus::Succeeded, 40) };
        const QHash<QString, StateVisual> v = stateVisuals(graph, a);
        QCOMPARE(stateVisualName(v.value(QStringLiteral("ProcessRecords"))), stateVisualName(StateVisual::Caught));
        QCOMPARE(stateVisualName(v.value(QStringLiteral("TransformRecords"))), stateVisualName(StateVisual::Succeeded));

        a.timeline.steps = { step("ProcessRecords", Saga::StepStatus::Succeeded, 30),
            step("ProcessRecordsRollback", Saga::StepStatus::Succeeded, 10) };
        QCOMPARE(stateVisualName(stateVisuals(graph, a).value(QStringLiteral("ProcessRecords"))),
            stateVisualName(StateVisual::Succeeded));
    }

    void names()
    {
        QCOMPARE(stateVisualName(StateVisual::NotReached), QStringLiteral("Not reached"));
        QCOMPARE(stateVisualName(StateVisual::CompensationFailed), QStringLiteral("Compensation failed"));
    }
};

QTEST_GUILESS_MAIN(TestSagaVisuals)
#include "tst_sagavisuals.moc"
