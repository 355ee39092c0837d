#include "ui/common/kubeconnectionpane.h"

#include "kube/listwatch.h"
#include "session/connectioncatalog.h"
#include "ui/common/connectionsummary.h"
#include "ui/common/emptystate.h"

#include <QPushButton>

namespace Bramble::Ui {

KubeConnectionPane::KubeConnectionPane(const QString &id, const QString &title, const QString &iconName,
    Session::ConnectionCatalog *catalog, const QString &note, QWidget *parent)
    : Pane(id, title, iconName, parent)
    , m_catalog(catalog)
    , m_summary(new ConnectionSummary(this))
    , m_note(note)
{
    setContent(m_summary);
    connect(catalog, &Session::ConnectionCatalog::reloaded, this, &KubeConnectionPane::updateView);
    connect(catalog, &Session::ConnectionCatalog::currentContextChanged, this, &KubeConnectionPane::updateView);
    // Deferred so subclasses are complete before the first virtual call.
    QMetaObject::invokeMethod(this, &KubeConnectionPane::updateView, Qt::QueuedConnection);
}

ConnectionSummary *KubeConnectionPane::summary() const
{
    return m_summary;
}

void KubeConnectionPane::updateView()
{
    if (showConnectionProblem() || !m_summary)
        return;
    const QString context = m_catalog->currentContext();
    m_summary->showKubeContext(m_catalog->kube().config, context);
    setSubtitle(tr("context %1").arg(context));
    m_summary->setNote(m_note);
    showEmptyState(false);
}

bool KubeConnectionPane::showConnectionProblem()
{
    const auto &kube = m_catalog->kube();
    EmptyState *empty = emptyState();
    empty->clearActions();
    if (!kube.ok()) {
        empty->setIcon(QStringLiteral("error"));
        empty->setTitle(tr("The kubeconfig could not be read"));
        QStringList lines;
        for (const Core::Error &e : kube.errors)
            lines << e.toString().toHtmlEscaped();
        empty->setBody(
            lines.join(QStringLiteral("<br>")) + tr("<p>Fix the file and press F5, or open another kubeconfig.</p>"));
        connect(empty->addAction(tr("Open kubeconfig…"), QStringLiteral("file")), &QPushButton::clicked, this,
            &KubeConnectionPane::openKubeconfigRequested);
        setSubtitle(QString());
        showEmptyState(true);
        return true;
    }
    const QString context = m_catalog->currentContext();
    if (kube.config.contexts.isEmpty() || context.isEmpty()) {
        empty->setIcon(QStringLiteral("kubernetes"));
        empty->setTitle(
            kube.config.contexts.isEmpty() ? tr("No Kubernetes cluster found") : tr("No Kubernetes context selected"));
        const QStringList paths
            = Kube::KubeconfigLoader::searchPaths(m_catalog->environment(), m_catalog->kubeconfigOverride());
        empty->setBody(tr("<p>Bramble looked in %1.</p><p>Point <code>KUBECONFIG</code> at your cluster's kubeconfig "
                          "(as for kubectl) or open one here, then press F5. To add a fresh Raspberry Pi to a "
                          "cluster, use Provision.</p>")
                           .arg(paths.join(QStringLiteral(", ")).toHtmlEscaped()));
        connect(empty->addAction(tr("Provision a Pi…"), QStringLiteral("provision")), &QPushButton::clicked, this,
            [this] { Q_EMIT navigateRequested(QStringLiteral("provision")); });
        connect(empty->addAction(tr("Open kubeconfig…"), QStringLiteral("file")), &QPushButton::clicked, this,
            &KubeConnectionPane::openKubeconfigRequested);
        setSubtitle(QString());
        showEmptyState(true);
        return true;
    }
    return false;
}

bool KubeConnectionPane::showOpenErrors(const Core::Errors &errors)
{
    if (errors.isEmpty())
        return false;
    const QString context = m_catalog->currentContext();
    EmptyState *empty = emptyState();
    empty->clearActions();
    empty->setIcon(QStringLiteral("error"));
    empty->setTitle(tr("The context “%1” cannot be used").arg(context));
    QStringList lines;
    for (const Core::Error &e : errors)
        lines << e.toString().toHtmlEscaped();
    empty->setBody(lines.join(QStringLiteral("<br>"))
        + tr("<p>Fix the kubeconfig and press F5, choose another context, or open another kubeconfig.</p>"));
    connect(empty->addAction(tr("Open kubeconfig…"), QStringLiteral("file")), &QPushButton::clicked, this,
        &KubeConnectionPane::openKubeconfigRequested);
    setSubtitle(tr("context %1").arg(context));
    setFindAvailable(false);
    showEmptyState(true);
    return true;
}

bool KubeConnectionPane::showUnusableContext(const Core::Errors &openErrors)
{
    if (showConnectionProblem()) {
        setFindAvailable(false);
        return true;
    }
    return showOpenErrors(openErrors);
}

bool KubeConnectionPane::showConnectionTrouble(
    EmptyState *placeholder, const QString &serverHtml, const Kube::ConnectionStatus &status)
{
    const bool failed = status.state == Kube::ConnectionStatus::Failed;
    if (!failed && status.state != Kube::ConnectionStatus::Reconnecting)
        return false;
    placeholder->setIcon(failed ? QStringLiteral("error") : QStringLiteral("warning"));
    placeholder->setTitle(failed ? tr("The cluster refuses Bramble") : tr("Cannot reach the cluster"));
    placeholder->setBody(tr("<p>%1</p><p>%2</p><p>Bramble keeps retrying (attempt %3); press F5 to retry now.</p>")
                             .arg(serverHtml, status.reason.toHtmlEscaped())
                             .arg(status.attempt));
    return true;
}

} // namespace Bramble::Ui
