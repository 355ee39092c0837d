// bramblectl local run | serve: the local runtime as scripts use it. `run`
// executes the seed saga in process on the builtin functions and exits with
// the saga outcome; `serve` answers the sagas commands through
// --endpoint-url and stops cleanly on SIGTERM.

#include "support/clirun.h"
#include "support/testpaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Bramble;
using Run = Test::CliRun;

namespace {

QString seedSaga()
{
    return Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.asl.json");
}

QString seedInput(const QString &id, bool simulateFail)
{
    return QStringLiteral(R"({"Payload":{"TransactionDetails":{"TransactionId":"%1","simulateFail":%2}}})")
        .arg(id, simulateFail ? QStringLiteral("true") : QStringLiteral("false"));
}

} // namespace

class TestBramblectlLocal : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        e.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        e.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        e.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("testing"));
        e.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("testing"));
        e.insert(QStringLiteral("AWS_REGION"), QStringLiteral("us-east-1"));
        return e;
    }

    Run run(const QStringList &args) const { return Test::runBramblectl(args, env()); }

    Run localRun(const QString &input, const QStringList &more = {}) const
    {
        return run(QStringList { QStringLiteral("local"), QStringLiteral("run"), seedSaga(), QStringLiteral("--input"),
                       input, QStringLiteral("--time-scale"), QStringLiteral("0"), QStringLiteral("--json") }
            + more);
    }

private Q_SLOTS:
    void runCommitsTheSeedSaga()
    {
        const Run r = localRun(seedInput(QStringLiteral("1"), false));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject analysis = r.object();
        QCOMPARE(analysis[u"outcome"].toString(), QStringLiteral("COMMITTED"));
        QStringList states;
        for (const QJsonValue &step : analysis[u"steps"].toArray())
            states << step[u"state"].toString();
        QVERIFY2(states.contains(u"CommitRecords"_qs) && states.contains(u"FinishTransaction"_qs),
            qPrintable(states.join(u' ')));
        QVERIFY2(!states.contains(u"CommitRecordsRollback"_qs), qPrintable(states.join(u' ')));
    }

    void runRollsBackWhenAStepFails()
    {
        const Run r = localRun(seedInput(QStringLiteral("2"), true));
        QVERIFY2(r.exitCode == 3, qPrintable(r.describe()));
        const QJsonObject analysis = r.object();
        QCOMPARE(analysis[u"outcome"].toString(), QStringLiteral("COMPENSATED"));
        QCOMPARE(analysis[u"failedStep"].toString(), QStringLiteral("CommitRecords"));
    }

    void runRefusesBadInput()
    {
        const Run badJson = localRun(QStringLiteral("{not json"));
        QVERIFY2(badJson.exitCode == 2, qPrintable(badJson.describe()));
        QVERIFY2(badJson.err.contains("offset"), badJson.err.constData());

        const Run missing = run({ QStringLiteral("local"), QStringLiteral("run"),
            m_dir.filePath(QStringLiteral("missing.json")), QStringLiteral("--input"), QStringLiteral("{}") });
        QVERIFY2(missing.exitCode == 1, qPrintable(missing.describe()));

        const QString broken = Test::writeFile(m_dir.filePath(QStringLiteral("broken.json")),
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}");
        const Run invalid
            = run({ QStringLiteral("local"), QStringLiteral("run"), broken, QStringLiteral("--input"), u"{}"_qs });
        QVERIFY2(invalid.exitCode == 1, qPrintable(invalid.describe()));
        QVERIFY2(invalid.err.contains("/States/A/Next"), invalid.err.constData());

        QCOMPARE(run({ QStringLiteral("local") }).exitCode, 2);
        QCOMPARE(run({ QStringLiteral("local"), QStringLiteral("sideways") }).exitCode, 2);
        QCOMPARE(
            localRun(seedInput(u"1"_qs, false), { QStringLiteral("--time-scale"), QStringLiteral("-1") }).exitCode, 2);
    }

    void runUsesAFunctionsFile()
    {
        // Every seed step on one command that echoes its event: nothing fails,
        // so the saga commits, and the steps' output is the command's.
        const QString script = Test::writeFile(m_dir.filePath(QStringLiteral("echo.py")),
            "import json, sys\nevent = json.load(sys.stdin)\nevent['echoed'] = True\nprint(json.dumps(event))\n");
        QByteArray yaml = "functions:\n";
        for (const char *step : { "ProcessRecords", "TransformRecords", "CommitRecords" })
            yaml += QByteArray("  saga-") + step + ":\n    command: [python3, " + script.toUtf8() + "]\n";
        const QString functions = Test::writeFile(m_dir.filePath(QStringLiteral("functions.yaml")), yaml);
        const Run r = localRun(seedInput(u"3"_qs, true), { QStringLiteral("--functions"), functions });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.object()[u"outcome"].toString(), QStringLiteral("COMMITTED"));

        const QString bad
            = Test::writeFile(m_dir.filePath(QStringLiteral("bad.yaml")), "functions:\n  f: {nothing: 1}\n");
        const Run refused = localRun(seedInput(u"3"_qs, false), { QStringLiteral("--functions"), bad });
        QVERIFY2(refused.exitCode == 1, qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("bad.yaml"), refused.err.constData());
    }

    void serveAnswersTheSagasCommands()
    {
        QProcess server;
        server.setProcessEnvironment(env());
        server.start(Test::bramblectlPath(),
            { QStringLiteral("local"), QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                QStringLiteral("--data"), m_dir.filePath(QStringLiteral("serve-data")), QStringLiteral("--sample"),
                QStringLiteral("--time-scale"), QStringLiteral("0") });
        QVERIFY(server.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.canReadLine() || server.state() != QProcess::Running, 20000);
        const QString line = QString::fromUtf8(server.readLine()).trimmed();
        const QRegularExpressionMatch m
            = QRegularExpression(QStringLiteral("^listening on (http://127\\.0\\.0\\.1:\\d+)$")).match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line + QString::fromUtf8(server.readAllStandardError())));
        const QString endpoint = m.captured(1);

        const Run list = run({ QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("sagas"),
            QStringLiteral("list"), QStringLiteral("--json") });
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QVERIFY2(!Test::objectNamed(list.array(), QStringLiteral("seed-saga")).isEmpty(), list.out.constData());

        const Run started = run({ QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("sagas"),
            QStringLiteral("start"), QStringLiteral("seed-saga"), QStringLiteral("--input"), seedInput(u"9"_qs, true),
            QStringLiteral("--json") });
        QVERIFY2(started.exitCode == 0, qPrintable(started.describe()));
        const QString arn = started.object()[u"executionArn"].toString();
        QVERIFY2(arn.contains(u":execution:seed-saga:"), qPrintable(arn));

        const Run watched = run({ QStringLiteral("--endpoint-url"), endpoint, QStringLiteral("sagas"),
            QStringLiteral("watch"), arn, QStringLiteral("--json") });
        QVERIFY2(watched.exitCode == 3, qPrintable(watched.describe()));

        ::kill(pid_t(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBramblectlLocal)
#include "tst_bramblectl_local.moc"
