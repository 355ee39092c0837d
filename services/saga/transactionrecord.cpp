#include "saga/transactionrecord.h"

#include "saga/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Bramble::Saga {

namespace {

const QString ResourcePrefix = QStringLiteral("arn:aws:states:::dynamodb:");

// The names of a scope's states, those on the Next chain from StartAt first
// (JSON objects forget the order they were written in), then the others.
QStringList stateOrder(const QJsonObject &scope)
{
    const QJsonObject states = scope.value(QStringLiteral("States")).toObject();
    QStringList order;
    QString name = scope.value(QStringLiteral("StartAt")).toString();
    while (states.contains(name) && !order.contains(name)) {
        order << name;
        name = states.value(name).toObject().value(QStringLiteral("Next")).toString();
    }
    for (auto it = states.begin(); it != states.end(); ++it)
        if (!order.contains(it.key()))
            order << it.key();
    return order;
}

// Depth-first over every States map (the top level, Parallel branches, Map
// processors), in stateOrder().
bool findSource(const QJsonObject &scope, RecordSource *found)
{
    const QJsonObject states = scope.value(QStringLiteral("States")).toObject();
    for (const QString &stateName : stateOrder(scope)) {
        const QJsonObject state = states.value(stateName).toObject();
        if (state.value(QStringLiteral("Resource")).toString().startsWith(ResourcePrefix)) {
            QJsonObject params = state.value(QStringLiteral("Parameters")).toObject();
            if (params.isEmpty())
                params = state.value(QStringLiteral("Arguments")).toObject();
            const QString table = params.value(QStringLiteral("TableName")).toString();
            const QJsonObject key = params.value(QStringLiteral("Key")).toObject();
            if (!table.isEmpty() && !key.isEmpty()) {
                found->table = table;
                found->keyAttribute = key.begin().key();
                const QJsonObject typed = key.begin().value().toObject();
                for (const char *t : { "S.$", "N.$" }) {
                    const QString path = typed.value(QLatin1String(t)).toString();
                    if (isValidJsonPath(path))
                        found->keyPath = path;
                }
                found->origin = QStringLiteral("definition (%1)").arg(stateName);
                return true;
            }
        }
        for (const QJsonValue &branch : state.value(QStringLiteral("Branches")).toArray())
            if (findSource(branch.toObject(), found))
                return true;
        for (const char *processor : { "ItemProcessor", "Iterator" })
            if (findSource(state.value(QLatin1String(processor)).toObject(), found))
                return true;
    }
    return false;
}

} // namespace

RecordSource recordSourceFromDefinition(const QJsonObject &definition)
{
    RecordSource source;
    findSource(definition, &source);
    return source;
}

RecordKey recordKeyFor(const RecordSource &source, const QString &inputJson)
{
    RecordKey k;
    if (source.table.isEmpty() || source.keyAttribute.isEmpty()) {
        k.error = QStringLiteral("no record table is set for this state machine");
        return k;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(inputJson.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        k.error = QStringLiteral("the execution input is not JSON: %1").arg(parseError.errorString());
        return k;
    }
    const QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    QString error;
    const QJsonValue v = jsonPathValue(root, source.keyPath, &error);
    if (v.isUndefined()) {
        k.error = QStringLiteral("the input has no record key: %1").arg(error);
        return k;
    }
    if (!v.isString() && !v.isDouble()) {
        k.error = QStringLiteral("the record key at %1 is not a string or a number").arg(source.keyPath);
        return k;
    }
    k.key.insert(source.keyAttribute, v);
    return k;
}

QStringList attributesOfSteps(const QJsonObject &item, const QStringList &forwardSteps)
{
    QStringList found;
    for (auto it = item.begin(); it != item.end(); ++it)
        for (const QString &step : forwardSteps)
            if (it.key().startsWith(step, Qt::CaseInsensitive)) {
                found << it.key();
                break;
            }
    return found;
}

} // namespace Bramble::Saga
