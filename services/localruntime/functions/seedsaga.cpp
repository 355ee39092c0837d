#include "functions/seedsaga.h"

#include "dynamodb/tablestore.h"
#include "functions/lambdaresource.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Bramble::LocalRuntime {

namespace {

using Json = QJsonObject;

const QString SagaTable = QStringLiteral("SagaTransactions");
const QString KeyAttribute = QStringLiteral("TransactionId");

const QStringList &forwardSteps()
{
    static const QStringList steps { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords"),
        QStringLiteral("CommitRecords") };
    return steps;
}

QString stepOf(const QString &functionName)
{
    return functionName.startsWith(u"saga-") ? functionName.mid(5) : functionName;
}

// The simulator's rule: a fault names a state, or that state with "Task".
bool names(const QString &step, const QString &target)
{
    return !target.isEmpty() && (step == target || step == target + u"Task");
}

struct Transaction {
    QJsonValue payload; // what the step hands on
    QJsonObject details; // Payload.TransactionDetails
    QString id;
    QString problem; // why there is none
};

Transaction transactionOf(const QJsonValue &event)
{
    Transaction t;
    QJsonValue e = event;
    if (e.isArray()) // a Parallel's output: the branches' results
        e = e.toArray().at(0);
    QJsonValue payload = e.toObject().value(u"Payload");
    if (payload.isString()) { // the seed's Lambdas return JSON.stringify(...)
        const std::optional<QJsonValue> parsed = parseJsonValue(payload.toString().toUtf8());
        if (parsed)
            payload = *parsed;
    }
    t.payload = payload;
    t.details = payload.toObject().value(u"TransactionDetails").toObject();
    const QJsonValue id = t.details.value(u"TransactionId");
    if (id.isString() && !id.toString().isEmpty())
        t.id = id.toString();
    else if (id.isDouble())
        t.id = QString::number(id.toDouble(), 'g', 17);
    else
        t.problem = payload.isUndefined()
            ? QStringLiteral("the event has no Payload")
            : QStringLiteral("the event has no Payload.TransactionDetails.TransactionId (a string)");
    return t;
}

Json stringValue(const QString &text)
{
    return Json { { QStringLiteral("S"), text } };
}

} // namespace

QStringList seedSagaFunctions()
{
    QStringList names;
    for (const QString &step : forwardSteps())
        names << QStringLiteral("saga-") + step;
    for (auto it = forwardSteps().crbegin(); it != forwardSteps().crend(); ++it)
        names << QStringLiteral("saga-%1Rollback").arg(*it);
    return names;
}

bool isSeedSagaFunction(const QString &functionName)
{
    QString step = stepOf(functionName);
    if (step.endsWith(u"Rollback"))
        step.chop(8);
    return forwardSteps().contains(step);
}

Core::Error ensureSeedSagaTable(TableStore &tables)
{
    const DynamoAnswer described
        = tables.call(QStringLiteral("DescribeTable"), Json { { QStringLiteral("TableName"), SagaTable } });
    if (described.ok())
        return {};
    if (described.errorType != QLatin1String("ResourceNotFoundException"))
        return Core::Error(Core::Error::Kind::Server,
            QStringLiteral("cannot read table %1: %2: %3").arg(SagaTable, described.errorType, described.message));
    const Json create {
        { QStringLiteral("TableName"), SagaTable },
        { QStringLiteral("AttributeDefinitions"),
            QJsonArray { Json { { QStringLiteral("AttributeName"), KeyAttribute },
                { QStringLiteral("AttributeType"), QStringLiteral("S") } } } },
        { QStringLiteral("KeySchema"),
            QJsonArray { Json { { QStringLiteral("AttributeName"), KeyAttribute },
                { QStringLiteral("KeyType"), QStringLiteral("HASH") } } } },
        { QStringLiteral("BillingMode"), QStringLiteral("PAY_PER_REQUEST") },
    };
    const DynamoAnswer created = tables.call(QStringLiteral("CreateTable"), create);
    if (!created.ok() && created.errorType != QLatin1String("ResourceInUseException"))
        return Core::Error(Core::Error::Kind::Server,
            QStringLiteral("cannot create table %1: %2: %3").arg(SagaTable, created.errorType, created.message));
    return {};
}

TaskOutcome runSeedSagaFunction(TableStore &tables, const QString &functionName, const QJsonValue &event, int attempt)
{
    if (!isSeedSagaFunction(functionName))
        return functionError(QStringLiteral("Runtime.HandlerNotFound"),
            QStringLiteral("%1 is not one of the seed saga's functions").arg(functionName));
    const QString step = stepOf(functionName);
    const bool rollback = step.endsWith(u"Rollback");
    const QString forward = rollback ? step.chopped(8) : step;

    const Transaction t = transactionOf(event);
    if (!t.problem.isEmpty())
        return functionError(QStringLiteral("TypeError"), QStringLiteral("%1: %2").arg(step, t.problem));

    const bool simulateFail = t.details.value(u"simulateFail").toBool();
    const QJsonValue failAtValue = t.details.value(u"failAt");
    const QString failAt = failAtValue.isString() ? failAtValue.toString() : QStringLiteral("CommitRecords");
    const QString failRollback = t.details.value(u"failRollback").toString();
    const int retries = t.details.value(u"retries").toInt();
    const QString simulated = QStringLiteral("%1 failed (simulated)").arg(step);
    if (rollback && names(step, failRollback))
        return functionError(QStringLiteral("SimulatedFailure"), simulated);
    if (!rollback && simulateFail && names(step, failAt)) {
        if (retries <= 0)
            return functionError(QStringLiteral("SimulatedFailure"), simulated);
        if (attempt < retries)
            return lambdaServiceError(QStringLiteral("ServiceException"), 500,
                QStringLiteral("%1: transient failure %2 of %3 (simulated)").arg(step).arg(attempt + 1).arg(retries));
    }

    const Json key { { KeyAttribute, stringValue(t.id) } };
    DynamoAnswer answer;
    if (step == u"ProcessRecordsRollback") {
        answer = tables.call(QStringLiteral("DeleteItem"),
            Json { { QStringLiteral("TableName"), SagaTable }, { QStringLiteral("Key"), key } });
    } else {
        Json request { { QStringLiteral("TableName"), SagaTable }, { QStringLiteral("Key"), key },
            { QStringLiteral("ExpressionAttributeNames"), Json { { QStringLiteral("#step"), forward } } } };
        if (rollback) {
            request.insert(QStringLiteral("UpdateExpression"), QStringLiteral("REMOVE #step"));
        } else {
            Json values { { QStringLiteral(":sample"), stringValue(QStringLiteral("Sample %1 data").arg(step)) } };
            QString expression = QStringLiteral("SET #step = :sample");
            if (step == u"ProcessRecords") {
                expression += QStringLiteral(", SimulateFail = :simulateFail");
                values.insert(QStringLiteral(":simulateFail"), Json { { QStringLiteral("BOOL"), simulateFail } });
            }
            request.insert(QStringLiteral("UpdateExpression"), expression);
            request.insert(QStringLiteral("ExpressionAttributeValues"), values);
        }
        answer = tables.call(QStringLiteral("UpdateItem"), request);
    }
    if (!answer.ok())
        return functionError(answer.errorType, answer.message);
    return TaskOutcome::success(t.payload);
}

} // namespace Bramble::LocalRuntime
