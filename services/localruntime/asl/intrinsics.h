#pragma once

#include "asl/jsonpathio.h"

#include <QJsonValue>
#include <QString>

namespace Bramble::LocalRuntime::Asl {

// Evaluates an intrinsic function call such as
// `States.Format('Hello, {}', $.name)`: arguments are quoted strings (with
// \' \{ \} \\ escapes), numbers, null/true/false, paths ($, $$, $variable)
// and nested calls. Throws StatesFault (States.IntrinsicFailure) on a syntax
// error, an unknown function or bad arguments.
QJsonValue evalIntrinsic(const QString &expression, const PathEnv &env);

} // namespace Bramble::LocalRuntime::Asl
