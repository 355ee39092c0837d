#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <chrono>
#include <functional>

namespace Bramble::Test {

// A real server process that a test starts, waits for and always stops.
//
// Use a subclass (MotoServer, SshServer) or configure one directly for a
// program of your own (a fake under tests/fakes):
//
//     PeerProcess peer(QStringLiteral("fake-hec"));
//     const quint16 port = freeLoopbackPort();
//     peer.setCommand(fakeHecPath(), {QStringLiteral("--port"), QString::number(port)});
//     peer.setReadinessCheck([port](QString *) { return loopbackPortAcceptsConnections(port); });
//     QVERIFY2(peer.start(), qPrintable(peer.errorString()));
//
// (A subclass that picks its port in prepare() gets a fresh one on every retry.)
//
// Contract:
// - Owns a private temporary directory (directory()) from construction to
//   destruction, for configs, keys and the peer's log. Set BRAMBLE_KEEP_PEER_DIRS=1
//   to keep it after the test (its path is logged as a warning).
// - The peer's stdout and stderr go to one log file in that directory (never to a
//   pipe, so a chatty peer cannot block while nobody runs an event loop); read it
//   with output(). Failure messages quote its tail.
// - start() blocks: it launches the program and polls the readiness check until it
//   passes, the process exits or the timeout runs out. It never blocks forever and
//   needs no event loop. A program that cannot be found or started is a failure with
//   a message saying so, never a skip.
// - If the process exits before it is ready (typically: another process took the
//   port between freeLoopbackPort() and the bind), start() calls prepare() again and
//   relaunches, up to setMaxStartAttempts() times (3 by default).
// - stop() and the destructor: SIGTERM, wait up to 5 s, then SIGKILL; the port is
//   closed when they return. On Linux the peer also gets SIGTERM if the thread that
//   started it dies (PR_SET_PDEATHSIG), so a crashed or timed-out test leaves no
//   servers behind; start peers from the thread that outlives them (the test's).
// - Not copyable, not thread-safe: use an object from one thread.
class PeerProcess {
public:
    // Returns true once the peer serves; otherwise may set *why (a short reason,
    // quoted if the start times out). Must return within about a second.
    using ReadinessCheck = std::function<bool(QString *why)>;

    static constexpr std::chrono::milliseconds DefaultStartTimeout = std::chrono::seconds(20);
    static constexpr std::chrono::milliseconds StopTimeout = std::chrono::seconds(5);

    // name is used in messages and in the temporary directory's name.
    explicit PeerProcess(const QString &name);
    virtual ~PeerProcess();
    PeerProcess(const PeerProcess &) = delete;
    PeerProcess &operator=(const PeerProcess &) = delete;

    // Configuration, before start() (or from prepare()). program is an absolute
    // path or a name looked up in PATH.
    void setCommand(const QString &program, const QStringList &arguments);
    // The peer's environment; the default is the test's own environment.
    void setEnvironment(const QProcessEnvironment &environment);
    void setReadinessCheck(ReadinessCheck check);
    void setMaxStartAttempts(int attempts); // default 3, at least 1

    // Launches the peer and waits until the readiness check passes; timeout applies
    // to each launch attempt. Returns false with errorString() set (including the
    // peer's recent output) on any failure; nothing is left running then. May be
    // called again after stop().
    bool start(std::chrono::milliseconds timeout = DefaultStartTimeout);
    // Idempotent. SIGTERM, up to StopTimeout for the process to exit, then SIGKILL.
    void stop();

    bool isRunning() const;
    qint64 processId() const; // 0 when not running
    QString name() const;
    QString program() const;
    QStringList arguments() const;
    // The private temporary directory (absolute path, no trailing slash).
    QString directory() const;
    // directory() + '/' + fileName
    QString filePath(const QString &fileName) const;
    // Everything the peer wrote to stdout and stderr so far (in its current or last
    // launch attempt). Reads the log file; cheap enough for failure messages.
    QByteArray output() const;
    QString logFilePath() const;
    // What went wrong in the last start() or in the last subclass call returning false.
    QString errorString() const;

protected:
    // Called by start() before each launch attempt. Subclasses pick a port here,
    // write their configuration and call setCommand() / setReadinessCheck().
    // Return false and set *error to abort the start. The default does nothing.
    virtual bool prepare(QString *error);
    void setErrorString(const QString &error);
    // error plus the tail of the peer's output, for failure messages.
    QString withOutputTail(const QString &error) const;

private:
    enum class Attempt { Ready, Failed, ExitedEarly };
    Attempt launchOnce(std::chrono::milliseconds timeout, QString *error);
    QString resolvedProgram(QString *error) const;

    QString m_name;
    QTemporaryDir m_dir;
    QProcess m_process; // declared after m_dir: destroyed (and stopped) before it
    QString m_program;
    QStringList m_arguments;
    QProcessEnvironment m_environment;
    ReadinessCheck m_ready;
    int m_maxAttempts = 3;
    QString m_error;
};

} // namespace Bramble::Test
