#include "runtime/localruntime.h"

#include "dynamodb/tablestore.h"
#include "functions/localtaskrunner.h"
#include "functions/seedsaga.h"
#include "runtime/apirouter.h"
#include "runtime/executionregistry.h"
#include "runtime/httpserver.h"
#include "runtime/runtimelogging.h"
#include "runtime/sfnapi.h"
#include "runtime/sfnstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <optional>

// Outside any namespace, as Q_INIT_RESOURCE requires: the seed definition
// lives in this static library's resources.
static void initSeedResources()
{
    Q_INIT_RESOURCE(bramble_localruntime_seed);
}

namespace Bramble::LocalRuntime {

Q_LOGGING_CATEGORY(lcServer, "bramble.localruntime.server", QtInfoMsg)

namespace {

Core::SourceLocation fileLocation(const QString &file)
{
    Core::SourceLocation location;
    location.file = file;
    return location;
}

const QString kSeedMachine = QStringLiteral("seed-saga");
const QString kSeedResource = QStringLiteral(":/localruntime/seed-saga.asl.json");

Core::Error inputError(const QString &message, const QString &file = {})
{
    return Core::Error(Core::Error::Kind::Input, message, fileLocation(file));
}

} // namespace

class Runtime::Private {
public:
    Options options;
    SfnStore *store = nullptr; // child of the runtime
    std::unique_ptr<TableStore> tables;
    std::unique_ptr<LocalTaskRunner> runner;
    std::optional<MockConfig> mocks;
    ExecutionRegistry *registry = nullptr;
    std::unique_ptr<SfnApi> api;
    std::unique_ptr<ApiRouter> router;
    HttpServer *server = nullptr;
};

Runtime::Runtime(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
}

Runtime::~Runtime()
{
    close();
}

Core::Error Runtime::start(const Options &options)
{
    close();
    initSeedResources();
    d->options = options;
    if (options.dataDirectory.isEmpty())
        return inputError(QStringLiteral("no data directory was given"));
    if (!QDir().mkpath(options.dataDirectory))
        return inputError(QStringLiteral("cannot create the data directory"), options.dataDirectory);
    const QDir dir(options.dataDirectory);

    FunctionsConfig functions = FunctionsConfig::seedSample();
    if (!options.functionsFile.isEmpty()) {
        auto loaded = FunctionsConfig::load(options.functionsFile);
        if (!loaded.ok())
            return loaded.error();
        functions = loaded.takeValue();
    }
    if (!options.mockConfigFile.isEmpty()) {
        auto loaded = MockConfig::load(options.mockConfigFile);
        if (!loaded.ok())
            return loaded.error();
        d->mocks = loaded.takeValue();
    }

    d->store = new SfnStore(this);
    if (Core::Error error = d->store->open(dir.filePath(QStringLiteral("stepfunctions.sqlite"))); !error.isNull()) {
        close();
        return error;
    }
    auto tables = TableStore::open(dir.filePath(QStringLiteral("tables.sqlite")), options.region, options.account);
    if (!tables.ok()) {
        close();
        return tables.error();
    }
    d->tables = tables.takeValue();
    d->runner = std::make_unique<LocalTaskRunner>(std::move(functions), d->tables.get());
    d->runner->setMockConfig(d->mocks);

    d->registry = new ExecutionRegistry(d->store, d->runner.get(), options.timeScale, this);
    connect(d->registry, &ExecutionRegistry::executionChanged, this, &Runtime::executionChanged);
    connect(d->registry, &ExecutionRegistry::executionEnded, this,
        [this](const QString &arn) { d->runner->forgetExecution(arn); });
    SfnApi::Context context;
    context.region = options.region;
    context.account = options.account;
    context.hasTestCase = [this](const QString &machine, const QString &testCase) {
        return d->mocks && d->mocks->hasTestCase(machine, testCase);
    };
    d->api = std::make_unique<SfnApi>(d->store, d->registry, context);
    d->router = std::make_unique<ApiRouter>(d->api.get(), d->tables.get());

    const int resumed = d->registry->resumeAll();
    if (resumed > 0)
        qCInfo(lcServer) << "resumed" << resumed << "running executions";

    d->server = new HttpServer([this](const HttpRequest &request) { return d->router->handle(request); }, this);
    if (!d->server->listen(options.port)) {
        const QString why = d->server->errorString();
        close();
        return Core::Error(
            Core::Error::Kind::Network, QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(options.port).arg(why));
    }
    return {};
}

void Runtime::close()
{
    if (d->server) {
        d->server->close();
        delete d->server;
        d->server = nullptr;
    }
    if (d->registry) {
        // Running executions stay RUNNING in the store and resume at the next start().
        d->registry->detachAll();
        delete d->registry;
        d->registry = nullptr;
    }
    d->router.reset();
    d->api.reset();
    d->runner.reset();
    d->tables.reset();
    if (d->store) {
        d->store->close();
        delete d->store;
        d->store = nullptr;
    }
    d->mocks.reset();
}

bool Runtime::isListening() const
{
    return d->server && d->server->isListening();
}

QUrl Runtime::endpoint() const
{
    if (!isListening())
        return {};
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(d->server->port()));
}

const Runtime::Options &Runtime::options() const
{
    return d->options;
}

LocalTaskRunner *Runtime::taskRunner() const
{
    return d->runner.get();
}

Core::Error Runtime::deploySeedSample()
{
    if (!d->store || !d->tables || !d->runner)
        return Core::Error(Core::Error::Kind::Usage, QStringLiteral("the local runtime is not started"));

    // Functions: the seed's builtin bindings beside the functions file's own (which win).
    FunctionsConfig functions = d->runner->functions();
    bool added = false;
    for (const auto &[name, binding] : FunctionsConfig::seedSample().functions) {
        if (!functions.find(name)) {
            functions.functions.append({ name, binding });
            added = true;
        }
    }
    if (added)
        d->runner->setFunctions(functions);

    // The table its functions write.
    if (Core::Error error = ensureSeedSagaTable(*d->tables); !error.isNull())
        return error;

    // The state machine, unless one of that name exists.
    if (d->store->machineByName(kSeedMachine))
        return {};
    QFile file(kSeedResource);
    if (!file.open(QIODevice::ReadOnly))
        return Core::Error(
            Core::Error::Kind::Input, QStringLiteral("the seed definition is missing"), fileLocation(kSeedResource));
    const QString definition = QString::fromUtf8(file.readAll());
    const ApiAnswer answer = d->api->createStateMachine(QJsonObject {
        { QStringLiteral("name"), kSeedMachine },
        { QStringLiteral("definition"), definition },
        { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::%1:role/seed-saga").arg(d->options.account) },
    });
    if (!answer.ok())
        return Core::Error(Core::Error::Kind::Input, QStringLiteral("%1: %2").arg(answer.errorType, answer.message),
            fileLocation(kSeedResource));
    return {};
}

} // namespace Bramble::LocalRuntime
