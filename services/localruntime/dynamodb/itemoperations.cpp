// PutItem, GetItem, UpdateItem and DeleteItem.
#include "dynamodb/evaluator.h"
#include "dynamodb/requestexpressions.h"
#include "dynamodb/tablestore_p.h"

#include <QJsonDocument>

namespace Bramble::LocalRuntime {

using namespace Dynamo;

namespace {

const QString kConditionExpression = QStringLiteral("ConditionExpression");
constexpr int kMaxItemBytes = 400 * 1024;

bool tooLarge(const Item &item)
{
    return QJsonDocument(item).toJson(QJsonDocument::Compact).size() > kMaxItemBytes;
}

void putAttributes(DynamoAnswer &answer, const Item &attributes)
{
    if (!attributes.isEmpty())
        answer.body.insert(QStringLiteral("Attributes"), attributes);
}

} // namespace

std::optional<TableInfo> TableStore::Private::itemRequestTable(const QJsonObject &request, DynamoAnswer &error)
{
    auto t = requestTable(request, error);
    if (!t)
        return t;
    if (auto refused = refuseLegacyParameters(request)) {
        error = *refused;
        return std::nullopt;
    }
    return t;
}

std::optional<TableInfo> TableStore::Private::writeRequestTable(
    const QJsonObject &request, bool updateItem, DynamoAnswer &error)
{
    auto t = itemRequestTable(request, error);
    if (!t)
        return t;
    if (auto bad = checkReturnValues(request, updateItem)) {
        error = *bad;
        return std::nullopt;
    }
    return t;
}

std::optional<EncodedKey> TableStore::Private::requestKey(
    const TableInfo &t, const QJsonObject &request, DynamoAnswer &error)
{
    QString keyError;
    auto key = keyOf(t, request.value(QStringLiteral("Key")), keyError);
    if (!key)
        error = validationError(keyError);
    return key;
}

std::optional<DynamoAnswer> TableStore::Private::loadForWrite(const TableInfo &t, const EncodedKey &key,
    const QJsonObject &request, const std::optional<Condition> &condition, std::optional<Item> &old)
{
    QString sqlError;
    old = loadItem(t, key, sqlError);
    if (!sqlError.isEmpty())
        return internalError(sqlError);
    if (condition && !evaluate(*condition, old.value_or(Item())))
        return conditionFailed(request, old);
    return std::nullopt;
}

DynamoAnswer TableStore::Private::putItem(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = writeRequestTable(request, false, error);
    if (!t)
        return error;
    const QJsonValue itemValue = request.value(QStringLiteral("Item"));
    if (!itemValue.isObject())
        return validationError(QStringLiteral("1 validation error detected: Value null at 'item' failed to satisfy "
                                              "constraint: Member must not be null"));
    const Item item = itemValue.toObject();
    const QString invalid = validateItem(item);
    if (!invalid.isEmpty())
        return validationError(invalid);
    QString keyError;
    const auto key = itemKey(*t, item, keyError);
    if (!key)
        return validationError(keyError);
    if (tooLarge(item))
        return validationError(QStringLiteral("Item size has exceeded the maximum allowed size"));
    RequestExpressions expressions;
    if (const auto bad = expressions.parse(request, { kConditionExpression }))
        return *bad;

    std::optional<Item> old;
    if (const auto refused = loadForWrite(*t, *key, request, expressions.condition, old))
        return *refused;
    QString sqlError;
    if (!storeItem(*t, *key, item, sqlError))
        return internalError(sqlError);
    DynamoAnswer answer;
    if (old && request.value(QStringLiteral("ReturnValues")).toString() == QLatin1String("ALL_OLD"))
        putAttributes(answer, *old);
    return answer;
}

DynamoAnswer TableStore::Private::getItem(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = requestTable(request, error);
    if (!t)
        return error;
    const auto key = requestKey(*t, request, error);
    if (!key)
        return error;
    RequestExpressions expressions;
    if (const auto bad = expressions.parse(request, { QStringLiteral("ProjectionExpression") }))
        return *bad;
    QString sqlError;
    const auto item = loadItem(*t, *key, sqlError);
    if (!sqlError.isEmpty())
        return internalError(sqlError);
    DynamoAnswer answer;
    if (item)
        answer.body.insert(QStringLiteral("Item"), project(*item, expressions.projection));
    return answer;
}

DynamoAnswer TableStore::Private::updateItem(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = writeRequestTable(request, true, error);
    if (!t)
        return error;
    const auto key = requestKey(*t, request, error);
    if (!key)
        return error;
    RequestExpressions expressions;
    if (const auto bad = expressions.parse(request, { QStringLiteral("UpdateExpression"), kConditionExpression }))
        return *bad;
    const QList<UpdateAction> actions = expressions.update.value_or(QList<UpdateAction>());
    for (const UpdateAction &action : actions) {
        if (t->isKey(action.path.at(0).name))
            return validationError(QStringLiteral("One or more parameter values were invalid: Cannot update attribute "
                                                  "%1. This attribute is part of the key")
                                       .arg(action.path.at(0).name));
    }

    std::optional<Item> old;
    if (const auto refused = loadForWrite(*t, *key, request, expressions.condition, old))
        return *refused;
    QString sqlError;

    // A missing item is created from its key.
    Item updated = old.value_or(request.value(QStringLiteral("Key")).toObject());
    const QString failure = applyUpdate(actions, updated);
    if (!failure.isEmpty())
        return validationError(failure);
    if (tooLarge(updated))
        return validationError(QStringLiteral("Item size to update has exceeded the maximum allowed size"));
    if (!storeItem(*t, *key, updated, sqlError))
        return internalError(sqlError);

    DynamoAnswer answer;
    const QString returnValues = request.value(QStringLiteral("ReturnValues")).toString(QStringLiteral("NONE"));
    QList<Path> paths;
    for (const UpdateAction &action : actions)
        paths.append(action.path);
    if (returnValues == QLatin1String("ALL_OLD") && old)
        putAttributes(answer, *old);
    else if (returnValues == QLatin1String("ALL_NEW"))
        putAttributes(answer, updated);
    else if (returnValues == QLatin1String("UPDATED_OLD") && old && !paths.isEmpty())
        putAttributes(answer, project(*old, paths));
    else if (returnValues == QLatin1String("UPDATED_NEW") && !paths.isEmpty())
        putAttributes(answer, project(updated, paths));
    return answer;
}

DynamoAnswer TableStore::Private::deleteItem(const QJsonObject &request)
{
    DynamoAnswer error;
    const auto t = writeRequestTable(request, false, error);
    if (!t)
        return error;
    const auto key = requestKey(*t, request, error);
    if (!key)
        return error;
    RequestExpressions expressions;
    if (const auto bad = expressions.parse(request, { kConditionExpression }))
        return *bad;
    std::optional<Item> old;
    if (const auto refused = loadForWrite(*t, *key, request, expressions.condition, old))
        return *refused;
    QString sqlError;
    if (old && !removeItem(*t, *key, sqlError))
        return internalError(sqlError);
    DynamoAnswer answer;
    if (old && request.value(QStringLiteral("ReturnValues")).toString() == QLatin1String("ALL_OLD"))
        putAttributes(answer, *old);
    return answer;
}

} // namespace Bramble::LocalRuntime
