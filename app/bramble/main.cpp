// bramble: the GUI. Builds the services, hands them to the main window.

#include "screenshot.h"

#include "common/guioptions.h"

#include "core/buildinfo.h"
#include "core/environment.h"
#include "saga/sagasettings.h"
#include "session/localruntimehost.h"
#include "session/workspace.h"
#include "ui/common/theme.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstring>
#include <memory>

using namespace Bramble;

namespace {

// Options that only print text: they must work without a display too (over
// SSH, in a package's smoke test).
bool isTextOnlyOption(const char *arg)
{
    for (const char *o : { "--help", "-h", "--help-all", "--version", "-v" })
        if (std::strcmp(arg, o) == 0)
            return true;
    return false;
}

// A screenshot needs no display: without one, render offscreen. Decided
// before QApplication exists, so argv is scanned by hand.
void chooseOffscreenForScreenshots(int argc, char **argv)
{
    bool screenshot = false;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0 || std::strncmp(argv[i], "--screenshot=", 13) == 0
            || isTextOnlyOption(argv[i]))
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
    QApplication::setApplicationVersion(Core::buildInfo().versionString());
    QApplication::setDesktopFileName(QStringLiteral("bramble"));
    QApplication::setWindowIcon(Ui::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(App::guiDescription());
    parser.addHelpOption();
    parser.addVersionOption();
    const App::GuiOptions gui;
    parser.addOptions(gui.all());
    parser.process(app);

    QString colorScheme = parser.value(gui.scheme);
    if (colorScheme.isEmpty())
        colorScheme = qEnvironmentVariable("BRAMBLE_COLOR_SCHEME");
    if (!colorScheme.isEmpty() && colorScheme != u"system" && colorScheme != u"light" && colorScheme != u"dark")
        return usageError(QStringLiteral("--color-scheme must be system, light or dark"));
    Ui::applyColorScheme(app, colorScheme);

    // The composition root: one workspace (the window's connections), then
    // the window that shows it.
    Session::WorkspaceOptions options;
    options.kubeconfig = parser.value(gui.kubeconfig);
    options.context = parser.value(gui.context);
    options.profile = parser.value(gui.profile);
    options.region = parser.value(gui.region);

    // A screenshot must not read or change the user's remembered settings,
    // nor the local runtime's data.
    std::unique_ptr<QTemporaryDir> scratch;
    std::unique_ptr<QSettings> settings;
    if (parser.isSet(gui.screenshot)) {
        scratch = std::make_unique<QTemporaryDir>();
        settings = std::make_unique<QSettings>(scratch->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        options.localDataDirectory = scratch->filePath(QStringLiteral("local-runtime"));
    } else {
        settings = std::make_unique<QSettings>();
        options.localDataDirectory
            = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/local-runtime");
    }
    Session::Workspace workspace(Core::Environment::fromSystem(), options);

    // The sample saga's Lambdas write its transaction record; its definition
    // cannot say where, so say it once for the Record tab (the user may change it).
    QObject::connect(workspace.local(), &Session::LocalRuntimeHost::started, settings.get(), [&] {
        Saga::SagaSettingsStore store(settings.get());
        const QString arn = workspace.local()->seedSampleArn();
        Saga::MachineSettings machine = store.load(arn);
        if (!machine.recordTable.isEmpty())
            return;
        machine.recordTable = QStringLiteral("SagaTransactions");
        machine.recordKeyAttribute = QStringLiteral("TransactionId");
        store.save(arn, machine);
    });

    Ui::MainWindow window(&workspace, settings.get());

    if (parser.isSet(gui.screenshot)) {
        App::ScreenshotRequest request;
        request.file = parser.value(gui.screenshot);
        request.pane = parser.value(gui.pane);
        request.size = App::parseSize(parser.value(gui.size));
        if (!request.size.isValid())
            return usageError(QStringLiteral("--size must look like 1400x900"));
        bool delayOk = false;
        request.delayMs = parser.value(gui.delay).toInt(&delayOk);
        if (!delayOk || request.delayMs < 0 || request.delayMs > 600000)
            return usageError(QStringLiteral("--screenshot-delay must be milliseconds, 0 to 600000"));
        if (!request.pane.isEmpty() && !window.paneIds().contains(request.pane))
            return usageError(QStringLiteral("unknown pane \"%1\"; one of: %2")
                                  .arg(request.pane, window.paneIds().join(QStringLiteral(", "))));
        App::scheduleScreenshot(window, request);
        return app.exec();
    }

    if (parser.isSet(gui.pane) && !window.showPane(parser.value(gui.pane)))
        return usageError(QStringLiteral("unknown pane \"%1\"").arg(parser.value(gui.pane)));
    window.show();
    return app.exec();
}
