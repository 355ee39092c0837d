#include "models/lbservicetablemodel.h"

#include "models/lbformat.h"

namespace Bramble::Models {

using MetalLB::ServiceState;

namespace {

int severity(ServiceState::State state)
{
    switch (state) {
    case ServiceState::OutsidePools:
        return 0;
    case ServiceState::Pending:
        return 1;
    case ServiceState::Assigned:
        break;
    }
    return 2;
}

// Addresses sort by value (IPv4 before IPv6); services without one last.
QString ipSortKey(const QStringList &ips)
{
    if (ips.isEmpty())
        return QStringLiteral("~");
    const auto ip = MetalLB::IpAddress::parse(ips.constFirst());
    if (!ip)
        return u'}' + ips.constFirst();
    return QStringLiteral("%1%2%3")
        .arg(int(ip->family))
        .arg(ip->value.hi, 16, 16, QLatin1Char('0'))
        .arg(ip->value.lo, 16, 16, QLatin1Char('0'));
}

} // namespace

LbServiceTableModel::LbServiceTableModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

QString LbServiceTableModel::keyOf(const ServiceState &service)
{
    return service.namespace_ + u'/' + service.name;
}

void LbServiceTableModel::setReport(const MetalLB::AllocationReport &report)
{
    syncRows<ServiceState>(m_services, m_order, report.services, &LbServiceTableModel::keyOf,
        [](const ServiceState &a, const ServiceState &b) {
            return a.namespace_ == b.namespace_ && a.name == b.name && a.ips == b.ips && a.pool == b.pool
                && a.state == b.state && a.reason == b.reason;
        });
}

void LbServiceTableModel::clear()
{
    setReport({});
}

int LbServiceTableModel::rowOf(const QString &key) const
{
    for (int row = 0; row < int(m_services.size()); ++row)
        if (keyOf(m_services.at(row)) == key)
            return row;
    return -1;
}

int LbServiceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_services.size());
}

int LbServiceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LbServiceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ServiceState &s = m_services.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(s, index.column());
    case Qt::ToolTipRole:
        if (index.column() == ReasonColumn || index.column() == StateColumn)
            return s.reason.isEmpty() ? Lb::stateName(s.state) : QString(Lb::stateName(s.state) + u": " + s.reason);
        return displayData(s, index.column());
    case KeyRole:
        return keyOf(s);
    case StateRole:
        return int(s.state);
    case SearchRole:
        return QString(keyOf(s) + u' ' + s.ips.join(u' '));
    case OrderRole:
        return m_order.at(index.row());
    case SortRole:
        if (index.column() == StateColumn)
            return severity(s.state);
        if (index.column() == IpsColumn)
            return ipSortKey(s.ips);
        return displayData(s, index.column());
    default:
        return {};
    }
}

QVariant LbServiceTableModel::displayData(const ServiceState &s, int column) const
{
    switch (column) {
    case NamespaceColumn:
        return s.namespace_;
    case NameColumn:
        return s.name;
    case IpsColumn:
        return s.ips.join(QStringLiteral(", "));
    case PoolColumn:
        return s.pool;
    case StateColumn:
        return Lb::stateName(s.state);
    case ReasonColumn:
        return s.reason;
    default:
        return {};
    }
}

QVariant LbServiceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NamespaceColumn:
        return tr("Namespace");
    case NameColumn:
        return tr("Name");
    case IpsColumn:
        return tr("IPs");
    case PoolColumn:
        return tr("Pool");
    case StateColumn:
        return tr("State");
    case ReasonColumn:
        return tr("Reason");
    default:
        return {};
    }
}

} // namespace Bramble::Models
