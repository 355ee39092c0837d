// Proves FakeOpenFaasGateway and FakeKubeApiServer's service proxy with
// clients written by others: curl against the gateway directly and through
// the proxy path, kubectl (get --raw, create --raw, get secret) through the
// kube fake.

#include "fakes/fakekubeapiserver.h"
#include "fakes/fakeopenfaasgateway.h"
#include "fakes/testpki.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Bramble::Test::FakeKubeApiServer;
using Bramble::Test::FakeOpenFaasGateway;
using Bramble::Test::HttpRequest;
using Bramble::Test::TestPki;

namespace {

struct Run {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program while this thread's event loop keeps serving the fakes.
Run runProgram(const QString &program, const QStringList &args, const QString &home)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"KUBECONFIG"_s);
    env.remove(u"http_proxy"_s);
    env.remove(u"https_proxy"_s);
    env.remove(u"HTTP_PROXY"_s);
    env.remove(u"HTTPS_PROXY"_s);
    env.insert(u"HOME"_s, home);
    p.setProcessEnvironment(env);
    p.setProgram(program);
    p.setArguments(args);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start();
    Run run;
    run.finished = finished.wait(20000);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(2000);
    }
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

const QString proxyPath = u"/api/v1/namespaces/openfaas/services/gateway:8080/proxy"_s;

} // namespace

class TestFakeOpenFaasGateway : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void curlInvokesDirectly();
    void curlSystemRoutesNeedBasicAuth();
    void curlThroughTheServiceProxy();
    void kubectlThroughTheServiceProxy();
    void proxyRefusalsAreTheApiServers();
    void kubectlReadsTheBasicAuthSecret();

private:
    Run curl(const QStringList &args) { return runProgram(m_curl, QStringList { u"-sS"_s } + args, m_home); }
    Run kubectl(const QStringList &args)
    {
        return runProgram(m_kubectl,
            QStringList { u"--kubeconfig="_s + m_kubeconfig, u"--cache-dir="_s + m_tmp.filePath(u"cache"_s),
                u"--request-timeout=10s"_s }
                + args,
            m_home);
    }
    QStringList kubeCurl() const
    {
        return { u"--cacert"_s, m_pki.caCertPath, u"-H"_s,
            u"Authorization: Bearer "_s + QString::fromLatin1(FakeKubeApiServer::defaultToken()) };
    }

    QTemporaryDir m_tmp;
    TestPki m_pki;
    QString m_curl;
    QString m_kubectl;
    QString m_home;
    QString m_kubeconfig;
    std::unique_ptr<FakeOpenFaasGateway> m_gateway;
    std::unique_ptr<FakeKubeApiServer> m_kube;
};

void TestFakeOpenFaasGateway::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_curl = QStandardPaths::findExecutable(u"curl"_s);
    m_kubectl = QStandardPaths::findExecutable(u"kubectl"_s);
    QVERIFY2(!m_curl.isEmpty(), "curl is not in PATH");
    QVERIFY2(!m_kubectl.isEmpty(), "kubectl is not in PATH");
    QString error;
    m_pki = TestPki::generate(m_tmp.filePath(u"pki"_s), &error);
    QVERIFY2(m_pki.isValid(), qPrintable(error));
    m_home = m_tmp.filePath(u"home"_s);
}

void TestFakeOpenFaasGateway::init()
{
    m_gateway = std::make_unique<FakeOpenFaasGateway>();
    QVERIFY(m_gateway->listen());
    m_gateway->setCredentials(u"admin"_s, "s3cr3t-pw"_ba);
    m_gateway->addFunction(u"echo"_s, u"openfaas-fn"_s, [](const HttpRequest &r) {
        return FakeOpenFaasGateway::Answer { 200, "echo:" + r.body, "application/json", 0 };
    });
    m_gateway->addFunction(u"fail"_s, u"openfaas-fn"_s, [](const HttpRequest &) {
        return FakeOpenFaasGateway::Answer { 500, R"({"errorType":"CommitFailed","errorMessage":"disk full"})",
            "application/json", 0 };
    });
    m_kube = std::make_unique<FakeKubeApiServer>(m_pki);
    QVERIFY(m_kube->listen());
    m_kube->setServiceUpstream(u"openfaas"_s, u"gateway"_s, u"8080"_s, QUrl(m_gateway->url()));
    m_kube->putObject(u"secrets"_s,
        FakeKubeApiServer::makeSecret(u"openfaas"_s, u"basic-auth"_s,
            { { u"basic-auth-user"_s, "admin"_ba }, { u"basic-auth-password"_s, "s3cr3t-pw"_ba } }));
    m_kubeconfig = m_tmp.filePath(u"kubeconfig"_s);
    QFile file(m_kubeconfig);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(m_kube->kubeconfigWithToken(FakeKubeApiServer::defaultToken()));
}

void TestFakeOpenFaasGateway::cleanup()
{
    m_kube.reset();
    m_gateway.reset();
}

void TestFakeOpenFaasGateway::curlInvokesDirectly()
{
    Run r = curl({ u"-X"_s, u"POST"_s, u"-H"_s, u"Content-Type: application/json"_s, u"--data"_s, u"{\"n\":1}"_s,
        u"-w"_s, u"\n%{http_code}"_s, m_gateway->url() + u"/function/echo"_s });
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, "echo:{\"n\":1}\n200"_ba);
    // The namespace suffix names the same function.
    r = curl({ u"--data"_s, u"x"_s, m_gateway->url() + u"/function/echo.openfaas-fn"_s });
    QCOMPARE(r.out, "echo:x"_ba);
    QCOMPARE(m_gateway->invocations(u"echo"_s, u"openfaas-fn"_s), 2);

    r = curl({ u"--data"_s, u"{}"_s, u"-w"_s, u"\n%{http_code}"_s, m_gateway->url() + u"/function/fail"_s });
    QCOMPARE(r.out, "{\"errorType\":\"CommitFailed\",\"errorMessage\":\"disk full\"}\n500"_ba);

    r = curl({ u"--data"_s, u"{}"_s, u"-i"_s, m_gateway->url() + u"/function/missing.openfaas-fn"_s });
    QVERIFY2(r.out.startsWith("HTTP/1.1 503"), r.out.constData());
    QVERIFY(r.out.contains("X-Openfaas-Internal: proxy"));
    QVERIFY(r.out.endsWith("No endpoints available for: missing.openfaas-fn."));

    r = curl({ m_gateway->url() + u"/healthz"_s });
    QCOMPARE(r.out, "OK"_ba);
}

void TestFakeOpenFaasGateway::curlSystemRoutesNeedBasicAuth()
{
    Run r = curl({ u"-w"_s, u"\n%{http_code}"_s, m_gateway->url() + u"/system/functions"_s });
    QCOMPARE(r.out, "invalid credentials\n401"_ba);
    r = curl({ u"-u"_s, u"admin:wrong"_s, u"-w"_s, u"\n%{http_code}"_s, m_gateway->url() + u"/system/functions"_s });
    QCOMPARE(r.out, "invalid credentials\n401"_ba);
    curl({ u"--data"_s, u"{}"_s, m_gateway->url() + u"/function/echo"_s });
    r = curl({ u"-u"_s, u"admin:s3cr3t-pw"_s, m_gateway->url() + u"/system/functions?namespace=openfaas-fn"_s });
    const QJsonArray list = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0)[u"name"_s].toString(), u"echo"_s);
    QCOMPARE(list.at(0)[u"invocationCount"_s].toInt(), 1);
    QCOMPARE(list.at(0)[u"availableReplicas"_s].toInt(), 1);
    QCOMPARE(list.at(1)[u"name"_s].toString(), u"fail"_s);
}

void TestFakeOpenFaasGateway::curlThroughTheServiceProxy()
{
    const QString base = m_kube->url() + proxyPath;
    Run r = curl(kubeCurl()
        + QStringList { u"-H"_s, u"Content-Type: application/json"_s, u"--data"_s, u"{\"via\":\"proxy\"}"_s, u"-w"_s,
            u"\n%{http_code}"_s, base + u"/function/echo.openfaas-fn"_s });
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, "echo:{\"via\":\"proxy\"}\n200"_ba);
    // The API server's credentials stop at the API server.
    const HttpRequest seen = m_gateway->requests().last();
    QCOMPARE(seen.method, "POST"_ba);
    QCOMPARE(seen.target, "/function/echo.openfaas-fn"_ba);
    QVERIFY(seen.header("authorization").isEmpty());
    QCOMPARE(seen.header("content-type"), "application/json"_ba);
    QCOMPARE(m_kube->lastRequest(FakeKubeApiServer::Proxy).status, 200);

    r = curl(
        kubeCurl() + QStringList { u"--data"_s, u"{}"_s, u"-w"_s, u"\n%{http_code}"_s, base + u"/function/fail"_s });
    QCOMPARE(r.out, "{\"errorType\":\"CommitFailed\",\"errorMessage\":\"disk full\"}\n500"_ba);

    // Without the API server's credentials nothing reaches the gateway.
    const qsizetype before = m_gateway->requests().size();
    r = curl({ u"--cacert"_s, m_pki.caCertPath, u"--data"_s, u"{}"_s, u"-w"_s, u"\n%{http_code}"_s,
        base + u"/function/echo"_s });
    QVERIFY(r.out.endsWith("\n401"));
    QCOMPARE(m_gateway->requests().size(), before);
}

void TestFakeOpenFaasGateway::kubectlThroughTheServiceProxy()
{
    Run r = kubectl({ u"get"_s, u"--raw"_s, proxyPath + u"/healthz"_s });
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, "OK"_ba);

    const QString event = m_tmp.filePath(u"event.json"_s);
    QFile file(event);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"orderId\":\"o-1\"}");
    file.close();
    r = kubectl({ u"create"_s, u"--raw"_s, proxyPath + u"/function/echo.openfaas-fn"_s, u"-f"_s, event });
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, "echo:{\"orderId\":\"o-1\"}"_ba);
    QCOMPARE(m_gateway->requests().last().method, "POST"_ba);

    // The gateway's own 401 on /system/ comes back through the proxy: the
    // kubeconfig's token stops at the API server.
    r = kubectl({ u"get"_s, u"--raw"_s, proxyPath + u"/system/functions"_s });
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("the server has asked for the client to provide credentials"), r.err.constData());
    QVERIFY(m_gateway->requests().last().target.startsWith("/system/functions")); // ?timeout=10s: kubectl's
    QVERIFY(m_gateway->requests().last().header("authorization").isEmpty());
}

void TestFakeOpenFaasGateway::proxyRefusalsAreTheApiServers()
{
    Run r = kubectl({ u"get"_s, u"--raw"_s, u"/api/v1/namespaces/openfaas/services/nope:8080/proxy/healthz"_s });
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("Error from server (NotFound): services \"nope\" not found"), r.err.constData());

    m_kube->setServiceUpstream(u"openfaas"_s, u"gateway"_s, u"8080"_s, QUrl());
    r = kubectl({ u"get"_s, u"--raw"_s, proxyPath + u"/healthz"_s });
    QVERIFY(r.exitCode != 0);
    QVERIFY2(
        r.err.contains("Error from server (ServiceUnavailable): no endpoints available for service \"gateway:8080\""),
        r.err.constData());

    // An endpoint that does not answer.
    const QUrl gone(m_gateway->url());
    m_gateway.reset();
    m_kube->setServiceUpstream(u"openfaas"_s, u"gateway"_s, u"8080"_s, gone);
    r = curl(kubeCurl() + QStringList { u"-w"_s, u"\n%{http_code}"_s, m_kube->url() + proxyPath + u"/healthz"_s });
    QVERIFY2(r.out.endsWith("\n503"), r.out.constData());
    const QJsonObject status = QJsonDocument::fromJson(r.out.left(r.out.lastIndexOf('\n'))).object();
    QCOMPARE(status[u"kind"_s].toString(), u"Status"_s);
    QCOMPARE(status[u"reason"_s].toString(), u"ServiceUnavailable"_s);
    QVERIFY(status[u"message"_s].toString().startsWith(u"error trying to reach service: "_s));

    m_kube->setForbidden(FakeKubeApiServer::Proxy);
    r = kubectl({ u"get"_s, u"--raw"_s, proxyPath + u"/healthz"_s });
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("cannot get resource \"services/proxy\""), r.err.constData());
}

void TestFakeOpenFaasGateway::kubectlReadsTheBasicAuthSecret()
{
    Run r = kubectl({ u"get"_s, u"secret"_s, u"-n"_s, u"openfaas"_s, u"basic-auth"_s, u"-o"_s,
        u"jsonpath={.data.basic-auth-password}"_s });
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(QByteArray::fromBase64(r.out), "s3cr3t-pw"_ba);
    r = kubectl({ u"get"_s, u"secrets"_s, u"-n"_s, u"openfaas"_s });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("basic-auth") && r.out.contains("Opaque"), r.out.constData());
}

QTEST_GUILESS_MAIN(TestFakeOpenFaasGateway)
#include "tst_fakeopenfaasgateway.moc"
