#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Bramble::LocalRuntime::Asl {

// The JSONPath that selects many values (Goessner's syntax, as Step
// Functions reads it in InputPath, OutputPath, ItemsPath and "key.$"):
// `.name`, `['name']`, `[n]` (negative from the end), `.*` and `[*]`,
// `..name` and `..*`, `[a,b]` (indexes or quoted names), `[start:end:step]`
// and filters `[?(@.path)]`, `[?(@.path OP literal)]` with == != < <= > >=.
// The matches, in document order; nullopt with `error` set when the
// syntax is wrong.
std::optional<QJsonArray> selectAll(const QJsonValue &root, const QString &path, QString *error);

} // namespace Bramble::LocalRuntime::Asl
