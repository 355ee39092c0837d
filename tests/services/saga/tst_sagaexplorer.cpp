// SagaExplorer against moto running the seed saga's moto variant for real:
// state machines listed, the definition loaded with its record source, an
// execution started through the explorer, the listing completed with input
// and outcome, one execution read in full, and the DynamoDB transaction
// record read back (left in place by a commit, removed by a clean rollback).
// One execution per region (moto 5.2.1 runs one per region).
#include "aws/awsconfig.h"
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/endpoints.h"
#include "saga/sagaexplorer.h"
#include "support/motosaga.h"
#include "support/motoserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;
using Saga::SagaExplorer;
using Test::MotoSaga;

Q_DECLARE_METATYPE(Bramble::Core::Error)

class TestSagaExplorer : public QObject {
    Q_OBJECT

private:
    Test::MotoServer m_moto;
    MotoSaga m_saga { m_moto };
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        QStringLiteral("testing"), QStringLiteral("testing"), {}, {}, QStringLiteral("test") } };

    std::unique_ptr<Aws::AwsTransport> transport(const QString &region)
    {
        auto t = std::make_unique<Aws::AwsTransport>(&m_network, &m_credentials, region);
        t->setEndpoint(Aws::ServiceInfo::stepFunctions(), m_moto.endpoint());
        t->setEndpoint(Aws::ServiceInfo::dynamoDb(), m_moto.endpoint());
        return t;
    }

    // Lists the machine's executions until the first one has ended, then
    // returns it with its details.
    Saga::ExecutionEntry waitForFinishedExecution(SagaExplorer &explorer, const QString &machineArn)
    {
        for (int attempt = 0; attempt < 60; ++attempt) {
            QSignalSpy listed(&explorer, &SagaExplorer::executionsListed);
            QSignalSpy updated(&explorer, &SagaExplorer::executionUpdated);
            explorer.listExecutions(machineArn);
            if (!listed.wait(10000))
                return {};
            const auto entries = listed.first().at(1).value<QList<Saga::ExecutionEntry>>();
            if (entries.size() == 1 && entries.first().status != QLatin1String("RUNNING")) {
                if (entries.first().outcomeLoaded)
                    return entries.first(); // cached from an earlier listing
                if (!updated.wait(10000))
                    return {};
                return updated.first().first().value<Saga::ExecutionEntry>();
            }
            QTest::qWait(300);
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Core::Error>();
        QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
        QVERIFY2(m_moto.enableStateMachineExecution(), qPrintable(m_moto.errorString()));
    }

    void committedSagaLeavesItsRecord()
    {
        const QString region = QStringLiteral("us-east-1");
        QString error;
        QVERIFY2(m_saga.deploy(region, MotoSaga::definition(), &error), qPrintable(error));
        auto t = transport(region);
        SagaExplorer explorer(t.get());

        QSignalSpy machines(&explorer, &SagaExplorer::stateMachinesListed);
        explorer.listStateMachines();
        QVERIFY(machines.wait(10000));
        const auto list = machines.first().at(0).value<QList<Aws::StateMachineSummary>>();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().stateMachineArn, MotoSaga::machineArn(region));

        const QString machineArn = MotoSaga::machineArn(region);
        QSignalSpy loaded(&explorer, &SagaExplorer::machineLoaded);
        explorer.loadMachine(machineArn);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.first().at(1).value<Core::Error>().isNull());
        const Saga::LoadedMachine *m = explorer.machine(machineArn);
        QVERIFY(m);
        QVERIFY(m->graph.isValid());
        QCOMPARE(m->recordFromDefinition.table, MotoSaga::table());
        QCOMPARE(explorer.roles(machineArn).forwardSteps,
            (QStringList { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords"),
                QStringLiteral("CommitRecords") }));

        QSignalSpy started(&explorer, &SagaExplorer::actionFinished);
        explorer.startExecution(machineArn, QStringLiteral("txn-1"), MotoSaga::input(QStringLiteral("1"), false));
        QVERIFY(started.wait(10000));
        QCOMPARE(started.first().at(0).value<SagaExplorer::Action>(), SagaExplorer::Action::Start);
        QVERIFY2(started.first().at(2).value<Core::Error>().isNull(),
            qPrintable(started.first().at(2).value<Core::Error>().toString()));
        const QString arn = started.first().at(1).toString();
        QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:seed-saga:txn-1"));

        const Saga::ExecutionEntry e = waitForFinishedExecution(explorer, machineArn);
        QCOMPARE(e.executionArn, arn);
        QVERIFY2(e.loadError.isEmpty(), qPrintable(e.loadError));
        QVERIFY(e.inputLoaded);
        QCOMPARE(QJsonDocument::fromJson(e.input.toUtf8()),
            QJsonDocument::fromJson(MotoSaga::input(QStringLiteral("1"), false).toUtf8()));
        QVERIFY(e.outcomeLoaded);
        QCOMPARE(e.outcome, Saga::SagaOutcome::Committed);
        QCOMPARE(
            e.outcomeSentence, QStringLiteral("Committed: ProcessRecords, TransformRecords, CommitRecords succeeded"));

        // Listing again: the finished execution's details come from the cache.
        QSignalSpy relisted(&explorer, &SagaExplorer::executionsListed);
        QSignalSpy progress(&explorer, &SagaExplorer::detailsProgress);
        explorer.listExecutions(machineArn);
        QVERIFY(relisted.wait(10000));
        QVERIFY(relisted.first().at(1).value<QList<Saga::ExecutionEntry>>().first().outcomeLoaded);
        QVERIFY(!explorer.isLoadingDetails());
        QCOMPARE(progress.size(), 0);

        QSignalSpy record(&explorer, &SagaExplorer::recordFetched);
        const Saga::RecordKey key = Saga::recordKeyFor(m->recordFromDefinition, e.input);
        QVERIFY2(key.isValid(), qPrintable(key.error));
        explorer.fetchRecord(arn, m->recordFromDefinition.table, key.key);
        QVERIFY(record.wait(10000));
        QVERIFY(record.first().at(3).value<Core::Error>().isNull());
        QVERIFY(record.first().at(2).toBool());
        const QJsonObject item = record.first().at(1).toJsonObject();
        QCOMPARE(item.value(QStringLiteral("TransactionId")).toString(), QStringLiteral("1"));
        QCOMPARE(item.value(QStringLiteral("CommitRecords")).toString(), QStringLiteral("Sample CommitRecords data"));
        QCOMPARE(Saga::attributesOfSteps(item, explorer.roles(machineArn).forwardSteps).size(), 3);
    }

    void compensatedSagaRemovesItsRecord()
    {
        const QString region = QStringLiteral("eu-west-1");
        QString error;
        QVERIFY2(m_saga.deploy(region, MotoSaga::definition(), &error), qPrintable(error));
        auto t = transport(region);
        SagaExplorer explorer(t.get());
        const QString machineArn = MotoSaga::machineArn(region);
        QSignalSpy started(&explorer, &SagaExplorer::actionFinished);
        explorer.startExecution(machineArn, QStringLiteral("txn-2"), MotoSaga::input(QStringLiteral("2"), true));
        QVERIFY(started.wait(10000));
        const QString arn = started.first().at(1).toString();
        const Saga::ExecutionEntry e = waitForFinishedExecution(explorer, machineArn);
        QCOMPARE(e.outcome, Saga::SagaOutcome::Compensated);
        QCOMPARE(e.failedStep, QStringLiteral("CommitRecords"));
        QCOMPARE(e.status, QStringLiteral("FAILED"));

        QSignalSpy loaded(&explorer, &SagaExplorer::executionLoaded);
        explorer.loadExecution(arn);
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.first().at(2).value<Core::Error>().isNull());
        const auto execution = loaded.first().at(1).value<Saga::LoadedExecution>();
        QCOMPARE(execution.analysis.outcome, Saga::SagaOutcome::Compensated);
        QVERIFY(execution.stats.eventCount > 20);
        QCOMPARE(execution.entry.outcomeSentence, QStringLiteral("Rolled back cleanly after CommitRecords failed"));
        // With data: the step inputs are there.
        QVERIFY(!execution.analysis.timeline.steps.first().input.isEmpty());

        QSignalSpy record(&explorer, &SagaExplorer::recordFetched);
        explorer.fetchRecord(
            arn, MotoSaga::table(), QJsonObject { { QStringLiteral("TransactionId"), QStringLiteral("2") } });
        QVERIFY(record.wait(10000));
        QVERIFY(record.first().at(3).value<Core::Error>().isNull());
        QVERIFY(!record.first().at(2).toBool()); // the rollbacks deleted it
        QCOMPARE(record.first().at(1).toJsonObject(), QJsonObject());
    }

    // A failure at each forward step (its table does not exist), and retries
    // (CommitRecords retried twice on its condition failure before the Catch):
    // outcome, failed step, attempts, dangling set and what is left in DynamoDB.
    void failureAtEachStep_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("failing");
        QTest::addColumn<bool>("retry");
        QTest::newRow("ProcessRecords") << QStringLiteral("ca-central-1") << QStringLiteral("ProcessRecords") << false;
        QTest::newRow("TransformRecords")
            << QStringLiteral("eu-central-1") << QStringLiteral("TransformRecords") << false;
        QTest::newRow("CommitRecords, retried")
            << QStringLiteral("sa-east-1") << QStringLiteral("CommitRecords") << true;
    }

    void failureAtEachStep()
    {
        QFETCH(QString, region);
        QFETCH(QString, failing);
        QFETCH(bool, retry);
        QJsonObject definition = QJsonDocument::fromJson(MotoSaga::definition()).object();
        QJsonObject states = definition.value(QStringLiteral("States")).toObject();
        QJsonObject step = states.value(failing).toObject();
        if (retry) {
            step.insert(QStringLiteral("Retry"),
                QJsonArray {
                    QJsonObject { { QStringLiteral("ErrorEquals"),
                                      QJsonArray { QStringLiteral("DynamoDB.ConditionalCheckFailedException") } },
                        { QStringLiteral("IntervalSeconds"), 1 }, { QStringLiteral("MaxAttempts"), 2 },
                        { QStringLiteral("BackoffRate"), 1.0 } } });
        } else {
            QJsonObject parameters = step.value(QStringLiteral("Parameters")).toObject();
            parameters.insert(QStringLiteral("TableName"), QStringLiteral("NoSuchTable"));
            step.insert(QStringLiteral("Parameters"), parameters);
        }
        states.insert(failing, step);
        definition.insert(QStringLiteral("States"), states);
        QString error;
        QVERIFY2(m_saga.deploy(region, QJsonDocument(definition).toJson(), &error), qPrintable(error));

        auto t = transport(region);
        SagaExplorer explorer(t.get());
        const QString machineArn = MotoSaga::machineArn(region);
        QSignalSpy started(&explorer, &SagaExplorer::actionFinished);
        explorer.startExecution(
            machineArn, QStringLiteral("fail-%1").arg(failing), MotoSaga::input(QStringLiteral("9"), retry));
        QVERIFY(started.wait(10000));
        const QString arn = started.first().at(1).toString();
        const Saga::ExecutionEntry e = waitForFinishedExecution(explorer, machineArn);
        QCOMPARE(e.executionArn, arn);
        QCOMPARE(e.outcome, Saga::SagaOutcome::Compensated);
        QCOMPARE(e.failedStep, failing);
        QCOMPARE(e.dangling, QStringList());

        QSignalSpy loaded(&explorer, &SagaExplorer::executionLoaded);
        explorer.loadExecution(arn);
        QVERIFY(loaded.wait(10000));
        const auto execution = loaded.first().at(1).value<Saga::LoadedExecution>();
        int attempts = 0;
        QStringList compensations;
        for (qsizetype i = 0; i < execution.analysis.timeline.steps.size(); ++i) {
            const Saga::Step &s = execution.analysis.timeline.steps.at(i);
            if (s.state == failing)
                attempts = s.attempts;
            if (execution.analysis.stepRoles.value(i) == Saga::StateRole::Compensation)
                compensations << s.state;
        }
        QCOMPARE(attempts, retry ? 3 : 1);
        // The rollbacks of the failed step and of every step before it ran, newest first.
        const QStringList all { QStringLiteral("CommitRecordsRollback"), QStringLiteral("TransformRecordsRollback"),
            QStringLiteral("ProcessRecordsRollback") };
        QCOMPARE(compensations, all.mid(all.indexOf(failing + QStringLiteral("Rollback"))));
        // Nothing is left: ProcessRecordsRollback deletes the item.
        QCOMPARE(m_saga.item(region, QStringLiteral("9")), QJsonObject());
    }

    void errorsAreReported()
    {
        auto t = transport(QStringLiteral("ap-south-1"));
        SagaExplorer explorer(t.get());
        const QString machineArn = MotoSaga::machineArn(QStringLiteral("ap-south-1"));
        QSignalSpy loaded(&explorer, &SagaExplorer::executionLoaded);
        // The service's own answer, not any failure (a dead server fails too).
        const QString missing
            = QString(machineArn).replace(QStringLiteral(":stateMachine:"), QStringLiteral(":execution:"))
            + QStringLiteral(":nope");
        explorer.loadExecution(missing);
        QVERIFY(loaded.wait(10000));
        const Core::Error error = loaded.first().at(2).value<Core::Error>();
        QCOMPARE(error.kind, Core::Error::Kind::NotFound);
        QCOMPARE(error.reason, QStringLiteral("ExecutionDoesNotExist"));
        QCOMPARE(error.operation, QStringLiteral("DescribeExecution"));
        QCOMPARE(error.httpStatus, 400);
        QVERIFY2(error.message.contains(QStringLiteral("nope")), qPrintable(error.message));
        QSignalSpy record(&explorer, &SagaExplorer::recordFetched);
        explorer.fetchRecord(
            QStringLiteral("x"), QStringLiteral("NoSuchTable"), QJsonObject { { QStringLiteral("k"), 1 } });
        QVERIFY(record.wait(10000));
        QCOMPARE(record.first().at(3).value<Core::Error>().reason, QStringLiteral("ResourceNotFoundException"));
    }
};

QTEST_GUILESS_MAIN(TestSagaExplorer)
#include "tst_sagaexplorer.moc"
