// The command backend, through the runner: python3 scripts as functions.
#include "functions/localtaskrunner.h"
#include "support/testpaths.h"
#include "taskwait.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/types.h>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {

QString S(const char *text)
{
    return QString::fromUtf8(text);
}

const char *const Scripts[][2] = {
    { "echo.py",
        "import json, os, sys\n"
        "event = json.load(sys.stdin)\n"
        "json.dump({'event': event, 'function': os.environ.get('AWS_LAMBDA_FUNCTION_NAME'), 'args': sys.argv[1:]}, "
        "sys.stdout)\n" },
    { "typed.py",
        "import json, sys\n"
        "sys.stdin.read()\n"
        "print(json.dumps({'errorType': 'ValidationError', 'errorMessage': 'TransactionId missing'}))\n"
        "sys.exit(1)\n" },
    { "crash.py",
        "import sys\n"
        "sys.stderr.write('Traceback (most recent call last):\\nKeyError: TransactionId\\n')\n"
        "sys.exit(3)\n" },
    { "killed.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n" },
    { "nonjson.py", "import sys\nsys.stdin.read()\nprint('hello world')\n" },
    { "silent.py", "import sys\nsys.stdin.read()\n" },
    { "scalar.py", "print('\"done\"')\n" }, // does not read its stdin
    { "big.py", "import sys\nsys.stdout.write('[' + '1,' * 4000000 + '1]')\n" },
    { "sleeper.py",
        "import os, sys, time\n"
        "with open(sys.argv[1], 'w') as f:\n"
        "    f.write(str(os.getpid()))\n"
        "time.sleep(60)\n" },
};

bool alive(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0;
}

} // namespace

class TestCommandFunction : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LocalTaskRunner> m_runner;

    QString script(const char *name) const { return m_dir.filePath(S(name)); }

    TaskRequest invoke(const QString &function, const QJsonValue &payload, const QString &state = S("Step"))
    {
        TaskRequest r;
        r.executionArn = S("arn:aws:states:eu-west-1:123456789012:execution:m:e1");
        r.stateMachineArn = S("arn:aws:states:eu-west-1:123456789012:stateMachine:m");
        r.stateMachineName = S("m");
        r.stateName = state;
        r.resource = S("arn:aws:states:::lambda:invoke");
        r.parameters = QJsonObject { { S("FunctionName"),
                                         QString(S("arn:aws:lambda:eu-west-1:123456789012:function:") + function) },
            { S("Payload"), payload } };
        return r;
    }

    void bind(FunctionsConfig &c, const char *name, QStringList argv)
    {
        FunctionBinding b;
        b.kind = FunctionBinding::Kind::Command;
        b.argv = std::move(argv);
        c.functions.append({ S(name), b });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const auto &s : Scripts)
            QVERIFY(!Test::writeFile(m_dir.filePath(S(s[0])), s[1]).isEmpty());
        FunctionsConfig c;
        bind(c, "Echo", { S("python3"), script("echo.py"), S("--flag"), S("two words") });
        bind(c, "Typed", { S("python3"), script("typed.py") });
        bind(c, "Crash", { S("python3"), script("crash.py") });
        bind(c, "Killed", { S("python3"), script("killed.py") });
        bind(c, "NonJson", { S("python3"), script("nonjson.py") });
        bind(c, "Silent", { S("python3"), script("silent.py") });
        bind(c, "Scalar", { S("python3"), script("scalar.py") });
        bind(c, "Big", { S("python3"), script("big.py") });
        bind(c, "Sleeper", { S("python3"), script("sleeper.py"), m_dir.filePath(S("pid")) });
        bind(c, "Missing", { S("no-such-program-bramble") });
        bind(c, "NotExecutable", { m_dir.filePath(S("echo.py")) });
        m_runner = std::make_unique<LocalTaskRunner>(c, nullptr);
    }

    void successIsShapedAsInvoke()
    {
        const QJsonObject payload { { S("TransactionDetails"), QJsonObject { { S("TransactionId"), S("2") } } } };
        const auto r = Test::runTask(m_runner->call(invoke(S("Echo"), payload)));
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QVERIFY2(r.value().ok, qPrintable(r.value().cause));
        const QJsonObject out = r.value().output.toObject();
        QCOMPARE(out.value(u"StatusCode").toInt(), 200);
        QCOMPARE(out.value(u"ExecutedVersion").toString(), S("$LATEST"));
        const QJsonObject result = out.value(u"Payload").toObject();
        QCOMPARE(result.value(u"event").toObject(), payload); // the event arrived on stdin
        QCOMPARE(result.value(u"function").toString(), S("Echo"));
        QCOMPARE(result.value(u"args").toArray(), (QJsonArray { S("--flag"), S("two words") })); // argv, no shell
    }

    void plainFunctionArnGetsTheWholeParameters()
    {
        TaskRequest r = invoke(S("Echo"), {});
        r.resource = S("arn:aws:lambda:eu-west-1:123456789012:function:Echo");
        r.parameters = QJsonObject { { S("a"), 1 } };
        const auto res = Test::runTask(m_runner->call(r));
        QVERIFY(res.ok() && res.value().ok);
        // The payload itself, not Invoke's response.
        QCOMPARE(res.value().output.toObject().value(u"event").toObject(), (QJsonObject { { S("a"), 1 } }));
        QVERIFY(!res.value().output.toObject().contains(u"StatusCode"));
    }

    void typedErrorRaisesItsType()
    {
        const auto r = Test::runTask(m_runner->call(invoke(S("Typed"), QJsonObject())));
        QVERIFY(r.ok());
        QVERIFY(!r.value().ok);
        QCOMPARE(r.value().error, S("ValidationError"));
        const QJsonObject cause = QJsonDocument::fromJson(r.value().cause.toUtf8()).object();
        QCOMPARE(cause.value(u"errorMessage").toString(), S("TransactionId missing"));
        QCOMPARE(cause.value(u"errorType").toString(), S("ValidationError"));
    }

    void crashWithoutTypeIsUnknown_data()
    {
        QTest::addColumn<QString>("function");
        QTest::addColumn<QString>("said");
        QTest::newRow("exit 3") << S("Crash")
                                << S("exit status 3 (stderr: Traceback (most recent call last): | KeyError");
        QTest::newRow("killed") << S("Killed") << S("killed by a signal");
    }
    void crashWithoutTypeIsUnknown()
    {
        QFETCH(QString, function);
        QFETCH(QString, said);
        const auto r = Test::runTask(m_runner->call(invoke(function, QJsonObject())));
        QVERIFY(r.ok());
        QVERIFY(!r.value().ok);
        QCOMPARE(r.value().error, S("Lambda.Unknown"));
        QVERIFY2(r.value().cause.contains(said), qPrintable(r.value().cause));
        QVERIFY(r.value().cause.contains(u"Runtime exited with error"));
    }

    void nonJsonIsAMarshalError()
    {
        const auto r = Test::runTask(m_runner->call(invoke(S("NonJson"), QJsonObject())));
        QVERIFY(r.ok());
        QCOMPARE(r.value().error, S("Runtime.MarshalError"));
        QVERIFY2(r.value().cause.contains(u"hello world"), qPrintable(r.value().cause));
    }

    void otherAnswers()
    {
        auto r = Test::runTask(m_runner->call(invoke(S("Silent"), QJsonObject())));
        QVERIFY(r.ok() && r.value().ok);
        QVERIFY(r.value().output.toObject().value(u"Payload").isNull()); // returned nothing: null
        // A command that never reads its (large) event still answers.
        QJsonArray many;
        for (int i = 0; i < 20000; ++i)
            many.append(S("0123456789012345678901234567890123456789"));
        r = Test::runTask(m_runner->call(invoke(S("Scalar"), many)));
        QVERIFY2(r.ok() && r.value().ok, qPrintable(r.ok() ? r.value().cause : r.error().toString()));
        QCOMPARE(r.value().output.toObject().value(u"Payload").toString(), S("done"));
    }

    void oversizedAnswerIsRefused()
    {
        const auto r = Test::runTask(m_runner->call(invoke(S("Big"), QJsonObject())));
        QVERIFY(r.ok());
        QCOMPARE(r.value().error, S("Function.ResponseSizeTooLarge"));
        QVERIFY(r.value().cause.contains(u"6291556 bytes"));
    }

    void unstartableCommandFailsTheJob()
    {
        auto r = Test::runTask(m_runner->call(invoke(S("Missing"), QJsonObject())));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(u"no-such-program-bramble"), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(u"Missing"));
        r = Test::runTask(m_runner->call(invoke(S("NotExecutable"), QJsonObject())));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(u"could not be started"), qPrintable(r.error().message));
    }

    void cancelKillsTheCommand()
    {
        QFile::remove(m_dir.filePath(S("pid")));
        TaskCall *job = m_runner->call(invoke(S("Sleeper"), QJsonObject()));
        job->setAutoDelete(false);
        std::unique_ptr<TaskCall> owner(job);
        QSignalSpy finished(job, &Core::Job::finished);
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(QFile(m_dir.filePath(S("pid"))).size() > 0, 10000);
        QFile pidFile(m_dir.filePath(S("pid")));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 pid = pidFile.readAll().toLongLong();
        QVERIFY(pid > 0 && alive(pid));
        job->cancel();
        QVERIFY(finished.wait(5000));
        QVERIFY(job->error().is(Core::Error::Kind::Cancelled));
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 5000);
    }

    void relativePathsAreRelativeToTheFunctionsFile()
    {
        const QString tool
            = Test::writeFile(m_dir.filePath(S("tool.sh")), "#!/bin/sh\ncat >/dev/null\necho '[\"tool\"]'\n");
        QVERIFY(QFile::setPermissions(tool, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QString file = Test::writeFile(m_dir.filePath(S("functions.yaml")),
            "functions:\n  Relative: {command: [python3, echo.py, rel]}\n  Tool: {command: [./tool.sh]}\n");
        const Core::Result<FunctionsConfig> loaded = FunctionsConfig::load(file);
        QVERIFY2(loaded.ok(), qPrintable(loaded.error().toString()));
        QCOMPARE(loaded.value().find(S("Relative"))->workingDirectory, QDir(m_dir.path()).absolutePath());
        LocalTaskRunner runner(loaded.value(), nullptr);
        auto r = Test::runTask(runner.call(invoke(S("Relative"), QJsonObject())));
        QVERIFY2(r.ok() && r.value().ok, qPrintable(r.ok() ? r.value().cause : r.error().toString()));
        QCOMPARE(
            r.value().output.toObject().value(u"Payload").toObject().value(u"args").toArray(), QJsonArray { S("rel") });
        r = Test::runTask(runner.call(invoke(S("Tool"), QJsonObject())));
        QVERIFY2(r.ok() && r.value().ok, qPrintable(r.ok() ? r.value().cause : r.error().toString()));
        QCOMPARE(r.value().output.toObject().value(u"Payload").toArray(), QJsonArray { S("tool") });
    }

    void deletingARunningJobKillsTheCommand()
    {
        QFile::remove(m_dir.filePath(S("pid")));
        TaskCall *job = m_runner->call(invoke(S("Sleeper"), QJsonObject()));
        job->setAutoDelete(false);
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(QFile(m_dir.filePath(S("pid"))).size() > 0, 10000);
        QFile pidFile(m_dir.filePath(S("pid")));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 pid = pidFile.readAll().toLongLong();
        QVERIFY(alive(pid));
        delete job;
        QTRY_VERIFY_WITH_TIMEOUT(!alive(pid), 5000);
    }
};

QTEST_GUILESS_MAIN(TestCommandFunction)
#include "tst_commandfunction.moc"
