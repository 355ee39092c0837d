#pragma once

#include "asl/taskrunner.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

class QProcess;

namespace Bramble::LocalRuntime {

// One invocation of a function bound to a command (argv, no shell): the
// event's JSON text on stdin, the result's JSON on stdout, as a Lambda
// handler takes an event and returns a value.
//  - exit 0: the value is the function's result (functionSucceeded(): empty
//    output is null, output that is not JSON is Runtime.MarshalError);
//  - another exit, or a crash: functionFailed() on stdout, so printing
//    {"errorType", "errorMessage"} raises that error with that document as
//    the cause; without one it is Lambda.Unknown quoting the exit status and
//    the end of stderr;
//  - stdout past Lambda's 6 MB payload limit: the command is killed and the
//    task fails with Function.ResponseSizeTooLarge.
// The command's environment is ours plus AWS_LAMBDA_FUNCTION_NAME; it runs
// in `workingDirectory` (ours when empty), where a relative program path
// ("./process.py") is found too.
// A command that cannot be started fails the job (Core::Error naming it).
//
// A Core::Job on its thread: start() returns at once; cancel() (and deleting
// a running job) kills the command without waiting for it.
class CommandFunctionJob : public TaskCall {
    Q_OBJECT

public:
    CommandFunctionJob(
        QString functionName, QStringList argv, QString workingDirectory, QByteArray event, QObject *parent = nullptr);
    ~CommandFunctionJob() override;

protected:
    void begin() override;
    void abort() override;

private:
    void onFinished(int exitCode, bool crashed);
    void stopProcess();

    QString m_function;
    QStringList m_argv;
    QString m_workingDirectory;
    QByteArray m_event;
    QProcess *m_process = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace Bramble::LocalRuntime
