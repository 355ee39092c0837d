#include "models/executioncomparemodel.h"
#include "models/executionfilterproxy.h"
#include "models/executionlistmodel.h"
#include "models/inputsearch.h"
#include "models/steptablemodel.h"
#include "saga/aslgraph.h"
#include "saga/sagaanalysis.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Models;
using Bramble::Saga::ExecutionEntry;
using Bramble::Saga::SagaAnalysis;
using Bramble::Saga::SagaOutcome;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;

namespace {

QString text(const char *json)
{
    return QString::fromUtf8(q(json));
}

ExecutionEntry execution(const QString &name, const QString &status, const QString &input = {}, int startMinute = 0)
{
    ExecutionEntry e;
    e.name = name;
    e.executionArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:execution:seed:") + name;
    e.stateMachineArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:stateMachine:seed");
    e.status = status;
    e.startDate = QDateTime(QDate(2026, 11, 23), QTime(10, startMinute), Qt::UTC);
    if (status != u"RUNNING")
        e.stopDate = e.startDate.addMSecs(1500 + startMinute);
    if (!input.isEmpty()) {
        e.inputLoaded = true;
        e.input = input;
    }
    return e;
}

ExecutionEntry withOutcome(ExecutionEntry e, SagaOutcome outcome)
{
    e.outcomeLoaded = true;
    e.outcome = outcome;
    e.outcomeSentence = Saga::sagaOutcomeName(outcome);
    return e;
}

QString txInput(const char *id)
{
    return QStringLiteral(
        "{\"Payload\": {\"TransactionDetails\": {\"TransactionId\": \"%1\", \"simulateFail\": false}}}")
        .arg(QLatin1String(id));
}

const Saga::StateGraph &seedGraph()
{
    static const Saga::StateGraph graph = [] {
        QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.asl.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing resources/sagas/seed-saga.asl.json");
        return Saga::parseDefinition(f.readAll());
    }();
    return graph;
}

QJsonArray historyEvents(const QString &file)
{
    return QJsonDocument::fromJson(fixture(file)).object().value(QStringLiteral("events")).toArray();
}

SagaAnalysis analyse(const QJsonArray &events)
{
    return Saga::analyzeSaga(seedGraph(), Saga::buildTimeline(Saga::parseHistory(events)));
}

SagaAnalysis analyseFile(const QString &file)
{
    return analyse(historyEvents(file));
}

QStringList column(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, column).data(role).toString();
    return out;
}

} // namespace

class TestSagaModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(seedGraph().isValid(), "the seed definition parses"); }

    // A listing that was on the wire while the execution ended must not
    // bring it back to RUNNING; a redrive (which counts up) does.
    void staleListingsDoNotReviveAnEndedExecution()
    {
        ExecutionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ExecutionEntry running = execution(text("held"), text("RUNNING"));
        model.setExecutions({ running });
        ExecutionEntry done = running;
        done.status = text("SUCCEEDED");
        model.updateExecution(done);
        QCOMPARE(model.entry(0).status, text("SUCCEEDED"));

        model.updateExecution(running); // an older answer
        QCOMPARE(model.entry(0).status, text("SUCCEEDED"));
        model.setExecutions({ running }); // an older listing
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.entry(0).status, text("SUCCEEDED"));

        ExecutionEntry redriven = running;
        redriven.redriveCount = 1;
        model.setExecutions({ redriven });
        QCOMPARE(model.entry(0).status, text("RUNNING"));
        QCOMPARE(model.entry(0).redriveCount, 1);
    }

    // --- inputsearch -------------------------------------------------------

    void scalarTexts()
    {
        QCOMPARE(scalarText(QJsonValue(2.0)), QStringLiteral("2"));
        QCOMPARE(scalarText(QJsonValue(-40.0)), QStringLiteral("-40"));
        QCOMPARE(scalarText(QJsonValue(2.5)), QStringLiteral("2.5"));
        QCOMPARE(scalarText(QJsonValue(true)), QStringLiteral("true"));
        QCOMPARE(scalarText(QJsonValue(QStringLiteral("Ab"))), QStringLiteral("Ab"));
        QCOMPARE(scalarText(QJsonValue(QJsonValue::Null)), QStringLiteral("null"));
        QCOMPARE(scalarText(QJsonValue(QJsonObject())), QString());
        QCOMPARE(scalarText(QJsonValue(QJsonArray())), QString());
    }

    void inputMatches_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("matches");

        const QString tx2 = txInput("2");
        const QString rich
            = text("{'Payload': {'TransactionDetails': {'TransactionId': 42, 'simulateFail': true},"
                   " 'Items': [{'sku': 'ABC-123'}, {'sku': 'xyz'}], 'Customer': 'Ada Lovelace', 'note': null}}");
        QTest::newRow("key=value string") << tx2 << "TransactionId=2" << true;
        QTest::newRow("key=value ignores case") << tx2 << "transactionid=2" << true;
        QTest::newRow("key=value spaces") << tx2 << " TransactionId = 2 " << true;
        QTest::newRow("key=value other value") << tx2 << "TransactionId=3" << false;
        QTest::newRow("key=value is not a prefix") << tx2 << "TransactionId=20" << false;
        QTest::newRow("key=value no partial value") << rich << "Customer=Ada" << false;
        QTest::newRow("key=value number") << rich << "TransactionId=42" << true;
        QTest::newRow("key=value bool") << rich << "simulateFail=TRUE" << true;
        QTest::newRow("key=value inside array") << rich << "sku=abc-123" << true;
        QTest::newRow("key=value object value") << rich << "TransactionDetails=x" << false;
        QTest::newRow("key=value null is not scalar") << rich << "note=null" << false;
        QTest::newRow("key=value wrong key") << tx2 << "Transaction=2" << false;
        QTest::newRow("path=value") << tx2 << "$.Payload.TransactionDetails.TransactionId=2" << true;
        QTest::newRow("path=value wrong") << tx2 << "$.Payload.TransactionId=2" << false;
        QTest::newRow("bare equal") << tx2 << "2" << true;
        QTest::newRow("bare short no contains") << rich << "42x" << false;
        QTest::newRow("bare short not contained") << text("{'id': '123'}") << "12" << false;
        QTest::newRow("bare 3 chars contained") << text("{'id': '0123'}") << "123" << true;
        QTest::newRow("bare contains ignores case") << rich << "lovelace" << true;
        QTest::newRow("bare number") << rich << "42" << true;
        QTest::newRow("bare bool") << rich << "true" << true;
        QTest::newRow("bare key is not a value") << rich << "Customer" << false;
        QTest::newRow("bare null is not scalar") << rich << "null" << false;
        QTest::newRow("invalid input") << QStringLiteral("{\"id\": 2") << "2" << false;
        QTest::newRow("empty input") << QString() << "2" << false;
        QTest::newRow("blank input") << QStringLiteral("   ") << "2" << false;
        QTest::newRow("empty query") << tx2 << "" << false;
        QTest::newRow("blank query") << tx2 << "  " << false;
        QTest::newRow("leading = is bare") << text("{'a': '=x'}") << "=x" << true;
    }

    void inputMatches()
    {
        QFETCH(QString, input);
        QFETCH(QString, query);
        QFETCH(bool, matches);
        QCOMPARE(Models::inputMatches(input, query), matches);
    }

    // --- ExecutionListModel -------------------------------------------------

    void listModelColumns()
    {
        ExecutionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(ExecutionListModel::ColumnCount));
        QCOMPARE(
            model.headerData(ExecutionListModel::OutcomeColumn, Qt::Horizontal).toString(), QStringLiteral("Outcome"));

        ExecutionEntry running = execution(QStringLiteral("run-1"), QStringLiteral("RUNNING"), txInput("7"));
        ExecutionEntry failed = execution(QStringLiteral("fail-1"), QStringLiteral("FAILED"), {}, 5);
        failed.loadError = QStringLiteral("AccessDenied: not allowed\nsecond line");
        model.setNow(running.startDate.addSecs(125));
        model.setExecutions({ running, failed });

        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(running.executionArn), 0);
        QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
        QCOMPARE(model.entry(1).name, QStringLiteral("fail-1"));
        const auto at = [&](int row, int col, int role = Qt::DisplayRole) { return model.index(row, col).data(role); };
        QCOMPARE(at(0, ExecutionListModel::StatusColumn).toString(), QStringLiteral("Running"));
        QCOMPARE(at(1, ExecutionListModel::StatusColumn).toString(), QStringLiteral("Failed"));
        QCOMPARE(at(0, ExecutionListModel::OutcomeColumn).toString(), QStringLiteral("…"));
        QCOMPARE(at(0, ExecutionListModel::OutcomeColumn, ExecutionListModel::OutcomeRole).toInt(), -1);
        QCOMPARE(at(1, ExecutionListModel::OutcomeColumn).toString(), QStringLiteral("⚠ AccessDenied: not allowed"));
        QVERIFY(at(1, ExecutionListModel::OutcomeColumn, Qt::ToolTipRole).toString().contains(u"second line"));
        QCOMPARE(at(1, ExecutionListModel::OutcomeColumn, ExecutionListModel::ToneRole).toInt(), int(SagaTone::Error));
        QCOMPARE(at(1, ExecutionListModel::StatusColumn, ExecutionListModel::ToneRole).toInt(), int(SagaTone::Error));
        QCOMPARE(at(0, ExecutionListModel::StartedColumn).toString(), QStringLiteral("2026-11-23 10:00:00")); // TZ=UTC
        QCOMPARE(at(0, ExecutionListModel::StartedColumn, ExecutionListModel::SortRole).toLongLong(),
            running.startDate.toMSecsSinceEpoch());
        QCOMPARE(at(0, ExecutionListModel::DurationColumn).toString(), QStringLiteral("2 min 05 s"));
        QCOMPARE(at(0, ExecutionListModel::DurationColumn, ExecutionListModel::SortRole).toLongLong(), 125000);
        QCOMPARE(at(1, ExecutionListModel::DurationColumn).toString(), QStringLiteral("1.50 s"));
        QCOMPARE(at(1, ExecutionListModel::DurationColumn, ExecutionListModel::SortRole).toLongLong(), 1505);
        QCOMPARE(at(0, ExecutionListModel::TransactionColumn).toString(), QStringLiteral("7"));
        QCOMPARE(at(1, ExecutionListModel::TransactionColumn).toString(), QString());
        QCOMPARE(at(0, ExecutionListModel::NameColumn, ExecutionListModel::ArnRole).toString(), running.executionArn);
        QCOMPARE(at(0, ExecutionListModel::NameColumn, Qt::ToolTipRole).toString(), running.executionArn);
        QCOMPARE(at(0, ExecutionListModel::NameColumn, ExecutionListModel::InputRole).toString(), txInput("7"));
        QCOMPARE(at(0, ExecutionListModel::NameColumn, ExecutionListModel::StatusRole).toString(),
            QStringLiteral("RUNNING"));

        // setNow: only the running row's Duration changes.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setNow(running.startDate.addSecs(3 * 3600 + 60));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, ExecutionListModel::DurationColumn));
        QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(0, ExecutionListModel::DurationColumn));
        QCOMPARE(at(0, ExecutionListModel::DurationColumn).toString(), QStringLiteral("3 h 01 min"));

        // Another transaction path, with an array index.
        ExecutionEntry items = execution(QStringLiteral("items"), QStringLiteral("SUCCEEDED"),
            text("{'Payload': {'Items': [{'sku': 'A-1'}, {'sku': 'B-2'}]}}"), 9);
        model.updateExecution(items); // unknown arn: nothing
        QCOMPARE(model.rowCount(), 2);
        model.setExecutions({ running, failed, items });
        QSignalSpy header(&model, &QAbstractItemModel::headerDataChanged);
        model.setTransactionPath(QStringLiteral("$.Payload.Items[1].sku"));
        QCOMPARE(header.size(), 1);
        QCOMPARE(at(2, ExecutionListModel::TransactionColumn).toString(), QStringLiteral("B-2"));
        QCOMPARE(at(0, ExecutionListModel::TransactionColumn).toString(), QString());
        model.setTransactionPath(QString()); // back to the default
        QCOMPARE(model.transactionPath(), ExecutionListModel::defaultTransactionPath());
        QCOMPARE(at(0, ExecutionListModel::TransactionColumn).toString(), QStringLiteral("7"));
    }

    void listModelInPlace()
    {
        ExecutionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const ExecutionEntry a = execution(QStringLiteral("a"), QStringLiteral("SUCCEEDED"), txInput("1"), 1);
        const ExecutionEntry b = execution(QStringLiteral("b"), QStringLiteral("RUNNING"), txInput("2"), 2);
        const ExecutionEntry c = execution(QStringLiteral("c"), QStringLiteral("FAILED"), txInput("3"), 3);
        model.setExecutions({ a, b, c });
        QCOMPARE(model.rowCount(), 3);

        QPersistentModelIndex pb(model.index(model.rowOf(b.executionArn), ExecutionListModel::StatusColumn));
        QPersistentModelIndex pc(model.index(model.rowOf(c.executionArn), ExecutionListModel::NameColumn));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        // The same list again: nothing happens.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setExecutions({ a, b, c });
        QCOMPARE(changed.size(), 0);

        // a gone, b finished, d new (ListExecutions order: newest first).
        ExecutionEntry b2 = b;
        b2.status = QStringLiteral("SUCCEEDED");
        b2.stopDate = b.startDate.addSecs(30);
        const ExecutionEntry d = execution(QStringLiteral("d"), QStringLiteral("RUNNING"), txInput("4"), 4);
        model.setExecutions({ d, c, b2 });
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(pb.isValid());
        QCOMPARE(pb.data().toString(), QStringLiteral("Succeeded"));
        QCOMPARE(pc.data().toString(), QStringLiteral("c"));
        QCOMPARE(model.rowOf(d.executionArn), 2);
        QCOMPARE(model.rowOf(a.executionArn), -1);
        QCOMPARE(model.index(model.rowOf(d.executionArn), 0).data(ExecutionListModel::OrderRole).toInt(), 0);

        // The outcome arrives for one row: one dataChanged for that row.
        changed.clear();
        ExecutionEntry b3 = withOutcome(b2, SagaOutcome::Compensated);
        b3.outcomeSentence = QStringLiteral("Rolled back cleanly after CommitRecords failed");
        QCOMPARE(model.updateExecution(b3), pb.row());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), pb.row());
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), pb.row());
        const QModelIndex outcome = model.index(pb.row(), ExecutionListModel::OutcomeColumn);
        QCOMPARE(outcome.data().toString(), QStringLiteral("Compensated"));
        QCOMPARE(outcome.data(Qt::ToolTipRole).toString(), b3.outcomeSentence);
        QCOMPARE(outcome.data(ExecutionListModel::OutcomeRole).toInt(), int(SagaOutcome::Compensated));
        QCOMPARE(outcome.data(ExecutionListModel::ToneRole).toInt(), int(SagaTone::Warning));
        // Unchanged update: no signal.
        changed.clear();
        model.updateExecution(b3);
        QCOMPARE(changed.size(), 0);
        // A later list without outcomes would drop it; the explorer merges, the model shows what it is given.
        QCOMPARE(reset.size(), 0);

        ExecutionEntry compensating = withOutcome(d, SagaOutcome::Running);
        compensating.compensating = true;
        model.updateExecution(compensating);
        QCOMPARE(model.index(model.rowOf(d.executionArn), ExecutionListModel::OutcomeColumn).data().toString(),
            QStringLiteral("Compensating"));
        QCOMPARE(model.index(model.rowOf(c.executionArn), ExecutionListModel::OutcomeColumn).data().toString(),
            QStringLiteral("…"));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf(b.executionArn), -1);
    }

    // --- ExecutionFilterProxy ------------------------------------------------

    void filterProxy()
    {
        ExecutionListModel model;
        ExecutionFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setExecutions({
            withOutcome(execution(QStringLiteral("order-ok"), QStringLiteral("SUCCEEDED"), txInput("1"), 1),
                SagaOutcome::Committed),
            withOutcome(execution(QStringLiteral("order-rollback"), QStringLiteral("FAILED"), txInput("2"), 2),
                SagaOutcome::Compensated),
            withOutcome(execution(QStringLiteral("Refund-Bad"), QStringLiteral("FAILED"), txInput("3"), 3),
                SagaOutcome::CompensationFailed),
            execution(QStringLiteral("pending-one"), QStringLiteral("RUNNING"), txInput("12345"), 4),
            execution(QStringLiteral("no-input"), QStringLiteral("ABORTED"), {}, 5),
        });
        const auto names = [&] {
            QStringList out = column(proxy, ExecutionListModel::NameColumn);
            out.sort();
            return out.join(u',');
        };
        QCOMPARE(proxy.rowCount(), 5);

        proxy.setStatuses({ QStringLiteral("FAILED") });
        QCOMPARE(names(), QStringLiteral("Refund-Bad,order-rollback"));
        proxy.setStatuses({ QStringLiteral("FAILED"), QStringLiteral("RUNNING") });
        QCOMPARE(names(), QStringLiteral("Refund-Bad,order-rollback,pending-one"));
        proxy.setStatuses({});

        proxy.setOutcomes({ SagaOutcome::Committed, SagaOutcome::CompensationFailed });
        QCOMPARE(names(), QStringLiteral("Refund-Bad,order-ok"));
        proxy.setOutcomes({ SagaOutcome::Running }); // unknown outcomes are not Running
        QCOMPARE(names(), QString());
        proxy.setOutcomes({});
        QCOMPARE(proxy.rowCount(), 5);

        proxy.setSearchText(QStringLiteral("ORDER"));
        QCOMPARE(names(), QStringLiteral("order-ok,order-rollback"));
        proxy.setSearchText(QStringLiteral("TransactionId=2"));
        QCOMPARE(names(), QStringLiteral("order-rollback"));
        proxy.setSearchText(QStringLiteral("3")); // bare, short: equal only
        QCOMPARE(names(), QStringLiteral("Refund-Bad"));
        proxy.setSearchText(QStringLiteral("234")); // bare, 3+ chars: contained in 12345
        QCOMPARE(names(), QStringLiteral("pending-one"));
        proxy.setSearchText(QStringLiteral("false")); // every loaded input has simulateFail false
        QCOMPARE(names(), QStringLiteral("Refund-Bad,order-ok,order-rollback,pending-one"));

        // Filters combine.
        proxy.setStatuses({ QStringLiteral("SUCCEEDED") });
        QCOMPARE(names(), QStringLiteral("order-ok"));
        proxy.setStatuses({});
        proxy.setSearchText(QString());
        QCOMPARE(proxy.rowCount(), 5);

        // A live update re-filters: the running one gets its outcome.
        proxy.setOutcomes({ SagaOutcome::Committed });
        QCOMPARE(names(), QStringLiteral("order-ok"));
        model.updateExecution(
            withOutcome(execution(QStringLiteral("pending-one"), QStringLiteral("SUCCEEDED"), txInput("12345"), 4),
                SagaOutcome::Committed));
        QCOMPARE(names(), QStringLiteral("order-ok,pending-one"));
        proxy.setOutcomes({});

        // Sorting by SortRole: Started by time, Duration by ms.
        proxy.sort(ExecutionListModel::StartedColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, ExecutionListModel::NameColumn).data().toString(), QStringLiteral("no-input"));
        proxy.sort(ExecutionListModel::DurationColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, ExecutionListModel::NameColumn).data().toString(), QStringLiteral("order-ok"));
    }

    // --- StepTableModel ------------------------------------------------------

    void stepModelGrowsInPlace()
    {
        const QJsonArray events = historyEvents(QStringLiteral("seed-fail-commit.history.json"));
        StepTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        QPersistentModelIndex first;
        QJsonArray partial;
        for (const QJsonValue &event : events) {
            partial.append(event);
            const SagaAnalysis analysis = analyse(partial);
            const int before = model.rowCount();
            model.setAnalysis(analysis);
            QCOMPARE(model.rowCount(), int(analysis.timeline.steps.size()));
            QVERIFY(model.rowCount() >= before);
            if (!first.isValid() && model.rowCount() > 0)
                first = QPersistentModelIndex(model.index(0, StepTableModel::StateColumn));
        }
        QCOMPARE(reset.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(inserted.size(), 8); // one step entered per growth
        QVERIFY(first.isValid());
        QCOMPARE(first.row(), 0);
        QCOMPARE(first.data().toString(), QStringLiteral("StartTransaction"));

        QCOMPARE(column(model, StepTableModel::StateColumn),
            QStringList({ QStringLiteral("StartTransaction"), QStringLiteral("ProcessRecords"),
                QStringLiteral("TransformRecords"), QStringLiteral("CommitRecords"),
                QStringLiteral("CommitRecordsRollback"), QStringLiteral("TransformRecordsRollback"),
                QStringLiteral("ProcessRecordsRollback"), QStringLiteral("SagaFailed") }));
        QCOMPARE(column(model, StepTableModel::RoleColumn),
            QStringList({ QStringLiteral("other"), QStringLiteral("forward"), QStringLiteral("forward"),
                QStringLiteral("forward"), QStringLiteral("compensation"), QStringLiteral("compensation"),
                QStringLiteral("compensation"), QStringLiteral("other") }));
        const int commit = 3;
        QCOMPARE(model.index(commit, StepTableModel::StatusColumn).data().toString(), QStringLiteral("Caught"));
        QCOMPARE(model.index(commit, StepTableModel::StatusColumn).data(StepTableModel::ToneRole).toInt(),
            int(SagaTone::Warning));
        QVERIFY(!model.index(commit, StepTableModel::ErrorColumn).data().toString().isEmpty());
        QCOMPARE(model.index(1, StepTableModel::StatusColumn).data().toString(), QStringLiteral("Succeeded"));
        QCOMPARE(model.index(1, StepTableModel::AttemptsColumn).data().toInt(), model.step(1).attempts);
        QCOMPARE(model.index(1, StepTableModel::DurationColumn, {}).data(StepTableModel::SortRole).toLongLong(),
            model.step(1).durationMs());
        QCOMPARE(model.step(7).state, QStringLiteral("SagaFailed"));
        QCOMPARE(model.analysis().outcome, SagaOutcome::Compensated);

        // Another execution with fewer steps: a reset.
        model.setAnalysis(analyseFile(QStringLiteral("seed-success.history.json")));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 6);
    }

    void stepModelNesting()
    {
        QFile f(Test::testData(QStringLiteral("saga/cdk-saga.asl.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Saga::StateGraph cdk = Saga::parseDefinition(f.readAll());
        QVERIFY(cdk.isValid());
        const SagaAnalysis analysis = Saga::analyzeSaga(
            cdk, Saga::buildTimeline(Saga::parseHistory(fixture(QStringLiteral("cdk-success.history.json")))));
        StepTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAnalysis(analysis);
        QCOMPARE(model.rowCount(), 7);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("ProcessRecordsGroup"));
        QCOMPARE(model.index(0, 0).data(StepTableModel::DepthRole).toInt(), 0);
        QCOMPARE(model.index(1, 0).data(StepTableModel::DepthRole).toInt(), 1);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("└ ProcessRecordsTask"));
        QCOMPARE(
            model.index(1, 0).data(StepTableModel::StateNameRole).toString(), QStringLiteral("ProcessRecordsTask"));
        QCOMPARE(model.index(1, StepTableModel::RoleColumn).data().toString(), QStringLiteral("forward"));
    }

    void stepModelDifferentExecutionResets()
    {
        StepTableModel model;
        model.setAnalysis(analyseFile(QStringLiteral("seed-fail-commit.history.json")));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        // Fewer steps than shown: not a growth of the same history.
        model.setAnalysis(analyseFile(QStringLiteral("seed-running.history.json")));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // --- ExecutionCompareModel -----------------------------------------------

    void compareAlignment()
    {
        const SagaAnalysis success = analyseFile(QStringLiteral("seed-success.history.json"));
        const SagaAnalysis failed = analyseFile(QStringLiteral("seed-fail-commit.history.json"));
        ExecutionCompareModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAnalyses(success, failed);
        QCOMPARE(model.outcomeA(), SagaOutcome::Committed);
        QCOMPARE(model.outcomeB(), SagaOutcome::Compensated);
        QCOMPARE(model.columnCount(), int(ExecutionCompareModel::ColumnCount));

        // A's states in order; B's own states where B left A's path.
        const QStringList states = column(model, ExecutionCompareModel::StateColumn);
        QCOMPARE(states,
            QStringList({ QStringLiteral("StartTransaction"), QStringLiteral("ProcessRecords"),
                QStringLiteral("TransformRecords"), QStringLiteral("CommitRecords"),
                QStringLiteral("CommitRecordsRollback"), QStringLiteral("TransformRecordsRollback"),
                QStringLiteral("ProcessRecordsRollback"), QStringLiteral("SagaFailed"),
                QStringLiteral("FinishTransaction"), QStringLiteral("SagaSucceeded") }));
        QStringList differ;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, 0).data(ExecutionCompareModel::DifferRole).toBool())
                differ << states.at(row);
        QCOMPARE(differ,
            QStringList({ QStringLiteral("CommitRecords"), QStringLiteral("CommitRecordsRollback"),
                QStringLiteral("TransformRecordsRollback"), QStringLiteral("ProcessRecordsRollback"),
                QStringLiteral("SagaFailed"), QStringLiteral("FinishTransaction"), QStringLiteral("SagaSucceeded") }));
        QCOMPARE(model.differenceCount(), 7);

        const auto cell = [&](int row, int col) { return model.index(row, col).data().toString(); };
        QCOMPARE(cell(3, ExecutionCompareModel::AStatusColumn), QStringLiteral("Succeeded"));
        QCOMPARE(cell(3, ExecutionCompareModel::BStatusColumn), QStringLiteral("Caught"));
        QCOMPARE(cell(4, ExecutionCompareModel::AStatusColumn), QStringLiteral("—"));
        QCOMPARE(cell(4, ExecutionCompareModel::ADurationColumn), QStringLiteral("—"));
        QCOMPARE(cell(4, ExecutionCompareModel::RoleColumn), QStringLiteral("compensation"));
        QCOMPARE(cell(8, ExecutionCompareModel::BStatusColumn), QStringLiteral("—"));
        QCOMPARE(model.index(4, 0).data(ExecutionCompareModel::PresentRole).toInt(), 2);
        QCOMPARE(model.index(8, 0).data(ExecutionCompareModel::PresentRole).toInt(), 1);
        QCOMPARE(model.index(1, 0).data(ExecutionCompareModel::PresentRole).toInt(), 3);
        QCOMPARE(cell(1, ExecutionCompareModel::RoleColumn), QStringLiteral("forward"));
        QVERIFY(!cell(1, ExecutionCompareModel::ADurationColumn).isEmpty());
        QCOMPARE(model.index(1, ExecutionCompareModel::AAttemptsColumn).data(ExecutionCompareModel::SortRole).toInt(),
            success.timeline.steps.at(1).attempts);
        QCOMPARE(model.index(3, ExecutionCompareModel::BStatusColumn).data(ExecutionCompareModel::ToneRole).toInt(),
            int(SagaTone::Warning));

        // Swapped sides: B's (success) own states go right after CommitRecords, where B left A's path.
        model.setAnalyses(failed, success);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(4, 0).data().toString(), QStringLiteral("FinishTransaction"));
        QCOMPARE(model.index(5, 0).data().toString(), QStringLiteral("SagaSucceeded"));
        QCOMPARE(model.index(6, 0).data().toString(), QStringLiteral("CommitRecordsRollback"));
        QCOMPARE(model.differenceCount(), 7);

        // The same execution twice: nothing differs.
        model.setAnalyses(success, success);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.differenceCount(), 0);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSagaModels)
#include "tst_sagamodels.moc"
