#include "screenshot.h"

#include "ui/common/pane.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

namespace Bramble::App {

namespace {

void grabAndQuit(Ui::MainWindow &window, const ScreenshotRequest &request)
{
    const QPixmap shot = window.grab();
    if (!shot.save(request.file, "PNG")) {
        QTextStream(stderr) << "bramble: cannot write screenshot " << request.file << '\n';
        QApplication::exit(1);
        return;
    }
    QTextStream(stdout) << request.file << ' ' << shot.width() << 'x' << shot.height() << '\n';
    QApplication::exit(0);
}

} // namespace

QSize parseSize(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{2,5})[xX](\\d{2,5})$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    return QSize(m.captured(1).toInt(), m.captured(2).toInt());
}

void scheduleScreenshot(Ui::MainWindow &window, const ScreenshotRequest &request)
{
    window.resize(request.size);
    if (!request.pane.isEmpty())
        window.showPane(request.pane);
    window.show();
    // Panes fill themselves from queued calls and from the network: wait
    // until the current one has settled, then give coalesced updates (table,
    // chart) time to run and the window time to lay out before grabbing.
    QElapsedTimer clock;
    clock.start();
    auto *poll = new QTimer(&window);
    poll->setInterval(100);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, request, poll, clock] {
        const Ui::Pane *pane = window.pane(window.currentPaneId());
        const bool loading = pane && pane->isLoading();
        if (clock.elapsed() < 150 || (loading && clock.elapsed() < request.settleTimeoutMs))
            return;
        poll->stop();
        if (loading)
            QTextStream(stderr) << "bramble: the " << window.currentPaneId() << " pane was still loading after "
                                << request.settleTimeoutMs << " ms; taking the screenshot anyway\n";
        QTimer::singleShot(
            loading ? 0 : request.delayMs, &window, [&window, request] { grabAndQuit(window, request); });
    });
    poll->start();
}

} // namespace Bramble::App
