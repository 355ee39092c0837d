#pragma once

#include "metallb/allocation.h"
#include "models/keyedtablemodel.h"

#include <QHash>
#include <QIcon>
#include <QList>
#include <QStringList>

namespace Bramble::Models {

// The address pools of an AllocationReport, one row each, keyed by name.
//
// Columns: Name, Source ("CRD" / "ConfigMap"), Protocol, Addresses (the
// entries as written, joined with ", "), Used, Free, Total (decimal; IPv6
// pools can hold up to 2^128). The Name tooltip lists the services holding
// addresses of the pool; the Used column's UsageRole is what a bar delegate draws.
//
// setReport() updates in place (see KeyedTableModel): a pool keeps its row,
// and its selection, across live updates.
//
// GUI thread.
class PoolTableModel : public KeyedTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        SourceColumn,
        ProtocolColumn,
        AddressesColumn,
        UsedColumn,
        FreeColumn,
        TotalColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NameRole = Qt::UserRole + 1, // the pool's name, on every column
        UsageRole, // double in [0, 1]: used / total, on every column
        ProblemRole, // bool: some problem of the report is about this pool
        ProblemsRole, // QStringList: those problems' messages
        OrderRole, // int: position in the report (config order)
        SortRole, // raw value for sorting: counts as double, the text elsewhere
        EditableRole, // bool: a CRD pool (a ConfigMap pool is never rewritten)
    };
    Q_ENUM(Role)

    explicit PoolTableModel(QObject *parent = nullptr);

    // Decoration of the Name column of a pool with problems; none until set
    // (the model has no theme).
    void setProblemIcon(const QIcon &icon);

    void setReport(const MetalLB::AllocationReport &report);
    void clear();

    // The row of a pool, or -1.
    int rowOf(const QString &name) const;
    // 0 <= row < rowCount().
    const MetalLB::PoolUsage &pool(int row) const { return m_pools.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const MetalLB::PoolUsage &pool, int column) const;
    QString toolTip(const MetalLB::PoolUsage &pool, int column) const;

    QList<MetalLB::PoolUsage> m_pools;
    QList<int> m_order;
    QHash<QString, QStringList> m_problems; // pool name -> messages
    QIcon m_problemIcon;
};

} // namespace Bramble::Models
