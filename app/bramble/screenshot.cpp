#include "screenshot.h"

#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QPixmap>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

namespace Bramble::App {

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
    // Panes fill themselves from queued calls; let those run and the window
    // lay out before grabbing.
    QTimer::singleShot(150, &window, [&window, request] {
        const QPixmap shot = window.grab();
        if (!shot.save(request.file, "PNG")) {
            QTextStream(stderr) << "bramble: cannot write screenshot " << request.file << '\n';
            QApplication::exit(1);
            return;
        }
        QTextStream(stdout) << request.file << ' ' << shot.width() << 'x' << shot.height() << '\n';
        QApplication::exit(0);
    });
}

} // namespace Bramble::App
