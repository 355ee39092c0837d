#pragma once

#include "peerprocess.h"

#include <QString>
#include <QStringList>

namespace Bramble::Test {

// A real OpenSSH server on a free port of 127.0.0.1 that accepts one client key
// for the user running the test, with its own freshly generated host key.
//
//     SshServer sshd;
//     QVERIFY2(sshd.start(), qPrintable(sshd.errorString()));
//     session.connectTo(sshd.host(), sshd.port(), sshd.userName(), sshd.clientKeyPath());
//     QVERIFY(sshd.writeKnownHosts(knownHostsPath)); // or leave it empty to test "unknown host"
//     ...
//     QCOMPARE(sshd.recordedCommands(), QStringList{QStringLiteral("uname -m")});
//
// start() generates (once per object) an ed25519 host key and an ed25519 client
// key without passphrase with ssh-keygen, writes authorized_keys, sshd_config and
// a ForceCommand wrapper into directory(), creates /run/sshd if missing (sshd's
// privilege separation directory; needs root, only needed as root) and runs
// `/usr/sbin/sshd -D -e -f <config>`. Ready when the server's identification line
// (SSH-2.0-...) arrives on the port. Only public key authentication is offered
// (no password, no keyboard-interactive, no PAM); StrictModes is off because the
// keys live under the temporary directory.
//
// Every session command runs through the wrapper, which appends the command as it
// arrived ($SSH_ORIGINAL_COMMAND) as one line to commands.log and then runs it with
// `/bin/sh -c` as the user running the test, on this machine. A command containing
// newlines spans several lines of the log; an interactive shell is logged as an
// empty line; the sftp subsystem is logged as "internal-sftp" and served by
// sftp-server (ForceCommand would otherwise break it). Sessions get SHLVL=1 so a
// bash login shell does not source the user's ~/.bashrc (on the dev machines it
// runs `pyenv init`: 0.8 s per command, and any output it makes would land in the
// command's output).
//
// Known limit: with UsePAM no, sshd refuses accounts whose password field is
// locked ("!" in /etc/shadow, as useradd leaves new users); root on CI has "*".
class SshServer : public PeerProcess {
public:
    SshServer();

    QString host() const; // "127.0.0.1"
    quint16 port() const; // 0 before start(); a fresh port on each start attempt
    QString userName() const; // the user running the test, the only one allowed in
    // The client's private key (OpenSSH format, no passphrase); the public key is
    // next to it with ".pub". Valid after start().
    QString clientKeyPath() const;
    // The server's public host key as ssh-keygen wrote it: "ssh-ed25519 AAAA... comment".
    QString hostPublicKey() const;
    // "SHA256:..." as `ssh-keygen -l` and OpenSSH clients print it.
    QString hostKeyFingerprint() const;
    // One known_hosts line for this server: "[127.0.0.1]:PORT ssh-ed25519 AAAA...".
    QString knownHostsLine() const;
    // Writes a known_hosts file containing only knownHostsLine().
    bool writeKnownHosts(const QString &path) const;
    // The commands sessions ran so far, oldest first (see the wrapper above).
    QStringList recordedCommands() const;
    QString commandLogPath() const;
    QString configPath() const;

protected:
    bool prepare(QString *error) override;

private:
    bool generateKeys(QString *error);
    bool writeFiles(QString *error);

    quint16 m_port = 0;
    QString m_userName;
};

} // namespace Bramble::Test
