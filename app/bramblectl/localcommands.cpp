// bramblectl local serve | run: the local Step Functions + DynamoDB runtime
// (services/localruntime) on the command line.

#include "cli.h"
#include "sagacli.h"
#include "stopsignals.h"

#include "asl/execution.h"
#include "core/boundedfile.h"
#include "dynamodb/tablestore.h"
#include "functions/localtaskrunner.h"
#include "functions/seedsaga.h"
#include "kube/kubeclient.h"
#include "openfaas/openfaasinvokejob.h"
#include "runtime/localruntime.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>
#include <memory>

namespace Bramble::Cli {

namespace {

using LocalRuntime::FunctionsConfig;

constexpr auto LocalAccount = "123456789012";
constexpr auto LocalRegion = "us-east-1";

// --time-scale X: a number >= 0 (0: Wait states and retry backoff do not wait).
std::optional<double> timeScaleOption(const Invocation &inv)
{
    if (!inv.parser->isSet(QStringLiteral("time-scale")))
        return 1.0;
    bool ok = false;
    const double scale = inv.parser->value(QStringLiteral("time-scale")).toDouble(&ok);
    if (!ok || scale < 0 || !qIsFinite(scale)) {
        inv.usage(QStringLiteral("--time-scale: \"%1\" is not a number >= 0 (1: real time, 0: no waiting)")
                      .arg(inv.parser->value(QStringLiteral("time-scale"))));
        return std::nullopt;
    }
    return scale;
}

// The functions file of --functions, else the seed sample's builtin bindings.
std::optional<FunctionsConfig> functionsOption(const Invocation &inv)
{
    const QString path = inv.parser->value(QStringLiteral("functions"));
    if (path.isEmpty())
        return FunctionsConfig::seedSample();
    Core::Result<FunctionsConfig> loaded = FunctionsConfig::load(path);
    if (!loaded.ok()) {
        inv.fail(loaded.error().toString());
        return std::nullopt;
    }
    return loaded.takeValue();
}

// When a function is bound to OpenFaaS: the kube client of --kubeconfig /
// --context (kubectl's rules) for the command's duration, its invoker set on
// `runner`. False (after printing why) when the context cannot be used.
bool connectOpenFaas(
    const Invocation &inv, LocalRuntime::LocalTaskRunner *runner, std::unique_ptr<Kube::KubeClient> *client)
{
    const auto &bound = runner->functions().functions;
    const bool any = std::any_of(bound.begin(), bound.end(),
        [](const auto &f) { return f.second.kind == LocalRuntime::FunctionBinding::Kind::OpenFaas; });
    if (!any)
        return true;
    *client = openKubeClient(inv);
    if (!*client) {
        inv.fail(QStringLiteral("functions bound to OpenFaaS are reached through the cluster's API server: no usable "
                                "Kubernetes context"));
        return false;
    }
    runner->setOpenFaasInvoker(OpenFaas::makeOpenFaasInvoker(client->get()));
    return true;
}

int runServe(Invocation &inv)
{
    if (inv.arguments.size() != 1)
        return inv.usage(QStringLiteral("local serve takes no arguments besides its options"));
    LocalRuntime::Runtime::Options options;
    if (inv.parser->isSet(QStringLiteral("port"))) {
        bool ok = false;
        const uint port = inv.parser->value(QStringLiteral("port")).toUInt(&ok);
        if (!ok || port > 65535)
            return inv.usage(QStringLiteral("--port: \"%1\" is not a port number (0-65535; 0: any free port)")
                                 .arg(inv.parser->value(QStringLiteral("port"))));
        options.port = quint16(port);
    }
    options.dataDirectory = inv.parser->value(QStringLiteral("data"));
    if (options.dataDirectory.isEmpty())
        options.dataDirectory
            = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/local-runtime");
    options.functionsFile = inv.parser->value(QStringLiteral("functions"));
    options.mockConfigFile = inv.parser->value(QStringLiteral("mock-config"));
    const auto scale = timeScaleOption(inv);
    if (!scale)
        return ExitUsage;
    options.timeScale = *scale;

    LocalRuntime::Runtime runtime;
    if (const Core::Error error = runtime.start(options); !error.isNull())
        return inv.fail(error.toString());
    std::unique_ptr<Kube::KubeClient> kube;
    if (!connectOpenFaas(inv, runtime.taskRunner(), &kube))
        return ExitFailed;
    if (inv.parser->isSet(QStringLiteral("sample"))) {
        if (const Core::Error error = runtime.deploySeedSample(); !error.isNull())
            return inv.fail(error.toString());
    }
    StopSignals stop;
    if (!stop.isValid())
        return inv.fail(QStringLiteral("cannot create a pipe for signals"));
    inv.out << "listening on " << runtime.endpoint().toString() << Qt::endl;
    if (inv.global.verbose)
        inv.err << "bramblectl: data in " << QDir::toNativeSeparators(options.dataDirectory) << Qt::endl;
    QEventLoop loop;
    QObject::connect(stop.notifier(), &QSocketNotifier::activated, &loop, &QEventLoop::quit);
    loop.exec();
    runtime.close();
    return ExitOk;
}

int runRun(Invocation &inv)
{
    if (inv.arguments.size() != 2)
        return inv.usage(QStringLiteral("local run takes exactly one DEFINITION (an ASL file)"));
    const QString path = inv.arguments.at(1);
    int code = ExitOk;
    const std::optional<QByteArray> input = executionInput(inv, QStringLiteral("local run"), &code);
    if (!input)
        return code;
    const auto scale = timeScaleOption(inv);
    if (!scale)
        return ExitUsage;
    std::optional<FunctionsConfig> functions = functionsOption(inv);
    if (!functions)
        return ExitFailed;

    Core::Result<QByteArray> bytes
        = Core::readBoundedFile(path, Core::FileLimit::Definition, QStringLiteral("definition"));
    if (!bytes.ok())
        return inv.fail(bytes.error().toString());
    const auto graph = checkDefinition(inv, bytes.value(), path);
    if (!graph)
        return ExitFailed;

    // No server: the tables live in memory for this one run, with the seed
    // sample's table when a function runs on the builtin seed handlers.
    auto tables = LocalRuntime::TableStore::open(QStringLiteral(":memory:"));
    if (!tables.ok())
        return inv.fail(tables.error().toString());
    if (const Core::Error error = LocalRuntime::ensureSeedSagaTable(*tables.value()); !error.isNull())
        return inv.fail(error.toString());
    LocalRuntime::LocalTaskRunner runner(*functions, tables.value().get());
    std::unique_ptr<Kube::KubeClient> kube;
    if (!connectOpenFaas(inv, &runner, &kube))
        return ExitFailed;

    const QString machineName = QFileInfo(path).completeBaseName().section(u'.', 0, 0);
    const QString name = QUuid::createUuid().toString(QUuid::WithoutBraces);
    LocalRuntime::ExecutionSpec spec;
    spec.definition = QJsonDocument::fromJson(bytes.value()).object();
    spec.stateMachineName = machineName;
    spec.stateMachineArn = QStringLiteral("arn:aws:states:%1:%2:stateMachine:%3")
                               .arg(QLatin1String(LocalRegion), QLatin1String(LocalAccount), machineName);
    spec.name = name;
    spec.executionArn = QStringLiteral("arn:aws:states:%1:%2:execution:%3:%4")
                            .arg(QLatin1String(LocalRegion), QLatin1String(LocalAccount), machineName, name);
    spec.roleArn = QStringLiteral("arn:aws:iam::%1:role/local").arg(QLatin1String(LocalAccount));
    spec.input = QJsonDocument::fromJson(*input).isObject() ? QJsonValue(QJsonDocument::fromJson(*input).object())
                                                            : QJsonValue(QJsonDocument::fromJson(*input).array());
    spec.startTime = QDateTime::currentDateTimeUtc();
    spec.timeScale = *scale;

    LocalRuntime::Execution execution(spec, &runner);
    QJsonArray events;
    QEventLoop loop;
    QObject::connect(&execution, &LocalRuntime::Execution::eventAppended, &loop,
        [&](const QJsonObject &event) { events.append(event); });
    QObject::connect(&execution, &LocalRuntime::Execution::finished, &loop, &QEventLoop::quit);
    StopSignals stop;
    if (!stop.isValid())
        return inv.fail(QStringLiteral("cannot create a pipe for signals"));
    QObject::connect(stop.notifier(), &QSocketNotifier::activated, &loop, [&] {
        execution.stop(QStringLiteral("Interrupted"), QStringLiteral("bramblectl local run: SIGINT or SIGTERM"));
    });
    execution.start();
    loop.exec();

    const Saga::History history = Saga::parseHistory(events);
    const Saga::SagaAnalysis analysis = Saga::analyzeSaga(*graph, Saga::buildTimeline(history));
    printSagaAnalysis(inv, analysis);
    return stop.received() ? ExitInterrupted : sagaExitCode(analysis.outcome);
}

} // namespace

Command localCommand()
{
    Command c;
    c.name = QStringLiteral("local");
    c.summary = QStringLiteral("The local Step Functions + DynamoDB runtime: serve its APIs, or run one execution.");
    c.synopsis = QStringLiteral(
        "local serve [--port P] [--data DIR] [--functions FILE] [--mock-config FILE] [--time-scale X] [--sample]\n"
        "       bramblectl local run DEFINITION --input JSON [--functions FILE] [--time-scale X] [--json]\n\n"
        "serve listens on 127.0.0.1 until SIGINT/SIGTERM and prints \"listening on http://127.0.0.1:P\";\n"
        "every sagas command works against it with --endpoint-url. run executes one execution in this\n"
        "process and prints its saga analysis; it exits as sagas watch does: 0 COMMITTED, 3 COMPENSATED,\n"
        "4 COMPENSATION_FAILED, 5 FAILED_UNCOMPENSATED, 6 TIMED_OUT, 7 ABORTED; 1 error, 2 usage, 130 interrupted.\n"
        "Without --functions, Lambda steps run on the seed sample's builtin handlers.");
    c.options = {
        QCommandLineOption(
            QStringLiteral("port"), QStringLiteral("The loopback port (default: any free one)."), QStringLiteral("P")),
        QCommandLineOption(QStringLiteral("data"),
            QStringLiteral("Where state machines, executions and tables are kept (default: the app data folder)."),
            QStringLiteral("DIR")),
        QCommandLineOption(QStringLiteral("functions"),
            QStringLiteral("The functions file: what runs each Lambda function (command, http, openfaas, builtin)."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("mock-config"),
            QStringLiteral("A Step Functions Local MockConfigFile (start with STATE_MACHINE_ARN#TestCase)."),
            QStringLiteral("FILE")),
        QCommandLineOption(QStringLiteral("time-scale"),
            QStringLiteral("Multiplies Wait states and retry backoff (1: real time, 0: no waiting)."),
            QStringLiteral("X")),
        QCommandLineOption(QStringLiteral("sample"),
            QStringLiteral("serve: deploy the seed sample saga and its table first (kept when present).")),
        QCommandLineOption(QStringLiteral("input"), QStringLiteral("The execution's input (a JSON document)."),
            QStringLiteral("JSON")),
    };
    c.run = [](Invocation &inv) {
        const QString sub = inv.arguments.value(0);
        if (sub == u"serve")
            return runServe(inv);
        if (sub == u"run")
            return runRun(inv);
        return inv.usage(sub.isEmpty() ? QStringLiteral("local: missing subcommand; try 'local serve' or 'local run'")
                                       : QStringLiteral("local: unknown subcommand \"%1\"").arg(sub));
    };
    return c;
}

} // namespace Bramble::Cli
