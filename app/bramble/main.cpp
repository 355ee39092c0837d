// bramble: the GUI. Builds the services, hands them to the main window.

#include "screenshot.h"

#include "core/environment.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "ui/common/theme.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstring>
#include <memory>

using namespace Bramble;

namespace {

// A screenshot needs no display: without one, render offscreen. Decided
// before QApplication exists, so argv is scanned by hand.
void chooseOffscreenForScreenshots(int argc, char **argv)
{
    bool screenshot = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0 || std::strncmp(argv[i], "--screenshot=", 13) == 0)
            screenshot = true;
    if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

int usageError(const QString &message)
{
    QTextStream(stderr) << "bramble: " << message << '\n';
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    chooseOffscreenForScreenshots(argc, argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Bramble"));
    QApplication::setApplicationName(QStringLiteral("Bramble"));
    QApplication::setApplicationVersion(QStringLiteral(BRAMBLE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("bramble"));
    QApplication::setWindowIcon(Ui::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Dashboard for Raspberry Pi Kubernetes clusters and AWS sagas"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"), QStringLiteral("Read only this kubeconfig file."), QStringLiteral("FILE"));
    const QCommandLineOption context(
        QStringLiteral("context"), QStringLiteral("Kubernetes context to use."), QStringLiteral("NAME"));
    const QCommandLineOption profile(
        QStringLiteral("profile"), QStringLiteral("AWS profile to use."), QStringLiteral("NAME"));
    const QCommandLineOption region(
        QStringLiteral("region"), QStringLiteral("AWS region to use."), QStringLiteral("REGION"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window and exit."), QStringLiteral("FILE"));
    const QCommandLineOption pane(QStringLiteral("pane"),
        QStringLiteral("Pane to show: nodes, loadbalancers, provision, sagas, logs."), QStringLiteral("NAME"));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Window size for --screenshot, e.g. 1400x900."), QStringLiteral("WxH"),
        QStringLiteral("1280x800"));
    const QCommandLineOption scheme(QStringLiteral("color-scheme"),
        QStringLiteral("system (default), light or dark; also BRAMBLE_COLOR_SCHEME."), QStringLiteral("SCHEME"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
        QStringLiteral("With --screenshot: once the pane has loaded, wait this long before saving (default 500)."),
        QStringLiteral("MS"), QStringLiteral("500"));
    parser.addOptions({ kubeconfig, context, profile, region, screenshot, pane, size, scheme, delay });
    parser.process(app);

    QString colorScheme = parser.value(scheme);
    if (colorScheme.isEmpty())
        colorScheme = qEnvironmentVariable("BRAMBLE_COLOR_SCHEME");
    if (!colorScheme.isEmpty() && colorScheme != u"system" && colorScheme != u"light" && colorScheme != u"dark")
        return usageError(QStringLiteral("--color-scheme must be system, light or dark"));
    Ui::applyColorScheme(app, colorScheme);

    Session::ConnectionCatalog catalog(Core::Environment::fromSystem());
    if (parser.isSet(kubeconfig))
        catalog.setKubeconfigOverride(parser.value(kubeconfig));
    if (parser.isSet(context))
        catalog.setCurrentContext(parser.value(context));
    if (parser.isSet(profile))
        catalog.setCurrentProfile(parser.value(profile));
    if (parser.isSet(region))
        catalog.setCurrentRegion(parser.value(region));

    // A screenshot must not read or change the user's remembered settings.
    std::unique_ptr<QTemporaryDir> scratch;
    std::unique_ptr<QSettings> settings;
    if (parser.isSet(screenshot)) {
        scratch = std::make_unique<QTemporaryDir>();
        settings = std::make_unique<QSettings>(scratch->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    } else {
        settings = std::make_unique<QSettings>();
    }

    // The live connection to the current context's cluster; panes start it when shown.
    Session::ClusterSession cluster(&catalog);
    Ui::MainWindow window(&catalog, settings.get(), &cluster);

    if (parser.isSet(screenshot)) {
        App::ScreenshotRequest request;
        request.file = parser.value(screenshot);
        request.pane = parser.value(pane);
        request.size = App::parseSize(parser.value(size));
        if (!request.size.isValid())
            return usageError(QStringLiteral("--size must look like 1400x900"));
        bool delayOk = false;
        request.delayMs = parser.value(delay).toInt(&delayOk);
        if (!delayOk || request.delayMs < 0 || request.delayMs > 600000)
            return usageError(QStringLiteral("--screenshot-delay must be milliseconds, 0 to 600000"));
        if (!request.pane.isEmpty() && !window.paneIds().contains(request.pane))
            return usageError(QStringLiteral("unknown pane \"%1\"; one of: %2")
                                  .arg(request.pane, window.paneIds().join(QStringLiteral(", "))));
        App::scheduleScreenshot(window, request);
        return app.exec();
    }

    if (parser.isSet(pane) && !window.showPane(parser.value(pane)))
        return usageError(QStringLiteral("unknown pane \"%1\"").arg(parser.value(pane)));
    window.show();
    return app.exec();
}
