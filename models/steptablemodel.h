#pragma once

#include "saga/sagaanalysis.h"

#include <QAbstractTableModel>
#include <QList>

namespace Bramble::Models {

// The steps (state visits) of one analysed execution, one row each, in the
// order they were entered.
//
// Columns: State (indented by nesting: children of a Parallel/Map step sit
// under it), Role ("forward", "compensation", "other"), Status
// ("Succeeded", "Caught"...), Attempts, Started (local time, with ms),
// Duration, Error (the tooltip adds the cause).
//
// setAnalysis() is made for a history that grows (live mode): when the new
// timeline starts with the same visits as the shown one (same entered event
// ids), the rows stay in place, changed ones are signalled with dataChanged
// and new ones appended with one insertion. Anything else (another
// execution) resets the model.
//
// GUI thread.
class StepTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        StateColumn,
        RoleColumn,
        StatusColumn,
        AttemptsColumn,
        StartedColumn,
        DurationColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        StepStatusRole = Qt::UserRole + 1, // int(Saga::StepStatus), on every column
        StateRoleRole, // int(Saga::StateRole), on every column
        StateNameRole, // the state name without indentation, on every column
        DepthRole, // int: 0 at the top level, 1 inside a Parallel/Map...
        ToneRole, // int(SagaTone) of the Status cell (and the Error cell: Error), Neutral elsewhere
        SortRole, // Started: ms since epoch; Duration: ms; Attempts: int; entered order for State
    };
    Q_ENUM(Role)

    explicit StepTableModel(QObject *parent = nullptr);

    void setAnalysis(const Saga::SagaAnalysis &analysis);
    void clear();

    const Saga::SagaAnalysis &analysis() const { return m_analysis; }
    // Valid rows only.
    const Saga::Step &step(int row) const { return m_analysis.timeline.steps.at(row); }
    Saga::StateRole stepRole(int row) const;
    int depth(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(int row, int column) const;

    Saga::SagaAnalysis m_analysis;
};

} // namespace Bramble::Models
