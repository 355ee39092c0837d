#pragma once

#include <QJsonObject>
#include <QString>

namespace Bramble::Aws {

class AwsCall;
class AwsPager;
class AwsTransport;

// A Query or Scan. Values are plain JSON (see attributevalue.h); the client
// converts them to AttributeValues.
struct DynamoDbQuery {
    QString tableName;
    QString indexName; // optional
    QString keyConditionExpression; // Query only
    QString filterExpression; // optional
    QJsonObject expressionAttributeNames; // "#k": "name"
    QJsonObject expressionAttributeValues; // ":v": plain JSON value
    bool consistentRead = false;
    int limit = 0; // page size; 0: the service default
    int maxItems = 0; // stop after this many items; 0: all
};

// DynamoDB (JSON 1.0). Items in answers stay typed (AttributeValues);
// AttributeValue::itemToJson makes them plain.
class DynamoDbClient {
public:
    explicit DynamoDbClient(AwsTransport *transport)
        : m_transport(transport)
    {
    }

    // key: plain JSON, e.g. {"TransactionId": "2"}.
    AwsCall *getItem(const QString &tableName, const QJsonObject &key, bool consistentRead = false);
    // Pages follow LastEvaluatedKey; items under "Items".
    AwsPager *query(const DynamoDbQuery &query);
    AwsPager *scan(const DynamoDbQuery &scan);

private:
    QJsonObject input(const DynamoDbQuery &q) const;
    AwsTransport *m_transport;
};

} // namespace Bramble::Aws
