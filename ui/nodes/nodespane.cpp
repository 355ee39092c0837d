#include "ui/nodes/nodespane.h"

#include "kube/nodeservice.h"
#include "models/nodemodel.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "ui/common/emptystate.h"
#include "ui/common/freshnessindicator.h"
#include "ui/common/jobmessagebar.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"
#include "ui/nodes/nodedetailview.h"
#include "ui/nodes/nodefilterproxy.h"
#include "ui/nodes/nodestatusdelegate.h"
#include "ui/nodes/nodestatusstyle.h"
#include "ui/nodes/readinesstimeline.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Bramble::Ui {

using Models::NodeModel;

namespace {

bool askWithMessageBox(QWidget *parent, const QString &title, const QString &question)
{
    QMessageBox box(QMessageBox::Question, title, question, QMessageBox::Cancel, parent);
    QPushButton *go = box.addButton(title.section(QLatin1Char(' '), 0, 0), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == go;
}

} // namespace

NodesPane::NodesPane(Session::ConnectionCatalog *catalog, Session::ClusterSession *session, QWidget *parent)
    : KubeConnectionPane(QStringLiteral("nodes"), tr("Nodes"), QStringLiteral("nodes"), catalog, QString(), parent)
    , m_session(session)
    , m_model(new NodeModel(this))
    , m_proxy(new NodeFilterProxy(this))
    , m_confirm(askWithMessageBox)
    , m_update(new QTimer(this))
    , m_sampleTimer(new QTimer(this))
    , m_ageTimer(new QTimer(this))
{
    m_proxy->setSourceModel(m_model);
    setContent(buildContent());
    createActions();

    connect(m_session, &Session::ClusterSession::connectionChanged, this, [this] {
        if (m_job)
            m_job->disconnect(this);
        m_job = nullptr;
        m_message->clear();
        m_model->clear();
        m_timeline->clear();
        m_columnsSized = false;
        m_userSelected = false;
        updateView();
    });
    connect(m_session, &Session::ClusterSession::nodeEvents, m_model, &NodeModel::applyEvents);
    connect(m_session, &Session::ClusterSession::statusChanged, this, [this](const Kube::ConnectionStatus &status) {
        m_freshness->setStatus(status, m_session->server());
        updateSoon();
    });
    connect(m_session, &Session::ClusterSession::synced, this, [this] {
        sample();
        updateSoon();
    });
    connect(m_model, &NodeModel::countsChanged, this, [this] {
        updateCounts();
        sample();
    });
    connect(this, &Pane::findTextChanged, this, [this](const QString &text) {
        m_proxy->setFilterText(text);
        updatePlaceholder();
    });

    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(m_proxy, signal, this, &NodesPane::updateSoon);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &NodesPane::updateSoon);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &NodesPane::updateSoon);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_autoSelecting && m_table->selectionModel()->hasSelection())
            m_userSelected = true;
        updateDetails();
        updateActions();
    });

    m_update->setSingleShot(true);
    m_update->setInterval(50);
    connect(m_update, &QTimer::timeout, this, [this] {
        updatePlaceholder();
        updateDetails();
        updateActions();
    });
    m_sampleTimer->setInterval(5000);
    connect(m_sampleTimer, &QTimer::timeout, this, &NodesPane::sample);
    m_ageTimer->setInterval(30000);
    connect(m_ageTimer, &QTimer::timeout, this, [this] {
        m_model->setNow(QDateTime::currentDateTimeUtc());
        updateDetails();
    });
    updateCounts();
}

NodesPane::~NodesPane()
{
    if (m_job)
        m_job->disconnect(this);
}

QWidget *NodesPane::buildContent()
{
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 4, 0, 0);

    auto *top = new QHBoxLayout;
    m_freshness = new FreshnessIndicator(content);
    top->addWidget(m_freshness);
    top->addSpacing(16);
    m_counts = new QLabel(content);
    m_counts->setObjectName(QStringLiteral("nodeCounts"));
    m_counts->setTextFormat(Qt::RichText);
    top->addWidget(m_counts, 1);
    m_cordonButton = new QToolButton(content);
    m_uncordonButton = new QToolButton(content);
    for (QToolButton *b : { m_cordonButton, m_uncordonButton }) {
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        top->addWidget(b);
    }
    layout->addLayout(top);

    m_warnings = new QLabel(content);
    m_warnings->setObjectName(QStringLiteral("kubeconfigWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->hide();
    layout->addWidget(m_warnings);

    m_message = new JobMessageBar(content);
    connect(m_message, &JobMessageBar::cancelRequested, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    layout->addWidget(m_message);

    m_table = new QTableView(content);
    m_table->setObjectName(QStringLiteral("nodesTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(NodeModel::StatusColumn, Qt::AscendingOrder); // worst first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setItemDelegateForColumn(NodeModel::StatusColumn, new NodeStatusDelegate(m_table));
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    // What the detail panel shows anyway; the header menu brings them back.
    for (int c : { NodeModel::OsImageColumn, NodeModel::KernelColumn, NodeModel::RuntimeColumn, NodeModel::PodsColumn })
        m_table->setColumnHidden(c, true);
    connect(m_table, &QWidget::customContextMenuRequested, this, &NodesPane::showTableMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, &NodesPane::showHeaderMenu);

    m_placeholder = new EmptyState(content);
    m_placeholder->setObjectName(QStringLiteral("nodesPlaceholder"));
    m_tableStack = new QStackedWidget(content);
    m_tableStack->addWidget(m_table);
    m_tableStack->addWidget(m_placeholder);

    m_detail = new NodeDetailView(content);
    m_detail->setMinimumWidth(280);
    auto *upper = new QSplitter(Qt::Horizontal, content);
    upper->setObjectName(QStringLiteral("nodesSplitter"));
    upper->addWidget(m_tableStack);
    upper->addWidget(m_detail);
    upper->setStretchFactor(0, 3);
    upper->setStretchFactor(1, 2);
    upper->setChildrenCollapsible(false);

    auto *timelineBox = m_timelineBox = new QWidget(content);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 6, 0, 0);
    timelineLayout->setSpacing(2);
    auto *timelineTitle = new QLabel(tr("Readiness over this session"), timelineBox);
    QFont f = timelineTitle->font();
    f.setBold(true);
    timelineTitle->setFont(f);
    timelineLayout->addWidget(timelineTitle);
    m_timeline = new ReadinessTimeline(timelineBox);
    timelineLayout->addWidget(m_timeline, 1);

    m_split = new QSplitter(Qt::Vertical, content);
    m_split->addWidget(upper);
    m_split->addWidget(timelineBox);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    m_split->setSizes({ 520, 200 });
    upper->setSizes({ 770, 330 });
    layout->addWidget(m_split, 1);
    return content;
}

void NodesPane::createActions()
{
    m_cordonAction = new QAction(themedIcon(QStringLiteral("warning")), tr("Cordon…"), this);
    m_cordonAction->setObjectName(QStringLiteral("cordonAction"));
    m_cordonAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_cordonAction->setToolTip(tr("Cordon the selected node: no new pods are scheduled on it (%1)")
                                   .arg(m_cordonAction->shortcut().toString(QKeySequence::NativeText)));
    m_uncordonAction = new QAction(themedIcon(QStringLiteral("ok")), tr("Uncordon…"), this);
    m_uncordonAction->setObjectName(QStringLiteral("uncordonAction"));
    m_uncordonAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_uncordonAction->setToolTip(tr("Uncordon the selected node: the scheduler may use it again (%1)")
                                     .arg(m_uncordonAction->shortcut().toString(QKeySequence::NativeText)));
    for (QAction *a : { m_cordonAction, m_uncordonAction }) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a); // the pane's shortcuts, listed by the window's shortcut help
    }
    // Esc: cancel the running job, or dismiss its message.
    auto *escape = new QAction(tr("Cancel or dismiss"), this);
    escape->setShortcut(QKeySequence(Qt::Key_Escape));
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(escape);
    connect(escape, &QAction::triggered, this, [this] {
        if (m_job)
            m_job->cancel();
        else
            m_message->clear();
    });
    connect(m_cordonAction, &QAction::triggered, this, [this] { cordonSelected(true); });
    connect(m_uncordonAction, &QAction::triggered, this, [this] { cordonSelected(false); });
    m_cordonButton->setDefaultAction(m_cordonAction);
    m_uncordonButton->setDefaultAction(m_uncordonAction);
    updateActions();
}

void NodesPane::showEvent(QShowEvent *event)
{
    KubeConnectionPane::showEvent(event);
    if (m_started)
        return;
    m_started = true;
    m_session->start();
    m_sampleTimer->start();
    m_ageTimer->start();
    m_freshness->setStatus(m_session->status(), m_session->server());
    updatePlaceholder();
}

void NodesPane::changeEvent(QEvent *event)
{
    KubeConnectionPane::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_counts) {
        updateCounts(); // colours are baked into their rich text
        updateView();
    }
}

void NodesPane::refresh()
{
    m_model->setNow(QDateTime::currentDateTimeUtc());
    m_session->relist();
}

bool NodesPane::isLoading() const
{
    if (isShowingEmptyState() || !m_session->client() || m_session->isSynced())
        return false;
    const auto state = m_session->status().state;
    return state == Kube::ConnectionStatus::Connecting || state == Kube::ConnectionStatus::Idle;
}

void NodesPane::updateView()
{
    if (showUnusableContext(m_session->openErrors()))
        return;
    const QString context = catalog()->currentContext();
    setSubtitle(tr("context %1 · %2").arg(context, m_session->server().toDisplayString()));
    QStringList warnings;
    for (const Core::Error &w : m_session->warnings())
        warnings << w.toString().toHtmlEscaped();
    m_warnings->setText(QStringLiteral("<span style='color:%1'>⚠ %2</span>")
                            .arg(toneColor(Tone::Warning, palette()).name(), warnings.join(QStringLiteral("<br>⚠ "))));
    m_warnings->setVisible(!warnings.isEmpty());
    m_freshness->setStatus(m_session->status(), m_session->server());
    showEmptyState(false);
    updateCounts();
    updatePlaceholder();
}

void NodesPane::updateSoon()
{
    if (!m_update->isActive())
        m_update->start();
}

void NodesPane::updatePlaceholder()
{
    const int total = m_model->rowCount();
    setFindAvailable(total > 0);
    // Without nodes there is nothing to detail, and a timeline of nothing
    // only once the cluster has been seen with nodes.
    m_detail->setVisible(total > 0);
    const auto &samples = m_timeline->samples();
    m_timelineBox->setVisible(total > 0
        || std::any_of(samples.cbegin(), samples.cend(), [](const auto &sample) { return sample.counts.total() > 0; }));
    if (total > 0 && m_proxy->rowCount() > 0) {
        m_tableStack->setCurrentWidget(m_table);
        if (!m_columnsSized) {
            m_columnsSized = true;
            m_table->resizeColumnsToContents();
        } else {
            // Badges appeared: make room (never shrink what the user set).
            int wanted = 0;
            for (int r = 0, n = qMin(m_proxy->rowCount(), 1000); r < n; ++r)
                wanted = qMax(wanted, m_table->sizeHintForIndex(m_proxy->index(r, NodeModel::StatusColumn)).width());
            if (wanted > m_table->columnWidth(NodeModel::StatusColumn))
                m_table->setColumnWidth(NodeModel::StatusColumn, wanted);
        }
        const QModelIndexList selected = m_table->selectionModel()->selectedRows();
        if (selected.isEmpty() || (!m_userSelected && selected.constFirst().row() != 0)) {
            m_autoSelecting = true;
            m_table->selectRow(0);
            m_autoSelecting = false;
        }
        return;
    }
    m_placeholder->clearActions();
    const QString server = m_session->server().toDisplayString().toHtmlEscaped();
    const Kube::ConnectionStatus status = m_session->status();
    if (total > 0) {
        m_placeholder->setIcon(QStringLiteral("search"));
        m_placeholder->setTitle(tr("No node matches “%1”").arg(m_proxy->filterText()));
        m_placeholder->setBody(tr("<p>The find field filters by name, role, IP address, status and condition. "
                                  "Clear it to see all %1.</p>")
                                   .arg(countOf(total, tr("node"), tr("nodes"))));
    } else if (m_session->isSynced()) {
        m_placeholder->setIcon(QStringLiteral("nodes"));
        m_placeholder->setTitle(tr("This cluster has no nodes"));
        m_placeholder->setBody(tr("<p>The API server at %1 lists no nodes. Join a Raspberry Pi to it with Provision; "
                                  "it appears here as soon as its kubelet registers.</p>")
                                   .arg(server));
        connect(m_placeholder->addAction(tr("Provision a Pi…"), QStringLiteral("provision")), &QPushButton::clicked,
            this, [this] { Q_EMIT navigateRequested(QStringLiteral("provision")); });
    } else if (!showConnectionTrouble(m_placeholder, server, status)) {
        m_placeholder->setIcon(QStringLiteral("kubernetes"));
        m_placeholder->setTitle(tr("Listing nodes…"));
        m_placeholder->setBody(tr("<p>Connecting to %1.</p>").arg(server));
    }
    m_tableStack->setCurrentWidget(m_placeholder);
}

void NodesPane::updateCounts()
{
    const Models::ReadinessCounts c = m_model->counts();
    if (c.total() == 0) {
        m_counts->clear();
        return;
    }
    const QPalette pal = palette();
    auto part = [&](int n, Kube::NodeStatus s) -> QString {
        if (n == 0 && s != Kube::NodeStatus::Ready)
            return QString();
        return QStringLiteral(" · <span style='color:%1'><b>%2</b> %3</span>")
            .arg(statusColor(s, pal).name())
            .arg(n)
            .arg(statusName(s));
    };
    m_counts->setText(countOf(c.total(), tr("node"), tr("nodes")) + part(c.ready, Kube::NodeStatus::Ready)
        + part(c.notReady, Kube::NodeStatus::NotReady) + part(c.unknown, Kube::NodeStatus::Unknown)
        + part(c.cordoned, Kube::NodeStatus::Cordoned));
}

void NodesPane::sample()
{
    if (m_started && m_session->client() && m_session->isSynced())
        m_timeline->addSample(QDateTime::currentDateTimeUtc(), m_model->counts());
}

QString NodesPane::selectedNodeName() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.constFirst().data(NodeModel::NameRole).toString();
}

bool NodesPane::selectNode(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
    return true;
}

void NodesPane::updateDetails()
{
    const int row = m_model->rowOf(selectedNodeName());
    if (row < 0) {
        m_detail->showHint(m_model->rowCount() ? tr("Select a node to see its conditions, addresses, resources, "
                                                    "taints and labels.")
                                               : QString());
        return;
    }
    // The model's clock moves every 30 s; the detail's ages are read closer up.
    m_detail->showNode(m_model->node(row), QDateTime::currentDateTimeUtc());
}

void NodesPane::updateActions()
{
    const int row = m_model->rowOf(selectedNodeName());
    const bool can = row >= 0 && !m_job && m_session->client();
    const bool cordoned = row >= 0 && m_model->node(row).unschedulable;
    m_cordonAction->setEnabled(can && !cordoned);
    m_uncordonAction->setEnabled(can && cordoned);
}

void NodesPane::cordonSelected(bool cordon)
{
    const QString name = selectedNodeName();
    if (m_job || name.isEmpty())
        return;
    const QString title = cordon ? tr("Cordon node") : tr("Uncordon node");
    const QString question = cordon
        ? tr("Cordon node “%1”?\n\nNo new pods will be scheduled on it; the pods already running there keep "
             "running. Uncordon it to undo.")
              .arg(name)
        : tr("Uncordon node “%1”?\n\nThe scheduler may place new pods on it again.").arg(name);
    if (!m_confirm(this, title, question))
        return;
    Kube::CordonJob *job = m_session->cordon(name, cordon);
    if (!job) {
        m_message->showError(
            tr("Cannot %1 %2: not connected to a cluster").arg(cordon ? tr("cordon") : tr("uncordon"), name));
        return;
    }
    m_job = job;
    m_message->showBusy(cordon ? tr("Cordoning %1…").arg(name) : tr("Uncordoning %1…").arg(name));
    connect(job, &Kube::CordonJob::finished, this, [this, job, name, cordon] { onCordonFinished(job, name, cordon); });
    // The connection changed under the job: it is gone without an answer.
    connect(job, &QObject::destroyed, this, [this] {
        if (m_message->isBusy())
            m_message->clear();
        updateActions();
    });
    updateActions();
}

void NodesPane::onCordonFinished(Kube::CordonJob *job, const QString &name, bool cordon)
{
    m_job = nullptr;
    job->disconnect(this);
    const QString verb = cordon ? tr("cordon") : tr("uncordon");
    switch (job->outcome()) {
    case Kube::CordonJob::Outcome::Changed:
        m_message->clear();
        Q_EMIT statusMessage(cordon ? tr("Cordoned %1").arg(name) : tr("Uncordoned %1").arg(name));
        break;
    case Kube::CordonJob::Outcome::AlreadyDone:
        m_message->clear();
        Q_EMIT statusMessage(cordon ? tr("%1 was already cordoned").arg(name) : tr("%1 was not cordoned").arg(name));
        break;
    case Kube::CordonJob::Outcome::Cancelled:
        m_message->clear();
        Q_EMIT statusMessage(tr("Did not %1 %2: cancelled").arg(verb, name));
        break;
    case Kube::CordonJob::Outcome::Failed: {
        const QString text = tr("Could not %1 %2: %3").arg(verb, name, job->errorString());
        m_message->showError(text);
        Q_EMIT statusMessage(text);
        break;
    }
    }
    updateActions();
}

QString NodesPane::messageText() const
{
    return m_message->text();
}

void NodesPane::showTableMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    m_table->selectRow(index.row());
    const QString name = index.data(NodeModel::NameRole).toString();
    QMenu menu(this);
    menu.addAction(m_cordonAction);
    menu.addAction(m_uncordonAction);
    menu.addSeparator();
    menu.addAction(tr("Copy name"), this, [name] { QApplication::clipboard()->setText(name); });
    const int row = m_model->rowOf(name);
    if (row >= 0 && !m_model->node(row).internalIP.isEmpty())
        menu.addAction(tr("Copy internal IP"), this,
            [ip = m_model->node(row).internalIP] { QApplication::clipboard()->setText(ip); });
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void NodesPane::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(this);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!m_table->isColumnHidden(c));
        a->setEnabled(c != NodeModel::NameColumn);
        connect(a, &QAction::toggled, this, [this, c](bool on) { m_table->setColumnHidden(c, !on); });
    }
    menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
}

} // namespace Bramble::Ui
