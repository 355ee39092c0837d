#pragma once

#include "core/job.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace Bramble::LocalRuntime {

// The answer to one DynamoDB operation: the response body, or AWS's error
// (`errorType` as the part of `__type` after '#': "ConditionalCheckFailedException",
// "ResourceNotFoundException", "ValidationException", with its message and
// HTTP status, 400 for client errors).
struct DynamoAnswer {
    QJsonObject body;
    QString errorType;
    QString message;
    int httpStatus = 200;
    QJsonObject errorExtra; // e.g. "Item" for ReturnValuesOnConditionCheckFailure=ALL_OLD

    bool ok() const { return errorType.isEmpty(); }
    static DynamoAnswer error(QString type, QString text, int status = 400);
};

// Local DynamoDB tables on SQLite (Qt SQL's QSQLITE): CreateTable,
// DescribeTable, ListTables, DeleteTable, PutItem, GetItem, UpdateItem,
// DeleteItem, Query, Scan, with ConditionExpression, UpdateExpression (SET,
// REMOVE, ADD, DELETE), ProjectionExpression, KeyConditionExpression,
// FilterExpression, ExpressionAttributeNames/Values and ReturnValues, answering
// as DynamoDB's JSON 1.0 API does. One store per file; used from the thread
// that opened it; each operation is one SQLite transaction (BEGIN IMMEDIATE),
// so a refused or failed operation changes nothing. Several stores may live
// in one process (each has its own Qt SQL connection) and several may open
// one file (they wait up to 5 s for each other's write lock).
//
// Storage: one SQL table of table definitions and one of items for all
// DynamoDB tables (no SQL identifiers made from untrusted table names; a
// DeleteTable is one DELETE), items as typed AttributeValue JSON, keyed by
// (table, hash key, range key) where each key is a byte string whose memcmp
// order is DynamoDB's order (numbers numerically, strings and binary by
// bytes), so Query ranges and paging are index range scans.
//
// Not supported (a ValidationException says so): secondary indexes, the
// legacy parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter,
// ScanFilter, ConditionalOperator). Other operations answer
// UnknownOperationException; SQLite failures InternalServerError (500).
class TableStore {
public:
    // `path`: a file (created when missing) or ":memory:". Table ARNs name
    // region us-east-1 and account 000000000000 unless the overload sets them.
    static Core::Result<std::unique_ptr<TableStore>> open(const QString &path);
    static Core::Result<std::unique_ptr<TableStore>> open(
        const QString &path, const QString &region, const QString &account);
    ~TableStore();

    // One operation by its API name ("UpdateItem") on its request body.
    DynamoAnswer call(const QString &operation, const QJsonObject &request);

private:
    TableStore();
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Bramble::LocalRuntime
