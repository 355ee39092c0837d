// fake-aws-server: FakeAwsServer (Step Functions + DynamoDB) as a process,
// for screenshots, demos and out-of-process clients. See --help.

#include "fakes/fakeawsserver.h"
#include "fakes/fakeprocess.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

using Bramble::Test::FakeAwsServer;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "fake-aws-server: %s\n", qPrintable(message));
    return 1;
}

QString s(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

bool readSource(const QString &relative, QByteArray *bytes, QString *error)
{
    QFile f(QStringLiteral(BRAMBLE_SOURCE_DIR "/") + relative);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    *bytes = f.readAll();
    return true;
}

// The saga input: {"Payload": {"TransactionDetails": {"TransactionId": id, ...extra}}}.
QString sagaInput(const QString &transactionId, QJsonObject extra = {})
{
    extra.insert(s("TransactionId"), transactionId);
    const QJsonObject input { { s("Payload"), QJsonObject { { s("TransactionDetails"), extra } } } };
    return QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
}

// --scenario saga-demo in one region: the seed saga with a mix of outcomes
// over the last six hours, one execution still running (one event per 2 s),
// and the CDK-style saga with a couple of runs.
bool seedSagaDemo(FakeAwsServer &server, const QString &region, QString *error)
{
    QByteArray seed, cdk;
    if (!readSource(s("resources/sagas/seed-saga.asl.json"), &seed, error)
        || !readSource(s("tests/data/saga/cdk-saga.asl.json"), &cdk, error))
        return false;
    const QString seedArn = server.addStateMachine(s("seed-saga"), seed, region);
    const QString cdkArn = server.addStateMachine(s("webshop-order-saga"), cdk, region);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto fail = [](const char *at, QJsonObject more = {}) {
        more.insert(s("simulateFail"), true);
        more.insert(s("failAt"), s(at));
        return more;
    };

    struct Run {
        const char *id;
        int minutesAgo;
        QJsonObject details;
    };
    const QList<Run> instant {
        { "1001", 352, {} }, { "1002", 327, fail("ProcessRecords") }, { "1003", 301, {} },
        { "1004", 274, fail("TransformRecords") },
        { "1005", 243, fail("TransformRecords", { { s("retries"), 2 } }) }, // committed after two retries
        { "1006", 212, fail("CommitRecords") },
        { "1007", 181, fail("CommitRecords", { { s("failRollback"), s("TransformRecordsRollback") } }) },
        { "1010", 64, {} },
        { "1011", 33, fail("CommitRecords", { { s("retries"), 3 } }) }, // retries run out: compensated
    };
    FakeAwsServer::StartOptions options;
    options.tickMs = 0;
    QString why;
    for (const Run &r : instant) {
        options.startDate = now.addSecs(-60 * r.minutesAgo);
        if (server.startExecution(seedArn, u"txn-" + s(r.id), sagaInput(s(r.id), r.details), options, &why).isEmpty()) {
            *error = why;
            return false;
        }
    }

    // Stopped while TransformRecords ran (11 events: up to its TaskStarted).
    FakeAwsServer::StartOptions held;
    held.tickMs = -1;
    held.startDate = now.addSecs(-60 * 142);
    const QString aborted = server.startExecution(seedArn, s("txn-1008"), sagaInput(s("1008")), held, &why);
    server.releaseEvents(aborted, 11);
    server.stopExecution(aborted, s("UserStop"), s("Stopped from the console while TransformRecords ran"));

    // ProcessRecordsRollback failed; redriven, it ran again and the rollback completed.
    options.startDate = now.addSecs(-60 * 101);
    const QString redriven = server.startExecution(seedArn, s("txn-1009"),
        sagaInput(s("1009"), fail("CommitRecords", { { s("failRollback"), s("ProcessRecordsRollback") } })), options,
        &why);
    server.redriveExecution(redriven);

    // Live: one event every 2 s, failing at CommitRecords so the rollback shows too.
    FakeAwsServer::StartOptions live;
    live.tickMs = 2000;
    if (server.startExecution(seedArn, s("txn-1012"), sagaInput(s("1012"), fail("CommitRecords")), live, &why)
            .isEmpty()) {
        *error = why;
        return false;
    }

    options.startDate = now.addSecs(-60 * 197);
    server.startExecution(cdkArn, s("order-2001"), sagaInput(s("2001")), options);
    options.startDate = now.addSecs(-60 * 88);
    server.startExecution(cdkArn, s("order-2002"), sagaInput(s("2002"), fail("TransformRecords")), options);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(s("fake-aws-server"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        s("A fake AWS Step Functions + DynamoDB endpoint (AWS JSON 1.0) on 127.0.0.1, for tests, screenshots\n"
          "and demos; point clients at it with --endpoint-url. Any AWS4-HMAC-SHA256 credentials work;\n"
          "the region comes from the request's credential scope.\n"
          "Prints \"READY ENDPOINT=http://127.0.0.1:PORT\" on stdout once it listens.\n"
          "Exits on SIGTERM or SIGINT, and when stdin is a pipe that reaches end of file."));
    parser.addHelpOption();
    const QCommandLineOption portOption(
        s("port"), s("Port to listen on; 0 picks a free one (default)."), s("N"), s("0"));
    const QCommandLineOption tickOption(s("tick-ms"),
        s("Milliseconds between the history events of an execution started with StartExecution "
          "(default 250; 0 = the whole history at once)."),
        s("MS"), s("250"));
    const QCommandLineOption scenarioOption(s("scenario"),
        s("\"saga-demo\": in us-east-1 and eu-west-1, the state machines seed-saga and webshop-order-saga with "
          "executions over the last six hours (committed, compensated at each step, a failed rollback, retries, "
          "aborted, redriven) and one RUNNING that advances one event every 2 s; their DynamoDB records in "
          "table SagaTransactions."),
        s("name"));
    const QCommandLineOption historyOption(s("history-events"),
        s("Also add state machine history-loop with an execution \"long-history\" of at least N history "
          "events (up to 25000), for paging."),
        s("N"), s("0"));
    parser.addOptions({ portOption, tickOption, scenarioOption, historyOption });
    parser.process(app);

    bool portOk = false, tickOk = false, historyOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const int tickMs = parser.value(tickOption).toInt(&tickOk);
    const int historyEvents = parser.value(historyOption).toInt(&historyOk);
    if (!portOk || port > 65535)
        return fail(s("invalid --port"));
    if (!tickOk || tickMs < 0)
        return fail(s("invalid --tick-ms"));
    if (!historyOk || historyEvents < 0 || historyEvents > 25000)
        return fail(s("invalid --history-events (0..25000)"));
    const QString scenario = parser.value(scenarioOption);
    if (!scenario.isEmpty() && scenario != u"saga-demo")
        return fail(u"unknown --scenario \"" + scenario + u"\"; the one there is: saga-demo");

    FakeAwsServer server;
    server.setTickMs(tickMs);
    const QStringList regions
        = scenario.isEmpty() ? QStringList { s("us-east-1") } : QStringList { s("us-east-1"), s("eu-west-1") };
    for (const QString &region : regions) {
        QString error;
        if (!scenario.isEmpty() && !seedSagaDemo(server, region, &error))
            return fail(error);
        if (historyEvents > 0) {
            const QString loop = server.addStateMachine(s("history-loop"), FakeAwsServer::loopDefinition(), region);
            server.addExecution(loop, s("long-history"),
                FakeAwsServer::loopHistory(historyEvents, QDateTime::currentDateTimeUtc().addSecs(-1200)));
        }
    }
    if (!server.listen(quint16(port)))
        return fail(u"cannot listen on 127.0.0.1:" + QString::number(port) + u": " + server.errorString());

    std::fprintf(stdout, "READY ENDPOINT=%s\n", qPrintable(server.endpoint().toString()));
    std::fflush(stdout);
    QString error;
    const int code = Bramble::Test::runUntilStopped(app, &error);
    if (!error.isEmpty())
        return fail(error);
    return code;
}
