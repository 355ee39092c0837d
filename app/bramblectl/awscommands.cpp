// bramblectl aws whoami, sagas list, logs groups: the AWS service layer on
// the command line, with the aws CLI's profiles, regions and endpoints.

#include "awswait.h"
#include "cli.h"
#include "output.h"
#include "sagacli.h"
#include "wait.h"

#include "aws/awspager.h"
#include "aws/awssession.h"
#include "aws/cloudwatchlogsclient.h"
#include "aws/credentialchain.h"
#include "aws/stepfunctionsclient.h"
#include "aws/stsclient.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <unistd.h>

namespace Bramble::Cli {

namespace {

Aws::AwsSessionOptions sessionOptions(const Invocation &inv)
{
    return { inv.global.profile, inv.global.region, inv.global.endpointUrl };
}

// A role with mfa_serial: ask on the terminal, as the aws CLI does. Without
// a terminal the provider's error says a code is needed.
void askMfaOnTerminal(Aws::AwsSession &session)
{
    QFile *tty = new QFile(QStringLiteral("/dev/tty"), &session);
    if (!::isatty(STDIN_FILENO) || !tty->open(QIODevice::ReadWrite))
        return;
    session.credentials()->setMfaPrompt(
        [tty](const QString &serial, const Aws::ProfileCredentialsProvider::MfaAnswer &answer) {
            // The serial comes from the config file: no control bytes reach the terminal.
            tty->write(QStringLiteral("Enter MFA code for %1: ").arg(Core::oneLine(serial)).toUtf8());
            tty->flush();
            answer(QString::fromUtf8(tty->readLine(64)).trimmed());
        });
}

// "sagas list": the one subcommand named, and nothing after it.
bool expectSubcommand(const Invocation &inv, const QString &command, const QString &subcommand, int *exitCode)
{
    if (inv.arguments.isEmpty()) {
        *exitCode = inv.usage(QStringLiteral("%1: missing subcommand; try '%1 %2'").arg(command, subcommand));
        return false;
    }
    if (inv.arguments.first() != subcommand) {
        *exitCode = inv.usage(QStringLiteral("%1: unknown subcommand \"%2\"; try '%1 %3'")
                                  .arg(command, Core::oneLine(inv.arguments.first()), subcommand));
        return false;
    }
    if (inv.arguments.size() > 1) {
        *exitCode = inv.usage(QStringLiteral("%1 %2 takes no arguments").arg(command, subcommand));
        return false;
    }
    return true;
}

int runWhoami(Invocation &inv)
{
    int code = ExitOk;
    if (!expectSubcommand(inv, QStringLiteral("aws"), QStringLiteral("whoami"), &code))
        return code;
    const std::unique_ptr<Aws::AwsSession> session = openAwsSession(inv);
    if (!session)
        return ExitFailed;

    // Resolve the credentials first: their errors name the profile and file,
    // and their source is part of the answer. The call below reuses them.
    const std::unique_ptr<Aws::CredentialsJob> credentials = waitFor(session->credentials()->fetch());
    if (!credentials->ok())
        return inv.fail(credentials->error().toString());

    Aws::StsClient sts(session->transport());
    const std::unique_ptr<Aws::AwsCall> call = waitFor<Aws::AwsCall>(sts.getCallerIdentity());
    if (!call->ok())
        return inv.fail(call->error().toString());
    const Aws::CallerIdentity id = Aws::StsClient::callerIdentity(call->response());

    if (inv.global.json) {
        printJson(inv.out,
            QJsonObject {
                { QStringLiteral("account"), id.account },
                { QStringLiteral("arn"), id.arn },
                { QStringLiteral("userId"), id.userId },
                { QStringLiteral("profile"), session->profile() },
                { QStringLiteral("region"), session->region() },
                { QStringLiteral("credentialSource"), credentials->value().source },
            });
        return ExitOk;
    }
    const QList<QPair<QString, QString>> lines = {
        { QStringLiteral("Account"), id.account },
        { QStringLiteral("ARN"), id.arn },
        { QStringLiteral("User ID"), id.userId },
        { QStringLiteral("Profile"), session->profile() },
        { QStringLiteral("Region"), session->region() },
        { QStringLiteral("Credentials"), credentials->value().describe() },
    };
    for (const auto &[label, value] : lines)
        inv.out << QString(label + u':').leftJustified(14) << value << '\n';
    inv.out.flush();
    return ExitOk;
}

int runSagasList(Invocation &inv)
{
    int code = ExitOk;
    if (!expectSubcommand(inv, QStringLiteral("sagas"), QStringLiteral("list"), &code))
        return code;
    const std::unique_ptr<Aws::AwsSession> session = openAwsSession(inv);
    if (!session)
        return ExitFailed;

    Aws::StepFunctionsClient sfn(session->transport());
    const std::unique_ptr<Aws::AwsPager> pager = waitFor<Aws::AwsPager>(sfn.listStateMachines());
    if (!pager->ok())
        return inv.fail(pager->error().toString());

    QList<Aws::StateMachineSummary> machines;
    for (const QJsonValue &v : pager->value())
        machines << Aws::StateMachineSummary::fromJson(v.toObject());

    if (inv.global.json) {
        QJsonArray array;
        for (const Aws::StateMachineSummary &m : machines)
            array.append(QJsonObject {
                { QStringLiteral("name"), m.name },
                { QStringLiteral("stateMachineArn"), m.stateMachineArn },
                // null when the service leaves it out (moto does)
                { QStringLiteral("type"), m.type.isEmpty() ? QJsonValue() : QJsonValue(m.type) },
                { QStringLiteral("creationDate"), isoTime(m.creationDate) },
            });
        printJson(inv.out, array);
        return ExitOk;
    }
    if (machines.isEmpty()) {
        inv.out << "No state machines in " << session->region() << " (profile " << session->profile() << ").\n";
        inv.out.flush();
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const Aws::StateMachineSummary &m : machines)
        rows << QStringList { m.name, m.type.isEmpty() ? QStringLiteral("-") : m.type, isoTime(m.creationDate),
            m.stateMachineArn };
    printTable(inv.out,
        { QStringLiteral("NAME"), QStringLiteral("TYPE"), QStringLiteral("CREATED"), QStringLiteral("ARN") }, rows);
    return ExitOk;
}

int runLogGroups(Invocation &inv)
{
    int code = ExitOk;
    if (!expectSubcommand(inv, QStringLiteral("logs"), QStringLiteral("groups"), &code))
        return code;
    const QString prefix = inv.parser->value(QStringLiteral("prefix"));
    const std::unique_ptr<Aws::AwsSession> session = openAwsSession(inv);
    if (!session)
        return ExitFailed;

    Aws::CloudWatchLogsClient logs(session->transport());
    const std::unique_ptr<Aws::AwsPager> pager = waitFor<Aws::AwsPager>(logs.describeLogGroups(prefix));
    if (!pager->ok())
        return inv.fail(pager->error().toString());

    QList<Aws::LogGroupSummary> groups;
    for (const QJsonValue &v : pager->value())
        groups << Aws::LogGroupSummary::fromJson(v.toObject());

    if (inv.global.json) {
        QJsonArray array;
        for (const Aws::LogGroupSummary &g : groups)
            array.append(QJsonObject {
                { QStringLiteral("logGroupName"), g.logGroupName },
                { QStringLiteral("arn"), g.arn },
                { QStringLiteral("creationTime"), isoTime(g.creationTime) },
                // null: the events never expire
                { QStringLiteral("retentionInDays"),
                    g.retentionInDays > 0 ? QJsonValue(g.retentionInDays) : QJsonValue() },
                { QStringLiteral("storedBytes"), double(g.storedBytes) },
            });
        printJson(inv.out, array);
        return ExitOk;
    }
    if (groups.isEmpty()) {
        inv.out << "No log groups"
                << (prefix.isEmpty() ? QString() : QStringLiteral(" starting with \"%1\"").arg(prefix)) << " in "
                << session->region() << " (profile " << session->profile() << ").\n";
        inv.out.flush();
        return ExitOk;
    }
    const QLocale c = QLocale::c();
    QList<QStringList> rows;
    for (const Aws::LogGroupSummary &g : groups)
        rows << QStringList { g.logGroupName,
            g.retentionInDays > 0 ? QStringLiteral("%1 days").arg(g.retentionInDays) : QStringLiteral("never expire"),
            c.formattedDataSize(g.storedBytes), isoTime(g.creationTime) };
    printTable(inv.out,
        { QStringLiteral("NAME"), QStringLiteral("RETENTION"), QStringLiteral("STORED"), QStringLiteral("CREATED") },
        rows);
    return ExitOk;
}

} // namespace

std::unique_ptr<Aws::AwsSession> openAwsSession(const Invocation &inv)
{
    auto session = std::make_unique<Aws::AwsSession>(inv.env, sessionOptions(inv));
    if (!checkSession(*session, inv))
        return nullptr;
    askMfaOnTerminal(*session);
    return session;
}

Command awsCommand()
{
    Command c;
    c.name = QStringLiteral("aws");
    c.summary = QStringLiteral("Show who the AWS credentials in force belong to (STS GetCallerIdentity).");
    c.synopsis = QStringLiteral("aws whoami [--profile P] [--region R] [--endpoint-url URL] [--json]");
    c.run = runWhoami;
    return c;
}

Command sagasCommand()
{
    Command c;
    c.name = QStringLiteral("sagas");
    c.summary = QStringLiteral("Step Functions sagas: state machines, executions and their outcome, live or offline.");
    c.synopsis = QStringLiteral(
        "sagas list [--json]\n"
        "       bramblectl sagas executions STATE_MACHINE [--status S] [--json]\n"
        "       bramblectl sagas show EXECUTION_ARN [--json]\n"
        "       bramblectl sagas watch EXECUTION_ARN [--json]\n"
        "       bramblectl sagas start STATE_MACHINE --input JSON [--name N] [--json]\n"
        "       bramblectl sagas analyze --definition FILE --history FILE [--json]\n"
        "(AWS subcommands take --profile P --region R --endpoint-url URL; STATE_MACHINE is a name or an ARN.)\n\n"
        "sagas watch exits when the execution ends, with its saga outcome: 0 COMMITTED, 3 COMPENSATED,\n"
        "4 COMPENSATION_FAILED, 5 FAILED_UNCOMPENSATED, 6 TIMED_OUT, 7 ABORTED; 1 error, 2 usage,\n"
        "130 interrupted (SIGINT/SIGTERM).");
    c.options = { QCommandLineOption(QStringLiteral("definition"),
                      QStringLiteral("The state machine's ASL definition (JSON)."), QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("history"),
            QStringLiteral("A saved GetExecutionHistory answer ({\"events\": [...]})."), QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("status"),
            QStringLiteral("Only executions with this status: RUNNING, SUCCEEDED, FAILED, "
                           "TIMED_OUT, ABORTED, PENDING_REDRIVE."),
            QStringLiteral("S")),
        QCommandLineOption(QStringLiteral("input"), QStringLiteral("The execution's input (a JSON document)."),
            QStringLiteral("JSON")),
        QCommandLineOption(
            QStringLiteral("name"), QStringLiteral("The execution's name (default: a UUID)."), QStringLiteral("N")) };
    c.run = [](Invocation &inv) {
        const QString sub = inv.arguments.value(0);
        if (sub == u"analyze")
            return runSagasAnalyze(inv);
        if (sub == u"executions")
            return runSagasExecutions(inv);
        if (sub == u"show")
            return runSagasShow(inv);
        if (sub == u"watch")
            return runSagasWatch(inv);
        if (sub == u"start")
            return runSagasStart(inv);
        if (sub.isEmpty() || sub == u"list")
            return runSagasList(inv);
        return inv.usage(QStringLiteral("sagas: unknown subcommand \"%1\"; try list, executions, show, watch, start "
                                        "or analyze")
                             .arg(Core::oneLine(sub)));
    };
    return c;
}

Command logsCommand()
{
    Command c;
    c.name = QStringLiteral("logs");
    c.summary = QStringLiteral("List CloudWatch Logs log groups.");
    c.synopsis = QStringLiteral("logs groups [--prefix P] [--profile P] [--region R] [--endpoint-url URL] [--json]");
    c.options = { QCommandLineOption(
        QStringLiteral("prefix"), QStringLiteral("Only groups whose name starts with P."), QStringLiteral("P")) };
    c.run = runLogGroups;
    return c;
}

} // namespace Bramble::Cli
