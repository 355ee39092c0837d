#include "ssh/sshenvironment.h"

#include <QFile>
#include <QFileInfo>

namespace Bramble::Ssh {

SshEnvironment SshEnvironment::inspect(const Core::Environment &env)
{
    SshEnvironment s;
    s.agentSocket = env.value(QStringLiteral("SSH_AUTH_SOCK"));
    s.agentSocketExists = !s.agentSocket.isEmpty() && QFileInfo::exists(s.agentSocket);
    const QString dir = env.homeDir() + QStringLiteral("/.ssh/");
    s.knownHostsFile = dir + QStringLiteral("known_hosts");
    QFile known(s.knownHostsFile);
    if (known.open(QIODevice::ReadOnly)) {
        while (!known.atEnd()) {
            const QByteArray line = known.readLine().trimmed();
            if (!line.isEmpty() && !line.startsWith('#'))
                ++s.knownHostsEntries;
        }
    }
    // OpenSSH's default order for identities.
    for (const char *name : { "id_ed25519", "id_ecdsa", "id_rsa" }) {
        const QString path = dir + QString::fromLatin1(name);
        if (QFileInfo::exists(path))
            s.identityFiles << path;
    }
    return s;
}

} // namespace Bramble::Ssh
