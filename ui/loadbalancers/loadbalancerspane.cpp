#include "ui/loadbalancers/loadbalancerspane.h"

#include "metallb/poolapply.h"
#include "metallb/poolwatcher.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "ui/common/emptystate.h"
#include "ui/common/freshnessindicator.h"
#include "ui/common/jobmessagebar.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"
#include "ui/loadbalancers/loadbalancersview.h"
#include "ui/loadbalancers/migrationdialog.h"
#include "ui/loadbalancers/pooleditdialog.h"

#include <QAction>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

const QString kSplitterKey = QStringLiteral("loadbalancers/splitters");

} // namespace

LoadBalancersPane::LoadBalancersPane(
    Session::ConnectionCatalog *catalog, Session::ClusterSession *session, QSettings *settings, QWidget *parent)
    : KubeConnectionPane(QStringLiteral("loadbalancers"), tr("Load balancers"), QStringLiteral("loadbalancers"),
        catalog, QString(), parent)
    , m_session(session)
    , m_settings(settings)
    , m_openDialog([](QDialog *dialog) { dialog->exec(); })
    , m_update(new QTimer(this))
{
    setContent(buildContent());
    createActions();
    if (m_settings)
        m_view->restoreState(m_settings->value(kSplitterKey).toByteArray());

    connect(m_session, &Session::ClusterSession::connectionChanged, this, [this] {
        m_message->clear();
        openWatcher();
        updateView();
    });
    connect(this, &Pane::findTextChanged, m_view, &LoadBalancersView::setFilterText);
    connect(m_view, &LoadBalancersView::poolActivated, this, &LoadBalancersPane::editPool);
    connect(m_view, &LoadBalancersView::selectedPoolChanged, this, &LoadBalancersPane::updateActions);
    m_update->setSingleShot(true);
    m_update->setInterval(50);
    connect(m_update, &QTimer::timeout, this, &LoadBalancersPane::updatePlaceholder);
}

LoadBalancersPane::~LoadBalancersPane()
{
    saveSettings();
}

QWidget *LoadBalancersPane::buildContent()
{
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *top = new QHBoxLayout;
    m_freshness = new FreshnessIndicator(content);
    top->addWidget(m_freshness, 1);
    auto *edit = new QToolButton(content);
    edit->setObjectName(QStringLiteral("editPoolButton"));
    edit->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    top->addWidget(edit);
    layout->addLayout(top);
    m_message = new JobMessageBar(content);
    layout->addWidget(m_message);

    m_view = new LoadBalancersView(content);
    m_placeholder = new EmptyState(content);
    m_placeholder->setObjectName(QStringLiteral("loadbalancersPlaceholder"));
    m_stack = new QStackedWidget(content);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_placeholder);
    m_stack->setCurrentWidget(m_placeholder);
    layout->addWidget(m_stack, 1);
    return content;
}

void LoadBalancersPane::createActions()
{
    m_editAction = new QAction(tr("Edit pool…"), this);
    m_editAction->setObjectName(QStringLiteral("editPoolAction"));
    m_editAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_editAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_editAction->setToolTip(tr("Edit the addresses of the selected pool, checked by the server before they are "
                                "applied; a ConfigMap pool shows its migration to CRDs instead (%1)")
                                 .arg(m_editAction->shortcut().toString(QKeySequence::NativeText)));
    addAction(m_editAction);
    connect(m_editAction, &QAction::triggered, this, [this] { editPool(m_view->selectedPool()); });
    findChild<QToolButton *>(QStringLiteral("editPoolButton"))->setDefaultAction(m_editAction);
    m_view->addPoolAction(m_editAction);

    auto *escape = new QAction(tr("Dismiss the message"), this);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(escape);
    connect(escape, &QAction::triggered, m_message, &JobMessageBar::clear);
    updateActions();
}

void LoadBalancersPane::openWatcher()
{
    if (m_watcher)
        m_watcher->disconnect(this);
    // The connection's watcher, on the same node watch as the Nodes pane; it
    // goes with the connection.
    m_watcher = m_session->poolWatcher();
    if (!m_watcher)
        return;
    connect(m_watcher, &MetalLB::PoolWatcher::reportChanged, this, [this] {
        m_view->setReport(m_watcher->report());
        updateSoon();
    });
    connect(m_watcher, &MetalLB::PoolWatcher::statusChanged, this, [this](const Kube::ConnectionStatus &status) {
        m_freshness->setStatus(status, m_session->server());
        updateSoon();
    });
    connect(m_watcher, &MetalLB::PoolWatcher::synced, this, &LoadBalancersPane::updateSoon);
    m_view->setReport({});
    if (m_started)
        m_watcher->start();
}

void LoadBalancersPane::showEvent(QShowEvent *event)
{
    KubeConnectionPane::showEvent(event);
    if (m_started)
        return;
    m_started = true;
    if (!m_watcher)
        openWatcher();
    if (m_watcher)
        m_watcher->start();
    updateView();
}

void LoadBalancersPane::hideEvent(QHideEvent *event)
{
    KubeConnectionPane::hideEvent(event);
    saveSettings();
}

void LoadBalancersPane::saveSettings() const
{
    if (m_settings && m_view)
        m_settings->setValue(kSplitterKey, m_view->saveState());
}

void LoadBalancersPane::refresh()
{
    if (m_watcher)
        m_watcher->relist();
}

bool LoadBalancersPane::isLoading() const
{
    if (isShowingEmptyState() || !m_watcher || m_watcher->isSynced())
        return false;
    const auto state = m_watcher->status().state;
    return state == Kube::ConnectionStatus::Connecting || state == Kube::ConnectionStatus::Idle;
}

bool LoadBalancersPane::isShowingView() const
{
    return !isShowingEmptyState() && m_stack->currentWidget() == m_view;
}

QString LoadBalancersPane::messageText() const
{
    return m_message->text();
}

void LoadBalancersPane::updateView()
{
    if (showUnusableContext(m_session->openErrors()))
        return;
    const QString context = catalog()->currentContext();
    if (!m_watcher && m_started)
        openWatcher();
    setSubtitle(tr("context %1 · %2").arg(context, m_session->server().toDisplayString()));
    m_freshness->setStatus(m_watcher ? m_watcher->status() : Kube::ConnectionStatus(), m_session->server());
    showEmptyState(false);
    updatePlaceholder();
}

void LoadBalancersPane::updateSoon()
{
    if (!m_update->isActive())
        m_update->start();
}

void LoadBalancersPane::updatePlaceholder()
{
    showPlaceholderOrView();
    updateActions();
}

void LoadBalancersPane::showPlaceholderOrView()
{
    const bool synced = m_watcher && m_watcher->isSynced();
    const MetalLB::AllocationReport &report = m_view->report();
    if (synced && !report.pools.isEmpty()) {
        m_stack->setCurrentWidget(m_view);
        setFindAvailable(true);
        return;
    }
    setFindAvailable(false);
    m_placeholder->clearActions();
    const QString server = m_session->server().toDisplayString().toHtmlEscaped();
    const Kube::ConnectionStatus status = m_watcher ? m_watcher->status() : Kube::ConnectionStatus();
    if (synced && !m_watcher->hasCrdApi() && !m_watcher->hasLegacyConfigMap()) {
        m_placeholder->setIcon(QStringLiteral("loadbalancers"));
        m_placeholder->setTitle(tr("MetalLB is not installed in this cluster"));
        m_placeholder->setBody(
            tr("<p>The API server at %1 serves no <tt>metallb.io</tt> API and has no ConfigMap "
               "<tt>metallb-system/config</tt>, so nothing hands out addresses to LoadBalancer services.</p>"
               "<p>%2</p><p>Install MetalLB (<a href='https://metallb.universe.tf/installation/'>metallb.universe.tf/"
               "installation</a>), add an IPAddressPool and an L2Advertisement, then press F5.</p>")
                .arg(server,
                    report.services.isEmpty() ? tr("The cluster has no LoadBalancer service either.")
                                              : tr("%1 waiting for an address.")
                                                    .arg(countOf(report.services.size(), tr("LoadBalancer service is"),
                                                        tr("LoadBalancer services are")))));
    } else if (synced) {
        m_placeholder->setIcon(QStringLiteral("loadbalancers"));
        m_placeholder->setTitle(tr("MetalLB has no address pools"));
        m_placeholder->setBody(
            tr("<p>MetalLB is installed (%1) but defines no address pool, so LoadBalancer services stay pending. "
               "%2</p><p>Add an IPAddressPool in <tt>metallb-system</tt> and an L2Advertisement naming it; it "
               "appears here at once.</p>")
                .arg(m_watcher->hasCrdApi() ? tr("the metallb.io API is served")
                                            : tr("the ConfigMap metallb-system/config exists"),
                    countOf(report.services.size(), tr("LoadBalancer service"), tr("LoadBalancer services"))
                        + tr(" in the cluster.")));
    } else if (!showConnectionTrouble(m_placeholder, server, status)) {
        m_placeholder->setIcon(QStringLiteral("kubernetes"));
        m_placeholder->setTitle(tr("Reading MetalLB pools and LoadBalancer services…"));
        m_placeholder->setBody(tr("<p>Connecting to %1.</p>").arg(server));
    }
    m_stack->setCurrentWidget(m_placeholder);
}

void LoadBalancersPane::updateActions()
{
    const MetalLB::PoolUsage *pool = nullptr;
    const QString name = m_view->selectedPool();
    for (const MetalLB::PoolUsage &p : m_view->report().pools)
        if (p.name == name)
            pool = &p;
    m_editAction->setEnabled(pool && m_watcher && isShowingView());
    const bool legacy = pool && pool->source == MetalLB::PoolSource::ConfigMap;
    m_editAction->setText(legacy ? tr("Migrate pool…") : tr("Edit pool…"));
}

bool LoadBalancersPane::editPool(const QString &name)
{
    if (!m_watcher || name.isEmpty())
        return false;
    const MetalLB::PoolUsage *pool = nullptr;
    for (const MetalLB::PoolUsage &p : m_watcher->report().pools)
        if (p.name == name)
            pool = &p;
    if (!pool)
        return false;
    if (pool->source == MetalLB::PoolSource::ConfigMap) {
        MigrationDialog dialog(name, MetalLB::migrationYaml(m_watcher->config()), this);
        m_openDialog(&dialog);
        return true;
    }
    const QJsonObject object = m_watcher->poolObject(name);
    if (object.isEmpty()) {
        m_message->showError(tr("Cannot edit %1: the cluster no longer has this IPAddressPool.").arg(name));
        return false;
    }
    PoolEditDialog dialog(m_session->client(), m_watcher->config(), name, object, this);
    connect(&dialog, &PoolEditDialog::applied, this,
        [this](const QString &applied) { Q_EMIT statusMessage(tr("Applied the new addresses of %1").arg(applied)); });
    // The watches go on while the dialog is open (KubeClient keeps calls off
    // the watches' connections), so the tables stay live behind it.
    m_openDialog(&dialog);
    return true;
}

} // namespace Bramble::Ui
