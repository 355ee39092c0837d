// The window's local runtime invokes functions bound to OpenFaaS through the
// current cluster's client (the kube fake's service proxy to the fake
// gateway), looked up at each call: after the context goes away, the same
// runtime says there is none.

#include "fakes/fakekubefixture.h"
#include "fakes/fakeopenfaasgateway.h"
#include "functions/localtaskrunner.h"
#include "runtime/localruntime.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"
#include "session/workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using Test::FakeKubeApiServer;
using Test::FakeOpenFaasGateway;

namespace {

LocalRuntime::TaskOutcome runTask(LocalRuntime::LocalTaskRunner *runner)
{
    LocalRuntime::TaskRequest r;
    r.executionArn = QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:Saga:run-1");
    r.stateMachineArn = QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:Saga");
    r.stateMachineName = QStringLiteral("Saga");
    r.stateName = QStringLiteral("Commit");
    r.resource = QStringLiteral("arn:aws:states:::lambda:invoke");
    r.parameters = QJsonObject { { QStringLiteral("FunctionName"), QStringLiteral("CommitRecords") },
        { QStringLiteral("Payload"), QJsonObject { { QStringLiteral("orderId"), QStringLiteral("o-5") } } } };
    LocalRuntime::TaskCall *call = runner->call(r);
    call->setAutoDelete(false);
    QSignalSpy finished(call, &Core::Job::finished);
    call->start();
    LocalRuntime::TaskOutcome outcome
        = LocalRuntime::TaskOutcome::failure(QStringLiteral("test"), QStringLiteral("no answer"));
    if (finished.wait(20000) && call->ok())
        outcome = call->value();
    delete call;
    return outcome;
}

} // namespace

class TestLocalRuntimeOpenFaas : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void invokesThroughTheCurrentCluster()
    {
        Test::FakeKubeFixture fixture;
        QString error;
        QVERIFY2(fixture.generatePki(&error), qPrintable(error));
        FakeKubeApiServer *kube = fixture.start(&error);
        QVERIFY2(kube, qPrintable(error));
        FakeOpenFaasGateway gateway;
        QVERIFY(gateway.listen());
        gateway.addFunction(
            QStringLiteral("commit-records"), QStringLiteral("openfaas-fn"), [](const Test::HttpRequest &r) {
                return FakeOpenFaasGateway::Answer { 200, "{\"committed\":" + r.body + '}', "application/json", 0 };
            });
        kube->setServiceUpstream(
            QStringLiteral("openfaas"), QStringLiteral("gateway"), QStringLiteral("8080"), QUrl(gateway.url()));
        kube->putObject(QStringLiteral("secrets"),
            FakeKubeApiServer::makeSecret(QStringLiteral("openfaas"), QStringLiteral("basic-auth"),
                { { QStringLiteral("basic-auth-password"), QByteArrayLiteral("pw") } }));

        QTemporaryDir home;
        Core::Environment env(QProcessEnvironment(), home.path());
        Session::WorkspaceOptions options;
        options.kubeconfig = fixture.kubeconfigPath();
        options.localDataDirectory = home.filePath(QStringLiteral("local"));
        Session::Workspace workspace(env, options);
        QVERIFY(workspace.cluster()->client());
        const auto started = workspace.local()->ensureStarted();
        QVERIFY2(started.ok(), qPrintable(started.error().toString()));
        const auto functions = LocalRuntime::FunctionsConfig::parse(
            "functions:\n  CommitRecords: {openfaas: {name: commit-records, namespace: openfaas-fn}}\n");
        QVERIFY(functions.ok());
        QVERIFY(workspace.local()->setFunctions(functions.value()).isNull());

        LocalRuntime::LocalTaskRunner *runner = workspace.local()->runtime()->taskRunner();
        const LocalRuntime::TaskOutcome outcome = runTask(runner);
        QVERIFY2(outcome.ok, qPrintable(outcome.error + u": " + outcome.cause));
        QCOMPARE(outcome.output.toObject()[u"Payload"].toObject(),
            QJsonDocument::fromJson(R"({"committed":{"orderId":"o-5"}})").object());
        QCOMPARE(gateway.invocations(QStringLiteral("commit-records"), QStringLiteral("openfaas-fn")), 1);

        // The context goes away: the runtime keeps running, its OpenFaaS
        // steps say why they cannot run.
        workspace.catalog()->setKubeconfigOverride(home.filePath(QStringLiteral("no-such-kubeconfig")));
        QTRY_VERIFY(!workspace.cluster()->client());
        const LocalRuntime::TaskOutcome without = runTask(runner);
        QVERIFY(!without.ok);
        QCOMPARE(without.error, QStringLiteral("Lambda.SdkClientException"));
        QVERIFY2(without.cause.contains(
                     u"no Kubernetes context: OpenFaaS functions are reached through the cluster's API server"),
            qPrintable(without.cause));
        QCOMPARE(gateway.invocations(QStringLiteral("commit-records"), QStringLiteral("openfaas-fn")), 1);
    }
};

QTEST_GUILESS_MAIN(TestLocalRuntimeOpenFaas)
#include "tst_localruntimeopenfaas.moc"
