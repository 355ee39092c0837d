#include "models/pooltablemodel.h"

#include "models/lbformat.h"

namespace Bramble::Models {

using MetalLB::AllocationReport;
using MetalLB::PoolHolder;
using MetalLB::PoolUsage;

namespace {

bool sameHolders(const QList<PoolHolder> &a, const QList<PoolHolder> &b)
{
    return std::equal(a.cbegin(), a.cend(), b.cbegin(), b.cend(), [](const PoolHolder &x, const PoolHolder &y) {
        return x.namespace_ == y.namespace_ && x.name == y.name && x.ip == y.ip;
    });
}

bool samePool(const PoolUsage &a, const PoolUsage &b)
{
    return a.name == b.name && a.source == b.source && a.protocol == b.protocol && a.addresses == b.addresses
        && a.ranges == b.ranges && a.total == b.total && a.used == b.used && a.free == b.free
        && a.autoAssign == b.autoAssign && a.avoidBuggyIPs == b.avoidBuggyIPs && a.advertised == b.advertised
        && sameHolders(a.services, b.services);
}

bool isCount(int column)
{
    return column == PoolTableModel::UsedColumn || column == PoolTableModel::FreeColumn
        || column == PoolTableModel::TotalColumn;
}

} // namespace

PoolTableModel::PoolTableModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

void PoolTableModel::setProblemIcon(const QIcon &icon)
{
    m_problemIcon = icon;
    if (!m_pools.isEmpty())
        Q_EMIT dataChanged(index(0, NameColumn), index(rowCount() - 1, NameColumn), { Qt::DecorationRole });
}

void PoolTableModel::setReport(const AllocationReport &report)
{
    const QHash<QString, QStringList> before = m_problems;
    m_problems.clear();
    const QString prefix = Lb::poolSubject(QString());
    for (const MetalLB::Problem &p : report.problems)
        if (p.subject.startsWith(prefix))
            m_problems[p.subject.mid(prefix.size())] << p.message;

    // A pool whose problems changed is a changed row too.
    QList<PoolUsage> next = report.pools;
    syncRows<PoolUsage>(
        m_pools, m_order, next, [](const PoolUsage &p) { return p.name; },
        [&](const PoolUsage &a, const PoolUsage &b) {
            return samePool(a, b) && before.value(a.name) == m_problems.value(b.name);
        });
}

void PoolTableModel::clear()
{
    setReport({});
}

int PoolTableModel::rowOf(const QString &name) const
{
    for (int row = 0; row < int(m_pools.size()); ++row)
        if (m_pools.at(row).name == name)
            return row;
    return -1;
}

int PoolTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pools.size());
}

int PoolTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PoolUsage &pool = m_pools.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(pool, index.column());
    case Qt::ToolTipRole:
        return toolTip(pool, index.column());
    case Qt::DecorationRole:
        if (index.column() == NameColumn && m_problems.contains(pool.name))
            return m_problemIcon;
        return {};
    case Qt::TextAlignmentRole:
        return isCount(index.column()) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case NameRole:
        return pool.name;
    case UsageRole:
        return Lb::fraction(pool.used, pool.total);
    case ProblemRole:
        return m_problems.contains(pool.name);
    case ProblemsRole:
        return m_problems.value(pool.name);
    case OrderRole:
        return m_order.at(index.row());
    case EditableRole:
        return pool.source == MetalLB::PoolSource::Crd;
    case SortRole:
        switch (index.column()) {
        case UsedColumn:
            return Lb::toDouble(pool.used);
        case FreeColumn:
            return Lb::toDouble(pool.free);
        case TotalColumn:
            return Lb::toDouble(pool.total);
        default:
            return displayData(pool, index.column());
        }
    default:
        return {};
    }
}

QVariant PoolTableModel::displayData(const PoolUsage &pool, int column) const
{
    switch (column) {
    case NameColumn:
        return pool.name;
    case SourceColumn:
        return Lb::sourceName(pool.source);
    case ProtocolColumn:
        return pool.protocol;
    case AddressesColumn:
        return pool.addresses.join(QStringLiteral(", "));
    case UsedColumn:
        return pool.used.toString();
    case FreeColumn:
        return pool.free.toString();
    case TotalColumn:
        return pool.total.toString();
    default:
        return {};
    }
}

QString PoolTableModel::toolTip(const PoolUsage &pool, int column) const
{
    QStringList lines;
    if (column == AddressesColumn) {
        lines << pool.addresses;
    } else if (isCount(column)) {
        lines << tr("%1 of %2 addresses used (%3%)")
                     .arg(pool.used.toString(), pool.total.toString())
                     .arg(Lb::fraction(pool.used, pool.total) * 100, 0, 'f', 1);
        if (pool.avoidBuggyIPs)
            lines << tr("Addresses ending in .0 and .255 are not handed out (avoidBuggyIPs).");
    } else {
        if (pool.services.isEmpty())
            lines << tr("No service holds an address of %1.").arg(pool.name);
        else
            lines << tr("Held by:");
        for (const PoolHolder &h : pool.services)
            lines << QStringLiteral("  %1  %2/%3").arg(h.ip, h.namespace_, h.name);
        if (!pool.autoAssign)
            lines << tr("Auto-assign is off: only services that ask for this pool get its addresses.");
        if (!pool.advertised)
            lines << tr("No advertisement selects this pool: its addresses are not announced.");
    }
    for (const QString &problem : m_problems.value(pool.name))
        lines << QString(u"⚠ " + problem);
    return lines.join(u'\n');
}

QVariant PoolTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SourceColumn:
        return tr("Source");
    case ProtocolColumn:
        return tr("Protocol");
    case AddressesColumn:
        return tr("Addresses");
    case UsedColumn:
        return tr("Used");
    case FreeColumn:
        return tr("Free");
    case TotalColumn:
        return tr("Total");
    default:
        return {};
    }
}

} // namespace Bramble::Models
