// The Sagas pane's two heavy computations, on the GUI thread's budget.
//
//   bench_saga [--events N] [--states S] [--repeat R]
//
// saga-analysis-N: a GetExecutionHistory of N events (the 25,000 quota by
//   default), already parsed from the wire into a QJsonArray as the transport
//   hands it over, turned into the saga analysis: parseHistory, buildTimeline
//   (events linked by previousEventId) and analyzeSaga. The history is the
//   fake AWS server's loop (a Pass and a Choice per turn: 4 events and 2
//   state visits per turn, so about N/2 visits, the worst case per event).
//   Target <= 50 ms (issue 5).
// saga-layout-S: layoutGraph of a generated saga of S states: forward
//   Tasks, every tenth one a Parallel with two branches, each step with a
//   Catch to its rollback and the rollbacks chained backwards to a Fail, as
//   the seed saga is built. Target <= 100 ms (issue 5). saga-parse-S
//   (parseDefinition + deriveRoles of the same document) is reported with no
//   target.
//
// Each figure is the median of R runs (default 7). Prints JSON figure lines
// for tests/benchmarks/run.py (bench_saga.py); exits 1 if the results are
// not what the input implies (the analysis must be COMMITTED-free: the loop
// has no forward steps, so the outcome is read as Running/other; the layout
// must place every state).

#include "fakes/fakeawsserver.h"
#include "saga/aslgraph.h"
#include "saga/executiontimeline.h"
#include "saga/graphlayout.h"
#include "saga/sagaanalysis.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Bramble;

namespace {

double medianMs(int repeat, const std::function<void()> &work)
{
    QList<double> times;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        times << double(t.nsecsElapsed()) / 1e6;
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

void figure(const QString &name, double ms, const char *target)
{
    std::printf("{\"name\": \"%s\", \"value\": %.2f, \"unit\": \"ms\"", qPrintable(name), ms);
    if (target)
        std::printf(", \"target\": \"%s\"", target);
    std::printf("}\n");
}

QJsonObject task(const QString &next, const QString &rollback)
{
    QJsonObject s { { QStringLiteral("Type"), QStringLiteral("Task") },
        { QStringLiteral("Resource"), QStringLiteral("arn:aws:states:::lambda:invoke") },
        { QStringLiteral("Next"), next } };
    if (!rollback.isEmpty())
        s.insert(QStringLiteral("Catch"),
            QJsonArray { QJsonObject { { QStringLiteral("ErrorEquals"), QJsonArray { QStringLiteral("States.ALL") } },
                { QStringLiteral("Next"), rollback } } });
    return s;
}

// About `states` states: steps Step1..StepK (every tenth a Parallel of two
// one-Task branches), rollbacks Step<i>Rollback chained backwards to Failed.
QByteArray bigSaga(int states)
{
    const int steps = qMax(1, (states - 2) / 2 - states / 20);
    QJsonObject all;
    for (int i = 1; i <= steps; ++i) {
        const QString name = QStringLiteral("Step%1").arg(i);
        const QString next = i == steps ? QStringLiteral("Done") : QStringLiteral("Step%1").arg(i + 1);
        const QString rollback = QStringLiteral("Step%1Rollback").arg(i);
        if (i % 10 == 0) {
            QJsonArray branches;
            for (int b = 1; b <= 2; ++b) {
                const QString inner = QStringLiteral("%1Branch%2").arg(name).arg(b);
                QJsonObject t = task(QString(), QString());
                t.remove(QStringLiteral("Next"));
                t.insert(QStringLiteral("End"), true);
                branches.append(QJsonObject {
                    { QStringLiteral("StartAt"), inner }, { QStringLiteral("States"), QJsonObject { { inner, t } } } });
            }
            all.insert(name,
                QJsonObject { { QStringLiteral("Type"), QStringLiteral("Parallel") },
                    { QStringLiteral("Branches"), branches }, { QStringLiteral("Next"), next },
                    { QStringLiteral("Catch"),
                        QJsonArray { QJsonObject {
                            { QStringLiteral("ErrorEquals"), QJsonArray { QStringLiteral("States.ALL") } },
                            { QStringLiteral("Next"), rollback } } } } });
        } else {
            all.insert(name, task(next, rollback));
        }
        all.insert(
            rollback, task(i == 1 ? QStringLiteral("Failed") : QStringLiteral("Step%1Rollback").arg(i - 1), QString()));
    }
    all.insert(QStringLiteral("Done"), QJsonObject { { QStringLiteral("Type"), QStringLiteral("Succeed") } });
    all.insert(QStringLiteral("Failed"), QJsonObject { { QStringLiteral("Type"), QStringLiteral("Fail") } });
    return QJsonDocument(
        QJsonObject { { QStringLiteral("StartAt"), QStringLiteral("Step1") }, { QStringLiteral("States"), all } })
        .toJson(QJsonDocument::Compact);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int events = 25000;
    int states = 500;
    int repeat = 7;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--events"))
            events = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--states"))
            states = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--repeat"))
            repeat = qMax(1, args.at(i + 1).toInt());
    }

    // Analysis.
    const QJsonArray history = Test::FakeAwsServer::loopHistory(events, QDateTime::currentDateTimeUtc());
    const Saga::StateGraph loop = Saga::parseDefinition(Test::FakeAwsServer::loopDefinition());
    const Saga::SagaRoles loopRoles = Saga::deriveRoles(loop);
    Saga::SagaAnalysis analysis;
    const double analysisMs = medianMs(repeat,
        [&] { analysis = Saga::analyzeSaga(loop, loopRoles, Saga::buildTimeline(Saga::parseHistory(history))); });
    Saga::History parsed;
    Saga::Timeline timeline;
    const double parseHistoryMs = medianMs(repeat, [&] { parsed = Saga::parseHistory(history); });
    const double timelineMs = medianMs(repeat, [&] { timeline = Saga::buildTimeline(parsed); });
    const double analyzeMs = medianMs(repeat, [&] { Saga::analyzeSaga(loop, loopRoles, timeline); });
    std::fprintf(stderr, "phases: parseHistory %.1f ms, buildTimeline %.1f ms, analyzeSaga %.1f ms\n", parseHistoryMs,
        timelineMs, analyzeMs);
    std::fprintf(stderr, "history: %d events, %d state visits, status %s\n", int(history.size()),
        int(analysis.timeline.steps.size()), qPrintable(Saga::executionStatusName(analysis.timeline.status)));
    figure(QStringLiteral("saga-analysis-%1").arg(events), analysisMs, "<= 50");

    // Layout.
    const QByteArray definition = bigSaga(states);
    Saga::StateGraph graph;
    const double parseMs = medianMs(repeat, [&] {
        graph = Saga::parseDefinition(definition);
        Saga::deriveRoles(graph);
    });
    Saga::GraphLayout layout;
    const double layoutMs = medianMs(repeat, [&] { layout = Saga::layoutGraph(graph); });
    std::fprintf(stderr, "definition: %d states, %d edges; drawing %.0f x %.0f\n", int(graph.nodes.size()),
        int(graph.edges.size()), layout.size.width(), layout.size.height());
    figure(QStringLiteral("saga-parse-%1").arg(states), parseMs, nullptr);
    figure(QStringLiteral("saga-layout-%1").arg(states), layoutMs, "<= 100");

    bool ok = analysis.timeline.status == Saga::ExecutionStatus::Succeeded
        && analysis.timeline.steps.size() >= events / 2 - 2 && graph.isValid() && graph.nodes.size() >= states * 9 / 10;
    for (const Saga::NodeLayout &n : layout.nodes)
        ok = ok && !n.rect.isEmpty();
    if (!ok)
        std::fprintf(stderr, "bench_saga: unexpected results (see above)\n");
    return ok ? 0 : 1;
}
