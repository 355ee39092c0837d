#include "cli.h"

#include "kube/kubeclient.h"

namespace Bramble::Cli {

std::unique_ptr<Kube::KubeClient> openKubeClient(const Invocation &inv)
{
    Core::Errors errors, warnings;
    std::unique_ptr<Kube::KubeClient> client(
        Kube::KubeClient::open(inv.env, inv.global.kubeconfig, inv.global.context, &errors, &warnings));
    for (const Core::Error &e : errors)
        inv.err << "bramblectl: " << e.toString() << Qt::endl;
    // An insecure connection is worth a line even without --verbose.
    for (const Core::Error &w : warnings)
        if (inv.global.verbose || w.message.contains(QStringLiteral("insecure")))
            inv.err << "bramblectl: warning: " << w.toString() << Qt::endl;
    return client;
}

} // namespace Bramble::Cli
