#pragma once

#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

namespace Bramble::Test {

class MotoServer;

// The seed saga deployed on a MotoServer: one blocking call at a time, for
// setting a test up and reading DynamoDB back. moto 5.2.1 runs one execution
// per region (see tests/app/tst_bramblectl_sagas_moto.cpp), so tests give
// each execution a region of its own.
class MotoSaga {
public:
    static QString machineName() { return QStringLiteral("seed-saga"); }
    static QString table() { return QStringLiteral("SagaTransactions"); }
    static QString machineArn(const QString &region);
    // {"Payload": {"TransactionDetails": {"TransactionId": id, "simulateFail": fail}}}, compact.
    static QString input(const QString &transactionId, bool simulateFail);
    // resources/sagas/seed-saga.moto.asl.json.
    static QByteArray definition();

    explicit MotoSaga(const MotoServer &moto)
        : m_moto(moto)
    {
    }

    // One call; the response (a Timeout error when moto did not answer in 10 s).
    Aws::AwsResponse call(
        const QString &region, const Aws::ServiceInfo &service, const QString &operation, const QJsonObject &input);
    // The table and the state machine (from `definition`) in `region`; false
    // with `error` set when either call failed.
    bool deploy(const QString &region, const QByteArray &definition, QString *error);
    // The transaction's item, typed as DynamoDB returns it ({} when none).
    QJsonObject item(const QString &region, const QString &transactionId);

private:
    const MotoServer &m_moto;
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        QStringLiteral("testing"), QStringLiteral("testing"), {}, {}, QStringLiteral("test") } };
};

} // namespace Bramble::Test
