#pragma once

#include <QJsonValue>
#include <QString>

// Pure helpers over JSON documents a model already holds (execution inputs):
// no I/O, no state, any thread.
namespace Bramble::Models {

// The text of a scalar as a search or a table cell shows it: strings as
// they are, integral numbers without a fraction ("2", not "2.0"), other
// numbers in the shortest form, booleans "true"/"false", null "null".
// Arrays, objects and undefined give an empty string.
QString scalarText(const QJsonValue &value);

// Whether a query matches a value inside an execution input (a JSON
// document in text). Comparisons ignore case.
//   `key=value`  a member named key (anywhere in the document) whose scalar
//                value is value; when key starts with `$` it is a path for
//                Saga::jsonPathValue instead (`$.Payload.TransactionDetails.TransactionId=2`).
//   bare query   a scalar leaf (string, number or bool, as scalarText gives
//                it) equal to the query, or, when the query has at least 3
//                characters, containing it.
// Invalid or empty input, and an empty query, never match.
bool inputMatches(const QString &inputJson, const QString &query);
// The same over an input already parsed (the filter proxy caches nothing,
// but a caller that has the document avoids a second parse).
bool inputMatches(const QJsonValue &input, const QString &query);

} // namespace Bramble::Models
