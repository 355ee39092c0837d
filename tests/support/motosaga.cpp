#include "support/motosaga.h"

#include "support/motoserver.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>

namespace Bramble::Test {

QString MotoSaga::machineArn(const QString &region)
{
    return QStringLiteral("arn:aws:states:%1:123456789012:stateMachine:%2").arg(region, machineName());
}

QString MotoSaga::input(const QString &transactionId, bool simulateFail)
{
    const QJsonObject details { { QStringLiteral("TransactionId"), transactionId },
        { QStringLiteral("simulateFail"), simulateFail } };
    const QJsonObject payload { { QStringLiteral("TransactionDetails"), details } };
    return QString::fromUtf8(
        QJsonDocument(QJsonObject { { QStringLiteral("Payload"), payload } }).toJson(QJsonDocument::Compact));
}

QByteArray MotoSaga::definition()
{
    QFile f(sourceDir() + QStringLiteral("/resources/sagas/seed-saga.moto.asl.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Aws::AwsResponse MotoSaga::call(
    const QString &region, const Aws::ServiceInfo &service, const QString &operation, const QJsonObject &input)
{
    Aws::AwsTransport transport(&m_network, &m_credentials, region);
    transport.setEndpoint(service, m_moto.endpoint());
    Aws::AwsCall *c = transport.callJson(service, operation, input);
    Aws::AwsResponse response;
    response.error = Core::Error(Core::Error::Kind::Network, QStringLiteral("test: no answer within 10 s"));
    QObject::connect(c, &Aws::AwsCall::finished, c, [&response, c] { response = c->response(); });
    QSignalSpy spy(c, &Aws::AwsCall::finished);
    spy.wait(10000);
    return response;
}

bool MotoSaga::deploy(const QString &region, const QByteArray &definition, QString *error)
{
    const Aws::AwsResponse t = call(region, Aws::ServiceInfo::dynamoDb(), QStringLiteral("CreateTable"),
        { { QStringLiteral("TableName"), table() },
            { QStringLiteral("AttributeDefinitions"),
                QJsonArray { QJsonObject { { QStringLiteral("AttributeName"), QStringLiteral("TransactionId") },
                    { QStringLiteral("AttributeType"), QStringLiteral("S") } } } },
            { QStringLiteral("KeySchema"),
                QJsonArray { QJsonObject { { QStringLiteral("AttributeName"), QStringLiteral("TransactionId") },
                    { QStringLiteral("KeyType"), QStringLiteral("HASH") } } } },
            { QStringLiteral("BillingMode"), QStringLiteral("PAY_PER_REQUEST") } });
    if (!t.ok()) {
        *error = t.error.toString();
        return false;
    }
    const Aws::AwsResponse m = call(region, Aws::ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"),
        { { QStringLiteral("name"), machineName() }, { QStringLiteral("definition"), QString::fromUtf8(definition) },
            { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::123456789012:role/saga") } });
    if (!m.ok()) {
        *error = m.error.toString();
        return false;
    }
    return true;
}

QJsonObject MotoSaga::item(const QString &region, const QString &transactionId)
{
    const Aws::AwsResponse r = call(region, Aws::ServiceInfo::dynamoDb(), QStringLiteral("GetItem"),
        { { QStringLiteral("TableName"), table() }, { QStringLiteral("ConsistentRead"), true },
            { QStringLiteral("Key"),
                QJsonObject {
                    { QStringLiteral("TransactionId"), QJsonObject { { QStringLiteral("S"), transactionId } } } } } });
    if (!r.ok())
        qWarning("GetItem: %s", qPrintable(r.error.toString()));
    return r.json.value(QStringLiteral("Item")).toObject();
}

} // namespace Bramble::Test
