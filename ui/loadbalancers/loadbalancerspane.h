#pragma once

#include "metallb/poolwatcher.h" // QPointer<PoolWatcher> needs the complete type
#include "ui/common/kubeconnectionpane.h"

#include <QPointer>

#include <functional>

class QAction;
class QDialog;
class QSettings;
class QStackedWidget;
class QTimer;

namespace Bramble::Session {
class ClusterSession;
}

namespace Bramble::Ui {

class EmptyState;
class FreshnessIndicator;
class JobMessageBar;
class LoadBalancersView;

// The Load balancers pane: MetalLB's address pools and the LoadBalancer
// services of the current context, live from a MetalLB::PoolWatcher on the
// session's client.
//
// Empty states, as the Nodes pane: no context, a context that cannot be
// used, a cluster that cannot be reached, a cluster without MetalLB (neither
// the metallb.io API nor the legacy ConfigMap), MetalLB without pools.
// Otherwise a LoadBalancersView, a freshness line and a message line.
//
// Edit (Ctrl+E, double-click, context menu) opens a PoolEditDialog for a CRD
// pool; for a legacy ConfigMap pool, a MigrationDialog with the CRD YAML
// (the ConfigMap is never rewritten). The dialogs are injectable for tests.
//
// Shortcuts (pane-wide): Ctrl+E edit the selected pool; Esc dismisses the
// message line; F5 (window) lists again; Ctrl+F (window) filters services.
// The watcher starts the first time the pane is shown. Splitter sizes are
// kept in QSettings ("loadbalancers/splitters").
class LoadBalancersPane : public KubeConnectionPane {
    Q_OBJECT

public:
    // Opens the dialog for a pool (the pane has already chosen which kind).
    using DialogOpener = std::function<void(QDialog *dialog)>;

    // `settings` (may be null: nothing is kept) holds the splitter sizes only.
    LoadBalancersPane(Session::ConnectionCatalog *catalog, Session::ClusterSession *session,
        QSettings *settings = nullptr, QWidget *parent = nullptr);
    ~LoadBalancersPane() override;

    void refresh() override;
    bool isLoading() const override;

    // Tests replace exec() with their own look at the dialog.
    void setDialogOpener(DialogOpener open) { m_openDialog = std::move(open); }

    LoadBalancersView *view() const { return m_view; }
    MetalLB::PoolWatcher *watcher() const { return m_watcher; }
    FreshnessIndicator *freshness() const { return m_freshness; }
    QAction *editAction() const { return m_editAction; }
    // The placeholder shown inside the content (unreachable, no MetalLB, no pools).
    EmptyState *placeholder() const { return m_placeholder; }
    bool isShowingView() const;
    QString messageText() const;

    // Edits the pool (see the class comment); false when there is no such pool.
    bool editPool(const QString &name);

protected:
    void updateView() override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildContent();
    void createActions();
    void openWatcher();
    void updateSoon();
    void updatePlaceholder();
    void showPlaceholderOrView();
    void updateActions();
    void saveSettings() const;

    Session::ClusterSession *m_session;
    QSettings *m_settings;
    QPointer<MetalLB::PoolWatcher> m_watcher;
    DialogOpener m_openDialog;

    FreshnessIndicator *m_freshness = nullptr;
    JobMessageBar *m_message = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_placeholder = nullptr;
    LoadBalancersView *m_view = nullptr;
    QAction *m_editAction = nullptr;
    QTimer *m_update;
    bool m_started = false;
};

} // namespace Bramble::Ui
