#pragma once

#include "ui/common/kubeconnectionpane.h"

#include <QPointer>

#include <functional>

class QAction;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace Bramble::Kube {
class CordonJob;
}
namespace Bramble::Models {
class NodeModel;
}
namespace Bramble::Session {
class ClusterSession;
}

namespace Bramble::Ui {

class EmptyState;
class FreshnessIndicator;
class JobMessageBar;
class NodeDetailView;
class NodeFilterProxy;
class ReadinessTimeline;

// The Nodes pane: every node of the current context, live.
//
// A sortable table (worst status first by default) filtered by the find
// field, a detail panel for the selected node (until the user picks one, the
// top row's), a readiness timeline of the session, and a freshness line
// driven by the watch's connection state.
// Cordon and uncordon ask first (the confirmation is injectable for tests),
// run as a cancellable job, and report failures in the pane.
//
// Shortcuts (pane-wide): Ctrl+Shift+C cordon, Ctrl+Shift+U uncordon, Esc
// cancels a running cordon or dismisses its message; F5 (window) lists again.
//
// The pane starts the ClusterSession the first time it is shown and never
// stops it, so the timeline keeps counting while another pane is shown. It
// holds no protocol logic: nodes come from the session as events.
class NodesPane : public KubeConnectionPane {
    Q_OBJECT

public:
    // Returns true to go ahead.
    using Confirmation = std::function<bool(QWidget *parent, const QString &title, const QString &question)>;

    NodesPane(Session::ConnectionCatalog *catalog, Session::ClusterSession *session, QWidget *parent = nullptr);
    ~NodesPane() override;

    void refresh() override;
    bool isLoading() const override;

    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    Models::NodeModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    NodeDetailView *detail() const { return m_detail; }
    ReadinessTimeline *timeline() const { return m_timeline; }
    FreshnessIndicator *freshness() const { return m_freshness; }
    QAction *cordonAction() const { return m_cordonAction; }
    QAction *uncordonAction() const { return m_uncordonAction; }

    QString selectedNodeName() const;
    bool selectNode(const QString &name);
    // The pane's message line: a running job, or the last failure.
    QString messageText() const;
    bool isBusy() const { return !m_job.isNull(); }

    // Asks (through the confirmation), then cordons or uncordons the selected node.
    void cordonSelected(bool cordon);

protected:
    void updateView() override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildContent();
    void createActions();
    void updateSoon();
    void updateDetails();
    void updatePlaceholder();
    void updateCounts();
    void updateActions();
    void sample();
    void onCordonFinished(Kube::CordonJob *job, const QString &name, bool cordon);
    void showTableMenu(const QPoint &pos);
    void showHeaderMenu(const QPoint &pos);

    Session::ClusterSession *m_session;
    Models::NodeModel *m_model;
    NodeFilterProxy *m_proxy;
    Confirmation m_confirm;

    FreshnessIndicator *m_freshness = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_warnings = nullptr;
    JobMessageBar *m_message = nullptr;
    QToolButton *m_cordonButton = nullptr;
    QToolButton *m_uncordonButton = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    EmptyState *m_placeholder = nullptr;
    NodeDetailView *m_detail = nullptr;
    ReadinessTimeline *m_timeline = nullptr;
    QWidget *m_timelineBox = nullptr;
    QSplitter *m_split = nullptr;
    QAction *m_cordonAction = nullptr;
    QAction *m_uncordonAction = nullptr;

    QTimer *m_update; // coalesces detail/action/placeholder updates
    QTimer *m_sampleTimer; // timeline samples
    QTimer *m_ageTimer; // the Age column's "now"
    QPointer<Kube::CordonJob> m_job;
    bool m_started = false;
    bool m_columnsSized = false;
    bool m_userSelected = false; // else the selection follows the top (worst) row
    bool m_autoSelecting = false;
};

} // namespace Bramble::Ui
