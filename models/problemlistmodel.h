#pragma once

#include "metallb/allocation.h"
#include "models/keyedtablemodel.h"

#include <QIcon>
#include <QList>

namespace Bramble::Models {

// The problems of an AllocationReport, errors first, keyed by severity,
// code, subject and message.
//
// Columns: Message (with the severity icon as decoration, when set), Subject
// ("pool/lan", "service/web/nginx"...). SeverityRole is the raw severity;
// SubjectRole the subject on every column, for a view that selects it.
//
// setReport() updates in place (see KeyedTableModel).
//
// GUI thread.
class ProblemListModel : public KeyedTableModel {
    Q_OBJECT

public:
    enum Column { MessageColumn, SubjectColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SeverityRole = Qt::UserRole + 1, // int(MetalLB::Problem::Severity)
        SeverityIconRole, // QString: the icon name, "error" or "warning"
        CodeRole, // the stable code ("ip-outside-pools"...)
        SubjectRole, // the subject, on every column
        OrderRole, // int: position in the report (errors first)
    };
    Q_ENUM(Role)

    explicit ProblemListModel(QObject *parent = nullptr);

    // Decoration for the Message column; none until set (the model has no theme).
    void setSeverityIcons(const QIcon &error, const QIcon &warning);

    void setReport(const MetalLB::AllocationReport &report);
    void clear();
    const MetalLB::Problem &problem(int row) const { return m_problems.at(row); }
    int errorCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<MetalLB::Problem> m_problems;
    QList<int> m_order;
    QIcon m_errorIcon;
    QIcon m_warningIcon;
};

} // namespace Bramble::Models
