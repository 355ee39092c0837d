// OpenFaasInvokeJob and makeOpenFaasInvoker through FakeKubeApiServer's
// service proxy to FakeOpenFaasGateway (both proven with curl and kubectl in
// tests/fakes): answers, the runner's Lambda error rules on them, the
// API server's refusals, the basic-auth Secret, cancel, and one execution.

#include "asl/execution.h"
#include "fakes/fakekubeapiserver.h"
#include "fakes/fakekubeclient.h"
#include "fakes/fakeopenfaasgateway.h"
#include "fakes/testpki.h"
#include "functions/localtaskrunner.h"
#include "openfaas/openfaasinvokejob.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Bramble;
using Test::FakeKubeApiServer;
using Test::FakeOpenFaasGateway;
using Test::HttpRequest;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// A job's result once it finished (the job is kept until then).
template<typename T>
Core::Result<T> resultOf(Core::ValueJob<T> *job)
{
    job->setAutoDelete(false);
    QSignalSpy finished(job, &Core::Job::finished);
    job->start();
    if (!finished.wait(20000)) {
        delete job;
        return Core::Error(Core::Error::Kind::Network, u"no finished() within 20 s"_s);
    }
    Core::Result<T> result = job->result();
    delete job;
    return result;
}

LocalRuntime::FunctionsConfig functions()
{
    const auto parsed
        = LocalRuntime::FunctionsConfig::parse("functions:\n"
                                               "  CommitRecords: {openfaas: {name: echo, namespace: openfaas-fn}}\n"
                                               "  FailRecords: {openfaas: {name: fail, namespace: openfaas-fn}}\n"
                                               "  GoneRecords: {openfaas: {name: missing}}\n");
    if (!parsed.ok())
        qFatal("%s", qPrintable(parsed.error().toString()));
    return parsed.value();
}

LocalRuntime::TaskRequest invokeRequest(const QString &function, const QJsonObject &payload)
{
    LocalRuntime::TaskRequest r;
    r.executionArn = u"arn:aws:states:eu-west-1:123456789012:execution:Saga:run-1"_s;
    r.stateMachineArn = u"arn:aws:states:eu-west-1:123456789012:stateMachine:Saga"_s;
    r.stateMachineName = u"Saga"_s;
    r.stateName = u"Commit"_s;
    r.resource = u"arn:aws:states:::lambda:invoke"_s;
    r.parameters = QJsonObject { { u"FunctionName"_s, function }, { u"Payload"_s, payload } };
    return r;
}

} // namespace

class TestOpenFaasInvoker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void invokesThroughTheServiceProxy();
    void functionErrorFollowsLambdaRules();
    void unknownFunctionIsTheGatewaysAnswer();
    void throttledFunctionIsNotSentAgain();
    void missingSecret();
    void forbiddenSecret();
    void noGatewayService();
    void noClient();
    void cancelAbortsTheRequest();
    void executionRunsOnOpenFaas();

private:
    Core::Result<LocalRuntime::HttpAnswer> invoke(const QString &name, const QByteArray &event)
    {
        return resultOf<LocalRuntime::HttpAnswer>(
            new OpenFaas::OpenFaasInvokeJob(m_client, name, u"openfaas-fn"_s, event));
    }
    Core::Result<LocalRuntime::TaskOutcome> runTask(const QString &function, const QJsonObject &payload)
    {
        LocalRuntime::LocalTaskRunner runner(functions(), nullptr);
        runner.setOpenFaasInvoker(OpenFaas::makeOpenFaasInvoker(m_client));
        return resultOf<LocalRuntime::TaskOutcome>(runner.call(invokeRequest(function, payload)));
    }

    QTemporaryDir m_tmp;
    Test::TestPki m_pki;
    std::unique_ptr<FakeOpenFaasGateway> m_gateway;
    std::unique_ptr<FakeKubeApiServer> m_kube;
    Kube::KubeClient *m_client = nullptr;
};

void TestOpenFaasInvoker::initTestCase()
{
    QString error;
    m_pki = Test::TestPki::generate(m_tmp.filePath(u"pki"_s), &error);
    QVERIFY2(m_pki.isValid(), qPrintable(error));
}

void TestOpenFaasInvoker::init()
{
    m_gateway = std::make_unique<FakeOpenFaasGateway>();
    QVERIFY(m_gateway->listen());
    m_gateway->setCredentials(u"admin"_s, "s3cr3t-pw"_ba);
    m_gateway->addFunction(u"echo"_s, u"openfaas-fn"_s, [](const HttpRequest &r) {
        return FakeOpenFaasGateway::Answer { 200, R"({"marker":"fake-gateway","event":)" + r.body + '}',
            "application/json", 0 };
    });
    m_gateway->addFunction(u"fail"_s, u"openfaas-fn"_s, [](const HttpRequest &) {
        return FakeOpenFaasGateway::Answer { 500, R"({"errorType":"CommitFailed","errorMessage":"disk full"})",
            "application/json", 0 };
    });
    m_gateway->addFunction(u"slow"_s, u"openfaas-fn"_s, [](const HttpRequest &) {
        return FakeOpenFaasGateway::Answer { 200, "{}", {}, 30000 };
    });
    m_kube = std::make_unique<FakeKubeApiServer>(m_pki);
    QVERIFY(m_kube->listen());
    m_kube->setServiceUpstream(u"openfaas"_s, u"gateway"_s, u"8080"_s, QUrl(m_gateway->url()));
    m_kube->putObject(u"secrets"_s,
        FakeKubeApiServer::makeSecret(u"openfaas"_s, u"basic-auth"_s,
            { { u"basic-auth-user"_s, "admin"_ba }, { u"basic-auth-password"_s, "s3cr3t-pw"_ba } }));
    m_client = Test::kubeClientFor(
        m_kube->kubeconfigWithToken(FakeKubeApiServer::defaultToken()), m_tmp.filePath(u"kubeconfig"_s), nullptr);
    QVERIFY(m_client);
}

void TestOpenFaasInvoker::cleanup()
{
    delete m_client;
    m_client = nullptr;
    m_kube.reset();
    m_gateway.reset();
}

void TestOpenFaasInvoker::invokesThroughTheServiceProxy()
{
    QVERIFY(!OpenFaas::cachedCredentials(m_client));
    auto answer = invoke(u"echo"_s, R"({"orderId":"o-7"})");
    QVERIFY2(answer.ok(), qPrintable(answer.error().toString()));
    QCOMPARE(answer.value().status, 200);
    QCOMPARE(object(answer.value().body), object(R"({"marker":"fake-gateway","event":{"orderId":"o-7"}})"));

    // The gateway saw the event, not the API server's credentials.
    const HttpRequest seen = m_gateway->requests().last();
    QCOMPARE(seen.method, "POST"_ba);
    QCOMPARE(seen.target, "/function/echo.openfaas-fn"_ba);
    QCOMPARE(seen.body, R"({"orderId":"o-7"})"_ba);
    QVERIFY(seen.header("authorization").isEmpty());
    QCOMPARE(m_kube->lastRequest(FakeKubeApiServer::Proxy).path,
        u"/api/v1/namespaces/openfaas/services/gateway:8080/proxy/function/echo.openfaas-fn"_s);

    const auto credentials = OpenFaas::cachedCredentials(m_client);
    QVERIFY(credentials);
    QCOMPARE(credentials->user, u"admin"_s);
    QCOMPARE(credentials->password, "s3cr3t-pw"_ba);

    // The Secret is read once per client.
    QCOMPARE(m_kube->requestCount(FakeKubeApiServer::Get), 1);
    answer = invoke(u"echo"_s, "{}");
    QVERIFY(answer.ok());
    QCOMPARE(m_kube->requestCount(FakeKubeApiServer::Get), 1);
    QCOMPARE(m_kube->requestCount(FakeKubeApiServer::Proxy), 2);
    QCOMPARE(m_gateway->invocations(u"echo"_s, u"openfaas-fn"_s), 2);
}

void TestOpenFaasInvoker::functionErrorFollowsLambdaRules()
{
    const auto answer = invoke(u"fail"_s, "{}");
    QVERIFY(answer.ok()); // an answer: the function's own failure
    QCOMPARE(answer.value().status, 500);

    const auto outcome = runTask(u"FailRecords"_s, QJsonObject { { u"orderId"_s, u"o-8"_s } });
    QVERIFY2(outcome.ok(), qPrintable(outcome.error().toString()));
    QVERIFY(!outcome.value().ok);
    QCOMPARE(outcome.value().error, u"CommitFailed"_s);
    QCOMPARE(
        object(outcome.value().cause.toUtf8()), object(R"({"errorType":"CommitFailed","errorMessage":"disk full"})"));
    // Once: a function's 500 is never sent again behind the runner's back.
    QCOMPARE(m_gateway->invocations(u"fail"_s, u"openfaas-fn"_s), 2);

    const auto success = runTask(u"CommitRecords"_s, QJsonObject { { u"orderId"_s, u"o-9"_s } });
    QVERIFY(success.ok() && success.value().ok);
    const QJsonObject result = success.value().output.toObject();
    QCOMPARE(result[u"StatusCode"_s].toInt(), 200);
    QCOMPARE(result[u"Payload"_s].toObject(), object(R"({"marker":"fake-gateway","event":{"orderId":"o-9"}})"));
}

void TestOpenFaasInvoker::unknownFunctionIsTheGatewaysAnswer()
{
    const auto answer = invoke(u"missing"_s, "{}");
    QVERIFY2(answer.ok(), qPrintable(answer.error().toString()));
    QCOMPARE(answer.value().status, 503);
    QCOMPARE(answer.value().body, "No endpoints available for: missing.openfaas-fn."_ba);

    // As Lambda's service error (the seed's Retry covers it: a function may
    // be between replicas).
    const auto outcome = runTask(u"GoneRecords"_s, {});
    QVERIFY(outcome.ok() && !outcome.value().ok);
    QCOMPARE(outcome.value().error, u"Lambda.ServiceException"_s);
    QVERIFY2(outcome.value().cause.contains(u"OpenFaaS function missing.openfaas-fn answered HTTP 503"_s),
        qPrintable(outcome.value().cause));
}

void TestOpenFaasInvoker::throttledFunctionIsNotSentAgain()
{
    // KubeCall retries a 429 from the API server; a function's 429 through
    // the proxy goes back to the runner at once, its one invocation done.
    m_gateway->addFunction(u"busy"_s, u"openfaas-fn"_s, [](const HttpRequest &) {
        return FakeOpenFaasGateway::Answer { 429, "Too Many Requests", {}, 0 };
    });
    const auto answer = invoke(u"busy"_s, "{}");
    QVERIFY2(answer.ok(), qPrintable(answer.error().toString()));
    QCOMPARE(answer.value().status, 429);
    QCOMPARE(m_gateway->invocations(u"busy"_s, u"openfaas-fn"_s), 1);
    QCOMPARE(m_kube->requestCount(FakeKubeApiServer::Proxy), 1);
}

void TestOpenFaasInvoker::missingSecret()
{
    m_kube->deleteObject(u"secrets"_s, u"openfaas"_s, u"basic-auth"_s);
    const auto answer = invoke(u"echo"_s, "{}");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().kind, Core::Error::Kind::NotFound);
    QCOMPARE(
        answer.error().message, u"OpenFaaS basic-auth secret openfaas/basic-auth not found: is OpenFaaS installed?"_s);
    QCOMPARE(m_gateway->requests().size(), 0);
    QVERIFY(!OpenFaas::cachedCredentials(m_client));

    const auto outcome = runTask(u"CommitRecords"_s, {});
    QVERIFY(outcome.ok() && !outcome.value().ok);
    QCOMPARE(outcome.value().error, u"Lambda.SdkClientException"_s);
    QVERIFY2(outcome.value().cause.contains(u"is OpenFaaS installed?"_s), qPrintable(outcome.value().cause));

    // A Secret without the password is refused, naming the key.
    m_kube->putObject(u"secrets"_s,
        FakeKubeApiServer::makeSecret(u"openfaas"_s, u"basic-auth"_s, { { u"basic-auth-user"_s, "admin"_ba } }));
    const auto partial = invoke(u"echo"_s, "{}");
    QVERIFY(!partial.ok());
    QCOMPARE(partial.error().kind, Core::Error::Kind::Input);
    QVERIFY(partial.error().message.contains(u"basic-auth-password"_s));
}

void TestOpenFaasInvoker::forbiddenSecret()
{
    m_kube->setForbidden(FakeKubeApiServer::Get);
    const auto answer = invoke(u"echo"_s, "{}");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().kind, Core::Error::Kind::Auth);
    QVERIFY2(
        answer.error().message.startsWith(
            u"not allowed to read the OpenFaaS basic-auth secret openfaas/basic-auth: secrets \"basic-auth\" is forbidden"_s),
        qPrintable(answer.error().message));

    // Reading the Secret allowed, the proxy not.
    m_kube->setForbidden(FakeKubeApiServer::Proxy);
    const auto proxied = invoke(u"echo"_s, "{}");
    QVERIFY(!proxied.ok());
    QCOMPARE(proxied.error().kind, Core::Error::Kind::Auth);
    QVERIFY2(proxied.error().message.contains(u"cannot create resource \"services/proxy\""_s),
        qPrintable(proxied.error().message));
    QCOMPARE(m_gateway->requests().size(), 0);
}

void TestOpenFaasInvoker::noGatewayService()
{
    m_kube->deleteObject(u"services"_s, u"openfaas"_s, u"gateway"_s);
    auto answer = invoke(u"echo"_s, "{}");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().kind, Core::Error::Kind::NotFound);
    QVERIFY2(answer.error().message.startsWith(
                 u"OpenFaaS gateway service openfaas/gateway:8080 not found: is OpenFaaS installed?"_s),
        qPrintable(answer.error().message));

    // The Service without a ready gateway pod.
    m_kube->setServiceUpstream(u"openfaas"_s, u"gateway"_s, u"8080"_s, QUrl());
    answer = invoke(u"echo"_s, "{}");
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().kind, Core::Error::Kind::Network);
    QVERIFY2(
        answer.error().message.contains(u"no endpoints available for service"_s), qPrintable(answer.error().message));
}

void TestOpenFaasInvoker::noClient()
{
    LocalRuntime::OpenFaasInvoker invoker = OpenFaas::makeOpenFaasInvoker(nullptr);
    const auto answer = resultOf<LocalRuntime::HttpAnswer>(invoker(u"echo"_s, u"openfaas-fn"_s, "{}"));
    QVERIFY(!answer.ok());
    QCOMPARE(answer.error().message,
        u"no Kubernetes context: OpenFaaS functions are reached through the cluster's API server"_s);

    // Resolved at each call: a client that comes later is used.
    Kube::KubeClient *current = nullptr;
    invoker = OpenFaas::makeOpenFaasInvoker([&current] { return current; });
    QVERIFY(!resultOf<LocalRuntime::HttpAnswer>(invoker(u"echo"_s, u"openfaas-fn"_s, "{}")).ok());
    current = m_client;
    const auto later = resultOf<LocalRuntime::HttpAnswer>(invoker(u"echo"_s, u"openfaas-fn"_s, "{}"));
    QVERIFY2(later.ok(), qPrintable(later.error().toString()));
    QCOMPARE(later.value().status, 200);
}

void TestOpenFaasInvoker::cancelAbortsTheRequest()
{
    auto *job = new OpenFaas::OpenFaasInvokeJob(m_client, u"slow"_s, u"openfaas-fn"_s, "{}");
    job->setAutoDelete(false);
    QSignalSpy finished(job, &Core::Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->pendingAnswers(), 1, 10000);
    job->cancel();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().kind, Core::Error::Kind::Cancelled);
    delete job;
    // The abort went through the proxy to the gateway's connection.
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->pendingAnswers(), 0, 10000);
}

void TestOpenFaasInvoker::executionRunsOnOpenFaas()
{
    LocalRuntime::LocalTaskRunner runner(functions(), nullptr);
    runner.setOpenFaasInvoker(OpenFaas::makeOpenFaasInvoker(m_client));
    LocalRuntime::ExecutionSpec spec;
    spec.definition = object(R"({"StartAt":"Commit","States":{"Commit":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"CommitRecords","Payload.$":"$"},"End":true}}})");
    spec.executionArn = u"arn:aws:states:eu-west-1:123456789012:execution:Saga:run-1"_s;
    spec.name = u"run-1"_s;
    spec.stateMachineArn = u"arn:aws:states:eu-west-1:123456789012:stateMachine:Saga"_s;
    spec.stateMachineName = u"Saga"_s;
    spec.roleArn = u"arn:aws:iam::123456789012:role/Saga"_s;
    spec.input = QJsonObject { { u"orderId"_s, u"o-42"_s } };
    spec.startTime = QDateTime::currentDateTimeUtc();
    spec.timeScale = 0;
    LocalRuntime::Execution execution(spec, &runner);
    QSignalSpy finished(&execution, &LocalRuntime::Execution::finished);
    execution.start();
    QVERIFY(finished.wait(20000));
    const auto end = finished.first().first().value<LocalRuntime::ExecutionEnd>();
    QVERIFY2(end.status == u"SUCCEEDED", qPrintable(end.error + u": "_s + end.cause));
    const QJsonObject output = end.output.toObject();
    QCOMPARE(output[u"StatusCode"_s].toInt(), 200);
    QCOMPARE(output[u"Payload"_s].toObject(), object(R"({"marker":"fake-gateway","event":{"orderId":"o-42"}})"));
    QCOMPARE(m_gateway->invocations(u"echo"_s, u"openfaas-fn"_s), 1);
}

QTEST_GUILESS_MAIN(TestOpenFaasInvoker)
#include "tst_openfaasinvoker.moc"
