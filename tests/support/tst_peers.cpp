// The peer harness itself: real servers started on loopback, each proven with a
// real client written by others (the aws CLI, OpenSSH's ssh and sftp), and the
// harness's failure paths (missing program, early exit, readiness timeout).

#include "support/loopback.h"
#include "support/motoserver.h"
#include "support/peerprocess.h"
#include "support/sshserver.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Bramble::Test;
using namespace std::chrono_literals;

namespace {

struct ClientRun {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe(const QString &what) const
    {
        return QStringLiteral("%1: %2, exit code %3\n--- stdout ---\n%4\n--- stderr ---\n%5")
            .arg(what, finished ? QStringLiteral("finished") : QStringLiteral("did not finish / not started"))
            .arg(exitCode)
            .arg(QString::fromUtf8(out), QString::fromUtf8(err));
    }
};

// Runs a client program to completion (bounded), stdin closed.
ClientRun runClient(const QString &program, const QStringList &args,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    ClientRun run;
    QProcess process;
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, args);
    run.finished = process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit;
    if (!run.finished) {
        run.err = process.errorString().toUtf8() + '\n';
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitCode();
    run.out += process.readAllStandardOutput();
    run.err += process.readAllStandardError();
    return run;
}

ClientRun runAws(const MotoServer &moto, const QStringList &stepFunctionsArgs)
{
    return runClient(QStringLiteral("aws"),
        QStringList { QStringLiteral("--endpoint-url"), moto.endpoint().toString(), QStringLiteral("stepfunctions") }
            + stepFunctionsArgs
            + QStringList { QStringLiteral("--region"), QStringLiteral("us-east-1"), QStringLiteral("--output"),
                QStringLiteral("json") },
        moto.clientEnvironment());
}

QJsonObject jsonObject(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// The OpenSSH client options every ssh/sftp run here shares: our key only, no
// agent, no user or system config, host key checked against knownHosts only.
QStringList sshOptions(const SshServer &sshd, const QString &knownHosts)
{
    return { QStringLiteral("-i"), sshd.clientKeyPath(), QStringLiteral("-o"), QStringLiteral("IdentitiesOnly=yes"),
        QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
        QStringLiteral("UserKnownHostsFile=") + knownHosts, QStringLiteral("-o"),
        QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
        QStringLiteral("GlobalKnownHostsFile=/dev/null"), QStringLiteral("-o"), QStringLiteral("ConnectTimeout=10"),
        QStringLiteral("-F"), QStringLiteral("/dev/null") };
}

ClientRun runSsh(const SshServer &sshd, const QString &knownHosts, const QString &command)
{
    return runClient(QStringLiteral("ssh"),
        QStringList { QStringLiteral("-p"), QString::number(sshd.port()) } + sshOptions(sshd, knownHosts)
            + QStringList { sshd.userName() + u'@' + sshd.host(), command });
}

} // namespace

class TestPeers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void freeLoopbackPortIsBindable();
    void missingProgramFailsClearly();
    void earlyExitReportsOutput();
    void readinessTimeoutStopsThePeer();
    void motoServesTheAwsCli();
    void sshdServesTheOpenSshClient();
    void sshdRejectsAClientWithoutItsHostKey();
    void sshdServesSftp();
    void stoppedPeerReleasesItsPort_data();
    void stoppedPeerReleasesItsPort();
};

void TestPeers::freeLoopbackPortIsBindable()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    QTcpServer server;
    QVERIFY2(server.listen(QHostAddress(QHostAddress::LocalHost), port), qPrintable(server.errorString()));
    QVERIFY(loopbackPortAcceptsConnections(port));
}

void TestPeers::missingProgramFailsClearly()
{
    PeerProcess peer(QStringLiteral("ghost"));
    peer.setCommand(QStringLiteral("bramble-no-such-peer-program"), {});
    QVERIFY(!peer.start(2s));
    QVERIFY2(peer.errorString().contains(QStringLiteral("bramble-no-such-peer-program not found")),
        qPrintable(peer.errorString()));
    QVERIFY(!peer.isRunning());

    peer.setCommand(QStringLiteral("/nonexistent/bramble-peer"), {});
    QVERIFY(!peer.start(2s));
    QVERIFY2(peer.errorString().contains(QStringLiteral("/nonexistent/bramble-peer does not exist")),
        qPrintable(peer.errorString()));
}

void TestPeers::earlyExitReportsOutput()
{
    PeerProcess peer(QStringLiteral("quitter"));
    peer.setCommand(QStringLiteral("/bin/sh"),
        { QStringLiteral("-c"), QStringLiteral("echo out-marker; echo err-marker >&2; exit 3") });
    peer.setReadinessCheck([](QString *) { return false; });
    QVERIFY(!peer.start(5s));
    const QString error = peer.errorString();
    QVERIFY2(error.contains(QStringLiteral("exited with code 3")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("attempt 3 of 3")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("out-marker")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("err-marker")), qPrintable(error));
}

void TestPeers::readinessTimeoutStopsThePeer()
{
    PeerProcess peer(QStringLiteral("sleeper"));
    peer.setCommand(
        QStringLiteral("/bin/sh"), { QStringLiteral("-c"), QStringLiteral("echo sleeping; exec sleep 60") });
    peer.setReadinessCheck([](QString *why) {
        *why = QStringLiteral("never-ready-marker");
        return false;
    });
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!peer.start(300ms));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!peer.isRunning());
    const QString error = peer.errorString();
    QVERIFY2(error.contains(QStringLiteral("was not ready after")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("never-ready-marker")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("sleeping")), qPrintable(error));
}

void TestPeers::motoServesTheAwsCli()
{
    MotoServer moto;
    QVERIFY2(moto.start(), qPrintable(moto.errorString()));
    QVERIFY(moto.port() != 0);
    QCOMPARE(moto.endpoint().toString(), QStringLiteral("http://127.0.0.1:%1").arg(moto.port()));

    const LoopbackHttpReply index = loopbackHttpRequest(moto.port(), "GET", "/moto-api/");
    QVERIFY2(index.status == 200 && index.error.isEmpty(), qPrintable(index.summary()));
    QVERIFY2(moto.enableStateMachineExecution(), qPrintable(moto.errorString()));

    // The aws CLI (botocore signs with SigV4, so moto routes it to Step Functions).
    const ClientRun list = runAws(moto, { QStringLiteral("list-state-machines") });
    QVERIFY2(list.finished && list.exitCode == 0, qPrintable(list.describe(QStringLiteral("aws list-state-machines"))));
    QVERIFY2(
        list.out.contains("\"stateMachines\""), qPrintable(list.describe(QStringLiteral("aws list-state-machines"))));
    QVERIFY(jsonObject(list.out).value(QStringLiteral("stateMachines")).toArray().isEmpty());

    // moto's config reply does not echo the stepfunctions setting: prove it took
    // effect. Only the ASL interpreter completes an execution with the Pass
    // state's result; without it the execution stays RUNNING with no output.
    const QString definition = QStringLiteral(
        R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"probe":"interpreted"},"End":true}}})");
    const ClientRun created = runAws(moto,
        { QStringLiteral("create-state-machine"), QStringLiteral("--name"), QStringLiteral("probe"),
            QStringLiteral("--role-arn"), QStringLiteral("arn:aws:iam::123456789012:role/probe"),
            QStringLiteral("--definition"), definition });
    QVERIFY2(created.finished && created.exitCode == 0,
        qPrintable(created.describe(QStringLiteral("aws create-state-machine"))));
    const QString machineArn = jsonObject(created.out).value(QStringLiteral("stateMachineArn")).toString();
    QVERIFY2(!machineArn.isEmpty(), created.out.constData());

    const ClientRun started = runAws(moto,
        { QStringLiteral("start-execution"), QStringLiteral("--state-machine-arn"), machineArn,
            QStringLiteral("--name"), QStringLiteral("run-1") });
    QVERIFY2(
        started.finished && started.exitCode == 0, qPrintable(started.describe(QStringLiteral("aws start-execution"))));
    const QString executionArn = jsonObject(started.out).value(QStringLiteral("executionArn")).toString();
    QVERIFY2(!executionArn.isEmpty(), started.out.constData());

    QJsonObject execution;
    QDeadlineTimer deadline(10s);
    do {
        const ClientRun described
            = runAws(moto, { QStringLiteral("describe-execution"), QStringLiteral("--execution-arn"), executionArn });
        QVERIFY2(described.finished && described.exitCode == 0,
            qPrintable(described.describe(QStringLiteral("aws describe-execution"))));
        execution = jsonObject(described.out);
    } while (
        execution.value(QStringLiteral("status")).toString() == QStringLiteral("RUNNING") && !deadline.hasExpired());
    QCOMPARE(execution.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
    const QJsonObject expectedOutput { { QStringLiteral("probe"), QStringLiteral("interpreted") } };
    QCOMPARE(QJsonDocument::fromJson(execution.value(QStringLiteral("output")).toString().toUtf8()).object(),
        expectedOutput);

    // reset() forgets the state machine (moto's own model dump, to spare one more
    // second of aws CLI start-up).
    const LoopbackHttpReply before = loopbackHttpRequest(moto.port(), "GET", "/moto-api/data.json");
    QVERIFY2(before.isSuccess() && before.body.contains(machineArn.toUtf8()), qPrintable(before.summary()));
    QVERIFY2(moto.reset(), qPrintable(moto.errorString()));
    const LoopbackHttpReply after = loopbackHttpRequest(moto.port(), "GET", "/moto-api/data.json");
    QVERIFY2(after.isSuccess() && !after.body.contains(machineArn.toUtf8()), qPrintable(after.summary()));
}

void TestPeers::sshdServesTheOpenSshClient()
{
    SshServer sshd;
    QVERIFY2(sshd.start(), qPrintable(sshd.errorString()));
    QCOMPARE(sshd.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(!sshd.userName().isEmpty());
    QVERIFY2(sshd.knownHostsLine().startsWith(QStringLiteral("[127.0.0.1]:%1 ssh-ed25519 AAAA").arg(sshd.port())),
        qPrintable(sshd.knownHostsLine()));

    // Our fingerprint matches ssh-keygen's.
    const ClientRun fingerprint = runClient(QStringLiteral("ssh-keygen"),
        { QStringLiteral("-l"), QStringLiteral("-f"), sshd.filePath(QStringLiteral("host_ed25519.pub")) });
    QVERIFY2(fingerprint.finished && fingerprint.exitCode == 0,
        qPrintable(fingerprint.describe(QStringLiteral("ssh-keygen -l"))));
    QVERIFY2(fingerprint.out.contains(QByteArray(sshd.hostKeyFingerprint().toLatin1() + ' ')),
        qPrintable(fingerprint.describe(sshd.hostKeyFingerprint())));

    QTemporaryDir client;
    QVERIFY(client.isValid());
    const QString knownHosts = client.filePath(QStringLiteral("known_hosts"));
    QVERIFY(sshd.writeKnownHosts(knownHosts));

    const ClientRun hello = runSsh(sshd, knownHosts, QStringLiteral("echo hello-from-sshd"));
    QVERIFY2(hello.finished && hello.exitCode == 0,
        qPrintable(hello.describe(QStringLiteral("ssh")) + u'\n' + QString::fromUtf8(sshd.output())));
    QCOMPARE(hello.out, QByteArray("hello-from-sshd\n"));
    QCOMPARE(sshd.recordedCommands(), QStringList { QStringLiteral("echo hello-from-sshd") });

    // Arguments arrive as one shell command line, as with any OpenSSH server.
    const ClientRun quoted = runSsh(sshd, knownHosts, QStringLiteral("printf '%s|' 'a b' c"));
    QVERIFY2(quoted.finished && quoted.exitCode == 0, qPrintable(quoted.describe(QStringLiteral("ssh"))));
    QCOMPARE(quoted.out, QByteArray("a b|c|"));
    QCOMPARE(sshd.recordedCommands().size(), 2);
    QCOMPARE(sshd.recordedCommands().constLast(), QStringLiteral("printf '%s|' 'a b' c"));
}

void TestPeers::sshdRejectsAClientWithoutItsHostKey()
{
    SshServer sshd;
    QVERIFY2(sshd.start(), qPrintable(sshd.errorString()));
    QTemporaryDir client;
    QVERIFY(client.isValid());
    const QString emptyKnownHosts = client.filePath(QStringLiteral("known_hosts"));
    QFile empty(emptyKnownHosts);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();

    const ClientRun refused = runSsh(sshd, emptyKnownHosts, QStringLiteral("echo must-not-run"));
    QVERIFY2(refused.finished && refused.exitCode == 255, qPrintable(refused.describe(QStringLiteral("ssh"))));
    QVERIFY2(refused.err.contains("Host key verification failed"), qPrintable(refused.describe(QStringLiteral("ssh"))));
    QVERIFY(sshd.recordedCommands().isEmpty());

    // And with the line for the generated key the same client gets in: the key
    // the server presents is really ours.
    QVERIFY(sshd.writeKnownHosts(emptyKnownHosts));
    const ClientRun accepted = runSsh(sshd, emptyKnownHosts, QStringLiteral("true"));
    QVERIFY2(accepted.finished && accepted.exitCode == 0, qPrintable(accepted.describe(QStringLiteral("ssh"))));
    QCOMPARE(sshd.recordedCommands(), QStringList { QStringLiteral("true") });
}

void TestPeers::sshdServesSftp()
{
    SshServer sshd;
    QVERIFY2(sshd.start(), qPrintable(sshd.errorString()));
    QTemporaryDir client;
    QVERIFY(client.isValid());
    const QString knownHosts = client.filePath(QStringLiteral("known_hosts"));
    QVERIFY(sshd.writeKnownHosts(knownHosts));
    const QString local = client.filePath(QStringLiteral("payload.txt"));
    const QString remote = sshd.directory() + QStringLiteral("/uploaded.txt");
    {
        QFile file(local);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("payload over sftp\n");
    }
    const QString batch = client.filePath(QStringLiteral("batch"));
    {
        QFile file(batch);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("put \"%1\" \"%2\"\n").arg(local, remote).toUtf8());
    }

    const ClientRun sftp = runClient(QStringLiteral("sftp"),
        QStringList { QStringLiteral("-b"), batch, QStringLiteral("-P"), QString::number(sshd.port()) }
            + sshOptions(sshd, knownHosts) + QStringList { sshd.userName() + u'@' + sshd.host() });
    QVERIFY2(sftp.finished && sftp.exitCode == 0,
        qPrintable(sftp.describe(QStringLiteral("sftp")) + u'\n' + QString::fromUtf8(sshd.output())));
    QFile uploaded(remote);
    QVERIFY(uploaded.open(QIODevice::ReadOnly));
    QCOMPARE(uploaded.readAll(), QByteArray("payload over sftp\n"));
    QCOMPARE(sshd.recordedCommands(), QStringList { QStringLiteral("internal-sftp") });
}

void TestPeers::stoppedPeerReleasesItsPort_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("sshd") << QStringLiteral("sshd");
    QTest::newRow("moto") << QStringLiteral("moto");
}

void TestPeers::stoppedPeerReleasesItsPort()
{
    QFETCH(QString, kind);
    quint16 port = 0;
    {
        std::unique_ptr<PeerProcess> peer;
        if (kind == QStringLiteral("sshd")) {
            auto sshd = std::make_unique<SshServer>();
            QVERIFY2(sshd->start(), qPrintable(sshd->errorString()));
            port = sshd->port();
            peer = std::move(sshd);
        } else {
            auto moto = std::make_unique<MotoServer>();
            QVERIFY2(moto->start(), qPrintable(moto->errorString()));
            port = moto->port();
            peer = std::move(moto);
        }
        QVERIFY(peer->isRunning());
        QVERIFY(loopbackPortAcceptsConnections(port));
    } // destroyed here: SIGTERM, wait, SIGKILL if need be

    QTRY_VERIFY_WITH_TIMEOUT(!loopbackPortAcceptsConnections(port, 200ms), 5000);
}

QTEST_GUILESS_MAIN(TestPeers)
#include "tst_peers.moc"
