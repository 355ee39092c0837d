#pragma once

#include <QString>

#include <optional>

namespace Bramble::LocalRuntime {

// Opaque nextToken values: which operation and which listing (an ARN, or
// the filters) they continue, and where. A token presented to another
// operation or listing, or tampered with, does not read (InvalidToken).
namespace PageToken {

QString make(const QString &operation, const QString &scope, qint64 position);
std::optional<qint64> read(const QString &token, const QString &operation, const QString &scope);

} // namespace PageToken

} // namespace Bramble::LocalRuntime
