#include "fakes/fakeprocess.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

namespace Bramble::Test {

namespace {

int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

int runUntilStopped(QCoreApplication &app, QString *error)
{
    if (::pipe(g_signalPipe) != 0) {
        *error = QStringLiteral("pipe() failed");
        return 1;
    }
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
    return app.exec();
}

} // namespace Bramble::Test
