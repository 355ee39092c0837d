#pragma once

#include "dynamodb/expression.h"
#include "dynamodb/tablestore.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace Bramble::LocalRuntime::Dynamo {

// The expressions of one request, parsed against its
// ExpressionAttributeNames/Values (each placeholder defined, each one used).
struct RequestExpressions {
    std::optional<Condition> condition; // ConditionExpression or FilterExpression
    std::optional<Condition> keyCondition; // KeyConditionExpression
    std::optional<QList<UpdateAction>> update; // UpdateExpression
    QList<Path> projection; // ProjectionExpression or AttributesToGet; empty: all

    // The members this operation accepts, of "ConditionExpression",
    // "FilterExpression", "KeyConditionExpression", "UpdateExpression",
    // "ProjectionExpression". nullopt when all is well, else the answer.
    std::optional<DynamoAnswer> parse(const QJsonObject &request, const QStringList &accepted);
};

// The ValidationException for a legacy (non-expression) parameter, when the
// request has one: Expected, AttributeUpdates, KeyConditions, ScanFilter, ...
std::optional<DynamoAnswer> refuseLegacyParameters(const QJsonObject &request);

// ReturnValues checked against the values the operation allows.
std::optional<DynamoAnswer> checkReturnValues(const QJsonObject &request, bool updateItem);

// ConditionalCheckFailedException, with the old item when the request asked
// for ReturnValuesOnConditionCheckFailure ALL_OLD.
DynamoAnswer conditionFailed(const QJsonObject &request, const std::optional<Item> &old);

} // namespace Bramble::LocalRuntime::Dynamo
