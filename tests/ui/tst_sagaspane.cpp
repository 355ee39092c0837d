// The Sagas pane against the fake Step Functions / DynamoDB server, in
// process: state machines and executions listed with their saga outcomes,
// the filters and the input search, an execution's banner, graph colours and
// transaction record, starting an execution from the dialog and following it
// live to its end, stopping one, comparing two, the saved saga settings
// changing the outcome, and the empty and error states.
#include "fakes/fakeawsserver.h"
#include "models/executionfilterproxy.h"
#include "models/executionlistmodel.h"
#include "saga/sagasettings.h"
#include "session/awssessions.h"
#include "session/connectioncatalog.h"
#include "support/motoserver.h"
#include "support/testpaths.h"
#include "ui/common/jobmessagebar.h"
#include "ui/common/mfaprompt.h"
#include "ui/sagas/executioncompareview.h"
#include "ui/sagas/executionview.h"
#include "ui/sagas/sagagraphview.h"
#include "ui/sagas/sagasettingsdialog.h"
#include "ui/sagas/sagaspane.h"
#include "ui/sagas/startexecutiondialog.h"

#include <QDialog>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QJsonDocument>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Bramble;
using Test::FakeAwsServer;

namespace {

const QString Region = QStringLiteral("us-east-1");

QString input(const QString &transactionId, const QString &extra = {})
{
    return QStringLiteral("{\"Payload\": {\"TransactionDetails\": {\"TransactionId\": \"%1\"%2}}}")
        .arg(transactionId, extra.isEmpty() ? QString() : QString(QStringLiteral(", ") + extra));
}

// With $BRAMBLE_GRAB_DIR set, a PNG of the pane, for looking at it.
void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("BRAMBLE_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(100);
    w->grab().save(QDir(dir).filePath(name));
}

QByteArray resource(const char *name)
{
    QFile f(Test::sourceDir() + QStringLiteral("/resources/sagas/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSagasPane : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeAwsServer> m_server;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Session::ConnectionCatalog> m_catalog;
    std::unique_ptr<Session::AwsSessions> m_sessions;
    std::unique_ptr<Ui::SagasPane> m_pane;
    QString m_machine;

    Models::ExecutionListModel *model() const { return m_pane->executionModel(); }

    // The pane as the window makes it: the window's sessions (with its MFA
    // dialog) and the default explorer.
    void makePane(QSettings *settings)
    {
        m_sessions = std::make_unique<Session::AwsSessions>(m_catalog.get());
        m_pane = std::make_unique<Ui::SagasPane>(
            m_catalog.get(), m_sessions.get(), Saga::SagaExplorer::defaultFactory(), settings);
        m_sessions->setMfaPrompt(Ui::mfaDialogPrompt(m_pane.get()));
    }

    // The pane on a fresh fake with the seed saga's DynamoDB variant (so the
    // record's table comes from the definition).
    void open(bool withMachine = true)
    {
        m_pane.reset();
        m_sessions.reset();
        m_catalog.reset();
        m_server = std::make_unique<FakeAwsServer>();
        QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
        m_server->setTickMs(0);
        if (withMachine)
            m_machine
                = m_server->addStateMachine(QStringLiteral("seed-saga"), resource("seed-saga.moto.asl.json"), Region);
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("bramble.ini")), QSettings::IniFormat);
        m_settings->clear();

        const QString config
            = Test::writeFile(m_dir.filePath(QStringLiteral("config")), "[default]\nregion = us-east-1\n");
        const QString credentials = Test::writeFile(m_dir.filePath(QStringLiteral("credentials")),
            "[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        QProcessEnvironment vars;
        vars.insert(QStringLiteral("AWS_CONFIG_FILE"), config);
        vars.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), credentials);
        vars.insert(QStringLiteral("AWS_ENDPOINT_URL"), m_server->endpoint().toString());
        vars.insert(QStringLiteral("HOME"), m_dir.path());
        m_catalog = std::make_unique<Session::ConnectionCatalog>(Core::Environment(vars, m_dir.path()));
        makePane(m_settings.get());
        m_pane->resize(1300, 850);
        m_pane->show();
    }

    QString start(const QString &name, const QString &text, int tickMs = 0)
    {
        FakeAwsServer::StartOptions options;
        options.tickMs = tickMs;
        QString error;
        const QString arn = m_server->startExecution(m_machine, name, text, options, &error);
        if (arn.isEmpty())
            qWarning("startExecution: %s", qPrintable(error));
        return arn;
    }

    bool outcomesLoaded(int rows) const
    {
        if (model()->rowCount() != rows)
            return false;
        for (int row = 0; row < rows; ++row)
            if (!model()->entry(row).outcomeLoaded)
                return false;
        return !m_pane->isLoading();
    }

    Saga::ExecutionEntry entryOf(const QString &arn) const
    {
        const int row = model()->rowOf(arn);
        return row < 0 ? Saga::ExecutionEntry() : model()->entry(row);
    }

    bool showAndWait(const QString &arn)
    {
        if (!m_pane->selectExecution(arn))
            return false;
        return QTest::qWaitFor(
            [&] {
                return m_pane->executionView()->executionArn() == arn && !m_pane->isLoading()
                    && !m_pane->executionView()->recordText().contains(QStringLiteral("Reading"));
            },
            10000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        m_pane.reset();
        m_sessions.reset();
        m_catalog.reset();
        m_server.reset();
    }

    void listsExecutionsWithOutcomes()
    {
        open();
        const QString committed = start(QStringLiteral("txn-1"), input(QStringLiteral("1")));
        const QString compensated = start(QStringLiteral("txn-2"),
            input(QStringLiteral("2"), QStringLiteral("\"simulateFail\": true, \"failAt\": \"TransformRecords\"")));
        const QString rollbackFailed = start(QStringLiteral("txn-3"),
            input(QStringLiteral("3"),
                QStringLiteral("\"simulateFail\": true, \"failRollback\": \"TransformRecordsRollback\"")));
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->machineList()->count(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(3), 10000);
        QCOMPARE(entryOf(committed).outcome, Saga::SagaOutcome::Committed);
        QCOMPARE(entryOf(compensated).outcome, Saga::SagaOutcome::Compensated);
        QCOMPARE(entryOf(compensated).failedStep, QStringLiteral("TransformRecords"));
        QCOMPARE(entryOf(rollbackFailed).outcome, Saga::SagaOutcome::CompensationFailed);
        QCOMPARE(entryOf(rollbackFailed).dangling,
            (QStringList { QStringLiteral("ProcessRecords"), QStringLiteral("TransformRecords") }));
        QCOMPARE(m_pane->listStatusText(), QStringLiteral("3 executions"));

        // The filters: outcome, status, and a value inside the input.
        Models::ExecutionFilterProxy *proxy = m_pane->executionProxy();
        proxy->setOutcomes({ Saga::SagaOutcome::Compensated, Saga::SagaOutcome::CompensationFailed });
        QCOMPARE(proxy->rowCount(), 2);
        proxy->setStatuses({ QStringLiteral("SUCCEEDED") });
        QCOMPARE(proxy->rowCount(), 0);
        proxy->setStatuses({});
        proxy->setOutcomes({});
        proxy->setSearchText(QStringLiteral("TransactionId=2"));
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, 0).data(Models::ExecutionListModel::ArnRole).toString(), compensated);
        proxy->setSearchText(QStringLiteral("txn-3"));
        QCOMPARE(proxy->rowCount(), 1);
        proxy->setSearchText(QString());

        // The execution: banner, graph colours, record.
        Ui::ExecutionView *view = m_pane->executionView();
        QVERIFY(showAndWait(compensated));
        QCOMPARE(view->bannerText(), QStringLiteral("Rolled back cleanly after TransformRecords failed"));
        QVERIFY2(
            view->recordText().contains(QStringLiteral("nothing was left behind")), qPrintable(view->recordText()));
        QVERIFY(view->graphView()->stateItem(QStringLiteral("TransformRecords")));

        QVERIFY(showAndWait(rollbackFailed));
        QCOMPARE(
            view->bannerText(), QStringLiteral("Rollback FAILED: ProcessRecords, TransformRecords left committed"));
        QVERIFY2(view->recordText().contains(
                     QStringLiteral("Left behind by the rollback: ProcessRecords, TransformRecords")),
            qPrintable(view->recordText()));
        view->tabs()->setCurrentIndex(2);
        grab(m_pane.get(), QStringLiteral("sagas-record.png"));
        view->tabs()->setCurrentIndex(1);
        grab(m_pane.get(), QStringLiteral("sagas-timeline.png"));
        view->tabs()->setCurrentIndex(0);

        QVERIFY(showAndWait(committed));
        QVERIFY2(view->bannerText().startsWith(QStringLiteral("Committed: ")), qPrintable(view->bannerText()));
        QVERIFY2(view->recordText().contains(QStringLiteral("Written by the steps: ")), qPrintable(view->recordText()));
        QVERIFY(view->recordText().contains(QStringLiteral("\"CommitRecords\"")));
    }

    void showsTheDefinitionAnExecutionRan()
    {
        open();
        const QString arn = start(QStringLiteral("old"), input(QStringLiteral("8")));
        // The state machine is updated afterwards: a state is added.
        QJsonObject definition = QJsonDocument::fromJson(resource("seed-saga.moto.asl.json")).object();
        QJsonObject states = definition.value(QStringLiteral("States")).toObject();
        states.insert(QStringLiteral("Audit"),
            QJsonObject { { QStringLiteral("Type"), QStringLiteral("Pass") },
                { QStringLiteral("Next"), QStringLiteral("ProcessRecords") } });
        QJsonObject first = states.value(QStringLiteral("StartTransaction")).toObject();
        first.insert(QStringLiteral("Next"), QStringLiteral("Audit"));
        states.insert(QStringLiteral("StartTransaction"), first);
        definition.insert(QStringLiteral("States"), states);
        m_server->addStateMachine(QStringLiteral("seed-saga"), QJsonDocument(definition).toJson(), Region);

        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(1), 10000);
        QVERIFY(showAndWait(arn));
        Ui::ExecutionView *view = m_pane->executionView();
        QVERIFY(view->graphView()->stateItem(QStringLiteral("ProcessRecords")));
        QVERIFY(!view->graphView()->stateItem(QStringLiteral("Audit"))); // not in the version it ran
        QVERIFY2(view->detailText().contains(QStringLiteral("earlier version of the definition")),
            qPrintable(view->detailText()));
        QVERIFY2(view->bannerText().startsWith(QStringLiteral("Committed: ")), qPrintable(view->bannerText()));
    }

    void startsAndFollowsLive()
    {
        open();
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->machineList()->count(), 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_pane->isLoading(), 10000);
        QCOMPARE(m_pane->listStatusText(), QStringLiteral("No executions yet: Ctrl+N starts one"));
        m_server->setTickMs(60);

        m_pane->openStartDialog();
        Ui::StartExecutionDialog *dialog = m_pane->startDialog();
        QVERIFY(dialog);
        dialog->setName(QStringLiteral("live-1"));
        dialog->setInput(input(QStringLiteral("42"), QStringLiteral("\"simulateFail\": true")));
        QVERIFY(dialog->isValid());
        QSignalSpy shown(m_pane.get(), &Ui::SagasPane::executionShown);
        dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!m_pane->startDialog(), 10000);
        const QString arn = QStringLiteral("arn:aws:states:us-east-1:123456789012:execution:seed-saga:live-1");
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->shownExecution(), arn, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->follower() != nullptr, 10000);
        // Live: the banner moves through the run and ends on the outcome.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_pane->executionView()->bannerText() == QStringLiteral("Rolled back cleanly after CommitRecords failed")
                && !m_pane->follower(),
            20000);
        QVERIFY2(shown.size() >= 3, "the view was updated as events arrived");
        QCOMPARE(entryOf(arn).outcome, Saga::SagaOutcome::Compensated);
        QTRY_COMPARE_WITH_TIMEOUT(entryOf(arn).status, QStringLiteral("FAILED"), 10000);

        // The input is remembered for the next start.
        Saga::SagaSettingsStore store(m_settings.get());
        QVERIFY(store.load(m_machine).lastInput.contains(QStringLiteral("\"42\"")));
        m_pane->openStartDialog();
        QVERIFY(m_pane->startDialog()->input().contains(QStringLiteral("\"42\"")));
        m_pane->startDialog()->reject();
    }

    void keyboard()
    {
        open();
        const QString a = start(QStringLiteral("k1"), input(QStringLiteral("1")));
        start(QStringLiteral("k2"), input(QStringLiteral("2"), QStringLiteral("\"simulateFail\": true")));
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(2), 10000);
        m_pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
        // Ctrl+D with two rows selected compares them.
        m_pane->executionTable()->setFocus();
        m_pane->executionTable()->selectAll();
        QSignalSpy compared(m_pane.get(), &Ui::SagasPane::compareShown);
        QTest::keyClick(m_pane->executionTable(), Qt::Key_D, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(compared.size(), 1, 10000);
        compared.first().first().value<QWidget *>()->close();
        // Ctrl+N opens the start dialog; Esc closes it.
        QVERIFY(showAndWait(a));
        m_pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
        m_pane->executionTable()->setFocus();
        QTest::keyClick(m_pane->executionTable(), Qt::Key_N, Qt::ControlModifier);
        QTRY_VERIFY(m_pane->startDialog() && m_pane->startDialog()->isVisible());
        QTest::keyClick(m_pane->startDialog(), Qt::Key_Escape);
        QTRY_VERIFY(!m_pane->startDialog());
    }

    void startErrorsStayInTheDialog()
    {
        open();
        start(QStringLiteral("taken"), input(QStringLiteral("1")));
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(1), 10000);
        m_pane->openStartDialog();
        Ui::StartExecutionDialog *dialog = m_pane->startDialog();
        dialog->setName(QStringLiteral("taken"));
        dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(QStringLiteral("ExecutionAlreadyExists")), 10000);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isBusy());
        dialog->reject();
    }

    void stopsAndRedrivesAnExecution()
    {
        open();
        const QString arn = start(QStringLiteral("held"), input(QStringLiteral("7")), -1);
        m_server->releaseEvents(arn, 8);
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(1), 10000);
        QVERIFY(showAndWait(arn));
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->follower() != nullptr, 10000);
        m_pane->stopShownExecution(false);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->execution(arn).status, QStringLiteral("ABORTED"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->executionView()->bannerText().startsWith(QStringLiteral("Stopped")), 10000);
        QVERIFY2(m_pane->executionView()->bannerText().contains(QStringLiteral("ProcessRecords")),
            qPrintable(m_pane->executionView()->bannerText()));
        QTRY_COMPARE_WITH_TIMEOUT(entryOf(arn).status, QStringLiteral("ABORTED"), 10000);

        // Redriven, it resumes where it stopped and commits.
        m_pane->redriveShownExecution(false);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->execution(arn).redriveCount, 1, 10000);
        m_server->releaseEvents(arn); // it was started with its events held
        QCOMPARE(m_server->execution(arn).status, QStringLiteral("SUCCEEDED"));
        QTRY_VERIFY2_WITH_TIMEOUT(m_pane->executionView()->bannerText().startsWith(QStringLiteral("Committed: ")),
            qPrintable(m_pane->executionView()->bannerText() + QStringLiteral(" | following: ")
                + (m_pane->follower() ? QStringLiteral("yes") : QStringLiteral("no")) + QStringLiteral(" | message: ")
                + m_pane->findChild<Ui::JobMessageBar *>()->text()),
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(entryOf(arn).redriveCount, 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(entryOf(arn).status, QStringLiteral("SUCCEEDED"), 10000);
    }

    void comparesTwoExecutions()
    {
        open();
        const QString a = start(QStringLiteral("a"), input(QStringLiteral("1")));
        const QString b
            = start(QStringLiteral("b"), input(QStringLiteral("2"), QStringLiteral("\"simulateFail\": true")));
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(2), 10000);
        m_pane->executionTable()->selectAll();
        QSignalSpy compared(m_pane.get(), &Ui::SagasPane::compareShown);
        m_pane->compareSelected();
        QTRY_COMPARE_WITH_TIMEOUT(compared.size(), 1, 10000);
        auto *dialog = compared.first().first().value<QWidget *>();
        auto *view = dialog->findChild<Ui::ExecutionCompareView *>();
        QVERIFY(view);
        QVERIFY(view->visibleRowCount() >= 5);
        view->setOnlyDifferences(true);
        QVERIFY(view->visibleRowCount() >= 1);
        QVERIFY(view->visibleRowCount() < 8);
        dialog->close();
        Q_UNUSED(a)
        Q_UNUSED(b)
    }

    void savedSettingsChangeTheOutcome()
    {
        open();
        const QString arn
            = start(QStringLiteral("c"), input(QStringLiteral("5"), QStringLiteral("\"simulateFail\": true")));
        QTRY_VERIFY_WITH_TIMEOUT(outcomesLoaded(1), 10000);
        QCOMPARE(entryOf(arn).outcome, Saga::SagaOutcome::Compensated);
        QVERIFY(showAndWait(arn));

        m_pane->editSettings();
        auto *dialog = m_pane->findChild<Ui::SagaSettingsDialog *>();
        QVERIFY(dialog);
        // The user says TransformRecords is undone by the Fail state's
        // neighbour that never runs: the rollback is then incomplete.
        dialog->setRoleChoice(QStringLiteral("SagaFailed"), QStringLiteral("compensation"));
        dialog->setUndoneBy(QStringLiteral("TransformRecords"), QStringLiteral("SagaFailed"));
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(
            outcomesLoaded(1) && entryOf(arn).outcome == Saga::SagaOutcome::CompensationFailed, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->executionView()->bannerText(),
            QStringLiteral("Rollback FAILED: TransformRecords left committed"), 10000);

        // Saved: a new pane on the same settings sees it the same way.
        Saga::SagaSettingsStore store(m_settings.get());
        QCOMPARE(store.load(m_machine).roles.compensationOf.value(QStringLiteral("TransformRecords")),
            QStringLiteral("SagaFailed"));
    }

    void asksForTheMfaCode()
    {
        // A role with mfa_serial, assumed through moto's STS: the pane asks
        // for the code, as the aws CLI does on the terminal, then lists.
        Test::MotoServer moto;
        QVERIFY2(moto.start(), qPrintable(moto.errorString()));
        const QString config = Test::writeFile(m_dir.filePath(QStringLiteral("mfa-config")),
            "[profile base]\nregion = us-east-1\n"
            "[profile deploy]\nregion = us-east-1\nsource_profile = base\n"
            "role_arn = arn:aws:iam::123456789012:role/saga\nmfa_serial = arn:aws:iam::123456789012:mfa/dev\n");
        const QString credentials = Test::writeFile(m_dir.filePath(QStringLiteral("mfa-credentials")),
            "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        QProcessEnvironment vars;
        vars.insert(QStringLiteral("AWS_CONFIG_FILE"), config);
        vars.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), credentials);
        vars.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("deploy"));
        vars.insert(QStringLiteral("AWS_ENDPOINT_URL"), moto.endpoint().toString());
        vars.insert(QStringLiteral("HOME"), m_dir.path());
        m_catalog = std::make_unique<Session::ConnectionCatalog>(Core::Environment(vars, m_dir.path()));
        makePane(nullptr);
        m_pane->show();
        QInputDialog *prompt = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (prompt = m_pane->findChild<QInputDialog *>()) != nullptr; }, 15000));
        QVERIFY2(prompt->labelText().contains(QStringLiteral("arn:aws:iam::123456789012:mfa/dev")),
            qPrintable(prompt->labelText()));
        prompt->setTextValue(QStringLiteral("123456"));
        prompt->accept();
        QTRY_COMPARE_WITH_TIMEOUT(m_pane->executionView()->bannerText(),
            QStringLiteral("No state machines in us-east-1 (profile deploy)"), 15000);
        m_pane.reset();
    }

    void emptyAndErrorStates()
    {
        open(false);
        QTRY_VERIFY_WITH_TIMEOUT(!m_pane->isLoading(), 10000);
        QCOMPARE(m_pane->machineList()->count(), 0);
        QCOMPARE(
            m_pane->executionView()->bannerText(), QStringLiteral("No state machines in us-east-1 (profile default)"));

        m_server.reset(); // nobody answers any more
        m_pane->refresh();
        auto *bar = m_pane->findChild<Ui::JobMessageBar *>();
        QTRY_VERIFY_WITH_TIMEOUT(bar->text().startsWith(QStringLiteral("Could not list the state machines")), 30000);
    }
};

QTEST_MAIN(TestSagasPane)
#include "tst_sagaspane.moc"
