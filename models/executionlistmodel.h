#pragma once

#include "models/tone.h"

#include "models/keyedtablemodel.h"
#include "saga/executionentry.h"
#include "saga/executiontimeline.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace Bramble::Models {

// How a saga cell wants to be coloured: the one Tone (models/tone.h).
using SagaTone = Tone;

SagaTone executionStatusTone(const QString &status); // ListExecutions spelling: SUCCEEDED Ok, FAILED Error...
SagaTone sagaOutcomeTone(Saga::SagaOutcome outcome);
SagaTone stepStatusTone(Saga::StepStatus status);

// "COMPENSATION_FAILED" -> "Compensation failed", "SUCCEEDED" -> "Succeeded".
QString prettyConstant(const QString &constant);
// "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min"; empty for a negative duration.
QString formatDurationMs(qint64 ms);
// Local time, "yyyy-MM-dd HH:mm:ss"; empty for an invalid time.
QString formatLocalTime(const QDateTime &time);

// The executions of one state machine, one row each, keyed by executionArn.
//
// Columns: Name, Status (prettified: "Succeeded"), Outcome (the saga outcome,
// prettified, "…" until the analysis arrives, "⚠ ..." with the reason when
// it could not be loaded; the tooltip is the outcome sentence), Started
// (local time), Duration (start to stop; running executions up to now()),
// Transaction (the input value at transactionPath(), default
// `$.Payload.TransactionDetails.TransactionId`; see Saga::jsonPathValue).
//
// setExecutions() applies a new list in place (see KeyedTableModel):
// rows that are still there keep their row, selections survive.
// updateExecution() replaces one row (the input or the outcome arrived).
// The model reads no clock after construction: the owner moves now() with
// setNow(), which signals the Duration of running rows only.
//
// GUI thread.
class ExecutionListModel : public KeyedTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        StatusColumn,
        OutcomeColumn,
        StartedColumn,
        DurationColumn,
        TransactionColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ArnRole = Qt::UserRole + 1, // executionArn, on every column
        StatusRole, // QString, ListExecutions spelling ("RUNNING"), on every column
        OutcomeRole, // int(Saga::SagaOutcome), -1 while not loaded, on every column
        InputRole, // QString: the input document, empty until loaded, on every column
        SortRole, // Started: ms since epoch; Duration: ms; Outcome: OutcomeRole; text elsewhere
        ToneRole, // int(SagaTone) of the Status and Outcome cells, Neutral elsewhere
        OrderRole, // int: position in the last setExecutions() list
        TransactionRole, // QString: the Transaction column's text, on every column
    };
    Q_ENUM(Role)

    static QString defaultTransactionPath() { return QStringLiteral("$.Payload.TransactionDetails.TransactionId"); }

    explicit ExecutionListModel(QObject *parent = nullptr);

    void setExecutions(const QList<Saga::ExecutionEntry> &executions);
    // Replaces the row with the same executionArn; does nothing when there is none.
    // Returns the row, or -1.
    int updateExecution(const Saga::ExecutionEntry &execution);
    void clear();

    // Valid rows only.
    const Saga::ExecutionEntry &entry(int row) const { return m_rows.at(row).entry; }
    int rowOf(const QString &executionArn) const { return m_rowOf.value(executionArn, -1); }

    QString transactionPath() const { return m_path; }
    void setTransactionPath(const QString &path);

    QDateTime now() const { return m_now; }
    void setNow(const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Row {
        Saga::ExecutionEntry entry;
        QString transaction; // cached: the input value at the transaction path
    };

private:
    QString transactionOf(const Saga::ExecutionEntry &entry) const;
    qint64 durationMs(const Saga::ExecutionEntry &entry) const;
    QVariant displayData(const Row &row, int column) const;
    void reindex();

    QList<Row> m_rows;
    QList<int> m_order;
    QHash<QString, int> m_rowOf;
    QString m_path;
    QDateTime m_now;
};

} // namespace Bramble::Models
