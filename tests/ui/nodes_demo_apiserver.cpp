// nodes-demo-apiserver: the fake API server with a cluster worth a screenshot
// of the Nodes pane. Twelve Raspberry Pi nodes, one of them cordoned; once the
// first watch opens, a short story plays (a node goes NotReady and comes
// back, one stops reporting, pressure conditions, a second cordon, a second
// NotReady), so the readiness timeline has steps in it.
//
// Prints "READY https://127.0.0.1:PORT KUBECONFIG=PATH" when it listens. Exits
// on SIGTERM/SIGINT, or when stdin is a pipe that closes.

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

using Bramble::Test::FakeKubeApiServer;
using Bramble::Test::TestPki;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "nodes-demo-apiserver: %s\n", qPrintable(message));
    return 1;
}

void seed(FakeKubeApiServer &server)
{
    server.seedNodes(12);
    server.setUnschedulable(QStringLiteral("rpi-10"), true);
    server.setLabel(QStringLiteral("rpi-08"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
    server.setLabel(QStringLiteral("rpi-09"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
}

// Steps of the story, `stepMs` apart, from the first watch on.
QList<std::function<void(FakeKubeApiServer &)>> story()
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
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A fake Kubernetes API server with a story, for Nodes pane screenshots."));
    parser.addHelpOption();
    const QCommandLineOption pkiOption(
        QStringLiteral("pki-dir"), QStringLiteral("Directory for the PKI and kubeconfig."), QStringLiteral("dir"));
    const QCommandLineOption stepOption(QStringLiteral("step-ms"),
        QStringLiteral("Milliseconds between story steps (default 700)."), QStringLiteral("ms"), QStringLiteral("700"));
    parser.addOptions({ pkiOption, stepOption });
    parser.process(app);
    bool ok = false;
    const int stepMs = parser.value(stepOption).toInt(&ok);
    if (!ok || stepMs < 0)
        return fail(QStringLiteral("invalid --step-ms"));

    std::unique_ptr<QTemporaryDir> temporary;
    QString dir = parser.value(pkiOption);
    if (dir.isEmpty()) {
        temporary = std::make_unique<QTemporaryDir>();
        dir = temporary->path();
    }
    dir = QDir(dir).absolutePath();
    QString error;
    const TestPki pki = TestPki::generate(dir, &error);
    if (!pki.isValid())
        return fail(error);

    FakeKubeApiServer server(pki);
    seed(server);
    if (!server.listen())
        return fail(server.errorString());
    const QString kubeconfig = dir + QStringLiteral("/kubeconfig");
    QFile file(kubeconfig);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write ") + kubeconfig);
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(server.kubeconfigWithToken(FakeKubeApiServer::defaultToken()));
    file.close();

    bool started = false;
    QObject::connect(&server, &FakeKubeApiServer::watchStarted, &app, [&] {
        if (started)
            return;
        started = true;
        const auto steps = story();
        for (int i = 0; i < steps.size(); ++i)
            QTimer::singleShot(stepMs * (i + 1), &server, [&server, step = steps.at(i)] { step(server); });
    });

    std::unique_ptr<QSocketNotifier> stdinNotifier;
    struct stat in = {};
    if (::fstat(STDIN_FILENO, &in) == 0 && S_ISFIFO(in.st_mode)) {
        stdinNotifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(stdinNotifier.get(), &QSocketNotifier::activated, &app, [&stdinNotifier] {
            char buffer[256];
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
