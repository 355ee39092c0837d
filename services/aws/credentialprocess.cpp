#include "aws/credentialprocess.h"

#include "aws/logging.h"
#include "aws/shellsplit.h"

#include "core/childprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace Bramble::Aws {

namespace {

constexpr qsizetype MaxStdout = 1024 * 1024;
constexpr qsizetype MaxStderr = 64 * 1024;

QString what(const CredentialProcessRequest &request)
{
    return QStringLiteral("credential_process of profile ") + request.profile;
}

// A bare name is looked up in the PATH of the command's environment (as
// execvp does for botocore's Popen), not in ours.
QString resolveProgram(const QString &program, const QProcessEnvironment &env)
{
    if (program.contains(u'/'))
        return program;
    QString path = env.value(QStringLiteral("PATH"));
    if (path.isEmpty())
        path = QStringLiteral("/bin:/usr/bin");
    return QStandardPaths::findExecutable(program, path.split(QDir::listSeparator(), Qt::SkipEmptyParts));
}

} // namespace

QDateTime parseAwsTimestamp(const QString &text)
{
    QString s = text.trimmed();
    if (s.endsWith(QStringLiteral("UTC")))
        s = s.chopped(3).trimmed() + u'Z';
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(s, Qt::ISODate);
    if (!t.isValid())
        return {};
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toUTC();
}

CredentialProcessJob::CredentialProcessJob(CredentialProcessRequest request, QObject *parent)
    : Core::ValueJob<AwsCredentials>(parent)
    , m_request(std::move(request))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &CredentialProcessJob::onTimeout);
}

CredentialProcessJob::~CredentialProcessJob()
{
    stopProcess();
}

void CredentialProcessJob::begin()
{
    const std::optional<QStringList> argv = shellSplit(m_request.commandLine);
    if (!argv) {
        fail(what(m_request) + QStringLiteral(" has an unclosed quote or a trailing backslash"));
        return;
    }
    if (argv->isEmpty() || argv->first().isEmpty()) {
        fail(what(m_request) + QStringLiteral(" is empty"));
        return;
    }
    const QString program = resolveProgram(argv->first(), m_request.environment);
    if (program.isEmpty()) {
        fail(what(m_request)
            + QStringLiteral(": command not found: %1 (in the PATH of the environment)").arg(argv->first()));
        return;
    }

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(argv->mid(1));
    m_process->setProcessEnvironment(m_request.environment);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_stdout += m_process->readAllStandardOutput();
        if (m_stdout.size() > MaxStdout) {
            stopProcess();
            fail(what(m_request) + QStringLiteral(" printed more than %1 KiB").arg(MaxStdout / 1024));
        }
    });
    connect(m_process, &QProcess::readyReadStandardError, this,
        [this] { Core::appendBounded(m_stderr, m_process->readAllStandardError(), MaxStderr); });
    connect(m_process, &QProcess::finished, this,
        [this](int code, QProcess::ExitStatus status) { onProcessFinished(code, int(status)); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // crashes and read errors end in finished()
        const QString reason = m_process->errorString();
        stopProcess();
        fail(what(m_request) + QStringLiteral(" could not be started: ") + reason);
    });
    qCDebug(lcAws).noquote() << "running" << what(m_request) << "program" << program;
    m_timer->start(m_request.timeoutMs);
    m_process->start();
}

void CredentialProcessJob::abort()
{
    m_timer->stop();
    stopProcess();
}

void CredentialProcessJob::onProcessFinished(int exitCode, int exitStatus)
{
    if (isEnding())
        return;
    m_timer->stop();
    m_stdout += m_process->readAllStandardOutput();
    Core::appendBounded(m_stderr, m_process->readAllStandardError(), MaxStderr);
    m_process->deleteLater();
    m_process->disconnect(this);
    m_process = nullptr;

    if (exitStatus != QProcess::NormalExit) {
        QString message = what(m_request) + QStringLiteral(" crashed (killed by a signal)");
        const QString err = Core::stderrTail(m_stderr);
        if (!err.isEmpty())
            message += QStringLiteral(": ") + err;
        fail(message);
        return;
    }
    if (exitCode != 0) {
        QString message = what(m_request) + QStringLiteral(" exited with code %1").arg(exitCode);
        const QString err = Core::stderrTail(m_stderr);
        message += err.isEmpty() ? QStringLiteral(" and no message on stderr") : QStringLiteral(": ") + err;
        CredentialProcessResult result;
        result.exitCode = exitCode;
        result.error = Core::Error(message, m_request.where);
        finishLater(result);
        return;
    }
    CredentialProcessResult result = parseOutput(m_stdout, m_request);
    result.exitCode = exitCode;
    if (result.ok())
        qCDebug(lcAws).noquote() << what(m_request) << "gave" << result.credentials.describe();
    finishLater(result);
}

void CredentialProcessJob::onTimeout()
{
    if (isEnding())
        return;
    stopProcess();
    QString message = what(m_request) + QStringLiteral(" did not finish within %1 s").arg(m_request.timeoutMs / 1000.0);
    const QString err = Core::stderrTail(m_stderr);
    if (!err.isEmpty())
        message += QStringLiteral(": ") + err;
    fail(message);
}

void CredentialProcessJob::fail(const QString &message)
{
    CredentialProcessResult result;
    result.error = Core::Error(message, m_request.where);
    finishLater(result);
}

void CredentialProcessJob::finishLater(CredentialProcessResult result)
{
    if (isEnding())
        return;
    m_timer->stop();
    m_exitCode = result.exitCode;
    // Core::Job emits finished() later, from the event loop.
    if (result.ok())
        succeedWith(std::move(result.credentials));
    else
        Core::ValueJob<AwsCredentials>::fail(std::move(result.error));
}

void CredentialProcessJob::stopProcess()
{
    if (m_process)
        Core::killProcessLater(std::exchange(m_process, nullptr), this);
}

CredentialProcessResult CredentialProcessJob::parseOutput(
    const QByteArray &output, const CredentialProcessRequest &request, const QDateTime &now)
{
    CredentialProcessResult result;
    const auto error = [&](const QString &message) {
        result.error = Core::Error(what(request) + u' ' + message, request.where);
        return result;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(output, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(QStringLiteral("printed invalid JSON (offset %1: %2)")
                         .arg(parseError.offset)
                         .arg(parseError.errorString()));
    if (!doc.isObject())
        return error(QStringLiteral("printed JSON that is not an object"));
    const QJsonObject json = doc.object();

    // botocore compares with `!= 1`: 1 and 1.0 pass, "1" does not.
    const QJsonValue version = json.value(QStringLiteral("Version"));
    if (version.isUndefined())
        return error(QStringLiteral("printed no Version; the supported version is 1"));
    if (!version.isDouble() || version.toDouble() != 1.0) {
        const QString shown
            = QString::fromUtf8(QJsonDocument(QJsonArray { version }).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
        return error(QStringLiteral("printed unsupported Version %1; the supported version is 1").arg(shown));
    }

    const auto text = [&](const char *key, bool required, QString *out) -> bool {
        const QJsonValue v = json.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required) {
                error(QStringLiteral("printed no %1").arg(QLatin1String(key)));
                return false;
            }
            return true;
        }
        if (!v.isString() || (required && v.toString().isEmpty())) {
            error(QStringLiteral("printed a %1 that is not a non-empty string").arg(QLatin1String(key)));
            return false;
        }
        *out = v.toString();
        return true;
    };
    AwsCredentials &c = result.credentials;
    QString expiration;
    if (!text("AccessKeyId", true, &c.accessKeyId) || !text("SecretAccessKey", true, &c.secretAccessKey)
        || !text("SessionToken", false, &c.sessionToken) || !text("Expiration", false, &expiration)) {
        result.credentials = {};
        return result;
    }
    if (!expiration.isEmpty()) {
        c.expiration = parseAwsTimestamp(expiration);
        if (!c.expiration.isValid()) {
            result.credentials = {};
            return error(QStringLiteral("printed an Expiration that is not an ISO 8601 time: \"%1\"").arg(expiration));
        }
        // botocore refreshes expired process credentials once and then
        // refuses them ("refreshed credentials are still expired").
        if (c.expiration <= now) {
            const QString when = c.expiration.toString(Qt::ISODate);
            result.credentials = {};
            return error(QStringLiteral("returned credentials that expired at %1").arg(when));
        }
    }
    c.source = QStringLiteral("profile %1 (credential_process)").arg(request.profile);
    return result;
}

} // namespace Bramble::Aws
