// bramblectl local run with Lambda steps bound to OpenFaaS: the functions
// are reached through the kube fake's service proxy (the kubeconfig of
// --kubeconfig, kubectl's rules) on the fake OpenFaaS gateway.

#include "fakes/fakekubefixture.h"
#include "fakes/fakeopenfaasgateway.h"
#include "support/clirun.h"
#include "support/testpaths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Bramble;
using Test::FakeKubeApiServer;
using Test::FakeOpenFaasGateway;

namespace {

QString seedSaga()
{
    return Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.asl.json");
}

const QString seedInput
    = QStringLiteral(R"({"Payload":{"TransactionDetails":{"TransactionId":"7","simulateFail":true}}})");

} // namespace

class TestBramblectlLocalOpenFaas : public QObject {
    Q_OBJECT

private:
    Test::FakeKubeFixture m_fixture;
    std::unique_ptr<FakeOpenFaasGateway> m_gateway;

    QString functionsFile()
    {
        QByteArray yaml = "functions:\n";
        for (const char *step : { "ProcessRecords", "TransformRecords", "CommitRecords" })
            yaml += QByteArray("  saga-") + step + ": {openfaas: {name: echo, namespace: openfaas-fn}}\n";
        return Test::writeFile(m_fixture.filePath(QStringLiteral("functions.yaml")), yaml);
    }
    QStringList localRun()
    {
        return { QStringLiteral("local"), QStringLiteral("run"), seedSaga(), QStringLiteral("--input"), seedInput,
            QStringLiteral("--time-scale"), QStringLiteral("0"), QStringLiteral("--json"),
            QStringLiteral("--functions"), functionsFile() };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.generatePki(&error), qPrintable(error));
    }
    void init()
    {
        QString error;
        FakeKubeApiServer *kube = m_fixture.start(&error);
        QVERIFY2(kube, qPrintable(error));
        m_gateway = std::make_unique<FakeOpenFaasGateway>();
        QVERIFY(m_gateway->listen());
        // Each step echoes its event with a mark: nothing fails, so the saga
        // commits (the builtin seed handlers would roll back: simulateFail).
        m_gateway->addFunction(QStringLiteral("echo"), QStringLiteral("openfaas-fn"), [](const Test::HttpRequest &r) {
            QJsonObject event = QJsonDocument::fromJson(r.body).object();
            event.insert(QStringLiteral("viaOpenFaas"), true);
            return FakeOpenFaasGateway::Answer { 200, QJsonDocument(event).toJson(QJsonDocument::Compact),
                "application/json", 0 };
        });
        kube->setServiceUpstream(
            QStringLiteral("openfaas"), QStringLiteral("gateway"), QStringLiteral("8080"), QUrl(m_gateway->url()));
        kube->putObject(QStringLiteral("secrets"),
            FakeKubeApiServer::makeSecret(QStringLiteral("openfaas"), QStringLiteral("basic-auth"),
                { { QStringLiteral("basic-auth-password"), QByteArrayLiteral("pw") } }));
    }
    void cleanup()
    {
        m_fixture.stop();
        m_gateway.reset();
    }

    void runInvokesOpenFaasThroughTheCluster()
    {
        const Test::CliRun r = m_fixture.runBramblectl(localRun());
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.object()[u"outcome"].toString(), QStringLiteral("COMMITTED"));
        QCOMPARE(m_gateway->invocations(QStringLiteral("echo"), QStringLiteral("openfaas-fn")), 3);
        QCOMPARE(m_fixture.server()->requestCount(FakeKubeApiServer::Proxy), 3);
    }

    void runWithoutAContextSaysWhy()
    {
        const Test::CliRun r = m_fixture.runBramblectl(localRun(), false);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("functions bound to OpenFaaS are reached through the cluster's API server"),
            r.err.constData());
        QCOMPARE(m_gateway->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBramblectlLocalOpenFaas)
#include "tst_bramblectl_localopenfaas.moc"
