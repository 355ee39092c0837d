#include "cli.h"

#include "output.h"

#include "core/buildinfo.h"
#include "core/error.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

namespace Bramble::Cli {

namespace {

// The command is the first argument that is neither an option nor the value
// of a global option that takes one.
int commandPosition(const QStringList &args)
{
    QStringList valued;
    for (const QCommandLineOption &o : globalOptionTable())
        if (!o.valueName().isEmpty())
            valued << o.names();
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"--")
            return i + 1 < args.size() ? i + 1 : -1;
        if (a.startsWith(u'-')) {
            const QString name = a.mid(a.startsWith(QStringLiteral("--")) ? 2 : 1);
            if (!name.contains(u'=') && valued.contains(name))
                ++i;
            continue;
        }
        return i;
    }
    return -1;
}

QString generalHelp()
{
    QString text = QStringLiteral("Usage: bramblectl [global options] COMMAND [options]\n\n"
                                  "Bramble's service layer on the command line.\n\nCommands:\n");
    for (const Command &c : commandTable())
        if (!c.hidden)
            text += QStringLiteral("  %1%2\n").arg(c.name.leftJustified(12), c.summary);
    text += QStringLiteral("\nGlobal options:\n");
    for (const QCommandLineOption &o : globalOptionTable()) {
        QString names = QStringLiteral("--") + o.names().constLast();
        if (!o.valueName().isEmpty())
            names += u' ' + o.valueName();
        text += QStringLiteral("  %1%2\n").arg(names.leftJustified(22), o.description());
    }
    text += QStringLiteral("\nExit codes: 0 ok, 1 failed or invalid input, 2 usage error.\n"
                           "Run 'bramblectl COMMAND --help' for a command's options.\n");
    return text;
}

QString commandHelp(const Command &c)
{
    QString text = QStringLiteral("Usage: bramblectl %1\n\n%2\n").arg(c.synopsis, c.summary);
    if (!c.options.isEmpty()) {
        text += QStringLiteral("\nOptions:\n");
        for (const QCommandLineOption &o : c.options) {
            QString names = QStringLiteral("--") + o.names().constLast();
            if (!o.valueName().isEmpty())
                names += u' ' + o.valueName();
            text += QStringLiteral("  %1%2\n").arg(names.leftJustified(22), o.description());
        }
    }
    return text;
}

} // namespace

QList<Command> commandTable()
{
    return { versionCommand(), contextsCommand(), nodesCommand(), aslCommand(), poolsCommand(), awsCommand(),
        sagasCommand(), localCommand(), logsCommand(), completionCommand(), completeValuesCommand(), manPageCommand() };
}

QList<QCommandLineOption> globalOptionTable()
{
    return {
        QCommandLineOption(
            QStringLiteral("kubeconfig"), QStringLiteral("Read only this kubeconfig file."), QStringLiteral("FILE")),
        QCommandLineOption(
            QStringLiteral("context"), QStringLiteral("Kubernetes context to use."), QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("profile"), QStringLiteral("AWS profile to use."), QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("region"), QStringLiteral("AWS region to use."), QStringLiteral("REGION")),
        QCommandLineOption(
            QStringLiteral("endpoint-url"), QStringLiteral("Send AWS requests to this URL."), QStringLiteral("URL")),
        QCommandLineOption(QStringLiteral("json"), QStringLiteral("Print JSON for machines.")),
        QCommandLineOption(QStringLiteral("verbose"), QStringLiteral("Log what is done on stderr.")),
        QCommandLineOption(QStringList { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show help.")),
    };
}

QStringList Command::subcommands() const
{
    QStringList out;
    for (const QString &line : synopsis.split(u'\n')) {
        QStringList words = line.trimmed().split(u' ', Qt::SkipEmptyParts);
        if (!words.isEmpty() && words.first() == u"bramblectl")
            words.removeFirst();
        if (words.size() < 2 || words.first() != name)
            continue;
        // "completion bash|zsh|fish" names three, "nodes cordon NAME | uncordon NAME" two.
        QStringList candidates = words.at(1).split(u'|');
        for (qsizetype i = 2; i + 1 < words.size(); ++i)
            if (words.at(i) == u"|")
                candidates << words.at(i + 1);
        for (const QString &w : std::as_const(candidates)) {
            const bool plain = !w.isEmpty() && w.at(0).isLower()
                && std::all_of(w.begin(), w.end(), [](QChar c) { return c.isLower() || c.isDigit() || c == u'-'; });
            if (plain && !out.contains(w))
                out << w;
        }
    }
    return out;
}

int Invocation::fail(const QString &message) const
{
    err << "bramblectl: " << message << Qt::endl;
    return ExitFailed;
}

int Invocation::usage(const QString &message) const
{
    err << "bramblectl: " << message << Qt::endl;
    return ExitUsage;
}

int run(const QStringList &arguments, const Core::Environment &env, QTextStream &out, QTextStream &err)
{
    const int pos = commandPosition(arguments);
    const QString name = pos >= 0 ? arguments.at(pos) : QString();
    const QList<Command> commands = commandTable();
    const Command *command = nullptr;
    for (const Command &c : commands)
        if (c.name == name)
            command = &c;

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(globalOptionTable());
    if (command)
        parser.addOptions(command->options);
    if (!parser.parse(QStringList { QStringLiteral("bramblectl") } + arguments)) {
        err << "bramblectl: " << parser.errorText() << Qt::endl;
        return ExitUsage;
    }
    if (name == u"help" || (!command && parser.isSet(QStringLiteral("help")))) {
        out << generalHelp();
        return ExitOk;
    }
    if (!command) {
        err << "bramblectl: "
            << (name.isEmpty() ? QStringLiteral("no command given")
                               : QStringLiteral("unknown command \"%1\"").arg(Core::oneLine(name)))
            << "; run 'bramblectl --help' for the list" << Qt::endl;
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << commandHelp(*command);
        return ExitOk;
    }

    Invocation inv { GlobalOptions {}, parser.positionalArguments().mid(1), &parser, env, out, err };
    inv.global.kubeconfig = parser.value(QStringLiteral("kubeconfig"));
    inv.global.context = parser.value(QStringLiteral("context"));
    inv.global.profile = parser.value(QStringLiteral("profile"));
    inv.global.region = parser.value(QStringLiteral("region"));
    inv.global.endpointUrl = parser.value(QStringLiteral("endpoint-url"));
    inv.global.json = parser.isSet(QStringLiteral("json"));
    inv.global.verbose = parser.isSet(QStringLiteral("verbose"));
    // The service layer narrates its retries at info level; a command reports
    // the outcome itself, so that narration is for --verbose only.
    QLoggingCategory::setFilterRules(
        inv.global.verbose ? QStringLiteral("bramble.*.debug=true") : QStringLiteral("bramble.*.info=false"));
    return command->run(inv);
}

Command versionCommand()
{
    Command c;
    c.name = QStringLiteral("version");
    c.summary = QStringLiteral("Print the version of bramblectl, of Qt and of the libraries it is built with.");
    c.synopsis = QStringLiteral("version [--json]");
    c.run = [](Invocation &inv) {
        if (!inv.arguments.isEmpty())
            return inv.usage(QStringLiteral("version takes no arguments"));
        const Core::BuildInfo info = Core::buildInfo();
        if (inv.global.json) {
            QJsonArray libraries;
            for (const Core::Component &l : info.components)
                libraries.append(
                    QJsonObject { { QStringLiteral("name"), l.name }, { QStringLiteral("version"), l.version },
                        { QStringLiteral("license"), l.license }, { QStringLiteral("url"), l.url } });
            printJson(inv.out,
                QJsonObject { { QStringLiteral("version"), info.version },
                    { QStringLiteral("gitDescribe"),
                        info.gitDescribe.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(info.gitDescribe) },
                    { QStringLiteral("qt"), info.qtRuntime }, { QStringLiteral("libraries"), libraries } });
        } else {
            inv.out << "bramblectl " << info.versionString() << " (Qt " << info.qtRuntime << ")" << Qt::endl;
            for (const Core::Component &l : info.components)
                inv.out << "  " << l.name << ' ' << l.version << " (" << l.license << ")" << Qt::endl;
        }
        return int(ExitOk);
    };
    return c;
}

} // namespace Bramble::Cli
