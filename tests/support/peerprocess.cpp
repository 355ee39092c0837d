#include "peerprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

namespace Bramble::Test {

Q_LOGGING_CATEGORY(lcPeers, "bramble.testsupport", QtInfoMsg)

namespace {

constexpr qsizetype OutputTailBytes = 4000;

QString tempDirTemplate(const QString &name)
{
    QString safe = name;
    for (QChar &c : safe) {
        if (!c.isLetterOrNumber() && c != u'-')
            c = u'_';
    }
    return QDir::tempPath() + QStringLiteral("/bramble-") + safe + QStringLiteral("-XXXXXX");
}

} // namespace

PeerProcess::PeerProcess(const QString &name)
    : m_name(name)
    , m_dir(tempDirTemplate(name))
    , m_environment(QProcessEnvironment::systemEnvironment())
{
#ifdef Q_OS_LINUX
    // The peer dies with the thread that started it, even if the test crashes or
    // ctest kills it on a timeout (runs in the child between fork and exec).
    const pid_t parent = ::getpid();
    m_process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
    });
#endif
}

PeerProcess::~PeerProcess()
{
    stop();
    if (m_dir.isValid() && qEnvironmentVariableIntValue("BRAMBLE_KEEP_PEER_DIRS") == 1) {
        m_dir.setAutoRemove(false);
        qCWarning(lcPeers).noquote() << m_name << "directory kept:" << m_dir.path();
    }
}

void PeerProcess::setCommand(const QString &program, const QStringList &arguments)
{
    m_program = program;
    m_arguments = arguments;
}

void PeerProcess::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
}

void PeerProcess::setReadinessCheck(ReadinessCheck check)
{
    m_ready = std::move(check);
}

void PeerProcess::setMaxStartAttempts(int attempts)
{
    m_maxAttempts = qMax(1, attempts);
}

bool PeerProcess::prepare(QString *)
{
    return true;
}

bool PeerProcess::start(std::chrono::milliseconds timeout)
{
    m_error.clear();
    if (isRunning()) {
        m_error
            = QStringLiteral("%1: start() called while it is already running (pid %2)").arg(m_name).arg(processId());
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("%1: cannot create a temporary directory: %2").arg(m_name, m_dir.errorString());
        return false;
    }
    for (int attempt = 1; attempt <= m_maxAttempts; ++attempt) {
        QString error;
        if (!prepare(&error)) {
            m_error = QStringLiteral("%1: preparing the start failed: %2").arg(m_name, error);
            return false;
        }
        switch (launchOnce(timeout, &error)) {
        case Attempt::Ready:
            return true;
        case Attempt::Failed:
            m_error = withOutputTail(QStringLiteral("%1: %2").arg(m_name, error));
            return false;
        case Attempt::ExitedEarly:
            if (attempt == m_maxAttempts) {
                m_error
                    = withOutputTail(QStringLiteral("%1: %2 (attempt %3 of %3)").arg(m_name, error).arg(m_maxAttempts));
                return false;
            }
            qCInfo(lcPeers).noquote() << m_name << error << "- retrying (attempt" << attempt + 1 << "of"
                                      << m_maxAttempts
                                      << "). Its output:" << QString::fromUtf8(output().right(500)).trimmed();
            break;
        }
    }
    return false; // not reached
}

PeerProcess::Attempt PeerProcess::launchOnce(std::chrono::milliseconds timeout, QString *error)
{
    const QString program = resolvedProgram(error);
    if (program.isEmpty())
        return Attempt::Failed;

    // A file, not a pipe: the peer can never block on a full pipe while the test
    // runs no event loop. Both channels append to the same file, in order.
    const QString log = logFilePath();
    QFile::remove(log);
    m_process.setStandardInputFile(QProcess::nullDevice());
    m_process.setStandardOutputFile(log, QIODevice::Append);
    m_process.setStandardErrorFile(log, QIODevice::Append);
    m_process.setWorkingDirectory(m_dir.path());
    m_process.setProcessEnvironment(m_environment);
    m_process.setProgram(program);
    m_process.setArguments(m_arguments);

    QElapsedTimer elapsed;
    elapsed.start();
    m_process.start();
    if (!m_process.waitForStarted(int(StopTimeout.count()))) {
        *error = QStringLiteral("could not start %1: %2").arg(program, m_process.errorString());
        stop();
        return Attempt::Failed;
    }

    const QDeadlineTimer deadline(timeout);
    QString why = QStringLiteral("no readiness check ran");
    for (;;) {
        if (m_process.state() == QProcess::NotRunning) {
            *error = m_process.exitStatus() == QProcess::CrashExit
                ? QStringLiteral("%1 was killed by a signal before it was ready").arg(program)
                : QStringLiteral("%1 exited with code %2 before it was ready").arg(program).arg(m_process.exitCode());
            return Attempt::ExitedEarly;
        }
        if (!m_ready || m_ready(&why)) {
            // A check that passed against a process that just died (someone else's
            // server on "our" port) must not count.
            if (!m_process.waitForFinished(0) && m_process.state() == QProcess::Running) {
                qCDebug(lcPeers).noquote()
                    << m_name << "ready after" << elapsed.elapsed() << "ms, pid" << m_process.processId();
                return Attempt::Ready;
            }
            continue;
        }
        if (deadline.hasExpired()) {
            *error = QStringLiteral("%1 (pid %2) was not ready after %3 ms: %4")
                         .arg(program)
                         .arg(m_process.processId())
                         .arg(elapsed.elapsed())
                         .arg(why);
            stop();
            return Attempt::Failed;
        }
        // Doubles as the poll interval and as early-exit detection.
        m_process.waitForFinished(int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
    }
}

QString PeerProcess::resolvedProgram(QString *error) const
{
    if (m_program.isEmpty()) {
        *error = QStringLiteral("no program set (call setCommand() before start() or in prepare())");
        return {};
    }
    if (m_program.contains(u'/')) {
        const QFileInfo info(m_program);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
        *error
            = QStringLiteral("program %1 %2")
                  .arg(m_program,
                      info.exists() ? QStringLiteral("is not an executable file") : QStringLiteral("does not exist"));
        return {};
    }
    const QString found = QStandardPaths::findExecutable(m_program);
    if (found.isEmpty())
        *error = QStringLiteral("program %1 not found in PATH (%2)").arg(m_program, qEnvironmentVariable("PATH"));
    return found;
}

void PeerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    const qint64 pid = m_process.processId();
    m_process.terminate();
    if (!m_process.waitForFinished(int(StopTimeout.count()))) {
        qCWarning(lcPeers).noquote() << m_name << "pid" << pid << "ignored SIGTERM for" << StopTimeout.count()
                                     << "ms; killing it";
        m_process.kill();
        m_process.waitForFinished(int(StopTimeout.count()));
    }
    qCDebug(lcPeers).noquote() << m_name << "pid" << pid << "stopped";
}

bool PeerProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

qint64 PeerProcess::processId() const
{
    return m_process.processId();
}

QString PeerProcess::name() const
{
    return m_name;
}

QString PeerProcess::program() const
{
    return m_program;
}

QStringList PeerProcess::arguments() const
{
    return m_arguments;
}

QString PeerProcess::directory() const
{
    return m_dir.path();
}

QString PeerProcess::logFilePath() const
{
    return filePath(QStringLiteral("peer.log"));
}

QByteArray PeerProcess::output() const
{
    QFile file(logFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QString PeerProcess::errorString() const
{
    return m_error;
}

void PeerProcess::setErrorString(const QString &error)
{
    m_error = error;
}

QString PeerProcess::withOutputTail(const QString &error) const
{
    const QByteArray all = output();
    QString text = error + QStringLiteral("\n--- output of %1 (%2) ---\n").arg(m_name, logFilePath());
    if (all.isEmpty())
        return text + QStringLiteral("(none)");
    if (all.size() > OutputTailBytes)
        text += QStringLiteral("[... %1 earlier bytes ...]\n").arg(all.size() - OutputTailBytes);
    return text + QString::fromUtf8(all.right(OutputTailBytes)).trimmed();
}

QString PeerProcess::filePath(const QString &fileName) const
{
    return m_dir.path() + u'/' + fileName;
}

} // namespace Bramble::Test
