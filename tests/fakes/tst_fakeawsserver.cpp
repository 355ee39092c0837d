// FakeAwsServer proven against the aws CLI v1 (Step Functions and DynamoDB
// over AWS JSON 1.0, the CLI's own pagination of a 2,500-event history in
// both orders, errors with exit 255), against our own client (a 25,000-event
// history in 25 pages both ways, ExecutionFollower on a live execution), and
// its simulator against our saga analysis: the outcome, the failed step, the
// dangling set and the DynamoDB record each failure model leaves. Last, the
// fake-aws-server process with --scenario saga-demo.

#include "aws/awspager.h"
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/endpoints.h"
#include "aws/stepfunctionsclient.h"
#include "fakes/fakeawsserver.h"
#include "saga/aslgraph.h"
#include "saga/executionfollower.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"
#include "support/testpaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Bramble;
using Test::FakeAwsServer;

namespace {

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

QByteArray readSource(const QString &relative)
{
    QFile f(Test::sourceDir() + u'/' + relative);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString sagaInput(const QString &transactionId, QJsonObject details = {})
{
    details.insert(s("TransactionId"), transactionId);
    return compact(QJsonObject { { s("Payload"), QJsonObject { { s("TransactionDetails"), details } } } });
}

QJsonObject key(const QString &transactionId)
{
    return QJsonObject { { s("TransactionId"), QJsonObject { { s("S"), transactionId } } } };
}

QList<qint64> idsOf(const QJsonArray &events)
{
    QList<qint64> ids;
    for (const QJsonValue &e : events)
        ids << qint64(e.toObject().value(u"id").toDouble());
    return ids;
}

QList<qint64> range(qint64 from, qint64 to)
{
    QList<qint64> out;
    for (qint64 i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1)
        out << i;
    return out;
}

int countType(const QJsonArray &events, const QString &type)
{
    int n = 0;
    for (const QJsonValue &e : events)
        n += e.toObject().value(u"type").toString() == type ? 1 : 0;
    return n;
}

// Ids dense from 1, each previousEventId an earlier event, the first one 0.
QString linkProblem(const QJsonArray &events)
{
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QJsonObject e = events.at(i).toObject();
        const qint64 id = qint64(e.value(u"id").toDouble());
        const qint64 prev = qint64(e.value(u"previousEventId").toDouble());
        if (id != i + 1)
            return QStringLiteral("event %1 has id %2").arg(i + 1).arg(id);
        if (prev >= id || (i > 0 && prev < 1) || (i == 0 && prev != 0))
            return QStringLiteral("event %1 links to %2").arg(id).arg(prev);
        if (!e.value(u"timestamp").isDouble())
            return QStringLiteral("event %1 has no numeric timestamp").arg(id);
    }
    return {};
}

QStringList attributesOf(const QJsonObject &item)
{
    QStringList names = item.keys();
    names.removeAll(s("TransactionId"));
    names.sort();
    return names;
}

} // namespace

class TestFakeAwsServer : public QObject {
    Q_OBJECT

private:
    FakeAwsServer m_server;
    QTemporaryDir m_home;
    QString m_aws;
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        s("testing"), s("testing"), {}, {}, s("test") } };
    std::unique_ptr<Aws::AwsTransport> m_transport;
    std::unique_ptr<Aws::StepFunctionsClient> m_sfn;
    QByteArray m_seedDefinition;
    QByteArray m_cdkDefinition;
    QString m_seedArn;
    QString m_cdkArn;
    QString m_history2500;
    QString m_history25000;

    QProcessEnvironment cliEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith(u"AWS_"))
                env.remove(name);
        env.insert(s("AWS_ACCESS_KEY_ID"), s("testing"));
        env.insert(s("AWS_SECRET_ACCESS_KEY"), s("testing"));
        env.insert(s("AWS_CONFIG_FILE"), s("/dev/null"));
        env.insert(s("AWS_SHARED_CREDENTIALS_FILE"), s("/dev/null"));
        env.insert(s("HOME"), m_home.path());
        env.insert(s("NO_PROXY"), s("127.0.0.1"));
        env.insert(s("no_proxy"), s("127.0.0.1"));
        return env;
    }

    // Starts the aws CLI against the fake; the event loop must run until it ends.
    QProcess *aws(const QStringList &args, const QString &region = s("us-east-1"))
    {
        auto *p = new QProcess(this);
        p->setProcessEnvironment(cliEnvironment());
        p->setProgram(m_aws);
        p->setArguments(QStringList { s("--endpoint-url"), m_server.endpoint().toString(), s("--region"), region,
                            s("--output"), s("json") }
            + args);
        p->start();
        return p;
    }

    // Keeps the event loop (and so the fake) running until every process ended.
    static bool waitAll(const QList<QProcess *> &processes, int timeoutMs = 40000)
    {
        QElapsedTimer t;
        t.start();
        const auto running = [&] {
            for (const QProcess *p : processes)
                if (p->state() != QProcess::NotRunning)
                    return true;
            return false;
        };
        while (running() && t.elapsed() < timeoutMs)
            QTest::qWait(20);
        return !running();
    }

    static QString describe(QProcess *p)
    {
        return QStringLiteral("%1 exited %2 (%3); stderr: %4")
            .arg(p->arguments().join(u' '))
            .arg(p->exitCode())
            .arg(p->errorString(), QString::fromUtf8(p->readAllStandardError().left(2000)));
    }

    static QJsonObject jsonOut(QProcess *p) { return QJsonDocument::fromJson(p->readAllStandardOutput()).object(); }

    // A pager run to its end with the event loop running.
    static bool finish(Aws::AwsPager *pager)
    {
        QSignalSpy spy(pager, &Aws::AwsPager::finished);
        return pager->isFinished() || spy.wait(30000);
    }

    Aws::AwsResponse call(Aws::AwsTransport &transport, const Aws::ServiceInfo &service, const QString &operation,
        const QJsonObject &input)
    {
        Aws::AwsCall *c = transport.callJson(service, operation, input);
        Aws::AwsResponse response;
        response.error = Core::Error(Core::Error::Kind::Network, QStringLiteral("test: no answer within 10 s"));
        connect(c, &Aws::AwsCall::finished, this, [&response, c] { response = c->response(); });
        QSignalSpy spy(c, &Aws::AwsCall::finished);
        spy.wait(10000);
        return response;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_home.isValid(), qPrintable(m_home.errorString()));
        m_aws = QStandardPaths::findExecutable(s("aws"));
        QVERIFY2(!m_aws.isEmpty(), "the aws CLI (v1) is not on PATH: install awscli; this test needs it");
        QVERIFY2(m_server.listen(), qPrintable(m_server.errorString()));
        m_seedDefinition = readSource(s("resources/sagas/seed-saga.asl.json"));
        m_cdkDefinition = readSource(s("tests/data/saga/cdk-saga.asl.json"));
        QVERIFY(!m_seedDefinition.isEmpty());
        QVERIFY(!m_cdkDefinition.isEmpty());
        m_seedArn = m_server.addStateMachine(s("seed-saga"), m_seedDefinition);
        m_cdkArn = m_server.addStateMachine(s("webshop-order-saga"), m_cdkDefinition);
        QCOMPARE(m_seedArn, s("arn:aws:states:us-east-1:123456789012:stateMachine:seed-saga"));
        const QString loop = m_server.addStateMachine(s("history-loop"), FakeAwsServer::loopDefinition());
        const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-3600);
        m_history2500 = m_server.addExecution(loop, s("long-2500"), FakeAwsServer::loopHistory(2500, start));
        m_history25000 = m_server.addExecution(loop, s("long-25000"), FakeAwsServer::loopHistory(25000, start));
        QCOMPARE(m_server.execution(m_history2500).events.size(), 2500);
        QCOMPARE(m_server.execution(m_history25000).events.size(), 25000);
        QCOMPARE(m_server.execution(m_history25000).status, s("SUCCEEDED"));
        QCOMPARE(linkProblem(m_server.execution(m_history2500).events), QString());

        m_transport = std::make_unique<Aws::AwsTransport>(&m_network, &m_credentials, s("us-east-1"));
        m_transport->setEndpoint(Aws::ServiceInfo::stepFunctions(), m_server.endpoint());
        m_transport->setEndpoint(Aws::ServiceInfo::dynamoDb(), m_server.endpoint());
        m_sfn = std::make_unique<Aws::StepFunctionsClient>(m_transport.get());
    }

    // Unsigned requests are refused the way AWS refuses them.
    void unsignedRequestIsRefused()
    {
        QNetworkRequest request(m_server.endpoint());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-amz-json-1.0"));
        request.setRawHeader("X-Amz-Target", "AWSStepFunctions.ListStateMachines");
        QNetworkReply *reply = m_network.post(request, QByteArray("{}"));
        QSignalSpy spy(reply, &QNetworkReply::finished);
        QVERIFY(spy.wait(10000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), s("application/x-amz-json-1.0"));
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(u"__type").toString(), s("MissingAuthenticationToken"));
        reply->deleteLater();
    }

    // The aws CLI v1 (botocore) as the client: its parsers, its paginators, its errors.
    void awsCli()
    {
        m_server.setTickMs(60000); // the CLI's execution stays RUNNING until stopped
        m_server.putItem(s(FakeAwsServer::SagaTable),
            QJsonObject { { s("TransactionId"), QJsonObject { { s("S"), s("cli-seeded") } } },
                { s("ProcessRecords"), QJsonObject { { s("S"), s("ProcessRecords sample data") } } } });
        const int historyRequests = m_server.requestCount(s("GetExecutionHistory"));

        FakeAwsServer::StartOptions instant;
        instant.tickMs = 0;
        const QString finished = m_server.startExecution(m_seedArn, s("cli-described"), sagaInput(s("cli-0")), instant);
        QVERIFY(!finished.isEmpty());

        QProcess *list = aws({ s("stepfunctions"), s("list-state-machines") });
        QProcess *forward
            = aws({ s("stepfunctions"), s("get-execution-history"), s("--execution-arn"), m_history2500 });
        QProcess *reverse = aws({ s("stepfunctions"), s("get-execution-history"), s("--execution-arn"), m_history2500,
            s("--reverse-order") });
        QProcess *start = aws({ s("stepfunctions"), s("start-execution"), s("--state-machine-arn"), m_seedArn,
            s("--name"), s("cli-run"), s("--input"), sagaInput(s("cli-1")) });
        QProcess *missing = aws({ s("stepfunctions"), s("describe-execution"), s("--execution-arn"),
            s("arn:aws:states:us-east-1:123456789012:execution:seed-saga:nope") });
        QProcess *item = aws({ s("dynamodb"), s("get-item"), s("--table-name"), s(FakeAwsServer::SagaTable), s("--key"),
            compact(key(s("cli-seeded"))) });
        QProcess *described = aws({ s("stepfunctions"), s("describe-execution"), s("--execution-arn"), finished });
        QVERIFY2(
            waitAll({ list, forward, reverse, start, missing, item, described }), "the aws CLI did not finish in 40 s");

        QVERIFY2(list->exitCode() == 0, qPrintable(describe(list)));
        QStringList names;
        for (const QJsonValue &m : jsonOut(list).value(u"stateMachines").toArray())
            names << m.toObject().value(u"name").toString();
        QCOMPARE(names, (QStringList { s("history-loop"), s("seed-saga"), s("webshop-order-saga") }));

        QVERIFY2(forward->exitCode() == 0, qPrintable(describe(forward)));
        QCOMPARE(idsOf(jsonOut(forward).value(u"events").toArray()), range(1, 2500));
        QVERIFY2(reverse->exitCode() == 0, qPrintable(describe(reverse)));
        QCOMPARE(idsOf(jsonOut(reverse).value(u"events").toArray()), range(2500, 1));
        // The CLI followed nextToken: 25 pages of the default 100, each way.
        QCOMPARE(m_server.requestCount(s("GetExecutionHistory")) - historyRequests, 50);

        QVERIFY2(start->exitCode() == 0, qPrintable(describe(start)));
        const QJsonObject started = jsonOut(start);
        const QString arn = started.value(u"executionArn").toString();
        QCOMPARE(arn, s("arn:aws:states:us-east-1:123456789012:execution:seed-saga:cli-run"));
        QVERIFY(started.value(u"startDate").toDouble() > 1.7e9);

        QCOMPARE(missing->exitCode(), 255);
        QVERIFY2(missing->readAllStandardError().contains("ExecutionDoesNotExist"), qPrintable(describe(missing)));

        QVERIFY2(item->exitCode() == 0, qPrintable(describe(item)));
        QCOMPARE(jsonOut(item).value(u"Item").toObject().value(u"ProcessRecords").toObject().value(u"S").toString(),
            s("ProcessRecords sample data"));

        QVERIFY2(described->exitCode() == 0, qPrintable(describe(described)));
        const QJsonObject d = jsonOut(described);
        QCOMPARE(d.value(u"status").toString(), s("SUCCEEDED"));
        QCOMPARE(d.value(u"name").toString(), s("cli-described"));
        QCOMPARE(d.value(u"stateMachineArn").toString(), m_seedArn);
        QCOMPARE(d.value(u"input").toString(), sagaInput(s("cli-0")));
        QVERIFY(d.value(u"stopDate").toDouble() >= d.value(u"startDate").toDouble());
        QCOMPARE(QJsonDocument::fromJson(d.value(u"output").toString().toUtf8())
                     .object()
                     .value(u"Payload")
                     .toObject()
                     .value(u"TransactionDetails")
                     .toObject()
                     .value(u"TransactionId")
                     .toString(),
            s("cli-0"));

        QCOMPARE(m_server.execution(arn).status, s("RUNNING"));
        QProcess *stop = aws({ s("stepfunctions"), s("stop-execution"), s("--execution-arn"), arn, s("--error"),
            s("UserStop"), s("--cause"), s("stopped by the aws CLI") });
        QVERIFY(waitAll({ stop }));
        QVERIFY2(stop->exitCode() == 0, qPrintable(describe(stop)));
        QVERIFY(jsonOut(stop).value(u"stopDate").toDouble() > 1.7e9);
        const FakeAwsServer::Execution stopped = m_server.execution(arn);
        QCOMPARE(stopped.status, s("ABORTED"));
        QCOMPARE(stopped.error, s("UserStop"));
        QCOMPARE(stopped.cause, s("stopped by the aws CLI"));
        QCOMPARE(stopped.input, sagaInput(s("cli-1")));
        const QJsonArray events = m_server.execution(arn).events;
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(u"type").toString(), s("ExecutionStarted"));
        QCOMPARE(events.at(1).toObject().value(u"type").toString(), s("ExecutionAborted"));
        QCOMPARE(events.at(1).toObject().value(u"previousEventId").toInt(), 1);
        m_server.setTickMs(250);
    }

    // Errors as AWS sends them, read by our own client (the code without a
    // DynamoDB namespace prefix, as botocore reads it too).
    void errorsAsAwsSendsThem_data()
    {
        QTest::addColumn<bool>("dynamo");
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QJsonObject>("input");
        QTest::addColumn<QString>("code");

        const QString seed = s("arn:aws:states:us-east-1:123456789012:stateMachine:seed-saga");
        QTest::newRow("non-JSON input") << false << s("StartExecution")
                                        << QJsonObject { { s("stateMachineArn"), seed }, { s("input"), s("{nope") } }
                                        << s("InvalidExecutionInput");
        QTest::newRow("unknown state machine")
            << false << s("StartExecution")
            << QJsonObject { { s("stateMachineArn"), s("arn:aws:states:us-east-1:123456789012:stateMachine:none") } }
            << s("StateMachineDoesNotExist");
        QTest::newRow("not an ARN") << false << s("DescribeExecution")
                                    << QJsonObject { { s("executionArn"), s("nope") } } << s("InvalidArn");
        QTest::newRow("bad token") << false << s("ListStateMachines")
                                   << QJsonObject { { s("nextToken"), s("garbage") } } << s("InvalidToken");
        QTest::newRow("maxResults above 1000")
            << false << s("GetExecutionHistory")
            << QJsonObject { { s("executionArn"),
                                 s("arn:aws:states:us-east-1:123456789012:execution:history-loop:long-2500") },
                   { s("maxResults"), 1001 } }
            << s("ValidationException");
        QTest::newRow("stop a finished execution")
            << false << s("StopExecution")
            << QJsonObject { { s("executionArn"),
                   s("arn:aws:states:us-east-1:123456789012:execution:history-loop:long-2500") } }
            << s("ValidationException");
        QTest::newRow("unknown table") << true << s("GetItem")
                                       << QJsonObject { { s("TableName"), s("NoSuchTable") },
                                              { s("Key"), key(s("x")) } }
                                       << s("ResourceNotFoundException");
        QTest::newRow("key of the wrong shape")
            << true << s("GetItem")
            << QJsonObject { { s("TableName"), s(FakeAwsServer::SagaTable) },
                   { s("Key"), QJsonObject { { s("Id"), QJsonObject { { s("S"), s("x") } } } } } }
            << s("ValidationException");
    }

    void errorsAsAwsSendsThem()
    {
        QFETCH(bool, dynamo);
        QFETCH(QString, operation);
        QFETCH(QJsonObject, input);
        QFETCH(QString, code);
        const Aws::AwsResponse r = call(
            *m_transport, dynamo ? Aws::ServiceInfo::dynamoDb() : Aws::ServiceInfo::stepFunctions(), operation, input);
        QCOMPARE(r.httpStatus, 400);
        QCOMPARE(r.error.reason, code);
        QVERIFY(!r.error.message.isEmpty());
        if (dynamo)
            QVERIFY(r.body.contains("com.amazonaws.dynamodb.v20120810#"));
    }

    void startExecutionRules()
    {
        const QString input = sagaInput(s("dup-1"));
        const QJsonObject request { { s("stateMachineArn"), m_seedArn }, { s("name"), s("dup") },
            { s("input"), input } };
        m_server.setTickMs(60000);
        const Aws::AwsResponse first
            = call(*m_transport, Aws::ServiceInfo::stepFunctions(), s("StartExecution"), request);
        QVERIFY2(first.ok(), qPrintable(first.error.toString()));
        // The same name and input while running: the same execution (idempotent).
        const Aws::AwsResponse again
            = call(*m_transport, Aws::ServiceInfo::stepFunctions(), s("StartExecution"), request);
        QVERIFY2(again.ok(), qPrintable(again.error.toString()));
        QCOMPARE(again.json.value(u"executionArn"), first.json.value(u"executionArn"));
        QJsonObject other = request;
        other.insert(s("input"), sagaInput(s("dup-2")));
        const Aws::AwsResponse clash
            = call(*m_transport, Aws::ServiceInfo::stepFunctions(), s("StartExecution"), other);
        QCOMPARE(clash.error.reason, s("ExecutionAlreadyExists"));
        // No name: a UUID; no input: "{}".
        const Aws::AwsResponse unnamed = call(*m_transport, Aws::ServiceInfo::stepFunctions(), s("StartExecution"),
            { { s("stateMachineArn"), m_seedArn } });
        QVERIFY2(unnamed.ok(), qPrintable(unnamed.error.toString()));
        const FakeAwsServer::Execution e = m_server.execution(unnamed.json.value(u"executionArn").toString());
        QCOMPARE(e.name.size(), 36);
        QCOMPARE(e.input, s("{}"));
        QCOMPARE(e.status, s("RUNNING"));
        QCOMPARE(e.events.size(), 1); // ExecutionStarted at once, the rest one per tick
        m_server.setTickMs(250);
        QVERIFY(m_server.stopExecution(e.arn));
        QVERIFY(m_server.stopExecution(first.json.value(u"executionArn").toString()));
    }

    // Our client pages a history of the maximum size, 1000 events a page, both ways.
    void ownClientPagesMaximumHistory_data()
    {
        QTest::addColumn<bool>("reverse");
        QTest::newRow("forward") << false;
        QTest::newRow("reverse") << true;
    }

    void ownClientPagesMaximumHistory()
    {
        QFETCH(bool, reverse);
        Aws::ExecutionHistoryOptions options;
        options.maxResults = 1000;
        options.reverseOrder = reverse;
        Aws::AwsPager *pager = m_sfn->getExecutionHistory(m_history25000, options);
        QVERIFY(finish(pager));
        QVERIFY2(pager->error().isNull(), qPrintable(pager->error().toString()));
        QCOMPARE(pager->pageCount(), 25);
        QCOMPARE(idsOf(pager->items()), reverse ? range(25000, 1) : range(1, 25000));
    }

    void includeExecutionDataFalseStripsData()
    {
        Aws::ExecutionHistoryOptions options;
        options.includeExecutionData = false;
        options.maxItems = 10;
        Aws::AwsPager *pager = m_sfn->getExecutionHistory(m_history2500, options);
        QVERIFY(finish(pager));
        QVERIFY(!pager->items().isEmpty());
        for (const QJsonValue &e : pager->items()) {
            const QJsonObject o = e.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                QVERIFY(!it.value().toObject().contains(u"input"));
                QVERIFY(!it.value().toObject().contains(u"output"));
            }
        }
        const QJsonObject entered = pager->items().at(1).toObject().value(u"stateEnteredEventDetails").toObject();
        QCOMPARE(entered.value(u"name").toString(), s("Tick"));
    }

    // ExecutionFollower tails a simulated live execution to its end, newest first.
    void followerFollowsLiveExecution()
    {
        FakeAwsServer::StartOptions options;
        options.tickMs = 40;
        QString error;
        const QString arn = m_server.startExecution(m_seedArn, s("live-1"),
            sagaInput(s("live-1"), { { s("simulateFail"), true }, { s("failAt"), s("TransformRecords") } }), options,
            &error);
        QVERIFY2(!arn.isEmpty(), qPrintable(error));
        QVERIFY(m_server.execution(arn).pendingEvents > 20);

        Saga::ExecutionFollower follower(m_sfn.get(), arn);
        follower.setActiveIntervalMs(100);
        follower.setIdleIntervalMs(150);
        follower.setPageSize(4);
        QSignalSpy finished(&follower, &Saga::ExecutionFollower::finished);
        follower.start();
        QVERIFY(finished.wait(20000));
        QVERIFY2(follower.lastError().isNull(), qPrintable(follower.lastError().toString()));
        QCOMPARE(follower.terminalEventType(), s("ExecutionFailed"));
        QVERIFY(follower.reverseOrderHonoured());
        QVERIFY(follower.pollCount() > 3);
        const FakeAwsServer::Execution e = m_server.execution(arn);
        QCOMPARE(e.status, s("FAILED"));
        QCOMPARE(e.pendingEvents, 0);
        QJsonArray followed;
        for (const QJsonObject &o : follower.events())
            followed.append(o);
        QCOMPARE(followed, e.events);
        QCOMPARE(m_server.item(s(FakeAwsServer::SagaTable), key(s("live-1"))), QJsonObject());
    }

    // The simulator's histories, classified by our own saga analysis, and the
    // DynamoDB record each leaves.
    void simulatorOutcomes_data()
    {
        QTest::addColumn<bool>("cdk");
        QTest::addColumn<QJsonObject>("details");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("failedStep");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QStringList>("dangling");
        QTest::addColumn<QStringList>("attributes");
        QTest::addColumn<int>("taskFailures");

        const auto fail = [](const char *at, QJsonObject more = {}) {
            more.insert(s("simulateFail"), true);
            if (at)
                more.insert(s("failAt"), s(at));
            return more;
        };
        const QStringList all { s("CommitRecords"), s("ProcessRecords"), s("TransformRecords") };
        const QStringList allTasks { s("CommitRecordsTask"), s("ProcessRecordsTask"), s("TransformRecordsTask") };
        const QString sim = s("SimulatedFailure");
        QTest::newRow("seed committed") << false << QJsonObject() << s("SUCCEEDED") << s("COMMITTED") << QString()
                                        << QString() << QStringList() << all << 0;
        QTest::newRow("seed fails at ProcessRecords")
            << false << fail("ProcessRecords") << s("FAILED") << s("COMPENSATED") << s("ProcessRecords") << sim
            << QStringList() << QStringList() << 1;
        QTest::newRow("seed fails at TransformRecords")
            << false << fail("TransformRecords") << s("FAILED") << s("COMPENSATED") << s("TransformRecords") << sim
            << QStringList() << QStringList() << 1;
        QTest::newRow("seed fails at CommitRecords (default)")
            << false << fail(nullptr) << s("FAILED") << s("COMPENSATED") << s("CommitRecords") << sim << QStringList()
            << QStringList() << 1;
        QTest::newRow("seed rollback fails")
            << false << fail(nullptr, { { s("failRollback"), s("ProcessRecordsRollback") } }) << s("FAILED")
            << s("COMPENSATION_FAILED") << s("CommitRecords") << sim << QStringList { s("ProcessRecords") }
            << QStringList { s("ProcessRecords") } << 2;
        QTest::newRow("seed two retries, then success")
            << false << fail("TransformRecords", { { s("retries"), 2 } }) << s("SUCCEEDED") << s("COMMITTED")
            << QString() << QString() << QStringList() << all << 2;
        QTest::newRow("seed retries run out")
            << false << fail("CommitRecords", { { s("retries"), 3 } }) << s("FAILED") << s("COMPENSATED")
            << s("CommitRecords") << s("Lambda.ServiceException") << QStringList() << QStringList() << 3;
        QTest::newRow("cdk committed") << true << QJsonObject() << s("SUCCEEDED") << s("COMMITTED") << QString()
                                       << QString() << QStringList() << allTasks << 0;
        QTest::newRow("cdk fails at TransformRecords")
            << true << fail("TransformRecords") << s("SUCCEEDED") << s("COMPENSATED") << s("TransformRecordsGroup")
            << sim << QStringList() << QStringList() << 1;
        QTest::newRow("cdk rollback fails")
            << true << fail(nullptr, { { s("failRollback"), s("ProcessRecordsRollback") } }) << s("FAILED")
            << s("COMPENSATION_FAILED") << s("CommitRecordsGroup") << sim << QStringList { s("ProcessRecordsGroup") }
            << QStringList { s("ProcessRecordsTask") } << 2;
    }

    void simulatorOutcomes()
    {
        QFETCH(bool, cdk);
        QFETCH(QJsonObject, details);
        QFETCH(QString, status);
        QFETCH(QString, outcome);
        QFETCH(QString, failedStep);
        QFETCH(QString, error);
        QFETCH(QStringList, dangling);
        QFETCH(QStringList, attributes);
        QFETCH(int, taskFailures);

        static int serial = 0;
        const QString txn = QStringLiteral("sim-%1").arg(++serial);
        FakeAwsServer::StartOptions options;
        options.tickMs = 0;
        options.startDate = QDateTime::currentDateTimeUtc().addSecs(-600);
        QString why;
        const QString arn
            = m_server.startExecution(cdk ? m_cdkArn : m_seedArn, txn, sagaInput(txn, details), options, &why);
        QVERIFY2(!arn.isEmpty(), qPrintable(why));
        const FakeAwsServer::Execution e = m_server.execution(arn);
        QCOMPARE(e.status, status);
        QCOMPARE(e.pendingEvents, 0);
        QCOMPARE(linkProblem(e.events), QString());
        QCOMPARE(countType(e.events, s("TaskFailed")), taskFailures);
        QVERIFY(e.stopDate > e.startDate);

        const Saga::StateGraph graph = Saga::parseDefinition(cdk ? m_cdkDefinition : m_seedDefinition);
        QVERIFY(graph.isValid());
        const Saga::History history = Saga::parseHistory(e.events);
        QVERIFY(history.problems.isEmpty());
        const Saga::Timeline timeline = Saga::buildTimeline(history);
        QVERIFY(timeline.problems.isEmpty());
        const Saga::SagaAnalysis a = Saga::analyzeSaga(graph, Saga::deriveRoles(graph), timeline);
        QCOMPARE(Saga::sagaOutcomeName(a.outcome), outcome);
        QCOMPARE(a.failedStep, failedStep);
        QCOMPARE(a.error, error);
        QStringList gotDangling = a.dangling;
        gotDangling.sort();
        QCOMPARE(gotDangling, dangling);

        const QJsonObject item = m_server.item(s(FakeAwsServer::SagaTable), key(txn));
        QCOMPARE(attributesOf(item), attributes);
        for (const QString &attribute : attributes)
            QCOMPARE(item.value(attribute).toObject().value(u"S").toString(), QString(attribute + u" sample data"));
    }

    // Choice, Wait, Parallel with two branches, Succeed and Fail, outside the sagas.
    void simulatorGenericStates_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QStringList>("types");

        const QStringList fan { s("ParallelStateEntered"), s("ParallelStateStarted"), s("PassStateEntered"),
            s("PassStateExited"), s("TaskStateEntered"), s("TaskScheduled"), s("TaskStarted"), s("TaskSucceeded"),
            s("TaskStateExited"), s("ParallelStateSucceeded"), s("ParallelStateExited"), s("SucceedStateEntered"),
            s("SucceedStateExited"), s("ExecutionSucceeded") };
        const QStringList route { s("ExecutionStarted"), s("ChoiceStateEntered"), s("ChoiceStateExited") };
        QTest::newRow("fast") << s("{\"fast\":true}") << s("SUCCEEDED") << route + fan;
        QTest::newRow("slow") << s("{\"kind\":\"slow\"}") << s("SUCCEEDED")
                              << route + QStringList { s("WaitStateEntered"), s("WaitStateExited") } + fan;
        QTest::newRow("default") << s("{}") << s("FAILED")
                                 << route + QStringList { s("FailStateEntered"), s("ExecutionFailed") };
    }

    void simulatorGenericStates()
    {
        QFETCH(QString, input);
        QFETCH(QString, status);
        QFETCH(QStringList, types);
        // Single quotes for readability (moc does not take raw string literals).
        const QByteArray definition
            = QByteArray("{'StartAt':'Route','States':{"
                         "'Route':{'Type':'Choice','Choices':["
                         "{'Variable':'$.fast','BooleanEquals':true,'Next':'Fan'},"
                         "{'Variable':'$.kind','StringEquals':'slow','Next':'Pause'}],'Default':'Reject'},"
                         "'Pause':{'Type':'Wait','Seconds':5,'Next':'Fan'},"
                         "'Fan':{'Type':'Parallel','ResultPath':'$.fan','Next':'Done','Branches':["
                         "{'StartAt':'A','States':{'A':{'Type':'Pass','Result':{'a':1},'End':true}}},"
                         "{'StartAt':'B','States':{'B':{'Type':'Task','Resource':'arn:aws:states:::lambda:invoke',"
                         "'Parameters':{'Payload.$':'$'},'End':true}}}]},"
                         "'Done':{'Type':'Succeed'},"
                         "'Reject':{'Type':'Fail','Error':'Rejected','Cause':'no route'}}}")
                  .replace('\'', '"');
        const QString machine = m_server.addStateMachine(s("generic"), definition);
        static int serial = 0;
        FakeAwsServer::StartOptions options;
        options.tickMs = 0;
        QString why;
        const QString arn
            = m_server.startExecution(machine, QStringLiteral("g-%1").arg(++serial), input, options, &why);
        QVERIFY2(!arn.isEmpty(), qPrintable(why));
        const FakeAwsServer::Execution e = m_server.execution(arn);
        QCOMPARE(e.status, status);
        QCOMPARE(linkProblem(e.events), QString());
        QStringList got;
        for (const QJsonValue &v : e.events)
            got << v.toObject().value(u"type").toString();
        QCOMPARE(got, types);
        const Saga::Timeline timeline = Saga::buildTimeline(Saga::parseHistory(e.events));
        QVERIFY(timeline.problems.isEmpty());
        if (status == u"FAILED") {
            QCOMPARE(e.error, s("Rejected"));
            QCOMPARE(e.cause, s("no route"));
            return;
        }
        // Both branches start from ParallelStateStarted; the Parallel's result lands at $.fan.
        const int started = int(types.indexOf(s("ParallelStateStarted"))) + 1;
        const int a = int(types.indexOf(s("PassStateEntered")));
        const int b = int(types.indexOf(s("TaskStateEntered")));
        QCOMPARE(e.events.at(a).toObject().value(u"previousEventId").toInt(), started);
        QCOMPARE(e.events.at(b).toObject().value(u"previousEventId").toInt(), started);
        const QJsonObject output = QJsonDocument::fromJson(e.output.toUtf8()).object();
        const QJsonArray fanOut = output.value(u"fan").toArray();
        QCOMPARE(fanOut.size(), 2);
        QCOMPARE(fanOut.at(0).toObject().value(u"a").toInt(), 1);
        QCOMPARE(fanOut.at(1).toObject().value(u"StatusCode").toInt(), 200);
    }

    // Stopped half way, the record keeps what ran; redriven through the API,
    // the execution resumes at the state it was in and commits.
    void stopThenRedrive()
    {
        FakeAwsServer::StartOptions options;
        options.tickMs = -1;
        QString why;
        const QString arn = m_server.startExecution(m_seedArn, s("stop-redrive"), sagaInput(s("sr-1")), options, &why);
        QVERIFY2(!arn.isEmpty(), qPrintable(why));
        QCOMPARE(m_server.releaseEvents(arn, 11), 11); // up to TransformRecords' TaskStarted
        QCOMPARE(attributesOf(m_server.item(s(FakeAwsServer::SagaTable), key(s("sr-1")))),
            QStringList { s("ProcessRecords") });

        // Not redrivable while running.
        Aws::AwsCall *early = m_sfn->redriveExecution(arn);
        QSignalSpy earlySpy(early, &Aws::AwsCall::finished);
        Aws::AwsResponse earlyResponse;
        connect(early, &Aws::AwsCall::finished, this, [&] { earlyResponse = early->response(); });
        QVERIFY(earlySpy.wait(10000));
        QCOMPARE(earlyResponse.error.reason, s("ExecutionNotRedrivable"));

        Aws::AwsCall *stop = m_sfn->stopExecution(arn, s("UserStop"), s("half way"));
        QSignalSpy stopSpy(stop, &Aws::AwsCall::finished);
        QVERIFY(stopSpy.wait(10000));
        FakeAwsServer::Execution e = m_server.execution(arn);
        QCOMPARE(e.status, s("ABORTED"));
        QCOMPARE(e.pendingEvents, 0);
        QCOMPARE(e.events.last().toObject().value(u"type").toString(), s("ExecutionAborted"));
        QCOMPARE(e.events.last().toObject().value(u"previousEventId").toInt(), 11);

        Aws::AwsCall *redrive = m_sfn->redriveExecution(arn);
        QSignalSpy redriveSpy(redrive, &Aws::AwsCall::finished);
        Aws::AwsResponse redriveResponse;
        connect(redrive, &Aws::AwsCall::finished, this, [&] { redriveResponse = redrive->response(); });
        QVERIFY(redriveSpy.wait(10000));
        QVERIFY2(redriveResponse.ok(), qPrintable(redriveResponse.error.toString()));
        QVERIFY(redriveResponse.json.value(u"redriveDate").toDouble() > 1.7e9);
        QCOMPARE(m_server.execution(arn).status, s("RUNNING"));
        m_server.releaseEvents(arn);

        e = m_server.execution(arn);
        QCOMPARE(e.status, s("SUCCEEDED"));
        QCOMPARE(e.redriveCount, 1);
        QVERIFY(e.redriveDate.isValid());
        QCOMPARE(linkProblem(e.events), QString());
        const QJsonObject redriven = e.events.at(12).toObject();
        QCOMPARE(redriven.value(u"type").toString(), s("ExecutionRedriven"));
        QCOMPARE(redriven.value(u"executionRedrivenEventDetails").toObject().value(u"redriveCount").toInt(), 1);
        const QJsonObject resumed = e.events.at(13).toObject();
        QCOMPARE(resumed.value(u"type").toString(), s("TaskStateEntered"));
        QCOMPARE(
            resumed.value(u"stateEnteredEventDetails").toObject().value(u"name").toString(), s("TransformRecords"));
        QCOMPARE(attributesOf(m_server.item(s(FakeAwsServer::SagaTable), key(s("sr-1")))),
            (QStringList { s("CommitRecords"), s("ProcessRecords"), s("TransformRecords") }));

        const Saga::StateGraph graph = Saga::parseDefinition(m_seedDefinition);
        const Saga::SagaAnalysis a = Saga::analyzeSaga(graph, Saga::buildTimeline(Saga::parseHistory(e.events)));
        QCOMPARE(Saga::sagaOutcomeName(a.outcome), s("COMMITTED"));
    }

    // The process: READY line, the saga-demo scenario in eu-west-1, the long
    // history, and exit when stdin closes.
    void executableServesScenario()
    {
        QProcess server;
        server.setProgram(QStringLiteral(BRAMBLE_FAKE_AWS_SERVER));
        server.setArguments({ s("--scenario"), s("saga-demo"), s("--history-events"), s("1000") });
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start();
        QVERIFY2(server.waitForStarted(10000), qPrintable(server.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(server.canReadLine() || server.state() == QProcess::NotRunning, 15000);
        const QByteArray ready = server.readLine().trimmed();
        QVERIFY2(ready.startsWith("READY ENDPOINT=http://127.0.0.1:"), ready.constData());
        const QUrl endpoint(QString::fromLatin1(ready.mid(15)));

        Aws::AwsTransport eu(&m_network, &m_credentials, s("eu-west-1"));
        eu.setEndpoint(Aws::ServiceInfo::stepFunctions(), endpoint);
        eu.setEndpoint(Aws::ServiceInfo::dynamoDb(), endpoint);
        const Aws::AwsResponse list = call(eu, Aws::ServiceInfo::stepFunctions(), s("ListExecutions"),
            { { s("stateMachineArn"), s("arn:aws:states:eu-west-1:123456789012:stateMachine:seed-saga") } });
        QVERIFY2(list.ok(), qPrintable(list.error.toString()));
        QMap<QString, int> statuses;
        QStringList names;
        int redriven = 0;
        for (const QJsonValue &v : list.json.value(u"executions").toArray()) {
            statuses[v.toObject().value(u"status").toString()] += 1;
            names << v.toObject().value(u"name").toString();
            redriven += v.toObject().value(u"redriveCount").toInt();
        }
        QCOMPARE(names.size(), 12);
        QCOMPARE(names.first(), s("txn-1012")); // newest first
        QCOMPARE(names.last(), s("txn-1001"));
        QCOMPARE(statuses.value(s("RUNNING")), 1);
        QCOMPARE(statuses.value(s("ABORTED")), 1);
        QCOMPARE(statuses.value(s("SUCCEEDED")), 4);
        QCOMPARE(statuses.value(s("FAILED")), 6);
        QCOMPARE(redriven, 1);

        const Aws::AwsResponse record = call(eu, Aws::ServiceInfo::dynamoDb(), s("GetItem"),
            { { s("TableName"), s("SagaTransactions") }, { s("Key"), key(s("1007")) } });
        QVERIFY2(record.ok(), qPrintable(record.error.toString()));
        QCOMPARE(attributesOf(record.json.value(u"Item").toObject()),
            (QStringList { s("ProcessRecords"), s("TransformRecords") }));

        Aws::AwsTransport us(&m_network, &m_credentials, s("us-east-1"));
        us.setEndpoint(Aws::ServiceInfo::stepFunctions(), endpoint);
        Aws::StepFunctionsClient client(&us);
        Aws::ExecutionHistoryOptions options;
        options.maxResults = 1000;
        Aws::AwsPager *pager = client.getExecutionHistory(
            s("arn:aws:states:us-east-1:123456789012:execution:history-loop:long-history"), options);
        QVERIFY(finish(pager));
        QVERIFY2(pager->error().isNull(), qPrintable(pager->error().toString()));
        QVERIFY(pager->items().size() >= 1000);

        server.closeWriteChannel();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 5000);
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFakeAwsServer)
#include "tst_fakeawsserver.moc"
