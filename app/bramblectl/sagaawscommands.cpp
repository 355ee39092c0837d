// bramblectl sagas executions | show | watch | start: Step Functions
// executions from AWS, analysed as sagas (the same analysis as `sagas analyze`).

#include "awswait.h"
#include "cli.h"
#include "output.h"
#include "sagacli.h"
#include "stopsignals.h"
#include "wait.h"

#include "aws/awspager.h"
#include "aws/awssession.h"
#include "aws/retrypolicy.h"
#include "aws/stepfunctionsclient.h"
#include "saga/executionentry.h"
#include "saga/executionfollower.h"
#include "saga/executionloadjob.h"
#include "saga/executiontimeline.h"
#include "saga/incrementalanalysis.h"
#include "saga/sagaanalysis.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Bramble::Cli {

namespace {

const QStringList &executionStatuses()
{
    static const QStringList statuses { QStringLiteral("RUNNING"), QStringLiteral("SUCCEEDED"),
        QStringLiteral("FAILED"), QStringLiteral("TIMED_OUT"), QStringLiteral("ABORTED"),
        QStringLiteral("PENDING_REDRIVE") };
    return statuses;
}

// "sagas SUB ARG": the one argument after the subcommand, or a usage error.
bool oneArgument(const Invocation &inv, const QString &what, QString *value, int *code)
{
    const QString sub = inv.arguments.value(0);
    if (inv.arguments.size() != 2) {
        *code = inv.usage(QStringLiteral("sagas %1 takes exactly one %2").arg(sub, what));
        return false;
    }
    *value = inv.arguments.at(1);
    return true;
}

// A Step Functions client on the session of --profile / --region / --endpoint-url.
struct StepFunctions {
    std::unique_ptr<Aws::AwsSession> session;
    std::unique_ptr<Aws::StepFunctionsClient> client;
    QString machineArn; // openStateMachine() only
};

std::optional<StepFunctions> openStepFunctions(const Invocation &inv)
{
    StepFunctions sfn;
    sfn.session = openAwsSession(inv);
    if (!sfn.session)
        return std::nullopt;
    sfn.client = std::make_unique<Aws::StepFunctionsClient>(sfn.session->transport());
    return sfn;
}

// With machineArn: nameOrArn if it is an ARN, else the ARN of the state
// machine with that name in the session's region (ListStateMachines).
// Nullopt after saying why.
std::optional<StepFunctions> openStateMachine(const Invocation &inv, const QString &nameOrArn)
{
    auto sfn = openStepFunctions(inv);
    if (!sfn || nameOrArn.startsWith(QStringLiteral("arn:"))) {
        if (sfn)
            sfn->machineArn = nameOrArn;
        return sfn;
    }
    const PagedResult result = waitFor(sfn->client->listStateMachines());
    if (!result.error.isNull()) {
        inv.fail(result.error.toString());
        return std::nullopt;
    }
    for (const QJsonValue &v : result.items) {
        const Aws::StateMachineSummary m = Aws::StateMachineSummary::fromJson(v.toObject());
        if (m.name == nameOrArn) {
            sfn->machineArn = m.stateMachineArn;
            return sfn;
        }
    }
    inv.fail(QStringLiteral("no state machine named \"%1\" in %2 (profile %3); 'bramblectl sagas list' shows them")
                 .arg(nameOrArn, sfn->session->region(), sfn->session->profile()));
    return std::nullopt;
}

// Warns about the events that could not be read (those not reported yet).
void printHistoryProblems(const Invocation &inv, Saga::IncrementalAnalysis &analysis, const QString &arn)
{
    for (const Core::Error &p : analysis.takeProblems())
        inv.err << "bramblectl: warning: " << arn << ": " << p.toString() << Qt::endl;
}

// "sagas show|watch EXECUTION_ARN": the session and the execution read in
// full by the service layer's ExecutionLoadJob (DescribeExecution, the
// definition it ran or else the current one, the history, analysed), with
// the definition's warnings and the history's problems on stderr.
struct OpenedExecution {
    StepFunctions sfn;
    Saga::LoadedExecution loaded;
    Saga::IncrementalAnalysis analysis; // to go on with a follower's events
};

std::optional<OpenedExecution> openExecution(const Invocation &inv, int *code)
{
    QString arn;
    if (!oneArgument(inv, QStringLiteral("EXECUTION_ARN"), &arn, code))
        return std::nullopt;
    *code = ExitFailed;
    auto sfn = openStepFunctions(inv);
    if (!sfn)
        return std::nullopt;
    OpenedExecution e { *std::move(sfn), {}, {} };
    Saga::ExecutionLoadRequest request;
    request.executionArn = arn;
    const auto job = waitFor(new Saga::ExecutionLoadJob(e.sfn.client.get(), request));
    if (!job->ok()) {
        inv.fail(job->error().toString());
        return std::nullopt;
    }
    e.loaded = job->value();
    e.analysis = job->takeIncrementalAnalysis();
    if (!checkDefinition(inv, e.loaded.definitionText.toUtf8(), e.loaded.entry.stateMachineArn))
        return std::nullopt;
    printHistoryProblems(inv, e.analysis, arn);
    *code = ExitOk;
    return e;
}

// stopDate, or "-" while running.
QString stopCell(const Saga::ExecutionEntry &execution)
{
    const QString stop = isoTime(execution.stopDate);
    return stop.isEmpty() ? QStringLiteral("-") : stop;
}

bool isThrottling(const Core::Error &error)
{
    return Aws::RetryPolicy::isThrottling(error) || error.httpStatus == 429;
}

// One line per step change while watching: a fixed-width row, or a JSON Line.
void printStepChange(const Invocation &inv, const Saga::Step &step, Saga::StateRole role)
{
    const QDateTime at = step.status == Saga::StepStatus::Running ? step.startedAt : step.endedAt;
    const QString status = Saga::stepStatusName(step.status);
    if (inv.global.json) {
        const QJsonObject o { { QStringLiteral("state"), step.state },
            { QStringLiteral("role"), Saga::stateRoleName(role) }, { QStringLiteral("status"), status },
            { QStringLiteral("time"), at.isValid() ? QJsonValue(isoTime(at)) : QJsonValue() },
            { QStringLiteral("durationMs"),
                step.durationMs() >= 0 ? QJsonValue(double(step.durationMs())) : QJsonValue() },
            { QStringLiteral("error"), step.error.isEmpty() ? QJsonValue() : QJsonValue(step.error) } };
        printJsonLine(inv.out, o);
        return;
    }
    QString line = isoTime(at).leftJustified(25)
        + QString((step.parent >= 0 ? QStringLiteral("  ") : QString()) + step.state).leftJustified(30)
        + Saga::stateRoleName(role).leftJustified(14) + status.leftJustified(11);
    if (step.status != Saga::StepStatus::Running)
        line += stepDuration(step.durationMs()).leftJustified(10);
    line += step.error;
    inv.out << line.trimmed() << Qt::endl;
}

void printWatchOutcome(const Invocation &inv, const Saga::SagaAnalysis &analysis)
{
    if (inv.global.json) {
        printJsonLine(inv.out, analysis.toJson());
        return;
    }
    inv.out << "Outcome: " << Saga::sagaOutcomeName(analysis.outcome);
    if (!analysis.failedStep.isEmpty())
        inv.out << " after " << analysis.failedStep << " failed"
                << (analysis.error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(analysis.error));
    inv.out << '\n';
    if (!analysis.dangling.isEmpty())
        inv.out << "Left behind (not compensated): " << analysis.dangling.join(QStringLiteral(", ")) << '\n';
    inv.out.flush();
}

} // namespace

int runSagasExecutions(Invocation &inv)
{
    int code = ExitOk;
    QString machine;
    if (!oneArgument(inv, QStringLiteral("STATE_MACHINE (a name or an ARN)"), &machine, &code))
        return code;
    const QString status = inv.parser->value(QStringLiteral("status")).toUpper();
    if (inv.parser->isSet(QStringLiteral("status")) && !executionStatuses().contains(status))
        return inv.usage(
            QStringLiteral("--status: \"%1\" is not one of %2")
                .arg(inv.parser->value(QStringLiteral("status")), executionStatuses().join(QStringLiteral(", "))));

    const auto sfn = openStateMachine(inv, machine);
    if (!sfn)
        return ExitFailed;
    const PagedResult result = waitFor(sfn->client->listExecutions(sfn->machineArn, status));
    if (!result.error.isNull())
        return inv.fail(result.error.toString());

    QList<Saga::ExecutionEntry> executions;
    for (const QJsonValue &v : result.items)
        executions.append(Saga::ExecutionEntry::fromJson(v.toObject()));
    if (inv.global.json) {
        QJsonArray array;
        for (const Saga::ExecutionEntry &e : std::as_const(executions)) {
            const QString stop = isoTime(e.stopDate);
            array.append(
                QJsonObject { { QStringLiteral("name"), e.name }, { QStringLiteral("executionArn"), e.executionArn },
                    { QStringLiteral("status"), e.status }, { QStringLiteral("startDate"), isoTime(e.startDate) },
                    { QStringLiteral("stopDate"), stop.isEmpty() ? QJsonValue() : QJsonValue(stop) } });
        }
        printJson(inv.out, array);
        return ExitOk;
    }
    if (executions.isEmpty()) {
        inv.out << "No " << (status.isEmpty() ? QString() : status + u' ') << "executions of " << sfn->machineArn
                << ".\n";
        inv.out.flush();
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const Saga::ExecutionEntry &e : std::as_const(executions))
        rows << QStringList { e.name, e.status, isoTime(e.startDate), stopCell(e) };
    printTable(inv.out,
        { QStringLiteral("NAME"), QStringLiteral("STATUS"), QStringLiteral("START"), QStringLiteral("STOP") }, rows);
    return ExitOk;
}

int runSagasShow(Invocation &inv)
{
    int code = ExitOk;
    const auto e = openExecution(inv, &code);
    if (!e)
        return code;
    if (!inv.global.json) {
        const Saga::ExecutionEntry &x = e->loaded.entry;
        inv.out << "Execution: " << x.name << " (" << x.status << ")\n"
                << "Machine:   " << x.stateMachineArn << '\n'
                << "Started:   " << isoTime(x.startDate) << '\n'
                << "Stopped:   " << stopCell(x) << '\n';
    }
    printSagaAnalysis(inv, e->loaded.analysis);
    return ExitOk;
}

namespace {

// Prints the steps whose status changed since the last call (what was
// printed per step decides), and at the end the outcome. True when it ended.
bool printChanges(const Invocation &inv, const Saga::SagaAnalysis &analysis, QList<Saga::StepStatus> &printed)
{
    const Saga::Timeline &timeline = analysis.timeline;
    for (qsizetype i = 0; i < timeline.steps.size(); ++i) {
        const Saga::Step &step = timeline.steps.at(i);
        if (i < printed.size() && printed.at(i) == step.status)
            continue;
        printStepChange(inv, step, analysis.stepRoles.value(i, Saga::StateRole::Other));
        if (i < printed.size())
            printed[i] = step.status;
        else
            printed.append(step.status);
    }
    if (timeline.terminalEventId == 0)
        return false;
    printWatchOutcome(inv, analysis);
    return true;
}

} // namespace

int runSagasWatch(Invocation &inv)
{
    int code = ExitOk;
    auto e = openExecution(inv, &code);
    if (!e)
        return code;

    StopSignals stop;
    if (!stop.isValid())
        return inv.fail(QStringLiteral("cannot create a pipe for signals"));

    // What the load read is printed at once; the follower then brings only
    // later events, and the analysis reads only those (IncrementalAnalysis).
    QList<Saga::StepStatus> printed;
    if (printChanges(inv, e->loaded.analysis, printed))
        return sagaExitCode(e->loaded.analysis.outcome);
    const QString arn = e->loaded.entry.executionArn;
    Saga::ExecutionFollower follower(e->sfn.client.get(), arn);
    follower.setRetainEvents(false);
    follower.resumeAfter(
        e->analysis.lastEventId(), e->analysis.stats().eventCount, e->analysis.stats().largestPayloadBytes);
    QEventLoop loop;
    const auto done = [&](int exitCode) {
        follower.stop();
        loop.exit(exitCode);
    };
    QObject::connect(&follower, &Saga::ExecutionFollower::eventsAppended, &loop, [&](const QList<QJsonObject> &events) {
        e->analysis.append(events);
        printHistoryProblems(inv, e->analysis, arn);
        const Saga::SagaAnalysis analysis = e->analysis.analysis();
        if (printChanges(inv, analysis, printed))
            done(sagaExitCode(analysis.outcome));
    });
    QObject::connect(&follower, &Saga::ExecutionFollower::error, &loop, [&](const Core::Error &error) {
        if (!isThrottling(error))
            done(inv.fail(error.toString()));
        else if (inv.global.verbose)
            inv.err << "bramblectl: throttled; next poll in " << follower.intervalMs() / 1000 << " s" << Qt::endl;
    });
    // A terminal event the timeline did not see as one, or an error that was
    // already reported: nothing more will come.
    QObject::connect(&follower, &Saga::ExecutionFollower::finished, &loop, [&] { done(ExitFailed); });
    QObject::connect(stop.notifier(), &QSocketNotifier::activated, &loop, [&] { done(ExitInterrupted); });
    if (stop.received())
        return ExitInterrupted;
    follower.start();
    const int exitCode = loop.exec();
    return stop.received() ? ExitInterrupted : exitCode;
}

int runSagasStart(Invocation &inv)
{
    int code = ExitOk;
    QString machine;
    if (!oneArgument(inv, QStringLiteral("STATE_MACHINE (a name or an ARN)"), &machine, &code))
        return code;
    const std::optional<QByteArray> input = executionInput(inv, QStringLiteral("sagas start"), &code);
    if (!input)
        return code;
    const QString name = inv.parser->value(QStringLiteral("name"));
    // The service's rules for execution names, checked before anything is sent.
    const QString nameProblem = Saga::executionNameProblem(name);
    if (inv.parser->isSet(QStringLiteral("name")) && !nameProblem.isEmpty())
        return inv.usage(QStringLiteral("--name: \"%1\" is not a valid execution name: %2").arg(name, nameProblem));

    const auto sfn = openStateMachine(inv, machine);
    if (!sfn)
        return ExitFailed;
    const Aws::AwsResponse started
        = waitFor(sfn->client->startExecution(sfn->machineArn, name, QString::fromUtf8(*input)));
    if (!started.ok())
        return inv.fail(started.error.toString());
    const QString executionArn = started.json.value(QStringLiteral("executionArn")).toString();
    if (inv.global.json) {
        printJson(inv.out,
            QJsonObject { { QStringLiteral("executionArn"), executionArn },
                { QStringLiteral("startDate"),
                    isoTime(Aws::awsTimestamp(started.json.value(QStringLiteral("startDate")))) } });
        return ExitOk;
    }
    inv.out << executionArn << Qt::endl;
    return ExitOk;
}

int sagaExitCode(Saga::SagaOutcome outcome)
{
    switch (outcome) {
    case Saga::SagaOutcome::Committed:
        return ExitCommitted;
    case Saga::SagaOutcome::Compensated:
        return ExitCompensated;
    case Saga::SagaOutcome::CompensationFailed:
        return ExitCompensationFailed;
    case Saga::SagaOutcome::FailedUncompensated:
        return ExitFailedUncompensated;
    case Saga::SagaOutcome::TimedOut:
        return ExitTimedOut;
    case Saga::SagaOutcome::Aborted:
        return ExitAborted;
    case Saga::SagaOutcome::Running:
        break;
    }
    return ExitFailed;
}

std::optional<QByteArray> executionInput(const Invocation &inv, const QString &command, int *code)
{
    // Step Functions' limit on an execution's input.
    constexpr qsizetype MaxInputBytes = 256 * 1024;
    *code = ExitUsage;
    if (!inv.parser->isSet(QStringLiteral("input"))) {
        inv.usage(QStringLiteral("%1 needs --input JSON (the execution's input, e.g. '{}')").arg(command));
        return std::nullopt;
    }
    const QByteArray input = inv.parser->value(QStringLiteral("input")).toUtf8();
    QJsonParseError pe;
    QJsonDocument::fromJson(input, &pe);
    if (pe.error != QJsonParseError::NoError) {
        inv.usage(QStringLiteral("--input: invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString()));
        return std::nullopt;
    }
    if (input.size() > MaxInputBytes) {
        inv.usage(
            QStringLiteral("--input: %1 bytes; Step Functions takes at most %2").arg(input.size()).arg(MaxInputBytes));
        return std::nullopt;
    }
    *code = ExitOk;
    return input;
}

} // namespace Bramble::Cli
