#include "functions/dynamodbtask.h"

#include "dynamodb/tablestore.h"

#include <QJsonObject>
#include <QRandomGenerator>
#include <QStringList>

namespace Bramble::LocalRuntime {

namespace {

// The fields Step Functions passes on per action (moto/LocalStack's
// state_task_service_dynamodb.py, matching connect-ddb.md).
QStringList allowedFields(const QString &action)
{
    const QStringList common { QStringLiteral("TableName"), QStringLiteral("ExpressionAttributeNames"),
        QStringLiteral("ReturnConsumedCapacity") };
    if (action == u"getItem")
        return common
            + QStringList { QStringLiteral("Key"), QStringLiteral("AttributesToGet"), QStringLiteral("ConsistentRead"),
                  QStringLiteral("ProjectionExpression") };
    const QStringList writes { QStringLiteral("ConditionalOperator"), QStringLiteral("ConditionExpression"),
        QStringLiteral("Expected"), QStringLiteral("ExpressionAttributeValues"),
        QStringLiteral("ReturnItemCollectionMetrics"), QStringLiteral("ReturnValues") };
    if (action == u"putItem")
        return common + writes + QStringList { QStringLiteral("Item") };
    if (action == u"deleteItem")
        return common + writes + QStringList { QStringLiteral("Key") };
    return common + writes
        + QStringList { QStringLiteral("Key"), QStringLiteral("UpdateExpression"), QStringLiteral("AttributeUpdates") };
}

// DynamoDB's request ids: 52 characters of [A-Z0-9].
QString dynamoRequestId()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QString id;
    id.reserve(52);
    for (int i = 0; i < 52; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(36)]);
    return id;
}

} // namespace

TaskOutcome dynamoDbFailure(const DynamoAnswer &answer)
{
    const QString code = answer.errorType.isEmpty() ? QStringLiteral("AmazonDynamoDBException") : answer.errorType;
    const int status = answer.httpStatus >= 400 ? answer.httpStatus : 400;
    return TaskOutcome::failure(QStringLiteral("DynamoDB.") + code,
        QStringLiteral("%1 (Service: AmazonDynamoDBv2; Status Code: %2; Error Code: %3; Request ID: %4; Proxy: null)")
            .arg(answer.message)
            .arg(status)
            .arg(code, dynamoRequestId()));
}

TaskOutcome runDynamoDbTask(TableStore &tables, const QString &action, const QJsonValue &parameters)
{
    const QString resource = QStringLiteral("arn:aws:states:::dynamodb:") + action;
    if (!parameters.isObject())
        return TaskOutcome::failure(QStringLiteral("States.Runtime"),
            QStringLiteral("The parameters of %1 must be a JSON object").arg(resource));
    const QJsonObject request = parameters.toObject();
    const QStringList allowed = allowedFields(action);
    for (auto it = request.begin(); it != request.end(); ++it) {
        if (!allowed.contains(it.key()))
            return TaskOutcome::failure(QStringLiteral("States.Runtime"),
                QStringLiteral("The field \"%1\" is not supported by Step Functions for %2 (supported: %3)")
                    .arg(it.key(), resource, allowed.join(QStringLiteral(", "))));
    }
    const QString operation = action.at(0).toUpper() + action.mid(1);
    const DynamoAnswer answer = tables.call(operation, request);
    if (!answer.ok())
        return dynamoDbFailure(answer);
    QJsonObject body = answer.body;
    body.remove(QStringLiteral("ResponseMetadata"));
    return TaskOutcome::success(body);
}

} // namespace Bramble::LocalRuntime

namespace Bramble::LocalRuntime {

TaskOutcome runDynamoDbSdkTask(TableStore &tables, const QString &action, const QJsonValue &parameters)
{
    if (!parameters.isObject())
        return TaskOutcome::failure(QStringLiteral("States.Runtime"),
            QStringLiteral("The parameters of arn:aws:states:::aws-sdk:dynamodb:%1 must be a JSON object").arg(action));
    const DynamoAnswer answer = tables.call(action.at(0).toUpper() + action.mid(1), parameters.toObject());
    if (answer.ok())
        return TaskOutcome::success(answer.body);
    const QString code = answer.errorType.isEmpty() ? QStringLiteral("DynamoDbException") : answer.errorType;
    return TaskOutcome::failure(QStringLiteral("DynamoDb.") + code,
        QStringLiteral("%1 (Service: DynamoDb, Status Code: %2, Request ID: %3)")
            .arg(answer.message)
            .arg(answer.httpStatus >= 400 ? answer.httpStatus : 400)
            .arg(dynamoRequestId()));
}

} // namespace Bramble::LocalRuntime
