#pragma once

#include "asl/taskrunner.h"

#include <QJsonValue>
#include <QString>

namespace Bramble::LocalRuntime {

class TableStore;
struct DynamoAnswer;

// One optimized DynamoDB integration task
// (`arn:aws:states:::dynamodb:<action>`, action getItem, putItem,
// updateItem or deleteItem) on the local TableStore, as Step Functions runs
// it (local-runtime.md §5): the parameters must be an object holding only
// the fields Step Functions allows for the action (another field fails with
// States.Runtime naming it); the result is the API response (GetItem of a
// missing key has no Item); a DynamoDB error fails the task with
// dynamoDbFailure().
TaskOutcome runDynamoDbTask(TableStore &tables, const QString &action, const QJsonValue &parameters);

// An AWS SDK integration task (`arn:aws:states:::aws-sdk:dynamodb:<action>`,
// any operation the TableStore has: createTable, describeTable, listTables,
// deleteTable, putItem, getItem, updateItem, deleteItem, query, scan): the
// parameters are the API request as written, the result its response. Errors
// are named as Step Functions names SDK errors, "DynamoDb.<Code>" (service
// and error in PascalCase), with the SDK's cause "<message> (Service:
// DynamoDb, Status Code: 400, Request ID: <id>)".
TaskOutcome runDynamoDbSdkTask(TableStore &tables, const QString &action, const QJsonValue &parameters);

// Error "DynamoDB.<Code>", cause "<message> (Service: AmazonDynamoDBv2; Status
// Code: 400; Error Code: <Code>; Request ID: <id>; Proxy: null)". An answer
// without a code is DynamoDB.AmazonDynamoDBException.
TaskOutcome dynamoDbFailure(const DynamoAnswer &answer);

} // namespace Bramble::LocalRuntime
