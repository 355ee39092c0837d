#pragma once

#include "dynamodb/attributevalue.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

// DynamoDB's expression languages (ConditionExpression, FilterExpression,
// KeyConditionExpression, UpdateExpression, ProjectionExpression) parsed to
// trees with every #name and :value already resolved.
namespace Bramble::LocalRuntime::Dynamo {

// One step of a document path: an attribute or map key, or a list index.
struct PathElement {
    QString name;
    int index = -1; // >= 0: a list index ("[3]")
};
using Path = QList<PathElement>;
// "a.b[2]" for messages.
QString pathText(const Path &path);

struct Operand {
    enum class Kind { Path, Value, Size, IfNotExists, ListAppend, Plus, Minus };
    Kind kind = Kind::Value;
    Path path;
    AttributeValue value;
    QList<Operand> args; // functions and + / -
};

struct Condition {
    enum class Kind { Compare, Between, In, Function, And, Or, Not };
    Kind kind = Kind::Compare;
    QString op; // Compare: "=", "<>", "<", "<=", ">", ">="; Function: its name
    QList<Operand> operands;
    QList<Condition> children; // And, Or, Not
};

struct UpdateAction {
    enum class Kind { Set, Remove, Add, Delete };
    Kind kind = Kind::Set;
    Path path;
    Operand value; // Set, Add, Delete
};

// The request's ExpressionAttributeNames and ExpressionAttributeValues, and
// which of them the request's expressions used (DynamoDB refuses unused ones).
class ExpressionContext {
public:
    ExpressionContext(QJsonObject names, QJsonObject values);

    // Checks the placeholders themselves; empty when all are well-formed.
    QString validatePlaceholders() const;
    // After every expression of the request is parsed: unused ones.
    QString unusedError() const;

    std::optional<QString> name(const QString &placeholder);
    std::optional<AttributeValue> value(const QString &placeholder);
    bool hasNames() const { return !m_names.isEmpty(); }
    bool hasValues() const { return !m_values.isEmpty(); }

private:
    QJsonObject m_names;
    QJsonObject m_values;
    QSet<QString> m_usedNames;
    QSet<QString> m_usedValues;
};

// DynamoDB's reserved words ("status", "name", "data", ...), in any case:
// an expression must name such an attribute through a #placeholder.
bool isReservedWord(const QString &word);

// A tree, or DynamoDB's ValidationException message
// ("Invalid UpdateExpression: Syntax error; token: ...").
template<typename T>
struct Parsed {
    std::optional<T> tree;
    QString error;
    bool ok() const { return tree.has_value(); }
};

// `label` is the request member ("ConditionExpression", "FilterExpression",
// "KeyConditionExpression") that messages name.
Parsed<Condition> parseCondition(const QString &text, const QString &label, ExpressionContext &context);
Parsed<QList<UpdateAction>> parseUpdate(const QString &text, ExpressionContext &context);
Parsed<QList<Path>> parseProjection(const QString &text, ExpressionContext &context);

} // namespace Bramble::LocalRuntime::Dynamo
