#pragma once

#include "core/error.h"

#include <QJsonObject>

namespace Bramble::LocalRuntime {

// Whether the local runtime can run `definition`: it must pass Bramble's ASL
// validation (Saga::parseDefinition: the first error is returned, with its
// JSON pointer) and use JSONPath only: `"QueryLanguage": "JSONata"`, at the
// top level or on any state (named in the message), is refused. A null
// error means runnable. The API layer turns an error into a
// ValidationException.
Core::Error checkRunnable(const QJsonObject &definition);

} // namespace Bramble::LocalRuntime
