// bramblectl asl validate and sagas analyze on saved files: exit codes,
// error lines with JSON pointers, and the analysis JSON scripts read.

#include "support/clirun.h"
#include "support/testpaths.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using Run = Test::CliRun;

class TestBramblectlSagas : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Run run(const QStringList &args) const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        return Test::runBramblectl(args, env);
    }

    static QString data(const QString &name) { return Test::testData(QStringLiteral("saga/") + name); }

    Run analyze(const QString &definition, const QString &history) const
    {
        return run({ QStringLiteral("sagas"), QStringLiteral("analyze"), QStringLiteral("--definition"),
            data(definition), QStringLiteral("--history"), data(history), QStringLiteral("--json") });
    }

private Q_SLOTS:
    void validate()
    {
        const Run ok
            = run({ QStringLiteral("asl"), QStringLiteral("validate"), data(QStringLiteral("seed-saga.asl.json")) });
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
        QVERIFY(ok.out.contains("valid, 10 states"));

        const QString broken = Test::writeFile(m_dir.filePath(QStringLiteral("broken.json")),
            "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}");
        const Run bad = run({ QStringLiteral("asl"), QStringLiteral("validate"), broken });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("/States/A/Next"), bad.err.constData());
        QVERIFY2(bad.err.contains("Nowhere"), bad.err.constData());
        QVERIFY(bad.out.isEmpty());

        QCOMPARE(run({ QStringLiteral("asl"), QStringLiteral("validate") }).exitCode, 2);
        QCOMPARE(run({ QStringLiteral("asl") }).exitCode, 2);
        QCOMPARE(
            run({ QStringLiteral("asl"), QStringLiteral("validate"), m_dir.filePath(QStringLiteral("missing.json")) })
                .exitCode,
            1);
    }

    void analyzeOutcomes_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("history");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("executionStatus");
        QTest::addColumn<bool>("dangling");
        QTest::newRow("success") << "seed-saga.asl.json"
                                 << "seed-success.history.json"
                                 << "COMMITTED"
                                 << "SUCCEEDED" << false;
        QTest::newRow("rolled back, FAILED") << "seed-saga.asl.json"
                                             << "seed-fail-commit.history.json"
                                             << "COMPENSATED"
                                             << "FAILED" << false;
        QTest::newRow("reverse order") << "seed-saga.asl.json"
                                       << "seed-fail-commit-reverse.history.json"
                                       << "COMPENSATED"
                                       << "FAILED" << false;
        QTest::newRow("rollback fails") << "seed-saga.asl.json"
                                        << "seed-rollback-fails.history.json"
                                        << "COMPENSATION_FAILED"
                                        << "FAILED" << true;
        QTest::newRow("CDK rolled back, SUCCEEDED") << "cdk-saga.asl.json"
                                                    << "cdk-rollback-succeeded.history.json"
                                                    << "COMPENSATED"
                                                    << "SUCCEEDED" << false;
    }

    void analyzeOutcomes()
    {
        QFETCH(QString, definition);
        QFETCH(QString, history);
        QFETCH(QString, outcome);
        QFETCH(QString, executionStatus);
        QFETCH(bool, dangling);
        const Run r = analyze(definition, history);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.object();
        QCOMPARE(o.value(QStringLiteral("outcome")).toString(), outcome);
        QCOMPARE(o.value(QStringLiteral("executionStatus")).toString(), executionStatus);
        QCOMPARE(!o.value(QStringLiteral("dangling")).toArray().isEmpty(), dangling);
        QVERIFY(o.contains(QStringLiteral("failedStep")));
        const QJsonArray steps = o.value(QStringLiteral("steps")).toArray();
        QVERIFY(!steps.isEmpty());
        for (const QJsonValue &v : steps) {
            const QJsonObject s = v.toObject();
            for (const char *key :
                { "state", "role", "status", "attempts", "startedAt", "durationMs", "error", "cause" })
                QVERIFY2(s.contains(QLatin1String(key)), key);
            const QString role = s.value(QStringLiteral("role")).toString();
            QVERIFY2(role == u"forward" || role == u"compensation" || role == u"other", qPrintable(role));
        }
    }

    void seedRollbackDetails()
    {
        const QJsonObject o
            = analyze(QStringLiteral("seed-saga.asl.json"), QStringLiteral("seed-fail-commit.history.json")).object();
        QCOMPARE(o.value(QStringLiteral("failedStep")).toString(), QStringLiteral("CommitRecords"));
        QStringList compensations;
        for (const QJsonValue &v : o.value(QStringLiteral("steps")).toArray())
            if (v.toObject().value(QStringLiteral("role")).toString() == u"compensation")
                compensations << v.toObject().value(QStringLiteral("state")).toString();
        QCOMPARE(compensations,
            (QStringList { QStringLiteral("CommitRecordsRollback"), QStringLiteral("TransformRecordsRollback"),
                QStringLiteral("ProcessRecordsRollback") }));
    }

    void analyzeErrors()
    {
        Run r = run({ QStringLiteral("sagas"), QStringLiteral("analyze"), QStringLiteral("--definition"),
            data(QStringLiteral("seed-saga.asl.json")) });
        QCOMPARE(r.exitCode, 2);
        const QString notJson = Test::writeFile(m_dir.filePath(QStringLiteral("history.json")), "{\"events\": [");
        r = run({ QStringLiteral("sagas"), QStringLiteral("analyze"), QStringLiteral("--definition"),
            data(QStringLiteral("seed-saga.asl.json")), QStringLiteral("--history"), notJson });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith("bramblectl: ") && r.err.contains("history.json"), r.err.constData());
    }

    // A file that never ends (a device) is refused at once, in one line that names it.
    void endlessFilesAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("asl validate") << QStringList { QStringLiteral("asl"), QStringLiteral("validate"),
            QStringLiteral("/dev/zero") };
        QTest::newRow("sagas analyze --history") << QStringList { QStringLiteral("sagas"), QStringLiteral("analyze"),
            QStringLiteral("--definition"), data(QStringLiteral("seed-saga.asl.json")), QStringLiteral("--history"),
            QStringLiteral("/dev/zero") };
    }

    void endlessFilesAreRefused()
    {
        QFETCH(QStringList, args);
        QElapsedTimer timer;
        timer.start();
        const Run r = run(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("bramblectl: ") && r.err.contains("/dev/zero") && r.err.contains("device"),
            r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestBramblectlSagas)
#include "tst_bramblectl_sagas.moc"
