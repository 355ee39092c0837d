#pragma once

#include "metallb/allocation.h"
#include "models/keyedtablemodel.h"

#include <QList>

namespace Bramble::Models {

// The LoadBalancer services of an AllocationReport, one row each, keyed by
// namespace/name.
//
// Columns: Namespace, Name, IPs (joined with ", "), Pool, State ("Assigned",
// "Pending", "Outside pools"), Reason (why it is pending). StateRole gives
// the state for colouring; SearchRole the text a find field matches
// (namespace/name and IPs).
//
// setReport() updates in place (see KeyedTableModel).
//
// GUI thread.
class LbServiceTableModel : public KeyedTableModel {
    Q_OBJECT

public:
    enum Column { NamespaceColumn, NameColumn, IpsColumn, PoolColumn, StateColumn, ReasonColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        KeyRole = Qt::UserRole + 1, // "NS/NAME", on every column
        StateRole, // int(MetalLB::ServiceState::State), on every column
        SearchRole, // "ns/name ip1 ip2", on every column
        OrderRole, // int: position in the report
        SortRole, // state as severity (OutsidePools 0, Pending 1, Assigned 2); IPs by address; text elsewhere
    };
    Q_ENUM(Role)

    explicit LbServiceTableModel(QObject *parent = nullptr);

    void setReport(const MetalLB::AllocationReport &report);
    void clear();

    // The row of a service ("NS/NAME"), or -1.
    int rowOf(const QString &key) const;
    const MetalLB::ServiceState &service(int row) const { return m_services.at(row); }
    static QString keyOf(const MetalLB::ServiceState &service);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const MetalLB::ServiceState &service, int column) const;

    QList<MetalLB::ServiceState> m_services;
    QList<int> m_order;
};

} // namespace Bramble::Models
