#pragma once

#include "aws/awserror.h"
#include "aws/sigv4.h"
#include "core/error.h"

#include <QByteArray>
#include <QJsonObject>

namespace Bramble::Aws::Protocol {

// The error of a JSON 1.0/1.1 or REST-JSON answer: the code from the
// x-amzn-ErrorType header or the body's "__type", without a namespace prefix
// ("com.amazonaws.sfn#StateMachineDoesNotExist" -> "StateMachineDoesNotExist")
// or a ":http://..." suffix (the error's reason); the message from "message"
// or "Message", else the code; the kind from serviceErrorKind().
Core::Error jsonError(int httpStatus, const HttpHeaders &headers, const QByteArray &body);

// The error of a Query (XML) answer: <ErrorResponse><Error><Code>, <Message>,
// and <RequestId>, classified as jsonError() does.
Core::Error queryError(int httpStatus, const QByteArray &body);

// An XML document as JSON: an element with child elements becomes an object
// (a name repeated among siblings, or a <member> list, becomes an array), a
// leaf becomes its text. Returns the root's children; `error` set when the
// XML does not parse.
QJsonObject xmlToJson(const QByteArray &xml, QString *error);

// application/x-www-form-urlencoded, keys in the given order.
QByteArray formEncode(const QList<QPair<QString, QString>> &parameters);

} // namespace Bramble::Aws::Protocol
