// bramblectl asl validate and sagas analyze: the saga core on files, offline.

#include "cli.h"
#include "output.h"
#include "sagacli.h"

#include "core/boundedfile.h"
#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"
#include "saga/sagaanalysis.h"

#include <QCommandLineParser>
#include <QJsonDocument>

namespace Bramble::Cli {

namespace {

// The file's bytes (at most `limit`), or nullopt after saying why in one line.
std::optional<QByteArray> readInput(const Invocation &inv, const QString &path, qint64 limit, const QString &what)
{
    Core::Result<QByteArray> bytes = Core::readBoundedFile(path, limit, what);
    if (!bytes.ok()) {
        inv.fail(bytes.error().toString());
        return std::nullopt;
    }
    return bytes.takeValue();
}

// Parses and checks a definition file; prints its warnings and errors. Null when invalid.
std::optional<Saga::StateGraph> readDefinition(const Invocation &inv, const QString &path)
{
    const auto bytes = readInput(inv, path, Core::FileLimit::Definition, QStringLiteral("definition"));
    if (!bytes)
        return std::nullopt;
    return checkDefinition(inv, *bytes, path);
}

int runAsl(Invocation &inv)
{
    if (inv.arguments.value(0) != u"validate")
        return inv.usage(inv.arguments.isEmpty()
                ? QStringLiteral("asl: missing subcommand; try 'asl validate FILE'")
                : QStringLiteral("asl: unknown subcommand \"%1\"; try 'asl validate FILE'").arg(inv.arguments.first()));
    if (inv.arguments.size() != 2)
        return inv.usage(QStringLiteral("asl validate takes exactly one FILE"));
    const QString path = inv.arguments.at(1);
    const auto graph = readDefinition(inv, path);
    if (!graph)
        return ExitFailed;
    inv.out << path << ": valid, " << graph->nodes.size() << " states\n";
    inv.out.flush();
    return ExitOk;
}

} // namespace

std::optional<Saga::StateGraph> checkDefinition(const Invocation &inv, const QByteArray &bytes, const QString &source)
{
    Saga::StateGraph graph = Saga::parseDefinition(bytes, source);
    for (const Core::Error &w : graph.warnings)
        inv.err << "bramblectl: warning: " << w.toString() << Qt::endl;
    for (const Core::Error &e : graph.errors)
        inv.err << "bramblectl: " << e.toString() << Qt::endl;
    if (!graph.isValid()) {
        if (graph.errors.isEmpty())
            inv.fail(QStringLiteral("%1: no states").arg(source));
        return std::nullopt;
    }
    return graph;
}

QString stepDuration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("-");
    return ms < 10000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 1);
}

void printSagaAnalysis(const Invocation &inv, const Saga::SagaAnalysis &analysis)
{
    if (inv.global.json) {
        printJson(inv.out, analysis.toJson());
        return;
    }
    inv.out << "Outcome:   " << Saga::sagaOutcomeName(analysis.outcome) << '\n';
    if (!analysis.failedStep.isEmpty())
        inv.out << "Failed:    " << analysis.failedStep
                << (analysis.error.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(analysis.error)) << '\n';
    if (!analysis.dangling.isEmpty())
        inv.out << "Left behind (not compensated): " << analysis.dangling.join(QStringLiteral(", ")) << '\n';
    for (const QString &note : analysis.notes)
        inv.out << "Note:      " << note << '\n';
    inv.out << '\n';
    QList<QStringList> rows;
    const QList<Saga::Step> &steps = analysis.timeline.steps;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Saga::Step &s = steps.at(i);
        rows << QStringList { (s.parent >= 0 ? QStringLiteral("  ") : QString()) + s.state,
            Saga::stateRoleName(analysis.stepRoles.value(i, Saga::StateRole::Other)), Saga::stepStatusName(s.status),
            QString::number(s.attempts), stepDuration(s.durationMs()), s.error };
    }
    printTable(inv.out,
        { QStringLiteral("STEP"), QStringLiteral("ROLE"), QStringLiteral("STATUS"), QStringLiteral("ATTEMPTS"),
            QStringLiteral("DURATION"), QStringLiteral("ERROR") },
        rows);
    inv.out.flush();
}

int runSagasAnalyze(Invocation &inv)
{
    if (inv.arguments.size() != 1)
        return inv.usage(QStringLiteral("sagas analyze takes no arguments besides --definition and --history"));
    const QString definitionPath = inv.parser->value(QStringLiteral("definition"));
    const QString historyPath = inv.parser->value(QStringLiteral("history"));
    if (definitionPath.isEmpty() || historyPath.isEmpty())
        return inv.usage(QStringLiteral("sagas analyze needs --definition FILE and --history FILE"));

    const auto graph = readDefinition(inv, definitionPath);
    if (!graph)
        return ExitFailed;
    const auto historyBytes = readInput(inv, historyPath, Core::FileLimit::History, QStringLiteral("history"));
    if (!historyBytes)
        return ExitFailed;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*historyBytes, &pe);
    if (pe.error != QJsonParseError::NoError)
        return inv.fail(QStringLiteral("%1: offset %2: %3").arg(historyPath).arg(pe.offset).arg(pe.errorString()));
    const Saga::History history = doc.isArray() ? Saga::parseHistory(doc.array()) : Saga::parseHistory(*historyBytes);
    for (const Core::Error &p : history.problems)
        inv.err << "bramblectl: warning: " << historyPath << ": " << p.toString() << Qt::endl;
    if (history.events.isEmpty())
        return inv.fail(
            QStringLiteral("%1: no history events (expected a GetExecutionHistory answer, {\"events\": [...]})")
                .arg(historyPath));

    printSagaAnalysis(inv, Saga::analyzeSaga(*graph, Saga::buildTimeline(history)));
    return ExitOk;
}

Command aslCommand()
{
    Command c;
    c.name = QStringLiteral("asl");
    c.summary = QStringLiteral("Check an Amazon States Language definition offline.");
    c.synopsis = QStringLiteral("asl validate FILE");
    c.run = runAsl;
    return c;
}

} // namespace Bramble::Cli
