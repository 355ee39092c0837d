// fake-kube-apiserver: FakeKubeApiServer as a process, for benchmarks and for
// clients that run out of process. See --help.

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using Bramble::Test::FakeKubeApiServer;
using Bramble::Test::TestPki;

namespace {

int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // kubeconfigs hold credentials
    return f.write(bytes) == bytes.size();
}

int fail(const QString &message)
{
    std::fprintf(stderr, "fake-kube-apiserver: %s\n", qPrintable(message));
    return 1;
}

// --scenario nodes-demo: a cluster worth a screenshot of the Nodes pane.
// Twelve Pis, one cordoned, two with a storage role.
void seedNodesDemo(FakeKubeApiServer &server)
{
    server.seedNodes(12);
    server.setUnschedulable(QStringLiteral("rpi-10"), true);
    server.setLabel(QStringLiteral("rpi-08"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
    server.setLabel(QStringLiteral("rpi-09"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
}

// Once the first watch opens, a short story, --step-ms apart, so the
// readiness timeline has steps: a node goes NotReady and comes back, one
// stops reporting, pressure conditions, a second cordon, a second NotReady.
QList<std::function<void(FakeKubeApiServer &)>> nodesDemoStory()
{
    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    return {
        [s](FakeKubeApiServer &f) {
            f.setReady(s("rpi-07"), s("False"), s("KubeletNotReady"),
                s("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                  "message:Network plugin returns error: cni plugin not initialized"));
        },
        [s](FakeKubeApiServer &f) { f.setReady(s("rpi-11"), s("Unknown")); },
        [s](FakeKubeApiServer &f) {
            f.setCondition(s("rpi-04"), s("MemoryPressure"), s("True"), s("KubeletHasInsufficientMemory"),
                s("kubelet has insufficient memory available"));
        },
        [s](FakeKubeApiServer &f) { f.setUnschedulable(s("rpi-12"), true); },
        [s](FakeKubeApiServer &f) {
            f.setReady(s("rpi-09"), s("False"), s("KubeletNotReady"),
                s("PLEG is not healthy: pleg was last seen active 3m4s ago"));
            f.setCondition(
                s("rpi-09"), s("DiskPressure"), s("True"), s("KubeletHasDiskPressure"), s("kubelet has disk pressure"));
        },
        [s](FakeKubeApiServer &f) { f.setReady(s("rpi-07"), s("True")); },
    };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"fake-kube-apiserver"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A fake Kubernetes API server (Nodes only) on 127.0.0.1 for tests and benchmarks.\n"
        u"Prints \"READY https://127.0.0.1:PORT KUBECONFIG=PATH\" on stdout once it listens.\n"
        u"Exits on SIGTERM or SIGINT, and when stdin is a pipe that reaches end of file\n"
        u"(so a parent that dies takes it along; a terminal or /dev/null stdin is ignored)."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(
        u"port"_s, u"Port to listen on; 0 picks a free one (default)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption nodesOption(
        u"nodes"_s, u"Seed N synthetic Raspberry Pi nodes rpi-01... (default 3)."_s, u"N"_s, u"3"_s);
    const QCommandLineOption pkiOption(u"pki-dir"_s,
        u"Directory for ca.crt, server/client certificates and keys, kubeconfig (bearer token) and "
        u"kubeconfig-client-cert. Default: a temporary directory removed at exit."_s,
        u"dir"_s);
    const QCommandLineOption tokenOption(u"token"_s, u"Accepted bearer token (default bramble-test-token)."_s,
        u"token"_s, QString::fromLatin1(FakeKubeApiServer::defaultToken()));
    const QCommandLineOption bookmarkOption(u"bookmark-interval"_s,
        u"Milliseconds between watch BOOKMARKs (default 60000; 0 = none)."_s, u"ms"_s, u"60000"_s);
    const QCommandLineOption historyOption(
        u"history"_s, u"Watch history kept for replay, in events (default 1000)."_s, u"events"_s, u"1000"_s);
    const QCommandLineOption scenarioOption(u"scenario"_s,
        u"\"nodes-demo\": twelve Pis (instead of --nodes) and, from the first watch on, a short story of "
        u"readiness changes, for screenshots of the Nodes pane."_s,
        u"name"_s);
    const QCommandLineOption stepOption(
        u"step-ms"_s, u"With --scenario: milliseconds between story steps (default 700)."_s, u"ms"_s, u"700"_s);
    parser.addOptions(
        { portOption, nodesOption, pkiOption, tokenOption, bookmarkOption, historyOption, scenarioOption, stepOption });
    parser.process(app);

    bool portOk = false, nodesOk = false, bookmarkOk = false, historyOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const int nodes = parser.value(nodesOption).toInt(&nodesOk);
    const int bookmarkMs = parser.value(bookmarkOption).toInt(&bookmarkOk);
    const int history = parser.value(historyOption).toInt(&historyOk);
    if (!portOk || port > 65535 || !nodesOk || nodes < 0 || !bookmarkOk || bookmarkMs < 0 || !historyOk || history < 1)
        return fail(u"invalid --port, --nodes, --bookmark-interval or --history"_s);
    const QString scenario = parser.value(scenarioOption);
    bool stepOk = false;
    const int stepMs = parser.value(stepOption).toInt(&stepOk);
    if (!scenario.isEmpty() && scenario != u"nodes-demo")
        return fail(u"unknown --scenario \""_s + scenario + u"\"; the one there is: nodes-demo"_s);
    if (!stepOk || stepMs < 0)
        return fail(u"invalid --step-ms"_s);

    std::unique_ptr<QTemporaryDir> temporary;
    QString dir = parser.value(pkiOption);
    if (dir.isEmpty()) {
        temporary = std::make_unique<QTemporaryDir>();
        if (!temporary->isValid())
            return fail(u"cannot create a temporary directory: "_s + temporary->errorString());
        dir = temporary->path();
    }
    dir = QDir(dir).absolutePath();
    QString error;
    const TestPki pki = TestPki::generate(dir, &error);
    if (!pki.isValid())
        return fail(error);

    FakeKubeApiServer server(pki);
    server.setToken(parser.value(tokenOption).toUtf8());
    server.setBookmarkInterval(bookmarkMs);
    server.setHistoryLimit(history);
    if (scenario.isEmpty())
        server.seedNodes(nodes);
    else
        seedNodesDemo(server);
    if (!server.listen(quint16(port)))
        return fail(u"cannot listen on 127.0.0.1:"_s + QString::number(port) + u": "_s + server.errorString());

    const QString kubeconfig = dir + u"/kubeconfig"_s;
    if (!writeFile(kubeconfig, server.kubeconfigWithToken(parser.value(tokenOption).toUtf8()))
        || !writeFile(dir + u"/kubeconfig-client-cert"_s,
            server.kubeconfigWithClientCertificate(pki.clientCertPem, pki.clientKeyPem)))
        return fail(u"cannot write the kubeconfig files in "_s + dir);

    bool storyStarted = false;
    if (!scenario.isEmpty()) {
        QObject::connect(&server, &FakeKubeApiServer::watchStarted, &app, [&] {
            if (std::exchange(storyStarted, true))
                return;
            const auto steps = nodesDemoStory();
            for (int i = 0; i < steps.size(); ++i)
                QTimer::singleShot(stepMs * (i + 1), &server, [&server, step = steps.at(i)] { step(server); });
        });
    }

    if (::pipe(g_signalPipe) != 0)
        return fail(u"pipe() failed"_s);
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    std::unique_ptr<QSocketNotifier> stdinNotifier;
    struct stat in = {};
    if (::fstat(STDIN_FILENO, &in) == 0 && (S_ISFIFO(in.st_mode) || S_ISSOCK(in.st_mode))) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &app, [&stdinNotifier] {
            char buffer[4096];
            if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
                stdinNotifier->setEnabled(false);
                QCoreApplication::quit();
            }
        });
    }

    std::fprintf(stdout, "READY %s KUBECONFIG=%s\n", qPrintable(server.url()), qPrintable(kubeconfig));
    std::fflush(stdout);
    return app.exec();
}
