#include "sshserver.h"

#include "loopback.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Bramble::Test {

namespace {

const QString SshdPath = QStringLiteral("/usr/sbin/sshd");
const QString PrivsepDir = QStringLiteral("/run/sshd");

QString currentUserName()
{
    if (const passwd *pw = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

bool writeFile(const QString &path, const QByteArray &contents, QString *error,
    QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) != contents.size()
        || !file.setPermissions(permissions)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// sshd_config and the wrapper script take these paths verbatim; QTemporaryDir
// paths are safe unless TMPDIR is exotic.
bool isPlainPath(const QString &path)
{
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c == u'"' || c == u'\'' || c == u'\\' || c == u'%' || c == u'$' || c == u'`')
            return false;
    }
    return true;
}

QByteArray quoted(const QString &path)
{
    return '"' + QFile::encodeName(path) + '"';
}

QString firstExisting(const QStringList &paths)
{
    for (const QString &path : paths) {
        if (QFileInfo(path).isExecutable())
            return path;
    }
    return paths.first();
}

} // namespace

SshServer::SshServer()
    : PeerProcess(QStringLiteral("sshd"))
    , m_userName(currentUserName())
{
    setReadinessCheck([this](QString *why) {
        const QByteArray greeting = loopbackGreeting(m_port, std::chrono::seconds(1), why);
        if (greeting.startsWith("SSH-2.0-"))
            return true;
        if (!greeting.isEmpty())
            *why = QStringLiteral("unexpected greeting: ") + QString::fromLatin1(greeting.left(80));
        return false;
    });
}

bool SshServer::prepare(QString *error)
{
    if (!isPlainPath(directory())) {
        *error = QStringLiteral("temporary directory %1 has characters sshd_config cannot take; set TMPDIR")
                     .arg(directory());
        return false;
    }
    if (!QFileInfo(SshdPath).isExecutable()) {
        *error = QStringLiteral("%1 not found (Debian: apt-get install openssh-server)").arg(SshdPath);
        return false;
    }
    if (!QFileInfo::exists(PrivsepDir)) {
        // sshd running as root refuses to start without its privilege separation
        // directory; a container often lacks it because nothing ran the init script.
        const QByteArray path = QFile::encodeName(PrivsepDir);
        if (::mkdir(path.constData(), 0755) == 0) {
            ::chmod(path.constData(), 0755); // whatever the umask
        } else if (::geteuid() == 0) {
            *error = QStringLiteral("cannot create %1: %2").arg(PrivsepDir, QString::fromLocal8Bit(::strerror(errno)));
            return false;
        }
    }
    if (!QFileInfo::exists(clientKeyPath()) && !generateKeys(error))
        return false;
    m_port = freeLoopbackPort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port on 127.0.0.1");
        return false;
    }
    if (!writeFiles(error))
        return false;
    setCommand(SshdPath, { QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), configPath() });
    return true;
}

bool SshServer::generateKeys(QString *error)
{
    const QString keygen = QStringLiteral("ssh-keygen");
    const QList<std::pair<QString, QString>> keys = {
        { filePath(QStringLiteral("host_ed25519")), QStringLiteral("bramble-test-host") },
        { clientKeyPath(), QStringLiteral("bramble-test-client") },
    };
    for (const auto &[path, comment] : keys) {
        QFile::remove(path);
        QFile::remove(path + QStringLiteral(".pub"));
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setStandardInputFile(QProcess::nullDevice());
        process.start(keygen,
            { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"), QString(),
                QStringLiteral("-C"), comment, QStringLiteral("-f"), path });
        if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit
            || process.exitCode() != 0) {
            *error = QStringLiteral("ssh-keygen for %1 failed (%2, exit code %3): %4")
                         .arg(path, process.errorString())
                         .arg(process.exitCode())
                         .arg(QString::fromLocal8Bit(process.readAll()).trimmed());
            process.kill();
            process.waitForFinished();
            return false;
        }
    }
    return true;
}

bool SshServer::writeFiles(QString *error)
{
    const QByteArray clientPublicKey = readFile(clientKeyPath() + QStringLiteral(".pub"));
    if (clientPublicKey.isEmpty()) {
        *error = QStringLiteral("cannot read %1.pub").arg(clientKeyPath());
        return false;
    }
    if (!writeFile(filePath(QStringLiteral("authorized_keys")), clientPublicKey, error))
        return false;

    const QString sftpServer = firstExisting({ QStringLiteral("/usr/lib/openssh/sftp-server"),
        QStringLiteral("/usr/libexec/openssh/sftp-server"), QStringLiteral("/usr/libexec/sftp-server") });
    const QByteArray log = '\'' + QFile::encodeName(commandLogPath()) + '\'';
    const QByteArray wrapper = "#!/bin/sh\n"
                               "# Written by Bramble's SshServer test helper: record the command, then run it.\n"
                               "printf '%s\\n' \"$SSH_ORIGINAL_COMMAND\" >> "
        + log
        + "\n"
          "case \"$SSH_ORIGINAL_COMMAND\" in\n"
          "  internal-sftp) exec '"
        + QFile::encodeName(sftpServer)
        + "' ;;\n"
          "  '') exec \"${SHELL:-/bin/sh}\" -l ;;\n"
          "esac\n"
          "exec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n";
    const QString wrapperPath = filePath(QStringLiteral("record-command.sh"));
    if (!writeFile(wrapperPath, wrapper, error,
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther))
        return false;
    if (!QFileInfo::exists(commandLogPath()) && !writeFile(commandLogPath(), {}, error))
        return false;

    const QByteArray config = "# Written by Bramble's SshServer test helper.\n"
                              "Port "
        + QByteArray::number(m_port)
        + "\n"
          "ListenAddress 127.0.0.1\n"
          "HostKey "
        + quoted(filePath(QStringLiteral("host_ed25519")))
        + "\n"
          "PidFile "
        + quoted(filePath(QStringLiteral("sshd.pid")))
        + "\n"
          "AuthorizedKeysFile "
        + quoted(filePath(QStringLiteral("authorized_keys")))
        + "\n"
          "UsePAM no\n"
          "StrictModes no\n"
          "PasswordAuthentication no\n"
          "KbdInteractiveAuthentication no\n"
          "PubkeyAuthentication yes\n"
          "AllowUsers "
        + m_userName.toLocal8Bit()
        + "\n"
          "PermitRootLogin prohibit-password\n"
          "PrintMotd no\n"
          "PrintLastLog no\n"
          "UseDNS no\n"
          "LogLevel VERBOSE\n"
          // bash sources ~/.bashrc for commands run by sshd unless it is a nested
          // shell: keep the user's rc files (slow, chatty) out of test sessions.
          "SetEnv SHLVL=1\n"
          "Subsystem sftp internal-sftp\n"
          "ForceCommand '"
        + QFile::encodeName(wrapperPath) + "'\n";
    return writeFile(configPath(), config, error);
}

QString SshServer::host() const
{
    return loopbackHost();
}

quint16 SshServer::port() const
{
    return m_port;
}

QString SshServer::userName() const
{
    return m_userName;
}

QString SshServer::clientKeyPath() const
{
    return filePath(QStringLiteral("client_ed25519"));
}

QString SshServer::hostPublicKey() const
{
    return QString::fromLatin1(readFile(filePath(QStringLiteral("host_ed25519.pub")))).trimmed();
}

QString SshServer::hostKeyFingerprint() const
{
    // SHA-256 of the key blob (the base64 field), base64 without padding.
    const QStringList fields = hostPublicKey().split(u' ', Qt::SkipEmptyParts);
    if (fields.size() < 2)
        return {};
    const QByteArray blob = QByteArray::fromBase64(fields.at(1).toLatin1());
    const QByteArray digest = QCryptographicHash::hash(blob, QCryptographicHash::Sha256);
    return QStringLiteral("SHA256:")
        + QString::fromLatin1(digest.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals));
}

QString SshServer::knownHostsLine() const
{
    const QStringList fields = hostPublicKey().split(u' ', Qt::SkipEmptyParts);
    if (fields.size() < 2)
        return {};
    return QStringLiteral("[%1]:%2 %3 %4").arg(host()).arg(m_port).arg(fields.at(0), fields.at(1));
}

bool SshServer::writeKnownHosts(const QString &path) const
{
    const QString line = knownHostsLine();
    if (line.isEmpty())
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write((line + u'\n').toLatin1()) > 0;
}

QStringList SshServer::recordedCommands() const
{
    QStringList lines = QString::fromUtf8(readFile(commandLogPath())).split(u'\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

QString SshServer::commandLogPath() const
{
    return filePath(QStringLiteral("commands.log"));
}

QString SshServer::configPath() const
{
    return filePath(QStringLiteral("sshd_config"));
}

} // namespace Bramble::Test
