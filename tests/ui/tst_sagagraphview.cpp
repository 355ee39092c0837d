// The saga graph view fed with the recorded definitions and histories
// (tests/data/saga): an item per state, edge styles by kind, visuals that
// recolour, fitting, clicks and keys, a generated 500-state definition, and
// grabs in light and dark palettes (written to $BRAMBLE_GRAB_DIR when set).

#include "models/sagavisuals.h"
#include "saga/executiontimeline.h"
#include "services/saga/sagatest.h"
#include "ui/common/theme.h"
#include "ui/sagas/sagagraphview.h"
#include "ui/sagas/timelinechart.h"

#include <QAbstractGraphicsShapeItem>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QGraphicsPathItem>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>

using namespace Bramble;
using Bramble::Test::Saga::fixture;

namespace {

struct Loaded {
    Saga::StateGraph graph;
    Saga::SagaRoles roles;
};

Loaded load(const char *definition)
{
    Loaded l;
    l.graph = Saga::parseDefinition(fixture(QString::fromLatin1(definition)));
    l.roles = Saga::deriveRoles(l.graph);
    return l;
}

Saga::SagaAnalysis analyze(const Loaded &l, const char *history)
{
    return Saga::analyzeSaga(
        l.graph, l.roles, Saga::buildTimeline(Saga::parseHistory(fixture(QString::fromLatin1(history)))));
}

int edgeOf(const Saga::StateGraph &g, Saga::EdgeKind kind, const QString &from = {})
{
    for (qsizetype e = 0; e < g.edges.size(); ++e)
        if (g.edges.at(e).kind == kind && (from.isEmpty() || g.nodes.at(g.edges.at(e).from).name == from))
            return int(e);
    return -1;
}

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

QJsonObject task(const QString &next, const QString &catchNext = {})
{
    QJsonObject o { { s("Type"), s("Task") }, { s("Resource"), s("arn:aws:states:::lambda:invoke") } };
    if (next.isEmpty())
        o.insert(s("End"), true);
    else
        o.insert(s("Next"), next);
    if (!catchNext.isEmpty())
        o.insert(s("Catch"),
            QJsonArray {
                QJsonObject { { s("ErrorEquals"), QJsonArray { s("States.ALL") } }, { s("Next"), catchNext } } });
    return o;
}

// A long saga: per step a Task (or every tenth a two-branch Parallel) that
// catches into its Undo, a Choice that may Wait, and Undo states chained
// backwards to a Fail.
QByteArray generatedDefinition(int steps)
{
    QJsonObject states;
    auto name = [](const char *kind, int k) -> QString { return QString::fromLatin1(kind) + QString::number(k); };
    for (int k = 0; k < steps; ++k) {
        const QString next = k + 1 < steps ? name("Step", k + 1) : s("Done");
        if (k % 10 == 5) {
            QJsonObject branchA { { s("StartAt"), name("BranchA", k) },
                { s("States"), QJsonObject { { name("BranchA", k), task({}) } } } };
            QJsonObject branchB { { s("StartAt"), name("BranchB", k) },
                { s("States"), QJsonObject { { name("BranchB", k), task({}) } } } };
            QJsonObject parallel { { s("Type"), s("Parallel") }, { s("Branches"), QJsonArray { branchA, branchB } },
                { s("Next"), name("Check", k) },
                { s("Catch"),
                    QJsonArray { QJsonObject {
                        { s("ErrorEquals"), QJsonArray { s("States.ALL") } }, { s("Next"), name("Undo", k) } } } } };
            states.insert(name("Step", k), parallel);
        } else {
            states.insert(name("Step", k), task(name("Check", k), name("Undo", k)));
        }
        states.insert(name("Check", k),
            QJsonObject { { s("Type"), s("Choice") },
                { s("Choices"),
                    QJsonArray { QJsonObject {
                        { s("Variable"), s("$.ok") }, { s("BooleanEquals"), true }, { s("Next"), next } } } },
                { s("Default"), name("Wait", k) } });
        states.insert(
            name("Wait", k), QJsonObject { { s("Type"), s("Wait") }, { s("Seconds"), 1 }, { s("Next"), next } });
        states.insert(name("Undo", k), task(k > 0 ? name("Undo", k - 1) : s("Failed")));
    }
    states.insert(s("Done"), QJsonObject { { s("Type"), s("Succeed") } });
    states.insert(s("Failed"), QJsonObject { { s("Type"), s("Fail") }, { s("Error"), s("SagaFailed") } });
    return QJsonDocument(QJsonObject { { s("StartAt"), s("Step0") }, { s("States"), states } }).toJson();
}

void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("BRAMBLE_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(QDir(dir).filePath(name)));
}

bool fits(const Ui::SagaGraphView &view)
{
    const QRect shown = view.mapFromScene(view.sceneRect()).boundingRect();
    return view.viewport()->rect().adjusted(-2, -2, 2, 2).contains(shown);
}

} // namespace

class TestSagaGraphView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void itemPerState_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::newRow("seed") << s("seed-saga.asl.json");
        QTest::newRow("cdk") << s("cdk-saga.asl.json");
    }

    void itemPerState()
    {
        QFETCH(QString, definition);
        const Loaded l = load(definition.toLatin1().constData());
        QVERIFY(l.graph.isValid());
        Ui::SagaGraphView view;
        view.setGraph(l.graph, l.roles);
        for (const Saga::StateNode &n : l.graph.nodes) {
            QAbstractGraphicsShapeItem *item = view.stateItem(n.name);
            QVERIFY2(item, qPrintable(n.name));
            QVERIFY(item->sceneBoundingRect().contains(view.layout().nodes.at(l.graph.indexOf(n.name)).rect));
            QVERIFY(view.scene()->sceneRect().contains(item->sceneBoundingRect()));
        }
        QVERIFY(!view.stateItem(s("NoSuchState")));
        for (qsizetype e = 0; e < l.graph.edges.size(); ++e)
            QVERIFY(view.edgeItem(int(e)));
    }

    void edgeStyles()
    {
        const Loaded l = load("seed-saga.asl.json");
        Ui::SagaGraphView view;
        view.setGraph(l.graph, l.roles);
        const int next = edgeOf(l.graph, Saga::EdgeKind::Next, s("ProcessRecords"));
        const int caught = edgeOf(l.graph, Saga::EdgeKind::Catch, s("ProcessRecords"));
        QVERIFY(next >= 0 && caught >= 0);
        const QPen nextPen = view.edgeItem(next)->pen();
        const QPen catchPen = view.edgeItem(caught)->pen();
        QCOMPARE(nextPen.style(), Qt::SolidLine);
        QCOMPARE(catchPen.style(), Qt::DashLine);
        QVERIFY(catchPen.color() != nextPen.color());

        const Loaded cdk = load("cdk-saga.asl.json");
        view.setGraph(cdk.graph, cdk.roles);
        const int branch = edgeOf(cdk.graph, Saga::EdgeKind::Branch);
        const int cdkNext = edgeOf(cdk.graph, Saga::EdgeKind::Next);
        QVERIFY(branch >= 0 && cdkNext >= 0);
        QVERIFY(view.edgeItem(branch)->pen().widthF() < view.edgeItem(cdkNext)->pen().widthF());

        // A palette change restyles what is drawn.
        const QColor lightEdge = view.edgeItem(cdkNext)->pen().color();
        const QColor lightFill = view.stateItem(s("Success"))->brush().color();
        QPalette dark = view.palette();
        dark.setColor(QPalette::Window, QColor(0x24, 0x27, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1b, 0x1d, 0x21));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
        view.setPalette(dark);
        QVERIFY(view.edgeItem(cdkNext)->pen().color() != lightEdge);
        QVERIFY(view.stateItem(s("Success"))->brush().color().lightness() < lightFill.lightness());
    }

    void visualsRecolour()
    {
        const Loaded l = load("seed-saga.asl.json");
        Ui::SagaGraphView view;
        view.setGraph(l.graph, l.roles);
        QAbstractGraphicsShapeItem *commit = view.stateItem(s("CommitRecords"));
        QAbstractGraphicsShapeItem *start = view.stateItem(s("StartTransaction"));
        const QColor bareCommit = commit->brush().color();
        const QColor bareStart = start->brush().color();

        const Saga::SagaAnalysis a = analyze(l, "seed-rollback-fails.history.json");
        view.setVisuals(Models::stateVisuals(l.graph, l.roles, a), Models::danglingStates(a));
        QVERIFY(view.hasVisuals());
        QVERIFY(commit->brush().color() != bareCommit);
        QVERIFY(start->brush().color() != bareStart);
        // Caught, Succeeded, CompensationFailed and NotReached all look different.
        const QColor caught = commit->brush().color();
        const QColor ok = start->brush().color();
        const QColor rollbackFailed = view.stateItem(s("TransformRecordsRollback"))->brush().color();
        const QColor notReached = view.stateItem(s("SagaSucceeded"))->brush().color();
        QCOMPARE(QSet<QRgb>({ caught.rgb(), ok.rgb(), rollbackFailed.rgb(), notReached.rgb() }).size(), 4);
        QCOMPARE(view.stateItem(s("SagaSucceeded"))->pen().style(), Qt::DashLine);
        QVERIFY(view.stateItem(s("ProcessRecords"))->toolTip().contains(s("Dangling")));

        view.clearVisuals();
        QVERIFY(!view.hasVisuals());
        QCOMPARE(commit->brush().color(), bareCommit);
    }

    void fitsAndZooms()
    {
        const Loaded l = load("cdk-saga.asl.json");
        Ui::SagaGraphView view;
        view.resize(360, 260);
        view.setGraph(l.graph, l.roles);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isAutoFit());
        // Too tall to fit legibly: the automatic fit stops at a legible zoom
        // and shows the start.
        QVERIFY(!fits(view));
        QVERIFY(view.zoom() >= 0.5);
        const QAbstractGraphicsShapeItem *first = view.stateItem(l.graph.nodes.at(l.graph.start()).name);
        QVERIFY(view.viewport()->rect().contains(view.mapFromScene(first->sceneBoundingRect()).boundingRect()));

        view.fitToView(); // scroll bars go away on the next layout
        QTRY_VERIFY(fits(view));
        const qreal fitted = view.zoom();
        QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(view.zoom() > fitted);
        QVERIFY(!view.isAutoFit());
        QTest::keyClick(&view, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 1.0);
        QVERIFY(!fits(view));
        QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(view.zoom(), 0.8);

        QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(view.isAutoFit());
        QTRY_VERIFY(fits(view));
        view.resize(300, 500); // keeps fitting until the user zooms
        QTRY_VERIFY(fits(view));

        view.zoomIn();
        view.resize(500, 400);
        QVERIFY(!view.isAutoFit());
        view.fitToView();
        QTRY_VERIFY(fits(view));

        // A small graph fits at 100 %, clear of the legend.
        const Loaded seed = load("seed-saga.asl.json");
        view.resize(900, 900);
        view.setGraph(seed.graph, seed.roles);
        QTRY_VERIFY(fits(view));
        QCOMPARE(view.zoom(), 1.0);
        const QWidget *legend = view.viewport()->findChild<QWidget *>(s("sagaGraphLegend"));
        QVERIFY(legend && legend->isVisible());
        for (const Saga::StateNode &n : seed.graph.nodes)
            QVERIFY(!legend->geometry().intersects(
                view.mapFromScene(view.stateItem(n.name)->sceneBoundingRect()).boundingRect()));
    }

    void clicksAndKeys()
    {
        const Loaded l = load("seed-saga.asl.json");
        Ui::SagaGraphView view;
        view.resize(700, 700);
        view.setGraph(l.graph, l.roles);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &Ui::SagaGraphView::stateActivated);

        const QPointF centre = view.stateItem(s("TransformRecords"))->sceneBoundingRect().center();
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(centre));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), s("TransformRecords"));
        QCOMPARE(view.selectedState(), s("TransformRecords"));

        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(2, 2)); // empty canvas
        QCOMPARE(activated.size(), 1);

        QTest::keyClick(&view, Qt::Key_Down);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(view.selectedState(), s("CommitRecords"));
        QTest::keyClick(&view, Qt::Key_Up);
        QCOMPARE(view.selectedState(), s("TransformRecords"));
        QTest::keyClick(&view, Qt::Key_Right); // over to the compensation column
        QCOMPARE(l.roles.role(view.selectedState()), Saga::StateRole::Compensation);
        QTest::keyClick(&view, Qt::Key_Return);
        QCOMPARE(activated.last().at(0).toString(), view.selectedState());

        // selectState() does not emit.
        const qsizetype before = activated.size();
        view.selectState(s("SagaFailed"));
        QCOMPARE(view.selectedState(), s("SagaFailed"));
        view.selectState(s("Nope"));
        QVERIFY(view.selectedState().isEmpty());
        QCOMPARE(activated.size(), before);
    }

    void fiveHundredStates()
    {
        const Saga::StateGraph g = Saga::parseDefinition(generatedDefinition(124));
        QVERIFY2(g.isValid(), qPrintable(g.errors.isEmpty() ? QString() : g.errors.first().message));
        QVERIFY(g.nodes.size() >= 500);
        const Saga::SagaRoles roles = Saga::deriveRoles(g);

        Ui::SagaGraphView view;
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QElapsedTimer t;
        t.start();
        view.setGraph(g, roles);
        const qint64 buildMs = t.elapsed();
        QVERIFY(view.zoom() >= 0.5); // the automatic fit stays legible
        grab(&view, s("generated-500-top.png"));
        t.restart();
        const QPixmap fitted = view.grab();
        const qint64 paintFittedMs = t.elapsed();
        view.actualSize();
        t.restart();
        view.grab();
        const qint64 paint100Ms = t.elapsed();
        QHash<QString, Models::StateVisual> visuals;
        for (const Saga::StateNode &n : g.nodes)
            visuals.insert(n.name, Models::StateVisual::Succeeded);
        t.restart();
        view.setVisuals(visuals, {});
        const qint64 visualsMs = t.elapsed();
        qInfo("%d states, %d edges: setGraph %lld ms, paint fitted %lld ms, paint 100%% %lld ms, setVisuals %lld ms",
            int(g.nodes.size()), int(g.edges.size()), buildMs, paintFittedMs, paint100Ms, visualsMs);
        for (const Saga::StateNode &n : g.nodes)
            QVERIFY2(view.stateItem(n.name), qPrintable(n.name));
        QVERIFY(buildMs < 5000);
        QVERIFY(paintFittedMs < 3000);
        view.fitToView();
        grab(&view, s("generated-500.png"));
    }

    void grabs_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::newRow("light") << s("light");
        QTest::newRow("dark") << s("dark");
    }

    // Screenshots to look at (BRAMBLE_GRAB_DIR); without it, still checks
    // that painting each case works.
    void grabs()
    {
        QFETCH(QString, scheme);
        Ui::applyColorScheme(*qApp, scheme);
        struct Case {
            const char *definition, *history, *file;
        };
        for (const Case &c : { Case { "seed-saga.asl.json", nullptr, "seed" },
                 Case { "seed-saga.asl.json", "seed-fail-commit.history.json", "seed-fail-commit" },
                 Case { "seed-saga.asl.json", "seed-rollback-fails.history.json", "seed-rollback-fails" },
                 Case { "seed-saga.asl.json", "seed-running-compensating.history.json", "seed-running" },
                 Case { "cdk-saga.asl.json", nullptr, "cdk" },
                 Case { "cdk-saga.asl.json", "cdk-rollback-succeeded.history.json", "cdk-rollback" } }) {
            const Loaded l = load(c.definition);
            QWidget window;
            auto *layout = new QHBoxLayout(&window);
            layout->setContentsMargins(0, 0, 0, 0);
            auto *split = new QSplitter(Qt::Vertical);
            layout->addWidget(split);
            auto *view = new Ui::SagaGraphView;
            auto *chart = new Ui::TimelineChart;
            split->addWidget(view);
            split->addWidget(chart);
            split->setSizes({ 560, 240 });
            window.resize(900, 800);
            view->setGraph(l.graph, l.roles);
            if (c.history) {
                const Saga::SagaAnalysis a = analyze(l, c.history);
                view->setVisuals(Models::stateVisuals(l.graph, l.roles, a), Models::danglingStates(a));
                chart->setTimeline(a.timeline, a.stepRoles);
                if (!a.timeline.steps.isEmpty() && a.timeline.steps.last().startedAt.isValid())
                    chart->setNow(a.timeline.steps.last().startedAt.addSecs(2));
                chart->selectStep(1);
            }
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(!window.grab().isNull());
            grab(&window, QString::fromLatin1(c.file) + u'-' + scheme + QStringLiteral(".png"));
            if (!view->isVisible() || view->zoom() < 1.0) { // too big for 100 %: the whole drawing too
                view->fitToView();
                QTRY_VERIFY(fits(*view));
                QTRY_VERIFY(!view->verticalScrollBar()->isVisible() && !view->horizontalScrollBar()->isVisible());
                grab(&window, QString::fromLatin1(c.file) + u'-' + scheme + QStringLiteral("-fit.png"));
            }
        }
    }
};

QTEST_MAIN(TestSagaGraphView)
#include "tst_sagagraphview.moc"
