#include "dynamodb/tablestore.h"
#include "dynamodb/tablestore_p.h"

#include <QAtomicInt>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Bramble::LocalRuntime {

using namespace Dynamo;

DynamoAnswer DynamoAnswer::error(QString type, QString text, int status)
{
    DynamoAnswer a;
    a.errorType = std::move(type);
    a.message = std::move(text);
    a.httpStatus = status;
    return a;
}

namespace Dynamo {

DynamoAnswer validationError(const QString &message)
{
    return DynamoAnswer::error(QStringLiteral("ValidationException"), message);
}

DynamoAnswer notFound(const QString &message)
{
    return DynamoAnswer::error(QStringLiteral("ResourceNotFoundException"),
        message.isEmpty() ? QStringLiteral("Requested resource not found") : message);
}

} // namespace Dynamo

namespace {

QAtomicInt connectionCounter;

bool exec(QSqlDatabase &db, const QString &sql, QString &error)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        error = q.lastError().text();
        return false;
    }
    return true;
}

} // namespace

QByteArray Dynamo::encodeKeyValue(const AttributeValue &v)
{
    // A leading byte keeps every encoding non-empty (Qt binds an empty
    // QByteArray as NULL) without changing the order.
    return QByteArray(1, '\x01') + sortKey(v);
}

DynamoAnswer Dynamo::internalError(const QString &what)
{
    return DynamoAnswer::error(QStringLiteral("InternalServerError"), what, 500);
}

TableStore::TableStore()
    : d(std::make_unique<Private>())
{
}

TableStore::~TableStore()
{
    const QString name = d->connectionName;
    if (d->db.isOpen())
        d->db.close();
    d->db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

Core::Result<std::unique_ptr<TableStore>> TableStore::open(const QString &path)
{
    return open(path, QStringLiteral("us-east-1"), QStringLiteral("000000000000"));
}

Core::Result<std::unique_ptr<TableStore>> TableStore::open(
    const QString &path, const QString &region, const QString &account)
{
    std::unique_ptr<TableStore> store(new TableStore);
    Private &p = *store->d;
    p.region = region;
    p.account = account;
    p.connectionName = QStringLiteral("bramble.localdynamo.%1").arg(connectionCounter.fetchAndAddRelaxed(1));
    p.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), p.connectionName);
    p.db.setDatabaseName(path);
    // Another store on the same file (the app and bramblectl) holds the
    // write lock only for one operation: wait for it rather than fail.
    p.db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    const auto failure = [&](const QString &what) {
        return Core::Error(Core::Error::Kind::Input, QStringLiteral("DynamoDB table store: %1").arg(what),
            Core::SourceLocation { path, 0, 0, {} });
    };
    if (!p.db.isValid())
        return failure(QStringLiteral("the QSQLITE driver is not available"));
    if (!p.db.open())
        return failure(p.db.lastError().text());
    QString error;
    const bool ok = exec(p.db, QStringLiteral("PRAGMA journal_mode=WAL"), error)
        && exec(p.db, QStringLiteral("PRAGMA synchronous=NORMAL"), error)
        && exec(p.db,
            QStringLiteral("CREATE TABLE IF NOT EXISTS dynamo_tables (name TEXT PRIMARY KEY, definition TEXT "
                           "NOT NULL, created REAL NOT NULL)"),
            error)
        && exec(p.db,
            QStringLiteral("CREATE TABLE IF NOT EXISTS dynamo_items (tbl TEXT NOT NULL, hk BLOB NOT NULL, rk BLOB "
                           "NOT NULL, item TEXT NOT NULL, PRIMARY KEY (tbl, hk, rk)) WITHOUT ROWID"),
            error);
    if (!ok)
        return failure(error);
    QSqlQuery check(p.db);
    if (!check.exec(QStringLiteral("SELECT count(*) FROM dynamo_tables")))
        return failure(QStringLiteral("not a table store: %1").arg(check.lastError().text()));
    return store;
}

DynamoAnswer TableStore::call(const QString &operation, const QJsonObject &request)
{
    using Handler = DynamoAnswer (Private::*)(const QJsonObject &);
    static const QHash<QString, Handler> handlers = {
        { QStringLiteral("CreateTable"), &Private::createTable },
        { QStringLiteral("DescribeTable"), &Private::describeTable },
        { QStringLiteral("ListTables"), &Private::listTables },
        { QStringLiteral("DeleteTable"), &Private::deleteTable },
        { QStringLiteral("PutItem"), &Private::putItem },
        { QStringLiteral("GetItem"), &Private::getItem },
        { QStringLiteral("UpdateItem"), &Private::updateItem },
        { QStringLiteral("DeleteItem"), &Private::deleteItem },
        { QStringLiteral("Query"), &Private::query },
        { QStringLiteral("Scan"), &Private::scan },
    };
    const Handler handler = handlers.value(operation);
    if (!handler)
        return DynamoAnswer::error(QStringLiteral("UnknownOperationException"),
            QStringLiteral("The operation %1 is not supported by the local DynamoDB").arg(Core::oneLine(operation)));
    // IMMEDIATE: an operation that reads and then writes takes the write
    // lock first, so two stores on one file cannot deadlock upgrading it.
    QString error;
    if (!exec(d->db, QStringLiteral("BEGIN IMMEDIATE"), error))
        return internalError(error);
    DynamoAnswer answer = (d.get()->*handler)(request);
    if (answer.ok()) {
        if (!exec(d->db, QStringLiteral("COMMIT"), error)) {
            QString ignored;
            exec(d->db, QStringLiteral("ROLLBACK"), ignored);
            return internalError(error);
        }
    } else {
        exec(d->db, QStringLiteral("ROLLBACK"), error);
    }
    return answer;
}

std::optional<TableInfo> TableStore::Private::table(const QString &name, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT definition FROM dynamo_tables WHERE name = ?"));
    q.addBindValue(name);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    TableInfo t;
    t.name = name;
    t.description = QJsonDocument::fromJson(q.value(0).toByteArray()).object();
    QHash<QString, QString> types;
    for (const QJsonValue &def : t.description.value(QStringLiteral("AttributeDefinitions")).toArray()) {
        const QJsonObject o = def.toObject();
        types.insert(
            o.value(QStringLiteral("AttributeName")).toString(), o.value(QStringLiteral("AttributeType")).toString());
    }
    for (const QJsonValue &k : t.description.value(QStringLiteral("KeySchema")).toArray()) {
        const QJsonObject o = k.toObject();
        const QString attribute = o.value(QStringLiteral("AttributeName")).toString();
        if (o.value(QStringLiteral("KeyType")).toString() == QLatin1String("HASH")) {
            t.hashKey = attribute;
            t.hashType = types.value(attribute);
        } else {
            t.rangeKey = attribute;
            t.rangeType = types.value(attribute);
        }
    }
    return t;
}

std::optional<TableInfo> TableStore::Private::requestTable(
    const QJsonObject &request, DynamoAnswer &error, bool mustExist)
{
    const QJsonValue nameValue = request.value(QStringLiteral("TableName"));
    if (!nameValue.isString()) {
        error = validationError(QStringLiteral("1 validation error detected: Value null at 'tableName' failed to "
                                               "satisfy constraint: Member must not be null"));
        return std::nullopt;
    }
    const QString name = nameValue.toString();
    static const QRegularExpression pattern(QStringLiteral("^[a-zA-Z0-9_.-]+$"));
    const QString prefix
        = QStringLiteral("1 validation error detected: Value '%1' at 'tableName' failed to satisfy constraint: ")
              .arg(Core::oneLine(name));
    if (name.size() < 3) {
        error = validationError(prefix + QStringLiteral("Member must have length greater than or equal to 3"));
        return std::nullopt;
    }
    if (name.size() > 255) {
        error = validationError(prefix + QStringLiteral("Member must have length less than or equal to 255"));
        return std::nullopt;
    }
    if (!pattern.match(name).hasMatch()) {
        error = validationError(
            prefix + QStringLiteral("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
        return std::nullopt;
    }
    QString sqlError;
    auto t = table(name, &sqlError);
    if (!sqlError.isEmpty()) {
        error = internalError(sqlError);
        return std::nullopt;
    }
    if (!t) {
        if (mustExist)
            error = notFound();
        TableInfo named;
        named.name = name;
        return mustExist ? std::nullopt : std::optional<TableInfo>(named);
    }
    return t;
}

std::optional<EncodedKey> TableStore::Private::keyOf(
    const TableInfo &t, const QJsonValue &keyValue, QString &error, const QString &mismatch)
{
    const QString noMatch
        = mismatch.isEmpty() ? QStringLiteral("The provided key element does not match the schema") : mismatch;
    if (!keyValue.isObject()) {
        error = noMatch;
        return std::nullopt;
    }
    const QJsonObject key = keyValue.toObject();
    for (auto it = key.begin(); it != key.end(); ++it) {
        const QString invalid = validate(it.value());
        if (!invalid.isEmpty()) {
            error = invalid;
            return std::nullopt;
        }
    }
    const int expected = t.hasRange() ? 2 : 1;
    if (key.size() != expected || !key.contains(t.hashKey) || (t.hasRange() && !key.contains(t.rangeKey))) {
        error = noMatch;
        return std::nullopt;
    }
    const AttributeValue hash = key.value(t.hashKey).toObject();
    const AttributeValue range = key.value(t.rangeKey).toObject();
    if (typeOf(hash) != t.hashType || (t.hasRange() && typeOf(range) != t.rangeType)) {
        error = noMatch;
        return std::nullopt;
    }
    for (const QString &name : { t.hashKey, t.rangeKey }) {
        const AttributeValue v = key.value(name).toObject();
        if (!name.isEmpty() && (typeOf(v) == QLatin1String("S") || typeOf(v) == QLatin1String("B"))
            && v.begin().value().toString().isEmpty()) {
            error = QStringLiteral("One or more parameter values are not valid. The AttributeValue for a key "
                                   "attribute cannot contain an empty string value. Key: %1")
                        .arg(name);
            return std::nullopt;
        }
    }
    // DynamoDB's key size limits, counted on the UTF-8 or binary value.
    const auto keyBytes = [](const AttributeValue &v) {
        const QString type = typeOf(v);
        return type == QLatin1String("B") ? QByteArray::fromBase64(v.value(type).toString().toLatin1()).size()
                                          : v.value(type).toString().toUtf8().size();
    };
    if (keyBytes(hash) > 2048) {
        error = QStringLiteral("One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
                               "size limit of2048 bytes");
        return std::nullopt;
    }
    if (t.hasRange() && keyBytes(range) > 1024) {
        error = QStringLiteral("One or more parameter values were invalid: Aggregated size of all range keys has "
                               "exceeded the size limit of 1024 bytes");
        return std::nullopt;
    }
    return EncodedKey { encodeKeyValue(hash), t.hasRange() ? encodeKeyValue(range) : QByteArray(1, '\x01') };
}

std::optional<EncodedKey> TableStore::Private::itemKey(const TableInfo &t, const Item &item, QString &error)
{
    for (const QString &name : { t.hashKey, t.rangeKey }) {
        if (name.isEmpty())
            continue;
        if (!item.contains(name)) {
            error
                = QStringLiteral("One or more parameter values were invalid: Missing the key %1 in the item").arg(name);
            return std::nullopt;
        }
        const QString expected = name == t.hashKey ? t.hashType : t.rangeType;
        const QString actual = typeOf(item.value(name).toObject());
        if (actual != expected) {
            error = QStringLiteral("One or more parameter values were invalid: Type mismatch for key %1 expected: %2 "
                                   "actual: %3")
                        .arg(name, expected, actual);
            return std::nullopt;
        }
    }
    return keyOf(t, keyAttributes(t, item), error);
}

Item TableStore::Private::keyAttributes(const TableInfo &t, const Item &item) const
{
    Item key;
    key.insert(t.hashKey, item.value(t.hashKey));
    if (t.hasRange())
        key.insert(t.rangeKey, item.value(t.rangeKey));
    return key;
}

std::optional<Item> TableStore::Private::loadItem(const TableInfo &t, const EncodedKey &key, QString &error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT item FROM dynamo_items WHERE tbl = ? AND hk = ? AND rk = ?"));
    q.addBindValue(t.name);
    q.addBindValue(key.hash);
    q.addBindValue(key.range);
    if (!q.exec()) {
        error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return QJsonDocument::fromJson(q.value(0).toByteArray()).object();
}

bool TableStore::Private::storeItem(const TableInfo &t, const EncodedKey &key, const Item &item, QString &error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO dynamo_items (tbl, hk, rk, item) VALUES (?, ?, ?, ?)"));
    q.addBindValue(t.name);
    q.addBindValue(key.hash);
    q.addBindValue(key.range);
    q.addBindValue(QString::fromUtf8(QJsonDocument(item).toJson(QJsonDocument::Compact)));
    if (!q.exec()) {
        error = q.lastError().text();
        return false;
    }
    return true;
}

bool TableStore::Private::removeItem(const TableInfo &t, const EncodedKey &key, QString &error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM dynamo_items WHERE tbl = ? AND hk = ? AND rk = ?"));
    q.addBindValue(t.name);
    q.addBindValue(key.hash);
    q.addBindValue(key.range);
    if (!q.exec()) {
        error = q.lastError().text();
        return false;
    }
    return true;
}

} // namespace Bramble::LocalRuntime
