#pragma once

#include "aws/credentials.h"
#include "core/error.h"
#include "core/job.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QString>

class QProcess;
class QTimer;

namespace Bramble::Aws {

// One run of a profile's credential_process.
struct CredentialProcessRequest {
    QString commandLine; // the credential_process value; split like shlex.split, run without a shell
    QString profile; // the profile that names it, for messages
    Core::SourceLocation where; // the credential_process setting: file, line, key
    QProcessEnvironment environment; // the command's whole environment; its PATH finds a bare program name
    int timeoutMs = 120000; // the command is killed after this long (botocore waits forever)
};

struct CredentialProcessResult {
    AwsCredentials credentials; // source: "profile x (credential_process)"
    Core::Error error; // at request.where; includes the exit code and the trimmed stderr
    int exitCode = -1; // -1 when it did not exit normally or never started

    bool ok() const { return error.isNull() && credentials.isValid(); }
};

// An ISO 8601 time as botocore (dateutil) reads the ones credential
// processes, the environment and the SSO token cache hold: "Z", an offset, a
// trailing "UTC", or no zone (taken as UTC); fractions optional. Invalid
// QDateTime when it does not parse; otherwise in UTC.
QDateTime parseAwsTimestamp(const QString &text);

// Runs a credential_process command as botocore's ProcessProvider does: the
// command line split with shlex rules and started directly (no shell), stdin
// empty, stdout read as the JSON document
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"? (ISO 8601)}.
// A non-zero exit, output that is not that document, another Version or an
// Expiration already past are errors. Secrets never reach logs or errors
// (stdout is never quoted).
//
// A Core::Job on the GUI thread: value() is the credentials, error() says
// why there are none (at request.where, with the exit code and the trimmed
// stderr). start() returns at once; finished() comes exactly once, later
// (also when the command cannot be started, and after cancel(), which kills
// it). Deleting a running job kills the command.
class CredentialProcessJob : public Core::ValueJob<AwsCredentials> {
    Q_OBJECT

public:
    explicit CredentialProcessJob(CredentialProcessRequest request, QObject *parent = nullptr);
    ~CredentialProcessJob() override;

    const CredentialProcessRequest &request() const { return m_request; }
    // The command's exit code; -1 when it did not exit normally or never started.
    int exitCode() const { return m_exitCode; }

    // The credentials in a command's standard output, checked as above
    // against `now`. Pure function, any thread.
    static CredentialProcessResult parseOutput(const QByteArray &output, const CredentialProcessRequest &request,
        const QDateTime &now = QDateTime::currentDateTimeUtc());

protected:
    void begin() override;
    // cancel(): kills the command.
    void abort() override;

private:
    void onProcessFinished(int exitCode, int exitStatus);
    void onTimeout();
    void fail(const QString &message);
    void finishLater(CredentialProcessResult result);
    void stopProcess();

    CredentialProcessRequest m_request;
    int m_exitCode = -1;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace Bramble::Aws
