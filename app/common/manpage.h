#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

namespace Bramble::App {

struct GuiOptions;

// A man page, as the programs describe themselves: generated at build time
// from the same tables that parse the command line (`bramblectl manpage`,
// `bramble --man-page`), so the page never drifts from the code.
struct ManPage {
    struct Section {
        QString title; // "COMMANDS", "EXIT STATUS"
        QList<QStringList> items; // each: a tag line, then its paragraphs (a paragraph alone: no tag)
    };

    QString name; // "bramblectl"
    QString summary; // one line, after the name
    QString version;
    QStringList synopsis;
    QString description;
    QList<Section> sections;
};

// The page in roff (man(7) macros), text escaped so that a line starting
// with a dot or a quote, a backslash or a hyphen in an option reads as
// written.
QString renderManPage(const ManPage &page);

// A section listing options, "--name VALUE" as the tag.
ManPage::Section optionSection(const QString &title, const QList<QCommandLineOption> &options);

// bramble(1), from the GUI's option table.
QString guiManPage(const GuiOptions &options);

} // namespace Bramble::App
