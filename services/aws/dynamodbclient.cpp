#include "aws/dynamodbclient.h"

#include "aws/attributevalue.h"
#include "aws/awspager.h"
#include "aws/awstransport.h"

namespace Bramble::Aws {

AwsCall *DynamoDbClient::getItem(const QString &tableName, const QJsonObject &key, bool consistentRead)
{
    return m_transport->callJson(ServiceInfo::dynamoDb(), QStringLiteral("GetItem"),
        { { QStringLiteral("TableName"), tableName }, { QStringLiteral("Key"), AttributeValue::itemFromJson(key) },
            { QStringLiteral("ConsistentRead"), consistentRead } });
}

QJsonObject DynamoDbClient::input(const DynamoDbQuery &q) const
{
    QJsonObject in { { QStringLiteral("TableName"), q.tableName } };
    if (!q.indexName.isEmpty())
        in.insert(QStringLiteral("IndexName"), q.indexName);
    if (!q.keyConditionExpression.isEmpty())
        in.insert(QStringLiteral("KeyConditionExpression"), q.keyConditionExpression);
    if (!q.filterExpression.isEmpty())
        in.insert(QStringLiteral("FilterExpression"), q.filterExpression);
    if (!q.expressionAttributeNames.isEmpty())
        in.insert(QStringLiteral("ExpressionAttributeNames"), q.expressionAttributeNames);
    if (!q.expressionAttributeValues.isEmpty())
        in.insert(
            QStringLiteral("ExpressionAttributeValues"), AttributeValue::itemFromJson(q.expressionAttributeValues));
    if (q.consistentRead)
        in.insert(QStringLiteral("ConsistentRead"), true);
    if (q.limit > 0)
        in.insert(QStringLiteral("Limit"), q.limit);
    return in;
}

AwsPager *DynamoDbClient::query(const DynamoDbQuery &q)
{
    return startPager(m_transport, ServiceInfo::dynamoDb(),
        { QStringLiteral("Query"), input(q), QStringLiteral("Items"), QStringLiteral("ExclusiveStartKey"),
            QStringLiteral("LastEvaluatedKey"), q.maxItems });
}

AwsPager *DynamoDbClient::scan(const DynamoDbQuery &q)
{
    return startPager(m_transport, ServiceInfo::dynamoDb(),
        { QStringLiteral("Scan"), input(q), QStringLiteral("Items"), QStringLiteral("ExclusiveStartKey"),
            QStringLiteral("LastEvaluatedKey"), q.maxItems });
}

} // namespace Bramble::Aws
