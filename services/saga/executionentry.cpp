#include "saga/executionentry.h"

#include "aws/stepfunctionsclient.h"

namespace Bramble::Saga {

ExecutionEntry ExecutionEntry::fromJson(const QJsonObject &json)
{
    ExecutionEntry e;
    e.name = json.value(QStringLiteral("name")).toString();
    e.executionArn = json.value(QStringLiteral("executionArn")).toString();
    e.stateMachineArn = json.value(QStringLiteral("stateMachineArn")).toString();
    e.status = json.value(QStringLiteral("status")).toString();
    e.startDate = Aws::awsTimestamp(json.value(QStringLiteral("startDate")));
    e.stopDate = Aws::awsTimestamp(json.value(QStringLiteral("stopDate")));
    e.redriveCount = json.value(QStringLiteral("redriveCount")).toInt();
    if (json.contains(QStringLiteral("input"))) {
        e.inputLoaded = true;
        e.input = json.value(QStringLiteral("input")).toString();
    }
    return e;
}

} // namespace Bramble::Saga
