#pragma once

#include <QSize>
#include <QString>

namespace Bramble::Ui { class MainWindow; }

namespace Bramble::App {

struct ScreenshotRequest
{
    QString file;
    QString pane; // empty: the window as restored
    QSize size{1280, 800};
};

// Parses "WxH" (e.g. 1400x900); returns an invalid size on bad input.
QSize parseSize(const QString &text);

// Shows the window, lets pending updates run, saves a PNG and quits the
// application with 0, or 1 when the file cannot be written.
void scheduleScreenshot(Ui::MainWindow &window, const ScreenshotRequest &request);

} // namespace Bramble::App
