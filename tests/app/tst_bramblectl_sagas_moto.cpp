// bramblectl sagas start | watch | show | executions against moto running
// the seed saga's moto variant (resources/sagas/seed-saga.moto.asl.json) for
// real: DynamoDB tasks write the transaction's item, Catch runs the
// rollbacks. Asserts the outcome, the failed step, the dangling set, the exit
// codes of `sagas watch` and what the rollbacks left in DynamoDB.
//
// moto 5.2.1 runs only one execution per region once execution is enabled
// (the second StartExecution deep-copies the backend with the first
// execution's thread lock: HTTP 500), so each run gets its own region.

#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/endpoints.h"
#include "support/clirun.h"
#include "support/motosaga.h"
#include "support/motoserver.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Bramble;

namespace {

using Run = Test::CliRun;

const QString committedRegion = QStringLiteral("us-east-1");
const QString compensatedRegion = QStringLiteral("eu-west-1");
const QString rollbackFailsRegion = QStringLiteral("us-west-2");
const QString waitingRegion = QStringLiteral("ap-southeast-2");
const QString machineName = Test::MotoSaga::machineName();

QString machineArn(const QString &region)
{
    return Test::MotoSaga::machineArn(region);
}

QString sagaInput(const QString &transactionId, bool simulateFail)
{
    return Test::MotoSaga::input(transactionId, simulateFail);
}

QStringList strings(const QJsonValue &array)
{
    QStringList list;
    for (const QJsonValue &v : array.toArray())
        list << v.toString();
    list.sort();
    return list;
}

// The status of the first visit of `state` in `sagas show --json` steps.
QString stepStatus(const QJsonObject &analysis, const QString &state)
{
    for (const QJsonValue &v : analysis.value(QStringLiteral("steps")).toArray())
        if (v.toObject().value(QStringLiteral("state")).toString() == state)
            return v.toObject().value(QStringLiteral("status")).toString();
    return {};
}

// moto's Step Functions interpreter sends a DynamoDB task's request to
// localhost:$MOTO_PORT (5000 when unset), not to the server it runs in: point
// it back at this one.

} // namespace

class TestBramblectlSagasMoto : public QObject {
    Q_OBJECT

private:
    Test::MotoServer m_moto;
    Test::MotoSaga m_saga { m_moto };
    QByteArray m_definition;

    Run run(const QString &region, QStringList args, int timeoutMs = 60000) const
    {
        args << QStringLiteral("--region") << region << QStringLiteral("--endpoint-url")
             << m_moto.endpoint().toString();
        return Test::runBramblectl(args, m_moto.clientEnvironment(), timeoutMs);
    }

    // The saga's table and state machine in `region`, from `definition`.
    void deploy(const QString &region, const QByteArray &definition)
    {
        QString error;
        QVERIFY2(m_saga.deploy(region, definition, &error), qPrintable(error));
    }

    QJsonObject item(const QString &region, const QString &transactionId) { return m_saga.item(region, transactionId); }

    // `sagas show EXECUTION --json` after the execution ended.
    QJsonObject show(const QString &region, const QString &executionArn)
    {
        const Run r
            = run(region, { QStringLiteral("sagas"), QStringLiteral("show"), executionArn, QStringLiteral("--json") });
        if (r.exitCode != 0)
            qWarning("sagas show: %s", qPrintable(r.describe()));
        return r.object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(Test::bramblectlPath()));
        QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.moto.asl.json"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        m_definition = f.readAll();
        QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
        QVERIFY2(m_moto.enableStateMachineExecution(), qPrintable(m_moto.errorString()));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString arn = machineArn(committedRegion);
        QTest::newRow("bad status") << QStringList { QStringLiteral("executions"), arn, QStringLiteral("--status"),
            QStringLiteral("DONE") } << QStringLiteral("--status: \"DONE\" is not one of RUNNING, SUCCEEDED");
        QTest::newRow("executions without machine")
            << QStringList { QStringLiteral("executions") } << QStringLiteral("exactly one STATE_MACHINE");
        QTest::newRow("bad json") << QStringList { QStringLiteral("start"), arn, QStringLiteral("--input"),
            QStringLiteral("{\"a\":") }
                                  << QStringLiteral("--input: invalid JSON at offset 5: unterminated object");
        QTest::newRow("no input") << QStringList { QStringLiteral("start"), arn }
                                  << QStringLiteral("needs --input JSON");
        QTest::newRow("bad name") << QStringList { QStringLiteral("start"), arn, QStringLiteral("--input"),
            QStringLiteral("{}"), QStringLiteral("--name"), QStringLiteral("a b") }
                                  << QStringLiteral("--name: \"a b\" is not a valid execution name");
        QTest::newRow("watch two arns") << QStringList { QStringLiteral("watch"), arn, arn }
                                        << QStringLiteral("exactly one EXECUTION_ARN");
        QTest::newRow("unknown subcommand")
            << QStringList { QStringLiteral("replay") } << QStringLiteral("unknown subcommand \"replay\"");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(committedRegion, QStringList { QStringLiteral("sagas") } + args);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(QString::fromUtf8(r.err).contains(message), qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
    }

    void unknownMachine()
    {
        const Run r = run(committedRegion,
            { QStringLiteral("sagas"), QStringLiteral("start"), QStringLiteral("no-such-saga"),
                QStringLiteral("--input"), QStringLiteral("{}") });
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("no state machine named \"no-such-saga\" in us-east-1"), qPrintable(r.describe()));
    }

    void committed()
    {
        deploy(committedRegion, m_definition);
        if (QTest::currentTestFailed())
            return;
        // By name, with a name, JSON out.
        const Run s = run(committedRegion,
            { QStringLiteral("sagas"), QStringLiteral("start"), machineName, QStringLiteral("--input"),
                sagaInput(QStringLiteral("1"), false), QStringLiteral("--name"), QStringLiteral("commit-1"),
                QStringLiteral("--json") });
        QVERIFY2(s.exitCode == 0, qPrintable(s.describe()));
        const QString arn = s.object().value(QStringLiteral("executionArn")).toString();
        QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:seed-saga:commit-1"));
        QVERIFY(QDateTime::fromString(s.object().value(QStringLiteral("startDate")).toString(), Qt::ISODateWithMs)
                    .isValid());

        const Run w = run(committedRegion, { QStringLiteral("sagas"), QStringLiteral("watch"), arn }, 90000);
        QVERIFY2(w.exitCode == 0, qPrintable(w.describe()));
        for (const char *state :
            { "StartTransaction", "ProcessRecords", "TransformRecords", "CommitRecords", "SagaSucceeded" })
            QVERIFY2(w.out.contains(state), state);
        QVERIFY2(!w.out.contains("Rollback"), w.out.constData());
        QVERIFY2(w.out.endsWith("Outcome: COMMITTED\n"), w.out.constData());

        const QJsonObject a = show(committedRegion, arn);
        QCOMPARE(a.value(QStringLiteral("outcome")).toString(), QStringLiteral("COMMITTED"));
        QCOMPARE(a.value(QStringLiteral("executionStatus")).toString(), QStringLiteral("SUCCEEDED"));
        QVERIFY(a.value(QStringLiteral("failedStep")).isNull());
        QCOMPARE(strings(a.value(QStringLiteral("dangling"))), QStringList());
        QCOMPARE(stepStatus(a, QStringLiteral("CommitRecords")), QStringLiteral("SUCCEEDED"));

        // What the steps wrote stays: a committed transaction.
        const QJsonObject record = item(committedRegion, QStringLiteral("1"));
        for (const char *step : { "ProcessRecords", "TransformRecords", "CommitRecords" })
            QCOMPARE(record.value(QLatin1String(step)).toObject().value(QStringLiteral("S")).toString(),
                QStringLiteral("Sample %1 data").arg(QLatin1String(step)));

        // The table view of the same execution.
        const Run t = run(committedRegion, { QStringLiteral("sagas"), QStringLiteral("show"), arn });
        QVERIFY2(t.exitCode == 0, qPrintable(t.describe()));
        QVERIFY2(t.out.contains("Execution: commit-1 (SUCCEEDED)\n"), t.out.constData());
        QVERIFY2(t.out.contains("Outcome:   COMMITTED\n"), t.out.constData());
    }

    void compensated()
    {
        deploy(compensatedRegion, m_definition);
        if (QTest::currentTestFailed())
            return;
        // By ARN, without a name, text out: the ARN alone.
        const Run s = run(compensatedRegion,
            { QStringLiteral("sagas"), QStringLiteral("start"), machineArn(compensatedRegion),
                QStringLiteral("--input"), sagaInput(QStringLiteral("2"), true) });
        QVERIFY2(s.exitCode == 0, qPrintable(s.describe()));
        const QString arn = QString::fromUtf8(s.out).trimmed();
        QVERIFY2(arn.startsWith(QStringLiteral("arn:aws:states:eu-west-1:123456789012:execution:seed-saga:")),
            qPrintable(arn));
        QVERIFY2(!arn.endsWith(QStringLiteral(":None")), qPrintable(arn)); // named like the service would

        const Run w = run(compensatedRegion, { QStringLiteral("sagas"), QStringLiteral("watch"), arn }, 90000);
        QVERIFY2(w.exitCode == 3, qPrintable(w.describe()));
        for (const char *state :
            { "CommitRecordsRollback", "TransformRecordsRollback", "ProcessRecordsRollback", "SagaFailed" })
            QVERIFY2(w.out.contains(state), state);
        QVERIFY2(w.out.contains(
                     "Outcome: COMPENSATED after CommitRecords failed (DynamoDB.ConditionalCheckFailedException)\n"),
            w.out.constData());

        const QJsonObject a = show(compensatedRegion, arn);
        QCOMPARE(a.value(QStringLiteral("outcome")).toString(), QStringLiteral("COMPENSATED"));
        QCOMPARE(a.value(QStringLiteral("executionStatus")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(a.value(QStringLiteral("failedStep")).toString(), QStringLiteral("CommitRecords"));
        QCOMPARE(
            a.value(QStringLiteral("error")).toString(), QStringLiteral("DynamoDB.ConditionalCheckFailedException"));
        QCOMPARE(strings(a.value(QStringLiteral("dangling"))), QStringList());
        QCOMPARE(stepStatus(a, QStringLiteral("CommitRecords")), QStringLiteral("CAUGHT"));
        QCOMPARE(stepStatus(a, QStringLiteral("ProcessRecordsRollback")), QStringLiteral("SUCCEEDED"));

        // The rollbacks removed every step's data, and ProcessRecords' the item.
        QCOMPARE(item(compensatedRegion, QStringLiteral("2")), QJsonObject());
    }

    void rollbackFails()
    {
        // TransformRecordsRollback writes to a table that does not exist: it
        // fails, nothing catches it, ProcessRecordsRollback never runs.
        QJsonObject definition = QJsonDocument::fromJson(m_definition).object();
        QJsonObject states = definition.value(QStringLiteral("States")).toObject();
        QJsonObject rollback = states.value(QStringLiteral("TransformRecordsRollback")).toObject();
        QJsonObject parameters = rollback.value(QStringLiteral("Parameters")).toObject();
        parameters.insert(QStringLiteral("TableName"), QStringLiteral("NoSuchTable"));
        rollback.insert(QStringLiteral("Parameters"), parameters);
        states.insert(QStringLiteral("TransformRecordsRollback"), rollback);
        definition.insert(QStringLiteral("States"), states);
        deploy(rollbackFailsRegion, QJsonDocument(definition).toJson());
        if (QTest::currentTestFailed())
            return;

        const Run s = run(rollbackFailsRegion,
            { QStringLiteral("sagas"), QStringLiteral("start"), machineName, QStringLiteral("--input"),
                sagaInput(QStringLiteral("3"), true), QStringLiteral("--json") });
        QVERIFY2(s.exitCode == 0, qPrintable(s.describe()));
        const QString arn = s.object().value(QStringLiteral("executionArn")).toString();

        // JSON Lines: one per step change, the analysis last.
        const Run w = run(rollbackFailsRegion,
            { QStringLiteral("sagas"), QStringLiteral("watch"), arn, QStringLiteral("--json") }, 90000);
        QVERIFY2(w.exitCode == 4, qPrintable(w.describe()));
        const QList<QByteArray> lines = w.out.trimmed().split('\n');
        QVERIFY2(lines.size() > 5, w.out.constData());
        const QJsonObject last = QJsonDocument::fromJson(lines.constLast()).object();
        QCOMPARE(last.value(QStringLiteral("outcome")).toString(), QStringLiteral("COMPENSATION_FAILED"));
        const QJsonObject first = QJsonDocument::fromJson(lines.constFirst()).object();
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("StartTransaction"));

        const QJsonObject a = show(rollbackFailsRegion, arn);
        QCOMPARE(a.value(QStringLiteral("outcome")).toString(), QStringLiteral("COMPENSATION_FAILED"));
        QCOMPARE(a.value(QStringLiteral("failedStep")).toString(), QStringLiteral("CommitRecords"));
        QCOMPARE(strings(a.value(QStringLiteral("dangling"))),
            (QStringList { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords") }));
        QCOMPARE(stepStatus(a, QStringLiteral("TransformRecordsRollback")), QStringLiteral("FAILED"));
        QCOMPARE(stepStatus(a, QStringLiteral("ProcessRecordsRollback")), QString()); // never entered

        // The dangling set is what DynamoDB still holds.
        const QJsonObject record = item(rollbackFailsRegion, QStringLiteral("3"));
        QVERIFY2(record.contains(QStringLiteral("ProcessRecords")), QJsonDocument(record).toJson().constData());
        QVERIFY(record.contains(QStringLiteral("TransformRecords")));
        QVERIFY(!record.contains(QStringLiteral("CommitRecords")));
    }

    void executions()
    {
        // After committed() and compensated(): one execution per region.
        const Run j = run(committedRegion,
            { QStringLiteral("sagas"), QStringLiteral("executions"), machineName, QStringLiteral("--json") });
        QVERIFY2(j.exitCode == 0, qPrintable(j.describe()));
        const QJsonArray all = j.array();
        QCOMPARE(all.size(), 1);
        const QJsonObject e = all.first().toObject();
        QCOMPARE(e.value(QStringLiteral("name")).toString(), QStringLiteral("commit-1"));
        QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QCOMPARE(e.value(QStringLiteral("executionArn")).toString(),
            QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:seed-saga:commit-1"));
        const QDateTime start
            = QDateTime::fromString(e.value(QStringLiteral("startDate")).toString(), Qt::ISODateWithMs);
        const QDateTime stop = QDateTime::fromString(e.value(QStringLiteral("stopDate")).toString(), Qt::ISODateWithMs);
        QVERIFY(start.isValid() && stop.isValid() && start <= stop);
        QVERIFY(e.value(QStringLiteral("startDate")).toString().endsWith(u'Z'));

        const Run none = run(committedRegion,
            { QStringLiteral("sagas"), QStringLiteral("executions"), machineName, QStringLiteral("--status"),
                QStringLiteral("FAILED"), QStringLiteral("--json") });
        QVERIFY2(none.exitCode == 0, qPrintable(none.describe()));
        QCOMPARE(none.array().size(), 0);

        const Run failed = run(compensatedRegion,
            { QStringLiteral("sagas"), QStringLiteral("executions"), machineArn(compensatedRegion),
                QStringLiteral("--status"), QStringLiteral("FAILED") });
        QVERIFY2(failed.exitCode == 0, qPrintable(failed.describe()));
        const QList<QByteArray> rows = failed.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 2);
        QVERIFY2(rows.at(0).startsWith("NAME") && rows.at(0).contains("STATUS") && rows.at(0).endsWith("STOP"),
            rows.at(0).constData());
        QVERIFY2(rows.at(1).contains(" FAILED "), rows.at(1).constData());
    }

    void watchStopsOnSigint()
    {
        // A saga that waits: watch follows it live until SIGINT.
        const QByteArray waiting
            = "{\"StartAt\":\"Hold\",\"States\":{\"Hold\":{\"Type\":\"Wait\",\"Seconds\":120,\"Next\":\"Done\"},"
              "\"Done\":{\"Type\":\"Succeed\"}}}";
        deploy(waitingRegion, waiting);
        if (QTest::currentTestFailed())
            return;
        const Run s = run(waitingRegion,
            { QStringLiteral("sagas"), QStringLiteral("start"), machineName, QStringLiteral("--input"),
                QStringLiteral("{}"), QStringLiteral("--name"), QStringLiteral("hold") });
        QVERIFY2(s.exitCode == 0, qPrintable(s.describe()));

        QProcess p;
        p.setProcessEnvironment(m_moto.clientEnvironment());
        p.start(Test::bramblectlPath(),
            { QStringLiteral("sagas"), QStringLiteral("watch"), QString::fromUtf8(s.out).trimmed(),
                QStringLiteral("--region"), waitingRegion, QStringLiteral("--endpoint-url"),
                m_moto.endpoint().toString() });
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("Hold"), 20000);
        QVERIFY2(out.contains("RUNNING"), out.constData());
        QCOMPARE(p.state(), QProcess::Running); // still following
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
    }
};

QTEST_GUILESS_MAIN(TestBramblectlSagasMoto)
#include "tst_bramblectl_sagas_moto.moc"
