#pragma once

#include "dynamodb/expression.h"

#include <QList>
#include <QString>

#include <optional>

// Parsed expressions applied to one item: conditions evaluated, updates
// applied, projections taken. Pure functions over JSON.
namespace Bramble::LocalRuntime::Dynamo {

// The value at `path`, or nullopt when any step is missing or of the wrong kind.
std::optional<AttributeValue> resolve(const Item &item, const Path &path);

// DynamoDB's rules: comparing values of different types is false, a missing
// attribute equals nothing (so `a <> :v` holds when `a` is missing).
bool evaluate(const Condition &condition, const Item &item);

// Applies the actions to `item`, every operand read from the item as it was
// before (as DynamoDB does). Empty on success; otherwise the
// ValidationException message, and `item` is unchanged.
QString applyUpdate(const QList<UpdateAction> &actions, Item &item);

// The parts of `item` the paths name, nested as in the item (list elements
// in path order). An empty list of paths gives the whole item.
Item project(const Item &item, const QList<Path> &paths);

} // namespace Bramble::LocalRuntime::Dynamo
