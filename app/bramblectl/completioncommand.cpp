// bramblectl completion bash|zsh|fish: shell completions for bramblectl and
// bramble, generated from the same tables that parse their command lines;
// bramblectl manpage: bramblectl(1) from the command table. Both run at
// build time for the package, so what is installed never drifts.

#include "cli.h"

#include "aws/awsconfig.h"
#include "common/guioptions.h"
#include "common/manpage.h"
#include "core/buildinfo.h"
#include "kube/kubeconfigloader.h"

namespace Bramble::Cli {

namespace {

// What a completion script needs to know about one program.
struct Word {
    QString name; // without dashes
    QString description; // one line
    QString value; // the value's kind when the option takes one: "file", "context", "profile", a word list
};

struct ProgramTable {
    QString program;
    QList<Word> globals;
    struct Sub {
        QString name;
        QString description;
        QStringList subcommands;
        QList<Word> options;
    };
    QList<Sub> commands; // empty for bramble
};

QString valueKind(const QCommandLineOption &o)
{
    if (o.valueName().isEmpty())
        return {};
    const QString name = o.names().constLast();
    if (name == u"context")
        return QStringLiteral("context");
    if (name == u"profile")
        return QStringLiteral("profile");
    if (name == u"pane")
        return App::paneIds().join(u' ');
    if (name == u"color-scheme")
        return App::colorSchemes().join(u' ');
    if (name == u"status")
        return QStringLiteral("RUNNING SUCCEEDED FAILED TIMED_OUT ABORTED PENDING_REDRIVE");
    const QString v = o.valueName();
    if (v == u"FILE" || v == u"F" || v == u"DIR")
        return QStringLiteral("file");
    return QStringLiteral("any");
}

QList<Word> words(const QList<QCommandLineOption> &options)
{
    QList<Word> out;
    for (const QCommandLineOption &o : options) {
        if (o.flags().testFlag(QCommandLineOption::HiddenFromHelp))
            continue;
        for (const QString &n : o.names())
            if (n.size() > 1)
                out << Word { n, o.description(), valueKind(o) };
    }
    return out;
}

ProgramTable bramblectlTable()
{
    ProgramTable t;
    t.program = QStringLiteral("bramblectl");
    t.globals = words(globalOptionTable());
    for (const Command &c : commandTable()) {
        if (c.hidden)
            continue;
        t.commands << ProgramTable::Sub { c.name, c.summary, c.subcommands(), words(c.options) };
    }
    return t;
}

ProgramTable brambleTable()
{
    ProgramTable t;
    t.program = QStringLiteral("bramble");
    QList<QCommandLineOption> all = App::GuiOptions().all();
    all << QCommandLineOption(QStringLiteral("help"), QStringLiteral("Print the options."))
        << QCommandLineOption(QStringLiteral("version"), QStringLiteral("Print the version."));
    t.globals = words(all);
    return t;
}

QString shellWords(const QList<Word> &list)
{
    QStringList out;
    for (const Word &w : list)
        out << QStringLiteral("--") + w.name;
    return out.join(u' ');
}

// ---- bash ----------------------------------------------------------------

QString bashValueCase(const ProgramTable &t)
{
    QList<Word> all = t.globals;
    for (const ProgramTable::Sub &s : t.commands)
        all += s.options;
    QMap<QString, QStringList> byKind;
    for (const Word &w : all)
        if (!w.value.isEmpty() && !byKind.value(w.value).contains(QStringLiteral("--") + w.name))
            byKind[w.value] << QStringLiteral("--") + w.name;
    QString out = QStringLiteral("    case \"$prev\" in\n");
    for (auto it = byKind.begin(); it != byKind.end(); ++it) {
        out += QStringLiteral("    %1)\n").arg(it.value().join(u'|'));
        if (it.key() == u"file")
            out += QStringLiteral("        COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n");
        else if (it.key() == u"context" || it.key() == u"profile")
            out += QStringLiteral("        COMPREPLY=($(compgen -W \"$(bramblectl complete-values %1s 2>/dev/null)\" "
                                  "-- \"$cur\")); return ;;\n")
                       .arg(it.key());
        else if (it.key() == u"any")
            out += QStringLiteral("        COMPREPLY=(); return ;;\n");
        else
            out += QStringLiteral("        COMPREPLY=($(compgen -W \"%1\" -- \"$cur\")); return ;;\n").arg(it.key());
    }
    out += QStringLiteral("    esac\n");
    return out;
}

QString bashScript(const ProgramTable &t)
{
    const QString fn = QStringLiteral("_") + t.program;
    QStringList valued;
    for (const Word &w : t.globals)
        if (!w.value.isEmpty())
            valued << QStringLiteral("--") + w.name;
    QString out;
    out += QStringLiteral("%1()\n{\n    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\"\n"
                          "    [ \"$COMP_CWORD\" -gt 0 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
               .arg(fn);
    out += bashValueCase(t);
    out += QStringLiteral("    local globals=\"%1\"\n").arg(shellWords(t.globals));
    if (t.commands.isEmpty()) {
        out += QStringLiteral("    COMPREPLY=($(compgen -W \"$globals\" -- \"$cur\"))\n}\n");
        out += QStringLiteral("complete -F %1 %2\n").arg(fn, t.program);
        return out;
    }
    QStringList names;
    for (const ProgramTable::Sub &s : t.commands)
        names << s.name;
    // The command and sub-command are the first plain words, skipping the
    // values of the global options that take one.
    out += QStringLiteral(
        "    local cmd=\"\" sub=\"\" i w skip=0\n"
        "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "        w=\"${COMP_WORDS[i]}\"\n"
        "        if [ $skip = 1 ]; then skip=0; continue; fi\n"
        "        case \"$w\" in\n"
        "        %1) skip=1 ;;\n"
        "        -*) ;;\n"
        "        *) if [ -z \"$cmd\" ]; then cmd=\"$w\"; elif [ -z \"$sub\" ]; then sub=\"$w\"; fi ;;\n"
        "        esac\n"
        "    done\n")
               .arg(valued.isEmpty() ? QStringLiteral("--") : valued.join(u'|'));
    out += QStringLiteral("    if [ -z \"$cmd\" ]; then\n"
                          "        if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"$globals\" -- \"$cur\"));\n"
                          "        else COMPREPLY=($(compgen -W \"%1\" -- \"$cur\")); fi\n"
                          "        return\n"
                          "    fi\n"
                          "    local subs=\"\" opts=\"\"\n"
                          "    case \"$cmd\" in\n")
               .arg(names.join(u' '));
    for (const ProgramTable::Sub &s : t.commands)
        out += QStringLiteral("    %1) subs=\"%2\"; opts=\"%3\" ;;\n")
                   .arg(s.name, s.subcommands.join(u' '), shellWords(s.options));
    out += QStringLiteral("    esac\n"
                          "    if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"$opts $globals\" -- \"$cur\"))\n"
                          "    elif [ -z \"$sub\" ] && [ -n \"$subs\" ]; then COMPREPLY=($(compgen -W \"$subs\" -- "
                          "\"$cur\"))\n"
                          "    else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
                          "}\n");
    out += QStringLiteral("complete -F %1 %2\n").arg(fn, t.program);
    return out;
}

// ---- zsh -----------------------------------------------------------------

QString zshQuote(QString text)
{
    text.replace(u'\'', QStringLiteral("'\\''"));
    text.replace(u'[', QStringLiteral("\\[")).replace(u']', QStringLiteral("\\]"));
    text.replace(u':', QStringLiteral("\\:"));
    return text;
}

QString zshAction(const QString &kind)
{
    if (kind == u"file")
        return QStringLiteral("_files");
    if (kind == u"context" || kind == u"profile")
        return QStringLiteral("{_values %1 ${(f)\"$(bramblectl complete-values %1s 2>/dev/null)\"}}").arg(kind);
    if (kind == u"any")
        return QStringLiteral(" ");
    return QStringLiteral("(%1)").arg(kind);
}

QStringList zshSpecs(const QList<Word> &list)
{
    QStringList out;
    for (const Word &w : list) {
        QString spec = QStringLiteral("--%1[%2]").arg(w.name, zshQuote(w.description));
        if (!w.value.isEmpty())
            spec += QStringLiteral(":%1:%2").arg(w.name, zshAction(w.value));
        out << QStringLiteral("'%1'").arg(spec);
    }
    return out;
}

// The function that completes one program; the file's footer (below) hooks
// it up whether zsh autoloads the file or the user sources it.
QString zshFunction(const ProgramTable &t)
{
    const QString fn = QStringLiteral("_%1_complete").arg(t.program);
    QString out = QStringLiteral("%1()\n{\n").arg(fn);
    const QString globals = zshSpecs(t.globals).join(QStringLiteral(" \\\n        "));
    if (t.commands.isEmpty()) {
        out += QStringLiteral("    _arguments \\\n        %1\n}\n\n").arg(globals);
        return out;
    }
    out += QStringLiteral("    local curcontext=\"$curcontext\" state line\n"
                          "    local -a commands\n"
                          "    commands=(\n");
    for (const ProgramTable::Sub &s : t.commands)
        out += QStringLiteral("        '%1:%2'\n").arg(s.name, zshQuote(s.description));
    out += QStringLiteral("    )\n"
                          "    _arguments -C \\\n        %1 \\\n"
                          "        '1: :->command' \\\n"
                          "        '*:: :->args'\n"
                          "    case $state in\n"
                          "    command) _describe -t commands 'bramblectl command' commands ;;\n"
                          "    args)\n"
                          "        case $words[1] in\n")
               .arg(globals);
    for (const ProgramTable::Sub &s : t.commands) {
        QStringList specs = zshSpecs(s.options) + zshSpecs(t.globals);
        if (!s.subcommands.isEmpty())
            specs << QStringLiteral("'1: :(%1)'").arg(s.subcommands.join(u' '));
        specs << QStringLiteral("'*: :_files'");
        out += QStringLiteral("        %1) _arguments \\\n            %2 ;;\n")
                   .arg(s.name, specs.join(QStringLiteral(" \\\n            ")));
    }
    out += QStringLiteral("        esac ;;\n    esac\n}\n\n");
    return out;
}

// ---- fish ----------------------------------------------------------------

QString fishQuote(QString text)
{
    text.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + text + u'\'';
}

QString fishOption(const QString &program, const QString &condition, const Word &w)
{
    QString line = QStringLiteral("complete -c %1").arg(program);
    if (!condition.isEmpty())
        line += QStringLiteral(" -n %1").arg(fishQuote(condition));
    line += QStringLiteral(" -l %1").arg(w.name);
    if (w.value == u"file")
        line += QStringLiteral(" -r -F");
    else if (w.value == u"context" || w.value == u"profile")
        line += QStringLiteral(" -x -a %1")
                    .arg(fishQuote(QStringLiteral("(bramblectl complete-values %1s 2>/dev/null)").arg(w.value)));
    else if (w.value == u"any")
        line += QStringLiteral(" -x");
    else if (!w.value.isEmpty())
        line += QStringLiteral(" -x -a %1").arg(fishQuote(w.value));
    return line + QStringLiteral(" -d %1\n").arg(fishQuote(w.description));
}

QString fishScript(const ProgramTable &t)
{
    QString out;
    for (const Word &w : t.globals)
        out += fishOption(t.program, {}, w);
    if (t.commands.isEmpty())
        return out;
    QStringList names;
    for (const ProgramTable::Sub &s : t.commands)
        names << s.name;
    for (const ProgramTable::Sub &s : t.commands) {
        out += QStringLiteral("complete -c %1 -f -n '__fish_use_subcommand' -a %2 -d %3\n")
                   .arg(t.program, s.name, fishQuote(s.description));
        const QString in = QStringLiteral("__fish_seen_subcommand_from %1").arg(s.name);
        if (!s.subcommands.isEmpty())
            out += QStringLiteral("complete -c %1 -f -n %2 -a %3\n")
                       .arg(t.program,
                           fishQuote(in + QStringLiteral("; and not __fish_seen_subcommand_from ")
                               + s.subcommands.join(u' ')),
                           fishQuote(s.subcommands.join(u' ')));
        for (const Word &w : s.options)
            out += fishOption(t.program, in, w);
    }
    return out;
}

int runCompletion(Invocation &inv)
{
    const QString shell = inv.arguments.value(0);
    if (inv.arguments.size() != 1)
        return inv.usage(QStringLiteral("completion takes one shell: bash, zsh or fish"));
    const QString header = QStringLiteral("# %1 completion for bramblectl and bramble %2, generated by "
                                          "'bramblectl completion %1' from their command tables.\n")
                               .arg(shell, Core::buildInfo().versionString());
    const ProgramTable ctl = bramblectlTable();
    const ProgramTable gui = brambleTable();
    if (shell == u"bash")
        inv.out << header << bashScript(ctl) << bashScript(gui);
    else if (shell == u"zsh")
        inv.out << QStringLiteral("#compdef bramblectl bramble\n") << header << zshFunction(ctl) << zshFunction(gui)
                << QStringLiteral("if [ \"$funcstack[1]\" = \"_bramblectl\" ]; then\n"
                                  "    case $service in\n"
                                  "    bramble) _bramble_complete \"$@\" ;;\n"
                                  "    *) _bramblectl_complete \"$@\" ;;\n"
                                  "    esac\n"
                                  "else\n"
                                  "    compdef _bramblectl_complete bramblectl\n"
                                  "    compdef _bramble_complete bramble\n"
                                  "fi\n");
    else if (shell == u"fish")
        inv.out << header << fishScript(ctl) << fishScript(gui);
    else
        return inv.usage(QStringLiteral("completion: unknown shell \"%1\"; one of bash, zsh, fish").arg(shell));
    inv.out.flush();
    return ExitOk;
}

// Names for the completion scripts: cheap, local files only, never an error
// on the terminal (a broken kubeconfig completes nothing).
int runCompleteValues(Invocation &inv)
{
    const QString what = inv.arguments.value(0);
    if (what == u"contexts") {
        const Kube::KubeconfigLoadResult kube = Kube::KubeconfigLoader::load(inv.env, inv.global.kubeconfig);
        for (const Kube::KubeContext &c : kube.config.contexts)
            inv.out << c.name << '\n';
    } else if (what == u"profiles") {
        const Aws::AwsConfigLoadResult aws = Aws::AwsConfigLoader::load(inv.env);
        for (const Aws::AwsProfile &p : aws.config.profiles)
            inv.out << p.name << '\n';
    } else if (what == u"panes") {
        for (const QString &p : App::paneIds())
            inv.out << p << '\n';
    } else {
        return inv.usage(QStringLiteral("complete-values takes contexts, profiles or panes"));
    }
    inv.out.flush();
    return ExitOk;
}

int runManPage(Invocation &inv)
{
    const QString program = inv.arguments.value(0, QStringLiteral("bramblectl"));
    if (program == u"bramble") {
        inv.out << App::guiManPage(App::GuiOptions());
        return ExitOk;
    }
    if (program != u"bramblectl")
        return inv.usage(QStringLiteral("manpage takes bramblectl or bramble"));
    App::ManPage page;
    page.name = QStringLiteral("bramblectl");
    page.summary = QStringLiteral("Bramble's service layer on the command line");
    page.version = Core::buildInfo().versionString();
    page.synopsis << QStringLiteral("bramblectl [global options] COMMAND [options]");
    page.description = QStringLiteral(
        "bramblectl prints what the Bramble panes show, for people and scripts (--json for machines): Kubernetes "
        "nodes and MetalLB pools of the current kubeconfig context, Step Functions sagas and CloudWatch Logs of the "
        "current AWS profile. It reads the kubeconfig as kubectl does and AWS profiles as the aws CLI does.");
    App::ManPage::Section commands { QStringLiteral("Commands"), {} };
    for (const Command &c : commandTable()) {
        if (c.hidden)
            continue;
        QStringList item { QStringLiteral("bramblectl ") + c.synopsis.split(u'\n').first(), c.summary };
        for (const QString &line : c.synopsis.split(u'\n').mid(1))
            if (!line.trimmed().isEmpty())
                item << line.trimmed();
        for (const QCommandLineOption &o : c.options)
            item << QStringLiteral("--%1%2: %3")
                        .arg(o.names().constLast(), o.valueName().isEmpty() ? QString() : u' ' + o.valueName(),
                            o.description());
        commands.items << item;
    }
    page.sections << commands << App::optionSection(QStringLiteral("Global options"), globalOptionTable());
    page.sections << App::ManPage::Section { QStringLiteral("Exit status"),
        { { QStringLiteral("0"), QStringLiteral("ok") },
            { QStringLiteral("1"), QStringLiteral("failed, or invalid input") },
            { QStringLiteral("2"), QStringLiteral("usage error") },
            { QStringLiteral("sagas watch"),
                QStringLiteral("the saga outcome: 0 COMMITTED, 3 COMPENSATED, 4 COMPENSATION_FAILED, 5 "
                               "FAILED_UNCOMPENSATED, 6 TIMED_OUT, 7 ABORTED, 130 interrupted") } } };
    page.sections << App::ManPage::Section { QStringLiteral("Completion"),
        { { QStringLiteral("bramblectl completion bash|zsh|fish prints a completion script for bramblectl and "
                           "bramble; the package installs them.") } } };
    page.sections << App::ManPage::Section { QStringLiteral("See also"),
        { { QStringLiteral("bramble(1), kubectl(1), aws(1)") } } };
    inv.out << App::renderManPage(page);
    inv.out.flush();
    return ExitOk;
}

} // namespace

Command completionCommand()
{
    Command c;
    c.name = QStringLiteral("completion");
    c.summary = QStringLiteral("Print a shell completion script for bramblectl and bramble.");
    c.synopsis = QStringLiteral("completion bash|zsh|fish");
    c.run = runCompletion;
    return c;
}

Command completeValuesCommand()
{
    Command c;
    c.name = QStringLiteral("complete-values");
    c.summary = QStringLiteral("Names the completion scripts offer (contexts, profiles, panes), one per line.");
    c.synopsis = QStringLiteral("complete-values contexts|profiles|panes");
    c.run = runCompleteValues;
    c.hidden = true;
    return c;
}

Command manPageCommand()
{
    Command c;
    c.name = QStringLiteral("manpage");
    c.summary = QStringLiteral("Print the man page (roff) of bramblectl or bramble.");
    c.synopsis = QStringLiteral("manpage [bramblectl|bramble]");
    c.run = runManPage;
    c.hidden = true;
    return c;
}

} // namespace Bramble::Cli
