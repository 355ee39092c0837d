// The per-state-machine settings of the Sagas pane and what they feed:
// JSONPath keys, the transaction record's location (from the definition or
// the user), role overrides in the saga derivation, and their storage.
#include "saga/jsonpath.h"
#include "saga/sagaanalysis.h"
#include "saga/sagasettings.h"
#include "saga/transactionrecord.h"
#include "sagatest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble::Saga;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray resource(const QString &name)
{
    QFile f(Bramble::Test::sourceDir() + QStringLiteral("/resources/sagas/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing %s", qPrintable(name));
    return f.readAll();
}

} // namespace

class TestSagaSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jsonPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected"); // compact JSON of the value, "" for none
        QTest::newRow("root") << QStringLiteral("$") << QStringLiteral("{\"a\":{\"b c\":[1,{\"d\":\"x\"}]},\"n\":2}");
        QTest::newRow("member") << QStringLiteral("$.n") << QStringLiteral("2");
        QTest::newRow("quoted") << QStringLiteral("$.a['b c'][1].d") << QStringLiteral("\"x\"");
        QTest::newRow("double quoted") << QStringLiteral("$[\"a\"][\"b c\"][0]") << QStringLiteral("1");
        QTest::newRow("missing member") << QStringLiteral("$.a.z") << QString();
        QTest::newRow("index out of range") << QStringLiteral("$.a['b c'][7]") << QString();
        QTest::newRow("index on object") << QStringLiteral("$.a[0]") << QString();
        QTest::newRow("no dollar") << QStringLiteral("a.b") << QString();
        QTest::newRow("empty member") << QStringLiteral("$..a") << QString();
        QTest::newRow("wildcard") << QStringLiteral("$.a.*") << QString();
        QTest::newRow("bad index") << QStringLiteral("$.a[-1]") << QString();
        QTest::newRow("unclosed quote") << QStringLiteral("$['a") << QString();
        QTest::newRow("spaces trimmed") << QStringLiteral("  $.n  ") << QStringLiteral("2");
        QTest::newRow("no dollar") << QStringLiteral("a['b c']") << QString();
        QTest::newRow("junk after dollar") << QStringLiteral("$a") << QString();
        QTest::newRow("trailing dot") << QStringLiteral("$.a.") << QString();
        QTest::newRow("empty index") << QStringLiteral("$.a['b c'][]") << QString();
        QTest::newRow("unclosed index") << QStringLiteral("$.a['b c'][0") << QString();
        QTest::newRow("index not a number") << QStringLiteral("$.a['b c'][x]") << QString();
        QTest::newRow("key on array") << QStringLiteral("$.a['b c'].d") << QString();
        QTest::newRow("key on scalar") << QStringLiteral("$.n.d") << QString();
        QTest::newRow("empty path") << QString() << QString();
    }

    void jsonPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const QJsonObject doc = object(q("{'a': {'b c': [1, {'d': 'x'}]}, 'n': 2}"));
        QString error;
        const QJsonValue v = jsonPathValue(doc, path, &error);
        if (expected.isEmpty()) {
            QVERIFY(v.isUndefined());
            QVERIFY(!error.isEmpty());
            return;
        }
        QVERIFY2(!v.isUndefined(), qPrintable(error));
        const QByteArray text = v.isObject()
            ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
            : QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact).mid(1).chopped(1);
        QCOMPARE(QString::fromUtf8(text), expected);
    }

    void jsonPathErrorsSayWhere()
    {
        QString error;
        QVERIFY(!isValidJsonPath(QStringLiteral("$.a b"), &error));
        QVERIFY2(error.contains(QStringLiteral("character 3")), qPrintable(error));
        jsonPathValue(object(q("{'a': {}}")), QStringLiteral("$.a.b"), &error);
        QCOMPARE(error, QStringLiteral("$.a has no member \"b\""));
    }

    void recordSourceFromDynamoDbTasks()
    {
        const RecordSource s = recordSourceFromDefinition(object(resource(QStringLiteral("seed-saga.moto.asl.json"))));
        QCOMPARE(s.table, QStringLiteral("SagaTransactions"));
        QCOMPARE(s.keyAttribute, QStringLiteral("TransactionId"));
        QCOMPARE(s.keyPath, QStringLiteral("$.Payload.TransactionDetails.TransactionId"));
        QCOMPARE(s.origin, QStringLiteral("definition (ProcessRecords)"));
        QVERIFY(s.isComplete());
    }

    void recordSourceInsideParallelAndJsonata()
    {
        const RecordSource s = recordSourceFromDefinition(object(
            q("{'StartAt': 'W', 'States': {'W': {'Type': 'Parallel', 'End': true, 'Branches': [{'StartAt': 'T', "
              "'States': {'T': {'Type': 'Task', 'Resource': 'arn:aws:states:::dynamodb:putItem', 'End': true, "
              "'Arguments': {'TableName': 'Orders', 'Key': {'OrderId': {'S': '{% $states.input.id %}'}}}}}}]}}}")));
        QCOMPARE(s.table, QStringLiteral("Orders"));
        QCOMPARE(s.keyAttribute, QStringLiteral("OrderId"));
        QCOMPARE(s.keyPath, RecordSource::defaultKeyPath()); // a JSONata key: the default path stays
    }

    void lambdaSagaHasNoRecordSource()
    {
        const RecordSource s = recordSourceFromDefinition(object(resource(QStringLiteral("seed-saga.asl.json"))));
        QVERIFY(!s.isComplete());
        QVERIFY(s.table.isEmpty());
        QCOMPARE(recordKeyFor(s, QStringLiteral("{}")).error,
            QStringLiteral("no record table is set for this state machine"));
    }

    void recordKey()
    {
        RecordSource s;
        s.table = QStringLiteral("SagaTransactions");
        s.keyAttribute = QStringLiteral("TransactionId");
        const RecordKey k
            = recordKeyFor(s, QString::fromUtf8(q("{'Payload': {'TransactionDetails': {'TransactionId': '2'}}}")));
        QVERIFY2(k.isValid(), qPrintable(k.error));
        QCOMPARE(k.key, object(q("{'TransactionId': '2'}")));
        QVERIFY(recordKeyFor(s, QStringLiteral("{nope"))
                    .error.startsWith(QStringLiteral("the execution input is not JSON")));
        QCOMPARE(recordKeyFor(s, QStringLiteral("{\"Payload\": {}}")).error,
            QStringLiteral("the input has no record key: $.Payload has no member \"TransactionDetails\""));
        QVERIFY(recordKeyFor(s, QString::fromUtf8(q("{'Payload': {'TransactionDetails': {'TransactionId': {}}}}")))
                    .error.contains(QStringLiteral("not a string or a number")));
    }

    void leftoversAreNamedAfterSteps()
    {
        const QJsonObject item = object(
            q("{'TransactionId': '2', 'ProcessRecords': 'Sample', 'transformrecordsSample': 'x', 'Other': 1}"));
        QStringList left = attributesOfSteps(item,
            { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords"), QStringLiteral("CommitRecords") });
        left.sort();
        QCOMPARE(left, (QStringList { QStringLiteral("ProcessRecords"), QStringLiteral("transformrecordsSample") }));
    }

    void settingsOverrideTheDefinition()
    {
        RecordSource fromDefinition;
        fromDefinition.table = QStringLiteral("A");
        fromDefinition.keyAttribute = QStringLiteral("Id");
        fromDefinition.origin = QStringLiteral("definition (T)");
        MachineSettings s;
        QCOMPARE(effectiveRecordSource(fromDefinition, s).origin, QStringLiteral("definition (T)"));
        s.recordTable = QStringLiteral("B");
        const RecordSource e = effectiveRecordSource(fromDefinition, s);
        QCOMPARE(e.table, QStringLiteral("B"));
        QCOMPARE(e.keyAttribute, QStringLiteral("Id"));
        QCOMPARE(e.keyPath, RecordSource::defaultKeyPath());
        QCOMPARE(e.origin, QStringLiteral("settings"));
    }

    void settingsAreStoredPerMachine()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("s.ini"));
        const QString arnA = QStringLiteral("arn:aws:states:eu-west-1:123456789012:stateMachine:seed/saga");
        const QString arnB = QStringLiteral("arn:aws:states:eu-west-1:123456789012:stateMachine:other");
        MachineSettings a;
        a.roles.roles.insert(QStringLiteral("Audit"), StateRole::Compensation);
        a.roles.compensationOf.insert(QStringLiteral("ProcessRecords"), QString());
        a.recordTable = QStringLiteral("T");
        a.lastInput = QStringLiteral("{\"x\": 1}");
        {
            QSettings settings(file, QSettings::IniFormat);
            SagaSettingsStore store(&settings);
            store.save(arnA, a);
            store.save(arnB, MachineSettings());
        }
        QSettings settings(file, QSettings::IniFormat);
        SagaSettingsStore store(&settings);
        QVERIFY(store.load(arnA) == a);
        QVERIFY(store.load(arnB) == MachineSettings());
        QCOMPARE(store.load(arnA).roles.compensationOf.value(QStringLiteral("ProcessRecords"), QStringLiteral("?")),
            QString());
        QCOMPARE(settings.allKeys().size(), 1); // empty settings are not written
    }

    void roleOverridesChangeTheDerivation()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const SagaRoles derived = deriveRoles(g);
        QCOMPARE(derived.compensationOf.value(QStringLiteral("TransformRecords")),
            QStringLiteral("TransformRecordsRollback"));

        RoleOverrides o;
        // TransformRecords has nothing to undo; CommitRecords is undone by ProcessRecordsRollback.
        o.compensationOf.insert(QStringLiteral("TransformRecords"), QString());
        o.compensationOf.insert(QStringLiteral("CommitRecords"), QStringLiteral("ProcessRecordsRollback"));
        o.roles.insert(QStringLiteral("NoSuchState"), StateRole::Forward); // ignored
        const SagaRoles r = deriveRoles(g, o);
        QCOMPARE(r.forwardSteps, derived.forwardSteps);
        QVERIFY(!r.compensationOf.contains(QStringLiteral("TransformRecords")));
        QCOMPARE(r.compensationOf.value(QStringLiteral("CommitRecords")), QStringLiteral("ProcessRecordsRollback"));
        // ProcessRecords no longer takes the rollback the user gave CommitRecords.
        QVERIFY(r.compensationOf.value(QStringLiteral("ProcessRecords")) != QStringLiteral("ProcessRecordsRollback"));

        // Making a forward step "other" takes it out of the saga.
        RoleOverrides other;
        other.roles.insert(QStringLiteral("CommitRecords"), StateRole::Other);
        const SagaRoles r2 = deriveRoles(g, other);
        QVERIFY(!r2.forwardSteps.contains(QStringLiteral("CommitRecords")));
        QCOMPARE(r2.role(QStringLiteral("CommitRecords")), StateRole::Other);

        QVERIFY(RoleOverrides::fromJson(o.toJson()) == o);
    }

    void overridesDecideTheOutcome()
    {
        // Commit fails, all rollbacks succeed: COMPENSATED. If the user says
        // CommitRecords' own undo is a state that never ran, the rollback is incomplete.
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const Timeline t = buildTimeline(parseHistory(fixture(QStringLiteral("seed-fail-commit.history.json"))));
        QCOMPARE(analyzeSaga(g, deriveRoles(g), t).outcome, SagaOutcome::Compensated);
        RoleOverrides o;
        o.roles.insert(QStringLiteral("SagaFailed"), StateRole::Compensation);
        o.compensationOf.insert(QStringLiteral("TransformRecords"), QStringLiteral("SagaFailed"));
        const SagaAnalysis a = analyzeSaga(g, deriveRoles(g, o), t);
        QCOMPARE(a.outcome, SagaOutcome::CompensationFailed);
        QVERIFY2(a.dangling.contains(QStringLiteral("TransformRecords")), qPrintable(a.dangling.join(u',')));
        QCOMPARE(outcomeSentence(a), QStringLiteral("Rollback FAILED: TransformRecords left committed"));
    }

    void outcomeSentences()
    {
        const StateGraph g = parseDefinition(fixture(QStringLiteral("seed-saga.asl.json")));
        const auto sentence = [&](const char *history) {
            return outcomeSentence(analyzeSaga(g, buildTimeline(parseHistory(fixture(QString::fromLatin1(history))))));
        };
        QCOMPARE(sentence("seed-success.history.json"),
            QStringLiteral("Committed: ProcessRecords, TransformRecords, CommitRecords succeeded"));
        QCOMPARE(sentence("seed-fail-commit.history.json"),
            QStringLiteral("Rolled back cleanly after CommitRecords failed"));
        QVERIFY(sentence("seed-rollback-fails.history.json").startsWith(QStringLiteral("Rollback FAILED: ")));
        QVERIFY(sentence("seed-running-compensating.history.json").startsWith(QStringLiteral("Compensating after ")));
    }
};

QTEST_GUILESS_MAIN(TestSagaSettings)
#include "tst_sagasettings.moc"
