#pragma once

#include "asl/taskrunner.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Bramble::LocalRuntime {

// A Lambda FunctionName as Lambda's Invoke takes it: a name ("my-fn"), a
// name with a qualifier ("my-fn:live"), a full ARN
// ("arn:aws:lambda:eu-west-1:123456789012:function:my-fn[:live]") or a
// partial ARN ("123456789012:function:my-fn[:live]"). Functions are bound by
// `name` alone.
struct LambdaFunctionRef {
    QString name;
    QString qualifier; // alias or version; empty for $LATEST
    QString region; // from a full ARN; empty otherwise
    QString account; // from a full or partial ARN; empty otherwise

    // The ARN Lambda names in its errors, with the region and account of the
    // state machine where the reference has none.
    QString arn(const QString &defaultRegion, const QString &defaultAccount) const;
};

// nullopt when `functionName` is none of the forms above (Lambda answers
// that with a ValidationException).
std::optional<LambdaFunctionRef> parseFunctionName(const QString &functionName);

// What a Task's Resource asks for.
struct TaskResource {
    enum class Kind {
        LambdaInvoke, // arn:aws:states:::lambda:invoke (the result is shaped as Invoke's response)
        LambdaArn, // arn:aws:lambda:REGION:ACCOUNT:function:NAME (the result is the payload)
        DynamoDb, // arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem
        DynamoDbSdk, // arn:aws:states:::aws-sdk:dynamodb:<action> (the TableStore's operations)
        Unsupported, // any other resource: an activity, another service, .sync / .waitForTaskToken
    };
    Kind kind = Kind::Unsupported;
    QString action; // DynamoDb, DynamoDbSdk: "getItem"...; LambdaInvoke: "invoke"
};
TaskResource classifyResource(const QString &resource);

// The region and account of a state machine or execution ARN
// (arn:aws:states:REGION:ACCOUNT:...), with us-east-1 and 123456789012 (the
// local runtime's account) when the ARN has none.
QString regionOfArn(const QString &arn);
QString accountOfArn(const QString &arn);

// JSON text of any value (strings, numbers and null included), compact.
QByteArray jsonText(const QJsonValue &value);
// Any JSON value from text; nullopt (with a message) when it is not JSON.
std::optional<QJsonValue> parseJsonValue(const QByteArray &text, QString *why = nullptr);

// A request id shaped as AWS's (a UUID), for causes and metadata.
QString newRequestId();

// The most a function may answer with: the synchronous payload limit Lambda
// names in its errors ("6291556 bytes").
constexpr qsizetype MaxPayloadBytes = 6291556;

// How a function's answer becomes a task outcome, the same for every
// backend (see localtaskrunner.h):
//  - a success: the answer as JSON (empty means null, as a handler that
//    returns nothing); an answer that is not JSON fails with
//    Runtime.MarshalError, as Lambda fails a result it cannot serialise;
//  - a failure whose answer is a JSON object with a string "errorType": that
//    type is the error and the answer's text the cause (Lambda's function
//    error document, which Step Functions passes on as the cause);
//  - any other failure: Lambda.Unknown, with Step Functions' cause for a
//    function error without a type ("The cause could not be determined
//    because Lambda did not return an error type. Returned payload: ...").
TaskOutcome functionSucceeded(const QByteArray &answer);
TaskOutcome functionFailed(const QByteArray &answer, const QString &whatHappened);

// A function error raised by a local handler: error `errorType`, cause the
// document {"errorMessage", "errorType", "requestId", "stackTrace": []}.
TaskOutcome functionError(const QString &errorType, const QString &errorMessage);

// An error of the Lambda service itself (not of the function): error
// "Lambda.<code>", cause "<message> (Service: AWSLambda; Status Code: <status>;
// Error Code: <code>; Request ID: <id>; Proxy: null)".
TaskOutcome lambdaServiceError(const QString &code, int httpStatus, const QString &message);

// The answer of a function reached over HTTP (an http binding, or OpenFaaS):
// 2xx is a success; 429 is Lambda.TooManyRequestsException and 502/503/504
// Lambda.ServiceException (the endpoint is overloaded or not ready: both
// errors the seed retries), unless the body is a typed function error;
// anything else a function failure as above.
TaskOutcome httpFunctionAnswer(int status, const QByteArray &body, const QString &endpoint);

// A task result shaped as `arn:aws:states:::lambda:invoke` shapes it:
// {"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata",
// "StatusCode": 200}. `qualifier` a version number makes ExecutedVersion that
// version; otherwise "$LATEST".
QJsonValue lambdaInvokeResult(const QJsonValue &payload, const QString &qualifier = {});

} // namespace Bramble::LocalRuntime
