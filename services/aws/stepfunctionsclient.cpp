#include "aws/stepfunctionsclient.h"

#include "aws/awspager.h"
#include "aws/awstransport.h"

#include <QTimeZone>
#include <QUuid>

namespace Bramble::Aws {

namespace {

const ServiceInfo &sfn()
{
    return ServiceInfo::stepFunctions();
}

} // namespace

QDateTime awsTimestamp(const QJsonValue &value)
{
    if (value.isDouble())
        return QDateTime::fromMSecsSinceEpoch(qRound64(value.toDouble() * 1000.0), Qt::UTC);
    if (value.isString())
        return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return {};
}

StateMachineSummary StateMachineSummary::fromJson(const QJsonObject &json)
{
    return { json.value(QStringLiteral("name")).toString(), json.value(QStringLiteral("stateMachineArn")).toString(),
        json.value(QStringLiteral("type")).toString(), awsTimestamp(json.value(QStringLiteral("creationDate"))) };
}

AwsPager *StepFunctionsClient::listStateMachines(int maxItems)
{
    return startPager(m_transport, sfn(),
        { QStringLiteral("ListStateMachines"), {}, QStringLiteral("stateMachines"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), maxItems });
}

AwsCall *StepFunctionsClient::describeStateMachine(const QString &stateMachineArn)
{
    return m_transport->callJson(
        sfn(), QStringLiteral("DescribeStateMachine"), { { QStringLiteral("stateMachineArn"), stateMachineArn } });
}

AwsCall *StepFunctionsClient::describeStateMachineForExecution(const QString &executionArn)
{
    return m_transport->callJson(sfn(), QStringLiteral("DescribeStateMachineForExecution"),
        { { QStringLiteral("executionArn"), executionArn } });
}

AwsPager *StepFunctionsClient::listExecutions(const QString &stateMachineArn, const QString &statusFilter, int maxItems)
{
    QJsonObject input { { QStringLiteral("stateMachineArn"), stateMachineArn } };
    if (!statusFilter.isEmpty())
        input.insert(QStringLiteral("statusFilter"), statusFilter);
    return startPager(m_transport, sfn(),
        { QStringLiteral("ListExecutions"), input, QStringLiteral("executions"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), maxItems });
}

AwsCall *StepFunctionsClient::describeExecution(const QString &executionArn)
{
    return m_transport->callJson(
        sfn(), QStringLiteral("DescribeExecution"), { { QStringLiteral("executionArn"), executionArn } });
}

AwsPager *StepFunctionsClient::getExecutionHistory(const QString &executionArn, const ExecutionHistoryOptions &options)
{
    QJsonObject input { { QStringLiteral("executionArn"), executionArn },
        { QStringLiteral("reverseOrder"), options.reverseOrder },
        { QStringLiteral("includeExecutionData"), options.includeExecutionData } };
    if (options.maxResults > 0)
        input.insert(QStringLiteral("maxResults"), qBound(1, options.maxResults, 1000));
    return startPager(m_transport, sfn(),
        { QStringLiteral("GetExecutionHistory"), input, QStringLiteral("events"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), options.maxItems });
}

AwsCall *StepFunctionsClient::startExecution(const QString &stateMachineArn, const QString &name, const QString &input)
{
    QJsonObject body { { QStringLiteral("stateMachineArn"), stateMachineArn },
        { QStringLiteral("input"), input.trimmed().isEmpty() ? QStringLiteral("{}") : input } };
    // moto names an execution started without a name "None"; give it the
    // kind of name the service would.
    body.insert(QStringLiteral("name"), name.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : name);
    return m_transport->callJson(sfn(), QStringLiteral("StartExecution"), body);
}

AwsCall *StepFunctionsClient::stopExecution(const QString &executionArn, const QString &error, const QString &cause)
{
    QJsonObject body { { QStringLiteral("executionArn"), executionArn } };
    if (!error.isEmpty())
        body.insert(QStringLiteral("error"), error);
    if (!cause.isEmpty())
        body.insert(QStringLiteral("cause"), cause);
    return m_transport->callJson(sfn(), QStringLiteral("StopExecution"), body);
}

AwsCall *StepFunctionsClient::redriveExecution(const QString &executionArn)
{
    return m_transport->callJson(sfn(), QStringLiteral("RedriveExecution"),
        { { QStringLiteral("executionArn"), executionArn },
            { QStringLiteral("clientToken"), QUuid::createUuid().toString(QUuid::WithoutBraces) } });
}

} // namespace Bramble::Aws
