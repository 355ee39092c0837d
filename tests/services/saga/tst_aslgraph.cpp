#include "saga/aslgraph.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;

namespace {

int countEdges(const StateGraph &g, EdgeKind kind)
{
    return int(std::count_if(g.edges.begin(), g.edges.end(), [kind](const StateEdge &e) { return e.kind == kind; }));
}

const StateEdge *findEdge(const StateGraph &g, const QString &from, const QString &to, EdgeKind kind)
{
    for (const StateEdge &e : g.edges)
        if (e.kind == kind && g.nodes.at(e.from).name == from && g.nodes.at(e.to).name == to)
            return &e;
    return nullptr;
}

QString allErrors(const StateGraph &g)
{
    QStringList l;
    for (const Core::Error &e : g.errors)
        l.append(e.toString());
    return l.join(u'\n');
}

// Replaces a random value somewhere in the tree with a value of another type.
QJsonValue mutate(const QJsonValue &v, QRandomGenerator &rng, int depth = 0)
{
    static const QJsonValue junk[] = { QJsonValue(), QJsonValue(true), QJsonValue(-1), QJsonValue(1e300),
        QJsonValue(QStringLiteral("Nope")), QJsonValue(QJsonArray()), QJsonValue(QJsonObject()) };
    if (rng.bounded(6) == 0 || depth > 12 || !(v.isObject() || v.isArray()))
        return junk[rng.bounded(int(std::size(junk)))];
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        if (o.isEmpty())
            return o;
        const QString key = o.keys().at(rng.bounded(int(o.size())));
        if (rng.bounded(8) == 0)
            o.remove(key);
        else
            o.insert(key, mutate(o.value(key), rng, depth + 1));
        return o;
    }
    QJsonArray a = v.toArray();
    if (a.isEmpty())
        return a;
    const int i = rng.bounded(int(a.size()));
    a.replace(i, mutate(a.at(i), rng, depth + 1));
    return a;
}

} // namespace

class TestAslGraph : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameStates()
    {
        const QByteArray seed = fixture(QStringLiteral("seed-saga.asl.json"));
        QVERIFY(Saga::sameStates(parseDefinition(seed), parseDefinition(seed)));
        QVERIFY(
            !Saga::sameStates(parseDefinition(seed), parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json")))));
        // One Next moved: same states, another transition.
        const QByteArray a = q("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'B'},'B':{'Type':'Pass','Next':'C'},"
                               "'C':{'Type':'Succeed'}}}");
        const QByteArray b = q("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'C'},'B':{'Type':'Pass','Next':'C'},"
                               "'C':{'Type':'Succeed'}}}");
        QVERIFY(!Saga::sameStates(parseDefinition(a), parseDefinition(b)));
    }

    void seedSaga()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        QVERIFY2(g.isValid(), qPrintable(allErrors(g)));
        QVERIFY(g.warnings.isEmpty());
        QCOMPARE(g.nodes.size(), 10);
        QCOMPARE(g.scopes.size(), 1);
        QCOMPARE(g.nodes.at(g.start()).name, QStringLiteral("StartTransaction"));
        QCOMPARE(countEdges(g, EdgeKind::Catch), 3);
        QCOMPARE(countEdges(g, EdgeKind::Next), 8);
        QCOMPARE(countEdges(g, EdgeKind::Branch), 0);

        const StateEdge *c
            = findEdge(g, QStringLiteral("CommitRecords"), QStringLiteral("CommitRecordsRollback"), EdgeKind::Catch);
        QVERIFY(c);
        QCOMPARE(c->pointer, QStringLiteral("/States/CommitRecords/Catch/0/Next"));
        QCOMPARE(c->label, QStringLiteral("States.ALL"));
        QVERIFY(findEdge(
            g, QStringLiteral("TransformRecordsRollback"), QStringLiteral("ProcessRecordsRollback"), EdgeKind::Next));

        const StateNode &commit = g.nodes.at(g.indexOf(QStringLiteral("CommitRecords")));
        QCOMPARE(commit.type, StateType::Task);
        QCOMPARE(commit.pointer, QStringLiteral("/States/CommitRecords"));
        QCOMPARE(commit.resource, QStringLiteral("arn:aws:states:::lambda:invoke"));
        QCOMPARE(commit.retriers.size(), 1);
        QCOMPARE(commit.retriers.first().maxAttempts, 2);
        QCOMPARE(commit.catchers.first().resultPath, QStringLiteral("$.error"));
        const StateNode &fail = g.nodes.at(g.indexOf(QStringLiteral("SagaFailed")));
        QVERIFY(fail.isTerminal());
        QCOMPARE(fail.error, QStringLiteral("SagaRolledBack"));
    }

    void cdkParallelWrappers()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("cdk-saga.asl.json")));
        QVERIFY2(g.isValid(), qPrintable(allErrors(g)));
        QCOMPARE(g.nodes.size(), 13);
        QCOMPARE(g.scopes.size(), 7);
        QCOMPARE(countEdges(g, EdgeKind::Branch), 6);
        const int group = g.indexOf(QStringLiteral("TransformRecordsGroup"));
        const int task = g.indexOf(QStringLiteral("TransformRecordsTask"));
        QCOMPARE(g.nodes.at(task).parent, group);
        QCOMPARE(g.nodes.at(group).scopes.size(), 1);
        QCOMPARE(g.nodes.at(task).pointer,
            QStringLiteral("/States/TransformRecordsGroup/Branches/0/States/TransformRecordsTask"));
        const StateEdge *b = findEdge(
            g, QStringLiteral("TransformRecordsGroup"), QStringLiteral("TransformRecordsTask"), EdgeKind::Branch);
        QVERIFY(b);
        QCOMPARE(b->pointer, QStringLiteral("/States/TransformRecordsGroup/Branches/0"));
    }

    void choiceMapAndWait()
    {
        const StateGraph g = parseDefinition(
            q("{'StartAt':'Pick','States':{"
              "'Pick':{'Type':'Choice','Choices':[{'Variable':'$.n','NumericGreaterThan':1,'Next':'Each'},"
              "  {'And':[{'Variable':'$.a','IsPresent':true}],'Next':'Pause'}],'Default':'Done'},"
              "'Each':{'Type':'Map','ItemsPath':'$.items','ItemProcessor':{'ProcessorConfig':{'Mode':'INLINE'},"
              "  'StartAt':'One','States':{'One':{'Type':'Pass','End':true}}},'Next':'Legacy'},"
              "'Legacy':{'Type':'Map','Iterator':{'StartAt':'Two','States':{'Two':{'Type':'Succeed'}}},'End':true},"
              "'Pause':{'Type':'Wait','Seconds':3,'Next':'Done'},"
              "'Done':{'Type':'Succeed'}}}"));
        QVERIFY2(g.isValid(), qPrintable(allErrors(g)));
        QCOMPARE(countEdges(g, EdgeKind::Choice), 2);
        QCOMPARE(countEdges(g, EdgeKind::Default), 1);
        QCOMPARE(countEdges(g, EdgeKind::Branch), 2);
        const StateEdge *rule = findEdge(g, QStringLiteral("Pick"), QStringLiteral("Pause"), EdgeKind::Choice);
        QVERIFY(rule);
        QCOMPARE(rule->pointer, QStringLiteral("/States/Pick/Choices/1/Next"));
        QCOMPARE(findEdge(g, QStringLiteral("Pick"), QStringLiteral("Done"), EdgeKind::Default)->pointer,
            QStringLiteral("/States/Pick/Default"));
        QCOMPARE(g.nodes.at(g.indexOf(QStringLiteral("One"))).pointer,
            QStringLiteral("/States/Each/ItemProcessor/States/One"));
        QCOMPARE(
            g.nodes.at(g.indexOf(QStringLiteral("Two"))).pointer, QStringLiteral("/States/Legacy/Iterator/States/Two"));
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("message");

        QTest::newRow("no StartAt") << q("{'States':{'A':{'Type':'Pass','End':true}}}") << "/StartAt"
                                    << "StartAt is missing";
        QTest::newRow("StartAt missing state")
            << q("{'StartAt':'X','States':{'A':{'Type':'Pass','End':true}}}") << "/StartAt"
            << "missing state \"X\"";
        QTest::newRow("no States") << q("{'StartAt':'A'}") << "/States"
                                   << "States is missing";
        QTest::newRow("States not object") << q("{'StartAt':'A','States':[]}") << "/States"
                                           << "must be an object";
        QTest::newRow("state not object") << q("{'StartAt':'A','States':{'A':3}}") << "/States/A"
                                          << "must be an object";
        QTest::newRow("Next to missing") << q("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'B'}}}")
                                         << "/States/A/Next"
                                         << "missing state \"B\"";
        QTest::newRow("unreachable") << q(
            "{'StartAt':'A','States':{'A':{'Type':'Pass','End':true},'B':{'Type':'Pass','End':true}}}")
                                     << "/States/B"
                                     << "unreachable";
        QTest::newRow("unknown type") << q("{'StartAt':'A','States':{'A':{'Type':'Lambda','End':true}}}")
                                      << "/States/A/Type"
                                      << "unknown state type";
        QTest::newRow("no type") << q("{'StartAt':'A','States':{'A':{'End':true}}}") << "/States/A/Type"
                                 << "Type is missing";
        QTest::newRow("no Next or End") << q("{'StartAt':'A','States':{'A':{'Type':'Pass'}}}") << "/States/A"
                                        << "needs Next or";
        QTest::newRow("Next and End") << q("{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'A','End':true}}}")
                                      << "/States/A"
                                      << "both Next and End";
        QTest::newRow("Task without Resource")
            << q("{'StartAt':'A','States':{'A':{'Type':'Task','End':true}}}") << "/States/A/Resource"
            << "Resource";
        QTest::newRow("Choice without rules")
            << q("{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[],'Default':'D'},'D':{'Type':'Succeed'}}}")
            << "/States/C/Choices"
            << "non-empty Choices";
        QTest::newRow("rule without Next")
            << q("{'StartAt':'C','States':{'C':{'Type':'Choice','Choices':[{'Variable':'$.a','IsNull':true}]}}}")
            << "/States/C/Choices/0/Next"
            << "needs Next";
        QTest::newRow("Wait without time")
            << q("{'StartAt':'W','States':{'W':{'Type':'Wait','End':true}}}") << "/States/W"
            << "exactly one of";
        QTest::newRow("Catch on Pass") << q("{'StartAt':'A','States':{'A':{'Type':'Pass','End':true,'Catch':[]}}}")
                                       << "/States/A/Catch"
                                       << "cannot have Catch";
        QTest::newRow("Catch without ErrorEquals") << q("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','"
                                                        "End':true,'Catch':[{'Next':'B'}]},'B':{'Type':'Succeed'}}}")
                                                   << "/States/A/Catch/0/ErrorEquals"
                                                   << "ErrorEquals";
        QTest::newRow("Catch without Next") << q(
            "{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,'Catch':[{'ErrorEquals':['X']}]}}}")
                                            << "/States/A/Catch/0/Next"
                                            << "needs Next";
        QTest::newRow("States.ALL not last") << q("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':"
                                                  "true,'Catch':[{'ErrorEquals':['States.ALL'],'Next':'B'},"
                                                  "{'ErrorEquals':['X'],'Next':'B'}]},'B':{'Type':'Succeed'}}}")
                                             << "/States/A/Catch/0/ErrorEquals"
                                             << "States.ALL";
        QTest::newRow("MaxAttempts < 0") << q("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,'"
                                              "Retry':[{'ErrorEquals':['X'],'MaxAttempts':-1}]}}}")
                                         << "/States/A/Retry/0/MaxAttempts"
                                         << "MaxAttempts";
        QTest::newRow("BackoffRate < 1") << q("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':true,'"
                                              "Retry':[{'ErrorEquals':['X'],'BackoffRate':0.5}]}}}")
                                         << "/States/A/Retry/0/BackoffRate"
                                         << "BackoffRate";
        QTest::newRow("IntervalSeconds < 1") << q("{'StartAt':'A','States':{'A':{'Type':'Task','Resource':'r','End':"
                                                  "true,'Retry':[{'ErrorEquals':['X'],'IntervalSeconds':0}]}}}")
                                             << "/States/A/Retry/0/IntervalSeconds"
                                             << "IntervalSeconds";
        QTest::newRow("duplicate across scopes") << q(
            "{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':[{'StartAt':'P','States':{'P':{"
            "'Type':'Succeed'}}}]}}}") << "/States/P/Branches/0/States/P"
                                                 << "duplicate state name";
        QTest::newRow("leaves its branch") << q("{'StartAt':'P','States':{'P':{'Type':'Parallel','Next':'Z','Branches':"
                                                "[{'StartAt':'X','States':{'X':{'Type':'Pass','Next':'Z'}}}]},"
                                                "'Z':{'Type':'Succeed'}}}")
                                           << "/States/P/Branches/0/States/X/Next"
                                           << "another scope";
        QTest::newRow("Parallel without branches")
            << q("{'StartAt':'P','States':{'P':{'Type':'Parallel','End':true,'Branches':[]}}}") << "/States/P/Branches"
            << "Branches";
        QTest::newRow("Map without processor")
            << q("{'StartAt':'M','States':{'M':{'Type':'Map','End':true}}}") << "/States/M/ItemProcessor"
            << "ItemProcessor";
        QTest::newRow("escaped pointer") << q("{'StartAt':'a/b~c','States':{'a/b~c':{'Type':'Pass','Next':'nowhere'}}}")
                                         << "/States/a~1b~0c/Next"
                                         << "missing state";
        QTest::newRow("name too long") << QByteArray("{\"StartAt\":\"" + QByteArray(81, 'x') + "\",\"States\":{\""
            + QByteArray(81, 'x') + "\":{\"Type\":\"Succeed\"}}}")
                                       << QString(QStringLiteral("/States/") + QString(81, u'x'))
                                       << "1 to 80 characters";
        QTest::newRow("not an object") << q("[1,2]") << "/"
                                       << "must be a JSON object";
    }

    void invalid()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, pointer);
        QFETCH(QString, message);
        const StateGraph g = parseDefinition(json);
        QVERIFY(!g.isValid());
        bool found = false;
        for (const Core::Error &e : g.errors)
            found = found || (e.where.key == pointer && e.message.contains(message));
        QVERIFY2(found, qPrintable(QStringLiteral("wanted %1: %2; got:\n%3").arg(pointer, message, allErrors(g))));
    }

    void malformedJsonNamesLineAndColumn()
    {
        const StateGraph g = parseDefinition(
            QByteArray("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}"), QStringLiteral("saga.json"));
        QCOMPARE(g.errors.size(), 1);
        QCOMPARE(g.errors.first().where.file, QStringLiteral("saga.json"));
        QCOMPARE(g.errors.first().where.line, 3);
        QVERIFY(g.errors.first().where.column > 1);
        QVERIFY(g.nodes.isEmpty());
    }

    void tooLarge()
    {
        const StateGraph g = parseDefinition(QByteArray(1048577, ' '));
        QCOMPARE(g.errors.size(), 1);
        QVERIFY(g.errors.first().message.contains(QStringLiteral("limit")));
    }

    void deepNestingIsBounded()
    {
        // 200 Parallel states nested in one another: bounded, an error, no stack overflow.
        QJsonObject inner { { QStringLiteral("StartAt"), QStringLiteral("Leaf") },
            { QStringLiteral("States"),
                QJsonObject { { QStringLiteral("Leaf"),
                    QJsonObject { { QStringLiteral("Type"), QStringLiteral("Succeed") } } } } } };
        for (int i = 0; i < 200; ++i) {
            const QString name = QStringLiteral("P%1").arg(i);
            QJsonObject state { { QStringLiteral("Type"), QStringLiteral("Parallel") }, { QStringLiteral("End"), true },
                { QStringLiteral("Branches"), QJsonArray { inner } } };
            inner = QJsonObject { { QStringLiteral("StartAt"), name },
                { QStringLiteral("States"), QJsonObject { { name, state } } } };
        }
        const StateGraph g = parseDefinition(inner);
        QVERIFY(!g.isValid());
        QVERIFY(std::any_of(g.errors.begin(), g.errors.end(),
            [](const Core::Error &e) { return e.message.contains(QStringLiteral("nested deeper")); }));
    }

    void hostileDefinitionsNeverCrash()
    {
        QRandomGenerator rng(20261123);
        const QByteArray seeds[]
            = { fixture(QStringLiteral("seed-saga.asl.json")), fixture(QStringLiteral("cdk-saga.asl.json")) };
        int invalid = 0;
        for (const QByteArray &seed : seeds) {
            const QJsonObject root = QJsonDocument::fromJson(seed).object();
            for (int i = 0; i < 1500; ++i) {
                QJsonValue v = root;
                for (int k = 0, n = 1 + rng.bounded(4); k < n; ++k)
                    v = mutate(v, rng);
                const StateGraph g = v.isObject() ? parseDefinition(v.toObject())
                                                  : parseDefinition(QJsonDocument(QJsonArray { v }).toJson());
                invalid += g.isValid() ? 0 : 1;
                for (const StateEdge &e : g.edges)
                    QVERIFY(e.from >= 0 && e.from < g.nodes.size() && e.to >= 0 && e.to < g.nodes.size());
            }
            // Byte-level damage: truncation and flipped bytes.
            for (int i = 0; i < 500; ++i) {
                QByteArray b = seed.left(rng.bounded(int(seed.size()) + 1));
                for (int k = 0; k < 3 && !b.isEmpty(); ++k)
                    b[rng.bounded(int(b.size()))] = char(rng.bounded(256));
                (void)parseDefinition(b);
            }
        }
        QVERIFY(invalid > 0);
    }
};

QTEST_GUILESS_MAIN(TestAslGraph)
#include "tst_aslgraph.moc"
