#pragma once

#include "saga/sagaanalysis.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace Bramble::Models {

// Two analysed executions (A and B) side by side, one row per state.
//
// States are aligned by name in first-entered order: A's states in the
// order A first entered them, and each state only B entered is placed
// right after the state B entered before it (so B's compensation path
// appears where B left A's path). A state visited several times shows its
// last visit's status, the summed duration and the summed attempts.
//
// Columns: State, Role, A status, A duration, A attempts, B status,
// B duration, B attempts; a side that never entered the state shows "—".
// DifferRole is true where the two statuses differ or one side is missing.
//
// setAnalyses() resets the model (a comparison is a new document, not a live update).
//
// GUI thread.
class ExecutionCompareModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        StateColumn,
        RoleColumn,
        AStatusColumn,
        ADurationColumn,
        AAttemptsColumn,
        BStatusColumn,
        BDurationColumn,
        BAttemptsColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        DifferRole = Qt::UserRole + 1, // bool, on every column
        StateNameRole, // QString, on every column
        ToneRole, // int(SagaTone) of the status cells, Neutral elsewhere
        SortRole, // durations in ms, attempts as int, row order for State, text elsewhere
        PresentRole, // int bit set: 1 when A entered the state, 2 when B did; on every column
    };
    Q_ENUM(Role)

    explicit ExecutionCompareModel(QObject *parent = nullptr);

    void setAnalyses(const Saga::SagaAnalysis &a, const Saga::SagaAnalysis &b);
    void clear();

    const Saga::SagaAnalysis &analysisA() const { return m_a; }
    const Saga::SagaAnalysis &analysisB() const { return m_b; }
    Saga::SagaOutcome outcomeA() const { return m_a.outcome; }
    Saga::SagaOutcome outcomeB() const { return m_b.outcome; }
    QString stateAt(int row) const { return m_rows.at(row).state; }
    bool differs(int row) const;
    int differenceCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Side {
        bool present = false;
        Saga::StepStatus status = Saga::StepStatus::Running;
        qint64 durationMs = -1; // -1 when no visit has both ends
        int attempts = 0;
        int visits = 0;
    };
    struct Row {
        QString state;
        Saga::StateRole role = Saga::StateRole::Other;
        Side a;
        Side b;
    };

    QVariant sideData(const Side &side, int which, int role) const; // which: 0 status, 1 duration, 2 attempts

    Saga::SagaAnalysis m_a;
    Saga::SagaAnalysis m_b;
    QList<Row> m_rows;
};

} // namespace Bramble::Models
