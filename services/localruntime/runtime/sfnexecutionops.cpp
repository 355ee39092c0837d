// SfnApi: the execution operations.
#include "asl/execution.h"
#include "runtime/executionregistry.h"
#include "runtime/pagetoken.h"
#include "runtime/sfnapi.h"
#include "runtime/sfnnames.h"
#include "runtime/sfnstore.h"

#include <QJsonArray>
#include <QUuid>

#include <limits>

namespace Bramble::LocalRuntime {

namespace {

constexpr double kRedriveWindowSeconds = 14.0 * 24 * 3600;
constexpr qint64 kHistoryLimit = 25000;

ApiAnswer validation(const QString &message)
{
    return ApiAnswer::failure(QStringLiteral("ValidationException"), message);
}

ApiAnswer invalidToken(const QString &token)
{
    return ApiAnswer::failure(QStringLiteral("InvalidToken"), QStringLiteral("Invalid Token: '%1'").arg(token));
}

bool isEnded(const QString &status)
{
    return status != QLatin1String("RUNNING") && status != QLatin1String("PENDING_REDRIVE");
}

// maxResults as the model bounds it (0..1000; 0 means the default 100).
bool pageSize(const QJsonObject &request, int *limit, ApiAnswer *error)
{
    const int maxResults = request.value(QStringLiteral("maxResults")).toInt(0);
    if (maxResults < 0 || maxResults > 1000) {
        *error = validation(QStringLiteral("1 validation error detected: Value '%1' at 'maxResults' failed to "
                                           "satisfy constraint: Member must have value less than or equal to 1000")
                                .arg(maxResults));
        return false;
    }
    *limit = maxResults == 0 ? 100 : maxResults;
    return true;
}

QJsonObject withoutData(QJsonObject event)
{
    for (auto it = event.begin(); it != event.end(); ++it) {
        if (!it.key().endsWith(QLatin1String("EventDetails")) || !it.value().isObject())
            continue;
        QJsonObject details = it.value().toObject();
        for (const char *key : { "input", "inputDetails", "output", "outputDetails" })
            details.remove(QLatin1String(key));
        it.value() = details;
    }
    return event;
}

} // namespace

QString SfnApi::notRedrivableReason(const ExecutionRecord &record)
{
    if (!isEnded(record.status) || record.status == QLatin1String("SUCCEEDED"))
        return QStringLiteral("Execution is %1 and cannot be redriven").arg(record.status);
    const std::optional<StateMachineRecord> machine = m_store->machine(record.machineArn);
    if (!machine)
        return QStringLiteral("The state machine of the execution has been deleted");
    if (machine->type == QLatin1String("EXPRESS"))
        return QStringLiteral("Executions of EXPRESS state machines cannot be redriven");
    if (record.stopDate > 0 && SfnNames::nowSeconds() - record.stopDate > kRedriveWindowSeconds)
        return QStringLiteral("Execution can only be redriven within 14 days after it ended");
    if (record.checkpoint.isEmpty() || !Checkpoint::fromJson(record.checkpoint))
        return QStringLiteral("Execution ended before it entered a state and has nothing to redrive");
    if (m_store->lastEventId(record.seq) >= kHistoryLimit - 1)
        return QStringLiteral("Execution history has reached the limit of 24999 events");
    return {};
}

ApiAnswer SfnApi::startExecution(const QJsonObject &request)
{
    QString machineArn = request.value(QStringLiteral("stateMachineArn")).toString();
    QString testCase;
    if (const qsizetype hash = machineArn.indexOf(QLatin1Char('#')); hash >= 0) {
        testCase = machineArn.mid(hash + 1);
        machineArn.truncate(hash);
    }
    StateMachineRecord machine;
    ApiAnswer error;
    if (!findMachine(machineArn, &machine, &error))
        return error;
    if (request.contains(QStringLiteral("stateMachineArn"))
        && request.value(QStringLiteral("stateMachineArn")).toString().endsWith(QLatin1Char('#')))
        return ApiAnswer::failure(QStringLiteral("InvalidName"), QStringLiteral("Invalid mock test case name ''"));
    if (!testCase.isEmpty() && !(m_context.hasTestCase && m_context.hasTestCase(machine.name, testCase)))
        return ApiAnswer::failure(QStringLiteral("InvalidName"),
            QStringLiteral("Invalid mock test case name '%1': the mock config has no such test case for state "
                           "machine '%2'")
                .arg(testCase, machine.name));

    QString name = request.value(QStringLiteral("name")).toString();
    if (request.contains(QStringLiteral("name")) && !SfnNames::isValidName(name))
        return ApiAnswer::failure(QStringLiteral("InvalidName"), QStringLiteral("Invalid Name: '%1'").arg(name));
    if (name.isEmpty())
        name = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QString input = request.value(QStringLiteral("input")).toString();
    if (!request.contains(QStringLiteral("input")) || request.value(QStringLiteral("input")).isNull())
        input = QStringLiteral("{}");
    if (input.toUtf8().size() > 262144)
        return validation(QStringLiteral("1 validation error detected: Value at 'input' failed to satisfy "
                                         "constraint: Member must have length less than or equal to 262144"));
    const std::optional<QJsonValue> parsed = SfnNames::parseJsonValue(input);
    if (!parsed)
        return ApiAnswer::failure(QStringLiteral("InvalidExecutionInput"),
            QStringLiteral("Invalid State Machine Execution Input: the input is not JSON"));

    const QString arn = SfnNames::executionArn(m_context.region, m_context.account, machine.name, name);
    if (const auto existing = m_store->execution(arn)) {
        // STANDARD: starting a running execution again with the same input is idempotent.
        if (existing->status == QLatin1String("RUNNING") && existing->input == input && existing->testCase == testCase)
            return ApiAnswer::success({ { QStringLiteral("executionArn"), existing->arn },
                { QStringLiteral("startDate"), existing->startDate } });
        return ApiAnswer::failure(
            QStringLiteral("ExecutionAlreadyExists"), QStringLiteral("Execution Already Exists: '%1'").arg(arn));
    }

    ExecutionRecord record;
    record.arn = arn;
    record.machineArn = machine.arn;
    record.machineName = machine.name;
    record.name = name;
    record.status = QStringLiteral("RUNNING");
    record.input = input;
    record.testCase = testCase;
    record.definition = machine.definition;
    record.roleArn = machine.roleArn;
    record.revisionId = machine.revisionId;
    record.startDate = SfnNames::nowSeconds();
    if (const Core::Error failure = m_store->insertExecution(record); !failure.isNull())
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), failure.message, 500);
    QString why;
    if (!m_registry->launch(record, std::nullopt, false, &why))
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), why, 500);
    return ApiAnswer::success(
        { { QStringLiteral("executionArn"), arn }, { QStringLiteral("startDate"), record.startDate } });
}

ApiAnswer SfnApi::stopExecution(const QJsonObject &request)
{
    ExecutionRecord record;
    ApiAnswer error;
    if (!findExecution(request.value(QStringLiteral("executionArn")).toString(), &record, &error))
        return error;
    const QString stopError = request.value(QStringLiteral("error")).toString();
    const QString cause = request.value(QStringLiteral("cause")).toString();
    if (stopError.size() > 256 || cause.size() > 32768)
        return validation(QStringLiteral("1 validation error detected: 'error' must be at most 256 and 'cause' at "
                                         "most 32768 characters long"));
    if (isEnded(record.status))
        return ApiAnswer::success({ { QStringLiteral("stopDate"), record.stopDate } });
    if (!m_registry->stop(record.arn, stopError, cause)) {
        // Stored as running but not running here (it could not be resumed): end it.
        record.status = QStringLiteral("ABORTED");
        record.error = stopError;
        record.cause = cause;
        record.stopDate = SfnNames::nowSeconds();
        m_store->updateExecution(record);
        return ApiAnswer::success({ { QStringLiteral("stopDate"), record.stopDate } });
    }
    const std::optional<ExecutionRecord> after = m_store->execution(record.arn);
    const double stopDate = after && after->stopDate > 0 ? after->stopDate : SfnNames::nowSeconds();
    return ApiAnswer::success({ { QStringLiteral("stopDate"), stopDate } });
}

ApiAnswer SfnApi::describeExecution(const QJsonObject &request)
{
    ExecutionRecord record;
    ApiAnswer error;
    if (!findExecution(request.value(QStringLiteral("executionArn")).toString(), &record, &error))
        return error;
    const bool withData = request.value(QStringLiteral("includedData")).toString(QStringLiteral("ALL_DATA"))
        != QLatin1String("METADATA_ONLY");
    QJsonObject body { { QStringLiteral("executionArn"), record.arn },
        { QStringLiteral("stateMachineArn"), record.machineArn }, { QStringLiteral("name"), record.name },
        { QStringLiteral("status"), record.status }, { QStringLiteral("startDate"), record.startDate },
        { QStringLiteral("redriveCount"), record.redriveCount } };
    if (record.stopDate > 0 && isEnded(record.status))
        body.insert(QStringLiteral("stopDate"), record.stopDate);
    if (withData) {
        body.insert(QStringLiteral("input"), record.input);
        body.insert(QStringLiteral("inputDetails"), QJsonObject { { QStringLiteral("included"), true } });
        if (record.status == QLatin1String("SUCCEEDED")) {
            body.insert(QStringLiteral("output"), record.output);
            body.insert(QStringLiteral("outputDetails"), QJsonObject { { QStringLiteral("included"), true } });
        }
    }
    if (!record.error.isEmpty())
        body.insert(QStringLiteral("error"), record.error);
    if (!record.cause.isEmpty())
        body.insert(QStringLiteral("cause"), record.cause);
    if (record.redriveDate > 0)
        body.insert(QStringLiteral("redriveDate"), record.redriveDate);
    const QString reason = notRedrivableReason(record);
    body.insert(QStringLiteral("redriveStatus"),
        reason.isEmpty() ? QStringLiteral("REDRIVABLE") : QStringLiteral("NOT_REDRIVABLE"));
    if (!reason.isEmpty())
        body.insert(QStringLiteral("redriveStatusReason"), reason);
    return ApiAnswer::success(body);
}

ApiAnswer SfnApi::listExecutions(const QJsonObject &request)
{
    if (request.contains(QStringLiteral("mapRunArn")))
        return ApiAnswer::failure(QStringLiteral("ResourceNotFound"),
            QStringLiteral("Resource not found: '%1'").arg(request.value(QStringLiteral("mapRunArn")).toString()));
    StateMachineRecord machine;
    ApiAnswer error;
    if (!findMachine(request.value(QStringLiteral("stateMachineArn")).toString(), &machine, &error))
        return error;
    const QString status = request.value(QStringLiteral("statusFilter")).toString();
    static const QStringList statuses { QStringLiteral("RUNNING"), QStringLiteral("SUCCEEDED"),
        QStringLiteral("FAILED"), QStringLiteral("TIMED_OUT"), QStringLiteral("ABORTED"),
        QStringLiteral("PENDING_REDRIVE") };
    if (!status.isEmpty() && !statuses.contains(status))
        return validation(QStringLiteral("1 validation error detected: Value '%1' at 'statusFilter' failed to satisfy "
                                         "constraint: Member must satisfy enum value set: [%2]")
                              .arg(status, statuses.join(QStringLiteral(", "))));
    if (status == QLatin1String("PENDING_REDRIVE"))
        return validation(QStringLiteral("The PENDING_REDRIVE status filter can only be used with a mapRunArn"));
    const QString redrive = request.value(QStringLiteral("redriveFilter")).toString();
    if (!redrive.isEmpty() && redrive != QLatin1String("REDRIVEN") && redrive != QLatin1String("NOT_REDRIVEN"))
        return validation(QStringLiteral("1 validation error detected: Value '%1' at 'redriveFilter' failed to "
                                         "satisfy constraint: Member must satisfy enum value set: [REDRIVEN, "
                                         "NOT_REDRIVEN]")
                              .arg(redrive));
    int limit = 0;
    if (!pageSize(request, &limit, &error))
        return error;
    const QString scope = machine.arn + QLatin1Char('|') + status + QLatin1Char('|') + redrive;
    qint64 before = 0;
    const QString token = request.value(QStringLiteral("nextToken")).toString();
    if (!token.isEmpty()) {
        const auto position = PageToken::read(token, QStringLiteral("ListExecutions"), scope);
        if (!position || *position <= 0)
            return invalidToken(token);
        before = *position;
    }
    const int redriveFilter = redrive.isEmpty() ? 0 : (redrive == QLatin1String("REDRIVEN") ? 1 : -1);
    const QList<ExecutionRecord> records = m_store->executions(machine.arn, status, redriveFilter, before, limit + 1);
    QJsonArray items;
    for (int i = 0; i < qMin(limit, int(records.size())); ++i) {
        const ExecutionRecord &r = records.at(i);
        QJsonObject item { { QStringLiteral("executionArn"), r.arn },
            { QStringLiteral("stateMachineArn"), r.machineArn }, { QStringLiteral("name"), r.name },
            { QStringLiteral("status"), r.status }, { QStringLiteral("startDate"), r.startDate },
            { QStringLiteral("redriveCount"), r.redriveCount } };
        if (r.stopDate > 0 && isEnded(r.status))
            item.insert(QStringLiteral("stopDate"), r.stopDate);
        if (r.redriveDate > 0)
            item.insert(QStringLiteral("redriveDate"), r.redriveDate);
        items.append(item);
    }
    QJsonObject body { { QStringLiteral("executions"), items } };
    if (records.size() > limit)
        body.insert(QStringLiteral("nextToken"),
            PageToken::make(QStringLiteral("ListExecutions"), scope, records.at(limit - 1).seq));
    return ApiAnswer::success(body);
}

ApiAnswer SfnApi::getExecutionHistory(const QJsonObject &request)
{
    ExecutionRecord record;
    ApiAnswer error;
    if (!findExecution(request.value(QStringLiteral("executionArn")).toString(), &record, &error))
        return error;
    int limit = 0;
    if (!pageSize(request, &limit, &error))
        return error;
    const bool reverse = request.value(QStringLiteral("reverseOrder")).toBool(false);
    const bool withData = request.value(QStringLiteral("includeExecutionData")).toBool(true);
    const QString scope = record.arn + (reverse ? QStringLiteral("|reverse") : QStringLiteral("|forward"));
    qint64 from = reverse ? std::numeric_limits<qint64>::max() : 0;
    const QString token = request.value(QStringLiteral("nextToken")).toString();
    if (!token.isEmpty()) {
        const auto position = PageToken::read(token, QStringLiteral("GetExecutionHistory"), scope);
        if (!position)
            return invalidToken(token);
        from = *position;
    }
    const QList<QJsonObject> events = m_store->events(record.seq, from, reverse, limit + 1);
    QJsonArray items;
    for (int i = 0; i < qMin(limit, int(events.size())); ++i)
        items.append(withData ? events.at(i) : withoutData(events.at(i)));
    QJsonObject body { { QStringLiteral("events"), items } };
    if (events.size() > limit) {
        const qint64 last = events.at(limit - 1).value(QStringLiteral("id")).toInteger();
        body.insert(QStringLiteral("nextToken"), PageToken::make(QStringLiteral("GetExecutionHistory"), scope, last));
    }
    return ApiAnswer::success(body);
}

ApiAnswer SfnApi::redriveExecution(const QJsonObject &request)
{
    ExecutionRecord record;
    ApiAnswer error;
    if (!findExecution(request.value(QStringLiteral("executionArn")).toString(), &record, &error))
        return error;
    const QString reason = notRedrivableReason(record);
    if (!reason.isEmpty())
        return ApiAnswer::failure(QStringLiteral("ExecutionNotRedrivable"),
            QStringLiteral("Execution is not redrivable: '%1': %2").arg(record.arn, reason));
    std::optional<Checkpoint> checkpoint = Checkpoint::fromJson(record.checkpoint);
    record.status = QStringLiteral("RUNNING");
    record.output.clear();
    record.error.clear();
    record.cause.clear();
    record.stopDate = 0;
    record.redriveCount += 1;
    record.redriveDate = SfnNames::nowSeconds();
    if (const Core::Error failure = m_store->updateExecution(record); !failure.isNull())
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), failure.message, 500);
    QString why;
    if (!m_registry->launch(record, checkpoint, true, &why))
        return ApiAnswer::failure(QStringLiteral("InternalFailure"), why, 500);
    return ApiAnswer::success({ { QStringLiteral("redriveDate"), record.redriveDate } });
}

} // namespace Bramble::LocalRuntime
