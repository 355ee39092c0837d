// NodeModel: every operation under QAbstractItemModelTester; the signals of a
// batch counted with QSignalSpy (one insertion per batch, coalesced
// dataChanged ranges, removals as ranges bottom up); the coalescing rules;
// and a few thousand random events checked against a reference map.

#include "models/nodemodel.h"
#include "support/testpaths.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <climits>

using namespace Bramble;
using Kube::Node;
using Kube::NodeEvent;
using Kube::NodeReadiness;
using Kube::NodeStatus;
using Kube::WatchEvent;
using Models::NodeModel;
using Models::ReadinessCounts;

namespace {

const QDateTime kCreated(QDate(2024, 2, 11), QTime(9, 14, 27), Qt::UTC);

// A node whose content is decided by variant: the same (name, variant) gives equal nodes.
Node makeNode(const QString &name, int variant = 0)
{
    Node n;
    n.name = name;
    n.uid = QStringLiteral("uid-") + name;
    n.resourceVersion = QString::number(variant);
    n.creationTimestamp = kCreated;
    switch (variant % 5) {
    case 0:
    case 1:
        n.readiness = NodeReadiness::Ready;
        break;
    case 2:
        n.readiness = NodeReadiness::NotReady;
        break;
    case 3:
        n.readiness = NodeReadiness::Unknown;
        break;
    case 4:
        n.readiness = NodeReadiness::Ready;
        n.unschedulable = true;
        break;
    }
    n.conditions.append({ QStringLiteral("Ready"),
        n.readiness == NodeReadiness::Ready          ? QStringLiteral("True")
            : n.readiness == NodeReadiness::NotReady ? QStringLiteral("False")
                                                     : QStringLiteral("Unknown"),
        {}, {}, {}, {} });
    n.kubeletVersion = QStringLiteral("v1.28.%1").arg(variant);
    n.capacity.cpuMillis = 4000;
    n.capacity.memoryBytes = qint64(8) << 30;
    n.capacity.pods = 110;
    return n;
}

NodeEvent added(const Node &n)
{
    return { WatchEvent::Added, n };
}
NodeEvent modified(const Node &n)
{
    return { WatchEvent::Modified, n };
}
NodeEvent deleted(const Node &n)
{
    return { WatchEvent::Deleted, n };
}
NodeEvent deleted(const QString &name)
{
    return deleted(makeNode(name));
}

QString name(int i)
{
    return QStringLiteral("pi-%1").arg(i, 3, 10, QLatin1Char('0'));
}

QList<NodeEvent> addAll(int count)
{
    QList<NodeEvent> batch;
    for (int i = 0; i < count; ++i)
        batch.append(added(makeNode(name(i))));
    return batch;
}

QStringList names(const NodeModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.node(row).name;
    return out;
}

// (first, last) of each rowsInserted/rowsRemoved signal, in order.
QList<QPair<int, int>> ranges(QSignalSpy &spy)
{
    QList<QPair<int, int>> out;
    for (const QList<QVariant> &args : std::as_const(spy))
        out.append({ args.at(1).toInt(), args.at(2).toInt() });
    spy.clear();
    return out;
}

// (first row, last row) of each dataChanged, checking that it spans columns.
QList<QPair<int, int>> changedRows(QSignalSpy &spy, int firstColumn = 0, int lastColumn = NodeModel::ColumnCount - 1)
{
    QList<QPair<int, int>> out;
    for (const QList<QVariant> &args : std::as_const(spy)) {
        const QModelIndex tl = args.at(0).value<QModelIndex>();
        const QModelIndex br = args.at(1).value<QModelIndex>();
        if (tl.column() != firstColumn || br.column() != lastColumn)
            qWarning("dataChanged spans columns %d..%d", tl.column(), br.column());
        out.append({ tl.row(), br.row() });
    }
    spy.clear();
    return out;
}

ReadinessCounts countsOf(const QList<Node> &nodes)
{
    ReadinessCounts c;
    for (const Node &n : nodes) {
        switch (n.displayStatus()) {
        case NodeStatus::Ready:
            ++c.ready;
            break;
        case NodeStatus::NotReady:
            ++c.notReady;
            break;
        case NodeStatus::Unknown:
            ++c.unknown;
            break;
        case NodeStatus::Cordoned:
            ++c.cordoned;
            break;
        }
    }
    return c;
}

// All the spies a batch is judged by.
struct Spies {
    explicit Spies(NodeModel *m)
        : inserted(m, &NodeModel::rowsInserted)
        , removed(m, &NodeModel::rowsRemoved)
        , changed(m, &NodeModel::dataChanged)
        , reset(m, &NodeModel::modelReset)
        , moved(m, &NodeModel::rowsMoved)
        , layout(m, &NodeModel::layoutChanged)
        , counts(m, &NodeModel::countsChanged)
    {
    }
    bool quiet() const
    {
        return inserted.isEmpty() && removed.isEmpty() && changed.isEmpty() && reset.isEmpty() && moved.isEmpty()
            && layout.isEmpty() && counts.isEmpty();
    }
    void clear()
    {
        for (QSignalSpy *s : { &inserted, &removed, &changed, &reset, &moved, &layout, &counts })
            s->clear();
    }
    QSignalSpy inserted, removed, changed, reset, moved, layout, counts;
};

} // namespace

class TestNodeModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void empty()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 13);
        QCOMPARE(model.headerData(NodeModel::NameColumn, Qt::Horizontal).toString(), QStringLiteral("Name"));
        QCOMPARE(
            model.headerData(NodeModel::InternalIPColumn, Qt::Horizontal).toString(), QStringLiteral("Internal IP"));
        QCOMPARE(model.headerData(NodeModel::PodsColumn, Qt::Horizontal).toString(), QStringLiteral("Pods"));
        QCOMPARE(model.rowOf(QStringLiteral("pi-000")), -1);
        QCOMPARE(model.counts(), ReadinessCounts {});
        Spies spies(&model);
        model.applyEvents({});
        model.applyEvents({ deleted(QStringLiteral("ghost")) });
        model.clear();
        QVERIFY(spies.quiet());
    }

    void oneInsertionPerBatch()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Spies spies(&model);
        QSignalSpy aboutToInsert(&model, &NodeModel::rowsAboutToBeInserted);
        model.applyEvents(addAll(5));
        QCOMPARE(aboutToInsert.count(), 1);
        QCOMPARE(ranges(spies.inserted), (QList<QPair<int, int>> { { 0, 4 } }));
        QVERIFY(spies.changed.isEmpty());
        QCOMPARE(spies.counts.count(), 1);
        QCOMPARE(names(model), (QStringList { name(0), name(1), name(2), name(3), name(4) }));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(model.rowOf(name(i)), i);

        // New nodes are appended, in the order their names first appear.
        spies.clear();
        model.applyEvents({ added(makeNode(QStringLiteral("z"))), modified(makeNode(name(2), 1)),
            modified(makeNode(QStringLiteral("a"))), added(makeNode(QStringLiteral("z"), 1)) });
        QCOMPARE(ranges(spies.inserted), (QList<QPair<int, int>> { { 5, 6 } }));
        QCOMPARE(changedRows(spies.changed), (QList<QPair<int, int>> { { 2, 2 } }));
        QCOMPARE(model.node(5).name, QStringLiteral("z"));
        QCOMPARE(model.node(5).resourceVersion, QStringLiteral("1"));
        QCOMPARE(model.node(6).name, QStringLiteral("a"));
        QCOMPARE(model.rowOf(QStringLiteral("a")), 6);
    }

    void coalescing()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyEvents(addAll(4));
        Spies spies(&model);

        // ADDED then MODIFIED: one insertion with the final state.
        model.applyEvents({ added(makeNode(QStringLiteral("new"), 0)), modified(makeNode(QStringLiteral("new"), 2)) });
        QCOMPARE(ranges(spies.inserted), (QList<QPair<int, int>> { { 4, 4 } }));
        QVERIFY(spies.changed.isEmpty());
        QCOMPARE(model.node(4).readiness, NodeReadiness::NotReady);
        spies.clear();

        // ADDED then DELETED: nothing at all.
        model.applyEvents({ added(makeNode(QStringLiteral("brief"))), modified(makeNode(QStringLiteral("brief"), 3)),
            deleted(QStringLiteral("brief")) });
        QVERIFY(spies.quiet());
        QCOMPARE(model.rowOf(QStringLiteral("brief")), -1);

        // DELETED then ADDED of a node we have: replaced in place.
        model.applyEvents({ deleted(name(1)), added(makeNode(name(1), 3)) });
        QVERIFY(spies.inserted.isEmpty());
        QVERIFY(spies.removed.isEmpty());
        QCOMPARE(changedRows(spies.changed), (QList<QPair<int, int>> { { 1, 1 } }));
        QCOMPARE(model.node(1).readiness, NodeReadiness::Unknown);
        QCOMPARE(model.rowOf(name(1)), 1);
        spies.clear();

        // The same, giving back what we already have: no signal (a relist's echo).
        model.applyEvents({ deleted(name(1)), added(makeNode(name(1), 3)) });
        model.applyEvents({ modified(makeNode(name(2))) });
        model.applyEvents({ added(makeNode(name(0))) });
        QVERIFY(spies.quiet());

        // ADDED for a node we have is a replacement; MODIFIED for one we lack an insertion.
        model.applyEvents({ added(makeNode(name(0), 4)), modified(makeNode(QStringLiteral("late"))) });
        QCOMPARE(changedRows(spies.changed), (QList<QPair<int, int>> { { 0, 0 } }));
        QCOMPARE(ranges(spies.inserted), (QList<QPair<int, int>> { { 5, 5 } }));
        QVERIFY(model.node(0).unschedulable);

        // MODIFIED then DELETED of a node we have: one removal.
        spies.clear();
        model.applyEvents({ modified(makeNode(name(3), 2)), deleted(name(3)) });
        QCOMPARE(ranges(spies.removed), (QList<QPair<int, int>> { { 3, 3 } }));
        QVERIFY(spies.changed.isEmpty());
        QCOMPARE(model.rowOf(name(3)), -1);
        QCOMPARE(model.rowOf(QStringLiteral("late")), 4);

        // Events without a name are ignored.
        spies.clear();
        model.applyEvents({ added(Node()), deleted(Node()), modified(Node()) });
        QVERIFY(spies.quiet());
        QCOMPARE(model.rowCount(), 5);
    }

    void dataChangedCoalesced()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyEvents(addAll(10));
        Spies spies(&model);
        // Out of order, with a duplicate and an unchanged node in between.
        model.applyEvents({ modified(makeNode(name(8), 1)), modified(makeNode(name(2), 1)),
            modified(makeNode(name(5), 1)), modified(makeNode(name(1), 1)), modified(makeNode(name(3), 1)),
            modified(makeNode(name(7), 1)), modified(makeNode(name(4))), modified(makeNode(name(2), 2)) });
        QCOMPARE(changedRows(spies.changed), (QList<QPair<int, int>> { { 1, 3 }, { 5, 5 }, { 7, 8 } }));
        QVERIFY(spies.inserted.isEmpty());
        QVERIFY(spies.removed.isEmpty());
        QCOMPARE(model.node(2).resourceVersion, QStringLiteral("2"));

        // All rows at once: a single signal.
        QList<NodeEvent> all;
        for (int i = 9; i >= 0; --i)
            all.append(modified(makeNode(name(i), 3)));
        model.applyEvents(all);
        QCOMPARE(changedRows(spies.changed), (QList<QPair<int, int>> { { 0, 9 } }));
    }

    void removalRangesBottomUp()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyEvents(addAll(10));
        Spies spies(&model);
        QSignalSpy aboutToRemove(&model, &NodeModel::rowsAboutToBeRemoved);
        // Each removal range must still show the rows being removed.
        QStringList seenLeaving;
        connect(&model, &NodeModel::rowsAboutToBeRemoved, this, [&](const QModelIndex &, int first, int last) {
            for (int row = first; row <= last; ++row)
                seenLeaving << model.index(row, NodeModel::NameColumn).data().toString();
        });
        model.applyEvents({ deleted(name(3)), deleted(name(0)), deleted(name(9)), deleted(name(2)), deleted(name(8)),
            deleted(name(4)) });
        QCOMPARE(aboutToRemove.count(), 3);
        QCOMPARE(ranges(spies.removed), (QList<QPair<int, int>> { { 8, 9 }, { 2, 4 }, { 0, 0 } }));
        QCOMPARE(seenLeaving, (QStringList { name(8), name(9), name(2), name(3), name(4), name(0) }));
        QVERIFY(spies.inserted.isEmpty());
        QCOMPARE(names(model), (QStringList { name(1), name(5), name(6), name(7) }));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.node(row).name), row);
        for (int i : { 0, 2, 3, 4, 8, 9 })
            QCOMPARE(model.rowOf(name(i)), -1);
        QCOMPARE(model.counts().total(), 4);
    }

    void mixedBatchOrder()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyEvents(addAll(6));
        QStringList order;
        connect(&model, &NodeModel::dataChanged, this, [&](const QModelIndex &tl, const QModelIndex &br) {
            order << QStringLiteral("changed %1-%2").arg(tl.row()).arg(br.row());
        });
        connect(&model, &NodeModel::rowsRemoved, this,
            [&](const QModelIndex &, int f, int l) { order << QStringLiteral("removed %1-%2").arg(f).arg(l); });
        connect(&model, &NodeModel::rowsInserted, this,
            [&](const QModelIndex &, int f, int l) { order << QStringLiteral("inserted %1-%2").arg(f).arg(l); });
        connect(&model, &NodeModel::countsChanged, this, [&] { order << QStringLiteral("counts"); });
        model.applyEvents({ added(makeNode(QStringLiteral("n1"))), deleted(name(1)), modified(makeNode(name(4), 2)),
            added(makeNode(QStringLiteral("n2"))), deleted(name(5)), modified(makeNode(name(0), 2)),
            deleted(name(2)) });
        QCOMPARE(order,
            (QStringList { QStringLiteral("changed 0-0"), QStringLiteral("changed 4-4"), QStringLiteral("removed 5-5"),
                QStringLiteral("removed 1-2"), QStringLiteral("inserted 3-4"), QStringLiteral("counts") }));
        QCOMPARE(names(model), (QStringList { name(0), name(3), name(4), QStringLiteral("n1"), QStringLiteral("n2") }));
    }

    void counts()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy countsChanged(&model, &NodeModel::countsChanged);
        model.applyEvents({ added(makeNode(QStringLiteral("a"), 0)), added(makeNode(QStringLiteral("b"), 2)),
            added(makeNode(QStringLiteral("c"), 3)), added(makeNode(QStringLiteral("d"), 4)),
            added(makeNode(QStringLiteral("e"), 1)) });
        QCOMPARE(model.counts(), (ReadinessCounts { 2, 1, 1, 1 }));
        QCOMPARE(countsChanged.count(), 1);
        // A change that keeps the status does not signal counts.
        model.applyEvents({ modified(makeNode(QStringLiteral("a"), 1)) });
        QCOMPARE(countsChanged.count(), 1);
        model.applyEvents({ modified(makeNode(QStringLiteral("a"), 4)), deleted(QStringLiteral("b")) });
        QCOMPARE(model.counts(), (ReadinessCounts { 1, 0, 1, 2 }));
        QCOMPARE(countsChanged.count(), 2);
        // A cordoned node that is not ready counts as not ready.
        Node n = makeNode(QStringLiteral("c"), 2);
        n.unschedulable = true;
        model.applyEvents({ modified(n) });
        QCOMPARE(model.counts(), (ReadinessCounts { 1, 1, 0, 2 }));
        QCOMPARE(model.index(model.rowOf(QStringLiteral("c")), 0).data(NodeModel::StatusRole).toInt(),
            int(NodeStatus::NotReady));
        model.clear();
        QCOMPARE(model.counts(), ReadinessCounts {});
        QCOMPARE(countsChanged.count(), 4);
    }

    void rolesAndTexts()
    {
        QFile file(Test::testData(QStringLiteral("kube/nodes-pi.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray items
            = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("items")).toArray();
        QList<Node> nodes;
        for (const QJsonValue &item : items)
            nodes.append(Node::fromJson(item.toObject()));

        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(QDateTime(QDate(2024, 5, 2), QTime(17, 45), Qt::UTC));
        model.reset(nodes);
        QCOMPARE(model.rowCount(), 3);
        const int row = model.rowOf(QStringLiteral("pi-worker-1"));
        QCOMPARE(row, 1);
        const auto text = [&](int r, int column) { return model.index(r, column).data().toString(); };
        QCOMPARE(text(row, NodeModel::NameColumn), QStringLiteral("pi-worker-1"));
        QCOMPARE(text(row, NodeModel::StatusColumn), QStringLiteral("Ready"));
        QCOMPARE(text(row, NodeModel::RolesColumn), QStringLiteral("faas,worker"));
        QCOMPARE(text(row, NodeModel::AgeColumn), QStringLiteral("81d"));
        QCOMPARE(text(row, NodeModel::VersionColumn), QStringLiteral("v1.28.2"));
        QCOMPARE(text(row, NodeModel::InternalIPColumn), QStringLiteral("192.168.1.51"));
        QCOMPARE(text(row, NodeModel::ArchColumn), QStringLiteral("arm64"));
        QCOMPARE(text(row, NodeModel::OsImageColumn), QStringLiteral("Debian GNU/Linux 12 (bookworm)"));
        QCOMPARE(text(row, NodeModel::KernelColumn), QStringLiteral("6.1.0-rpi7-rpi-v8"));
        QCOMPARE(text(row, NodeModel::RuntimeColumn), QStringLiteral("containerd://1.6.20"));
        QCOMPARE(text(row, NodeModel::CpuColumn), QStringLiteral("4"));
        QCOMPARE(text(row, NodeModel::MemoryColumn), QStringLiteral("7.6 GiB"));
        QCOMPARE(text(row, NodeModel::PodsColumn), QStringLiteral("110"));
        QCOMPARE(text(0, NodeModel::RolesColumn), QStringLiteral("control-plane"));
        QCOMPARE(text(2, NodeModel::StatusColumn), QStringLiteral("NotReady,SchedulingDisabled"));
        QCOMPARE(text(2, NodeModel::RolesColumn), QString());
        QCOMPARE(text(2, NodeModel::AgeColumn), QStringLiteral("42d"));

        const QModelIndex cpu = model.index(row, NodeModel::CpuColumn);
        QCOMPARE(cpu.data(NodeModel::SortRole).toLongLong(), 4000);
        QCOMPARE(cpu.data(Qt::ToolTipRole).toString(), QStringLiteral("Allocatable 3500m of capacity 4"));
        QCOMPARE(cpu.data(Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(model.index(row, NodeModel::MemoryColumn).data(NodeModel::SortRole).toLongLong(), 8190451712);
        QCOMPARE(model.index(row, NodeModel::PodsColumn).data(NodeModel::SortRole).toLongLong(), 110);
        QCOMPARE(model.index(row, NodeModel::AgeColumn).data(NodeModel::SortRole).toLongLong(),
            kCreated.addSecs(48 * 60 + 24).secsTo(QDateTime(QDate(2024, 5, 2), QTime(17, 45), Qt::UTC)));
        QCOMPARE(model.index(row, NodeModel::VersionColumn).data(NodeModel::SortRole).toLongLong(), 1028002);
        QCOMPARE(model.index(2, NodeModel::VersionColumn).data(NodeModel::SortRole).toLongLong(), 1029003);
        QCOMPARE(model.index(row, NodeModel::InternalIPColumn).data(NodeModel::SortRole).toString(),
            QStringLiteral("192168001051"));
        QCOMPARE(model.index(row, NodeModel::NameColumn).data(NodeModel::SortRole).toString(),
            QStringLiteral("pi-worker-1"));
        // Worst first when sorted ascending.
        QVERIFY(model.index(2, NodeModel::StatusColumn).data(NodeModel::SortRole).toInt()
            < model.index(row, NodeModel::StatusColumn).data(NodeModel::SortRole).toInt());

        for (int column = 0; column < NodeModel::ColumnCount; ++column) {
            const QModelIndex i = model.index(row, column);
            QCOMPARE(i.data(NodeModel::StatusRole).toInt(), int(NodeStatus::Ready));
            QCOMPARE(i.data(NodeModel::NameRole).toString(), QStringLiteral("pi-worker-1"));
            QCOMPARE(i.data(NodeModel::ConditionsRole).toStringList(),
                (QStringList { QStringLiteral("MemoryPressure"), QStringLiteral("CorruptSDCard") }));
        }
        QCOMPARE(model.index(2, 0).data(NodeModel::StatusRole).toInt(), int(NodeStatus::Unknown));
        QCOMPARE(model.index(row, 0).data(NodeModel::NodeRole).value<Node>(), nodes.at(1));
        QCOMPARE(model.node(row), nodes.at(1));

        const QString status = model.index(row, NodeModel::StatusColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(status.contains(QStringLiteral("Ready: True (KubeletReady) since 2024-02-11T10:04:01Z")),
            qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("CorruptSDCard: SDCardErrors kernel has corrupted file system")),
            qPrintable(status));
        const QString unreachable = model.index(2, NodeModel::StatusColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(unreachable.contains(QStringLiteral("Cordoned")), qPrintable(unreachable));
        QVERIFY2(
            unreachable.contains(QStringLiteral("node.kubernetes.io/unreachable:NoExecute")), qPrintable(unreachable));
        QCOMPARE(model.index(row, NodeModel::InternalIPColumn).data(Qt::ToolTipRole).toString(),
            QStringLiteral("InternalIP: 192.168.1.51\nInternalIP: fd00:1::51\nExternalIP: 203.0.113.51\n"
                           "Hostname: pi-worker-1"));
        QCOMPARE(model.roleNames().value(NodeModel::StatusRole), QByteArray("status"));
        QCOMPARE(model.counts(), (ReadinessCounts { 2, 0, 1, 0 }));
    }

    void sortKeys()
    {
        NodeModel model;
        QList<NodeEvent> batch;
        const QStringList ips { QStringLiteral("10.0.0.9"), QStringLiteral("10.0.0.10"), QStringLiteral("fd00::1"),
            QString(), QStringLiteral("999.1.1.1") };
        const QStringList versions { QStringLiteral("v1.9.0"), QStringLiteral("v1.28.2+k3s1"), QStringLiteral("1.29"),
            QString(), QStringLiteral("garbage") };
        for (int i = 0; i < ips.size(); ++i) {
            Node n = makeNode(name(i));
            n.internalIP = ips.at(i);
            n.kubeletVersion = versions.at(i);
            batch.append(added(n));
        }
        model.applyEvents(batch);
        const auto key = [&](int row, int column) { return model.index(row, column).data(NodeModel::SortRole); };
        QVERIFY(key(0, NodeModel::InternalIPColumn).toString() < key(1, NodeModel::InternalIPColumn).toString());
        QVERIFY(key(1, NodeModel::InternalIPColumn).toString() < key(2, NodeModel::InternalIPColumn).toString());
        QVERIFY(key(3, NodeModel::InternalIPColumn).toString() < key(0, NodeModel::InternalIPColumn).toString());
        QCOMPARE(key(4, NodeModel::InternalIPColumn).toString(), QStringLiteral("~999.1.1.1"));
        QCOMPARE(key(0, NodeModel::VersionColumn).toLongLong(), 1009000);
        QCOMPARE(key(1, NodeModel::VersionColumn).toLongLong(), 1028002);
        QCOMPARE(key(2, NodeModel::VersionColumn).toLongLong(), 1029000);
        QCOMPARE(key(3, NodeModel::VersionColumn).toLongLong(), -1);
        QCOMPARE(key(4, NodeModel::VersionColumn).toLongLong(), -1);
    }

    void setNowTouchesAgeOnly()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(kCreated.addSecs(200));
        model.applyEvents(addAll(3));
        Node unknownAge = makeNode(QStringLiteral("ageless"));
        unknownAge.creationTimestamp = {};
        model.applyEvents({ added(unknownAge) });
        QCOMPARE(model.index(0, NodeModel::AgeColumn).data().toString(), QStringLiteral("3m20s"));
        QCOMPARE(model.index(3, NodeModel::AgeColumn).data().toString(), QString());
        QCOMPARE(model.index(3, NodeModel::AgeColumn).data(NodeModel::SortRole).toLongLong(), -1);
        QSignalSpy changed(&model, &NodeModel::dataChanged);
        model.setNow(kCreated.addDays(3).addSecs(4 * 3600).toOffsetFromUtc(3600));
        QCOMPARE(model.now().timeSpec(), Qt::UTC);
        QCOMPARE(
            changedRows(changed, NodeModel::AgeColumn, NodeModel::AgeColumn), (QList<QPair<int, int>> { { 0, 3 } }));
        QCOMPARE(model.index(2, NodeModel::AgeColumn).data().toString(), QStringLiteral("3d4h"));
    }

    void resetAndClear()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyEvents(addAll(3));
        Spies spies(&model);
        QSignalSpy aboutToReset(&model, &NodeModel::modelAboutToBeReset);
        model.reset({ makeNode(QStringLiteral("b"), 0), Node(), makeNode(QStringLiteral("a"), 2),
            makeNode(QStringLiteral("b"), 3) });
        QCOMPARE(aboutToReset.count(), 1);
        QCOMPARE(spies.reset.count(), 1);
        QVERIFY(spies.inserted.isEmpty() && spies.removed.isEmpty() && spies.changed.isEmpty());
        QCOMPARE(names(model), (QStringList { QStringLiteral("b"), QStringLiteral("a") }));
        QCOMPARE(model.node(0).readiness, NodeReadiness::Unknown); // the last "b" wins
        QCOMPARE(model.rowOf(QStringLiteral("a")), 1);
        QCOMPARE(model.rowOf(name(0)), -1);
        QCOMPARE(model.counts(), (ReadinessCounts { 0, 1, 1, 0 }));
        model.applyEvents({ modified(makeNode(QStringLiteral("a"), 0)) });
        QCOMPARE(model.counts(), (ReadinessCounts { 1, 0, 1, 0 }));
        model.clear();
        QCOMPARE(spies.reset.count(), 2);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf(QStringLiteral("a")), -1);
        model.applyEvents({ added(makeNode(QStringLiteral("a"))) });
        QCOMPARE(model.rowOf(QStringLiteral("a")), 0);
    }

    // Random batches against a reference map: a few thousand events, a fixed
    // seed, a small pool of names so that every coalescing case comes up.
    void randomBatches()
    {
        NodeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Spies spies(&model);
        QRandomGenerator rng(20240502);
        QMap<QString, Node> truth;
        int events = 0, insertBatches = 0, removals = 0, changes = 0;

        for (int round = 0; round < 600; ++round) {
            if (round % 150 == 149) { // a relist now and then
                QList<Node> relisted;
                for (const Node &n : std::as_const(truth))
                    if (rng.bounded(4) != 0)
                        relisted.append(n);
                truth.clear();
                for (const Node &n : std::as_const(relisted))
                    truth.insert(n.name, n);
                model.reset(relisted);
                QCOMPARE(spies.reset.count(), 1);
                spies.clear();
                continue;
            }
            const QMap<QString, Node> before = truth;
            QList<NodeEvent> batch;
            QStringList firstSeen;
            const int size = 1 + int(rng.bounded(12));
            for (int i = 0; i < size; ++i) {
                const QString n = name(int(rng.bounded(60)));
                const int variant = int(rng.bounded(6));
                const int pick = int(rng.bounded(10));
                NodeEvent e = pick < 3 ? added(makeNode(n, variant))
                    : pick < 7         ? modified(makeNode(n, variant))
                                       : deleted(truth.value(n, makeNode(n)));
                if (e.type == WatchEvent::Deleted)
                    truth.remove(n);
                else
                    truth.insert(n, e.node);
                if (!firstSeen.contains(n))
                    firstSeen << n;
                batch.append(e);
            }
            events += size;
            const int rowsBefore = model.rowCount();
            model.applyEvents(batch);

            // Expected net effect.
            QStringList newNames;
            int gone = 0, different = 0;
            for (const QString &n : std::as_const(firstSeen)) {
                const bool was = before.contains(n), is = truth.contains(n);
                if (!was && is)
                    newNames << n;
                else if (was && !is)
                    ++gone;
                else if (was && is && !(before.value(n) == truth.value(n)))
                    ++different;
            }

            // One insertion, at the end, in first-seen order.
            const QList<QPair<int, int>> inserted = ranges(spies.inserted);
            QCOMPARE(inserted.size(), newNames.isEmpty() ? 0 : 1);
            if (!newNames.isEmpty()) {
                ++insertBatches;
                QCOMPARE(inserted.first().first, rowsBefore - gone);
                QCOMPARE(inserted.first().second - inserted.first().first + 1, newNames.size());
                QCOMPARE(names(model).mid(inserted.first().first), newNames);
            }
            // Removals: disjoint ranges, bottom up, adding up.
            int removedRows = 0, previousFirst = INT_MAX;
            for (const auto &[first, last] : ranges(spies.removed)) {
                QVERIFY(first <= last);
                QVERIFY2(
                    last < previousFirst - 1 || previousFirst == INT_MAX, "removals not coalesced or not bottom up");
                previousFirst = first;
                removedRows += last - first + 1;
            }
            QCOMPARE(removedRows, gone);
            removals += gone;
            // dataChanged: sorted, non-adjacent ranges covering exactly the changed rows.
            int changedCount = 0, previousLast = -2;
            for (const auto &[first, last] : changedRows(spies.changed)) {
                QVERIFY2(first > previousLast + 1, "dataChanged ranges not coalesced or not in order");
                previousLast = last;
                changedCount += last - first + 1;
            }
            QCOMPARE(changedCount, different);
            changes += different;
            QVERIFY(spies.moved.isEmpty() && spies.layout.isEmpty() && spies.reset.isEmpty());
            spies.counts.clear();

            // Content equals the truth; names unique; lookup exact.
            QCOMPARE(model.rowCount(), int(truth.size()));
            QSet<QString> seen;
            for (int row = 0; row < model.rowCount(); ++row) {
                const Node &n = model.node(row);
                QVERIFY(!seen.contains(n.name));
                seen.insert(n.name);
                QCOMPARE(n, truth.value(n.name));
                QCOMPARE(model.rowOf(n.name), row);
            }
            QCOMPARE(model.counts(), countsOf(truth.values()));
        }
        QVERIFY(events > 3000);
        // The run exercised every kind of change.
        QVERIFY(insertBatches > 50);
        QVERIFY(removals > 100);
        QVERIFY(changes > 100);
    }
};

QTEST_GUILESS_MAIN(TestNodeModel)
#include "tst_nodemodel.moc"
