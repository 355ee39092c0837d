// The local runtime driven by the aws CLI (a client written by others, with
// botocore's serializers, parsers, paginators and SigV4 signer): state
// machines, executions, paged and reversed histories, status filters,
// redrive, DynamoDB tables and items, and the errors botocore must parse.
#include "runtime/localruntime.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble::LocalRuntime;

namespace {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + ": " + err.left(600) + out.left(300);
    }
};

QByteArray fixture(const QString &name)
{
    QFile file(Bramble::Test::testData(QStringLiteral("localruntime/runtime/") + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray kSimple = fixture(QStringLiteral("simple.asl.json"));
const QByteArray kFlaky = fixture(QStringLiteral("flaky.asl.json"));

const QString kRole = QStringLiteral("arn:aws:iam::123456789012:role/test");

} // namespace

class TestAwsCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Runtime m_runtime;
    QString m_aws;

    CliResult aws(QStringList args)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys()) {
            if (key.startsWith(QLatin1String("AWS_")))
                env.remove(key);
        }
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("testing"));
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("testing"));
        env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
        env.insert(QStringLiteral("AWS_CONFIG_FILE"), m_dir.filePath(QStringLiteral("no-config")));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dir.filePath(QStringLiteral("no-credentials")));
        env.insert(QStringLiteral("AWS_MAX_ATTEMPTS"), QStringLiteral("1"));
        env.insert(QStringLiteral("AWS_PAGER"), QString());
        env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("127.0.0.1"));
        process.setProcessEnvironment(env);
        args.prepend(m_runtime.endpoint().toString());
        args.prepend(QStringLiteral("--endpoint-url"));
        args.prepend(QStringLiteral("json"));
        args.prepend(QStringLiteral("--output"));
        process.start(m_aws, args);
        CliResult result;
        if (!process.waitForStarted(10000))
            return result;
        // The runtime answers on this thread: keep the event loop running.
        (void)QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000);
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
            return result;
        }
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }

    QString createMachine(const QString &name, const QByteArray &definition)
    {
        const QString file = m_dir.filePath(name + QStringLiteral(".json"));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(definition);
        f.close();
        const CliResult r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("create-state-machine"),
            QStringLiteral("--name"), name, QStringLiteral("--definition"), QStringLiteral("file://") + file,
            QStringLiteral("--role-arn"), kRole });
        if (r.exitCode != 0)
            qWarning().noquote() << r.describe();
        return r.json().value(QStringLiteral("stateMachineArn")).toString();
    }

    QJsonObject waitUntilEnded(const QString &executionArn)
    {
        QJsonObject described;
        (void)QTest::qWaitFor(
            [&] {
                const CliResult r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-execution"),
                    QStringLiteral("--execution-arn"), executionArn });
                described = r.json();
                return described.value(QStringLiteral("status")).toString() != QLatin1String("RUNNING");
            },
            60000);
        return described;
    }

    QString start(const QString &machineArn, const QString &name, const QString &input)
    {
        QStringList args { QStringLiteral("stepfunctions"), QStringLiteral("start-execution"),
            QStringLiteral("--state-machine-arn"), machineArn, QStringLiteral("--input"), input };
        if (!name.isEmpty())
            args << QStringLiteral("--name") << name;
        const CliResult r = aws(args);
        if (r.exitCode != 0)
            qWarning().noquote() << r.describe();
        return r.json().value(QStringLiteral("executionArn")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_aws = QStandardPaths::findExecutable(QStringLiteral("aws"));
        if (m_aws.isEmpty())
            QSKIP("the aws CLI is not installed");
        QVERIFY(m_dir.isValid());
        Runtime::Options options;
        options.dataDirectory = m_dir.filePath(QStringLiteral("data"));
        options.timeScale = 0.001;
        const Bramble::Core::Error error = m_runtime.start(options);
        QVERIFY2(error.isNull(), qPrintable(error.toString()));
        QVERIFY(m_runtime.isListening());
    }

    void stateMachines()
    {
        const QString arn = createMachine(QStringLiteral("simple"), kSimple);
        QCOMPARE(arn, QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:simple"));

        CliResult r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-state-machine"),
            QStringLiteral("--state-machine-arn"), arn });
        QVERIFY2(r.exitCode == 0, r.describe());
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("simple"));
        QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("STANDARD"));
        QCOMPARE(r.json().value(QStringLiteral("roleArn")).toString(), kRole);
        QCOMPARE(QJsonDocument::fromJson(r.json().value(QStringLiteral("definition")).toString().toUtf8()),
            QJsonDocument::fromJson(kSimple));

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("list-state-machines") });
        QVERIFY2(r.exitCode == 0, r.describe());
        bool listed = false;
        for (const QJsonValue &item : r.json().value(QStringLiteral("stateMachines")).toArray())
            listed = listed || item.toObject().value(QStringLiteral("stateMachineArn")).toString() == arn;
        QVERIFY(listed);

        // A name already taken with another definition.
        const QString other = m_dir.filePath(QStringLiteral("other.json"));
        QFile f(other);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kFlaky);
        f.close();
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("create-state-machine"), QStringLiteral("--name"),
            QStringLiteral("simple"), QStringLiteral("--definition"), QStringLiteral("file://") + other,
            QStringLiteral("--role-arn"), kRole });
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("StateMachineAlreadyExists"), r.describe());

        // A definition whose Next goes nowhere.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("create-state-machine"), QStringLiteral("--name"),
            QStringLiteral("broken"), QStringLiteral("--definition"),
            QStringLiteral(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})"),
            QStringLiteral("--role-arn"), kRole });
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("InvalidDefinition"), r.describe());

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("create-state-machine"), QStringLiteral("--name"),
            QStringLiteral("bad name"), QStringLiteral("--definition"), QString::fromUtf8(kSimple),
            QStringLiteral("--role-arn"), kRole });
        QVERIFY2(r.err.contains("InvalidName"), r.describe());

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("validate-state-machine-definition"),
            QStringLiteral("--definition"),
            QStringLiteral(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})") });
        QVERIFY2(r.exitCode == 0, r.describe());
        QCOMPARE(r.json().value(QStringLiteral("result")).toString(), QStringLiteral("FAIL"));
        QVERIFY(!r.json().value(QStringLiteral("diagnostics")).toArray().isEmpty());
    }

    void executionsAndHistory()
    {
        const QString machine = QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:simple");
        const QString ok = start(machine, QStringLiteral("run-ok"), QStringLiteral(R"({"go": true})"));
        QVERIFY(!ok.isEmpty());
        const QString bad = start(machine, QStringLiteral("run-bad"), QStringLiteral(R"({"go": false})"));
        QVERIFY(!bad.isEmpty());

        CliResult r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("start-execution"),
            QStringLiteral("--state-machine-arn"), machine, QStringLiteral("--name"), QStringLiteral("run-ok"),
            QStringLiteral("--input"), QStringLiteral(R"({"go": false})") });
        QVERIFY2(r.err.contains("ExecutionAlreadyExists"), r.describe());
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("start-execution"),
            QStringLiteral("--state-machine-arn"), machine, QStringLiteral("--input"), QStringLiteral("{not json") });
        QVERIFY2(r.err.contains("InvalidExecutionInput"), r.describe());

        QJsonObject described = waitUntilEnded(ok);
        QCOMPARE(described.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QCOMPARE(QJsonDocument::fromJson(described.value(QStringLiteral("output")).toString().toUtf8()).object(),
            QJsonObject({ { QStringLiteral("go"), true },
                { QStringLiteral("pass"), QJsonObject { { QStringLiteral("a"), 1 } } } }));
        QVERIFY(described.contains(QStringLiteral("stopDate")));
        described = waitUntilEnded(bad);
        QCOMPARE(described.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(described.value(QStringLiteral("error")).toString(), QStringLiteral("NoGo"));
        QCOMPARE(described.value(QStringLiteral("cause")).toString(), QStringLiteral("go was false"));

        // The whole history, then in pages of 3 (the CLI's --max-items and
        // --starting-token over our nextToken), then newest first.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
            QStringLiteral("--execution-arn"), ok });
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonArray all = r.json().value(QStringLiteral("events")).toArray();
        QVERIFY(all.size() >= 8);
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(all.at(i).toObject().value(QStringLiteral("id")).toInt(), i + 1);
        QCOMPARE(all.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("ExecutionStarted"));
        QCOMPARE(all.last().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("ExecutionSucceeded"));

        QList<int> paged;
        QString token;
        for (int page = 0; page < 20; ++page) {
            QStringList args { QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
                QStringLiteral("--execution-arn"), ok, QStringLiteral("--max-items"), QStringLiteral("3"),
                QStringLiteral("--page-size"), QStringLiteral("2") };
            if (!token.isEmpty())
                args << QStringLiteral("--starting-token") << token;
            r = aws(args);
            QVERIFY2(r.exitCode == 0, r.describe());
            const QJsonArray events = r.json().value(QStringLiteral("events")).toArray();
            QVERIFY(events.size() <= 3);
            for (const QJsonValue &event : events)
                paged.append(event.toObject().value(QStringLiteral("id")).toInt());
            token = r.json().value(QStringLiteral("NextToken")).toString();
            if (token.isEmpty())
                break;
        }
        QCOMPARE(paged.size(), all.size());
        for (int i = 0; i < paged.size(); ++i)
            QCOMPARE(paged.at(i), i + 1);

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
            QStringLiteral("--execution-arn"), ok, QStringLiteral("--reverse-order"), QStringLiteral("--page-size"),
            QStringLiteral("4") });
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonArray reversed = r.json().value(QStringLiteral("events")).toArray();
        QCOMPARE(reversed.size(), all.size());
        for (int i = 0; i < reversed.size(); ++i)
            QCOMPARE(reversed.at(i).toObject().value(QStringLiteral("id")).toInt(), int(all.size()) - i);

        // A token the runtime did not give (botocore passes it on as is without paginating).
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
            QStringLiteral("--execution-arn"), ok, QStringLiteral("--no-paginate"), QStringLiteral("--next-token"),
            QStringLiteral("bm9wZQ") });
        QVERIFY2(r.err.contains("InvalidToken"), r.describe());

        // Status filters, newest first.
        r = aws(
            { QStringLiteral("stepfunctions"), QStringLiteral("list-executions"), QStringLiteral("--state-machine-arn"),
                machine, QStringLiteral("--status-filter"), QStringLiteral("FAILED") });
        QVERIFY2(r.exitCode == 0, r.describe());
        QJsonArray listed = r.json().value(QStringLiteral("executions")).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().toObject().value(QStringLiteral("executionArn")).toString(), bad);
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("list-executions"),
            QStringLiteral("--state-machine-arn"), machine, QStringLiteral("--page-size"), QStringLiteral("1") });
        QVERIFY2(r.exitCode == 0, r.describe());
        listed = r.json().value(QStringLiteral("executions")).toArray();
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("run-bad"));
        QCOMPARE(listed.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("run-ok"));

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("redrive-execution"),
            QStringLiteral("--execution-arn"), ok });
        QVERIFY2(r.err.contains("ExecutionNotRedrivable"), r.describe());
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-execution"),
            QStringLiteral("--execution-arn"), ok + QStringLiteral("-missing") });
        QVERIFY2(r.err.contains("ExecutionDoesNotExist"), r.describe());
    }

    void dynamoDbAndRedrive()
    {
        CliResult r = aws({ QStringLiteral("dynamodb"), QStringLiteral("create-table"), QStringLiteral("--table-name"),
            QStringLiteral("Flags"), QStringLiteral("--attribute-definitions"),
            QStringLiteral("AttributeName=Id,AttributeType=S"), QStringLiteral("--key-schema"),
            QStringLiteral("AttributeName=Id,KeyType=HASH"), QStringLiteral("--billing-mode"),
            QStringLiteral("PAY_PER_REQUEST") });
        QVERIFY2(r.exitCode == 0, r.describe());

        const QString machine = createMachine(QStringLiteral("flaky"), kFlaky);
        QVERIFY(!machine.isEmpty());
        const QString execution = start(machine, QStringLiteral("first"), QStringLiteral("{}"));
        QJsonObject described = waitUntilEnded(execution);
        QCOMPARE(described.value(QStringLiteral("status")).toString(), QStringLiteral("FAILED"));
        QCOMPARE(described.value(QStringLiteral("error")).toString(),
            QStringLiteral("DynamoDB.ConditionalCheckFailedException"));
        QCOMPARE(described.value(QStringLiteral("redriveStatus")).toString(), QStringLiteral("REDRIVABLE"));

        r = aws({ QStringLiteral("dynamodb"), QStringLiteral("put-item"), QStringLiteral("--table-name"),
            QStringLiteral("Flags"), QStringLiteral("--item"), QStringLiteral(R"({"Id": {"S": "1"}})") });
        QVERIFY2(r.exitCode == 0, r.describe());

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("redrive-execution"),
            QStringLiteral("--execution-arn"), execution });
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY(r.json().contains(QStringLiteral("redriveDate")));
        described = waitUntilEnded(execution);
        QCOMPARE(described.value(QStringLiteral("status")).toString(), QStringLiteral("SUCCEEDED"));
        QCOMPARE(described.value(QStringLiteral("redriveCount")).toInt(), 1);

        r = aws({ QStringLiteral("dynamodb"), QStringLiteral("get-item"), QStringLiteral("--table-name"),
            QStringLiteral("Flags"), QStringLiteral("--key"), QStringLiteral(R"({"Id": {"S": "1"}})") });
        QVERIFY2(r.exitCode == 0, r.describe());
        QCOMPARE(r.json().value(QStringLiteral("Item")).toObject().value(QStringLiteral("Seen")).toObject(),
            QJsonObject({ { QStringLiteral("BOOL"), true } }));

        // The redriven history goes on in the same ids, after ExecutionRedriven.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
            QStringLiteral("--execution-arn"), execution });
        const QJsonArray events = r.json().value(QStringLiteral("events")).toArray();
        QStringList types;
        for (int i = 0; i < events.size(); ++i) {
            QCOMPARE(events.at(i).toObject().value(QStringLiteral("id")).toInt(), i + 1);
            types << events.at(i).toObject().value(QStringLiteral("type")).toString();
        }
        QVERIFY2(types.contains(QStringLiteral("ExecutionFailed")), qPrintable(types.join(u',')));
        QVERIFY2(types.contains(QStringLiteral("ExecutionRedriven")), qPrintable(types.join(u',')));
        QCOMPARE(types.last(), QStringLiteral("ExecutionSucceeded"));

        r = aws(
            { QStringLiteral("stepfunctions"), QStringLiteral("list-executions"), QStringLiteral("--state-machine-arn"),
                machine, QStringLiteral("--status-filter"), QStringLiteral("SUCCEEDED") });
        QCOMPARE(r.json()
                     .value(QStringLiteral("executions"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("redriveCount")),
            QJsonValue(1));

        // Machines listed one per page, in creation order, through nextToken.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("list-state-machines"), QStringLiteral("--page-size"),
            QStringLiteral("1") });
        QVERIFY2(r.exitCode == 0, r.describe());
        QStringList names;
        for (const QJsonValue &item : r.json().value(QStringLiteral("stateMachines")).toArray())
            names << item.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(names, QStringList({ QStringLiteral("simple"), QStringLiteral("flaky") }));

        r = aws({ QStringLiteral("dynamodb"), QStringLiteral("get-item"), QStringLiteral("--table-name"),
            QStringLiteral("Missing"), QStringLiteral("--key"), QStringLiteral(R"({"Id": {"S": "1"}})") });
        QVERIFY2(r.err.contains("ResourceNotFoundException"), r.describe());
    }

    void stopUpdateAndDelete()
    {
        const QString machine = createMachine(QStringLiteral("forever"), fixture(QStringLiteral("forever.asl.json")));
        QVERIFY(!machine.isEmpty());
        const QString execution = start(machine, QStringLiteral("stopped"), QStringLiteral(R"({"keep": 1})"));
        QVERIFY(!execution.isEmpty());
        CliResult r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-execution"),
            QStringLiteral("--execution-arn"), execution });
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("RUNNING"));
        QVERIFY(!r.json().contains(QStringLiteral("stopDate")));

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("stop-execution"), QStringLiteral("--execution-arn"),
            execution, QStringLiteral("--error"), QStringLiteral("Operator.Stop"), QStringLiteral("--cause"),
            QStringLiteral("enough") });
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY(r.json().contains(QStringLiteral("stopDate")));
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-execution"),
            QStringLiteral("--execution-arn"), execution });
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ABORTED"));
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("Operator.Stop"));
        QCOMPARE(r.json().value(QStringLiteral("cause")).toString(), QStringLiteral("enough"));
        QCOMPARE(r.json().value(QStringLiteral("redriveStatus")).toString(), QStringLiteral("REDRIVABLE"));

        // Without execution data: the structure, not the payloads.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("get-execution-history"),
            QStringLiteral("--execution-arn"), execution, QStringLiteral("--no-include-execution-data") });
        QVERIFY2(r.exitCode == 0, r.describe());
        const QJsonArray events = r.json().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.last().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("ExecutionAborted"));
        const QJsonObject startedDetails
            = events.first().toObject().value(QStringLiteral("executionStartedEventDetails")).toObject();
        QVERIFY(!startedDetails.contains(QStringLiteral("input")));
        QVERIFY(startedDetails.contains(QStringLiteral("roleArn")));

        // The machine changes; the execution keeps the definition it ran.
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("update-state-machine"),
            QStringLiteral("--state-machine-arn"), machine, QStringLiteral("--definition"),
            QString::fromUtf8(fixture(QStringLiteral("simple.asl.json"))) });
        QVERIFY2(r.exitCode == 0, r.describe());
        QVERIFY(!r.json().value(QStringLiteral("revisionId")).toString().isEmpty());
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-state-machine-for-execution"),
            QStringLiteral("--execution-arn"), execution });
        QVERIFY2(r.exitCode == 0, r.describe());
        QCOMPARE(QJsonDocument::fromJson(r.json().value(QStringLiteral("definition")).toString().toUtf8()),
            QJsonDocument::fromJson(fixture(QStringLiteral("forever.asl.json"))));

        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("delete-state-machine"),
            QStringLiteral("--state-machine-arn"), machine });
        QVERIFY2(r.exitCode == 0, r.describe());
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-state-machine"),
            QStringLiteral("--state-machine-arn"), machine });
        QVERIFY2(r.err.contains("StateMachineDoesNotExist"), r.describe());
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("describe-state-machine"),
            QStringLiteral("--state-machine-arn"),
            QStringLiteral("arn:aws:states:us-east-1:123456789012:activity:x") });
        QVERIFY2(r.err.contains("InvalidArn"), r.describe());

        // JSONata is valid ASL but not run here: refused, naming the state.
        const QString file = m_dir.filePath(QStringLiteral("jsonata.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fixture(QStringLiteral("jsonata.asl.json")));
        f.close();
        r = aws({ QStringLiteral("stepfunctions"), QStringLiteral("create-state-machine"), QStringLiteral("--name"),
            QStringLiteral("modern"), QStringLiteral("--definition"), QStringLiteral("file://") + file,
            QStringLiteral("--role-arn"), kRole });
        QVERIFY2(r.err.contains("ValidationException") && r.err.contains("Modern"), r.describe());
    }

    void refusedRequests_data()
    {
        QTest::addColumn<QString>("authorization");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QByteArray>("type");
        const QString signature = QStringLiteral("AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/states/"
                                                 "aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");
        const QString list = QStringLiteral("AWSStepFunctions.ListStateMachines");
        QTest::newRow("unsigned") << QString() << list << QStringLiteral("{}")
                                  << QByteArray("MissingAuthenticationTokenException");
        QTest::newRow("bearer") << QStringLiteral("Bearer abc") << list << QStringLiteral("{}")
                                << QByteArray("IncompleteSignatureException");
        QTest::newRow("no credential scope")
            << QStringLiteral("AWS4-HMAC-SHA256 Credential=testing, SignedHeaders=host, Signature=abc") << list
            << QStringLiteral("{}") << QByteArray("IncompleteSignatureException");
        QTest::newRow("unknown service") << signature << QStringLiteral("Kinesis_20131202.ListStreams")
                                         << QStringLiteral("{}") << QByteArray("UnknownOperationException");
        QTest::newRow("unknown operation") << signature << QStringLiteral("AWSStepFunctions.DescribeActivity")
                                           << QStringLiteral("{}") << QByteArray("UnknownOperationException");
        QTest::newRow("not json") << signature << list << QStringLiteral("{nope")
                                  << QByteArray("SerializationException");
        QTest::newRow("dynamodb not json")
            << signature << QStringLiteral("DynamoDB_20120810.ListTables") << QStringLiteral("[1]")
            << QByteArray("com.amazonaws.dynamodb.v20120810#SerializationException");
    }

    void refusedRequests()
    {
        // curl, so nothing here signs or shapes the request for us.
        QFETCH(QString, authorization);
        QFETCH(QString, target);
        QFETCH(QString, body);
        QFETCH(QByteArray, type);
        QStringList args { QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"),
            QStringLiteral("-i"), QStringLiteral("-H"), QStringLiteral("X-Amz-Target: ") + target, QStringLiteral("-H"),
            QStringLiteral("Content-Type: application/x-amz-json-1.0"), QStringLiteral("--data"), body,
            m_runtime.endpoint().toString() };
        if (!authorization.isEmpty())
            args << QStringLiteral("-H") << QStringLiteral("Authorization: ") + authorization;
        QProcess curl;
        curl.start(QStringLiteral("curl"), args);
        QVERIFY(curl.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return curl.state() == QProcess::NotRunning; }, 20000));
        const QByteArray out = curl.readAllStandardOutput();
        QVERIFY2(out.startsWith("HTTP/1.1 400") || out.startsWith("HTTP/1.1 404"), out.constData());
        const QByteArray expected = QByteArray("\"__type\":\"") + type + QByteArray("\"");
        QVERIFY2(out.contains(expected), out.constData());
        QVERIFY2(out.toLower().contains("x-amzn-requestid: "), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestAwsCli)
#include "tst_awscli.moc"
