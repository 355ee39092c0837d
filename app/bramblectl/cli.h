#pragma once

#include "core/environment.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>

class QCommandLineParser;

namespace Bramble::Kube {
class KubeClient;
}

namespace Bramble::Cli {

// Exit codes are an interface: scripts depend on them.
enum ExitCode : int {
    ExitOk = 0, // done
    ExitFailed = 1, // the command failed, or its input was invalid
    ExitUsage = 2, // the command line was wrong
};

struct GlobalOptions {
    QString kubeconfig;
    QString context;
    QString profile;
    QString region;
    QString endpointUrl;
    bool json = false;
    bool verbose = false;
};

// Everything a command needs; commands read no process state of their own.
struct Invocation {
    GlobalOptions global;
    QStringList arguments; // positional arguments after the command name
    const QCommandLineParser *parser = nullptr;
    Core::Environment env;
    QTextStream &out;
    QTextStream &err;

    // Prints "bramblectl: message" on stderr and returns ExitFailed.
    int fail(const QString &message) const;
    int usage(const QString &message) const;
};

struct Command {
    QString name;
    QString summary;
    QString synopsis; // e.g. "contexts [--json]"
    QList<QCommandLineOption> options;
    std::function<int(Invocation &)> run;
    bool hidden = false; // for tools (completion scripts, the build): not in --help

    // The sub-commands the synopsis names: the second word of each of its
    // lines when it is a plain word ("pools check FILE..." -> "check").
    QStringList subcommands() const;
};

// The command table and the global options: what parses the command line,
// and what --help, the completion scripts and the man page are made from.
QList<Command> commandTable();
QList<QCommandLineOption> globalOptionTable();

// Each command lives in its own file and registers through one of these.
Command versionCommand();
Command contextsCommand();
Command awsCommand();
Command sagasCommand();
Command logsCommand();
Command localCommand();
Command nodesCommand();
Command aslCommand();
Command completionCommand();
Command completeValuesCommand();
Command manPageCommand();

// sagas analyze (offline), called by the sagas command.
int runSagasAnalyze(Invocation &inv);
Command poolsCommand();

// The Kubernetes client for --kubeconfig / --context (kubectl's rules), or
// nullptr after printing why the context cannot be used.
std::unique_ptr<Kube::KubeClient> openKubeClient(const Invocation &inv);

// Parses arguments (without argv[0]) and runs the command.
int run(const QStringList &arguments, const Core::Environment &env, QTextStream &out, QTextStream &err);

} // namespace Bramble::Cli
