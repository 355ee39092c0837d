#pragma once

#include "ui/common/pane.h"

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
    virtual void updateView();
    Session::ConnectionCatalog *catalog() const { return m_catalog; }
    ConnectionSummary *summary() const { return m_summary; }

private:
    Session::ConnectionCatalog *m_catalog;
    ConnectionSummary *m_summary;
    QString m_note;
};

} // namespace Bramble::Ui
