#pragma once

#include <QJsonValue>
#include <QString>

namespace Bramble::Core {

// Any JSON value as compact text, as QJsonDocument writes it, scalars too
// (3, "a", true); an undefined value as null. For JSON carried as text
// inside other JSON (Step Functions input and output, Lambda payloads).
QString jsonText(const QJsonValue &value);

} // namespace Bramble::Core
