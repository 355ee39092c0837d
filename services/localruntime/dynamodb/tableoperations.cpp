// CreateTable, DescribeTable, ListTables and DeleteTable.
#include "dynamodb/tablestore_p.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QUuid>
#include <QVariant>

namespace Bramble::LocalRuntime {

using namespace Dynamo;

namespace {

QString enumError(const QString &value, const QString &where, const QString &allowed)
{
    return QStringLiteral("1 validation error detected: Value '%1' at '%2' failed to satisfy constraint: Member must "
                          "satisfy enum value set: [%3]")
        .arg(Core::oneLine(value), where, allowed);
}

// The table's description with ItemCount and TableSizeBytes filled in.
std::optional<QJsonObject> withCounts(QSqlDatabase &db, const TableInfo &t, QString &error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT count(*), coalesce(sum(length(item)), 0) FROM dynamo_items WHERE tbl = ?"));
    q.addBindValue(t.name);
    if (!q.exec() || !q.next()) {
        error = q.lastError().text();
        return std::nullopt;
    }
    QJsonObject description = t.description;
    description.insert(QStringLiteral("ItemCount"), q.value(0).toLongLong());
    description.insert(QStringLiteral("TableSizeBytes"), q.value(1).toLongLong());
    return description;
}

} // namespace

DynamoAnswer TableStore::Private::createTable(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto named = requestTable(request, error, false);
    if (!named)
        return error;
    // Definitions: name -> type, in request order.
    QStringList definedNames;
    QHash<QString, QString> types;
    const QJsonArray definitions = request.value(QStringLiteral("AttributeDefinitions")).toArray();
    for (int i = 0; i < definitions.size(); ++i) {
        const QJsonObject def = definitions.at(i).toObject();
        const QString name = def.value(QStringLiteral("AttributeName")).toString();
        const QString type = def.value(QStringLiteral("AttributeType")).toString();
        if (name.isEmpty())
            return validationError(QStringLiteral("1 validation error detected: Value null at "
                                                  "'attributeDefinitions.%1.member.attributeName' failed to satisfy "
                                                  "constraint: Member must not be null")
                                       .arg(i + 1));
        if (type != QLatin1String("S") && type != QLatin1String("N") && type != QLatin1String("B"))
            return validationError(enumError(type,
                QStringLiteral("attributeDefinitions.%1.member.attributeType").arg(i + 1), QStringLiteral("B, N, S")));
        if (types.contains(name))
            return validationError(QStringLiteral("Cannot have two attributes with the same name"));
        definedNames.append(name);
        types.insert(name, type);
    }
    const QJsonArray keySchema = request.value(QStringLiteral("KeySchema")).toArray();
    if (keySchema.isEmpty() || keySchema.size() > 2)
        return validationError(
            QStringLiteral("1 validation error detected: Value '[%1 elements]' at 'keySchema' failed "
                           "to satisfy constraint: Member must have length between 1 and 2")
                .arg(keySchema.size()));
    QStringList keyNames;
    for (int i = 0; i < keySchema.size(); ++i) {
        const QJsonObject element = keySchema.at(i).toObject();
        const QString keyType = element.value(QStringLiteral("KeyType")).toString();
        if (keyType != QLatin1String("HASH") && keyType != QLatin1String("RANGE"))
            return validationError(enumError(
                keyType, QStringLiteral("keySchema.%1.member.keyType").arg(i + 1), QStringLiteral("HASH, RANGE")));
        if (i == 0 && keyType != QLatin1String("HASH"))
            return validationError(
                QStringLiteral("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
        if (i == 1 && keyType != QLatin1String("RANGE"))
            return validationError(
                QStringLiteral("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"));
        keyNames.append(element.value(QStringLiteral("AttributeName")).toString());
    }
    if (keyNames.size() == 2 && keyNames.at(0) == keyNames.at(1))
        return validationError(QStringLiteral("Both the Hash Key and the Range Key element in the KeySchema have the "
                                              "same name"));
    for (const QString &key : keyNames) {
        if (!types.contains(key))
            return validationError(
                QStringLiteral("One or more parameter values were invalid: Some index key attributes "
                               "are not defined in AttributeDefinitions. Keys: [%1], "
                               "AttributeDefinitions: [%2]")
                    .arg(keyNames.join(QStringLiteral(", ")), definedNames.join(QStringLiteral(", "))));
    }
    if (request.contains(QStringLiteral("GlobalSecondaryIndexes"))
        || request.contains(QStringLiteral("LocalSecondaryIndexes")))
        return validationError(QStringLiteral("Secondary indexes are not supported by the local DynamoDB"));
    if (definedNames.size() != keyNames.size())
        return validationError(QStringLiteral("One or more parameter values were invalid: Number of attributes in "
                                              "KeySchema does not exactly match number of attributes defined in "
                                              "AttributeDefinitions"));
    const QString billing = request.value(QStringLiteral("BillingMode")).toString(QStringLiteral("PROVISIONED"));
    if (billing != QLatin1String("PROVISIONED") && billing != QLatin1String("PAY_PER_REQUEST"))
        return validationError(
            enumError(billing, QStringLiteral("billingMode"), QStringLiteral("PROVISIONED, PAY_PER_REQUEST")));

    if (table(named->name))
        return DynamoAnswer::error(
            QStringLiteral("ResourceInUseException"), QStringLiteral("Table already exists: %1").arg(named->name));

    const double created = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QJsonObject description;
    description.insert(QStringLiteral("TableName"), named->name);
    description.insert(QStringLiteral("AttributeDefinitions"), definitions);
    description.insert(QStringLiteral("KeySchema"), keySchema);
    description.insert(QStringLiteral("TableStatus"), QStringLiteral("ACTIVE"));
    description.insert(QStringLiteral("CreationDateTime"), created);
    description.insert(QStringLiteral("TableArn"),
        QStringLiteral("arn:aws:dynamodb:%1:%2:table/%3").arg(region, account, named->name));
    description.insert(QStringLiteral("TableId"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    description.insert(QStringLiteral("DeletionProtectionEnabled"), false);
    const QJsonObject throughput = request.value(QStringLiteral("ProvisionedThroughput")).toObject();
    QJsonObject provisioned;
    provisioned.insert(QStringLiteral("NumberOfDecreasesToday"), 0);
    provisioned.insert(QStringLiteral("ReadCapacityUnits"),
        billing == QLatin1String("PROVISIONED") ? throughput.value(QStringLiteral("ReadCapacityUnits")).toInteger()
                                                : 0);
    provisioned.insert(QStringLiteral("WriteCapacityUnits"),
        billing == QLatin1String("PROVISIONED") ? throughput.value(QStringLiteral("WriteCapacityUnits")).toInteger()
                                                : 0);
    description.insert(QStringLiteral("ProvisionedThroughput"), provisioned);
    if (billing == QLatin1String("PAY_PER_REQUEST"))
        description.insert(QStringLiteral("BillingModeSummary"),
            QJsonObject { { QStringLiteral("BillingMode"), billing },
                { QStringLiteral("LastUpdateToPayPerRequestDateTime"), created } });

    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO dynamo_tables (name, definition, created) VALUES (?, ?, ?)"));
    q.addBindValue(named->name);
    q.addBindValue(QString::fromUtf8(QJsonDocument(description).toJson(QJsonDocument::Compact)));
    q.addBindValue(created);
    if (!q.exec())
        return internalError(q.lastError().text());
    description.insert(QStringLiteral("ItemCount"), 0);
    description.insert(QStringLiteral("TableSizeBytes"), 0);
    DynamoAnswer answer;
    answer.body.insert(QStringLiteral("TableDescription"), description);
    return answer;
}

std::optional<TableInfo> TableStore::Private::describedTable(
    const QJsonObject &request, QJsonObject &description, DynamoAnswer &error)
{
    const auto named = requestTable(request, error, false);
    if (!named)
        return std::nullopt;
    auto t = table(named->name);
    if (!t) {
        error = notFound(QStringLiteral("Requested resource not found: Table: %1 not found").arg(named->name));
        return std::nullopt;
    }
    QString sqlError;
    const auto counted = withCounts(db, *t, sqlError);
    if (!counted) {
        error = internalError(sqlError);
        return std::nullopt;
    }
    description = *counted;
    return t;
}

DynamoAnswer TableStore::Private::describeTable(const QJsonObject &request)
{
    DynamoAnswer error;
    QJsonObject description;
    if (!describedTable(request, description, error))
        return error;
    DynamoAnswer answer;
    answer.body.insert(QStringLiteral("Table"), description);
    return answer;
}

DynamoAnswer TableStore::Private::listTables(const QJsonObject &request)
{
    int limit = 100;
    if (request.contains(QStringLiteral("Limit"))) {
        const int asked = request.value(QStringLiteral("Limit")).toInt();
        if (asked < 1 || asked > 100)
            return validationError(
                QStringLiteral("1 validation error detected: Value '%1' at 'limit' failed to satisfy "
                               "constraint: Member must have value %2")
                    .arg(asked)
                    .arg(asked < 1 ? QStringLiteral("greater than or equal to 1")
                                   : QStringLiteral("less than or equal to 100")));
        limit = asked;
    }
    QSqlQuery q(db);
    // Names compare as DynamoDB lists them: by their bytes (SQLite's BINARY collation on UTF-8).
    q.prepare(QStringLiteral("SELECT name FROM dynamo_tables WHERE name > ? ORDER BY name LIMIT ?"));
    q.addBindValue(request.value(QStringLiteral("ExclusiveStartTableName")).toString(QStringLiteral("")));
    q.addBindValue(limit + 1);
    if (!q.exec())
        return internalError(q.lastError().text());
    QJsonArray names;
    bool more = false;
    while (q.next()) {
        if (names.size() == limit) {
            more = true;
            break;
        }
        names.append(q.value(0).toString());
    }
    DynamoAnswer answer;
    answer.body.insert(QStringLiteral("TableNames"), names);
    if (more)
        answer.body.insert(QStringLiteral("LastEvaluatedTableName"), names.last());
    return answer;
}

DynamoAnswer TableStore::Private::deleteTable(const QJsonObject &request)
{
    DynamoAnswer error;
    QJsonObject description;
    const auto t = describedTable(request, description, error);
    if (!t)
        return error;
    for (const QString &sql : { QStringLiteral("DELETE FROM dynamo_items WHERE tbl = ?"),
             QStringLiteral("DELETE FROM dynamo_tables WHERE name = ?") }) {
        QSqlQuery q(db);
        q.prepare(sql);
        q.addBindValue(t->name);
        if (!q.exec())
            return internalError(q.lastError().text());
    }
    description.insert(QStringLiteral("TableStatus"), QStringLiteral("DELETING"));
    DynamoAnswer answer;
    answer.body.insert(QStringLiteral("TableDescription"), description);
    return answer;
}

} // namespace Bramble::LocalRuntime
