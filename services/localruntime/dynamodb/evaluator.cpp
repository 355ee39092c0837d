#include "dynamodb/evaluator.h"

#include <QJsonArray>
#include <QMap>

#include <algorithm>

namespace Bramble::LocalRuntime::Dynamo {

namespace {

const QString kM = QStringLiteral("M");
const QString kL = QStringLiteral("L");

std::optional<AttributeValue> child(const AttributeValue &container, const PathElement &step)
{
    if (step.index >= 0) {
        if (typeOf(container) != kL)
            return std::nullopt;
        const QJsonArray list = container.value(kL).toArray();
        if (step.index >= list.size())
            return std::nullopt;
        return list.at(step.index).toObject();
    }
    if (typeOf(container) != kM)
        return std::nullopt;
    const QJsonObject map = container.value(kM).toObject();
    if (!map.contains(step.name))
        return std::nullopt;
    return map.value(step.name).toObject();
}

std::optional<AttributeValue> operandValue(const Operand &o, const Item &item)
{
    switch (o.kind) {
    case Operand::Kind::Value:
        return o.value;
    case Operand::Kind::Path:
        return resolve(item, o.path);
    case Operand::Kind::Size: {
        const auto v = resolve(item, o.args.at(0).path);
        if (!v)
            return std::nullopt;
        const auto n = sizeOf(*v);
        if (!n)
            return std::nullopt;
        return AttributeValue { { QStringLiteral("N"), QString::number(*n) } };
    }
    default:
        return std::nullopt; // update-only operands never reach a condition
    }
}

bool beginsWith(const AttributeValue &v, const AttributeValue &prefix)
{
    const QString type = typeOf(v);
    if (type != typeOf(prefix))
        return false;
    if (type == QLatin1String("S"))
        return v.value(type).toString().startsWith(prefix.value(type).toString());
    if (type == QLatin1String("B"))
        return QByteArray::fromBase64(v.value(type).toString().toLatin1())
            .startsWith(QByteArray::fromBase64(prefix.value(type).toString().toLatin1()));
    return false;
}

bool contains(const AttributeValue &v, const AttributeValue &operand)
{
    const QString type = typeOf(v);
    const QString operandType = typeOf(operand);
    if (type == QLatin1String("S") && operandType == type)
        return v.value(type).toString().contains(operand.value(type).toString());
    if (type == QLatin1String("B") && operandType == type)
        return QByteArray::fromBase64(v.value(type).toString().toLatin1())
            .contains(QByteArray::fromBase64(operand.value(type).toString().toLatin1()));
    if (isSetType(type) && operandType == type.left(1)) {
        for (const QJsonValue &e : v.value(type).toArray()) {
            if (equalValues(AttributeValue { { operandType, e } }, operand))
                return true;
        }
        return false;
    }
    if (type == kL) {
        for (const QJsonValue &e : v.value(type).toArray()) {
            if (equalValues(e.toObject(), operand))
                return true;
        }
    }
    return false;
}

bool compareWith(const QString &op, const std::optional<AttributeValue> &a, const std::optional<AttributeValue> &b)
{
    if (op == QLatin1String("="))
        return a && b && equalValues(*a, *b);
    if (op == QLatin1String("<>"))
        return !(a && b && equalValues(*a, *b));
    if (!a || !b)
        return false;
    const auto c = compareValues(*a, *b);
    if (!c)
        return false;
    if (op == QLatin1String("<"))
        return *c < 0;
    if (op == QLatin1String("<="))
        return *c <= 0;
    if (op == QLatin1String(">"))
        return *c > 0;
    return *c >= 0; // ">="
}

const QString kNumberOverflow
    = QStringLiteral("Number overflow. Attempting to store a number with magnitude larger than supported range");

// A sum past DynamoDB's 38 digits of precision or its largest magnitude.
bool overflows(const Decimal &d)
{
    return d.digits.size() > 38 || d.exponent > 126;
}

// The value a SET operand computes, or the error message.
struct Computed {
    std::optional<AttributeValue> value;
    QString error;
};

Computed compute(const Operand &o, const Item &item)
{
    switch (o.kind) {
    case Operand::Kind::Value:
        return { o.value, {} };
    case Operand::Kind::Path: {
        const auto v = resolve(item, o.path);
        if (!v)
            return { std::nullopt,
                QStringLiteral("The provided expression refers to an attribute that does not exist in the item") };
        return { v, {} };
    }
    case Operand::Kind::IfNotExists: {
        const auto v = resolve(item, o.args.at(0).path);
        if (v)
            return { v, {} };
        return compute(o.args.at(1), item);
    }
    case Operand::Kind::ListAppend: {
        QJsonArray out;
        for (const Operand &arg : o.args) {
            const Computed part = compute(arg, item);
            if (!part.value)
                return part;
            if (typeOf(*part.value) != kL)
                return { std::nullopt,
                    QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; "
                                   "operator or function: list_append, operand type: %1")
                        .arg(typeOf(*part.value)) };
            for (const QJsonValue &e : part.value->value(kL).toArray())
                out.append(e);
        }
        return { AttributeValue { { kL, out } }, {} };
    }
    case Operand::Kind::Plus:
    case Operand::Kind::Minus: {
        const QString op = o.kind == Operand::Kind::Plus ? QStringLiteral("+") : QStringLiteral("-");
        std::optional<Decimal> numbers[2];
        for (int i = 0; i < 2; ++i) {
            const Computed part = compute(o.args.at(i), item);
            if (!part.value)
                return part;
            if (typeOf(*part.value) != QLatin1String("N"))
                return { std::nullopt,
                    QStringLiteral("Invalid UpdateExpression: Incorrect operand type for operator or function; "
                                   "operator or function: %1, operand type: %2")
                        .arg(op, typeOf(*part.value)) };
            numbers[i] = Decimal::parse(part.value->value(QStringLiteral("N")).toString());
        }
        const Decimal sum = add(*numbers[0], o.kind == Operand::Kind::Plus ? *numbers[1] : numbers[1]->negated());
        if (overflows(sum))
            return { std::nullopt, kNumberOverflow };
        return { AttributeValue { { QStringLiteral("N"), sum.toString() } }, {} };
    }
    case Operand::Kind::Size:
        break;
    }
    return { std::nullopt, QStringLiteral("Invalid UpdateExpression: unsupported operand") };
}

const QString kInvalidPath
    = QStringLiteral("The document path provided in the update expression is invalid for update");

// Writes (value) or removes (nullopt) at path[from..] inside `container`'s
// value. False when the path does not lead anywhere writable.
bool writeAt(QJsonObject &map, const Path &path, int from, const std::optional<AttributeValue> &value);

bool writeIn(AttributeValue &container, const Path &path, int from, const std::optional<AttributeValue> &value)
{
    const PathElement &step = path.at(from);
    const bool last = from == path.size() - 1;
    if (step.index >= 0) {
        if (typeOf(container) != kL)
            return false;
        QJsonArray list = container.value(kL).toArray();
        if (last) {
            if (!value) {
                if (step.index < list.size())
                    list.removeAt(step.index);
            } else if (step.index >= list.size()) {
                list.append(*value);
            } else {
                list[step.index] = *value;
            }
        } else {
            if (step.index >= list.size())
                return !value; // removing below a missing element changes nothing
            AttributeValue inner = list.at(step.index).toObject();
            if (!writeIn(inner, path, from + 1, value))
                return false;
            list[step.index] = inner;
        }
        container = AttributeValue { { kL, list } };
        return true;
    }
    if (typeOf(container) != kM)
        return false;
    QJsonObject map = container.value(kM).toObject();
    if (!writeAt(map, path, from, value))
        return false;
    container = AttributeValue { { kM, map } };
    return true;
}

bool writeAt(QJsonObject &map, const Path &path, int from, const std::optional<AttributeValue> &value)
{
    const PathElement &step = path.at(from);
    if (from == path.size() - 1) {
        if (value)
            map.insert(step.name, *value);
        else
            map.remove(step.name);
        return true;
    }
    if (!map.contains(step.name))
        return !value;
    AttributeValue inner = map.value(step.name).toObject();
    if (!writeIn(inner, path, from + 1, value))
        return false;
    map.insert(step.name, inner);
    return true;
}

// What a projection keeps, as a tree: map keys and list indexes (lists
// keep the selected elements in index order, compacted, as DynamoDB does).
struct Projected {
    std::optional<AttributeValue> whole; // a path ended here
    QMap<QString, Projected> keys;
    QMap<int, Projected> indexes;

    AttributeValue value() const
    {
        if (whole)
            return *whole;
        if (!indexes.isEmpty()) {
            QJsonArray list;
            for (const Projected &p : indexes)
                list.append(p.value());
            return AttributeValue { { kL, list } };
        }
        QJsonObject map;
        for (auto it = keys.begin(); it != keys.end(); ++it)
            map.insert(it.key(), it.value().value());
        return AttributeValue { { kM, map } };
    }
};

void projectInto(QMap<QString, Projected> &out, const Item &item, const Path &path)
{
    const auto v = resolve(item, path);
    if (!v)
        return;
    Projected *node = &out[path.at(0).name];
    for (int i = 1; i < path.size(); ++i)
        node = path.at(i).index >= 0 ? &node->indexes[path.at(i).index] : &node->keys[path.at(i).name];
    node->whole = *v;
}

} // namespace

std::optional<AttributeValue> resolve(const Item &item, const Path &path)
{
    if (path.isEmpty() || path.at(0).index >= 0 || !item.contains(path.at(0).name))
        return std::nullopt;
    AttributeValue v = item.value(path.at(0).name).toObject();
    for (int i = 1; i < path.size(); ++i) {
        const auto next = child(v, path.at(i));
        if (!next)
            return std::nullopt;
        v = *next;
    }
    return v;
}

bool evaluate(const Condition &c, const Item &item)
{
    switch (c.kind) {
    case Condition::Kind::And:
        return evaluate(c.children.at(0), item) && evaluate(c.children.at(1), item);
    case Condition::Kind::Or:
        return evaluate(c.children.at(0), item) || evaluate(c.children.at(1), item);
    case Condition::Kind::Not:
        return !evaluate(c.children.at(0), item);
    case Condition::Kind::Compare:
        return compareWith(c.op, operandValue(c.operands.at(0), item), operandValue(c.operands.at(1), item));
    case Condition::Kind::Between: {
        const auto v = operandValue(c.operands.at(0), item);
        return compareWith(QStringLiteral(">="), v, operandValue(c.operands.at(1), item))
            && compareWith(QStringLiteral("<="), v, operandValue(c.operands.at(2), item));
    }
    case Condition::Kind::In: {
        const auto v = operandValue(c.operands.at(0), item);
        for (int i = 1; i < c.operands.size(); ++i) {
            if (compareWith(QStringLiteral("="), v, operandValue(c.operands.at(i), item)))
                return true;
        }
        return false;
    }
    case Condition::Kind::Function: {
        const auto v = operandValue(c.operands.at(0), item);
        if (c.op == QLatin1String("attribute_exists"))
            return v.has_value();
        if (c.op == QLatin1String("attribute_not_exists"))
            return !v.has_value();
        if (!v)
            return false;
        const auto arg = operandValue(c.operands.at(1), item);
        if (!arg)
            return false;
        if (c.op == QLatin1String("attribute_type"))
            return typeOf(*v) == arg->value(QStringLiteral("S")).toString();
        if (c.op == QLatin1String("begins_with"))
            return beginsWith(*v, *arg);
        return contains(*v, *arg);
    }
    }
    return false;
}

QString applyUpdate(const QList<UpdateAction> &actions, Item &item)
{
    const Item before = item;
    Item after = item;
    // Operands first, all read from the item before the update.
    QList<std::optional<AttributeValue>> values;
    for (const UpdateAction &a : actions) {
        std::optional<AttributeValue> value;
        if (a.kind == UpdateAction::Kind::Set) {
            const Computed c = compute(a.value, before);
            if (!c.value)
                return c.error;
            value = c.value;
        } else if (a.kind == UpdateAction::Kind::Add || a.kind == UpdateAction::Kind::Delete) {
            const auto existing = resolve(before, a.path);
            const AttributeValue &operand = a.value.value;
            const QString type = typeOf(operand);
            if (existing && typeOf(*existing) != type)
                return QStringLiteral("An operand in the update expression has an incorrect data type");
            if (a.kind == UpdateAction::Kind::Add) {
                if (!existing)
                    value = operand;
                else if (type == QLatin1String("N")) {
                    const Decimal sum = add(*Decimal::parse(existing->value(type).toString()),
                        *Decimal::parse(operand.value(type).toString()));
                    if (overflows(sum))
                        return kNumberOverflow;
                    value = AttributeValue { { type, sum.toString() } };
                } else
                    value = setUnion(*existing, operand);
            } else {
                if (!existing)
                    value = std::nullopt;
                else
                    value = setDifference(*existing, operand);
            }
        }
        values.append(value);
    }
    // REMOVEs of list elements go from the highest index down, so that each
    // index names an element of the list as it was.
    QList<int> order;
    for (int i = 0; i < actions.size(); ++i)
        order.append(i);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
        const auto key = [&](int i) {
            const UpdateAction &a = actions.at(i);
            return a.kind == UpdateAction::Kind::Remove && a.path.last().index >= 0 ? a.path.last().index : -1;
        };
        return key(x) > key(y);
    });
    for (int i : order) {
        const UpdateAction &a = actions.at(i);
        if (a.kind == UpdateAction::Kind::Delete && !resolve(before, a.path))
            continue;
        const std::optional<AttributeValue> value = a.kind == UpdateAction::Kind::Remove ? std::nullopt : values.at(i);
        if (!writeAt(after, a.path, 0, value))
            return kInvalidPath;
    }
    item = after;
    return {};
}

Item project(const Item &item, const QList<Path> &paths)
{
    if (paths.isEmpty())
        return item;
    QMap<QString, Projected> tree;
    for (const Path &path : paths)
        projectInto(tree, item, path);
    Item out;
    for (auto it = tree.begin(); it != tree.end(); ++it)
        out.insert(it.key(), it.value().value());
    return out;
}

} // namespace Bramble::LocalRuntime::Dynamo
