#include "functions/commandfunctionjob.h"

#include "functions/lambdaresource.h"
#include "functions/logging.h"

#include "core/childprocess.h"

#include <QDir>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

namespace Bramble::LocalRuntime {

namespace {

constexpr qsizetype MaxStderr = 64 * 1024;

} // namespace

CommandFunctionJob::CommandFunctionJob(
    QString functionName, QStringList argv, QString workingDirectory, QByteArray event, QObject *parent)
    : TaskCall(parent)
    , m_function(std::move(functionName))
    , m_argv(std::move(argv))
    , m_workingDirectory(std::move(workingDirectory))
    , m_event(std::move(event))
{
}

CommandFunctionJob::~CommandFunctionJob()
{
    stopProcess();
}

void CommandFunctionJob::begin()
{
    const QString what = QStringLiteral("function %1: command").arg(m_function);
    if (m_argv.isEmpty() || m_argv.first().isEmpty()) {
        fail(Core::Error(what + QStringLiteral(" is empty")));
        return;
    }
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QString program = m_argv.first();
    if (!program.contains(u'/')) {
        program = QStandardPaths::findExecutable(
            program, env.value(QStringLiteral("PATH")).split(QDir::listSeparator(), Qt::SkipEmptyParts));
        if (program.isEmpty()) {
            fail(Core::Error(what + QStringLiteral(" not found: %1 (in PATH)").arg(m_argv.first())));
            return;
        }
    }
    QProcessEnvironment childEnv = env;
    childEnv.insert(QStringLiteral("AWS_LAMBDA_FUNCTION_NAME"), m_function);

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(m_argv.mid(1));
    m_process->setProcessEnvironment(childEnv);
    if (!m_workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_workingDirectory);
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout += m_process->readAllStandardOutput();
        if (m_stdout.size() > MaxPayloadBytes) {
            stopProcess();
            succeedWith(functionError(QStringLiteral("Function.ResponseSizeTooLarge"),
                QStringLiteral("Response payload size exceeded maximum allowed payload size (%1 bytes).")
                    .arg(MaxPayloadBytes)));
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this,
        [this] { Core::appendBounded(m_stderr, m_process->readAllStandardError(), MaxStderr); });
    connect(m_process, &QProcess::finished, this,
        [this](int code, QProcess::ExitStatus status) { onFinished(code, status == QProcess::CrashExit); });
    connect(m_process, &QProcess::errorOccurred, this, [this, what](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // crashes end in finished(); a command that does not read stdin is not an error
        const QString reason = m_process->errorString();
        stopProcess();
        fail(Core::Error(what + QStringLiteral(" could not be started: ") + reason));
    });
    qCDebug(lcLocalFunctions).noquote() << "invoking" << m_function << "program" << program;
    m_process->start();
    m_process->write(m_event);
    m_process->closeWriteChannel();
}

void CommandFunctionJob::abort()
{
    stopProcess();
}

void CommandFunctionJob::onFinished(int exitCode, bool crashed)
{
    if (isEnding())
        return;
    m_stdout += m_process->readAllStandardOutput();
    Core::appendBounded(m_stderr, m_process->readAllStandardError(), MaxStderr);
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    if (m_stdout.size() > MaxPayloadBytes) {
        succeedWith(functionError(QStringLiteral("Function.ResponseSizeTooLarge"),
            QStringLiteral("Response payload size exceeded maximum allowed payload size (%1 bytes).")
                .arg(MaxPayloadBytes)));
        return;
    }
    if (!crashed && exitCode == 0) {
        if (!m_stderr.isEmpty()) // a handler's logging, as Lambda sends it to CloudWatch
            qCDebug(lcLocalFunctions).noquote() << m_function << "stderr:" << Core::stderrTail(m_stderr);
        succeedWith(functionSucceeded(m_stdout));
        return;
    }
    // Lambda's words for a runtime that died, then what the command said.
    QString happened = QStringLiteral("RequestId: %1 Error: Runtime exited with error: ").arg(newRequestId());
    happened += crashed ? QStringLiteral("killed by a signal") : QStringLiteral("exit status %1").arg(exitCode);
    const QString err = Core::stderrTail(m_stderr);
    if (!err.isEmpty())
        happened += QStringLiteral(" (stderr: %1)").arg(err);
    succeedWith(functionFailed(m_stdout, happened));
}

void CommandFunctionJob::stopProcess()
{
    if (m_process)
        Core::killProcessLater(std::exchange(m_process, nullptr), this);
}

} // namespace Bramble::LocalRuntime
