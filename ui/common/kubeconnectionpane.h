#pragma once

#include "ui/common/pane.h"

#include <QPointer>

namespace Bramble::Session { class ConnectionCatalog; }

namespace Bramble::Ui {

class ConnectionSummary;

// Base of the panes that show a Kubernetes cluster (Nodes, Load balancers):
// an empty state when no usable context exists, else the context in use.
class KubeConnectionPane : public Pane
{
    Q_OBJECT

public:
    KubeConnectionPane(const QString &id, const QString &title, const QString &iconName,
                       Session::ConnectionCatalog *catalog, const QString &note, QWidget *parent = nullptr);

Q_SIGNALS:
    void openKubeconfigRequested();

protected:
    // Called after every change of the kubeconfig or the chosen context.
    // The default shows the context's summary card.
    virtual void updateView();
    // Shows the empty state for a kubeconfig that cannot be read or names no
    // context, and returns true; returns false (showing nothing) when a
    // context is chosen. For panes that replace the summary with content.
    bool showConnectionProblem();
    Session::ConnectionCatalog *catalog() const { return m_catalog; }
    // nullptr once a subclass has replaced it with setContent().
    ConnectionSummary *summary() const;

private:
    Session::ConnectionCatalog *m_catalog;
    QPointer<ConnectionSummary> m_summary;
    QString m_note;
};

} // namespace Bramble::Ui
