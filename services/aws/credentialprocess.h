#pragma once

#include "aws/credentials.h"
#include "core/error.h"

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
// GUI thread. start() returns at once; finished() is emitted exactly once,
// later (also when the command cannot be started, and after cancel()). The
// job does not delete itself; its owner deletes it (deleteLater() from the
// finished slot is fine). Deleting a running job kills the command.
class CredentialProcessJob : public QObject {
    Q_OBJECT

public:
    explicit CredentialProcessJob(CredentialProcessRequest request, QObject *parent = nullptr);
    ~CredentialProcessJob() override;

    void start();
    bool isFinished() const { return m_finished; }
    const CredentialProcessRequest &request() const { return m_request; }
    const CredentialProcessResult &result() const { return m_result; }

    // The credentials in a command's standard output, checked as above
    // against `now`. Pure function, any thread.
    static CredentialProcessResult parseOutput(const QByteArray &output, const CredentialProcessRequest &request,
        const QDateTime &now = QDateTime::currentDateTimeUtc());

public Q_SLOTS:
    // Kills the command; finished() follows with a "cancelled" error.
    void cancel();

Q_SIGNALS:
    void finished(const Bramble::Aws::CredentialProcessResult &result);

private:
    void onProcessFinished(int exitCode, int exitStatus);
    void onTimeout();
    void fail(const QString &message);
    void finishLater(CredentialProcessResult result);
    void stopProcess();

    CredentialProcessRequest m_request;
    CredentialProcessResult m_result;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_started = false;
    bool m_finished = false;
};

} // namespace Bramble::Aws
