#pragma once

#include <QSize>
#include <QString>

namespace Bramble::Ui {
class MainWindow;
}

namespace Bramble::App {

struct ScreenshotRequest {
    QString file;
    QString pane; // empty: the window as restored
    QSize size { 1280, 800 };
    // How long to wait for the pane to settle (Pane::isLoading() false:
    // e.g. the Nodes pane's first list) before grabbing anyway.
    int settleTimeoutMs = 10000;
    // Then wait this long before grabbing, for coalesced updates to run and
    // live data to arrive.
    int delayMs = 500;
};

// Parses "WxH" (e.g. 1400x900); returns an invalid size on bad input.
QSize parseSize(const QString &text);

// Shows the window, waits until the current pane has settled (or the
// request's timeout passed) and pending updates ran, saves a PNG and quits the
// application with 0, or 1 when the file cannot be written.
void scheduleScreenshot(Ui::MainWindow &window, const ScreenshotRequest &request);

} // namespace Bramble::App
