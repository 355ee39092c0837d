#pragma once

#include "asl/jsonpathio.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Bramble::LocalRuntime::Asl {

// Whether a Choice rule (a top-level rule or a nested And/Or/Not operand)
// holds for env.input. Throws StatesFault (States.Runtime) when its
// Variable leads nowhere (except for IsPresent) or the rule has no operator.
bool evalChoiceRule(const QJsonObject &rule, const PathEnv &env);

// StringMatches: `*` matches any run of characters, `\*` a star, `\\` a backslash.
bool stringMatches(const QString &text, const QString &pattern);

// An RFC 3339 timestamp with a zone (Z or ±hh:mm) and optional fraction;
// invalid otherwise (no zone, bad date).
QDateTime parseTimestamp(const QString &text);

} // namespace Bramble::LocalRuntime::Asl
