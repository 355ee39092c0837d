#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QStringList>

namespace Bramble::App {

// The bramble GUI's command-line options, in one table: the program parses
// them, and bramblectl generates bramble's shell completions and man page
// from them, so the three never drift apart.
struct GuiOptions {
    QCommandLineOption kubeconfig;
    QCommandLineOption context;
    QCommandLineOption profile;
    QCommandLineOption region;
    QCommandLineOption pane;
    QCommandLineOption scheme;
    QCommandLineOption screenshot;
    QCommandLineOption size;
    QCommandLineOption delay;

    GuiOptions();
    QList<QCommandLineOption> all() const;
};

// The panes' ids, in their order in the window (Ctrl+1 ... Ctrl+5).
QStringList paneIds();
// The values --color-scheme takes.
QStringList colorSchemes();

// One line on what bramble is, for --help and the man page.
QString guiDescription();

} // namespace Bramble::App
