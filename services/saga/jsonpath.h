#pragma once

#include <QJsonValue>
#include <QString>

namespace Bramble::Saga {

// The part of JSONPath that names one value, as Step Functions' "Key.$" and
// InputPath fields use it: `$`, `.name`, `['name']` / `["name"]` and `[index]`
// (e.g. `$.Payload.TransactionDetails.TransactionId`, `$.items[0]['a b']`).
// No wildcards, slices or filters: they select many values, and a key names one.

// Checks the syntax; `error` says what is wrong and at which character.
bool isValidJsonPath(const QString &path, QString *error = nullptr);

// The value at `path`, or an undefined QJsonValue when the path is invalid or
// leads nowhere (`error` says which).
QJsonValue jsonPathValue(const QJsonValue &root, const QString &path, QString *error = nullptr);

} // namespace Bramble::Saga
