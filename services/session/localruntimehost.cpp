#include "session/localruntimehost.h"

#include "aws/awssession.h"
#include "aws/awstransport.h"
#include "aws/stepfunctionsclient.h"
#include "functions/localtaskrunner.h"
#include "openfaas/openfaasinvokejob.h"
#include "runtime/localruntime.h"
#include "session/clustersession.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Bramble::Session {

namespace {

// Written once the sample executions were started, so a user who deleted
// them does not get them back on the next launch.
constexpr auto SampleMarker = "sample-executions-started";

QString sampleInput(bool simulateFail)
{
    const QJsonObject details { { QStringLiteral("TransactionId"),
                                    simulateFail ? QStringLiteral("2") : QStringLiteral("1") },
        { QStringLiteral("simulateFail"), simulateFail } };
    return QString::fromUtf8(QJsonDocument(QJsonObject { { QStringLiteral("Payload"),
                                               QJsonObject { { QStringLiteral("TransactionDetails"), details } } } })
                                 .toJson(QJsonDocument::Compact));
}

} // namespace

QString localProfileName()
{
    return QStringLiteral("(local)");
}

QString localProfileTitle()
{
    return QObject::tr("Local (this machine)");
}

LocalRuntimeHost::LocalRuntimeHost(
    const Core::Environment &env, QString dataDirectory, ClusterSession *cluster, QObject *parent)
    : QObject(parent)
    , m_env(env)
    , m_dataDirectory(std::move(dataDirectory))
    , m_cluster(cluster)
{
}

LocalRuntimeHost::~LocalRuntimeHost() = default;

bool LocalRuntimeHost::isRunning() const
{
    return m_runtime && m_runtime->isListening();
}

QString LocalRuntimeHost::region()
{
    return QStringLiteral("us-east-1");
}

Core::Environment LocalRuntimeHost::sessionEnvironment() const
{
    Core::Environment env = m_env;
    for (const char *name : { "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
             "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE" })
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("local"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("local"));
    env.insert(QStringLiteral("AWS_REGION"), region());
    // Files that do not exist: the user's profiles play no part here.
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), m_dataDirectory + QStringLiteral("/no-aws-config"));
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dataDirectory + QStringLiteral("/no-aws-credentials"));
    return env;
}

Core::Result<QUrl> LocalRuntimeHost::ensureStarted()
{
    if (!isAvailable())
        return Core::Error(Core::Error::Kind::Usage, tr("the local runtime is not available in this window"));
    if (isRunning())
        return m_runtime->endpoint();
    if (!m_runtime)
        m_runtime = new LocalRuntime::Runtime(this);
    LocalRuntime::Runtime::Options options;
    options.dataDirectory = m_dataDirectory;
    options.region = region();
    if (QFile::exists(functionsFile()))
        options.functionsFile = functionsFile();
    if (Core::Error error = m_runtime->start(options); !error.isNull())
        return error;
    // The context can change while the runtime lives: the client is looked
    // up at each invocation.
    m_runtime->taskRunner()->setOpenFaasInvoker(OpenFaas::makeOpenFaasInvoker(
        [cluster = m_cluster]() -> Kube::KubeClient * { return cluster ? cluster->client() : nullptr; }));
    if (Core::Error error = m_runtime->deploySeedSample(); !error.isNull())
        return error;
    if (!QFile::exists(QDir(m_dataDirectory).filePath(QLatin1String(SampleMarker))))
        startSampleExecutions();
    Q_EMIT started(m_runtime->endpoint());
    return m_runtime->endpoint();
}

QString LocalRuntimeHost::seedSampleArn() const
{
    const QString account = m_runtime ? m_runtime->options().account : LocalRuntime::Runtime::Options().account;
    return QStringLiteral("arn:aws:states:%1:%2:stateMachine:seed-saga").arg(region(), account);
}

QString LocalRuntimeHost::functionsFile() const
{
    return QDir(m_dataDirectory).filePath(QStringLiteral("functions.yaml"));
}

LocalRuntime::FunctionsConfig LocalRuntimeHost::functions() const
{
    if (isRunning())
        return m_runtime->taskRunner()->functions();
    return LocalRuntime::FunctionsConfig::seedSample();
}

Core::Error LocalRuntimeHost::setFunctions(const LocalRuntime::FunctionsConfig &functions)
{
    if (!isRunning())
        return Core::Error(Core::Error::Kind::Usage, tr("the local runtime is not running"));
    QDir().mkpath(m_dataDirectory);
    QSaveFile file(functionsFile());
    if (!file.open(QIODevice::WriteOnly) || file.write(functions.toYaml()) < 0 || !file.commit())
        return Core::Error(tr("%1: cannot write: %2").arg(functionsFile(), file.errorString()));
    m_runtime->taskRunner()->setFunctions(functions);
    return {};
}

void LocalRuntimeHost::startSampleExecutions()
{
    QFile marker(QDir(m_dataDirectory).filePath(QLatin1String(SampleMarker)));
    if (!marker.open(QIODevice::WriteOnly))
        return;
    marker.write("The seed sample's two executions were started once; delete this file to start them again.\n");
    Aws::AwsSessionOptions options;
    options.region = region();
    options.endpointUrl = m_runtime->endpoint().toString();
    auto *session = new Aws::AwsSession(sessionEnvironment(), options, this);
    auto sfn = std::make_shared<Aws::StepFunctionsClient>(session->transport());
    const QString machine
        = QStringLiteral("arn:aws:states:%1:%2:stateMachine:seed-saga").arg(region(), m_runtime->options().account);
    // One after the other, so the list shows them in that order.
    Aws::AwsCall *first
        = sfn->startExecution(machine, QStringLiteral("sample-committed"), sampleInput(/*simulateFail=*/false));
    connect(first, &Core::Job::finished, session, [session, sfn, machine] {
        Aws::AwsCall *second
            = sfn->startExecution(machine, QStringLiteral("sample-rolled-back"), sampleInput(/*simulateFail=*/true));
        connect(second, &Core::Job::finished, session, [session, sfn] { session->deleteLater(); });
        second->start();
    });
    first->start();
}

} // namespace Bramble::Session
