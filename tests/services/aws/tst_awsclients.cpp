// The AWS clients (Step Functions, CloudWatch Logs, DynamoDB, Secrets Manager,
// STS) against moto's server: one moto for the whole test, emptied before every
// test function. What the clients cannot do themselves (CreateStateMachine,
// PutLogEvents, PutItem, CreateSecret...) goes through the transport.
//
// Where moto 5.2 answers differently from AWS the test says so: a QEXPECT_FAIL
// names the difference (a moto that fixes it turns into an XPASS, which fails),
// or a comment does where only moto's answer can be checked. Found with moto 5.2.1:
// - with execute_state_machine on, StartExecution works once per region between
//   resets: the next one fails with HTTP 500 (moto deep-copies the state machine,
//   which holds its backend and so the first execution's worker lock). So every
//   test function here starts at most one execution;
// - ListStateMachines items have no type; StopExecution answers {} (no stopDate);
// - GetExecutionHistory ignores reverseOrder and maxResults (one page, oldest
//   first), every event has previousEventId 0, and ExecutionAborted has an empty
//   error and cause whatever StopExecution said;
// - RedriveExecution is not implemented: HTTP 500 with Werkzeug's HTML page;
// - GetLogEvents includes events at endTime (AWS excludes them);
// - DynamoDB returns numbers as they were written ("007.50"; AWS: "7.5");
// - Secrets Manager's ResourceNotFoundException comes with HTTP 404 (AWS: 400).

#include "aws/attributevalue.h"
#include "aws/awspager.h"
#include "aws/awstransport.h"
#include "aws/cloudwatchlogsclient.h"
#include "aws/credentialsprovider.h"
#include "aws/dynamodbclient.h"
#include "aws/secretsmanagerclient.h"
#include "aws/stepfunctionsclient.h"
#include "aws/stsclient.h"
#include "support/motoserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <memory>

using namespace Bramble::Aws;
using Bramble::Core::Error;
using Kind = Bramble::Core::Error::Kind;
using Bramble::Test::MotoServer;

namespace {

constexpr int CallTimeoutMs = 10000;
constexpr int ExecutionTimeoutMs = 10000;

QString region()
{
    return QStringLiteral("us-east-1");
}

QString account()
{
    return QStringLiteral("123456789012"); // moto's default account
}

QString roleArn()
{
    return QStringLiteral("arn:aws:iam::123456789012:role/bramble-saga");
}

// A JSON object written in the test; a typo in it is a bug in the test.
QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("test JSON does not parse (%s): %s", qPrintable(error.errorString()), text);
    return doc.object();
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// The `key` string of every item.
QStringList strings(const QJsonArray &items, const QString &key)
{
    QStringList out;
    for (const QJsonValue &item : items)
        out << item.toObject().value(key).toString();
    return out;
}

QList<int> ints(const QJsonArray &items, const QString &key)
{
    QList<int> out;
    for (const QJsonValue &item : items)
        out << item.toObject().value(key).toInt(-1);
    return out;
}

// Runs the event loop until the call finishes and returns its response. A call
// that hangs is cancelled after CallTimeoutMs and answers a Timeout error.
AwsResponse wait(AwsCall *call)
{
    AwsResponse out;
    bool done = false;
    QObject::connect(call, &AwsCall::finished, call, [&] {
        out = call->response();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, CallTimeoutMs)) {
        const QString operation = call->request().operation;
        call->disconnect();
        call->cancel();
        out.error.kind = Kind::Network;
        out.error.operation = operation;
        out.error.message = QStringLiteral("test: no answer within %1 ms").arg(CallTimeoutMs);
    }
    return out;
}

// What a pager collected, and each answer it received.
struct Listing {
    QJsonArray items;
    QList<QJsonObject> pages;
    int pageCount = 0;
    Error error;

    bool ok() const { return error.isNull(); }
};

Listing wait(AwsPager *pager)
{
    Listing out;
    bool done = false;
    QObject::connect(pager, &AwsPager::pageReceived, pager,
        [&](const QJsonArray &, const QJsonObject &page) { out.pages.append(page); });
    QObject::connect(pager, &AwsPager::finished, pager, [&] {
        out.items = pager->items();
        out.pageCount = pager->pageCount();
        out.error = pager->error();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, CallTimeoutMs)) {
        pager->disconnect();
        pager->cancel();
        out.error.kind = Kind::Network;
        out.error.message = QStringLiteral("test: the listing did not finish within %1 ms").arg(CallTimeoutMs);
    }
    return out;
}

// Two Pass states: the input comes out with the reservation added.
QJsonObject passDefinition()
{
    return json("{\"Comment\":\"reserve, then commit\",\"StartAt\":\"Reserve\",\"States\":{"
                "\"Reserve\":{\"Type\":\"Pass\",\"Result\":{\"reserved\":true},\"ResultPath\":\"$.reservation\","
                "\"Next\":\"Commit\"},"
                "\"Commit\":{\"Type\":\"Pass\",\"End\":true}}}");
}

// Runs for an hour unless stopped.
QJsonObject waitDefinition()
{
    return json("{\"StartAt\":\"Hold\",\"States\":{\"Hold\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}");
}

QDateTime utc(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
}

} // namespace

// Evaluates `expr` once: a failed call is not sent again to describe it.
#define QVERIFY_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &result_ = (expr);                                                                                  \
        QVERIFY2(result_.ok(), qPrintable(result_.error.toString()));                                                  \
    } while (false)

class tst_AwsClients : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // Step Functions
    void listStateMachines();
    void describeStateMachineReturnsTheDefinition();
    void executionRunsToSuccess();
    void startExecutionWithoutNameGetsAGeneratedName();
    void stopExecutionAndListByStatus();
    void redriveExecutionIsNotImplementedByMoto();
    void missingArnsAreServiceErrors_data();
    void missingArnsAreServiceErrors();

    // CloudWatch Logs
    void describeLogGroupsByPrefix();
    void describeLogStreams();
    void filterLogEvents();
    void getLogEventsFollowsTokensUntilTheyRepeat();

    // DynamoDB
    void getItemReturnsPlainJson();
    void queryByKey();
    void scanFollowsLastEvaluatedKey();
    void missingTableIsResourceNotFound();

    // Secrets Manager
    void getSecretValue();
    void missingSecretIsResourceNotFound();

    // STS
    void getCallerIdentity();
    void assumeRoleReturnsTemporaryCredentials();

private:
    AwsResponse call(const ServiceInfo &service, const QString &operation, const QJsonObject &input)
    {
        return wait(m_transport->callJson(service, operation, input));
    }
    AwsResponse createStateMachine(const QString &name, const QJsonObject &definition);
    // DescribeExecution until the status is no longer `status` (moto runs the
    // definition on a thread of its own), at most ExecutionTimeoutMs.
    AwsResponse describeWhile(const QString &executionArn, const QString &status);
    AwsResponse putLogEvents(const QString &group, const QString &stream, const QList<QPair<qint64, QString>> &events);
    AwsResponse createTransactionsTable();
    // 25 items: pk "txn-<i % 3>", sk i, kind "even"/"odd".
    AwsResponse writeTransactions();

    MotoServer m_moto;
    QNetworkAccessManager m_network;
    std::unique_ptr<StaticCredentialsProvider> m_credentials;
    std::unique_ptr<AwsTransport> m_transport;
};

void tst_AwsClients::initTestCase()
{
    QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
    QVERIFY2(m_moto.enableStateMachineExecution(), qPrintable(m_moto.errorString()));
}

void tst_AwsClients::init()
{
    QVERIFY2(m_moto.reset(), qPrintable(m_moto.errorString()));
    AwsCredentials credentials;
    credentials.accessKeyId = QStringLiteral("testing");
    credentials.secretAccessKey = QStringLiteral("testing");
    credentials.source = QStringLiteral("test");
    m_credentials = std::make_unique<StaticCredentialsProvider>(credentials);
    m_transport = std::make_unique<AwsTransport>(&m_network, m_credentials.get(), region());
    for (const ServiceInfo *s : { &ServiceInfo::stepFunctions(), &ServiceInfo::cloudWatchLogs(),
             &ServiceInfo::dynamoDb(), &ServiceInfo::secretsManager(), &ServiceInfo::sts() })
        m_transport->setEndpoint(*s, m_moto.endpoint());
    m_transport->retryPolicy().setDelayScale(0.001); // retries of a 5xx do not sleep
}

void tst_AwsClients::cleanup()
{
    m_transport.reset();
    m_credentials.reset();
}

AwsResponse tst_AwsClients::createStateMachine(const QString &name, const QJsonObject &definition)
{
    return call(ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"),
        { { QStringLiteral("name"), name }, { QStringLiteral("definition"), compact(definition) },
            { QStringLiteral("roleArn"), roleArn() } });
}

AwsResponse tst_AwsClients::describeWhile(const QString &executionArn, const QString &status)
{
    StepFunctionsClient sfn(m_transport.get());
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        const AwsResponse r = wait(sfn.describeExecution(executionArn));
        if (!r.ok() || r.json.value(QStringLiteral("status")).toString() != status
            || timer.elapsed() > ExecutionTimeoutMs)
            return r;
        QTest::qWait(50);
    }
}

AwsResponse tst_AwsClients::putLogEvents(
    const QString &group, const QString &stream, const QList<QPair<qint64, QString>> &events)
{
    QJsonArray list;
    for (const auto &[timestamp, message] : events)
        list.append(
            QJsonObject { { QStringLiteral("timestamp"), double(timestamp) }, { QStringLiteral("message"), message } });
    return call(ServiceInfo::cloudWatchLogs(), QStringLiteral("PutLogEvents"),
        { { QStringLiteral("logGroupName"), group }, { QStringLiteral("logStreamName"), stream },
            { QStringLiteral("logEvents"), list } });
}

AwsResponse tst_AwsClients::createTransactionsTable()
{
    return call(ServiceInfo::dynamoDb(), QStringLiteral("CreateTable"),
        json("{\"TableName\":\"transactions\",\"BillingMode\":\"PAY_PER_REQUEST\","
             "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"
             "{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
             "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
             "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}]}"));
}

AwsResponse tst_AwsClients::writeTransactions()
{
    QJsonArray requests;
    for (int i = 0; i < 25; ++i) {
        const QJsonObject item { { QStringLiteral("pk"), QStringLiteral("txn-%1").arg(i % 3) },
            { QStringLiteral("sk"), i },
            { QStringLiteral("kind"), i % 2 ? QStringLiteral("odd") : QStringLiteral("even") } };
        requests.append(QJsonObject { { QStringLiteral("PutRequest"),
            QJsonObject { { QStringLiteral("Item"), AttributeValue::itemFromJson(item) } } } });
    }
    return call(ServiceInfo::dynamoDb(), QStringLiteral("BatchWriteItem"),
        { { QStringLiteral("RequestItems"), QJsonObject { { QStringLiteral("transactions"), requests } } } });
}

// ---------------------------------------------------------------- Step Functions

void tst_AwsClients::listStateMachines()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
    QSet<QString> created;
    for (const QString &name :
        { QStringLiteral("saga-order"), QStringLiteral("saga-refund"), QStringLiteral("saga-ship") }) {
        const AwsResponse r = createStateMachine(name, passDefinition());
        QVERIFY_OK(r);
        const QString arn = r.json.value(QStringLiteral("stateMachineArn")).toString();
        QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:") + name);
        created.insert(arn);
    }
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(5);

    StepFunctionsClient sfn(m_transport.get());
    const Listing all = wait(sfn.listStateMachines());
    QVERIFY_OK(all);
    QCOMPARE(all.items.size(), 3);
    QSet<QString> listed;
    QStringList names;
    for (const QJsonValue &v : all.items) {
        const StateMachineSummary s = StateMachineSummary::fromJson(v.toObject());
        listed.insert(s.stateMachineArn);
        names << s.name;
        QVERIFY2(s.stateMachineArn.endsWith(u':' + s.name), qPrintable(s.stateMachineArn));
        QVERIFY2(s.creationDate.isValid() && s.creationDate >= before && s.creationDate <= after,
            qPrintable(s.creationDate.toString(Qt::ISODateWithMs)));
        QCOMPARE(s.creationDate.timeSpec(), Qt::UTC);
    }
    QCOMPARE(listed, created);
    QEXPECT_FAIL("", "moto 5.2 leaves type out of ListStateMachines items", Continue);
    QCOMPARE(StateMachineSummary::fromJson(all.items.at(0).toObject()).type, QStringLiteral("STANDARD"));
    names.sort();
    QCOMPARE(names,
        QStringList({ QStringLiteral("saga-order"), QStringLiteral("saga-refund"), QStringLiteral("saga-ship") }));

    // maxItems stops the listing, whatever the page size.
    const Listing two = wait(sfn.listStateMachines(2));
    QVERIFY_OK(two);
    QCOMPARE(two.items.size(), 2);
    QVERIFY(created.contains(two.items.at(0).toObject().value(QStringLiteral("stateMachineArn")).toString()));

    // The client asks for the service's page size; with one machine a page the
    // pager follows moto's nextToken to the end.
    PageSpec spec { QStringLiteral("ListStateMachines"), { { QStringLiteral("maxResults"), 1 } },
        QStringLiteral("stateMachines") };
    const Listing paged = wait(startPager(m_transport.get(), ServiceInfo::stepFunctions(), spec));
    QVERIFY_OK(paged);
    QCOMPARE(paged.pageCount, 3);
    QCOMPARE(paged.items.size(), 3);
    QVERIFY(!paged.pages.at(0).value(QStringLiteral("nextToken")).toString().isEmpty());
    QVERIFY(!paged.pages.at(1).value(QStringLiteral("nextToken")).toString().isEmpty());
    QVERIFY(!paged.pages.at(2).contains(QStringLiteral("nextToken")));
    const QStringList pagedArns = strings(paged.items, QStringLiteral("stateMachineArn"));
    QCOMPARE(QSet<QString>(pagedArns.begin(), pagedArns.end()), created);
}

void tst_AwsClients::describeStateMachineReturnsTheDefinition()
{
    const AwsResponse created = createStateMachine(QStringLiteral("saga-order"), passDefinition());
    QVERIFY_OK(created);
    const QString arn = created.json.value(QStringLiteral("stateMachineArn")).toString();

    const AwsResponse r = wait(StepFunctionsClient(m_transport.get()).describeStateMachine(arn));
    QVERIFY_OK(r);
    QCOMPARE(r.httpStatus, 200);
    QCOMPARE(r.json.value(QStringLiteral("stateMachineArn")).toString(), arn);
    QCOMPARE(r.json.value(QStringLiteral("name")).toString(), QStringLiteral("saga-order"));
    QCOMPARE(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("ACTIVE"));
    QCOMPARE(r.json.value(QStringLiteral("type")).toString(), QStringLiteral("STANDARD"));
    QCOMPARE(r.json.value(QStringLiteral("roleArn")).toString(), roleArn());
    const QString definition = r.json.value(QStringLiteral("definition")).toString();
    QCOMPARE(definition, compact(passDefinition())); // the text as it was sent
    QCOMPARE(parse(definition), passDefinition());
    QVERIFY(awsTimestamp(r.json.value(QStringLiteral("creationDate"))).isValid());
}

void tst_AwsClients::executionRunsToSuccess()
{
    const AwsResponse created = createStateMachine(QStringLiteral("saga-order"), passDefinition());
    QVERIFY_OK(created);
    const QString machine = created.json.value(QStringLiteral("stateMachineArn")).toString();
    StepFunctionsClient sfn(m_transport.get());

    const AwsResponse started
        = wait(sfn.startExecution(machine, QStringLiteral("order-42"), QStringLiteral("{\"orderId\":\"42\"}")));
    QVERIFY_OK(started);
    const QString arn = started.json.value(QStringLiteral("executionArn")).toString();
    QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:saga-order:order-42"));
    QVERIFY(awsTimestamp(started.json.value(QStringLiteral("startDate"))).isValid());

    const AwsResponse done = describeWhile(arn, QStringLiteral("RUNNING"));
    QVERIFY_OK(done);
    QCOMPARE(done.json.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
    QCOMPARE(done.json.value(QStringLiteral("name")).toString(), QStringLiteral("order-42"));
    QCOMPARE(done.json.value(QStringLiteral("stateMachineArn")).toString(), machine);
    QCOMPARE(parse(done.json.value(QStringLiteral("input")).toString()), json("{\"orderId\":\"42\"}"));
    QCOMPARE(parse(done.json.value(QStringLiteral("output")).toString()),
        json("{\"orderId\":\"42\",\"reservation\":{\"reserved\":true}}"));
    const QDateTime startDate = awsTimestamp(done.json.value(QStringLiteral("startDate")));
    const QDateTime stopDate = awsTimestamp(done.json.value(QStringLiteral("stopDate")));
    QVERIFY(startDate.isValid() && stopDate.isValid() && startDate <= stopDate);

    // The history, oldest first.
    const Listing history = wait(sfn.getExecutionHistory(arn));
    QVERIFY_OK(history);
    QCOMPARE(strings(history.items, QStringLiteral("type")),
        QStringList({ QStringLiteral("ExecutionStarted"), QStringLiteral("PassStateEntered"),
            QStringLiteral("PassStateExited"), QStringLiteral("PassStateEntered"), QStringLiteral("PassStateExited"),
            QStringLiteral("ExecutionSucceeded") }));
    QCOMPARE(ints(history.items, QStringLiteral("id")), QList<int>({ 1, 2, 3, 4, 5, 6 }));
    QDateTime previous;
    for (const QJsonValue &v : history.items) {
        const QDateTime t = awsTimestamp(v.toObject().value(QStringLiteral("timestamp")));
        QVERIFY(t.isValid());
        QVERIFY(!previous.isValid() || previous <= t);
        previous = t;
    }
    const QJsonObject startedEvent = history.items.at(0).toObject();
    QCOMPARE(parse(startedEvent.value(QStringLiteral("executionStartedEventDetails"))
                       .toObject()
                       .value(QStringLiteral("input"))
                       .toString()),
        json("{\"orderId\":\"42\"}"));
    QCOMPARE(history.items.at(1)
                 .toObject()
                 .value(QStringLiteral("stateEnteredEventDetails"))
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString(),
        QStringLiteral("Reserve"));
    QCOMPARE(history.items.at(4)
                 .toObject()
                 .value(QStringLiteral("stateExitedEventDetails"))
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString(),
        QStringLiteral("Commit"));
    QEXPECT_FAIL("", "moto 5.2 gives every history event previousEventId 0", Continue);
    QCOMPARE(ints(history.items, QStringLiteral("previousEventId")), QList<int>({ 0, 1, 2, 3, 4, 5 }));

    // reverseOrder goes to the service, which answers newest first.
    ExecutionHistoryOptions reverse;
    reverse.reverseOrder = true;
    const Listing reversed = wait(sfn.getExecutionHistory(arn, reverse));
    QVERIFY_OK(reversed);
    QCOMPARE(reversed.items.size(), 6);
    QEXPECT_FAIL("", "moto 5.2 ignores reverseOrder in GetExecutionHistory", Continue);
    QCOMPARE(ints(reversed.items, QStringLiteral("id")), QList<int>({ 6, 5, 4, 3, 2, 1 }));

    // maxItems stops the listing (the pager trims the page it got).
    ExecutionHistoryOptions firstTwo;
    firstTwo.maxItems = 2;
    const Listing limited = wait(sfn.getExecutionHistory(arn, firstTwo));
    QVERIFY_OK(limited);
    QCOMPARE(ints(limited.items, QStringLiteral("id")), QList<int>({ 1, 2 }));
    QCOMPARE(limited.pageCount, 1);

    // maxResults is the page size: AWS answers 2 events a page, the pager follows the tokens.
    ExecutionHistoryOptions smallPages;
    smallPages.maxResults = 2;
    const Listing paged = wait(sfn.getExecutionHistory(arn, smallPages));
    QVERIFY_OK(paged);
    QCOMPARE(ints(paged.items, QStringLiteral("id")), QList<int>({ 1, 2, 3, 4, 5, 6 }));
    QEXPECT_FAIL("", "moto 5.2 ignores maxResults in GetExecutionHistory (one page)", Continue);
    QCOMPARE(paged.pageCount, 3);
}

void tst_AwsClients::startExecutionWithoutNameGetsAGeneratedName()
{
    const AwsResponse created = createStateMachine(QStringLiteral("saga-nameless"), passDefinition());
    QVERIFY_OK(created);
    const QString machine = created.json.value(QStringLiteral("stateMachineArn")).toString();
    StepFunctionsClient sfn(m_transport.get());

    // No name and no input: the client names it as AWS would (a UUID; moto
    // would say "None") and sends "{}".
    const AwsResponse started = wait(sfn.startExecution(machine, QString(), QStringLiteral("  ")));
    QVERIFY_OK(started);
    const QString arn = started.json.value(QStringLiteral("executionArn")).toString();
    const QString prefix = QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:saga-nameless:");
    QVERIFY2(arn.startsWith(prefix), qPrintable(arn));
    const QString name = arn.mid(prefix.size());
    QVERIFY2(name != u"None", qPrintable(arn));
    QCOMPARE(name.size(), 36);
    QVERIFY2(!QUuid::fromString(name).isNull(), qPrintable(name));

    const AwsResponse described = describeWhile(arn, QStringLiteral("RUNNING"));
    QVERIFY_OK(described);
    QCOMPARE(described.json.value(QStringLiteral("name")).toString(), name);
    QCOMPARE(described.json.value(QStringLiteral("input")).toString(), QStringLiteral("{}"));
    QCOMPARE(described.json.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
    QCOMPARE(parse(described.json.value(QStringLiteral("output")).toString()),
        json("{\"reservation\":{\"reserved\":true}}"));
}

void tst_AwsClients::stopExecutionAndListByStatus()
{
    const AwsResponse created = createStateMachine(QStringLiteral("saga-hold"), waitDefinition());
    QVERIFY_OK(created);
    const QString machine = created.json.value(QStringLiteral("stateMachineArn")).toString();
    StepFunctionsClient sfn(m_transport.get());

    const AwsResponse started = wait(sfn.startExecution(machine, QStringLiteral("long-wait"), QStringLiteral("{}")));
    QVERIFY_OK(started);
    const QString arn = started.json.value(QStringLiteral("executionArn")).toString();
    const AwsResponse running = wait(sfn.describeExecution(arn));
    QVERIFY_OK(running);
    QCOMPARE(running.json.value(QStringLiteral("status")).toString(), QStringLiteral("RUNNING"));

    Listing listed = wait(sfn.listExecutions(machine, QStringLiteral("RUNNING")));
    QVERIFY_OK(listed);
    QCOMPARE(strings(listed.items, QStringLiteral("executionArn")), QStringList { arn });
    QCOMPARE(strings(listed.items, QStringLiteral("status")), QStringList { QStringLiteral("RUNNING") });
    listed = wait(sfn.listExecutions(machine, QStringLiteral("SUCCEEDED")));
    QVERIFY_OK(listed);
    QCOMPARE(listed.items.size(), 0);

    const AwsResponse stopped
        = wait(sfn.stopExecution(arn, QStringLiteral("Operator.Cancelled"), QStringLiteral("stopped by the test")));
    QVERIFY_OK(stopped);
    QEXPECT_FAIL("", "moto 5.2 answers StopExecution with {}, without stopDate", Continue);
    QVERIFY(awsTimestamp(stopped.json.value(QStringLiteral("stopDate"))).isValid());

    const AwsResponse aborted = describeWhile(arn, QStringLiteral("RUNNING"));
    QVERIFY_OK(aborted);
    QCOMPARE(aborted.json.value(QStringLiteral("status")).toString(), QStringLiteral("ABORTED"));
    QVERIFY(awsTimestamp(aborted.json.value(QStringLiteral("stopDate"))).isValid());

    listed = wait(sfn.listExecutions(machine, QStringLiteral("RUNNING")));
    QVERIFY_OK(listed);
    QCOMPARE(listed.items.size(), 0);
    listed = wait(sfn.listExecutions(machine, QStringLiteral("ABORTED")));
    QVERIFY_OK(listed);
    QCOMPARE(strings(listed.items, QStringLiteral("name")), QStringList { QStringLiteral("long-wait") });
    listed = wait(sfn.listExecutions(machine));
    QVERIFY_OK(listed);
    QCOMPARE(strings(listed.items, QStringLiteral("status")), QStringList { QStringLiteral("ABORTED") });

    const Listing history = wait(sfn.getExecutionHistory(arn));
    QVERIFY_OK(history);
    QCOMPARE(strings(history.items, QStringLiteral("type")),
        QStringList({ QStringLiteral("ExecutionStarted"), QStringLiteral("WaitStateEntered"),
            QStringLiteral("ExecutionAborted") }));
    const QJsonObject details
        = history.items.last().toObject().value(QStringLiteral("executionAbortedEventDetails")).toObject();
    QEXPECT_FAIL("", "moto 5.2 records ExecutionAborted with an empty error and cause", Continue);
    QCOMPARE(details.value(QStringLiteral("error")).toString(), QStringLiteral("Operator.Cancelled"));
}

void tst_AwsClients::redriveExecutionIsNotImplementedByMoto()
{
    // AWS redrives an aborted standard execution and answers {"redriveDate": ...}.
    // moto 5.2 has no RedriveExecution: its dispatcher raises NotImplementedError
    // and Werkzeug answers HTTP 500 with an HTML page. What is tested is how the
    // client reports that: a Service error with the status as its code (there is
    // no __type), retried like any 500 and then given up.
    const AwsResponse created = createStateMachine(QStringLiteral("saga-hold"), waitDefinition());
    QVERIFY_OK(created);
    const QString machine = created.json.value(QStringLiteral("stateMachineArn")).toString();
    StepFunctionsClient sfn(m_transport.get());
    const AwsResponse started = wait(sfn.startExecution(machine, QStringLiteral("to-redrive"), {}));
    QVERIFY_OK(started);
    const QString arn = started.json.value(QStringLiteral("executionArn")).toString();
    QVERIFY_OK(wait(sfn.stopExecution(arn)));
    const AwsResponse aborted = describeWhile(arn, QStringLiteral("RUNNING"));
    QCOMPARE(aborted.json.value(QStringLiteral("status")).toString(), QStringLiteral("ABORTED"));

    const AwsResponse r = wait(sfn.redriveExecution(arn));
    QCOMPARE(r.error.kind, Kind::Server);
    QCOMPARE(r.error.httpStatus, 500);
    QCOMPARE(r.error.reason, QStringLiteral("HTTP500"));
    QVERIFY2(r.error.message.contains(u"500 Internal Server Error"), qPrintable(r.error.message));
    QCOMPARE(r.error.operation, QStringLiteral("RedriveExecution"));
    QCOMPARE(r.error.attempts, RetryPolicy::defaultMaxAttempts);
    QVERIFY(r.json.isEmpty());
}

void tst_AwsClients::missingArnsAreServiceErrors_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("code");
    QTest::newRow("DescribeStateMachine")
        << QStringLiteral("DescribeStateMachine") << QStringLiteral("StateMachineDoesNotExist");
    QTest::newRow("ListExecutions") << QStringLiteral("ListExecutions") << QStringLiteral("StateMachineDoesNotExist");
    QTest::newRow("StartExecution") << QStringLiteral("StartExecution") << QStringLiteral("StateMachineDoesNotExist");
    QTest::newRow("DescribeExecution") << QStringLiteral("DescribeExecution")
                                       << QStringLiteral("ExecutionDoesNotExist");
    QTest::newRow("GetExecutionHistory") << QStringLiteral("GetExecutionHistory")
                                         << QStringLiteral("ExecutionDoesNotExist");
    QTest::newRow("StopExecution") << QStringLiteral("StopExecution") << QStringLiteral("ExecutionDoesNotExist");
}

void tst_AwsClients::missingArnsAreServiceErrors()
{
    QFETCH(QString, operation);
    QFETCH(QString, code);
    const QString machine = QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:missing");
    const QString execution = QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:missing:run-1");
    StepFunctionsClient sfn(m_transport.get());
    Error error;
    if (operation == u"DescribeStateMachine")
        error = wait(sfn.describeStateMachine(machine)).error;
    else if (operation == u"ListExecutions")
        error = wait(sfn.listExecutions(machine)).error;
    else if (operation == u"StartExecution")
        error = wait(sfn.startExecution(machine, QStringLiteral("run-1"), {})).error;
    else if (operation == u"DescribeExecution")
        error = wait(sfn.describeExecution(execution)).error;
    else if (operation == u"GetExecutionHistory")
        error = wait(sfn.getExecutionHistory(execution)).error;
    else
        error = wait(sfn.stopExecution(execution)).error;

    QCOMPARE(error.kind, Kind::NotFound); // StateMachineDoesNotExist, ExecutionDoesNotExist
    QCOMPARE(error.reason, code);
    QCOMPARE(error.httpStatus, 400);
    QCOMPARE(error.operation, operation);
    QCOMPARE(error.attempts, 1); // a client error is not retried
    const QString arn = code == u"StateMachineDoesNotExist" ? machine : execution;
    QVERIFY2(error.message.contains(arn), qPrintable(error.message));
    QVERIFY2(!error.requestId.isEmpty(), qPrintable(error.toString()));
    QVERIFY2(error.toString().startsWith(operation + QStringLiteral(": ") + code + QStringLiteral(": ")),
        qPrintable(error.toString()));
}

// ---------------------------------------------------------------- CloudWatch Logs

void tst_AwsClients::describeLogGroupsByPrefix()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
    for (const QString &group : { QStringLiteral("/aws/lambda/saga-reserve"), QStringLiteral("/aws/lambda/saga-commit"),
             QStringLiteral("/aws/states/saga-order"), QStringLiteral("/bramble/nodes") })
        QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogGroup"),
            { { QStringLiteral("logGroupName"), group } }));
    QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("PutRetentionPolicy"),
        { { QStringLiteral("logGroupName"), QStringLiteral("/aws/lambda/saga-commit") },
            { QStringLiteral("retentionInDays"), 7 } }));
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(5);
    CloudWatchLogsClient logs(m_transport.get());

    const Listing lambda = wait(logs.describeLogGroups(QStringLiteral("/aws/lambda/")));
    QVERIFY_OK(lambda);
    QCOMPARE(strings(lambda.items, QStringLiteral("logGroupName")),
        QStringList({ QStringLiteral("/aws/lambda/saga-commit"), QStringLiteral("/aws/lambda/saga-reserve") }));
    const LogGroupSummary commit = LogGroupSummary::fromJson(lambda.items.at(0).toObject());
    QCOMPARE(commit.logGroupName, QStringLiteral("/aws/lambda/saga-commit"));
    QCOMPARE(commit.arn, QStringLiteral("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/saga-commit:*"));
    QCOMPARE(commit.retentionInDays, 7);
    QCOMPARE(commit.storedBytes, qint64(0));
    QVERIFY2(commit.creationTime >= before && commit.creationTime <= after,
        qPrintable(commit.creationTime.toString(Qt::ISODateWithMs)));
    QCOMPARE(LogGroupSummary::fromJson(lambda.items.at(1).toObject()).retentionInDays, 0);

    const Listing all = wait(logs.describeLogGroups());
    QVERIFY_OK(all);
    QCOMPARE(all.items.size(), 4);
    const Listing three = wait(logs.describeLogGroups({}, 3));
    QVERIFY_OK(three);
    QCOMPARE(three.items.size(), 3);
    const Listing none = wait(logs.describeLogGroups(QStringLiteral("/aws/lambda/nothing")));
    QVERIFY_OK(none);
    QCOMPARE(none.items.size(), 0);
}

void tst_AwsClients::describeLogStreams()
{
    const QString group = QStringLiteral("/aws/lambda/saga-reserve");
    QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogGroup"),
        { { QStringLiteral("logGroupName"), group } }));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Last events 30, 10 and 20 minutes ago.
    const QList<QPair<QString, qint64>> streams { { QStringLiteral("2024/06/01/[$LATEST]aaa"), now - 30 * 60000 },
        { QStringLiteral("2024/06/01/[$LATEST]bbb"), now - 10 * 60000 },
        { QStringLiteral("2024/06/02/[$LATEST]ccc"), now - 20 * 60000 } };
    for (const auto &[stream, time] : streams) {
        QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogStream"),
            { { QStringLiteral("logGroupName"), group }, { QStringLiteral("logStreamName"), stream } }));
        QVERIFY_OK(putLogEvents(
            group, stream, { { time - 1000, QStringLiteral("first") }, { time, QStringLiteral("last") } }));
    }
    CloudWatchLogsClient logs(m_transport.get());

    const Listing byName = wait(logs.describeLogStreams(group));
    QVERIFY_OK(byName);
    QCOMPARE(strings(byName.items, QStringLiteral("logStreamName")),
        QStringList({ streams[0].first, streams[1].first, streams[2].first }));
    const QJsonObject bbb = byName.items.at(1).toObject();
    QCOMPARE(qint64(bbb.value(QStringLiteral("lastEventTimestamp")).toDouble()), streams[1].second);
    QCOMPARE(qint64(bbb.value(QStringLiteral("firstEventTimestamp")).toDouble()), streams[1].second - 1000);
    QCOMPARE(bbb.value(QStringLiteral("arn")).toString(),
        QStringLiteral("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/saga-reserve:log-stream:")
            + streams[1].first);

    const Listing prefixed = wait(logs.describeLogStreams(group, QStringLiteral("2024/06/01/")));
    QVERIFY_OK(prefixed);
    QCOMPARE(
        strings(prefixed.items, QStringLiteral("logStreamName")), QStringList({ streams[0].first, streams[1].first }));

    const Listing newest = wait(logs.describeLogStreams(group, {}, true));
    QVERIFY_OK(newest);
    QCOMPARE(strings(newest.items, QStringLiteral("logStreamName")),
        QStringList({ streams[1].first, streams[2].first, streams[0].first }));

    const Listing one = wait(logs.describeLogStreams(group, {}, true, 1));
    QVERIFY_OK(one);
    QCOMPARE(strings(one.items, QStringLiteral("logStreamName")), QStringList { streams[1].first });

    const Listing missing = wait(logs.describeLogStreams(QStringLiteral("/aws/lambda/missing")));
    QCOMPARE(missing.error.kind, Kind::NotFound);
    QCOMPARE(missing.error.reason, QStringLiteral("ResourceNotFoundException"));
    QCOMPARE(missing.error.operation, QStringLiteral("DescribeLogStreams"));
}

void tst_AwsClients::filterLogEvents()
{
    const QString group = QStringLiteral("/aws/lambda/saga-reserve");
    const QString a = QStringLiteral("2024/06/01/[$LATEST]aaa");
    const QString b = QStringLiteral("2024/06/01/[$LATEST]bbb");
    QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogGroup"),
        { { QStringLiteral("logGroupName"), group } }));
    for (const QString &stream : { a, b })
        QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogStream"),
            { { QStringLiteral("logGroupName"), group }, { QStringLiteral("logStreamName"), stream } }));
    // An hour ago (AWS and moto refuse events older than 14 days), on a whole second.
    const qint64 base = (QDateTime::currentMSecsSinceEpoch() / 1000 - 3600) * 1000;
    QList<QPair<qint64, QString>> events;
    for (int i = 0; i < 30; ++i)
        events.append({ base + i * 1000,
            i % 3 == 0 ? QStringLiteral("ERROR reserve failed %1").arg(i)
                       : QStringLiteral("INFO reserved %1").arg(i) });
    QVERIFY_OK(putLogEvents(group, a, events));
    QVERIFY_OK(putLogEvents(group, b,
        { { base + 500, QStringLiteral("ERROR other 1") }, { base + 1500, QStringLiteral("INFO other 2") },
            { base + 2500, QStringLiteral("ERROR other 3") } }));
    CloudWatchLogsClient logs(m_transport.get());

    // A term and a time range in one stream: events 3..18 of stream a.
    LogFilter filter;
    filter.logGroupNames = { group };
    filter.logStreamNames = { a };
    filter.pattern = QStringLiteral("ERROR");
    filter.start = utc(base + 2500);
    filter.end = utc(base + 18500);
    Listing r = wait(logs.filterLogEvents(filter));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")),
        QStringList({ QStringLiteral("ERROR reserve failed 3"), QStringLiteral("ERROR reserve failed 6"),
            QStringLiteral("ERROR reserve failed 9"), QStringLiteral("ERROR reserve failed 12"),
            QStringLiteral("ERROR reserve failed 15"), QStringLiteral("ERROR reserve failed 18") }));
    for (const QJsonValue &v : r.items) {
        const QJsonObject e = v.toObject();
        QCOMPARE(e.value(QStringLiteral("logStreamName")).toString(), a);
        const qint64 t = qint64(e.value(QStringLiteral("timestamp")).toDouble());
        QVERIFY(t >= base + 2500 && t <= base + 18500);
        QVERIFY(!e.value(QStringLiteral("eventId")).toString().isEmpty());
    }

    // Both streams, no time range.
    filter.logStreamNames.clear();
    filter.start = {};
    filter.end = {};
    r = wait(logs.filterLogEvents(filter));
    QVERIFY_OK(r);
    QCOMPARE(r.items.size(), 12);
    QCOMPARE(strings(r.items, QStringLiteral("logStreamName")).count(b), 2);

    // Two terms must both match.
    filter.pattern = QStringLiteral("ERROR other");
    r = wait(logs.filterLogEvents(filter));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")),
        QStringList({ QStringLiteral("ERROR other 1"), QStringLiteral("ERROR other 3") }));

    // Pages of 4 followed to the end; maxItems stops early.
    filter.logStreamNames = { a };
    filter.pattern = QStringLiteral("ERROR");
    filter.limit = 4;
    r = wait(logs.filterLogEvents(filter));
    QVERIFY_OK(r);
    QCOMPARE(r.items.size(), 10);
    QVERIFY2(r.pageCount >= 3, qPrintable(QString::number(r.pageCount)));
    for (const QJsonObject &page : std::as_const(r.pages))
        QVERIFY(page.value(QStringLiteral("events")).toArray().size() <= 4);
    QCOMPARE(strings(r.items, QStringLiteral("message")).first(), QStringLiteral("ERROR reserve failed 0"));
    QCOMPARE(strings(r.items, QStringLiteral("message")).last(), QStringLiteral("ERROR reserve failed 27"));
    filter.maxItems = 5;
    r = wait(logs.filterLogEvents(filter));
    QVERIFY_OK(r);
    QCOMPARE(r.items.size(), 5);
    QCOMPARE(r.pageCount, 2);
}

void tst_AwsClients::getLogEventsFollowsTokensUntilTheyRepeat()
{
    const QString group = QStringLiteral("/aws/states/saga-order");
    const QString stream = QStringLiteral("executions");
    QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogGroup"),
        { { QStringLiteral("logGroupName"), group } }));
    QVERIFY_OK(call(ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogStream"),
        { { QStringLiteral("logGroupName"), group }, { QStringLiteral("logStreamName"), stream } }));
    const qint64 base = (QDateTime::currentMSecsSinceEpoch() / 1000 - 3600) * 1000;
    QList<QPair<qint64, QString>> events;
    QStringList messages;
    for (int i = 0; i < 20; ++i) {
        messages << QStringLiteral("event %1").arg(i, 2, 10, QLatin1Char('0'));
        events.append({ base + i * 1000, messages.last() });
    }
    QVERIFY_OK(putLogEvents(group, stream, events));
    CloudWatchLogsClient logs(m_transport.get());

    // Forward: one page with everything, then one empty page that gives the
    // same nextForwardToken back: the end.
    Listing r = wait(logs.getLogEvents(group, stream));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages);
    QCOMPARE(r.pageCount, 2);
    QCOMPARE(r.pages.at(1).value(QStringLiteral("events")).toArray().size(), 0);
    QCOMPARE(r.pages.at(1).value(QStringLiteral("nextForwardToken")),
        r.pages.at(0).value(QStringLiteral("nextForwardToken")));
    QCOMPARE(qint64(r.items.at(3).toObject().value(QStringLiteral("timestamp")).toDouble()), base + 3000);

    // Backward, from the tail, until nextBackwardToken repeats.
    r = wait(logs.getLogEvents(group, stream, false));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages);
    QCOMPARE(r.pageCount, 2);

    // A time range: startTime is included, endTime is not (AWS).
    r = wait(logs.getLogEvents(group, stream, true, utc(base + 5000), utc(base + 8500)));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages.mid(5, 4));
    r = wait(logs.getLogEvents(group, stream, true, utc(base + 5000), utc(base + 8000)));
    QVERIFY_OK(r);
    QEXPECT_FAIL("", "moto 5.2 includes the events at endTime in GetLogEvents", Continue);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages.mid(5, 3));

    // maxItems stops after the first page.
    r = wait(logs.getLogEvents(group, stream, true, {}, {}, 10));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages.mid(0, 10));
    QCOMPARE(r.pageCount, 1);

    // The client leaves the page size to the service (10,000 events); with
    // pages of 7 the same pager walks 7 + 7 + 6 events and stops on the empty
    // page whose token repeats.
    PageSpec spec { QStringLiteral("GetLogEvents"),
        { { QStringLiteral("logGroupName"), group }, { QStringLiteral("logStreamName"), stream },
            { QStringLiteral("startFromHead"), true }, { QStringLiteral("limit"), 7 } },
        QStringLiteral("events"), QStringLiteral("nextToken"), QStringLiteral("nextForwardToken") };
    r = wait(startPager(m_transport.get(), ServiceInfo::cloudWatchLogs(), spec));
    QVERIFY_OK(r);
    QCOMPARE(strings(r.items, QStringLiteral("message")), messages);
    QList<int> sizes;
    for (const QJsonObject &page : std::as_const(r.pages))
        sizes << int(page.value(QStringLiteral("events")).toArray().size());
    QCOMPARE(sizes, QList<int>({ 7, 7, 6, 0 }));

    const Listing missing = wait(logs.getLogEvents(group, QStringLiteral("no-such-stream")));
    QCOMPARE(missing.error.kind, Kind::NotFound);
    QCOMPARE(missing.error.reason, QStringLiteral("ResourceNotFoundException"));
}

// ---------------------------------------------------------------- DynamoDB

void tst_AwsClients::getItemReturnsPlainJson()
{
    QVERIFY_OK(createTransactionsTable());
    // Every type, written as DynamoDB's typed AttributeValues.
    const QJsonObject item = json("{\"pk\":{\"S\":\"txn-1\"},\"sk\":{\"N\":\"1\"},"
                                  "\"status\":{\"S\":\"COMMITTED\"},"
                                  "\"amount\":{\"N\":\"12345678901234567890.5\"},"
                                  "\"fee\":{\"N\":\"0.25\"},"
                                  "\"delta\":{\"N\":\"-17\"},"
                                  "\"padded\":{\"N\":\"007.50\"},"
                                  "\"maxExact\":{\"N\":\"9007199254740992\"},"
                                  "\"beyondExact\":{\"N\":\"9007199254740993\"},"
                                  "\"digits38\":{\"N\":\"0.12345678901234567890123456789012345678\"},"
                                  "\"committed\":{\"BOOL\":true},"
                                  "\"rolledBack\":{\"BOOL\":false},"
                                  "\"error\":{\"NULL\":true},"
                                  "\"steps\":{\"L\":[{\"S\":\"reserve\"},{\"N\":\"2\"},{\"L\":[]},{\"NULL\":true}]},"
                                  "\"payload\":{\"M\":{\"orderId\":{\"S\":\"42\"},\"lines\":{\"M\":{\"count\":{\"N\":"
                                  "\"3\"}}},\"empty\":{\"M\":{}}}},"
                                  "\"tags\":{\"SS\":[\"green\",\"blue\"]},"
                                  "\"scores\":{\"NS\":[\"3\",\"1.5\",\"98765432109876543210\"]},"
                                  "\"blob\":{\"B\":\"AAFoaQ==\"},"
                                  "\"blobs\":{\"BS\":[\"eA==\",\"AP8=\"]}}");
    QVERIFY_OK(call(ServiceInfo::dynamoDb(), QStringLiteral("PutItem"),
        { { QStringLiteral("TableName"), QStringLiteral("transactions") }, { QStringLiteral("Item"), item } }));

    DynamoDbClient ddb(m_transport.get());
    const AwsResponse r = wait(ddb.getItem(QStringLiteral("transactions"),
        { { QStringLiteral("pk"), QStringLiteral("txn-1") }, { QStringLiteral("sk"), 1 } }, true));
    QVERIFY_OK(r);
    const QJsonObject typed = r.json.value(QStringLiteral("Item")).toObject();
    QEXPECT_FAIL("", "moto 5.2 returns numbers as written; DynamoDB normalises them", Continue);
    QCOMPARE(
        typed.value(QStringLiteral("padded")).toObject().value(QStringLiteral("N")).toString(), QStringLiteral("7.5"));

    QString error;
    QJsonObject plain = AttributeValue::itemToJson(typed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Sets are unordered: compare them sorted, then the rest as a whole.
    QStringList tags;
    for (const QJsonValue &v : plain.take(QStringLiteral("tags")).toArray())
        tags << v.toString();
    tags.sort();
    QCOMPARE(tags, QStringList({ QStringLiteral("blue"), QStringLiteral("green") }));
    QJsonArray scores = plain.take(QStringLiteral("scores")).toArray();
    QCOMPARE(scores.size(), 3);
    QVERIFY(scores.contains(QJsonValue(3.0)));
    QVERIFY(scores.contains(QJsonValue(1.5)));
    QVERIFY(scores.contains(QJsonValue(QStringLiteral("98765432109876543210")))); // beyond a double: digits
    QStringList blobs;
    for (const QJsonValue &v : plain.take(QStringLiteral("blobs")).toArray())
        blobs << v.toString();
    blobs.sort();
    QCOMPARE(blobs, QStringList({ QStringLiteral("AP8="), QStringLiteral("eA==") }));
    const QJsonObject expected = json("{\"pk\":\"txn-1\",\"sk\":1,\"status\":\"COMMITTED\","
                                      "\"amount\":\"12345678901234567890.5\","
                                      "\"fee\":0.25,\"delta\":-17,\"padded\":7.5,"
                                      "\"maxExact\":9007199254740992,\"beyondExact\":\"9007199254740993\","
                                      "\"digits38\":\"0.12345678901234567890123456789012345678\","
                                      "\"committed\":true,\"rolledBack\":false,\"error\":null,"
                                      "\"steps\":[\"reserve\",2,[],null],"
                                      "\"payload\":{\"orderId\":\"42\",\"lines\":{\"count\":3},\"empty\":{}},"
                                      "\"blob\":\"AAFoaQ==\"}");
    QCOMPARE(plain, expected);
    QCOMPARE(
        QByteArray::fromBase64(plain.value(QStringLiteral("blob")).toString().toLatin1()), QByteArray("\x00\x01hi", 4));
    QCOMPARE(plain.value(QStringLiteral("delta")).toDouble(), -17.0);

    // No such key: an answer without an Item.
    const AwsResponse none = wait(ddb.getItem(QStringLiteral("transactions"),
        { { QStringLiteral("pk"), QStringLiteral("txn-1") }, { QStringLiteral("sk"), 2 } }));
    QVERIFY_OK(none);
    QVERIFY(!none.json.contains(QStringLiteral("Item")));
}

void tst_AwsClients::queryByKey()
{
    QVERIFY_OK(createTransactionsTable());
    QVERIFY_OK(writeTransactions());
    DynamoDbClient ddb(m_transport.get());
    const auto sortKeys = [](const QJsonArray &items) {
        QList<int> out;
        for (const QJsonValue &v : items) {
            QString error;
            const QJsonObject plain = AttributeValue::itemToJson(v.toObject(), &error);
            out << (error.isEmpty() && plain.value(QStringLiteral("pk")).toString() == u"txn-1"
                    ? plain.value(QStringLiteral("sk")).toInt(-1)
                    : -1);
        }
        return out;
    };

    DynamoDbQuery q;
    q.tableName = QStringLiteral("transactions");
    q.keyConditionExpression = QStringLiteral("pk = :p");
    q.expressionAttributeValues = { { QStringLiteral(":p"), QStringLiteral("txn-1") } };
    Listing r = wait(ddb.query(q));
    QVERIFY_OK(r);
    QCOMPARE(sortKeys(r.items), QList<int>({ 1, 4, 7, 10, 13, 16, 19, 22 })); // by the numeric sort key
    QCOMPARE(r.pageCount, 1);

    q.limit = 3;
    r = wait(ddb.query(q));
    QVERIFY_OK(r);
    QCOMPARE(sortKeys(r.items), QList<int>({ 1, 4, 7, 10, 13, 16, 19, 22 }));
    QCOMPARE(r.pageCount, 3);
    QCOMPARE(r.pages.at(0).value(QStringLiteral("Count")).toInt(), 3);
    QCOMPARE(AttributeValue::itemToJson(r.pages.at(0).value(QStringLiteral("LastEvaluatedKey")).toObject()),
        json("{\"pk\":\"txn-1\",\"sk\":7}"));

    q.maxItems = 5;
    r = wait(ddb.query(q));
    QVERIFY_OK(r);
    QCOMPARE(sortKeys(r.items), QList<int>({ 1, 4, 7, 10, 13 }));
    QCOMPARE(r.pageCount, 2);

    // Names, a number range and a filter.
    q = {};
    q.tableName = QStringLiteral("transactions");
    q.keyConditionExpression = QStringLiteral("#p = :p AND #s BETWEEN :lo AND :hi");
    q.expressionAttributeNames
        = { { QStringLiteral("#p"), QStringLiteral("pk") }, { QStringLiteral("#s"), QStringLiteral("sk") } };
    q.expressionAttributeValues = json("{\":p\":\"txn-1\",\":lo\":4,\":hi\":13}");
    q.consistentRead = true;
    r = wait(ddb.query(q));
    QVERIFY_OK(r);
    QCOMPARE(sortKeys(r.items), QList<int>({ 4, 7, 10, 13 }));
    q.filterExpression = QStringLiteral("kind = :k");
    q.expressionAttributeValues.insert(QStringLiteral(":k"), QStringLiteral("odd"));
    r = wait(ddb.query(q));
    QVERIFY_OK(r);
    QCOMPARE(sortKeys(r.items), QList<int>({ 7, 13 }));
}

void tst_AwsClients::scanFollowsLastEvaluatedKey()
{
    QVERIFY_OK(createTransactionsTable());
    QVERIFY_OK(writeTransactions());
    DynamoDbClient ddb(m_transport.get());
    const auto keys = [](const QJsonArray &items) {
        QSet<QString> out;
        for (const QJsonValue &v : items) {
            const QJsonObject plain = AttributeValue::itemToJson(v.toObject());
            out.insert(plain.value(QStringLiteral("pk")).toString() + u'/'
                + QString::number(plain.value(QStringLiteral("sk")).toInt(-1)));
        }
        return out;
    };
    QSet<QString> all;
    for (int i = 0; i < 25; ++i)
        all.insert(QStringLiteral("txn-%1/%2").arg(i % 3).arg(i));

    DynamoDbQuery s;
    s.tableName = QStringLiteral("transactions");
    s.limit = 4;
    Listing r = wait(ddb.scan(s));
    QVERIFY_OK(r);
    QCOMPARE(r.items.size(), 25);
    QCOMPARE(keys(r.items), all);
    QCOMPARE(r.pageCount, 7); // 6 x 4 + 1
    for (qsizetype i = 0; i < r.pages.size(); ++i)
        QCOMPARE(r.pages.at(i).contains(QStringLiteral("LastEvaluatedKey")), i < r.pages.size() - 1);

    s.maxItems = 10;
    r = wait(ddb.scan(s));
    QVERIFY_OK(r);
    QCOMPARE(r.items.size(), 10);
    QCOMPARE(r.pageCount, 3);

    s = {};
    s.tableName = QStringLiteral("transactions");
    s.filterExpression = QStringLiteral("sk >= :min AND kind = :k");
    s.expressionAttributeValues = json("{\":min\":20,\":k\":\"even\"}");
    r = wait(ddb.scan(s));
    QVERIFY_OK(r);
    QCOMPARE(keys(r.items),
        QSet<QString>({ QStringLiteral("txn-2/20"), QStringLiteral("txn-1/22"), QStringLiteral("txn-0/24") }));
}

void tst_AwsClients::missingTableIsResourceNotFound()
{
    // moto's __type is "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException".
    DynamoDbClient ddb(m_transport.get());
    const AwsResponse r
        = wait(ddb.getItem(QStringLiteral("missing"), { { QStringLiteral("pk"), QStringLiteral("x") } }));
    QCOMPARE(r.error.kind, Kind::NotFound);
    QCOMPARE(r.error.reason, QStringLiteral("ResourceNotFoundException"));
    QCOMPARE(r.error.httpStatus, 400);
    QCOMPARE(r.error.attempts, 1);
    QCOMPARE(r.error.operation, QStringLiteral("GetItem"));
    QCOMPARE(r.error.message, QStringLiteral("Requested resource not found"));

    DynamoDbQuery q;
    q.tableName = QStringLiteral("missing");
    const Listing scan = wait(ddb.scan(q));
    QCOMPARE(scan.error.kind, Kind::NotFound);
    QCOMPARE(scan.error.reason, QStringLiteral("ResourceNotFoundException"));
    QCOMPARE(scan.error.operation, QStringLiteral("Scan"));
    QCOMPARE(scan.pageCount, 0);
}

// ---------------------------------------------------------------- Secrets Manager

void tst_AwsClients::getSecretValue()
{
    const QString token = QStringLiteral("{\"token\":\"hec-0f3c\",\"url\":\"https://splunk:8088\"}");
    const AwsResponse text = call(ServiceInfo::secretsManager(), QStringLiteral("CreateSecret"),
        { { QStringLiteral("Name"), QStringLiteral("bramble/splunk-hec") },
            { QStringLiteral("SecretString"), token } });
    QVERIFY_OK(text);
    const QByteArray key("\x00\x01\xff key", 7);
    const AwsResponse binary = call(ServiceInfo::secretsManager(), QStringLiteral("CreateSecret"),
        { { QStringLiteral("Name"), QStringLiteral("bramble/ca-key") },
            { QStringLiteral("SecretBinary"), QString::fromLatin1(key.toBase64()) } });
    QVERIFY_OK(binary);
    SecretsManagerClient secrets(m_transport.get());

    AwsResponse r = wait(secrets.getSecretValue(QStringLiteral("bramble/splunk-hec")));
    QVERIFY_OK(r);
    SecretValue v = SecretsManagerClient::secretValue(r);
    QCOMPARE(v.name, QStringLiteral("bramble/splunk-hec"));
    QCOMPARE(v.versionId, text.json.value(QStringLiteral("VersionId")).toString());
    QVERIFY(!v.versionId.isEmpty());
    QCOMPARE(v.secretString, token);
    QVERIFY(v.secretBinary.isEmpty());
    QVERIFY(r.json.value(QStringLiteral("VersionStages")).toArray().contains(QStringLiteral("AWSCURRENT")));

    // By ARN, and with the stage named.
    const QString arn = text.json.value(QStringLiteral("ARN")).toString();
    QVERIFY2(
        arn.startsWith(u"arn:aws:secretsmanager:us-east-1:123456789012:secret:bramble/splunk-hec-"), qPrintable(arn));
    r = wait(secrets.getSecretValue(arn, QStringLiteral("AWSCURRENT")));
    QVERIFY_OK(r);
    QCOMPARE(SecretsManagerClient::secretValue(r).secretString, token);

    r = wait(secrets.getSecretValue(QStringLiteral("bramble/ca-key")));
    QVERIFY_OK(r);
    v = SecretsManagerClient::secretValue(r);
    QCOMPARE(v.secretBinary, key);
    QVERIFY(v.secretString.isEmpty());
}

void tst_AwsClients::missingSecretIsResourceNotFound()
{
    const AwsResponse r
        = wait(SecretsManagerClient(m_transport.get()).getSecretValue(QStringLiteral("bramble/missing")));
    QCOMPARE(r.error.kind, Kind::NotFound);
    QCOMPARE(r.error.reason, QStringLiteral("ResourceNotFoundException"));
    QCOMPARE(r.error.message, QStringLiteral("Secrets Manager can't find the specified secret."));
    QCOMPARE(r.error.httpStatus, 404); // moto; AWS answers 400
    QCOMPARE(r.error.attempts, 1);
    QCOMPARE(r.error.operation, QStringLiteral("GetSecretValue"));
}

// ---------------------------------------------------------------- STS

void tst_AwsClients::getCallerIdentity()
{
    const AwsResponse r = wait(StsClient(m_transport.get()).getCallerIdentity());
    QVERIFY_OK(r);
    const CallerIdentity id = StsClient::callerIdentity(r);
    QCOMPARE(id.account, account());
    QCOMPARE(id.arn, QStringLiteral("arn:aws:sts::123456789012:user/moto"));
    QVERIFY(!id.userId.isEmpty());
    QVERIFY(!r.json.value(QStringLiteral("ResponseMetadata"))
                 .toObject()
                 .value(QStringLiteral("RequestId"))
                 .toString()
                 .isEmpty());
}

void tst_AwsClients::assumeRoleReturnsTemporaryCredentials()
{
    AssumeRoleRequest request;
    request.roleArn = QStringLiteral("arn:aws:iam::123456789012:role/bramble-reader");
    request.sessionName = QStringLiteral("bramble-test");
    request.externalId = QStringLiteral("ext-7");
    request.durationSeconds = 900;
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const AwsResponse r = wait(StsClient(m_transport.get()).assumeRole(request));
    QVERIFY_OK(r);
    const AwsCredentials c = StsClient::assumedCredentials(r, QStringLiteral("assume role bramble-reader"));
    QVERIFY(c.isValid());
    QVERIFY2(c.accessKeyId.startsWith(u"ASIA") && c.accessKeyId.size() == 20, qPrintable(c.accessKeyId));
    QVERIFY(c.secretAccessKey.size() >= 40);
    QVERIFY(!c.sessionToken.isEmpty());
    QCOMPARE(c.source, QStringLiteral("assume role bramble-reader"));
    QVERIFY(c.expiration.isValid());
    const qint64 lifetime = before.secsTo(c.expiration);
    QVERIFY2(lifetime > 840 && lifetime <= 960, qPrintable(QString::number(lifetime)));
    QCOMPARE(r.json.value(QStringLiteral("AssumedRoleUser")).toObject().value(QStringLiteral("Arn")).toString(),
        QStringLiteral("arn:aws:sts::123456789012:assumed-role/bramble-reader/bramble-test"));

    // The temporary credentials work and name the role's session.
    StaticCredentialsProvider assumed(c);
    AwsTransport transport(&m_network, &assumed, region());
    transport.setEndpoint(ServiceInfo::sts(), m_moto.endpoint());
    const AwsResponse who = wait(StsClient(&transport).getCallerIdentity());
    QVERIFY_OK(who);
    QCOMPARE(StsClient::callerIdentity(who).arn,
        QStringLiteral("arn:aws:sts::123456789012:assumed-role/bramble-reader/bramble-test"));
}

QTEST_GUILESS_MAIN(tst_AwsClients)
#include "tst_awsclients.moc"
