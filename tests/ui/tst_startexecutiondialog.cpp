#include "models/executioncomparemodel.h"
#include "saga/aslgraph.h"
#include "saga/sagaanalysis.h"
#include "services/saga/sagatest.h"
#include "support/testpaths.h"
#include "ui/sagas/executioncompareview.h"
#include "ui/sagas/startexecutiondialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Bramble;
using Bramble::Test::Saga::fixture;
using Bramble::Test::Saga::q;
using Ui::StartExecutionDialog;

namespace {

void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("BRAMBLE_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::processEvents(); // let pending layout requests settle
    QVERIFY(w->grab().save(QDir(dir).filePath(name)));
}

QJsonObject inputObject(const StartExecutionDialog &d)
{
    return QJsonDocument::fromJson(d.input().toUtf8()).object();
}

QJsonObject details(const StartExecutionDialog &d)
{
    return inputObject(d)
        .value(QStringLiteral("Payload"))
        .toObject()
        .value(QStringLiteral("TransactionDetails"))
        .toObject();
}

void typeInto(QPlainTextEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    // QTest types ASCII only, and a line break is a Return key.
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, lines.at(i));
    }
}

Saga::SagaAnalysis analyseFixture(const QString &file)
{
    QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/seed-saga.asl.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing resources/sagas/seed-saga.asl.json");
    const Saga::StateGraph graph = Saga::parseDefinition(f.readAll());
    return Saga::analyzeSaga(graph, Saga::buildTimeline(Saga::parseHistory(fixture(file))));
}

Saga::ExecutionEntry entryFor(const QString &name, const Saga::SagaAnalysis &analysis)
{
    Saga::ExecutionEntry e;
    e.name = name;
    e.executionArn = QStringLiteral("arn:aws:states:eu-west-1:123456789012:execution:seed-saga:") + name;
    e.status = Saga::executionStatusName(analysis.executionStatus);
    if (!analysis.timeline.steps.isEmpty()) {
        e.startDate = analysis.timeline.steps.first().startedAt;
        e.stopDate = analysis.timeline.steps.last().endedAt;
    }
    e.outcomeLoaded = true;
    e.outcome = analysis.outcome;
    e.outcomeSentence = Saga::outcomeSentence(analysis);
    return e;
}

} // namespace

class TestStartExecutionDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void templateIsValid()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        QVERIFY(d.isValid());
        QVERIFY(d.startButton()->isEnabled());
        QVERIFY(d.simulateFailBox()->isEnabled());
        QVERIFY(!d.simulateFailBox()->isChecked());
        QVERIFY(d.formatButton()->isEnabled());
        const QString id = details(d).value(QStringLiteral("TransactionId")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(details(d).value(QStringLiteral("simulateFail")), QJsonValue(false));
        QVERIFY(!d.input().contains(u'\n')); // compact
        QVERIFY(d.name().isEmpty());
        // Two templates never share a transaction id.
        QVERIFY(StartExecutionDialog::templateInput() != StartExecutionDialog::templateInput());
        grab(&d, QStringLiteral("startexecution-valid.png"));
    }

    void invalidJsonShowsLineAndColumn()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        typeInto(d.inputEdit(), QStringLiteral("{\n  \"Payload\": {\n    \"id\" 2\n  }\n}"));
        QVERIFY(!d.isValid());
        QVERIFY(!d.startButton()->isEnabled());
        QVERIFY(!d.simulateFailBox()->isEnabled());
        QVERIFY(!d.newTransactionButton()->isEnabled());
        QVERIFY(!d.formatButton()->isEnabled());
        QVERIFY2(d.inputProblemText().startsWith(u"Line 3, column "), qPrintable(d.inputProblemText()));
        const StartExecutionDialog::InputCheck check = StartExecutionDialog::checkInput(d.inputText());
        QCOMPARE(check.line, 3);
        QVERIFY(check.column >= 9 && check.column <= 11); // at or right after `"id" `
        QCOMPARE(d.inputEdit()->extraSelections().size(), 1);
        QCOMPARE(d.inputEdit()->extraSelections().constFirst().cursor.blockNumber(), 2);
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("inputStatus"))->text().contains(u"Line 3, column"));
        d.setName(QStringLiteral("order #42"));
        QVERIFY(!d.nameProblemText().isEmpty());
        grab(&d, QStringLiteral("startexecution-invalid.png"));
        d.setName(QString());

        // Fixing it clears everything.
        typeInto(d.inputEdit(), QStringLiteral("{\"Payload\": {\"id\": 2}}"));
        QVERIFY(d.isValid());
        QVERIFY(d.startButton()->isEnabled());
        QVERIFY(d.inputEdit()->extraSelections().isEmpty());
        QVERIFY(d.inputProblemText().isEmpty());
    }

    void inputChecks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        QTest::newRow("object") << QStringLiteral("{\"a\": [1, 2]}") << true << 0 << 0 << QString();
        QTest::newRow("empty means {}") << QStringLiteral("  \n ") << true << 0 << 0 << QString();
        QTest::newRow("array") << QStringLiteral("[1, 2]") << false << 0 << 0 << QStringLiteral("JSON object");
        QTest::newRow("unterminated") << QStringLiteral("{\"a\": 1") << false << 1 << -1 << QStringLiteral("Line 1");
        QTest::newRow("second line") << QStringLiteral("{\n  \"a\": 1 x\n}") << false << 2 << -1
                                     << QStringLiteral("Line 2");
        QTest::newRow("bad literal at line end")
            << QStringLiteral("{\n  \"a\": tru\n}") << false << 2 << -1 << QStringLiteral("Line 2");
        QTest::newRow("multibyte before error")
            << QStringLiteral("{\"é€\": x}") << false << 1 << -1 << QStringLiteral("Line 1");
        QTest::newRow("trailing garbage") << QStringLiteral("{} x") << false << 1 << -1 << QStringLiteral("Line 1");
    }

    void inputChecks()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const StartExecutionDialog::InputCheck check = StartExecutionDialog::checkInput(text);
        QCOMPARE(check.ok, ok);
        if (line > 0) {
            QCOMPARE(check.line, line);
            QVERIFY(check.column >= 1);
            QVERIFY(check.position >= 0 && check.position <= text.size());
        }
        if (column > 0)
            QCOMPARE(check.column, column);
        QVERIFY2(check.message.contains(message), qPrintable(check.message));
        if (ok)
            QVERIFY(check.message.isEmpty());
    }

    void multibytePositionIsInCharacters()
    {
        // "{"é€": x}": x is character 8 (1-based), byte 11.
        const StartExecutionDialog::InputCheck check = StartExecutionDialog::checkInput(QStringLiteral("{\"é€\": x}"));
        QVERIFY(!check.ok);
        QVERIFY2(check.position >= 6 && check.position <= 8, qPrintable(QString::number(check.position)));
    }

    void simulateFailFollowsBothWays()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        const QString id = details(d).value(QStringLiteral("TransactionId")).toString();
        QTest::mouseClick(d.simulateFailBox(), Qt::LeftButton, {}, QPoint(6, d.simulateFailBox()->height() / 2));
        QVERIFY(d.simulateFailBox()->isChecked());
        QCOMPARE(details(d).value(QStringLiteral("simulateFail")), QJsonValue(true));
        QCOMPARE(details(d).value(QStringLiteral("TransactionId")).toString(), id);
        QVERIFY(d.inputText().contains(QStringLiteral("\"simulateFail\": true")));
        // One undo step brings the previous text back.
        d.inputEdit()->undo();
        QVERIFY(!d.simulateFailBox()->isChecked());

        // Edits in the JSON move the box.
        typeInto(d.inputEdit(), QStringLiteral("{\"Payload\": {\"TransactionDetails\": {\"simulateFail\": true}}}"));
        QVERIFY(d.simulateFailBox()->isChecked());
        typeInto(d.inputEdit(), QStringLiteral("{\"Payload\": {\"TransactionDetails\": {\"simulateFail\": false}}}"));
        QVERIFY(!d.simulateFailBox()->isChecked());
        typeInto(d.inputEdit(), QStringLiteral("{\"Payload\": {}}"));
        QVERIFY(!d.simulateFailBox()->isChecked());
        QVERIFY(d.simulateFailBox()->isEnabled());

        // Missing objects are created, other members kept.
        d.setInput(QStringLiteral("{\"Other\": [1]}"));
        d.setSimulateFailure(true);
        QCOMPARE(inputObject(d),
            QJsonDocument::fromJson(q("{'Other': [1], 'Payload': {'TransactionDetails': {'simulateFail': true}}}"))
                .object());
        QVERIFY(d.simulateFailBox()->isChecked());
        d.setInput(QString());
        d.setSimulateFailure(true);
        QCOMPARE(details(d).value(QStringLiteral("simulateFail")), QJsonValue(true));

        // A path step that is not an object: the box cannot be used.
        d.setInput(QStringLiteral("{\"Payload\": 3}"));
        QVERIFY(d.isValid());
        QVERIFY(!d.simulateFailBox()->isEnabled());
        QVERIFY(!d.newTransactionButton()->isEnabled());
        d.setSimulateFailure(true);
        QCOMPARE(d.inputText(), QStringLiteral("{\"Payload\": 3}"));

        // Invalid JSON: disabled.
        d.setInput(QStringLiteral("{"));
        QVERIFY(!d.simulateFailBox()->isEnabled());
    }

    void newTransactionIdAndFormat()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        d.setInput(
            QStringLiteral("{\"Payload\":{\"TransactionDetails\":{\"TransactionId\":\"2\",\"simulateFail\":true}}}"));
        QTest::mouseClick(d.newTransactionButton(), Qt::LeftButton);
        const QString id = details(d).value(QStringLiteral("TransactionId")).toString();
        QVERIFY(!id.isEmpty());
        QVERIFY(id != u"2");
        QCOMPARE(details(d).value(QStringLiteral("simulateFail")), QJsonValue(true));
        QVERIFY(d.simulateFailBox()->isChecked());
        d.newTransaction();
        QVERIFY(details(d).value(QStringLiteral("TransactionId")).toString() != id);

        d.setInput(QStringLiteral("{\"a\":{\"b\":1}}"));
        d.formatInput();
        QVERIFY(d.inputText().contains(u'\n'));
        QCOMPARE(d.input(), QStringLiteral("{\"a\":{\"b\":1}}"));
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("ok");
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("plain") << QStringLiteral("order-42_retry.1") << true;
        QTest::newRow("unicode") << QStringLiteral("commande-é") << true;
        QTest::newRow("80 chars") << QString(80, u'x') << true;
        QTest::newRow("81 chars") << QString(81, u'x') << false;
        QTest::newRow("inner space") << QStringLiteral("has space") << false;
        QTest::newRow("tab") << QStringLiteral("a\tb") << false;
        QTest::newRow("no-break space") << QStringLiteral("a\u00a0b") << false;
        QTest::newRow("control") << QStringLiteral("a\u0001b") << false;
        QTest::newRow("C1 control") << QStringLiteral("a\u0085b") << false;
        QTest::newRow("DEL") << QStringLiteral("a\u007fb") << false;
        const QString forbidden = QStringLiteral("<>{}[]?*\"#%\\^|~`$&,;:/");
        for (const QChar c : forbidden)
            QTest::newRow(qPrintable(QStringLiteral("forbidden %1").arg(c)))
                << QString(u"a" + QString(c) + u"b") << false;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, ok);
        QCOMPARE(StartExecutionDialog::nameProblem(name).isEmpty(), ok);

        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        d.nameEdit()->setFocus();
        d.nameEdit()->clear();
        // Type what a keyboard can type; paste the rest (QTest types printable ASCII only).
        bool typeable = true;
        for (const QChar c : name)
            typeable = typeable && c.unicode() > 0x20 && c.unicode() < 0x7f;
        if (typeable)
            QTest::keyClicks(d.nameEdit(), name);
        else
            d.nameEdit()->setText(name);
        QCOMPARE(d.nameEdit()->text(), name);
        QCOMPARE(d.startButton()->isEnabled(), ok);
        QCOMPARE(d.nameProblemText().isEmpty(), ok);
    }

    void sizeLimit()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        // {"x":"..."} is 8 bytes around the string.
        const qsizetype limit = StartExecutionDialog::MaxInputBytes;
        d.setInput(QStringLiteral("{\"x\": \"%1\"}").arg(QString(limit - 8, u'a')));
        QVERIFY2(d.isValid(), qPrintable(d.inputProblemText()));
        QCOMPARE(StartExecutionDialog::checkInput(d.inputText()).compactBytes, limit);
        d.setInput(QStringLiteral("{\"x\": \"%1\"}").arg(QString(limit - 7, u'a')));
        QVERIFY(!d.isValid());
        QVERIFY(!d.startButton()->isEnabled());
        QVERIFY2(d.inputProblemText().contains(QStringLiteral("256 KiB")), qPrintable(d.inputProblemText()));
        // Multi-byte characters count in UTF-8 bytes.
        d.setInput(QStringLiteral("{\"x\": \"%1\"}").arg(QString(limit / 2, u'é')));
        QVERIFY(!d.isValid());
    }

    void startBusyAndErrors()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        QSignalSpy started(&d, &StartExecutionDialog::startRequested);
        QSignalSpy cancelled(&d, &StartExecutionDialog::cancelRequested);
        d.setName(QStringLiteral("  run-1 "));
        d.setInput(QStringLiteral("{\n \"k\": 1\n}"));
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).toString(), QStringLiteral("run-1"));
        QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("{\"k\":1}"));
        QVERIFY(d.isVisible()); // the owner decides

        d.setBusy(true);
        QVERIFY(!d.startButton()->isEnabled());
        QVERIFY(d.inputEdit()->isReadOnly());
        QVERIFY(d.nameEdit()->isReadOnly());
        QVERIFY(!d.simulateFailBox()->isEnabled());
        QPushButton *cancel = d.findChild<QPushButton *>(QStringLiteral("cancelButton"));
        QVERIFY(cancel && cancel->isEnabled());
        QTest::keyClick(&d, Qt::Key_Escape);
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(d.isVisible());
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QCOMPARE(started.size(), 1);

        d.setBusy(false);
        d.showError(QStringLiteral("ExecutionAlreadyExists: run-1"));
        QCOMPARE(d.errorText(), QStringLiteral("ExecutionAlreadyExists: run-1"));
        QVERIFY(d.startButton()->isEnabled());
        grab(&d, QStringLiteral("startexecution-error.png"));
        // Editing clears the error.
        QTest::keyClicks(d.nameEdit(), QStringLiteral("x"));
        QCOMPARE(d.errorText(), QString());

        QTest::keyClick(&d, Qt::Key_Escape);
        QVERIFY(!d.isVisible());
        QCOMPARE(d.result(), int(QDialog::Rejected));
    }

    void startWithoutReceiverAccepts()
    {
        StartExecutionDialog d(QStringLiteral("seed-saga"));
        d.show();
        QTest::mouseClick(d.startButton(), Qt::LeftButton);
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(!d.isVisible());
    }

    void compareView()
    {
        const Saga::SagaAnalysis success = analyseFixture(QStringLiteral("seed-success.history.json"));
        const Saga::SagaAnalysis failed = analyseFixture(QStringLiteral("seed-fail-commit.history.json"));
        Ui::ExecutionCompareView view;
        view.resize(1000, 560);
        view.show();
        view.setExecutions(entryFor(QStringLiteral("seed-success"), success), success,
            entryFor(QStringLiteral("seed-fail-commit"), failed), failed);
        QCOMPARE(view.model()->rowCount(), 10);
        QCOMPARE(view.visibleRowCount(), 10);
        QCOMPARE(view.table()->model()->rowCount(), 10);
        QVERIFY(view.cardText(0).contains(QStringLiteral("seed-success")));
        QVERIFY(view.cardText(0).contains(Saga::outcomeSentence(success)));
        QVERIFY(view.cardText(1).contains(QStringLiteral("seed-fail-commit")));
        QVERIFY(view.cardText(1).contains(Saga::outcomeSentence(failed)));
        QVERIFY(view.cardText(1).contains(QStringLiteral("Failed")));
        grab(&view, QStringLiteral("executioncompare-all.png"));

        QTest::mouseClick(
            view.onlyDifferencesBox(), Qt::LeftButton, {}, QPoint(6, view.onlyDifferencesBox()->height() / 2));
        QVERIFY(view.onlyDifferences());
        QCOMPARE(view.visibleRowCount(), 7);
        for (int row = 0; row < view.table()->model()->rowCount(); ++row)
            QVERIFY(view.table()->model()->index(row, 0).data(Models::ExecutionCompareModel::DifferRole).toBool());
        grab(&view, QStringLiteral("executioncompare-differences.png"));
        view.setOnlyDifferences(false);
        QVERIFY(!view.onlyDifferencesBox()->isChecked());
        QCOMPARE(view.visibleRowCount(), 10);

        view.clear();
        QCOMPARE(view.visibleRowCount(), 0);
    }
};

QTEST_MAIN(TestStartExecutionDialog)
#include "tst_startexecutiondialog.moc"
