#pragma once

#include "core/environment.h"

#include <QString>
#include <QStringList>

namespace Bramble::Ssh {

// What OpenSSH on this machine would use, found without connecting anywhere:
// the agent socket, the user's known_hosts and the default identity files.
struct SshEnvironment {
    QString agentSocket; // $SSH_AUTH_SOCK; empty when unset
    bool agentSocketExists = false;
    QString knownHostsFile; // ~/.ssh/known_hosts
    int knownHostsEntries = 0; // non-comment lines; 0 when the file is missing
    QStringList identityFiles; // existing ~/.ssh/id_{ed25519,ecdsa,rsa}

    static SshEnvironment inspect(const Core::Environment &env);
};

} // namespace Bramble::Ssh
