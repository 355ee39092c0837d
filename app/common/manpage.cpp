#include "manpage.h"

#include "core/buildinfo.h"
#include "guioptions.h"

#include <QDate>

namespace Bramble::App {

namespace {

// Text for roff: backslashes doubled as \e, a leading control character
// neutralised with \&, hyphens kept as hyphens (\-) so options copy-paste.
QString roff(const QString &text)
{
    QString out;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        line.replace(u'\\', QStringLiteral("\\e"));
        line.replace(u'-', QStringLiteral("\\-"));
        if (line.startsWith(u'.') || line.startsWith(u'\''))
            line.prepend(QStringLiteral("\\&"));
        if (i > 0)
            out += u'\n';
        out += line;
    }
    return out;
}

QString optionTag(const QCommandLineOption &o)
{
    QStringList names;
    for (const QString &n : o.names())
        names << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
    QString tag = names.join(QStringLiteral(", "));
    if (!o.valueName().isEmpty())
        tag += u' ' + o.valueName();
    return tag;
}

} // namespace

QString renderManPage(const ManPage &page)
{
    QString out;
    out += QStringLiteral(".TH %1 1 \"%2\" \"%3 %4\" \"User Commands\"\n")
               .arg(page.name.toUpper(), QDate::currentDate().toString(Qt::ISODate), page.name, page.version);
    out += QStringLiteral(".SH NAME\n") + roff(page.name) + QStringLiteral(" \\- ") + roff(page.summary) + u'\n';
    out += QStringLiteral(".SH SYNOPSIS\n");
    for (const QString &line : page.synopsis)
        out += QStringLiteral(".B ") + roff(line) + QStringLiteral("\n.br\n");
    out += QStringLiteral(".SH DESCRIPTION\n") + roff(page.description) + u'\n';
    for (const ManPage::Section &section : page.sections) {
        out += QStringLiteral(".SH ") + roff(section.title.toUpper()) + u'\n';
        for (const QStringList &item : section.items) {
            if (item.isEmpty())
                continue;
            if (item.size() == 1) {
                out += QStringLiteral(".PP\n") + roff(item.first()) + u'\n';
                continue;
            }
            out += QStringLiteral(".TP\n.B ") + roff(item.first()) + u'\n';
            for (qsizetype i = 1; i < item.size(); ++i)
                out += (i > 1 ? QStringLiteral(".br\n") : QString()) + roff(item.at(i)) + u'\n';
        }
    }
    return out;
}

ManPage::Section optionSection(const QString &title, const QList<QCommandLineOption> &options)
{
    ManPage::Section section { title, {} };
    for (const QCommandLineOption &o : options) {
        if (o.flags().testFlag(QCommandLineOption::HiddenFromHelp))
            continue;
        section.items << QStringList { optionTag(o), o.description() };
    }
    return section;
}

QString guiManPage(const GuiOptions &options)
{
    ManPage page;
    page.name = QStringLiteral("bramble");
    page.summary = guiDescription();
    page.version = Core::buildInfo().versionString();
    page.synopsis << QStringLiteral("bramble [--kubeconfig FILE] [--context NAME] [--profile NAME] [--region REGION] "
                                    "[--pane NAME] [--color-scheme SCHEME]");
    page.description = QStringLiteral(
        "One window, five panes: Nodes, Load balancers, Provision, Sagas and Logs. Bramble reads the kubeconfig as "
        "kubectl does (the KUBECONFIG list, merged, first file wins) and AWS profiles as the aws CLI does "
        "(AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws). bramblectl(1) is the same service layer on the "
        "command line.");
    QList<QCommandLineOption> all = options.all();
    all.prepend(QCommandLineOption(
        QStringList { QStringLiteral("v"), QStringLiteral("version") }, QStringLiteral("Print the version.")));
    all.prepend(QCommandLineOption(
        QStringList { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Print the options.")));
    page.sections << optionSection(QStringLiteral("Options"), all);
    page.sections << ManPage::Section { QStringLiteral("Panes"),
        { { QStringLiteral("Ctrl+1 ... Ctrl+5"), paneIds().join(QStringLiteral(", ")) } } };
    page.sections << ManPage::Section { QStringLiteral("Environment"),
        { { QStringLiteral("BRAMBLE_COLOR_SCHEME"),
              QStringLiteral("dark or light: force a palette where the desktop does not tell Qt its scheme.") },
            { QStringLiteral("KUBECONFIG"), QStringLiteral("The kubeconfig files, as kubectl reads them.") },
            { QStringLiteral("AWS_PROFILE, AWS_REGION, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE"),
                QStringLiteral("As the aws CLI reads them.") } } };
    page.sections << ManPage::Section { QStringLiteral("See also"), { { QStringLiteral("bramblectl(1)") } } };
    return renderManPage(page);
}

} // namespace Bramble::App
