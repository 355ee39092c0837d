#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

// DynamoDB's typed JSON values ({"S": "x"}, {"N": "1.5"}, {"M": {...}}) as
// the table store keeps them: validation, comparison, set arithmetic, exact
// decimal numbers and the byte encoding that sorts key values in SQLite.
namespace Bramble::LocalRuntime::Dynamo {

using AttributeValue = QJsonObject; // exactly one member: the type tag
using Item = QJsonObject; // attribute name -> AttributeValue

// "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"; empty when `v`
// is not one AttributeValue.
QString typeOf(const AttributeValue &v);

// Empty when `v` is a well-formed AttributeValue; otherwise DynamoDB's
// ValidationException text ("Supplied AttributeValue is empty, ...").
QString validate(const QJsonValue &v);
// Every value of an item; `what` names it in the message.
QString validateItem(const QJsonObject &item);

// An exact decimal number (DynamoDB N: up to 38 significant digits).
struct Decimal {
    bool negative = false;
    QByteArray digits; // significant digits, no leading or trailing zeros; empty for zero
    int exponent = 0; // value = 0.digits * 10^exponent

    static std::optional<Decimal> parse(const QString &text);
    QString toString() const;
    bool isZero() const { return digits.isEmpty(); }
    Decimal negated() const;
};
int compare(const Decimal &a, const Decimal &b);
Decimal add(const Decimal &a, const Decimal &b);

// Numbers numerically, strings by UTF-8 bytes, binary by bytes. nullopt
// when the two are of different types or of a type without an order.
std::optional<int> compareValues(const AttributeValue &a, const AttributeValue &b);
// Deep equality (numbers by value, sets regardless of order).
bool equalValues(const AttributeValue &a, const AttributeValue &b);

// A byte string whose memcmp order is the order of compareValues() for S, N
// and B values: the indexed key columns of the store.
QByteArray sortKey(const AttributeValue &v);

// size(): characters of S, bytes of B, elements of a set, L or M; nullopt for
// N, BOOL and NULL.
std::optional<int> sizeOf(const AttributeValue &v);

// ADD on sets (union) and DELETE (difference); `a` and `b` of one set type.
AttributeValue setUnion(const AttributeValue &a, const AttributeValue &b);
// nullopt when every element goes (the attribute is then removed).
std::optional<AttributeValue> setDifference(const AttributeValue &a, const AttributeValue &b);
bool isSetType(const QString &type);

} // namespace Bramble::LocalRuntime::Dynamo
