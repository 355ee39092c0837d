// Local → Functions…: the functions file edited as YAML, checked as the user
// types (the error names its line), saved to the running runtime and to the
// data folder.

#include "functions/localtaskrunner.h"
#include "session/localruntimehost.h"
#include "ui/local/functionsdialog.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

class TestFunctionsDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Core::Environment env() const { return Core::Environment(QProcessEnvironment(), m_dir.path()); }

    static QPushButton *saveButton(Ui::FunctionsDialog &dialog)
    {
        return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    }
    static QString status(Ui::FunctionsDialog &dialog)
    {
        return dialog.findChild<QLabel *>(QStringLiteral("functionsStatus"))->text();
    }

private Q_SLOTS:
    void showsTheBindingsInForce()
    {
        Session::LocalRuntimeHost host(env(), m_dir.filePath(QStringLiteral("one")));
        QVERIFY(host.ensureStarted().ok());
        Ui::FunctionsDialog dialog(&host);
        QVERIFY(dialog.isValid());
        QVERIFY2(dialog.text().contains(u"saga-ProcessRecords"), qPrintable(dialog.text()));
        QVERIFY2(dialog.text().contains(u"seed-saga"), qPrintable(dialog.text()));
        QVERIFY(saveButton(dialog)->isEnabled());
    }

    void refusesAnInvalidFileWithItsLine()
    {
        Session::LocalRuntimeHost host(env(), m_dir.filePath(QStringLiteral("two")));
        QVERIFY(host.ensureStarted().ok());
        Ui::FunctionsDialog dialog(&host);
        dialog.setText(QStringLiteral("functions:\n  Broken:\n    command: []\n"));
        QVERIFY(!dialog.isValid());
        QVERIFY(!saveButton(dialog)->isEnabled());
        QVERIFY2(status(dialog).contains(u":3"), qPrintable(status(dialog)));

        // Typing re-checks after a pause; Save comes back once valid.
        auto *editor = dialog.findChild<QPlainTextEdit *>(QStringLiteral("functionsEditor"));
        editor->setPlainText(QStringLiteral("functions:\n  Echo:\n    command: [cat]\n"));
        QVERIFY(!saveButton(dialog)->isEnabled());
        QTRY_VERIFY(saveButton(dialog)->isEnabled());
        QVERIFY(dialog.isValid());
    }

    void savesToTheRuntimeAndTheDataFolder()
    {
        const QString data = m_dir.filePath(QStringLiteral("three"));
        {
            Session::LocalRuntimeHost host(env(), data);
            QVERIFY(host.ensureStarted().ok());
            Ui::FunctionsDialog dialog(&host);
            dialog.setText(QStringLiteral("functions:\n  Echo:\n    http: {url: \"http://127.0.0.1:9/echo\"}\n"));
            QVERIFY(dialog.isValid());
            saveButton(dialog)->click();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            const LocalRuntime::FunctionsConfig now = host.functions();
            QVERIFY(now.find(QStringLiteral("Echo")));
            QCOMPARE(now.find(QStringLiteral("Echo"))->kind, LocalRuntime::FunctionBinding::Kind::Http);
            QVERIFY(QFile::exists(host.functionsFile()));
        }
        // The next start reads it back.
        Session::LocalRuntimeHost again(env(), data);
        QVERIFY(again.ensureStarted().ok());
        QVERIFY(again.functions().find(QStringLiteral("Echo")));
    }

    void saysWhenTheRuntimeIsNotRunning()
    {
        Session::LocalRuntimeHost host(env(), m_dir.filePath(QStringLiteral("four")));
        Ui::FunctionsDialog dialog(&host);
        QVERIFY(dialog.isValid());
        QVERIFY(!saveButton(dialog)->isEnabled());
        QVERIFY2(status(dialog).contains(u"not running"), qPrintable(status(dialog)));
    }
};

QTEST_MAIN(TestFunctionsDialog)
#include "tst_functionsdialog.moc"
