#include "aws/cloudwatchlogsclient.h"

#include "aws/awspager.h"
#include "aws/awstransport.h"

#include <QJsonArray>
#include <QTimeZone>

namespace Bramble::Aws {

namespace {

const ServiceInfo &logs()
{
    return ServiceInfo::cloudWatchLogs();
}

// CloudWatch Logs times are milliseconds since the epoch.
void insertTime(QJsonObject &input, const QString &key, const QDateTime &time)
{
    if (time.isValid())
        input.insert(key, double(time.toMSecsSinceEpoch()));
}

} // namespace

LogGroupSummary LogGroupSummary::fromJson(const QJsonObject &json)
{
    LogGroupSummary g;
    g.logGroupName = json.value(QStringLiteral("logGroupName")).toString();
    g.arn = json.value(QStringLiteral("arn")).toString();
    const QJsonValue created = json.value(QStringLiteral("creationTime"));
    if (created.isDouble())
        g.creationTime = QDateTime::fromMSecsSinceEpoch(qint64(created.toDouble()), Qt::UTC);
    g.retentionInDays = json.value(QStringLiteral("retentionInDays")).toInt();
    g.storedBytes = qint64(json.value(QStringLiteral("storedBytes")).toDouble());
    return g;
}

AwsPager *CloudWatchLogsClient::describeLogGroups(const QString &prefix, int maxItems)
{
    QJsonObject input;
    if (!prefix.isEmpty())
        input.insert(QStringLiteral("logGroupNamePrefix"), prefix);
    return startPager(m_transport, logs(),
        { QStringLiteral("DescribeLogGroups"), input, QStringLiteral("logGroups"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), maxItems });
}

AwsPager *CloudWatchLogsClient::describeLogStreams(
    const QString &logGroupName, const QString &prefix, bool newestFirst, int maxItems)
{
    QJsonObject input { { QStringLiteral("logGroupName"), logGroupName } };
    if (!prefix.isEmpty())
        input.insert(QStringLiteral("logStreamNamePrefix"), prefix);
    else if (newestFirst)
        input.insert(QStringLiteral("orderBy"), QStringLiteral("LastEventTime"));
    if (newestFirst && prefix.isEmpty())
        input.insert(QStringLiteral("descending"), true);
    return startPager(m_transport, logs(),
        { QStringLiteral("DescribeLogStreams"), input, QStringLiteral("logStreams"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), maxItems });
}

AwsPager *CloudWatchLogsClient::filterLogEvents(const LogFilter &filter)
{
    QJsonObject input { { QStringLiteral("logGroupName"), filter.logGroupNames.value(0) } };
    if (!filter.logStreamNames.isEmpty())
        input.insert(QStringLiteral("logStreamNames"), QJsonArray::fromStringList(filter.logStreamNames));
    if (!filter.pattern.isEmpty())
        input.insert(QStringLiteral("filterPattern"), filter.pattern);
    insertTime(input, QStringLiteral("startTime"), filter.start);
    insertTime(input, QStringLiteral("endTime"), filter.end);
    if (filter.limit > 0)
        input.insert(QStringLiteral("limit"), qBound(1, filter.limit, 10000));
    return startPager(m_transport, logs(),
        { QStringLiteral("FilterLogEvents"), input, QStringLiteral("events"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), filter.maxItems });
}

AwsPager *CloudWatchLogsClient::getLogEvents(const QString &logGroupName, const QString &logStreamName,
    bool startFromHead, const QDateTime &start, const QDateTime &end, int maxItems)
{
    QJsonObject input { { QStringLiteral("logGroupName"), logGroupName },
        { QStringLiteral("logStreamName"), logStreamName }, { QStringLiteral("startFromHead"), startFromHead } };
    insertTime(input, QStringLiteral("startTime"), start);
    insertTime(input, QStringLiteral("endTime"), end);
    return startPager(m_transport, logs(),
        { QStringLiteral("GetLogEvents"), input, QStringLiteral("events"), QStringLiteral("nextToken"),
            startFromHead ? QStringLiteral("nextForwardToken") : QStringLiteral("nextBackwardToken"), maxItems });
}

} // namespace Bramble::Aws
