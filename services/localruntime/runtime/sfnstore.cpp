#include "runtime/sfnstore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>
#include <QVariant>

namespace Bramble::LocalRuntime {

namespace {

Core::SourceLocation fileLocation(const QString &file)
{
    Core::SourceLocation location;
    location.file = file;
    return location;
}

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS state_machines ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, arn TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,"
    " definition TEXT NOT NULL, role_arn TEXT NOT NULL, type TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " revision_id TEXT NOT NULL, creation_date REAL NOT NULL, update_date REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS executions ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, arn TEXT NOT NULL UNIQUE, machine_arn TEXT NOT NULL,"
    " machine_name TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, input TEXT NOT NULL,"
    " output TEXT, error TEXT, cause TEXT, test_case TEXT NOT NULL DEFAULT '', definition TEXT NOT NULL,"
    " role_arn TEXT NOT NULL, revision_id TEXT NOT NULL DEFAULT '', start_date REAL NOT NULL, stop_date REAL,"
    " redrive_date REAL, redrive_count INTEGER NOT NULL DEFAULT 0, checkpoint TEXT,"
    " UNIQUE (machine_arn, name))",
    "CREATE INDEX IF NOT EXISTS executions_by_machine ON executions (machine_arn, seq)",
    "CREATE INDEX IF NOT EXISTS executions_by_status ON executions (status)",
    "CREATE TABLE IF NOT EXISTS events ("
    " execution INTEGER NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (execution, id))"
    " WITHOUT ROWID",
};

QString jsonText(const QJsonObject &object)
{
    return object.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QVariant &text)
{
    if (text.isNull())
        return {};
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

QVariant dateOrNull(double date)
{
    return date > 0 ? QVariant(date) : QVariant(QMetaType(QMetaType::Double));
}

// For NOT NULL columns: a null QString binds as SQL NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant textOrNull(const QString &text)
{
    return text.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

StateMachineRecord readMachine(const QSqlQuery &q)
{
    StateMachineRecord r;
    r.seq = q.value(0).toLongLong();
    r.arn = q.value(1).toString();
    r.name = q.value(2).toString();
    r.definition = q.value(3).toString();
    r.roleArn = q.value(4).toString();
    r.type = q.value(5).toString();
    r.description = q.value(6).toString();
    r.revisionId = q.value(7).toString();
    r.creationDate = q.value(8).toDouble();
    r.updateDate = q.value(9).toDouble();
    return r;
}

const char kMachineColumns[]
    = "SELECT seq, arn, name, definition, role_arn, type, description, revision_id, creation_date, update_date"
      " FROM state_machines ";

const char kExecutionColumns[]
    = "SELECT seq, arn, machine_arn, machine_name, name, status, input, output, error, cause, test_case,"
      " definition, role_arn, revision_id, start_date, stop_date, redrive_date, redrive_count, checkpoint"
      " FROM executions ";

ExecutionRecord readExecution(const QSqlQuery &q)
{
    ExecutionRecord r;
    r.seq = q.value(0).toLongLong();
    r.arn = q.value(1).toString();
    r.machineArn = q.value(2).toString();
    r.machineName = q.value(3).toString();
    r.name = q.value(4).toString();
    r.status = q.value(5).toString();
    r.input = q.value(6).toString();
    r.output = q.value(7).toString();
    r.error = q.value(8).toString();
    r.cause = q.value(9).toString();
    r.testCase = q.value(10).toString();
    r.definition = q.value(11).toString();
    r.roleArn = q.value(12).toString();
    r.revisionId = q.value(13).toString();
    r.startDate = q.value(14).toDouble();
    r.stopDate = q.value(15).isNull() ? 0 : q.value(15).toDouble();
    r.redriveDate = q.value(16).isNull() ? 0 : q.value(16).toDouble();
    r.redriveCount = q.value(17).toInt();
    r.checkpoint = jsonObject(q.value(18));
    return r;
}

} // namespace

SfnStore::SfnStore(QObject *parent)
    : QObject(parent)
    , m_connection(QStringLiteral("bramble-sfn-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_commitTimer(new QTimer(this))
{
    m_commitTimer->setSingleShot(true);
    m_commitTimer->setInterval(20);
    connect(m_commitTimer, &QTimer::timeout, this, &SfnStore::flush);
}

SfnStore::~SfnStore()
{
    close();
}

Core::Error SfnStore::sqlError(const QString &what, const QSqlQuery *query) const
{
    const QString text = query ? query->lastError().text() : m_db.lastError().text();
    return Core::Error(Core::Error::Kind::Server, QStringLiteral("%1: %2").arg(what, text), fileLocation(m_path));
}

Core::Error SfnStore::open(const QString &path)
{
    close();
    m_path = path;
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(path);
    if (!m_db.open())
        return Core::Error(Core::Error::Kind::Input,
            QStringLiteral("cannot open the database: %1").arg(m_db.lastError().text()), fileLocation(path));
    QSqlQuery q(m_db);
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
             "PRAGMA busy_timeout=5000" }) {
        if (!q.exec(QString::fromLatin1(pragma)))
            return Core::Error(Core::Error::Kind::Input,
                QStringLiteral("cannot set up the database: %1").arg(q.lastError().text()), fileLocation(path));
    }
    for (const char *statement : kSchema) {
        if (!q.exec(QString::fromLatin1(statement)))
            return Core::Error(Core::Error::Kind::Input,
                QStringLiteral("cannot create the tables: %1").arg(q.lastError().text()), fileLocation(path));
    }
    return {};
}

void SfnStore::close()
{
    if (!m_db.isValid())
        return;
    flush();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

bool SfnStore::beginWrite()
{
    if (!m_db.isOpen())
        return false;
    if (!m_inTransaction) {
        if (!m_db.transaction())
            return false;
        m_inTransaction = true;
        m_commitTimer->start();
    }
    return true;
}

void SfnStore::flush()
{
    m_commitTimer->stop();
    if (m_inTransaction) {
        m_inTransaction = false;
        if (!m_db.commit())
            m_db.rollback();
    }
}

Core::Error SfnStore::insertMachine(StateMachineRecord &record)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO state_machines (arn, name, definition, role_arn, type, description,"
                             " revision_id, creation_date, update_date) VALUES (?,?,?,?,?,?,?,?,?)"));
    for (const QVariant &v : { text(record.arn), text(record.name), text(record.definition), text(record.roleArn),
             text(record.type), text(record.description), text(record.revisionId), QVariant(record.creationDate),
             QVariant(record.updateDate) })
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store the state machine"), &q);
    record.seq = q.lastInsertId().toLongLong();
    return {};
}

Core::Error SfnStore::updateMachine(const StateMachineRecord &record)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE state_machines SET definition=?, role_arn=?, description=?, revision_id=?,"
                             " update_date=? WHERE arn=?"));
    for (const QVariant &v : { text(record.definition), text(record.roleArn), text(record.description),
             text(record.revisionId), QVariant(record.updateDate), text(record.arn) })
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot update the state machine"), &q);
    return {};
}

Core::Error SfnStore::deleteMachine(const QString &arn)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM state_machines WHERE arn=?"));
    q.addBindValue(arn);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot delete the state machine"), &q);
    return {};
}

std::optional<StateMachineRecord> SfnStore::machine(const QString &arn)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kMachineColumns) + QStringLiteral("WHERE arn=?"));
    q.addBindValue(arn);
    if (q.exec() && q.next())
        return readMachine(q);
    return std::nullopt;
}

std::optional<StateMachineRecord> SfnStore::machineByName(const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kMachineColumns) + QStringLiteral("WHERE name=?"));
    q.addBindValue(name);
    if (q.exec() && q.next())
        return readMachine(q);
    return std::nullopt;
}

QList<StateMachineRecord> SfnStore::machines(qint64 afterSeq, int limit)
{
    QList<StateMachineRecord> list;
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kMachineColumns) + QStringLiteral("WHERE seq > ? ORDER BY seq LIMIT ?"));
    q.addBindValue(afterSeq);
    q.addBindValue(limit);
    if (q.exec()) {
        while (q.next())
            list.append(readMachine(q));
    }
    return list;
}

Core::Error SfnStore::insertExecution(ExecutionRecord &r)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT INTO executions (arn, machine_arn, machine_name, name, status, input, output, error, cause,"
        " test_case, definition, role_arn, revision_id, start_date, stop_date, redrive_date, redrive_count,"
        " checkpoint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    for (const QVariant &v : { text(r.arn), text(r.machineArn), text(r.machineName), text(r.name), text(r.status),
             text(r.input), textOrNull(r.output), textOrNull(r.error), textOrNull(r.cause), text(r.testCase),
             text(r.definition), text(r.roleArn), text(r.revisionId), QVariant(r.startDate), dateOrNull(r.stopDate),
             dateOrNull(r.redriveDate), QVariant(r.redriveCount), textOrNull(jsonText(r.checkpoint)) })
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store the execution"), &q);
    r.seq = q.lastInsertId().toLongLong();
    return {};
}

Core::Error SfnStore::updateExecution(const ExecutionRecord &r)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE executions SET status=?, output=?, error=?, cause=?, stop_date=?,"
                             " redrive_date=?, redrive_count=?, checkpoint=? WHERE seq=?"));
    for (const QVariant &v :
        { text(r.status), textOrNull(r.output), textOrNull(r.error), textOrNull(r.cause), dateOrNull(r.stopDate),
            dateOrNull(r.redriveDate), QVariant(r.redriveCount), textOrNull(jsonText(r.checkpoint)), QVariant(r.seq) })
        q.addBindValue(v);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot update the execution"), &q);
    return {};
}

Core::Error SfnStore::setCheckpoint(qint64 executionSeq, const QJsonObject &checkpoint)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE executions SET checkpoint=? WHERE seq=?"));
    q.addBindValue(jsonText(checkpoint));
    q.addBindValue(executionSeq);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store the checkpoint"), &q);
    return {};
}

std::optional<ExecutionRecord> SfnStore::execution(const QString &arn)
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kExecutionColumns) + QStringLiteral("WHERE arn=?"));
    q.addBindValue(arn);
    if (q.exec() && q.next())
        return readExecution(q);
    return std::nullopt;
}

bool SfnStore::executionExists(const QString &machineArn, const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT 1 FROM executions WHERE machine_arn=? AND name=?"));
    q.addBindValue(machineArn);
    q.addBindValue(name);
    return q.exec() && q.next();
}

QList<ExecutionRecord> SfnStore::executions(
    const QString &machineArn, const QString &status, int redriveFilter, qint64 beforeSeq, int limit)
{
    QString sql = QLatin1String(kExecutionColumns) + QStringLiteral("WHERE machine_arn=?");
    if (!status.isEmpty())
        sql += QStringLiteral(" AND status=?");
    if (redriveFilter > 0)
        sql += QStringLiteral(" AND redrive_count > 0");
    else if (redriveFilter < 0)
        sql += QStringLiteral(" AND redrive_count = 0");
    if (beforeSeq > 0)
        sql += QStringLiteral(" AND seq < ?");
    sql += QStringLiteral(" ORDER BY seq DESC LIMIT ?");
    QSqlQuery q(m_db);
    q.prepare(sql);
    q.addBindValue(machineArn);
    if (!status.isEmpty())
        q.addBindValue(status);
    if (beforeSeq > 0)
        q.addBindValue(beforeSeq);
    q.addBindValue(limit);
    QList<ExecutionRecord> list;
    if (q.exec()) {
        while (q.next())
            list.append(readExecution(q));
    }
    return list;
}

QList<ExecutionRecord> SfnStore::runningExecutions()
{
    QSqlQuery q(m_db);
    q.prepare(QLatin1String(kExecutionColumns) + QStringLiteral("WHERE status='RUNNING' ORDER BY seq"));
    QList<ExecutionRecord> list;
    if (q.exec()) {
        while (q.next())
            list.append(readExecution(q));
    }
    return list;
}

Core::Error SfnStore::appendEvent(qint64 executionSeq, qint64 id, const QJsonObject &event)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO events (execution, id, body) VALUES (?,?,?)"));
    q.addBindValue(executionSeq);
    q.addBindValue(id);
    q.addBindValue(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return sqlError(QStringLiteral("cannot store a history event"), &q);
    return {};
}

QList<QJsonObject> SfnStore::events(qint64 executionSeq, qint64 fromId, bool reverse, int limit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(reverse ? QStringLiteral("SELECT body FROM events WHERE execution=? AND id<? ORDER BY id DESC LIMIT ?")
                      : QStringLiteral("SELECT body FROM events WHERE execution=? AND id>? ORDER BY id LIMIT ?"));
    q.addBindValue(executionSeq);
    q.addBindValue(fromId);
    q.addBindValue(limit);
    QList<QJsonObject> list;
    if (q.exec()) {
        while (q.next())
            list.append(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
    }
    return list;
}

qint64 SfnStore::lastEventId(qint64 executionSeq)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT MAX(id) FROM events WHERE execution=?"));
    q.addBindValue(executionSeq);
    if (q.exec() && q.next())
        return q.value(0).toLongLong();
    return 0;
}

Core::Error SfnStore::deleteEventsAfter(qint64 executionSeq, qint64 id)
{
    if (!beginWrite())
        return sqlError(QStringLiteral("cannot write"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM events WHERE execution=? AND id>?"));
    q.addBindValue(executionSeq);
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(QStringLiteral("cannot truncate a history"), &q);
    return {};
}

} // namespace Bramble::LocalRuntime
