#pragma once

#include "core/jsontext.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace Bramble::LocalRuntime {

// Names and ARNs as Step Functions checks them, and JSON text helpers.
namespace SfnNames {

// 1..80 characters, none of: white space, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /,
// control characters, U+FFFE/U+FFFF, lone surrogates.
bool isValidName(const QString &name);

QString stateMachineArn(const QString &region, const QString &account, const QString &name);
QString executionArn(const QString &region, const QString &account, const QString &machine, const QString &name);

// The parts of an ARN of `resourceType` ("stateMachine", "execution"):
// the resource part after "<type>:" split on ':'; nullopt when the text is
// not such an ARN.
struct ArnParts {
    QString region;
    QString account;
    QStringList resource;
};
std::optional<ArnParts> parseArn(const QString &arn, const QString &resourceType);

// Any JSON value (not only objects and arrays) to compact text
// (Core::jsonText) and back.
using Core::jsonText;
std::optional<QJsonValue> parseJsonValue(const QString &text);

double nowSeconds(); // epoch seconds with milliseconds

} // namespace SfnNames

} // namespace Bramble::LocalRuntime
