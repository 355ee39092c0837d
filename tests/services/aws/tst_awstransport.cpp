// The transport against a scripted server: signing headers, the JSON and
// Query protocols, error parsing, the standard retry mode, its quota,
// timeouts and cancellation. The script itself is proven against the aws CLI.
#include "aws/awspager.h"
#include "aws/awsprotocol.h"
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/stsclient.h"
#include "fakes/scriptedhttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Bramble::Aws;
using Bramble::Core::Error;
using Kind = Bramble::Core::Error::Kind;
using Bramble::Test::ScriptedHttpServer;
using Answer = ScriptedHttpServer::Answer;

namespace {

AwsCredentials testCredentials()
{
    AwsCredentials c;
    c.accessKeyId = QStringLiteral("AKIDEXAMPLE");
    c.secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    c.source = QStringLiteral("test");
    return c;
}

// Counts invalidations, to see that an expired token is refreshed once.
class CountingProvider : public CredentialsProvider {
public:
    void invalidate() override { ++invalidations; }
    int fetches = 0;
    int invalidations = 0;

protected:
    void request(CredentialsJob *job) override
    {
        ++fetches;
        AwsCredentials c = testCredentials();
        c.sessionToken = QStringLiteral("token-%1").arg(invalidations);
        answer(job, { c, {} });
    }
};

// Runs the event loop until the call finishes; returns its response.
AwsResponse wait(AwsCall *call, int timeoutMs = 10000)
{
    AwsResponse out;
    bool done = false;
    QObject::connect(call, &AwsCall::finished, call, [&] {
        out = call->response();
        done = true;
    });
    (void)QTest::qWaitFor([&] { return done; }, timeoutMs);
    if (!done)
        out.error.message = QStringLiteral("test: the call did not finish");
    return out;
}

} // namespace

class tst_AwsTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void jsonRequestShape_data();
    void jsonRequestShape();
    void errorParsing_data();
    void errorParsing();
    void retriesThrottlingThenSucceeds();
    void givesUpAfterThreeAttempts();
    void doesNotRetryClientErrors();
    void retriesServerErrorsAndDroppedConnections();
    void timeoutIsRetried();
    void quotaRunsDry();
    void backoffIsCappedFullJitter();
    void cancelStopsAtOnce();
    void expiredTokenRefreshesOnce();
    void queryProtocol();
    void pagerFollowsTokens();
    void awsCliSeesTheSameScript();

private:
    ScriptedHttpServer *m_server = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    StaticCredentialsProvider *m_credentials = nullptr;
    AwsTransport *m_transport = nullptr;
};

void tst_AwsTransport::init()
{
    m_server = new ScriptedHttpServer;
    QVERIFY(m_server->listen());
    m_network = new QNetworkAccessManager;
    m_credentials = new StaticCredentialsProvider(testCredentials());
    m_transport = new AwsTransport(m_network, m_credentials, QStringLiteral("eu-west-1"));
    const QUrl url(QString::fromLatin1(m_server->url()));
    for (const ServiceInfo *s : { &ServiceInfo::stepFunctions(), &ServiceInfo::cloudWatchLogs(), &ServiceInfo::sts() })
        m_transport->setEndpoint(*s, url);
    m_transport->retryPolicy().setDelayScale(0.001); // 1 s of backoff becomes 1 ms
}

void tst_AwsTransport::cleanup()
{
    delete m_transport;
    delete m_credentials;
    delete m_network;
    delete m_server;
}

void tst_AwsTransport::jsonRequestShape_data()
{
    QTest::addColumn<bool>("logs");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("scope");
    QTest::newRow("states json 1.0") << false << QByteArray("AWSStepFunctions.ListStateMachines")
                                     << QByteArray("application/x-amz-json-1.0")
                                     << QByteArray("/eu-west-1/states/aws4_request");
    QTest::newRow("logs json 1.1") << true << QByteArray("Logs_20140328.ListStateMachines")
                                   << QByteArray("application/x-amz-json-1.1")
                                   << QByteArray("/eu-west-1/logs/aws4_request");
}

void tst_AwsTransport::jsonRequestShape()
{
    QFETCH(bool, logs);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, scope);
    m_server->enqueue(Answer::json(200, "{\"stateMachines\":[]}"));
    const ServiceInfo &service = logs ? ServiceInfo::cloudWatchLogs() : ServiceInfo::stepFunctions();
    const AwsResponse r = wait(
        m_transport->callJson(service, QStringLiteral("ListStateMachines"), { { QStringLiteral("maxResults"), 5 } }));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(r.json.value(QStringLiteral("stateMachines")).toArray().size(), 0);
    QCOMPARE(m_server->requests().size(), 1);
    const ScriptedHttpServer::Request &req = m_server->requests().first();
    QCOMPARE(req.method, QByteArray("POST"));
    QCOMPARE(req.target, QByteArray("/"));
    QCOMPARE(req.header("X-Amz-Target"), target);
    QCOMPARE(req.header("Content-Type"), contentType);
    QCOMPARE(QJsonDocument::fromJson(req.body).object().value(QStringLiteral("maxResults")).toInt(), 5);
    const QByteArray auth = req.header("Authorization");
    QVERIFY2(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), auth.constData());
    QVERIFY2(auth.contains(scope), auth.constData());
    QVERIFY2(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target"), auth.constData());
    QCOMPARE(req.header("X-Amz-Date").size(), 16);
    QCOMPARE(req.header("Host"), "127.0.0.1:" + QByteArray::number(m_server->port()));
}

void tst_AwsTransport::errorParsing_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("headerType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<Kind>("kind");
    QTest::newRow("plain type") << 400 << QByteArray()
                                << QByteArray("{\"__type\":\"ValidationException\",\"message\":\"bad\"}")
                                << QStringLiteral("ValidationException") << QStringLiteral("bad") << Kind::Input;
    QTest::newRow("namespaced type")
        << 400 << QByteArray()
        << QByteArray("{\"__type\":\"com.amazonaws.sfn#StateMachineDoesNotExist\",\"message\":\"nope\"}")
        << QStringLiteral("StateMachineDoesNotExist") << QStringLiteral("nope") << Kind::NotFound;
    QTest::newRow("capital Message") << 400 << QByteArray()
                                     << QByteArray("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"gone\"}")
                                     << QStringLiteral("ResourceNotFoundException") << QStringLiteral("gone")
                                     << Kind::NotFound;
    QTest::newRow("type with uri suffix")
        << 400 << QByteArray() << QByteArray("{\"__type\":\"aws.proto#FooError:http://internal.amazon.com/coral/x\"}")
        << QStringLiteral("FooError") << QStringLiteral("FooError") << Kind::Server; // no message: the code stands in
    QTest::newRow("header wins") << 400 << QByteArray("InvalidParameterException:http://x")
                                 << QByteArray("{\"__type\":\"Other\",\"message\":\"m\"}")
                                 << QStringLiteral("InvalidParameterException") << QStringLiteral("m") << Kind::Input;
    QTest::newRow("html from a proxy") << 403 << QByteArray() << QByteArray("<html>Forbidden</html>")
                                       << QStringLiteral("HTTP403") << QStringLiteral("<html>Forbidden</html>")
                                       << Kind::Auth;
    QTest::newRow("signature") << 403 << QByteArray()
                               << QByteArray("{\"__type\":\"InvalidSignatureException\",\"message\":\"sig\"}")
                               << QStringLiteral("InvalidSignatureException") << QStringLiteral("sig") << Kind::Auth;
    QTest::newRow("conflict") << 400 << QByteArray()
                              << QByteArray("{\"__type\":\"ExecutionAlreadyExists\",\"message\":\"dup\"}")
                              << QStringLiteral("ExecutionAlreadyExists") << QStringLiteral("dup") << Kind::Server;
}

void tst_AwsTransport::errorParsing()
{
    QFETCH(int, status);
    QFETCH(QByteArray, headerType);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(Kind, kind);
    Answer a = Answer::json(status, body);
    if (!headerType.isEmpty())
        a.headers.append({ "x-amzn-ErrorType", headerType });
    m_server->enqueue(a);
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("DescribeStateMachine"), {}));
    QCOMPARE(r.error.kind, kind);
    QCOMPARE(r.error.reason, code);
    QCOMPARE(r.error.message, message);
    QCOMPARE(r.error.httpStatus, status);
    QCOMPARE(r.error.operation, QStringLiteral("DescribeStateMachine"));
    QCOMPARE(r.error.requestId, QStringLiteral("fake-request-id"));
    QCOMPARE(r.error.attempts, 1);
}

void tst_AwsTransport::retriesThrottlingThenSucceeds()
{
    m_server->enqueue(Answer::awsError(400, "ThrottlingException", "Rate exceeded"));
    m_server->enqueue(Answer::awsError(429, "TooManyRequestsException", "slow down"));
    m_server->enqueue(Answer::json(200, "{\"ok\":true}"));
    AwsCall *call = m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListStateMachines"), {});
    QSignalSpy retrying(call, &AwsCall::retrying);
    const AwsResponse r = wait(call);
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(r.json.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(m_server->requests().size(), 3);
    QCOMPARE(retrying.size(), 2);
    QCOMPARE(retrying.at(0).at(0).value<Error>().reason, QStringLiteral("ThrottlingException"));
    // Each attempt is signed afresh.
    QVERIFY(m_server->requests().at(0).header("Authorization").startsWith("AWS4-HMAC-SHA256"));
    QVERIFY(m_server->requests().at(2).header("Authorization").startsWith("AWS4-HMAC-SHA256"));
    // Two retries took 2 x 5; the success gave back the last 5.
    QCOMPARE(m_transport->retryPolicy().quota(), RetryPolicy::initialQuota - 5);
}

void tst_AwsTransport::givesUpAfterThreeAttempts()
{
    m_server->setFallback(Answer::awsError(400, "ThrottlingException", "Rate exceeded"));
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListStateMachines"), {}));
    QCOMPARE(r.error.kind, Kind::Throttled);
    QCOMPARE(r.error.reason, QStringLiteral("ThrottlingException"));
    QCOMPARE(r.error.attempts, 3);
    QCOMPARE(m_server->requests().size(), 3);
    QVERIFY2(r.error.toString().contains(QStringLiteral("3 attempts")), qPrintable(r.error.toString()));
}

void tst_AwsTransport::doesNotRetryClientErrors()
{
    m_server->setFallback(Answer::awsError(400, "ValidationException", "no"));
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("StartExecution"), {}));
    QCOMPARE(r.error.reason, QStringLiteral("ValidationException"));
    QCOMPARE(m_server->requests().size(), 1);
    QCOMPARE(m_transport->retryPolicy().quota(), RetryPolicy::initialQuota);
}

void tst_AwsTransport::retriesServerErrorsAndDroppedConnections()
{
    m_server->enqueue(Answer::awsError(503, "ServiceUnavailable", "busy"));
    m_server->enqueue(Answer::drop());
    m_server->enqueue(Answer::json(200, "{}"));
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListExecutions"), {}));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(m_server->requests().size(), 3);
}

void tst_AwsTransport::timeoutIsRetried()
{
    m_transport->setTimeoutMs(150);
    m_server->enqueue(Answer::stall());
    m_server->enqueue(Answer::json(200, "{\"n\":1}"));
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("DescribeExecution"), {}));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(r.json.value(QStringLiteral("n")).toInt(), 1);
    QCOMPARE(m_server->requests().size(), 2);

    m_server->setFallback(Answer::stall());
    const AwsResponse t
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("DescribeExecution"), {}));
    QCOMPARE(t.error.kind, Kind::Network);
    QVERIFY(isTimeout(t.error));
    QCOMPARE(t.error.attempts, 3);
}

void tst_AwsTransport::quotaRunsDry()
{
    m_server->setFallback(Answer::awsError(500, "InternalFailure", "boom"));
    // 500 units at 5 a retry: 100 retries, then calls fail at their first attempt.
    int retries = 0;
    for (int i = 0; i < 50; ++i) {
        const AwsResponse r
            = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListExecutions"), {}));
        retries += r.error.attempts - 1;
    }
    QCOMPARE(retries, 100);
    QCOMPARE(m_transport->retryPolicy().quota(), 0);
    const int before = int(m_server->requests().size());
    const AwsResponse r
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListExecutions"), {}));
    QCOMPARE(r.error.attempts, 1);
    QCOMPARE(m_server->requests().size(), before + 1);
    // Successes refill it one unit at a time.
    m_server->setFallback(Answer::json(200, "{}"));
    for (int i = 0; i < 5; ++i)
        QVERIFY(wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListExecutions"), {})).ok());
    QCOMPARE(m_transport->retryPolicy().quota(), 5);
}

void tst_AwsTransport::backoffIsCappedFullJitter()
{
    RetryPolicy p;
    p.setRandom([] { return 0.999999; });
    QCOMPARE(p.delayMs(1), 1000);
    QCOMPARE(p.delayMs(2), 2000);
    QCOMPARE(p.delayMs(3), 4000);
    QCOMPARE(p.delayMs(5), 16000);
    QCOMPARE(p.delayMs(6), 20000); // 32 s capped at 20 s
    QCOMPARE(p.delayMs(30), 20000);
    p.setRandom([] { return 0.0; });
    QCOMPARE(p.delayMs(4), 0); // full jitter: anywhere from zero
    p.setRandom([] { return 0.25; });
    QCOMPARE(p.delayMs(3), 1000);

    Error e(Kind::Server, QStringLiteral("m"));
    for (const char *code : { "Throttling", "ThrottlingException", "ProvisionedThroughputExceededException",
             "RequestLimitExceeded", "TooManyRequestsException", "RequestTimeout" }) {
        e.reason = QString::fromLatin1(code);
        QVERIFY2(RetryPolicy::isRetryable(e), code);
    }
    e.reason = QStringLiteral("AccessDeniedException");
    e.httpStatus = 400;
    QVERIFY(!RetryPolicy::isRetryable(e));
    e.httpStatus = 502;
    QVERIFY(RetryPolicy::isRetryable(e));
    e.httpStatus = 501;
    QVERIFY(!RetryPolicy::isRetryable(e));
    const Error cancelled(Kind::Cancelled, QStringLiteral("cancelled"));
    QVERIFY(!RetryPolicy::isRetryable(cancelled));
}

void tst_AwsTransport::cancelStopsAtOnce()
{
    m_server->setFallback(Answer::stall());
    AwsCall *call = m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("GetExecutionHistory"), {});
    QSignalSpy finished(call, &AwsCall::finished);
    QSignalSpy received(m_server, &ScriptedHttpServer::requestReceived);
    QVERIFY(received.wait(5000));
    AwsResponse r;
    connect(call, &AwsCall::finished, this, [&] { r = call->response(); });
    call->cancel();
    QVERIFY(finished.wait(1000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(r.error.kind, Kind::Cancelled);
    QTest::qWait(50);
    QCOMPARE(m_server->requests().size(), 1);
}

void tst_AwsTransport::expiredTokenRefreshesOnce()
{
    CountingProvider provider;
    AwsTransport transport(m_network, &provider, QStringLiteral("eu-west-1"));
    transport.setEndpoint(ServiceInfo::stepFunctions(), QUrl(QString::fromLatin1(m_server->url())));
    m_server->enqueue(
        Answer::awsError(400, "ExpiredTokenException", "The security token included in the request is expired"));
    m_server->enqueue(Answer::json(200, "{}"));
    const AwsResponse r
        = wait(transport.callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListStateMachines"), {}));
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    QCOMPARE(provider.invalidations, 1);
    QCOMPARE(m_server->requests().at(0).header("X-Amz-Security-Token"), QByteArray("token-0"));
    QCOMPARE(m_server->requests().at(1).header("X-Amz-Security-Token"), QByteArray("token-1"));

    // Expired again right after the refresh: no second refresh, no loop.
    m_server->setFallback(Answer::awsError(400, "ExpiredTokenException", "expired"));
    const AwsResponse again
        = wait(transport.callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListStateMachines"), {}));
    QCOMPARE(again.error.reason, QStringLiteral("ExpiredTokenException"));
    QCOMPARE(provider.invalidations, 2);
    QCOMPARE(m_server->requests().size(), 4);
}

void tst_AwsTransport::queryProtocol()
{
    Answer ok;
    ok.headers = { { "Content-Type", "text/xml" } };
    ok.body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/pi</Arn>"
              "<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
              "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
    m_server->enqueue(ok);
    StsClient sts(m_transport);
    const AwsResponse r = wait(sts.getCallerIdentity());
    QVERIFY2(r.ok(), qPrintable(r.error.toString()));
    const CallerIdentity id = StsClient::callerIdentity(r);
    QCOMPARE(id.account, QStringLiteral("123456789012"));
    QCOMPARE(id.arn, QStringLiteral("arn:aws:iam::123456789012:user/pi"));
    QCOMPARE(id.userId, QStringLiteral("AIDAEXAMPLE"));
    const ScriptedHttpServer::Request &req = m_server->requests().first();
    QCOMPARE(req.body, QByteArray("Action=GetCallerIdentity&Version=2011-06-15"));
    QCOMPARE(req.header("Content-Type"), QByteArray("application/x-www-form-urlencoded; charset=utf-8"));
    QVERIFY(req.header("Authorization").contains("/eu-west-1/sts/aws4_request"));

    Answer denied;
    denied.status = 403;
    denied.body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                  "<Code>AccessDenied</Code><Message>not allowed to assume &quot;x&quot;</Message></Error>"
                  "<RequestId>r-2</RequestId></ErrorResponse>";
    m_server->enqueue(denied);
    const AwsResponse e
        = wait(sts.assumeRole({ QStringLiteral("arn:aws:iam::1:role/x"), QStringLiteral("s"), {}, {}, {}, 900 }));
    QCOMPARE(e.error.reason, QStringLiteral("AccessDenied"));
    QCOMPARE(e.error.message, QStringLiteral("not allowed to assume \"x\""));
    QCOMPARE(e.error.requestId, QStringLiteral("r-2"));
    QCOMPARE(m_server->requests().last().body,
        QByteArray("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx"
                   "&RoleSessionName=s&DurationSeconds=900"));

    QString xmlError;
    Protocol::xmlToJson("<a><b>1</b>", &xmlError);
    QVERIFY(!xmlError.isEmpty());
}

void tst_AwsTransport::pagerFollowsTokens()
{
    m_server->enqueue(
        Answer::json(200, "{\"stateMachines\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextToken\":\"t1\"}"));
    m_server->enqueue(Answer::awsError(400, "ThrottlingException", "x")); // retried inside the page
    m_server->enqueue(Answer::json(200, "{\"stateMachines\":[{\"name\":\"c\"}],\"nextToken\":\"t2\"}"));
    m_server->enqueue(Answer::json(200, "{\"stateMachines\":[{\"name\":\"d\"}]}"));
    auto *pager = new AwsPager(m_transport, ServiceInfo::stepFunctions(),
        { QStringLiteral("ListStateMachines"), {}, QStringLiteral("stateMachines") });
    QSignalSpy pages(pager, &AwsPager::pageReceived);
    QSignalSpy progress(pager, &AwsPager::progressChanged);
    pager->start();
    QJsonArray items;
    Error error;
    bool done = false;
    connect(pager, &AwsPager::finished, this, [&] {
        items = pager->items();
        error = pager->error();
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY2(error.isNull(), qPrintable(error.toString()));
    QCOMPARE(pages.size(), 3);
    QCOMPARE(items.size(), 4);
    // Progress: the items and pages so far, one report per page.
    QCOMPARE(progress.size(), 3);
    QCOMPARE(progress.last().at(0).value<Bramble::Core::Progress>().done, 4);
    QCOMPARE(progress.last().at(0).value<Bramble::Core::Progress>().total, -1);
    QCOMPARE(items.at(3).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("d"));
    const QList<ScriptedHttpServer::Request> &reqs = m_server->requests();
    QCOMPARE(reqs.size(), 4);
    QVERIFY(!QJsonDocument::fromJson(reqs.at(0).body).object().contains(QStringLiteral("nextToken")));
    QCOMPARE(QJsonDocument::fromJson(reqs.at(2).body).object().value(QStringLiteral("nextToken")).toString(),
        QStringLiteral("t1"));
    QCOMPARE(QJsonDocument::fromJson(reqs.at(3).body).object().value(QStringLiteral("nextToken")).toString(),
        QStringLiteral("t2"));

    // maxItems stops early, without asking for more pages.
    m_server->enqueue(
        Answer::json(200, "{\"stateMachines\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextToken\":\"t1\"}"));
    auto *limited = startPager(m_transport, ServiceInfo::stepFunctions(),
        { QStringLiteral("ListStateMachines"), {}, QStringLiteral("stateMachines"), QStringLiteral("nextToken"),
            QStringLiteral("nextToken"), 1 });
    done = false;
    connect(limited, &AwsPager::finished, this, [&] {
        items = limited->items();
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(items.size(), 1);
    QCOMPARE(m_server->requests().size(), 5);
}

// The script is only worth something if a client written by others reads it
// the same way: the aws CLI in standard retry mode makes the same three
// attempts against the same answers, and ends with the same error code.
void tst_AwsTransport::awsCliSeesTheSameScript()
{
    const QString aws = QStandardPaths::findExecutable(QStringLiteral("aws"));
    QVERIFY2(!aws.isEmpty(), "the aws CLI is not on PATH: run installers/setup.sh");
    QTemporaryDir home;
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDEXAMPLE"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("secret"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("eu-west-1"));
    env.insert(QStringLiteral("AWS_RETRY_MODE"), QStringLiteral("standard"));
    env.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("3"));

    auto runCli = [&](QByteArray *stdErr) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(aws,
            { QStringLiteral("stepfunctions"), QStringLiteral("list-state-machines"), QStringLiteral("--endpoint-url"),
                QString::fromLatin1(m_server->url()) });
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000))
            return -1;
        *stdErr = p.readAllStandardError();
        return p.exitCode();
    };

    m_server->enqueue(Answer::awsError(400, "ThrottlingException", "Rate exceeded"));
    m_server->enqueue(Answer::awsError(503, "ServiceUnavailable", "busy"));
    m_server->enqueue(Answer::json(200, "{\"stateMachines\":[]}"));
    QByteArray err;
    QCOMPARE(runCli(&err), 0);
    QCOMPARE(m_server->requests().size(), 3);
    QCOMPARE(m_server->requests().last().header("X-Amz-Target"), QByteArray("AWSStepFunctions.ListStateMachines"));

    m_server->setFallback(Answer::awsError(400, "com.amazonaws.sfn#ThrottlingException", "Rate exceeded"));
    const int exitCode = runCli(&err); // 255 from aws-cli v1, 254 from v2
    QVERIFY2(exitCode == 254 || exitCode == 255, qPrintable(QString::number(exitCode)));
    QVERIFY2(err.contains("ThrottlingException") && err.contains("reached max retries: 2"), err.constData());
    QCOMPARE(m_server->requests().size(), 6);

    const AwsResponse ours
        = wait(m_transport->callJson(ServiceInfo::stepFunctions(), QStringLiteral("ListStateMachines"), {}));
    QCOMPARE(ours.error.reason, QStringLiteral("ThrottlingException"));
    QCOMPARE(ours.error.attempts, 3);
    QCOMPARE(m_server->requests().size(), 9);
}

QTEST_GUILESS_MAIN(tst_AwsTransport)
#include "tst_awstransport.moc"
