#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace Bramble::Aws::AttributeValue {

// DynamoDB's typed AttributeValues to plain JSON and back.
//
// To JSON: S -> string, N -> number when a double holds it exactly (else
// the digits as a string, so nothing is lost), B -> base64 string, BOOL ->
// bool, NULL -> null, M -> object, L -> array, SS/NS/BS -> arrays.
// From JSON: string -> S, number -> N, bool -> BOOL, null -> NULL,
// object -> M, array -> L (JSON cannot say "set"; sets come back as lists).
//
// `error` receives "where: what" (a JSON pointer) for input that is not a
// valid AttributeValue; the result is then undefined.
QJsonValue toJson(const QJsonObject &attributeValue, QString *error = nullptr, const QString &pointer = {});
QJsonObject fromJson(const QJsonValue &value);

// A whole item: {"id": {"S": "2"}} <-> {"id": "2"}.
QJsonObject itemToJson(const QJsonObject &item, QString *error = nullptr);
QJsonObject itemFromJson(const QJsonObject &plain);

} // namespace Bramble::Aws::AttributeValue
