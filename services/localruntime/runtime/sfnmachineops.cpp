// SfnApi: dispatch, and the state machine operations.
#include "asl/definitioncheck.h"
#include "runtime/definitionvalidator.h"
#include "runtime/executionregistry.h"
#include "runtime/pagetoken.h"
#include "runtime/sfnapi.h"
#include "runtime/sfnnames.h"
#include "runtime/sfnstore.h"

#include <QJsonArray>
#include <QUuid>

namespace Bramble::LocalRuntime {

namespace {

using Handler = ApiAnswer (SfnApi::*)(const QJsonObject &);

const QHash<QString, Handler> &handlers()
{
    static const QHash<QString, Handler> table {
        { QStringLiteral("CreateStateMachine"), &SfnApi::createStateMachine },
        { QStringLiteral("UpdateStateMachine"), &SfnApi::updateStateMachine },
        { QStringLiteral("DeleteStateMachine"), &SfnApi::deleteStateMachine },
        { QStringLiteral("DescribeStateMachine"), &SfnApi::describeStateMachine },
        { QStringLiteral("ListStateMachines"), &SfnApi::listStateMachines },
        { QStringLiteral("ValidateStateMachineDefinition"), &SfnApi::validateStateMachineDefinition },
        { QStringLiteral("DescribeStateMachineForExecution"), &SfnApi::describeStateMachineForExecution },
        { QStringLiteral("StartExecution"), &SfnApi::startExecution },
        { QStringLiteral("StopExecution"), &SfnApi::stopExecution },
        { QStringLiteral("DescribeExecution"), &SfnApi::describeExecution },
        { QStringLiteral("ListExecutions"), &SfnApi::listExecutions },
        { QStringLiteral("GetExecutionHistory"), &SfnApi::getExecutionHistory },
        { QStringLiteral("RedriveExecution"), &SfnApi::redriveExecution },
    };
    return table;
}

ApiAnswer validation(const QString &message)
{
    return ApiAnswer::failure(QStringLiteral("ValidationException"), message);
}

ApiAnswer invalidArn(const QString &arn)
{
    return ApiAnswer::failure(QStringLiteral("InvalidArn"),
        QStringLiteral("Invalid Arn: 'Resource type not valid in this context: %1'").arg(arn));
}

bool isRoleArn(const QString &arn)
{
    const QStringList parts = arn.split(QLatin1Char(':'));
    return parts.size() >= 6 && parts.at(0) == QLatin1String("arn") && parts.at(2) == QLatin1String("iam")
        && parts.at(5).startsWith(QLatin1String("role/")) && parts.at(5).size() > 5;
}

// The definition text's problems as the answer CreateStateMachine and UpdateStateMachine give.
std::optional<ApiAnswer> definitionProblem(const QString &definition)
{
    const DefinitionReport report = validateDefinition(definition);
    if (report.hasErrors())
        return ApiAnswer::failure(QStringLiteral("InvalidDefinition"), report.invalidDefinitionMessage());
    // Valid ASL this runtime cannot run (JSONata): refused, naming the state.
    if (const Core::Error runnable = checkRunnable(report.definition); !runnable.isNull()) {
        QString message = runnable.message;
        if (!runnable.where.key.isEmpty())
            message += QStringLiteral(" (at %1)").arg(runnable.where.key);
        return validation(message);
    }
    return std::nullopt;
}

QJsonObject loggingConfiguration()
{
    return { { QStringLiteral("level"), QStringLiteral("OFF") }, { QStringLiteral("includeExecutionData"), false } };
}

} // namespace

SfnApi::SfnApi(SfnStore *store, ExecutionRegistry *registry, Context context)
    : m_store(store)
    , m_registry(registry)
    , m_context(std::move(context))
{
}

ApiAnswer SfnApi::call(const QString &operation, const QJsonObject &request)
{
    const Handler handler = handlers().value(operation);
    if (!handler)
        return ApiAnswer::failure(QStringLiteral("UnknownOperationException"),
            QStringLiteral("The local runtime does not implement AWSStepFunctions.%1").arg(operation));
    // Every member the model types as a string must be one.
    for (auto it = request.begin(); it != request.end(); ++it) {
        const QString &key = it.key();
        if ((key.endsWith(QLatin1String("Arn")) || key == QLatin1String("name") || key == QLatin1String("definition")
                || key == QLatin1String("input") || key == QLatin1String("nextToken"))
            && !it.value().isString() && !it.value().isNull())
            return ApiAnswer::failure(
                QStringLiteral("SerializationException"), QStringLiteral("Member '%1' must be a string").arg(key));
        if (key == QLatin1String("maxResults") && !it.value().isDouble() && !it.value().isNull())
            return ApiAnswer::failure(
                QStringLiteral("SerializationException"), QStringLiteral("Member 'maxResults' must be a number"));
    }
    return (this->*handler)(request);
}

bool SfnApi::findMachine(const QString &arn, StateMachineRecord *record, ApiAnswer *error)
{
    if (!SfnNames::parseArn(arn, QStringLiteral("stateMachine"))) {
        *error = invalidArn(arn);
        return false;
    }
    std::optional<StateMachineRecord> found = m_store->machine(arn);
    if (!found) {
        *error = ApiAnswer::failure(
            QStringLiteral("StateMachineDoesNotExist"), QStringLiteral("State Machine Does Not Exist: '%1'").arg(arn));
        return false;
    }
    *record = *found;
    return true;
}

bool SfnApi::findExecution(const QString &arn, ExecutionRecord *record, ApiAnswer *error)
{
    if (!SfnNames::parseArn(arn, QStringLiteral("execution"))) {
        *error = invalidArn(arn);
        return false;
    }
    std::optional<ExecutionRecord> found = m_store->execution(arn);
    if (!found) {
        *error = ApiAnswer::failure(
            QStringLiteral("ExecutionDoesNotExist"), QStringLiteral("Execution Does Not Exist: '%1'").arg(arn));
        return false;
    }
    *record = *found;
    return true;
}

ApiAnswer SfnApi::createStateMachine(const QJsonObject &request)
{
    const QString name = request.value(QStringLiteral("name")).toString();
    const QString definition = request.value(QStringLiteral("definition")).toString();
    const QString roleArn = request.value(QStringLiteral("roleArn")).toString();
    const QString type = request.value(QStringLiteral("type")).toString(QStringLiteral("STANDARD"));
    for (const auto &[member, value] :
        { std::pair { "name", name }, std::pair { "definition", definition }, std::pair { "roleArn", roleArn } }) {
        if (value.isEmpty())
            return validation(QStringLiteral("1 validation error detected: Value null at '%1' failed to satisfy "
                                             "constraint: Member must not be null")
                                  .arg(QLatin1String(member)));
    }
    if (!SfnNames::isValidName(name))
        return ApiAnswer::failure(QStringLiteral("InvalidName"), QStringLiteral("Invalid Name: '%1'").arg(name));
    if (type != QLatin1String("STANDARD") && type != QLatin1String("EXPRESS"))
        return validation(QStringLiteral("1 validation error detected: Value '%1' at 'type' failed to satisfy "
                                         "constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]")
                              .arg(type));
    if (!isRoleArn(roleArn))
        return invalidArn(roleArn);
    if (definition.size() > 1048576)
        return validation(QStringLiteral("1 validation error detected: Value at 'definition' failed to satisfy "
                                         "constraint: Member must have length less than or equal to 1048576"));
    if (const auto problem = definitionProblem(definition))
        return *problem;

    const QString arn = SfnNames::stateMachineArn(m_context.region, m_context.account, name);
    if (const auto existing = m_store->machineByName(name)) {
        // Step Functions answers a repeated identical create with the existing machine.
        if (existing->definition == definition && existing->roleArn == roleArn && existing->type == type)
            return ApiAnswer::success({ { QStringLiteral("stateMachineArn"), existing->arn },
                { QStringLiteral("creationDate"), existing->creationDate } });
        return ApiAnswer::failure(QStringLiteral("StateMachineAlreadyExists"),
            QStringLiteral("State Machine Already Exists: '%1'").arg(existing->arn));
    }
    StateMachineRecord record;
    record.arn = arn;
    record.name = name;
    record.definition = definition;
    record.roleArn = roleArn;
    record.type = type;
    record.revisionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record.creationDate = SfnNames::nowSeconds();
    record.updateDate = record.creationDate;
    if (const Core::Error error = m_store->insertMachine(record); !error.isNull())
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), error.message, 500);
    return ApiAnswer::success(
        { { QStringLiteral("stateMachineArn"), arn }, { QStringLiteral("creationDate"), record.creationDate } });
}

ApiAnswer SfnApi::updateStateMachine(const QJsonObject &request)
{
    StateMachineRecord record;
    ApiAnswer error;
    if (!findMachine(request.value(QStringLiteral("stateMachineArn")).toString(), &record, &error))
        return error;
    const QString definition = request.value(QStringLiteral("definition")).toString();
    const QString roleArn = request.value(QStringLiteral("roleArn")).toString();
    if (definition.isEmpty() && roleArn.isEmpty() && !request.contains(QStringLiteral("loggingConfiguration"))
        && !request.contains(QStringLiteral("tracingConfiguration")))
        return ApiAnswer::failure(QStringLiteral("MissingRequiredParameter"),
            QStringLiteral("Either the definition, the role ARN, the LoggingConfiguration, "
                           "or the TracingConfiguration must be specified"));
    if (!roleArn.isEmpty()) {
        if (!isRoleArn(roleArn))
            return invalidArn(roleArn);
        record.roleArn = roleArn;
    }
    if (!definition.isEmpty()) {
        if (const auto problem = definitionProblem(definition))
            return *problem;
        record.definition = definition;
    }
    record.revisionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record.updateDate = SfnNames::nowSeconds();
    if (const Core::Error failure = m_store->updateMachine(record); !failure.isNull())
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), failure.message, 500);
    return ApiAnswer::success(
        { { QStringLiteral("updateDate"), record.updateDate }, { QStringLiteral("revisionId"), record.revisionId } });
}

ApiAnswer SfnApi::deleteStateMachine(const QJsonObject &request)
{
    const QString arn = request.value(QStringLiteral("stateMachineArn")).toString();
    if (!SfnNames::parseArn(arn, QStringLiteral("stateMachine")))
        return invalidArn(arn);
    // Running executions keep their own copy of the definition and finish.
    if (const Core::Error failure = m_store->deleteMachine(arn); !failure.isNull())
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), failure.message, 500);
    return ApiAnswer::success({});
}

ApiAnswer SfnApi::describeStateMachine(const QJsonObject &request)
{
    StateMachineRecord record;
    ApiAnswer error;
    if (!findMachine(request.value(QStringLiteral("stateMachineArn")).toString(), &record, &error))
        return error;
    QJsonObject body { { QStringLiteral("stateMachineArn"), record.arn }, { QStringLiteral("name"), record.name },
        { QStringLiteral("status"), QStringLiteral("ACTIVE") }, { QStringLiteral("definition"), record.definition },
        { QStringLiteral("roleArn"), record.roleArn }, { QStringLiteral("type"), record.type },
        { QStringLiteral("creationDate"), record.creationDate },
        { QStringLiteral("loggingConfiguration"), loggingConfiguration() },
        { QStringLiteral("tracingConfiguration"), QJsonObject { { QStringLiteral("enabled"), false } } },
        { QStringLiteral("revisionId"), record.revisionId } };
    if (!record.description.isEmpty())
        body.insert(QStringLiteral("description"), record.description);
    return ApiAnswer::success(body);
}

ApiAnswer SfnApi::listStateMachines(const QJsonObject &request)
{
    const int maxResults = request.value(QStringLiteral("maxResults")).toInt(0);
    if (maxResults < 0 || maxResults > 1000)
        return validation(QStringLiteral("1 validation error detected: Value '%1' at 'maxResults' failed to satisfy "
                                         "constraint: Member must have value less than or equal to 1000")
                              .arg(maxResults));
    const int limit = maxResults == 0 ? 100 : maxResults;
    qint64 after = 0;
    const QString token = request.value(QStringLiteral("nextToken")).toString();
    if (!token.isEmpty()) {
        const auto position = PageToken::read(token, QStringLiteral("ListStateMachines"), {});
        if (!position)
            return ApiAnswer::failure(QStringLiteral("InvalidToken"), QStringLiteral("Invalid Token: '%1'").arg(token));
        after = *position;
    }
    const QList<StateMachineRecord> records = m_store->machines(after, limit + 1);
    QJsonArray items;
    for (int i = 0; i < qMin(limit, int(records.size())); ++i) {
        const StateMachineRecord &r = records.at(i);
        items.append(QJsonObject { { QStringLiteral("stateMachineArn"), r.arn }, { QStringLiteral("name"), r.name },
            { QStringLiteral("type"), r.type }, { QStringLiteral("creationDate"), r.creationDate } });
    }
    QJsonObject body { { QStringLiteral("stateMachines"), items } };
    if (records.size() > limit)
        body.insert(QStringLiteral("nextToken"),
            PageToken::make(QStringLiteral("ListStateMachines"), {}, records.at(limit - 1).seq));
    return ApiAnswer::success(body);
}

ApiAnswer SfnApi::validateStateMachineDefinition(const QJsonObject &request)
{
    const QString type = request.value(QStringLiteral("type")).toString(QStringLiteral("STANDARD"));
    if (type != QLatin1String("STANDARD") && type != QLatin1String("EXPRESS"))
        return validation(QStringLiteral("Value '%1' at 'type' failed to satisfy constraint: Member must satisfy "
                                         "enum value set: [STANDARD, EXPRESS]")
                              .arg(type));
    const QString severity = request.value(QStringLiteral("severity")).toString(QStringLiteral("ERROR"));
    if (severity != QLatin1String("ERROR") && severity != QLatin1String("WARNING"))
        return validation(QStringLiteral("Value '%1' at 'severity' failed to satisfy constraint: Member must "
                                         "satisfy enum value set: [ERROR, WARNING]")
                              .arg(severity));
    const int maxResults = request.value(QStringLiteral("maxResults")).toInt(0);
    if (maxResults < 0 || maxResults > 100)
        return validation(QStringLiteral("Value '%1' at 'maxResults' failed to satisfy constraint: Member must have "
                                         "value less than or equal to 100")
                              .arg(maxResults));
    const int limit = maxResults == 0 ? 100 : maxResults;
    const DefinitionReport report = validateDefinition(request.value(QStringLiteral("definition")).toString());
    QJsonArray diagnostics;
    bool truncated = false;
    for (const DefinitionDiagnostic &d : report.diagnostics) {
        if (severity == QLatin1String("ERROR") && d.severity != QLatin1String("ERROR"))
            continue;
        if (diagnostics.size() >= limit) {
            truncated = true;
            break;
        }
        QJsonObject item { { QStringLiteral("severity"), d.severity }, { QStringLiteral("code"), d.code },
            { QStringLiteral("message"), d.message } };
        if (!d.location.isEmpty())
            item.insert(QStringLiteral("location"), d.location);
        diagnostics.append(item);
    }
    return ApiAnswer::success(
        { { QStringLiteral("result"), report.hasErrors() ? QStringLiteral("FAIL") : QStringLiteral("OK") },
            { QStringLiteral("diagnostics"), diagnostics }, { QStringLiteral("truncated"), truncated } });
}

ApiAnswer SfnApi::describeStateMachineForExecution(const QJsonObject &request)
{
    ExecutionRecord record;
    ApiAnswer error;
    if (!findExecution(request.value(QStringLiteral("executionArn")).toString(), &record, &error))
        return error;
    QJsonObject body { { QStringLiteral("stateMachineArn"), record.machineArn },
        { QStringLiteral("name"), record.machineName }, { QStringLiteral("definition"), record.definition },
        { QStringLiteral("roleArn"), record.roleArn }, { QStringLiteral("updateDate"), record.startDate },
        { QStringLiteral("loggingConfiguration"), loggingConfiguration() },
        { QStringLiteral("tracingConfiguration"), QJsonObject { { QStringLiteral("enabled"), false } } } };
    if (!record.revisionId.isEmpty())
        body.insert(QStringLiteral("revisionId"), record.revisionId);
    return ApiAnswer::success(body);
}

} // namespace Bramble::LocalRuntime
