#include "functions/localtaskrunner.h"

#include "functions/commandfunctionjob.h"
#include "functions/dynamodbtask.h"
#include "functions/httppostjob.h"
#include "functions/lambdaresource.h"
#include "functions/logging.h"
#include "functions/readytaskcall.h"
#include "functions/seedsaga.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPair>

namespace Bramble::LocalRuntime {

namespace {

TaskCall *ready(TaskOutcome outcome)
{
    return new ReadyTaskCall([outcome] { return outcome; });
}

TaskOutcome runtimeError(const QString &cause)
{
    return TaskOutcome::failure(QStringLiteral("States.Runtime"), cause);
}

// An http or OpenFaaS function's answer, or why there was none.
Core::Result<TaskOutcome> fromAnswer(const Core::Result<HttpAnswer> &answer, const QString &endpoint)
{
    if (answer.ok())
        return httpFunctionAnswer(answer.value().status, answer.value().body, endpoint);
    const Core::Error &error = answer.error();
    if (error.reason == u"ResponseSizeTooLarge")
        return functionError(QStringLiteral("Function.ResponseSizeTooLarge"),
            QStringLiteral("Response payload size exceeded maximum allowed payload size (%1 bytes).")
                .arg(MaxPayloadBytes));
    // The function could not be reached: as the SDK's client-side failure.
    return TaskOutcome::failure(QStringLiteral("Lambda.SdkClientException"),
        QStringLiteral("Unable to execute HTTP request: %1: %2").arg(endpoint, error.toString()));
}

} // namespace

class LocalTaskRunner::Private {
public:
    FunctionsConfig functions;
    TableStore *tables = nullptr;
    std::optional<MockConfig> mocks;
    OpenFaasInvoker openFaas;
    QNetworkAccessManager *network = nullptr;
    std::unique_ptr<QNetworkAccessManager> ownNetwork;
    QHash<QPair<QString, QString>, int> invocations;

    QNetworkAccessManager *net()
    {
        if (!network) {
            ownNetwork = std::make_unique<QNetworkAccessManager>();
            network = ownNetwork.get();
        }
        return network;
    }

    TaskCall *mocked(const TaskRequest &request, TaskResource::Kind kind, bool *handled);
    TaskCall *lambda(const TaskRequest &request, const TaskResource &resource);
    TaskCall *function(const QString &name, const FunctionBinding &binding, const QJsonValue &event, int attempt);
};

TaskCall *LocalTaskRunner::Private::mocked(const TaskRequest &request, TaskResource::Kind kind, bool *handled)
{
    *handled = false;
    if (request.testCase.isEmpty())
        return nullptr;
    *handled = true;
    const QString testCase = request.testCase.section(u'#', -1);
    if (!mocks || !mocks->hasTestCase(request.stateMachineName, testCase))
        return ready(runtimeError(QStringLiteral("No definitions for test case %1 and state machine %2 in the mock "
                                                 "config file")
                                      .arg(testCase, request.stateMachineName)));
    const QPair<QString, QString> key { request.executionArn, request.stateName };
    const int invocation = invocations.value(key);
    std::optional<TaskOutcome> outcome
        = mocks->outcome(request.stateMachineName, testCase, request.stateName, invocation);
    if (!outcome) {
        *handled = false; // not mocked: it runs for real
        return nullptr;
    }
    invocations.insert(key, invocation + 1);
    // A mocked Return is Invoke's whole response; a plain function ARN's
    // result is its Payload.
    if (outcome->ok && kind == TaskResource::Kind::LambdaArn && outcome->output.toObject().contains(u"Payload"))
        outcome->output = outcome->output.toObject().value(u"Payload");
    qCDebug(lcLocalFunctions).noquote() << "mocked" << request.stateName << "invocation" << invocation;
    return ready(*outcome);
}

TaskCall *LocalTaskRunner::Private::lambda(const TaskRequest &request, const TaskResource &resource)
{
    const bool invoke = resource.kind == TaskResource::Kind::LambdaInvoke;
    QString functionName = request.resource;
    QJsonValue event = request.parameters;
    QString qualifierParameter;
    if (invoke) {
        static const QStringList allowed { QStringLiteral("FunctionName"), QStringLiteral("Payload"),
            QStringLiteral("Qualifier"), QStringLiteral("InvocationType"), QStringLiteral("ClientContext"),
            QStringLiteral("LogType") };
        const QJsonObject parameters = request.parameters.toObject();
        if (!request.parameters.isObject() || !parameters.value(u"FunctionName").isString())
            return ready(runtimeError(
                QStringLiteral("The parameters of arn:aws:states:::lambda:invoke need a FunctionName (a string)")));
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            if (!allowed.contains(it.key()))
                return ready(
                    runtimeError(QStringLiteral("The field \"%1\" is not supported by Step Functions for lambda:invoke")
                                     .arg(it.key())));
        }
        const QString invocationType = parameters.value(u"InvocationType").toString();
        if (!invocationType.isEmpty() && invocationType != u"RequestResponse")
            return ready(runtimeError(
                QStringLiteral("InvocationType %1 is not supported by the local runtime (only RequestResponse)")
                    .arg(invocationType)));
        functionName = parameters.value(u"FunctionName").toString();
        qualifierParameter = parameters.value(u"Qualifier").toString();
        event = parameters.contains(u"Payload") ? parameters.value(u"Payload") : QJsonValue(QJsonObject());
    }
    std::optional<LambdaFunctionRef> ref = parseFunctionName(functionName);
    if (!ref)
        return ready(lambdaServiceError(QStringLiteral("AWSLambdaException"), 400,
            QStringLiteral("1 validation error detected: Value '%1' at 'functionName' failed to satisfy constraint: "
                           "Member must be a function name, a name with an alias or version, or a function ARN")
                .arg(functionName)));
    if (!qualifierParameter.isEmpty() && qualifierParameter != u"$LATEST")
        ref->qualifier = qualifierParameter;
    const FunctionBinding *binding = functions.find(ref->name);
    if (!binding)
        return ready(lambdaServiceError(QStringLiteral("ResourceNotFoundException"), 404,
            QStringLiteral("Function not found: ")
                + ref->arn(regionOfArn(request.stateMachineArn), accountOfArn(request.stateMachineArn))));
    qCDebug(lcLocalFunctions).noquote() << request.stateName << "invokes" << ref->name;
    TaskCall *inner = function(ref->name, *binding, event, request.attempt);
    const QString qualifier = ref->qualifier;
    return new MappedTaskCall<TaskOutcome>(
        inner, [invoke, qualifier](const Core::Result<TaskOutcome> &result) -> Core::Result<TaskOutcome> {
            if (!result.ok())
                return result.error();
            TaskOutcome outcome = result.value();
            if (outcome.ok && invoke)
                outcome.output = lambdaInvokeResult(outcome.output, qualifier);
            return outcome;
        });
}

TaskCall *LocalTaskRunner::Private::function(
    const QString &name, const FunctionBinding &binding, const QJsonValue &event, int attempt)
{
    switch (binding.kind) {
    case FunctionBinding::Kind::Command:
        return new CommandFunctionJob(name, binding.argv, binding.workingDirectory, jsonText(event));
    case FunctionBinding::Kind::Http: {
        const QString endpoint = binding.url.toString();
        return new MappedTaskCall<HttpAnswer>(new HttpPostJob(net(), binding.url, jsonText(event)),
            [endpoint](const Core::Result<HttpAnswer> &answer) { return fromAnswer(answer, endpoint); });
    }
    case FunctionBinding::Kind::OpenFaas: {
        const QString endpoint
            = QStringLiteral("OpenFaaS function %1.%2").arg(binding.openFaasName, binding.openFaasNamespace);
        Core::ValueJob<HttpAnswer> *job
            = openFaas ? openFaas(binding.openFaasName, binding.openFaasNamespace, jsonText(event)) : nullptr;
        if (!job)
            return ready(TaskOutcome::failure(QStringLiteral("Lambda.SdkClientException"),
                QStringLiteral("Unable to execute HTTP request: function %1 is bound to %2, and no OpenFaaS gateway is "
                               "reachable (connect a Kubernetes cluster that runs OpenFaaS)")
                    .arg(name, endpoint)));
        return new MappedTaskCall<HttpAnswer>(
            job, [endpoint](const Core::Result<HttpAnswer> &answer) { return fromAnswer(answer, endpoint); });
    }
    case FunctionBinding::Kind::Builtin:
        break;
    }
    TableStore *store = tables;
    return new ReadyTaskCall([store, name, event, attempt] {
        if (!store)
            return functionError(
                QStringLiteral("ResourceNotFoundException"), QStringLiteral("Requested resource not found"));
        return runSeedSagaFunction(*store, name, event, attempt);
    });
}

LocalTaskRunner::LocalTaskRunner(FunctionsConfig functions, TableStore *tables)
    : d(std::make_unique<Private>())
{
    d->functions = std::move(functions);
    d->tables = tables;
}

LocalTaskRunner::~LocalTaskRunner() = default;

void LocalTaskRunner::setFunctions(FunctionsConfig functions)
{
    d->functions = std::move(functions);
}

const FunctionsConfig &LocalTaskRunner::functions() const
{
    return d->functions;
}

void LocalTaskRunner::setMockConfig(std::optional<MockConfig> mocks)
{
    d->mocks = std::move(mocks);
}

void LocalTaskRunner::setOpenFaasInvoker(OpenFaasInvoker invoker)
{
    d->openFaas = std::move(invoker);
}

void LocalTaskRunner::setNetworkAccessManager(QNetworkAccessManager *network)
{
    d->network = network;
}

void LocalTaskRunner::forgetExecution(const QString &executionArn)
{
    for (auto it = d->invocations.begin(); it != d->invocations.end();) {
        if (it.key().first == executionArn)
            it = d->invocations.erase(it);
        else
            ++it;
    }
}

TaskCall *LocalTaskRunner::call(const TaskRequest &request)
{
    const TaskResource resource = classifyResource(request.resource);
    bool handled = false;
    if (TaskCall *mock = d->mocked(request, resource.kind, &handled); handled)
        return mock;
    switch (resource.kind) {
    case TaskResource::Kind::LambdaInvoke:
    case TaskResource::Kind::LambdaArn:
        return d->lambda(request, resource);
    case TaskResource::Kind::DynamoDb:
    case TaskResource::Kind::DynamoDbSdk: {
        TableStore *store = d->tables;
        const QString action = resource.action;
        const QJsonValue parameters = request.parameters;
        const bool sdk = resource.kind == TaskResource::Kind::DynamoDbSdk;
        return new ReadyTaskCall([store, action, parameters, sdk] {
            if (!store)
                return runtimeError(QStringLiteral("No DynamoDB table store is open for dynamodb:") + action);
            return sdk ? runDynamoDbSdkTask(*store, action, parameters) : runDynamoDbTask(*store, action, parameters);
        });
    }
    case TaskResource::Kind::Unsupported:
        break;
    }
    return ready(runtimeError(QStringLiteral("The resource %1 (state %2) is not supported by the local runtime; it "
                                             "runs arn:aws:states:::lambda:invoke, Lambda function ARNs, "
                                             "arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem and "
                                             "arn:aws:states:::aws-sdk:dynamodb:<the table store's operations>")
                                  .arg(request.resource, request.stateName)));
}

} // namespace Bramble::LocalRuntime
