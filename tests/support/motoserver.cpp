#include "motoserver.h"

#include "loopback.h"

#include <QFile>
#include <QStandardPaths>

namespace Bramble::Test {

namespace {

// The test's environment without anything that could point an AWS client (or
// moto itself) at a real account, profile or region.
QProcessEnvironment environmentWithoutAws()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        if (key.startsWith(QLatin1String("AWS_")))
            env.remove(key);
    }
    env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("testing"));
    env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("testing"));
    env.insert(QStringLiteral("AWS_DEFAULT_REGION"), QStringLiteral("us-east-1"));
    return env;
}

// Leaves an empty file at path (whatever a previous client wrote there).
void truncateFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qWarning("cannot truncate %s: %s", qPrintable(path), qPrintable(file.errorString()));
}

} // namespace

MotoServer::MotoServer()
    : PeerProcess(QStringLiteral("moto"))
{
    setReadinessCheck([this](QString *why) {
        const LoopbackHttpReply reply
            = loopbackHttpRequest(m_port, "GET", "/moto-api/", {}, {}, std::chrono::seconds(1));
        if (reply.status == 200 && reply.error.isEmpty())
            return true;
        *why = QStringLiteral("GET /moto-api/: ") + reply.summary();
        return false;
    });
}

bool MotoServer::prepare(QString *error)
{
    m_port = freeLoopbackPort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port on 127.0.0.1");
        return false;
    }
    QProcessEnvironment env = environmentWithoutAws();
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")); // log lines reach output() at once
    // Step Functions tasks call back into moto at localhost:MOTO_PORT (5000
    // when unset: some other program, or nothing).
    env.insert(QStringLiteral("MOTO_PORT"), QString::number(m_port));
    env.insert(QStringLiteral("NO_PROXY"), QStringLiteral("localhost,127.0.0.1"));
    setEnvironment(env);
    const QStringList serverArgs
        = { QStringLiteral("-H"), loopbackHost(), QStringLiteral("-p"), QString::number(m_port) };
    const QString motoServer = QStandardPaths::findExecutable(QStringLiteral("moto_server"));
    if (!motoServer.isEmpty()) {
        setCommand(motoServer, serverArgs);
    } else {
        // No moto_server in PATH: the module itself (fails with "No module named
        // moto" in the output if moto is not installed at all).
        setCommand(QStringLiteral("python3"),
            QStringList { QStringLiteral("-m"), QStringLiteral("moto.server") } + serverArgs);
    }
    return true;
}

quint16 MotoServer::port() const
{
    return m_port;
}

QUrl MotoServer::endpoint() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(loopbackHost());
    url.setPort(m_port);
    return url;
}

bool MotoServer::enableStateMachineExecution()
{
    const LoopbackHttpReply reply = loopbackHttpRequest(
        m_port, "POST", "/moto-api/config", R"({"stepfunctions":{"execute_state_machine":true}})", "application/json");
    if (reply.isSuccess())
        return true;
    setErrorString(withOutputTail(QStringLiteral("moto: POST /moto-api/config failed: ") + reply.summary()));
    return false;
}

bool MotoServer::reset()
{
    const LoopbackHttpReply reply = loopbackHttpRequest(m_port, "POST", "/moto-api/reset");
    if (reply.isSuccess())
        return true;
    setErrorString(withOutputTail(QStringLiteral("moto: POST /moto-api/reset failed: ") + reply.summary()));
    return false;
}

QProcessEnvironment MotoServer::clientEnvironment() const
{
    QProcessEnvironment env = environmentWithoutAws();
    const QString config = filePath(QStringLiteral("aws-config"));
    const QString credentials = filePath(QStringLiteral("aws-credentials"));
    truncateFile(config);
    truncateFile(credentials);
    env.insert(QStringLiteral("AWS_CONFIG_FILE"), config);
    env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), credentials);
    env.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    for (const QString &key : { QStringLiteral("NO_PROXY"), QStringLiteral("no_proxy") }) {
        const QString current = env.value(key);
        env.insert(key,
            current.isEmpty() ? QStringLiteral("127.0.0.1,localhost")
                              : current + QStringLiteral(",127.0.0.1,localhost"));
    }
    return env;
}

} // namespace Bramble::Test
