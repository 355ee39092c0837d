// bramblectl sagas executions | show | watch | start: Step Functions
// executions from AWS, analysed as sagas (the same analysis as `sagas analyze`).

#include "awswait.h"
#include "cli.h"
#include "output.h"
#include "sagacli.h"
#include "stopsignals.h"

#include "aws/awspager.h"
#include "aws/awssession.h"
#include "aws/retrypolicy.h"
#include "aws/stepfunctionsclient.h"
#include "saga/executionentry.h"
#include "saga/executionfollower.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Bramble::Cli {

namespace {

// Step Functions' own limit on an execution's input (UTF-8 bytes).
constexpr qsizetype MaxInputBytes = 256 * 1024;

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

// "sagas show|watch EXECUTION_ARN": the session, DescribeExecution's view of
// the execution and the definition it ran (DescribeStateMachineForExecution), checked.
struct OpenedExecution {
    StepFunctions sfn;
    QString arn;
    QJsonObject execution;
    Saga::StateGraph graph;
};

std::optional<OpenedExecution> openExecution(const Invocation &inv, int *code)
{
    OpenedExecution e;
    if (!oneArgument(inv, QStringLiteral("EXECUTION_ARN"), &e.arn, code))
        return std::nullopt;
    *code = ExitFailed;
    auto sfn = openStepFunctions(inv);
    if (!sfn)
        return std::nullopt;
    e.sfn = *std::move(sfn);
    const Aws::AwsResponse execution = waitFor(e.sfn.client->describeExecution(e.arn));
    if (!execution.ok()) {
        inv.fail(execution.error.toString());
        return std::nullopt;
    }
    e.execution = execution.json;
    const QString machineArn = execution.json.value(QStringLiteral("stateMachineArn")).toString();
    // The definition this execution ran; the state machine's current one
    // when the service cannot say (an older endpoint, no permission).
    Aws::AwsResponse machine = waitFor(e.sfn.client->describeStateMachineForExecution(e.arn));
    if (!machine.ok() || !machine.json.contains(QStringLiteral("definition")))
        machine = waitFor(e.sfn.client->describeStateMachine(machineArn));
    if (!machine.ok()) {
        inv.fail(machine.error.toString());
        return std::nullopt;
    }
    auto graph = checkDefinition(inv, machine.json.value(QStringLiteral("definition")).toString().toUtf8(), machineArn);
    if (!graph)
        return std::nullopt;
    e.graph = *std::move(graph);
    *code = ExitOk;
    return e;
}

// The history, after warning about the events that could not be read.
Saga::History checkedHistory(const Invocation &inv, Saga::History history, const QString &arn)
{
    for (const Core::Error &p : history.problems)
        inv.err << "bramblectl: warning: " << arn << ": " << p.toString() << Qt::endl;
    return history;
}

QString field(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QString timeField(const QJsonObject &o, const char *key)
{
    return isoTime(Aws::awsTimestamp(o.value(QLatin1String(key))));
}

// stopDate, or "-" while running.
QString stopCell(const QJsonObject &execution)
{
    const QString stop = timeField(execution, "stopDate");
    return stop.isEmpty() ? QStringLiteral("-") : stop;
}

int exitCodeOf(Saga::SagaOutcome outcome)
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
        printBytes(inv.out, QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
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
        printBytes(inv.out, QJsonDocument(analysis.toJson()).toJson(QJsonDocument::Compact) + '\n');
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

    if (inv.global.json) {
        QJsonArray array;
        for (const QJsonValue &v : result.items) {
            const QJsonObject e = v.toObject();
            const QString stop = timeField(e, "stopDate");
            array.append(QJsonObject { { QStringLiteral("name"), field(e, "name") },
                { QStringLiteral("executionArn"), field(e, "executionArn") },
                { QStringLiteral("status"), field(e, "status") },
                { QStringLiteral("startDate"), timeField(e, "startDate") },
                { QStringLiteral("stopDate"), stop.isEmpty() ? QJsonValue() : QJsonValue(stop) } });
        }
        printJson(inv.out, array);
        return ExitOk;
    }
    if (result.items.isEmpty()) {
        inv.out << "No " << (status.isEmpty() ? QString() : status + u' ') << "executions of " << sfn->machineArn
                << ".\n";
        inv.out.flush();
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const QJsonValue &v : result.items) {
        const QJsonObject e = v.toObject();
        rows << QStringList { field(e, "name"), field(e, "status"), timeField(e, "startDate"), stopCell(e) };
    }
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
    const PagedResult events = waitFor(e->sfn.client->getExecutionHistory(e->arn));
    if (!events.error.isNull())
        return inv.fail(events.error.toString());
    const Saga::SagaAnalysis analysis = Saga::analyzeSaga(
        e->graph, Saga::buildTimeline(checkedHistory(inv, Saga::parseHistory(events.items), e->arn)));

    if (!inv.global.json) {
        const QJsonObject &x = e->execution;
        inv.out << "Execution: " << field(x, "name") << " (" << field(x, "status") << ")\n"
                << "Machine:   " << field(x, "stateMachineArn") << '\n'
                << "Started:   " << timeField(x, "startDate") << '\n'
                << "Stopped:   " << stopCell(x) << '\n';
    }
    printSagaAnalysis(inv, analysis);
    return ExitOk;
}

int runSagasWatch(Invocation &inv)
{
    int code = ExitOk;
    const auto e = openExecution(inv, &code);
    if (!e)
        return code;
    const Saga::SagaRoles roles = Saga::deriveRoles(e->graph);

    StopSignals stop;
    if (!stop.isValid())
        return inv.fail(QStringLiteral("cannot create a pipe for signals"));

    // The follower fetches only new events; a step's status needs its entered
    // event too, so the timeline is rebuilt from all of them. What was printed
    // per step decides what is new.
    Saga::ExecutionFollower follower(e->sfn.client.get(), e->arn);
    QEventLoop loop;
    QList<Saga::StepStatus> printed;
    const auto done = [&](int exitCode) {
        follower.stop();
        loop.exit(exitCode);
    };
    QObject::connect(&follower, &Saga::ExecutionFollower::eventsAppended, &loop, [&] {
        const Saga::Timeline timeline
            = Saga::buildTimeline(checkedHistory(inv, Saga::parseHistory(follower.events()), e->arn));
        const Saga::SagaAnalysis analysis = Saga::analyzeSaga(e->graph, roles, timeline);
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
        if (timeline.terminalEventId != 0) {
            printWatchOutcome(inv, analysis);
            done(exitCodeOf(analysis.outcome));
        }
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
    if (!inv.parser->isSet(QStringLiteral("input")))
        return inv.usage(QStringLiteral("sagas start needs --input JSON (the execution's input, e.g. '{}')"));
    const QByteArray input = inv.parser->value(QStringLiteral("input")).toUtf8();
    QJsonParseError pe;
    QJsonDocument::fromJson(input, &pe);
    if (pe.error != QJsonParseError::NoError)
        return inv.usage(QStringLiteral("--input: invalid JSON at offset %1: %2").arg(pe.offset).arg(pe.errorString()));
    if (input.size() > MaxInputBytes)
        return inv.usage(
            QStringLiteral("--input: %1 bytes; Step Functions takes at most %2").arg(input.size()).arg(MaxInputBytes));
    const QString name = inv.parser->value(QStringLiteral("name"));
    // The service's rules for execution names, checked before anything is sent.
    const QString nameProblem = Saga::executionNameProblem(name);
    if (inv.parser->isSet(QStringLiteral("name")) && !nameProblem.isEmpty())
        return inv.usage(QStringLiteral("--name: \"%1\" is not a valid execution name: %2").arg(name, nameProblem));

    const auto sfn = openStateMachine(inv, machine);
    if (!sfn)
        return ExitFailed;
    const Aws::AwsResponse started
        = waitFor(sfn->client->startExecution(sfn->machineArn, name, QString::fromUtf8(input)));
    if (!started.ok())
        return inv.fail(started.error.toString());
    const QString executionArn = field(started.json, "executionArn");
    if (inv.global.json) {
        printJson(inv.out,
            QJsonObject { { QStringLiteral("executionArn"), executionArn },
                { QStringLiteral("startDate"), timeField(started.json, "startDate") } });
        return ExitOk;
    }
    inv.out << executionArn << Qt::endl;
    return ExitOk;
}

} // namespace Bramble::Cli
