#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Bramble::Aws {

class AwsPager;
class AwsTransport;

struct LogGroupSummary {
    QString logGroupName;
    QString arn;
    QDateTime creationTime;
    int retentionInDays = 0; // 0: never expire
    qint64 storedBytes = 0;

    static LogGroupSummary fromJson(const QJsonObject &json);
};

struct LogFilter {
    QStringList logGroupNames; // FilterLogEvents takes one group: the first is used
    QStringList logStreamNames; // optional
    QString pattern; // CloudWatch filter pattern, optional
    QDateTime start; // optional
    QDateTime end; // optional
    int limit = 0; // page size; 0: the service default
    int maxItems = 0; // stop after this many events; 0: all
};

// CloudWatch Logs (JSON 1.1). Every listing returns an AwsPager at once.
class CloudWatchLogsClient {
public:
    explicit CloudWatchLogsClient(AwsTransport *transport)
        : m_transport(transport)
    {
    }

    AwsPager *describeLogGroups(const QString &prefix = {}, int maxItems = 0);
    // orderBy LastEventTime sorts newest first (descending); prefix needs LogStreamName order.
    AwsPager *describeLogStreams(
        const QString &logGroupName, const QString &prefix = {}, bool newestFirst = false, int maxItems = 0);
    AwsPager *filterLogEvents(const LogFilter &filter);
    // Follows nextForwardToken (or nextBackwardToken when !startFromHead) until it repeats.
    AwsPager *getLogEvents(const QString &logGroupName, const QString &logStreamName, bool startFromHead = true,
        const QDateTime &start = {}, const QDateTime &end = {}, int maxItems = 0);

private:
    AwsTransport *m_transport;
};

} // namespace Bramble::Aws
