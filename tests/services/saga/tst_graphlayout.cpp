#include "saga/aslgraph.h"
#include "saga/graphlayout.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Bramble;
using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;

namespace {

QString describe(const QRectF &r)
{
    return QStringLiteral("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

bool overlaps(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    return i.width() > 1e-6 && i.height() > 1e-6;
}

bool near(qreal a, qreal b)
{
    return std::abs(a - b) < 1e-6;
}

bool encloses(const QRectF &outer, const QRectF &inner)
{
    return inner.left() >= outer.left() - 1e-6 && inner.right() <= outer.right() + 1e-6
        && inner.top() >= outer.top() - 1e-6 && inner.bottom() <= outer.bottom() + 1e-6;
}

bool isForward(EdgeKind kind)
{
    return kind == EdgeKind::Next || kind == EdgeKind::Default || kind == EdgeKind::Choice;
}

// The invariants every layout must keep; returns the first violation, or an empty string.
QString checkLayout(const StateGraph &g, const GraphLayout &l)
{
    if (l.nodes.size() != g.nodes.size() || l.edges.size() != g.edges.size() || l.scopes.size() != g.scopes.size())
        return QStringLiteral("sizes differ from the graph");
    const QRectF all(QPointF(0, 0), l.size);
    for (qsizetype i = 0; i < g.nodes.size(); ++i) {
        const NodeLayout &n = l.nodes.at(i);
        const QString name = g.nodes.at(i).name;
        if (n.rect.isEmpty() || n.layer < 0)
            return QString(QStringLiteral("not placed: ") + name);
        if (!encloses(n.box, n.rect) || !encloses(all, n.box))
            return QString(QStringLiteral("rect outside box or drawing: ") + name);
        const int scope = g.nodes.at(i).scope;
        if (!encloses(l.scopes.at(scope), n.box))
            return QString(
                QStringLiteral("container does not enclose ") + name + describe(n.box) + describe(l.scopes.at(scope)));
        for (qsizetype j = i + 1; j < g.nodes.size(); ++j) {
            const NodeLayout &m = l.nodes.at(j);
            if (overlaps(n.rect, m.rect))
                return QString(QStringLiteral("rects overlap: ") + name + describe(n.rect) + u' ' + g.nodes.at(j).name
                    + describe(m.rect));
            if (g.nodes.at(j).scope == scope && overlaps(n.box, m.box))
                return QString(QStringLiteral("boxes overlap: ") + name + u' ' + g.nodes.at(j).name);
        }
    }
    for (qsizetype s = 1; s < g.scopes.size(); ++s) {
        const int owner = g.scopes.at(s).owner;
        if (!encloses(l.nodes.at(owner).box, l.scopes.at(s)) || overlaps(l.nodes.at(owner).rect, l.scopes.at(s)))
            return QStringLiteral("container %1 misplaced in its owner's box").arg(s);
        for (qsizetype t = s + 1; t < g.scopes.size(); ++t)
            if (overlaps(l.scopes.at(s), l.scopes.at(t)) && g.scopes.at(t).owner == owner)
                return QStringLiteral("containers %1 and %2 overlap").arg(s).arg(t);
    }
    for (qsizetype e = 0; e < g.edges.size(); ++e) {
        const StateEdge &edge = g.edges.at(e);
        const EdgeLayout &el = l.edges.at(e);
        const QString what = g.nodes.at(edge.from).name + QStringLiteral(" -> ") + g.nodes.at(edge.to).name;
        if (el.points.size() < 2)
            return QString(QStringLiteral("edge not routed: ") + what);
        const QRectF source = edge.kind == EdgeKind::Branch ? l.nodes.at(edge.from).rect : l.nodes.at(edge.from).box;
        const QRectF target = l.nodes.at(edge.to).rect;
        const QPointF first = el.points.first();
        const QPointF last = el.points.last();
        if (!near(first.y(), source.bottom()) || first.x() < source.left() || first.x() > source.right())
            return QString(QStringLiteral("edge does not start at the bottom of its source: ") + what);
        if (!near(last.y(), target.top()) || last.x() < target.left() || last.x() > target.right())
            return QString(QStringLiteral("edge does not end at the top of its target: ") + what);
        const int fromLayer = l.nodes.at(edge.from).layer;
        const int toLayer = l.nodes.at(edge.to).layer;
        if (edge.kind != EdgeKind::Branch && el.reversed != (toLayer <= fromLayer))
            return QString(QStringLiteral("reversed flag is wrong: ") + what);
        if (!el.reversed) {
            for (qsizetype p = 1; p < el.points.size(); ++p)
                if (el.points.at(p).y() < el.points.at(p - 1).y() - 1e-6)
                    return QString(QStringLiteral("downward edge goes up: ") + what);
        }
    }
    return {};
}

int countReversed(const GraphLayout &l)
{
    return int(std::count_if(l.edges.begin(), l.edges.end(), [](const EdgeLayout &e) { return e.reversed; }));
}

bool sameLayout(const GraphLayout &a, const GraphLayout &b)
{
    if (a.size != b.size || a.scopes != b.scopes || a.nodes.size() != b.nodes.size()
        || a.edges.size() != b.edges.size())
        return false;
    for (qsizetype i = 0; i < a.nodes.size(); ++i)
        if (a.nodes.at(i).rect != b.nodes.at(i).rect || a.nodes.at(i).box != b.nodes.at(i).box
            || a.nodes.at(i).layer != b.nodes.at(i).layer || a.nodes.at(i).column != b.nodes.at(i).column)
            return false;
    for (qsizetype i = 0; i < a.edges.size(); ++i)
        if (a.edges.at(i).points != b.edges.at(i).points || a.edges.at(i).reversed != b.edges.at(i).reversed)
            return false;
    return true;
}

QJsonObject task(const QString &next, const QString &catchTo = {})
{
    QJsonObject s { { QStringLiteral("Type"), QStringLiteral("Task") },
        { QStringLiteral("Resource"), QStringLiteral("arn:aws:states:::lambda:invoke") } };
    if (next.isEmpty())
        s.insert(QStringLiteral("End"), true);
    else
        s.insert(QStringLiteral("Next"), next);
    if (!catchTo.isEmpty())
        s.insert(QStringLiteral("Catch"),
            QJsonArray { QJsonObject { { QStringLiteral("ErrorEquals"), QJsonArray { QStringLiteral("States.ALL") } },
                { QStringLiteral("Next"), catchTo } } });
    return s;
}

// A chain of `steps` tasks, each caught into its undo task (undos chain backwards
// to a Fail state), then a Choice with `width` rules whose targets join again.
StateGraph bigSaga(int steps, int width)
{
    QJsonObject states;
    const auto step = [](int i) { return QStringLiteral("Step%1").arg(i); };
    const auto undo = [](int i) { return QStringLiteral("Undo%1").arg(i); };
    for (int i = 0; i < steps; ++i) {
        states.insert(step(i), task(i + 1 < steps ? step(i + 1) : QStringLiteral("Fan"), undo(i)));
        states.insert(undo(i), task(i > 0 ? undo(i - 1) : QStringLiteral("RolledBack")));
    }
    states.insert(QStringLiteral("RolledBack"),
        QJsonObject {
            { QStringLiteral("Type"), QStringLiteral("Fail") }, { QStringLiteral("Error"), QStringLiteral("X") } });
    QJsonArray choices;
    for (int j = 0; j < width; ++j) {
        const QString option = QStringLiteral("Option%1").arg(j);
        choices.append(QJsonObject { { QStringLiteral("Variable"), QStringLiteral("$.n") },
            { QStringLiteral("NumericEquals"), j }, { QStringLiteral("Next"), option } });
        states.insert(option, task(QStringLiteral("Join")));
    }
    states.insert(QStringLiteral("Fan"),
        QJsonObject { { QStringLiteral("Type"), QStringLiteral("Choice") }, { QStringLiteral("Choices"), choices },
            { QStringLiteral("Default"), QStringLiteral("Join") } });
    states.insert(QStringLiteral("Join"), task({}));
    return parseDefinition(
        QJsonObject { { QStringLiteral("StartAt"), step(0) }, { QStringLiteral("States"), states } });
}

} // namespace

class TestGraphLayout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void seedSaga()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        QVERIFY(g.isValid());
        const GraphLayout l = layoutGraph(g);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(countReversed(l), 0);

        const auto node = [&](const char *name) {
            const int i = g.indexOf(QString::fromLatin1(name));
            if (i < 0)
                qFatal("no state %s", name);
            return l.nodes.at(i);
        };
        const QList<const char *> forward { "StartTransaction", "ProcessRecords", "TransformRecords", "CommitRecords",
            "FinishTransaction", "SagaSucceeded" };
        const QList<const char *> rollback { "CommitRecordsRollback", "TransformRecordsRollback",
            "ProcessRecordsRollback", "SagaFailed" };
        QCOMPARE(node("StartTransaction").layer, 0);
        QCOMPARE(node("ProcessRecords").layer, 1);
        QCOMPARE(node("TransformRecords").layer, 2);
        QCOMPARE(node("CommitRecords").layer, 3);
        const qreal column = node("ProcessRecords").rect.center().x();
        for (const char *f : forward) {
            QCOMPARE(node(f).column, LayoutColumn::Forward);
            QVERIFY2(near(node(f).rect.center().x(), column), f); // one straight column
            for (const char *r : rollback)
                QVERIFY2(node(r).rect.left() > node(f).rect.right(), r);
        }
        for (const char *r : rollback)
            QCOMPARE(node(r).column, LayoutColumn::Compensation);
        // The rollback chain starts below the step that catches into it and reads downwards.
        QVERIFY(node("CommitRecordsRollback").layer > node("CommitRecords").layer);
        QVERIFY(node("TransformRecordsRollback").layer > node("CommitRecordsRollback").layer);
        QVERIFY(node("ProcessRecordsRollback").layer > node("TransformRecordsRollback").layer);
        QVERIFY(node("SagaFailed").rect.top() > node("ProcessRecordsRollback").rect.bottom());
    }

    void cdkSagaContainers()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json")));
        QVERIFY(g.isValid());
        QVERIFY(g.scopes.size() > 1);
        const GraphLayout l = layoutGraph(g);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(countReversed(l), 0);
        for (qsizetype s = 1; s < g.scopes.size(); ++s) {
            const QRectF container = l.scopes.at(s);
            QVERIFY(!container.isEmpty());
            const NodeLayout &owner = l.nodes.at(g.scopes.at(s).owner);
            QVERIFY(container.top() > owner.rect.bottom()); // below the Parallel state's own rectangle
            QVERIFY(owner.box.height() > owner.rect.height());
        }
        const NodeLayout &group = l.nodes.at(g.indexOf(QStringLiteral("ProcessRecordsGroup")));
        const NodeLayout &inner = l.nodes.at(g.indexOf(QStringLiteral("ProcessRecordsTask")));
        QVERIFY(encloses(group.box, inner.rect));
        QCOMPARE(inner.layer, 0);
        const NodeLayout &transform = l.nodes.at(g.indexOf(QStringLiteral("TransformRecordsGroup")));
        QVERIFY(transform.box.top() > group.box.bottom()); // a block is one node of the parent layering
        for (qsizetype i = 0; i < g.nodes.size(); ++i) {
            if (g.nodes.at(i).name.contains(QStringLiteral("Rollback")) && g.nodes.at(i).scope == 0) {
                QCOMPARE(l.nodes.at(i).column, LayoutColumn::Compensation);
                QVERIFY(l.nodes.at(i).box.left() > transform.box.right());
            }
        }
    }

    void retryLoopIsABackEdge()
    {
        const StateGraph g = parseDefinition(q("{'StartAt': 'Work', 'States': {"
                                               " 'Work': {'Type': 'Task', 'Resource': 'arn:r', 'Next': 'Check'},"
                                               " 'Check': {'Type': 'Choice', 'Choices': [{'Variable': '$.again',"
                                               "   'BooleanEquals': true, 'Next': 'Wait'}], 'Default': 'Done'},"
                                               " 'Wait': {'Type': 'Wait', 'Seconds': 1, 'Next': 'Work'},"
                                               " 'Done': {'Type': 'Succeed'}}}"));
        QVERIFY(g.isValid());
        const GraphLayout l = layoutGraph(g);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(countReversed(l), 1);
        for (qsizetype e = 0; e < g.edges.size(); ++e) {
            const StateEdge &edge = g.edges.at(e);
            const bool loop = g.nodes.at(edge.from).name == QStringLiteral("Wait");
            QCOMPARE(l.edges.at(e).reversed, loop);
            if (!loop && isForward(edge.kind))
                QVERIFY(l.nodes.at(edge.to).layer > l.nodes.at(edge.from).layer);
        }
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("Work"))).layer, 0);
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("Check"))).layer, 1);
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("Done"))).layer, 2);
        // The loop goes around the side: a bend left of every state.
        const EdgeLayout *loop = nullptr;
        for (const EdgeLayout &e : l.edges)
            if (e.reversed)
                loop = &e;
        qreal minLeft = l.size.width();
        for (const NodeLayout &n : l.nodes)
            minLeft = std::min(minLeft, n.rect.left());
        QVERIFY(loop->points.size() > 2);
        QVERIFY(loop->points.at(2).x() < minLeft);
    }

    void longEdgesBendThroughDummies()
    {
        // Skip jumps over two layers: its edge bends once per crossed layer.
        const StateGraph g = parseDefinition(q("{'StartAt': 'C', 'States': {"
                                               " 'C': {'Type': 'Choice', 'Choices': [{'Variable': '$.x',"
                                               "   'BooleanEquals': true, 'Next': 'A'}], 'Default': 'D'},"
                                               " 'A': {'Type': 'Pass', 'Next': 'B'},"
                                               " 'B': {'Type': 'Pass', 'Next': 'D'},"
                                               " 'D': {'Type': 'Succeed'}}}"));
        QVERIFY(g.isValid());
        const GraphLayout l = layoutGraph(g);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("D"))).layer, 3);
        for (qsizetype e = 0; e < g.edges.size(); ++e) {
            if (g.edges.at(e).kind != EdgeKind::Default)
                continue;
            const QList<QPointF> &p = l.edges.at(e).points;
            QCOMPARE(p.size(), 2 + 2 * 2);
            // The bends avoid the states of the layers they cross.
            for (const char *name : { "A", "B" }) {
                const QRectF r = l.nodes.at(g.indexOf(QString::fromLatin1(name))).rect;
                for (const QPointF &pt : p)
                    QVERIFY(!r.contains(pt));
            }
        }
    }

    void bigGraph()
    {
        const StateGraph g = bigSaga(150, 200);
        QVERIFY(g.isValid());
        QVERIFY(g.nodes.size() >= 500);
        QElapsedTimer timer;
        timer.start();
        const GraphLayout l = layoutGraph(g);
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        qInfo("layout of %d states, %d edges: %.2f ms", int(g.nodes.size()), int(g.edges.size()), ms);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(countReversed(l), 0);
        qreal forwardRight = 0;
        qreal undoLeft = l.size.width();
        for (qsizetype i = 0; i < g.nodes.size(); ++i) {
            const QString &name = g.nodes.at(i).name;
            if (name.startsWith(QStringLiteral("Undo")) || name == QStringLiteral("RolledBack")) {
                QCOMPARE(l.nodes.at(i).column, LayoutColumn::Compensation);
                undoLeft = std::min(undoLeft, l.nodes.at(i).rect.left());
            } else {
                QCOMPARE(l.nodes.at(i).column, LayoutColumn::Forward);
                forwardRight = std::max(forwardRight, l.nodes.at(i).rect.right());
            }
        }
        QVERIFY(undoLeft > forwardRight);
        // The 200 options share one layer, and the Choice sits over their middle (give or
        // take the pull of its Default edge's dummy node at the end of that layer).
        const NodeLayout &fan = l.nodes.at(g.indexOf(QStringLiteral("Fan")));
        qreal left = l.size.width();
        qreal right = 0;
        for (int j = 0; j < 200; ++j) {
            const NodeLayout &o = l.nodes.at(g.indexOf(QStringLiteral("Option%1").arg(j)));
            QCOMPARE(o.layer, fan.layer + 1);
            left = std::min(left, o.rect.left());
            right = std::max(right, o.rect.right());
        }
        QVERIFY2(std::abs(fan.rect.center().x() - (left + right) / 2) < LayoutOptions().nodeWidth,
            qPrintable(QStringLiteral("%1 vs %2..%3").arg(fan.rect.center().x()).arg(left).arg(right)));
        QVERIFY(sameLayout(l, layoutGraph(g)));
    }

    void checkerCatchesBrokenLayouts()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const GraphLayout good = layoutGraph(g);
        QVERIFY(checkLayout(g, good).isEmpty());
        const int a = g.indexOf(QStringLiteral("ProcessRecords"));
        const int b = g.indexOf(QStringLiteral("TransformRecords"));

        GraphLayout overlapping = good;
        overlapping.nodes[b].rect.moveTopLeft(good.nodes.at(a).rect.topLeft() + QPointF(5, 5));
        overlapping.nodes[b].box = overlapping.nodes.at(b).rect;
        QVERIFY(!checkLayout(g, overlapping).isEmpty());

        GraphLayout detached = good;
        detached.edges[0].points.last() += QPointF(0, 3);
        QVERIFY(!checkLayout(g, detached).isEmpty());

        GraphLayout upwards = good;
        for (qsizetype e = 0; e < g.edges.size(); ++e)
            if (g.edges.at(e).from == a && g.edges.at(e).to == b)
                upwards.nodes[b].layer = upwards.nodes.at(a).layer;
        QVERIFY(!checkLayout(g, upwards).isEmpty());
    }

    void deterministic()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json")));
        QVERIFY(sameLayout(layoutGraph(g), layoutGraph(g)));
        const StateGraph seed = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        QVERIFY(sameLayout(layoutGraph(seed), layoutGraph(seed)));
        QVERIFY(!sameLayout(layoutGraph(seed), layoutGraph(g)));
    }

    void emptyAndSingle()
    {
        const GraphLayout empty = layoutGraph(StateGraph());
        QVERIFY(empty.isEmpty());
        QVERIFY(empty.edges.isEmpty());
        QCOMPARE(empty.size, QSizeF(0, 0));

        const StateGraph broken = parseDefinition(QByteArray("not json"));
        const GraphLayout none = layoutGraph(broken);
        QCOMPARE(none.nodes.size(), broken.nodes.size());

        const StateGraph one = parseDefinition(q("{'StartAt': 'Only', 'States': {'Only': {'Type': 'Succeed'}}}"));
        QVERIFY(one.isValid());
        LayoutOptions options;
        const GraphLayout l = layoutGraph(one, options);
        QCOMPARE(l.nodes.size(), 1);
        QCOMPARE(l.nodes.first().rect, QRectF(options.margin, options.margin, options.nodeWidth, options.nodeHeight));
        QCOMPARE(l.nodes.first().box, l.nodes.first().rect);
        QCOMPARE(l.nodes.first().layer, 0);
        QCOMPARE(l.size, QSizeF(options.nodeWidth + 2 * options.margin, options.nodeHeight + 2 * options.margin));
        QCOMPARE(l.scopes.first(), l.nodes.first().rect);
    }

    void widthFromNames()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        LayoutOptions options;
        options.averageCharWidth = 7;
        options.minNodeWidth = 100;
        const GraphLayout l = layoutGraph(g, options);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString name = QStringLiteral("TransformRecordsRollback");
        QCOMPARE(l.nodes.at(g.indexOf(name)).rect.width(), name.size() * 7 + 2 * options.textPadding);
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("SagaFailed"))).rect.width(), options.minNodeWidth);
    }

    void unreachableAndCaughtLoops()
    {
        // Invalid but drawable: an unreachable state, a rollback that loops back to
        // the forward path, and a compensation loop.
        const StateGraph g = parseDefinition(q("{'StartAt': 'A', 'States': {"
                                               " 'A': {'Type': 'Task', 'Resource': 'arn:r', 'Next': 'B',"
                                               "   'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Fix'}]},"
                                               " 'B': {'Type': 'Succeed'},"
                                               " 'Fix': {'Type': 'Task', 'Resource': 'arn:r', 'Next': 'A',"
                                               "   'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Fix2'}]},"
                                               " 'Fix2': {'Type': 'Task', 'Resource': 'arn:r', 'Next': 'Fix'},"
                                               " 'Lost': {'Type': 'Pass', 'Next': 'B'}}}"));
        QVERIFY(!g.nodes.isEmpty());
        const GraphLayout l = layoutGraph(g);
        const QString problem = checkLayout(g, l);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("Lost"))).column, LayoutColumn::Compensation);
        QCOMPARE(l.nodes.at(g.indexOf(QStringLiteral("Fix"))).column, LayoutColumn::Compensation);
        QCOMPARE(countReversed(l), 2); // Fix -> A, Fix2 -> Fix (Lost -> B goes down)
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
