#include "models/nodemodel.h"

#include <QLocale>

#include <algorithm>

namespace Bramble::Models {

using Kube::Node;
using Kube::NodeStatus;

namespace {

bool isNumericColumn(int column)
{
    return column == NodeModel::AgeColumn || column == NodeModel::CpuColumn || column == NodeModel::MemoryColumn
        || column == NodeModel::PodsColumn;
}

QString coresText(qint64 millis)
{
    if (millis < 0)
        return {};
    if (millis % 1000 == 0)
        return QLocale().toString(millis / 1000);
    return QLocale().toString(double(millis) / 1000.0, 'g', 6);
}

QString bytesText(qint64 bytes)
{
    return bytes < 0 ? QString() : QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString countText(qint64 n)
{
    return n < 0 ? QString() : QLocale().toString(n);
}

int severity(NodeStatus status)
{
    switch (status) {
    case NodeStatus::NotReady:
        return 0;
    case NodeStatus::Unknown:
        return 1;
    case NodeStatus::Cordoned:
        return 2;
    case NodeStatus::Ready:
        break;
    }
    return 3;
}

// "v1.28.2+k3s1" -> 1028002; -1 when there is no version.
qint64 versionKey(const QString &version)
{
    qsizetype pos = version.startsWith(u'v') ? 1 : 0;
    qint64 key = 0;
    int parts = 0;
    for (; parts < 3; ++parts) {
        qint64 n = 0;
        const qsizetype start = pos;
        while (pos < version.size() && version.at(pos).isDigit() && pos - start < 6)
            n = n * 10 + version.at(pos++).digitValue();
        if (pos == start)
            break;
        key = key * 1000 + std::min<qint64>(n, 999);
        if (pos >= version.size() || version.at(pos) != u'.') {
            ++parts;
            break;
        }
        ++pos;
    }
    if (parts == 0)
        return -1;
    for (; parts < 3; ++parts)
        key *= 1000;
    return key;
}

// IPv4 addresses zero-padded so that they sort numerically as text; anything
// else (IPv6, a name) after them, as written.
QString addressKey(const QString &address)
{
    const QStringList parts = address.split(u'.');
    if (parts.size() == 4) {
        QString key;
        for (const QString &part : parts) {
            bool ok = false;
            const int n = part.toInt(&ok);
            if (!ok || n < 0 || n > 255 || part.size() > 3)
                return u'~' + address;
            key += QString::number(n).rightJustified(3, u'0');
        }
        return key;
    }
    return address.isEmpty() ? QString() : u'~' + address;
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

NodeModel::NodeModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentDateTimeUtc())
{
}

void NodeModel::count(const Node &node, int delta)
{
    switch (node.displayStatus()) {
    case NodeStatus::Ready:
        m_counts.ready += delta;
        break;
    case NodeStatus::NotReady:
        m_counts.notReady += delta;
        break;
    case NodeStatus::Unknown:
        m_counts.unknown += delta;
        break;
    case NodeStatus::Cordoned:
        m_counts.cordoned += delta;
        break;
    }
}

void NodeModel::applyEvents(const QList<Kube::NodeEvent> &batch)
{
    if (batch.isEmpty())
        return;
    const ReadinessCounts before = m_counts;

    // The net effect per node, in the order names first appear: its row
    // before the batch (-1: absent) and the event holding its final state
    // (-1: absent after the batch).
    struct Net {
        int row;
        qsizetype last;
    };
    QHash<QString, qsizetype> slotOf;
    slotOf.reserve(batch.size());
    QList<Net> nets;
    nets.reserve(batch.size());
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const Kube::NodeEvent &event = batch.at(i);
        if (event.node.name.isEmpty())
            continue;
        const auto it = slotOf.constFind(event.node.name);
        qsizetype slot;
        if (it == slotOf.constEnd()) {
            slot = nets.size();
            slotOf.insert(event.node.name, slot);
            nets.append({ rowOf(event.node.name), -1 });
        } else {
            slot = it.value();
        }
        nets[slot].last = event.type == Kube::WatchEvent::Deleted ? -1 : i;
    }

    QList<int> changed;
    QList<int> removed;
    QList<qsizetype> added;
    for (const Net &net : std::as_const(nets)) {
        if (net.row < 0) {
            if (net.last >= 0)
                added.append(net.last);
        } else if (net.last < 0) {
            removed.append(net.row);
        } else {
            const Node &incoming = batch.at(net.last).node;
            Node &current = m_nodes[net.row];
            if (!(current == incoming)) {
                count(current, -1);
                current = incoming;
                count(current, +1);
                changed.append(net.row);
            }
        }
    }

    // Rows replaced in place: one dataChanged per contiguous range.
    std::sort(changed.begin(), changed.end());
    for (qsizetype i = 0; i < changed.size();) {
        qsizetype j = i;
        while (j + 1 < changed.size() && changed.at(j + 1) == changed.at(j) + 1)
            ++j;
        Q_EMIT dataChanged(index(changed.at(i), 0), index(changed.at(j), ColumnCount - 1));
        i = j + 1;
    }

    // Removals from the bottom up, so that the rows still to remove keep their numbers.
    std::sort(removed.begin(), removed.end(), std::greater<int>());
    for (qsizetype i = 0; i < removed.size();) {
        qsizetype j = i;
        while (j + 1 < removed.size() && removed.at(j + 1) == removed.at(j) - 1)
            ++j;
        removeRange(removed.at(j), removed.at(i));
        i = j + 1;
    }

    if (!added.isEmpty()) {
        const int first = int(m_nodes.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_nodes.reserve(m_nodes.size() + added.size());
        for (qsizetype index : std::as_const(added)) {
            const Node &node = batch.at(index).node;
            m_rowOf.insert(node.name, int(m_nodes.size()));
            m_nodes.append(node);
            count(node, +1);
        }
        endInsertRows();
    }

    if (!(m_counts == before))
        Q_EMIT countsChanged();
}

void NodeModel::removeRange(int first, int last)
{
    beginRemoveRows({}, first, last);
    for (int row = first; row <= last; ++row) {
        count(m_nodes.at(row), -1);
        m_rowOf.remove(m_nodes.at(row).name);
    }
    m_nodes.remove(first, last - first + 1);
    for (int row = first; row < int(m_nodes.size()); ++row)
        m_rowOf[m_nodes.at(row).name] = row;
    endRemoveRows();
}

void NodeModel::reset(const QList<Node> &nodes)
{
    const ReadinessCounts before = m_counts;
    beginResetModel();
    m_nodes.clear();
    m_rowOf.clear();
    m_counts = {};
    m_nodes.reserve(nodes.size());
    m_rowOf.reserve(nodes.size());
    for (const Node &node : nodes) {
        if (!node.isValid())
            continue;
        const int row = rowOf(node.name);
        if (row >= 0) {
            count(m_nodes.at(row), -1);
            m_nodes[row] = node;
        } else {
            m_rowOf.insert(node.name, int(m_nodes.size()));
            m_nodes.append(node);
        }
        count(node, +1);
    }
    endResetModel();
    if (!(m_counts == before))
        Q_EMIT countsChanged();
}

void NodeModel::clear()
{
    if (m_nodes.isEmpty())
        return;
    beginResetModel();
    m_nodes.clear();
    m_rowOf.clear();
    m_counts = {};
    endResetModel();
    Q_EMIT countsChanged();
}

void NodeModel::setNow(const QDateTime &now)
{
    m_now = now.toUTC();
    if (!m_nodes.isEmpty())
        Q_EMIT dataChanged(index(0, AgeColumn), index(rowCount() - 1, AgeColumn), { Qt::DisplayRole, SortRole });
}

int NodeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_nodes.size());
}

int NodeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 NodeModel::ageSeconds(const Node &node) const
{
    return node.creationTimestamp.isValid() ? node.creationTimestamp.secsTo(m_now) : -1;
}

QVariant NodeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Node &node = m_nodes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case Qt::ToolTipRole:
        return toolTipData(node, index.column());
    case Qt::TextAlignmentRole:
        if (isNumericColumn(index.column()))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NodeRole:
        return QVariant::fromValue(node);
    case NameRole:
        return node.name;
    case StatusRole:
        return int(node.displayStatus());
    case SortRole:
        return sortData(node, index.column());
    case ConditionsRole:
        return node.problemConditions();
    default:
        return {};
    }
}

QVariant NodeModel::displayData(const Node &node, int column) const
{
    switch (column) {
    case NameColumn:
        return node.name;
    case StatusColumn:
        return node.statusText();
    case RolesColumn:
        return node.roles.join(u',');
    case AgeColumn:
        return node.creationTimestamp.isValid() ? Kube::humanDuration(ageSeconds(node)) : QString();
    case VersionColumn:
        return node.kubeletVersion;
    case InternalIPColumn:
        return node.internalIP;
    case ArchColumn:
        return node.architecture;
    case OsImageColumn:
        return node.osImage;
    case KernelColumn:
        return node.kernelVersion;
    case RuntimeColumn:
        return node.containerRuntimeVersion;
    case CpuColumn:
        return coresText(node.capacity.cpuMillis);
    case MemoryColumn:
        return bytesText(node.capacity.memoryBytes);
    case PodsColumn:
        return countText(node.capacity.pods);
    default:
        return {};
    }
}

QVariant NodeModel::sortData(const Node &node, int column) const
{
    switch (column) {
    case StatusColumn:
        return severity(node.displayStatus());
    case AgeColumn:
        return ageSeconds(node);
    case VersionColumn:
        return versionKey(node.kubeletVersion);
    case InternalIPColumn:
        return addressKey(node.internalIP);
    case CpuColumn:
        return node.capacity.cpuMillis;
    case MemoryColumn:
        return node.capacity.memoryBytes;
    case PodsColumn:
        return node.capacity.pods;
    default:
        return displayData(node, column);
    }
}

QVariant NodeModel::toolTipData(const Node &node, int column) const
{
    QStringList lines;
    const auto allocatable = [&](const QString &resource) {
        const QString cap = node.capacity.quantities.value(resource);
        const QString alloc = node.allocatable.quantities.value(resource);
        if (cap.isEmpty() && alloc.isEmpty())
            return QString();
        return tr("Allocatable %1 of capacity %2")
            .arg(alloc.isEmpty() ? tr("unknown") : alloc, cap.isEmpty() ? tr("unknown") : cap);
    };
    switch (column) {
    case NameColumn:
        if (!node.hostname.isEmpty())
            lines << tr("Hostname: %1").arg(node.hostname);
        if (!node.podCIDRs.isEmpty())
            lines << tr("Pod CIDRs: %1").arg(node.podCIDRs.join(QStringLiteral(", ")));
        if (!node.providerID.isEmpty())
            lines << tr("Provider ID: %1").arg(node.providerID);
        break;
    case StatusColumn: {
        if (const Kube::NodeCondition *ready = node.condition(u"Ready")) {
            lines << tr("Ready: %1%2%3")
                         .arg(ready->status,
                             ready->reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(ready->reason),
                             ready->lastTransitionTime.isValid()
                                 ? tr(" since %1").arg(timeText(ready->lastTransitionTime))
                                 : QString());
            if (!ready->message.isEmpty())
                lines << ready->message;
        } else {
            lines << tr("No Ready condition reported");
        }
        for (const Kube::NodeCondition &c : node.conditions) {
            if (c.type == QLatin1String("Ready") || !c.isProblem())
                continue;
            lines << tr("%1: %2%3").arg(c.type, c.reason, c.message.isEmpty() ? QString() : u' ' + c.message);
        }
        if (node.unschedulable)
            lines << tr("Cordoned: scheduling disabled");
        if (!node.taints.isEmpty()) {
            QStringList taints;
            for (const Kube::NodeTaint &t : node.taints)
                taints << t.toString();
            lines << tr("Taints: %1").arg(taints.join(QStringLiteral(", ")));
        }
        break;
    }
    case AgeColumn:
        if (node.creationTimestamp.isValid())
            lines << tr("Created %1").arg(timeText(node.creationTimestamp));
        break;
    case InternalIPColumn:
        for (const Kube::NodeAddress &a : node.addresses)
            lines << QStringLiteral("%1: %2").arg(a.type, a.address);
        break;
    case VersionColumn:
        if (!node.kubeProxyVersion.isEmpty())
            lines << tr("kube-proxy %1").arg(node.kubeProxyVersion);
        break;
    case CpuColumn:
        lines << allocatable(QStringLiteral("cpu"));
        break;
    case MemoryColumn:
        lines << allocatable(QStringLiteral("memory"));
        break;
    case PodsColumn:
        lines << allocatable(QStringLiteral("pods"));
        break;
    default:
        break;
    }
    lines.removeAll(QString());
    if (lines.isEmpty())
        return {};
    return lines.join(u'\n');
}

QVariant NodeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Name");
        case StatusColumn:
            return tr("Status");
        case RolesColumn:
            return tr("Roles");
        case AgeColumn:
            return tr("Age");
        case VersionColumn:
            return tr("Version");
        case InternalIPColumn:
            return tr("Internal IP");
        case ArchColumn:
            return tr("Arch");
        case OsImageColumn:
            return tr("OS image");
        case KernelColumn:
            return tr("Kernel");
        case RuntimeColumn:
            return tr("Runtime");
        case CpuColumn:
            return tr("CPU");
        case MemoryColumn:
            return tr("Memory");
        case PodsColumn:
            return tr("Pods");
        default:
            break;
        }
    } else if (role == Qt::ToolTipRole && (section == CpuColumn || section == MemoryColumn || section == PodsColumn)) {
        return tr("Capacity; the tooltip of each cell gives what is allocatable");
    } else if (role == Qt::TextAlignmentRole && isNumericColumn(section)) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QHash<int, QByteArray> NodeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(NodeRole, "node");
    names.insert(NameRole, "name");
    names.insert(StatusRole, "status");
    names.insert(SortRole, "sort");
    names.insert(ConditionsRole, "conditions");
    return names;
}

} // namespace Bramble::Models
