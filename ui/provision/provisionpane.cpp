#include "ui/provision/provisionpane.h"

#include "session/connectioncatalog.h"
#include "ssh/sshenvironment.h"
#include "ui/common/emptystate.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"

#include <QPalette>

namespace Bramble::Ui {

ProvisionPane::ProvisionPane(Session::ConnectionCatalog *catalog, QWidget *parent)
    : Pane(QStringLiteral("provision"), tr("Provision"), QStringLiteral("provision"), parent)
    , m_catalog(catalog)
{
    connect(catalog, &Session::ConnectionCatalog::reloaded, this, &ProvisionPane::refresh);
    connect(catalog, &Session::ConnectionCatalog::currentContextChanged, this, &ProvisionPane::refresh);
    refresh();
}

void ProvisionPane::refresh()
{
    const Ssh::SshEnvironment ssh = Ssh::SshEnvironment::inspect(m_catalog->environment());
    const QPalette pal = palette();
    auto item = [&](bool ok, const QString &what, const QString &detail) {
        const QColor c = toneColor(ok ? Tone::Ok : Tone::Warning, pal);
        return QStringLiteral("<tr><td style='color:%1; padding-right:8px'>%2</td><td><b>%3</b><br>%4</td></tr>")
            .arg(c.name(), ok ? QStringLiteral("✔") : QStringLiteral("!"), what.toHtmlEscaped(), detail);
    };
    QString rows;
    rows += item(ssh.agentSocketExists, tr("SSH agent"),
        ssh.agentSocketExists ? tr("found at %1").arg(ssh.agentSocket.toHtmlEscaped())
                              : tr("no agent (<code>SSH_AUTH_SOCK</code> is unset or stale); a key file "
                                   "will be asked for"));
    rows += item(!ssh.identityFiles.isEmpty(), tr("SSH key"),
        ssh.identityFiles.isEmpty() ? tr("no ~/.ssh/id_ed25519, id_ecdsa or id_rsa")
                                    : ssh.identityFiles.join(QStringLiteral(", ")).toHtmlEscaped());
    rows += item(ssh.knownHostsEntries > 0, tr("Known hosts"),
        ssh.knownHostsEntries > 0 ? tr("%1 in %2")
                                        .arg(countOf(ssh.knownHostsEntries, tr("host key"), tr("host keys")),
                                            ssh.knownHostsFile.toHtmlEscaped())
                                  : tr("%1 is empty or missing; a new Pi's key will be shown for you to "
                                       "trust")
                                        .arg(ssh.knownHostsFile.toHtmlEscaped()));
    const QString context = m_catalog->currentContext();
    const Kube::KubeContext *ctx = m_catalog->kube().config.context(context);
    rows += item(ctx != nullptr, tr("Cluster to join"),
        ctx ? tr("context %1 (cluster %2)").arg(context.toHtmlEscaped(), ctx->cluster.toHtmlEscaped())
            : tr("no Kubernetes context: the new node needs a control plane to join"));

    EmptyState *empty = emptyState();
    empty->setIcon(QStringLiteral("provision"));
    empty->setTitle(tr("Turn a fresh Raspberry Pi into a Ready node"));
    empty->setBody(tr("<p>The wizard will trust the Pi's host key, run preflight checks, install the "
                      "container runtime and kubelet step by step, and join it with a bootstrap token. "
                      "It is not part of this build yet. What it will use on this machine:</p>"
                      "<table align='center'>%1</table>")
                       .arg(rows));
    showEmptyState(true);
}

} // namespace Bramble::Ui
