#pragma once

#include "dynamodb/attributevalue.h"
#include "dynamodb/expression.h"
#include "dynamodb/tablestore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Bramble::LocalRuntime {

namespace Dynamo {

// One table's definition as CreateTable stored it.
struct TableInfo {
    QString name;
    QString hashKey;
    QString hashType; // "S", "N" or "B"
    QString rangeKey; // empty without a sort key
    QString rangeType;
    QJsonObject description; // TableDescription without the counts

    bool hasRange() const { return !rangeKey.isEmpty(); }
    bool isKey(const QString &attribute) const { return attribute == hashKey || attribute == rangeKey; }
};

// A key as the store indexes it: memcmp-sortable bytes (see sortKey()).
struct EncodedKey {
    QByteArray hash;
    QByteArray range;
};

DynamoAnswer validationError(const QString &message);
DynamoAnswer notFound(const QString &message = {});
DynamoAnswer internalError(const QString &what);
// The indexed column bytes of one key value (hash or range).
QByteArray encodeKeyValue(const AttributeValue &v);

} // namespace Dynamo

// The store's SQLite schema (one pair of tables for all DynamoDB tables):
//   dynamo_tables(name PRIMARY KEY, definition JSON, created)
//   dynamo_items(tbl, hk BLOB, rk BLOB, item JSON, PRIMARY KEY (tbl, hk, rk))
class TableStore::Private {
public:
    QSqlDatabase db;
    QString connectionName;
    QString region = QStringLiteral("us-east-1");
    QString account = QStringLiteral("000000000000");

    // tablestore.cpp: tables, keys and items
    std::optional<Dynamo::TableInfo> table(const QString &name, QString *error = nullptr);
    // A TableName member checked as DynamoDB does; the table or the error answer.
    std::optional<Dynamo::TableInfo> requestTable(
        const QJsonObject &request, DynamoAnswer &error, bool mustExist = true);
    // A request's Key: exactly the key attributes with their types.
    std::optional<Dynamo::EncodedKey> keyOf(
        const Dynamo::TableInfo &t, const QJsonValue &key, QString &error, const QString &mismatch = {});
    // A PutItem's Item: its key attributes.
    std::optional<Dynamo::EncodedKey> itemKey(const Dynamo::TableInfo &t, const Dynamo::Item &item, QString &error);
    Dynamo::Item keyAttributes(const Dynamo::TableInfo &t, const Dynamo::Item &item) const;
    std::optional<Dynamo::Item> loadItem(const Dynamo::TableInfo &t, const Dynamo::EncodedKey &key, QString &error);
    bool storeItem(const Dynamo::TableInfo &t, const Dynamo::EncodedKey &key, const Dynamo::Item &item, QString &error);
    bool removeItem(const Dynamo::TableInfo &t, const Dynamo::EncodedKey &key, QString &error);

    // tableoperations.cpp
    DynamoAnswer createTable(const QJsonObject &request);
    DynamoAnswer describeTable(const QJsonObject &request);
    DynamoAnswer listTables(const QJsonObject &request);
    DynamoAnswer deleteTable(const QJsonObject &request);
    // The existing table a DescribeTable or DeleteTable request names, with
    // its TableDescription (counts included); nullopt with error set if none.
    std::optional<Dynamo::TableInfo> describedTable(
        const QJsonObject &request, QJsonObject &description, DynamoAnswer &error);

    // itemoperations.cpp
    // requestTable() for an item, query or scan request, which also refuses
    // the legacy (non-expression) parameters.
    std::optional<Dynamo::TableInfo> itemRequestTable(const QJsonObject &request, DynamoAnswer &error);
    // itemRequestTable() for PutItem, UpdateItem and DeleteItem, which also
    // checks ReturnValues (UpdateItem allows more values).
    std::optional<Dynamo::TableInfo> writeRequestTable(
        const QJsonObject &request, bool updateItem, DynamoAnswer &error);
    // The request's Key member read as keyOf() does; nullopt with error set
    // to the ValidationException.
    std::optional<Dynamo::EncodedKey> requestKey(
        const Dynamo::TableInfo &t, const QJsonObject &request, DynamoAnswer &error);
    // Loads the item under key into old and checks a write's condition
    // against it (a missing item as empty). nullopt when the write may go on,
    // else the answer (InternalServerError or ConditionalCheckFailed).
    std::optional<DynamoAnswer> loadForWrite(const Dynamo::TableInfo &t, const Dynamo::EncodedKey &key,
        const QJsonObject &request, const std::optional<Dynamo::Condition> &condition,
        std::optional<Dynamo::Item> &old);
    DynamoAnswer putItem(const QJsonObject &request);
    DynamoAnswer getItem(const QJsonObject &request);
    DynamoAnswer updateItem(const QJsonObject &request);
    DynamoAnswer deleteItem(const QJsonObject &request);

    // queryoperations.cpp
    DynamoAnswer query(const QJsonObject &request);
    DynamoAnswer scan(const QJsonObject &request);
};

} // namespace Bramble::LocalRuntime
