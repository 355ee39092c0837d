// The local runtime checked against moto's ASL interpreter (LocalStack's,
// inside moto 5.x): the same definitions and inputs run on both, through
// Bramble's own AWS client, and are compared on the execution status and
// error, the states entered (names from *StateEntered events, in order), the
// task attempts per state (TaskScheduled events, each walked back through
// previousEventId to its TaskStateEntered) and the DynamoDB items left behind
// (GetItem on SagaTransactions on each side).
//
// The local runtime runs in process (runtime/localruntime.h) with time scale
// 0, so retry backoffs take no time; moto runs them for real. moto 5.2.1 runs
// only one execution per region once execution is enabled, so each row gets
// a region of its own there.
//
// Where the two disagree the expected value is the one AWS gives (moto's, when
// moto matches AWS: see /work/shared/reference/step-functions.md) and the
// comparison is an expected failure naming the difference (knownDifferences()).
// Where moto is the one that differs from AWS (rows "path-failure" and
// "runtime-nochoice", column motoWrong), the AWS values in the row are the
// reference for error, states entered and attempts instead of moto's.

#include "aws/awspager.h"
#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/dynamodbclient.h"
#include "aws/endpoints.h"
#include "aws/stepfunctionsclient.h"
#include "runtime/localruntime.h"
#include "support/motoserver.h"
#include "support/testpaths.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <initializer_list>
#include <memory>

using namespace Bramble;
using LocalRuntime::Runtime;

namespace {

const QString table = QStringLiteral("SagaTransactions");
const QString account = QStringLiteral("123456789012");

// What one side did with one definition and input.
struct Outcome {
    QString status; // SUCCEEDED, FAILED... empty when the execution did not end
    QString error; // DescribeExecution's error, for FAILED
    QStringList entered; // *StateEntered names, in event order
    QMap<QString, int> attempts; // Task state name -> TaskScheduled events
    QList<QJsonObject> items; // GetItem per key, typed; {} when absent
    QString problem; // a call that failed, for the failure message
};

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString describe(const QMap<QString, int> &m)
{
    QStringList parts;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(QLatin1Char(' '));
}

// "A=1 B=3" back to a map (the expected columns).
QMap<QString, int> parseAttempts(const QString &text)
{
    QMap<QString, int> m;
    for (const QString &part : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        m.insert(part.section(QLatin1Char('='), 0, 0), part.section(QLatin1Char('='), 1).toInt());
    return m;
}

// Attempts per Task state: every TaskScheduled walked back to the
// TaskStateEntered it belongs to (events of Parallel branches interleave, so
// never by adjacency).
QMap<QString, int> taskAttempts(const QJsonArray &events)
{
    QHash<qint64, QJsonObject> byId;
    for (const QJsonValue &v : events)
        byId.insert(v.toObject().value(QStringLiteral("id")).toInteger(), v.toObject());
    QMap<QString, int> attempts;
    for (const QJsonValue &v : events) {
        QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("type")).toString() != QLatin1String("TaskScheduled"))
            continue;
        QString state = QStringLiteral("<unlinked>");
        for (int hops = 0; hops < events.size(); ++hops) {
            e = byId.value(e.value(QStringLiteral("previousEventId")).toInteger());
            if (e.isEmpty())
                break;
            if (e.value(QStringLiteral("type")).toString() == QLatin1String("TaskStateEntered")) {
                state = e.value(QStringLiteral("stateEnteredEventDetails"))
                            .toObject()
                            .value(QStringLiteral("name"))
                            .toString();
                break;
            }
        }
        ++attempts[state];
    }
    return attempts;
}

QStringList statesEntered(const QJsonArray &events)
{
    QStringList names;
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        if (e.value(QStringLiteral("type")).toString().endsWith(QLatin1String("StateEntered")))
            names << e.value(QStringLiteral("stateEnteredEventDetails"))
                         .toObject()
                         .value(QStringLiteral("name"))
                         .toString();
    }
    return names;
}

// Known differences between the local runtime and AWS, by "row/field": the
// comparison still runs (and would report XPASS once the runtime is fixed).
const QHash<QString, const char *> &knownDifferences()
{
    static const QHash<QString, const char *> known {};
    return known;
}

} // namespace

class TestMotoConformance : public QObject {
    Q_OBJECT

private:
    Test::MotoServer m_moto;
    QTemporaryDir m_dir;
    Runtime m_runtime;
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        QStringLiteral("testing"), QStringLiteral("testing"), {}, {}, QStringLiteral("test") } };
    std::unique_ptr<Aws::AwsTransport> m_local;
    QSet<QString> m_localMachines;

    std::unique_ptr<Aws::AwsTransport> transport(const QString &region, const QUrl &endpoint)
    {
        auto t = std::make_unique<Aws::AwsTransport>(&m_network, &m_credentials, region);
        t->setEndpoint(Aws::ServiceInfo::stepFunctions(), endpoint);
        t->setEndpoint(Aws::ServiceInfo::dynamoDb(), endpoint);
        return t;
    }

    // Waits for a call; its body, or {} with *problem set.
    static QJsonObject finish(Aws::AwsCall *call, QString *problem)
    {
        call->setAutoDelete(false);
        std::unique_ptr<Aws::AwsCall> owner(call);
        if (!call->isFinished()) {
            QSignalSpy spy(call, &Core::Job::finished);
            if (!spy.wait(20000)) {
                *problem = QStringLiteral("no answer within 20 s");
                return {};
            }
        }
        if (!call->ok()) {
            *problem = call->error().toString();
            return {};
        }
        return call->response().json;
    }

    static QJsonArray finish(Aws::AwsPager *pager, QString *problem)
    {
        pager->setAutoDelete(false);
        std::unique_ptr<Aws::AwsPager> owner(pager);
        if (!pager->isFinished()) {
            QSignalSpy spy(pager, &Core::Job::finished);
            if (!spy.wait(20000)) {
                *problem = QStringLiteral("history: no answer within 20 s");
                return {};
            }
        }
        if (!pager->ok())
            *problem = pager->error().toString();
        return pager->value();
    }

    static QJsonObject createTableInput()
    {
        const auto attribute = [](const char *key, const char *value) {
            return QJsonObject { { QStringLiteral("AttributeName"), QStringLiteral("TransactionId") },
                { QLatin1String(key), QLatin1String(value) } };
        };
        return { { QStringLiteral("TableName"), table },
            { QStringLiteral("AttributeDefinitions"), QJsonArray { attribute("AttributeType", "S") } },
            { QStringLiteral("KeySchema"), QJsonArray { attribute("KeyType", "HASH") } },
            { QStringLiteral("BillingMode"), QStringLiteral("PAY_PER_REQUEST") } };
    }

    // Deploys `definition` as `machine` (and the table, when `withTable`),
    // runs it once with `input`, waits for the end and reads what it left.
    Outcome run(Aws::AwsTransport *t, const QString &region, bool withTable, const QString &machine,
        const QByteArray &definition, const QString &input, const QStringList &keys)
    {
        Outcome out;
        if (withTable) {
            finish(t->callJson(Aws::ServiceInfo::dynamoDb(), QStringLiteral("CreateTable"), createTableInput()),
                &out.problem);
            if (!out.problem.isEmpty())
                return out;
        }
        finish(
            t->callJson(Aws::ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"),
                { { QStringLiteral("name"), machine }, { QStringLiteral("definition"), QString::fromUtf8(definition) },
                    { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::%1:role/saga").arg(account) } }),
            &out.problem);
        if (!out.problem.isEmpty())
            return out;
        const QString machineArn = QStringLiteral("arn:aws:states:%1:%2:stateMachine:%3").arg(region, account, machine);
        Aws::StepFunctionsClient sfn(t);
        const QString arn = finish(sfn.startExecution(machineArn, QStringLiteral("conformance"), input), &out.problem)
                                .value(QStringLiteral("executionArn"))
                                .toString();
        if (arn.isEmpty())
            return out;
        QJsonObject described;
        (void)QTest::qWaitFor(
            [&] {
                described = finish(sfn.describeExecution(arn), &out.problem);
                const QString status = described.value(QStringLiteral("status")).toString();
                return !out.problem.isEmpty() || (!status.isEmpty() && status != QLatin1String("RUNNING"));
            },
            60000);
        out.status = described.value(QStringLiteral("status")).toString();
        out.error = described.value(QStringLiteral("error")).toString();
        const QJsonArray events = finish(sfn.getExecutionHistory(arn), &out.problem);
        out.entered = statesEntered(events);
        out.attempts = taskAttempts(events);
        Aws::DynamoDbClient dynamo(t);
        for (const QString &key : keys)
            out.items << finish(dynamo.getItem(table, { { QStringLiteral("TransactionId"), key } }, true), &out.problem)
                             .value(QStringLiteral("Item"))
                             .toObject();
        return out;
    }

    static void expectKnownDifference(const char *field)
    {
        const QString key = QLatin1String(QTest::currentDataTag()) + QLatin1Char('/') + QLatin1String(field);
        if (const char *why = knownDifferences().value(key))
            QEXPECT_FAIL("", why, Continue);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("moto_server")).isEmpty())
            QSKIP("moto_server is not installed (pip install 'moto[server]')");
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
        QVERIFY2(m_moto.enableStateMachineExecution(), qPrintable(m_moto.errorString()));
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("local"));
        options.timeScale = 0;
        const Core::Error error = m_runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        m_local = transport(options.region, m_runtime.endpoint());
    }

    void conformance_data()
    {
        QTest::addColumn<QString>("definition"); // relative to the source tree
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("keys"); // TransactionIds to read back
        QTest::addColumn<QString>("region"); // moto's, one per row
        QTest::addColumn<bool>("concurrent"); // Parallel branches: compare the states entered as a multiset
        // What AWS gives: status, error, attempts per task state, how many states entered.
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("attempts");
        QTest::addColumn<int>("entered");
        // moto differs from AWS on this row: error, states entered and attempts
        // are compared with the columns above instead of with moto's.
        QTest::addColumn<bool>("motoWrong");

        const QString seed = QStringLiteral("resources/sagas/seed-saga.moto.asl.json");
        const auto data = [](const char *file) -> QString {
            return QStringLiteral("tests/data/localruntime/conformance/") + QLatin1String(file);
        };
        const auto saga = [](const char *id, bool fail) -> QString {
            return QStringLiteral(
                "{\"Payload\":{\"TransactionDetails\":{\"TransactionId\":\"%1\",\"simulateFail\":%2}}}")
                .arg(QLatin1String(id), fail ? QStringLiteral("true") : QStringLiteral("false"));
        };
        const auto row = [](const char *tag, const QString &definition, const QString &input, const QStringList &keys,
                             const char *region, bool concurrent, const char *status, const char *error,
                             const char *attempts, int entered, bool motoWrong = false) {
            QTest::newRow(tag) << definition << input << keys << QString::fromLatin1(region) << concurrent
                               << QString::fromLatin1(status) << QString::fromLatin1(error)
                               << QString::fromLatin1(attempts) << entered << motoWrong;
        };
        const auto text = [](const char *s) { return QString::fromLatin1(s); };
        const auto keys = [](std::initializer_list<const char *> list) {
            QStringList l;
            for (const char *k : list)
                l << QString::fromLatin1(k);
            return l;
        };

        row("seed-committed", seed, saga("seed-1", false), keys({ "seed-1" }), "us-east-1", false, "SUCCEEDED", "",
            "CommitRecords=1 ProcessRecords=1 TransformRecords=1", 6);
        row("seed-compensated", seed, saga("seed-2", true), keys({ "seed-2" }), "us-east-2", false, "FAILED",
            "SagaRolledBack",
            "CommitRecords=1 CommitRecordsRollback=1 ProcessRecords=1 ProcessRecordsRollback=1 TransformRecords=1 "
            "TransformRecordsRollback=1",
            8);
        row("choice-record", data("choice-intrinsics.asl.json"),
            text(R"({"id":"ci-1","customer":"acme-co","base":3,"lines":["a","b","c"]})"), keys({ "ci-1" }), "us-west-1",
            false, "SUCCEEDED", "", "Record=1", 4);
        row("choice-rejected", data("choice-intrinsics.asl.json"),
            text(R"({"id":"ci-2","customer":"other","base":1,"lines":["a"]})"), keys({ "ci-2" }), "us-west-2", false,
            "FAILED", "Order.Rejected", "", 3);
        row("retry-confirmed", data("retry-catch.asl.json"), text(R"({"id":"rc-1","status":"READY"})"),
            keys({ "rc-1" }), "eu-west-1", false, "SUCCEEDED", "", "Confirm=1 Reserve=1", 3);
        row("retry-caught", data("retry-catch.asl.json"), text(R"({"id":"rc-2","status":"RESERVED"})"),
            keys({ "rc-2" }), "eu-west-2", false, "FAILED", "Reservation.Cancelled", "Confirm=3 Release=1 Reserve=1",
            4);
        row("parallel-map", data("parallel-map.asl.json"),
            text(R"({"id":"pm-1","items":[{"sku":"A","qty":2},{"sku":"B","qty":3},{"sku":"C","qty":5}]})"),
            keys({ "pm-1", "pm-1-header" }), "eu-central-1", true, "SUCCEEDED", "", "Header=1 Summarise=1 WriteLine=3",
            12);
        row("dynamo-results", data("dynamo-results.asl.json"), text(R"({"id":"dr-1"})"),
            keys({ "dr-1", "dr-1-result" }), "ap-southeast-1", false, "SUCCEEDED", "",
            "Bump=1 Create=1 Lookup=2 Missing=1 Record=1", 9);
        row("branch-failures", data("branch-failures.asl.json"), text(R"({"id":"bf-1","items":["no-such","bf-1"]})"),
            keys({ "bf-1", "no-such" }), "ap-southeast-2", true, "FAILED", "Order.Failed",
            "MustExist=1 Report=1 Undo=1 Write=1", 9);
        row("retry-edges", data("retry-edges.asl.json"), text(R"({"id":"re-1","none":[]})"), keys({ "re-1" }),
            "ap-northeast-1", false, "SUCCEEDED", "", "Store=1 Strict=1", 5);
        row("catch-output", data("catch-output.asl.json"), text(R"({"id":"co-1"})"), keys({ "catch-output", "co-1" }),
            "ap-northeast-3", false, "SUCCEEDED", "", "Fails=2 Note=1", 2);
        // AWS: a Parameters path missing from the input is States.Runtime, which
        // fails the execution at once: no TaskScheduled, and Catch States.ALL
        // does not take it (reference/step-functions.md §3.4, local-runtime.md §3.3 for
        // the same shape with TimestampPath; the AWS Step Functions workshop shows
        // "States.Runtime" with the cause "An error occurred while executing the state
        // '<State>' (entered at the event id #7). The JSONPath '<path>' specified for
        // the field '<field>.$' could not be found in the input ..."). moto 5.2.1 records a TaskFailed
        // (DynamoDB.AmazonDynamoDBException) that the Catch takes to "Caught".
        row("path-failure", data("path-failure.asl.json"), text(R"({"id":"pf-1"})"), keys({ "pf-1" }), "ap-northeast-2",
            false, "FAILED", "States.Runtime", "", 1, true);
        const QString failures = data("runtime-failures.asl.json");
        row("runtime-parameters", failures, text(R"({"id":"rf-1","mode":"parameters"})"), keys({ "rf-1" }), "eu-west-3",
            false, "FAILED", "States.Runtime", "Record=1", 3);
        row("runtime-inputpath", failures, text(R"({"id":"rf-2","mode":"inputpath"})"), keys({ "rf-2" }), "eu-north-1",
            false, "FAILED", "States.Runtime", "Record=1", 3);
        // AWS: no Choice rule matches and there is no Default: States.NoChoiceMatched
        // (reference/step-functions.md §3.2). moto 5.2.1 fails with States.Runtime.
        row("runtime-nochoice", failures, text(R"({"id":"rf-3","mode":"other"})"), keys({ "rf-3" }), "ap-south-1",
            false, "FAILED", "States.NoChoiceMatched", "Record=1", 2, true);
        // The item's key is the execution's name ($$.Execution.Name): "conformance" on both sides.
        // intrinsics-input.json with expectedSum set (-2 matches States.MathAdd(3, -5)).
        const auto intrinsics = [](int expectedSum) {
            QFile f(Test::testData(QStringLiteral("localruntime/conformance/intrinsics-input.json")));
            QJsonObject o = QJsonDocument::fromJson(f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray()).object();
            o.insert(QStringLiteral("expectedSum"), expectedSum);
            return compact(o);
        };
        row("intrinsics", data("intrinsics-choice.asl.json"), intrinsics(-2), keys({ "conformance" }), "ca-central-1",
            false, "SUCCEEDED", "", "Store=1", 4);
        row("intrinsics-mismatch", data("intrinsics-choice.asl.json"), intrinsics(7), keys({}), "sa-east-1", false,
            "FAILED", "Input.Mismatch", "", 3);
    }

    void conformance()
    {
        QFETCH(QString, definition);
        QFETCH(QString, input);
        QFETCH(QStringList, keys);
        QFETCH(QString, region);
        QFETCH(bool, concurrent);
        QFETCH(QString, status);
        QFETCH(QString, error);
        QFETCH(QString, attempts);
        QFETCH(int, entered);
        QFETCH(bool, motoWrong);

        QFile file(Test::sourceDir() + QLatin1Char('/') + definition);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QByteArray asl = file.readAll();
        const QString machine = QString::fromLatin1(QTest::currentDataTag());

        const auto motoTransport = transport(region, m_moto.endpoint());
        Outcome moto = run(motoTransport.get(), region, true, machine, asl, input, keys);
        QVERIFY2(moto.problem.isEmpty(), qPrintable(QStringLiteral("moto: ") + moto.problem));
        const Outcome local
            = run(m_local.get(), m_runtime.options().region, m_localMachines.isEmpty(), machine, asl, input, keys);
        m_localMachines.insert(machine);
        QVERIFY2(local.problem.isEmpty(), qPrintable(QStringLiteral("local runtime: ") + local.problem));

        // moto matches AWS on these definitions (checked against the ASL
        // semantics in reference/step-functions.md), so it is the reference,
        // except for the fields of motoWrong rows.
        QCOMPARE(moto.status, status);
        if (motoWrong) { // the AWS values become the reference
            moto.error = error;
            moto.attempts = parseAttempts(attempts);
            moto.entered = moto.entered.mid(0, entered); // AWS stops where moto goes on
        }
        QCOMPARE(moto.error, error);
        QCOMPARE(describe(moto.attempts), attempts);
        QCOMPARE(moto.entered.size(), entered);

        expectKnownDifference("status");
        QCOMPARE(local.status, moto.status);
        expectKnownDifference("error");
        QCOMPARE(local.error, moto.error);

        QStringList motoEntered = moto.entered;
        QStringList localEntered = local.entered;
        if (concurrent) { // branches interleave differently on each run
            motoEntered.sort();
            localEntered.sort();
        }
        expectKnownDifference("entered");
        QCOMPARE(localEntered, motoEntered);

        expectKnownDifference("attempts");
        QVERIFY2(local.attempts == moto.attempts,
            qPrintable(QStringLiteral("local: %1\nmoto:  %2").arg(describe(local.attempts), describe(moto.attempts))));

        QCOMPARE(local.items.size(), keys.size());
        QCOMPARE(moto.items.size(), keys.size());
        for (int i = 0; i < keys.size(); ++i) {
            expectKnownDifference("item");
            QVERIFY2(local.items.at(i) == moto.items.at(i),
                qPrintable(QStringLiteral("%1\nlocal: %2\nmoto:  %3")
                               .arg(keys.at(i), compact(local.items.at(i)), compact(moto.items.at(i)))));
        }
    }
};

QTEST_GUILESS_MAIN(TestMotoConformance)
#include "tst_motoconformance.moc"
