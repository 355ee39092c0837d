#pragma once

#include "core/error.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

class QSqlQuery;
class QTimer;

namespace Bramble::LocalRuntime {

struct StateMachineRecord {
    qint64 seq = 0; // creation order
    QString arn;
    QString name;
    QString definition; // as given (text)
    QString roleArn;
    QString type; // STANDARD | EXPRESS
    QString description;
    QString revisionId;
    double creationDate = 0; // epoch seconds
    double updateDate = 0;
};

struct ExecutionRecord {
    qint64 seq = 0; // start order
    QString arn;
    QString machineArn;
    QString machineName;
    QString name;
    QString status; // RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
    QString input; // JSON text
    QString output; // JSON text; SUCCEEDED only
    QString error;
    QString cause;
    QString testCase;
    QString definition; // the definition this run uses
    QString roleArn;
    QString revisionId;
    double startDate = 0;
    double stopDate = 0; // 0 while running
    double redriveDate = 0; // 0 when never redriven
    int redriveCount = 0;
    QJsonObject checkpoint; // asl Checkpoint::toJson(), empty when none yet
};

// Step Functions state on SQLite (stepfunctions.sqlite): state machines,
// executions and their history events. WAL mode; writes join one
// transaction that commits shortly after (20 ms) or at flush(), so bursts
// of events cost one commit; reads on the same connection see them at once.
// One thread: the one that opened it.
class SfnStore : public QObject {
    Q_OBJECT
public:
    explicit SfnStore(QObject *parent = nullptr);
    ~SfnStore() override;

    Core::Error open(const QString &path);
    void close();
    void flush(); // commits the open transaction

    // State machines.
    Core::Error insertMachine(StateMachineRecord &record); // sets seq
    Core::Error updateMachine(const StateMachineRecord &record);
    Core::Error deleteMachine(const QString &arn);
    std::optional<StateMachineRecord> machine(const QString &arn);
    std::optional<StateMachineRecord> machineByName(const QString &name);
    // At most `limit`, in creation order, with seq > afterSeq.
    QList<StateMachineRecord> machines(qint64 afterSeq, int limit);

    // Executions.
    Core::Error insertExecution(ExecutionRecord &record); // sets seq
    // Status, output, error, cause, dates, redrive fields and checkpoint.
    Core::Error updateExecution(const ExecutionRecord &record);
    std::optional<ExecutionRecord> execution(const QString &arn);
    bool executionExists(const QString &machineArn, const QString &name);
    // Newest first: seq < beforeSeq (0: from the newest); status empty: any.
    QList<ExecutionRecord> executions(
        const QString &machineArn, const QString &status, int redriveFilter, qint64 beforeSeq, int limit);
    QList<ExecutionRecord> runningExecutions();
    Core::Error setCheckpoint(qint64 executionSeq, const QJsonObject &checkpoint);

    // History events, as JSON objects ("id", "previousEventId", "timestamp", "type", details).
    Core::Error appendEvent(qint64 executionSeq, qint64 id, const QJsonObject &event);
    // Ids in (afterId, ...) ascending, or when reverse ids below `beforeId` descending.
    QList<QJsonObject> events(qint64 executionSeq, qint64 fromId, bool reverse, int limit);
    qint64 lastEventId(qint64 executionSeq);
    Core::Error deleteEventsAfter(qint64 executionSeq, qint64 id);

private:
    bool beginWrite();
    Core::Error sqlError(const QString &what, const QSqlQuery *query = nullptr) const;

    QString m_connection;
    QSqlDatabase m_db;
    bool m_inTransaction = false;
    QTimer *m_commitTimer = nullptr;
    QString m_path;
};

} // namespace Bramble::LocalRuntime
