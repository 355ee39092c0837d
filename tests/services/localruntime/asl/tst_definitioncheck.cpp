// checkRunnable: Bramble's ASL validation, and JSONata refused with the
// state named.

#include "asltest.h"
#include "support/testpaths.h"

#include "asl/definitioncheck.h"

#include <QFile>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Test::Asl;

class TestDefinitionCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void seedSagaIsRunnable()
    {
        QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.asl.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Core::Error e = LocalRuntime::checkRunnable(QJsonDocument::fromJson(f.readAll()).object());
        QVERIFY2(e.isNull(), qPrintable(e.toString()));
    }

    void jsonataRefused_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("pointer");
        const auto row = [](const char *name, const char *def, const char *state, const char *pointer) {
            QTest::newRow(name) << QString::fromUtf8(def) << QString::fromUtf8(state) << QString::fromUtf8(pointer);
        };
        row("top level", R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})", "",
            "/QueryLanguage");
        row("one state",
            R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}})",
            "B", "/States/B/QueryLanguage");
        row("inside a Map",
            R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"In","States":{"In":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}}}})",
            "In", "/States/M/ItemProcessor/States/In/QueryLanguage");
        row("inside a Parallel branch",
            R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},{"StartAt":"Y","States":{"Y":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}]}}})",
            "Y", "/States/P/Branches/1/States/Y/QueryLanguage");
    }
    void jsonataRefused()
    {
        QFETCH(QString, definition);
        QFETCH(QString, state);
        QFETCH(QString, pointer);
        const Core::Error e = LocalRuntime::checkRunnable(QJsonDocument::fromJson(definition.toUtf8()).object());
        QVERIFY(!e.isNull());
        QVERIFY2(e.message.contains(QStringLiteral("JSONata")), qPrintable(e.message));
        if (!state.isEmpty())
            QVERIFY2(e.message.contains(u'"' + state + u'"'), qPrintable(e.message));
        QCOMPARE(e.where.key, pointer);
    }

    void jsonPathExplicitIsRunnable()
    {
        const Core::Error e = LocalRuntime::checkRunnable(object(
            R"({"QueryLanguage":"JSONPath","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}})"));
        QVERIFY2(e.isNull(), qPrintable(e.toString()));
    }

    void invalidDefinitions_data()
    {
        QTest::addColumn<QString>("definition");
        const auto row = [](const char *name, const char *def) { QTest::newRow(name) << QString::fromUtf8(def); };
        row("no StartAt", R"({"States":{"A":{"Type":"Pass","End":true}}})");
        row("unknown Next", R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})");
        row("no states", R"({"StartAt":"A","States":{}})");
        row("States.ALL not last",
            R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                "Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"},{"ErrorEquals":["E"],"Next":"B"}]},
                "B":{"Type":"Succeed"}}})");
    }
    void invalidDefinitions()
    {
        QFETCH(QString, definition);
        const Core::Error e = LocalRuntime::checkRunnable(QJsonDocument::fromJson(definition.toUtf8()).object());
        QVERIFY(!e.isNull());
    }
};

QTEST_GUILESS_MAIN(TestDefinitionCheck)
#include "tst_definitioncheck.moc"
