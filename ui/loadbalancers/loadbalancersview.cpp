#include "ui/loadbalancers/loadbalancersview.h"

#include "models/addressmap.h"
#include "models/lbservicetablemodel.h"
#include "models/pooltablemodel.h"
#include "models/problemlistmodel.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"
#include "ui/loadbalancers/addressmapwidget.h"
#include "ui/loadbalancers/poolusagechart.h"
#include "ui/loadbalancers/servicestatedelegate.h"
#include "ui/loadbalancers/usagebardelegate.h"
#include "ui/loadbalancers/wrappingdelegate.h"

#include <QApplication>
#include <QClipboard>
#include <QDataStream>
#include <QEvent>
#include <QHeaderView>
#include <QIODevice>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace Bramble::Ui {

using Models::LbServiceTableModel;
using Models::PoolTableModel;
using Models::ProblemListModel;

namespace {

void setUpTable(QAbstractItemView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    if (auto *table = qobject_cast<QTableView *>(view)) {
        table->setWordWrap(false);
        table->setShowGrid(false);
        table->verticalHeader()->hide();
        table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 10);
        table->horizontalHeader()->setHighlightSections(false);
        table->horizontalHeader()->setStretchLastSection(true);
    }
}

QSplitter *splitter(Qt::Orientation orientation, const QString &name, QWidget *parent)
{
    auto *s = new QSplitter(orientation, parent);
    s->setObjectName(name);
    s->setChildrenCollapsible(false);
    return s;
}

// The key of the selected row of a view, by role; empty when none.
QString selectedKey(const QAbstractItemView *view, int role)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.constFirst().data(role).toString();
}

bool selectRow(QTableView *view, QSortFilterProxyModel *proxy, const QModelIndex &source)
{
    const QModelIndex index = proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    view->selectRow(index.row());
    view->scrollTo(index);
    return true;
}

} // namespace

LoadBalancersView::LoadBalancersView(QWidget *parent)
    : QWidget(parent)
    , m_pools(new PoolTableModel(this))
    , m_services(new LbServiceTableModel(this))
    , m_problems(new ProblemListModel(this))
    , m_poolProxy(new QSortFilterProxyModel(this))
    , m_serviceProxy(new QSortFilterProxyModel(this))
    , m_problemProxy(new QSortFilterProxyModel(this))
{
    m_poolProxy->setSourceModel(m_pools);
    m_poolProxy->setSortRole(PoolTableModel::OrderRole); // config order
    m_poolProxy->sort(0);
    m_serviceProxy->setSourceModel(m_services);
    m_serviceProxy->setSortRole(LbServiceTableModel::SortRole);
    m_serviceProxy->setFilterRole(LbServiceTableModel::SearchRole);
    m_serviceProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_problemProxy->setSourceModel(m_problems);
    m_problemProxy->setSortRole(ProblemListModel::OrderRole); // errors first
    m_problemProxy->sort(0);
    m_problems->setSeverityIcons(
        themedIcon(QStringLiteral("error"), Tone::Error), themedIcon(QStringLiteral("warning"), Tone::Warning));
    m_pools->setProblemIcon(themedIcon(QStringLiteral("warning"), Tone::Warning));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("lbSummary"));
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_summary);

    m_poolTable = new QTableView(this);
    m_poolTable->setObjectName(QStringLiteral("poolsTable"));
    m_poolTable->setModel(m_poolProxy);
    setUpTable(m_poolTable);
    m_poolTable->setItemDelegateForColumn(PoolTableModel::UsedColumn, new UsageBarDelegate(m_poolTable));
    m_poolTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_poolTable->horizontalHeader()->setStretchLastSection(false);
    m_poolTable->horizontalHeader()->setSectionResizeMode(PoolTableModel::AddressesColumn, QHeaderView::Stretch);

    m_serviceTable = new QTableView(this);
    m_serviceTable->setObjectName(QStringLiteral("servicesTable"));
    m_serviceTable->setModel(m_serviceProxy);
    setUpTable(m_serviceTable);
    m_serviceTable->setSortingEnabled(true);
    m_serviceTable->sortByColumn(LbServiceTableModel::NamespaceColumn, Qt::AscendingOrder);
    m_serviceTable->setItemDelegateForColumn(
        LbServiceTableModel::StateColumn, new ServiceStateDelegate(m_serviceTable));

    m_problemList = new QTreeView(this);
    m_problemList->setObjectName(QStringLiteral("problemsList"));
    m_problemList->setModel(m_problemProxy);
    setUpTable(m_problemList);
    m_problemList->setRootIsDecorated(false);
    m_problemList->setWordWrap(true); // messages are sentences: show them whole
    m_problemList->setHeaderHidden(true);
    m_problemList->setColumnHidden(ProblemListModel::SubjectColumn, true); // the tooltip names it, a click selects it
    m_problemList->setAlternatingRowColors(false);
    m_problemList->setTextElideMode(Qt::ElideNone);
    m_problemList->setItemDelegate(new WrappingDelegate(m_problemList));

    m_chart = new PoolUsageChart(this);
    m_chart->setMinimumHeight(120);
    m_map = new AddressMapWidget;
    auto *mapScroll = new QScrollArea(this);
    mapScroll->setWidget(m_map);
    mapScroll->setWidgetResizable(true);
    mapScroll->setFrameShape(QFrame::NoFrame);

    QSplitter *left = splitter(Qt::Vertical, QStringLiteral("lbLeftSplitter"), this);
    QWidget *poolsBox = box(tr("Address pools"), m_poolTable);
    poolsBox->setToolTip(tr("Select a pool to see its address map. Double-click a pool, or press Ctrl+E, to edit "
                            "it; right-click for more."));
    QWidget *servicesBox = box(tr("LoadBalancer services"), m_serviceTable);
    servicesBox->setToolTip(tr("The find field (Ctrl+F) filters services by namespace/name or IP address."));
    left->addWidget(poolsBox);
    left->addWidget(servicesBox);
    left->setSizes({ 220, 480 });
    QSplitter *right = splitter(Qt::Vertical, QStringLiteral("lbRightSplitter"), this);
    right->addWidget(box(tr("Problems"), m_problemList, &m_problemTitle));
    right->addWidget(box(tr("Utilization"), m_chart));
    right->addWidget(box(tr("Address map"), mapScroll, &m_mapTitle));
    right->setSizes({ 200, 200, 300 });
    QSplitter *main = splitter(Qt::Horizontal, QStringLiteral("lbSplitter"), this);
    main->addWidget(left);
    main->addWidget(right);
    main->setStretchFactor(0, 3);
    main->setStretchFactor(1, 2);
    main->setSizes({ 780, 520 });
    m_splitters = { main, left, right };
    layout->addWidget(main, 1);

    connect(m_poolTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_autoSelecting && m_poolTable->selectionModel()->hasSelection())
            m_userSelectedPool = true;
        updateMap();
        Q_EMIT selectedPoolChanged(selectedPool());
    });
    connect(m_poolTable, &QAbstractItemView::doubleClicked, this,
        [this](const QModelIndex &index) { Q_EMIT poolActivated(index.data(PoolTableModel::NameRole).toString()); });
    connect(m_poolTable, &QWidget::customContextMenuRequested, this, &LoadBalancersView::showPoolMenu);
    connect(m_problemList, &QAbstractItemView::clicked, this,
        [this](const QModelIndex &index) { selectSubject(index.data(ProblemListModel::SubjectRole).toString()); });
    connect(m_problemList, &QAbstractItemView::activated, this,
        [this](const QModelIndex &index) { selectSubject(index.data(ProblemListModel::SubjectRole).toString()); });
    updateSummary();
    updateMap();
}

QWidget *LoadBalancersView::box(const QString &title, QWidget *content, QLabel **titleLabel)
{
    auto *w = new QWidget(this);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 6, 0, 0);
    l->setSpacing(2);
    auto *label = new QLabel(title, w);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    l->addWidget(label);
    l->addWidget(content, 1);
    if (titleLabel)
        *titleLabel = label;
    return w;
}

void LoadBalancersView::setReport(const MetalLB::AllocationReport &report)
{
    m_report = report;
    m_pools->setReport(report);
    m_services->setReport(report);
    m_problems->setReport(report);
    m_chart->setPools(report.pools);
    if (!m_columnsSized && m_pools->rowCount() > 0) {
        m_columnsSized = true;
        m_poolTable->resizeColumnsToContents();
        m_serviceTable->resizeColumnsToContents();
    }
    // Until the user picks a pool, show the first one's map.
    const bool hasSelection = m_poolTable->selectionModel()->hasSelection();
    if (m_poolProxy->rowCount() > 0 && (!hasSelection || !m_userSelectedPool)) {
        m_autoSelecting = true;
        if (!hasSelection)
            m_poolTable->selectRow(0);
        m_autoSelecting = false;
    }
    updateSummary();
    updateMap();
}

void LoadBalancersView::setFilterText(const QString &text)
{
    m_serviceProxy->setFilterFixedString(text.trimmed());
}

void LoadBalancersView::addPoolAction(QAction *action)
{
    m_poolActions << action;
}

QString LoadBalancersView::selectedPool() const
{
    return selectedKey(m_poolTable, PoolTableModel::NameRole);
}

bool LoadBalancersView::selectPool(const QString &name)
{
    const int row = m_pools->rowOf(name);
    return row >= 0 && selectRow(m_poolTable, m_poolProxy, m_pools->index(row, 0));
}

QString LoadBalancersView::selectedService() const
{
    return selectedKey(m_serviceTable, LbServiceTableModel::KeyRole);
}

bool LoadBalancersView::selectService(const QString &key)
{
    const int row = m_services->rowOf(key);
    if (row < 0)
        return false;
    if (!m_serviceProxy->mapFromSource(m_services->index(row, 0)).isValid())
        m_serviceProxy->setFilterFixedString(QString()); // hidden by the filter: show it anyway
    return selectRow(m_serviceTable, m_serviceProxy, m_services->index(row, 0));
}

bool LoadBalancersView::selectSubject(const QString &subject)
{
    const QString kind = subject.section(u'/', 0, 0);
    const QString rest = subject.section(u'/', 1);
    if (kind == u"pool")
        return selectPool(rest);
    if (kind == u"service")
        return selectService(rest);
    if (kind == u"ip") {
        for (const MetalLB::ServiceState &s : std::as_const(m_report.services))
            if (s.ips.contains(rest))
                return selectService(LbServiceTableModel::keyOf(s));
    }
    return false;
}

QByteArray LoadBalancersView::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    for (const QSplitter *s : m_splitters)
        out << s->saveState();
    return state;
}

void LoadBalancersView::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    for (QSplitter *s : std::as_const(m_splitters)) {
        QByteArray one;
        in >> one;
        if (in.status() != QDataStream::Ok)
            return;
        s->restoreState(one);
    }
}

void LoadBalancersView::updateMap()
{
    const QString pool = selectedPool();
    m_map->setMap(Models::AddressMap::build(m_report, pool));
    m_mapTitle->setText(pool.isEmpty() ? tr("Address map") : tr("Address map of %1").arg(pool));
}

QString LoadBalancersView::summaryText() const
{
    return m_summary->text();
}

void LoadBalancersView::updateSummary()
{
    const QPalette pal = palette();
    int pending = 0, outside = 0;
    for (const MetalLB::ServiceState &s : std::as_const(m_report.services)) {
        pending += s.state == MetalLB::ServiceState::Pending;
        outside += s.state == MetalLB::ServiceState::OutsidePools;
    }
    const int errors = m_problems->errorCount();
    const int warnings = m_problems->rowCount() - errors;
    const auto part = [&](int n, const QString &what, Tone tone) -> QString {
        if (n == 0)
            return QString();
        return QStringLiteral(" · <span style='color:%1'><b>%2</b> %3</span>")
            .arg(toneColor(tone, pal).name())
            .arg(n)
            .arg(what);
    };
    m_summary->setText(countOf(m_report.pools.size(), tr("pool"), tr("pools")) + QStringLiteral(" · ")
        + countOf(m_report.services.size(), tr("LoadBalancer service"), tr("LoadBalancer services"))
        + part(pending, tr("pending"), Tone::Warning) + part(outside, tr("outside every pool"), Tone::Error)
        + part(errors, errors == 1 ? tr("error") : tr("errors"), Tone::Error)
        + part(warnings, warnings == 1 ? tr("warning") : tr("warnings"), Tone::Warning));
    m_problemTitle->setText(
        m_problems->rowCount() == 0 ? tr("Problems: none") : tr("Problems (%1)").arg(m_problems->rowCount()));
}

void LoadBalancersView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_summary)
        updateSummary(); // colours are baked into the rich text
}

void LoadBalancersView::showPoolMenu(const QPoint &pos)
{
    const QModelIndex index = m_poolTable->indexAt(pos);
    if (!index.isValid())
        return;
    m_poolTable->selectRow(index.row());
    const QString name = index.data(PoolTableModel::NameRole).toString();
    const QString addresses = index.siblingAtColumn(PoolTableModel::AddressesColumn).data().toString();
    QMenu menu(this);
    for (QAction *a : std::as_const(m_poolActions))
        menu.addAction(a);
    if (!m_poolActions.isEmpty())
        menu.addSeparator();
    menu.addAction(tr("Copy name"), this, [name] { QApplication::clipboard()->setText(name); });
    menu.addAction(tr("Copy addresses"), this, [addresses] { QApplication::clipboard()->setText(addresses); });
    menu.exec(m_poolTable->viewport()->mapToGlobal(pos));
}

} // namespace Bramble::Ui
