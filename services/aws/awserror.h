#pragma once

#include "core/error.h"

#include <QString>

namespace Bramble::Aws {

// AWS calls fail with the house error, Core::Error: `reason` holds the
// service's error code without its namespace ("ThrottlingException"),
// `operation` the API operation ("ListStateMachines"), `requestId` the
// service's request id, `attempts` how many times the request was sent.
// toString() reads "ListStateMachines: ThrottlingException: Rate exceeded
// (HTTP 400, 3 attempts, request id ...)".
//
// Kinds: an error answer is classified by serviceErrorKind(); no answer
// (refused, reset, DNS, TLS, our timeout) is Network; no usable credentials
// is Auth; no region or endpoint is Usage; an answer we cannot read is
// Server; cancel() is Cancelled.

// The kind of an AWS error answer: from its code first (throttling codes ->
// Throttled; AccessDenied, UnrecognizedClient, ExpiredToken, signature
// errors -> Auth; ResourceNotFound, StateMachineDoesNotExist,
// ExecutionDoesNotExist... -> NotFound; ValidationException,
// InvalidParameter... -> Input), else from the HTTP status (401/403 Auth,
// 404 NotFound, 429 Throttled), else Server.
Core::Error::Kind serviceErrorKind(const QString &code, int httpStatus);

// The reason given to an attempt that got no complete answer within the
// transport's timeout. Ours, not a service code: such errors have no HTTP
// status and are of kind Network.
QString timeoutReason();
bool isTimeout(const Core::Error &error);

} // namespace Bramble::Aws
