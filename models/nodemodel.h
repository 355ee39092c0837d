#pragma once

#include "kube/node.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace Bramble::Models {

// How many nodes are in each display status (Kube::NodeStatus); the four
// add up to the number of rows. What the readiness timeline samples.
struct ReadinessCounts {
    int ready = 0;
    int notReady = 0;
    int unknown = 0;
    int cordoned = 0; // Ready and cordoned; a cordoned NotReady node counts as notReady

    int total() const { return ready + notReady + unknown + cordoned; }
    bool operator==(const ReadinessCounts &) const = default;
};

// The nodes of one cluster, one row each, live from a watch.
//
// Rows keep their place: new nodes are appended, deleted ones removed, so a
// QSortFilterProxyModel in front does the ordering. Lookup by name is O(1).
// Text is formatted in data(), never stored.
//
// Columns (Column): Name, Status (kubectl's STATUS text, e.g.
// "Ready,SchedulingDisabled"), Roles ("control-plane,worker"; empty when
// none), Age (kubectl's AGE text at now()), Version (kubelet), Internal IP,
// Arch, OS image, Kernel, Runtime (containerRuntimeVersion), CPU (capacity
// in cores, "4" or "3.5"), Memory (capacity, "7.6 GiB"), Pods (capacity).
// CPU, Memory and Pods show capacity, what the hardware has; their tooltips
// give allocatable, what the scheduler may hand out.
//
// The model does no timers and reads no clock after construction: the Age
// column is computed from now(), which the owner moves with setNow().
//
// Thread: the GUI thread, like every model.
class NodeModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StatusColumn,
        RolesColumn,
        AgeColumn,
        VersionColumn,
        InternalIPColumn,
        ArchColumn,
        OsImageColumn,
        KernelColumn,
        RuntimeColumn,
        CpuColumn,
        MemoryColumn,
        PodsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NodeRole = Qt::UserRole + 1, // the whole Kube::Node (QVariant); node(row) avoids the copy
        NameRole, // the node name, on every column
        StatusRole, // int(Kube::NodeStatus), on every column: what the delegate colours by
        SortRole, // raw value for sorting: numbers for Age (seconds), CPU (millicores),
                  // Memory (bytes), Pods, Version (major*10^6+minor*10^3+patch) and
                  // Status (severity: NotReady 0, Unknown 1, Cordoned 2, Ready 3);
                  // a zero-padded key for IPv4 addresses; the text elsewhere
        ConditionsRole, // QStringList: Kube::Node::problemConditions(), for badges
    };
    Q_ENUM(Role)

    explicit NodeModel(QObject *parent = nullptr);

    // Applies one batch of watch events. Events for the same node are
    // coalesced first, so only the net change is signalled:
    //   ADDED then MODIFIED   -> one inserted row with the final state
    //   ADDED then DELETED    -> nothing
    //   DELETED then ADDED    -> the row is replaced in place (dataChanged)
    //   MODIFIED of a node we do not have -> inserted; ADDED of one we have -> replaced
    //   a replacement equal to what we have -> no signal at all.
    // Then: dataChanged for replaced rows, coalesced into contiguous row
    // ranges spanning all columns (all roles); removals as contiguous ranges,
    // bottom up; and one beginInsertRows/endInsertRows appending every new
    // node, in the order their names first appear in the batch. Events whose
    // node has no name are ignored. countsChanged() follows if counts changed.
    void applyEvents(const QList<Kube::NodeEvent> &batch);

    // Replaces every row (a relist): one model reset. A name given twice keeps the last.
    void reset(const QList<Kube::Node> &nodes);
    void clear();

    // The time the Age column is computed at (UTC). Starts at the time of
    // construction; moving it emits dataChanged for the Age column only.
    void setNow(const QDateTime &now);
    QDateTime now() const { return m_now; }

    // The node at a row, 0 <= row < rowCount().
    const Kube::Node &node(int row) const { return m_nodes.at(row); }
    // The row of the node with that name, or -1. O(1).
    int rowOf(const QString &name) const { return m_rowOf.value(name, -1); }

    ReadinessCounts counts() const { return m_counts; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    // counts() changed; emitted after the model signals of a batch, reset or clear.
    void countsChanged();

private:
    QVariant displayData(const Kube::Node &node, int column) const;
    QVariant sortData(const Kube::Node &node, int column) const;
    QVariant toolTipData(const Kube::Node &node, int column) const;
    qint64 ageSeconds(const Kube::Node &node) const;
    void count(const Kube::Node &node, int delta);
    void removeRange(int first, int last);

    QList<Kube::Node> m_nodes;
    QHash<QString, int> m_rowOf; // name -> row, always exact
    ReadinessCounts m_counts;
    QDateTime m_now;
};

} // namespace Bramble::Models
