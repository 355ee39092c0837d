#pragma once

#include "core/error.h"
#include "ui/common/pane.h"

#include <QPointer>

namespace Bramble::Kube {
struct ConnectionStatus;
}
namespace Bramble::Session {
class ConnectionCatalog;
}

namespace Bramble::Ui {

class ConnectionSummary;

// Base of the panes that show a Kubernetes cluster (Nodes, Load balancers):
// an empty state when no usable context exists, else the context in use.
class KubeConnectionPane : public Pane {
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
    // Shows the empty state for a context whose client cannot be opened
    // (`errors` name the file and key) and returns true; false when there
    // are no errors.
    bool showOpenErrors(const Core::Errors &errors);
    // For panes with content of their own: either of the above (find turned
    // off), true when something was shown; false when the content can show.
    bool showUnusableContext(const Core::Errors &openErrors);
    // Fills a content placeholder for a cluster that cannot be reached or
    // refuses Bramble and returns true; false (nothing shown) in any other state.
    static bool showConnectionTrouble(
        EmptyState *placeholder, const QString &serverHtml, const Kube::ConnectionStatus &status);
    Session::ConnectionCatalog *catalog() const { return m_catalog; }
    // nullptr once a subclass has replaced it with setContent().
    ConnectionSummary *summary() const;

private:
    Session::ConnectionCatalog *m_catalog;
    QPointer<ConnectionSummary> m_summary;
    QString m_note;
};

} // namespace Bramble::Ui
