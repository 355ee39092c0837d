#include "dynamodb/requestexpressions.h"

#include <QJsonArray>

namespace Bramble::LocalRuntime::Dynamo {

namespace {

DynamoAnswer invalid(const QString &message)
{
    return DynamoAnswer::error(QStringLiteral("ValidationException"), message);
}

} // namespace

std::optional<DynamoAnswer> RequestExpressions::parse(const QJsonObject &request, const QStringList &accepted)
{
    const QJsonValue names = request.value(QStringLiteral("ExpressionAttributeNames"));
    const QJsonValue values = request.value(QStringLiteral("ExpressionAttributeValues"));
    if (!names.isUndefined() && !names.isObject())
        return invalid(QStringLiteral("ExpressionAttributeNames must be a map"));
    if (!values.isUndefined() && !values.isObject())
        return invalid(QStringLiteral("ExpressionAttributeValues must be a map"));
    if (values.isObject() && values.toObject().isEmpty())
        return invalid(QStringLiteral("ExpressionAttributeValues must not be empty"));
    if (names.isObject() && names.toObject().isEmpty())
        return invalid(QStringLiteral("ExpressionAttributeNames must not be empty"));

    bool any = false;
    for (const QString &member : accepted) {
        if (request.contains(member))
            any = true;
    }
    if (!any && names.isObject())
        return invalid(QStringLiteral("ExpressionAttributeNames can only be specified when using expressions"));
    if (!any && values.isObject())
        return invalid(QStringLiteral("ExpressionAttributeValues can only be specified when using expressions"));
    if (request.contains(QStringLiteral("AttributesToGet")) && request.contains(QStringLiteral("ProjectionExpression")))
        return invalid(QStringLiteral("Can not use both expression and non-expression parameters in the same request: "
                                      "Non-expression parameters: {AttributesToGet} Expression parameters: "
                                      "{ProjectionExpression}"));

    ExpressionContext context(names.toObject(), values.toObject());
    const QString placeholders = context.validatePlaceholders();
    if (!placeholders.isEmpty())
        return invalid(placeholders);

    for (const QString &member : accepted) {
        const QJsonValue text = request.value(member);
        if (text.isUndefined())
            continue;
        if (!text.isString())
            return invalid(QStringLiteral("%1 must be a string").arg(member));
        if (member == QLatin1String("UpdateExpression")) {
            auto parsed = parseUpdate(text.toString(), context);
            if (!parsed.ok())
                return invalid(parsed.error);
            update = std::move(parsed.tree);
        } else if (member == QLatin1String("ProjectionExpression")) {
            auto parsed = parseProjection(text.toString(), context);
            if (!parsed.ok())
                return invalid(parsed.error);
            projection = std::move(*parsed.tree);
        } else {
            auto parsed = parseCondition(text.toString(), member, context);
            if (!parsed.ok())
                return invalid(parsed.error);
            if (member == QLatin1String("KeyConditionExpression"))
                keyCondition = std::move(parsed.tree);
            else
                condition = std::move(parsed.tree);
        }
    }
    const QString unused = context.unusedError();
    if (!unused.isEmpty())
        return invalid(unused);

    const QJsonValue attributesToGet = request.value(QStringLiteral("AttributesToGet"));
    if (attributesToGet.isArray()) {
        for (const QJsonValue &name : attributesToGet.toArray())
            projection.append(Path { PathElement { name.toString(), -1 } });
    }
    return std::nullopt;
}

std::optional<DynamoAnswer> refuseLegacyParameters(const QJsonObject &request)
{
    for (const char *member :
        { "Expected", "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter", "ConditionalOperator" }) {
        if (request.contains(QLatin1String(member)))
            return invalid(QStringLiteral("The legacy parameter %1 is not supported by the local DynamoDB; use the "
                                          "expression parameters")
                               .arg(QLatin1String(member)));
    }
    return std::nullopt;
}

std::optional<DynamoAnswer> checkReturnValues(const QJsonObject &request, bool updateItem)
{
    const QString value = request.value(QStringLiteral("ReturnValues")).toString(QStringLiteral("NONE"));
    static const QStringList all = { QStringLiteral("NONE"), QStringLiteral("ALL_OLD"), QStringLiteral("UPDATED_OLD"),
        QStringLiteral("ALL_NEW"), QStringLiteral("UPDATED_NEW") };
    if (!all.contains(value))
        return invalid(QStringLiteral("1 validation error detected: Value '%1' at 'returnValues' failed to satisfy "
                                      "constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, "
                                      "NONE, UPDATED_NEW]")
                           .arg(Core::oneLine(value)));
    if (!updateItem && value != QLatin1String("NONE") && value != QLatin1String("ALL_OLD"))
        return invalid(QStringLiteral("Return values set to invalid value"));
    const QString onFailure
        = request.value(QStringLiteral("ReturnValuesOnConditionCheckFailure")).toString(QStringLiteral("NONE"));
    if (onFailure != QLatin1String("NONE") && onFailure != QLatin1String("ALL_OLD"))
        return invalid(QStringLiteral("1 validation error detected: Value '%1' at "
                                      "'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
                                      "satisfy enum value set: [ALL_OLD, NONE]")
                           .arg(Core::oneLine(onFailure)));
    return std::nullopt;
}

DynamoAnswer conditionFailed(const QJsonObject &request, const std::optional<Item> &old)
{
    DynamoAnswer answer = DynamoAnswer::error(
        QStringLiteral("ConditionalCheckFailedException"), QStringLiteral("The conditional request failed"));
    if (old
        && request.value(QStringLiteral("ReturnValuesOnConditionCheckFailure")).toString() == QLatin1String("ALL_OLD"))
        answer.errorExtra.insert(QStringLiteral("Item"), *old);
    return answer;
}

} // namespace Bramble::LocalRuntime::Dynamo
