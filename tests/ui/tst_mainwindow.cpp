#include "session/connectioncatalog.h"
#include "session/workspace.h"
#include "support/testpaths.h"
#include "ui/common/emptystate.h"
#include "ui/common/pane.h"
#include "ui/shell/connectionbar.h"
#include "ui/shell/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

namespace {

const QByteArray kKubeconfig = "current-context: pi\n"
                               "clusters:\n"
                               "- name: pi\n"
                               "  cluster: {server: \"https://192.168.1.50:6443\", insecure-skip-tls-verify: true}\n"
                               "users:\n"
                               "- name: admin\n"
                               "  user: {token: secret-token}\n"
                               "contexts:\n"
                               "- name: pi\n"
                               "  context: {cluster: pi, user: admin}\n"
                               "- name: lab\n"
                               "  context: {cluster: pi, user: admin, namespace: faas}\n";

QStringList visibleTexts(QWidget *root)
{
    QStringList out;
    for (QLabel *l : root->findChildren<QLabel *>())
        if (l->isVisibleTo(root))
            out << l->text();
    return out;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    Core::Environment env(bool withKube = true, bool withAws = true) const
    {
        Core::Environment e(QProcessEnvironment(), m_dir.filePath(QStringLiteral("home")));
        e.insert(QStringLiteral("KUBECONFIG"),
            withKube ? m_dir.filePath(QStringLiteral("kubeconfig")) : m_dir.filePath(QStringLiteral("none")));
        e.insert(QStringLiteral("AWS_CONFIG_FILE"),
            withAws ? m_dir.filePath(QStringLiteral("aws-config")) : m_dir.filePath(QStringLiteral("none")));
        e.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_dir.filePath(QStringLiteral("none")));
        return e;
    }

    QString settingsPath() const { return m_dir.filePath(QStringLiteral("settings.ini")); }

private Q_SLOTS:
    void init()
    {
        QFile::remove(settingsPath());
        QVERIFY(!Test::writeFile(m_dir.filePath(QStringLiteral("kubeconfig")), kKubeconfig).isEmpty());
        QVERIFY(!Test::writeFile(m_dir.filePath(QStringLiteral("aws-config")),
            "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n")
                     .isEmpty());
    }

    void fivePanesInOrderWithShortcuts()
    {
        Session::Workspace workspace(env());
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.paneIds(),
            (QStringList { QStringLiteral("nodes"), QStringLiteral("loadbalancers"), QStringLiteral("provision"),
                QStringLiteral("sagas"), QStringLiteral("logs") }));
        QCOMPARE(w.currentPaneId(), QStringLiteral("nodes"));
        const QStringList ids = w.paneIds();
        for (int i = ids.size() - 1; i >= 0; --i) {
            QTest::keyClick(&w, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(w.currentPaneId(), ids.at(i));
        }
    }

    void kubePaneShowsContextAndItsProblems()
    {
        Session::Workspace workspace(env());
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        Ui::Pane *nodes = w.pane(QStringLiteral("nodes"));
        QTRY_VERIFY(!nodes->isShowingEmptyState());
        const QString all = visibleTexts(nodes).join(u'\n');
        QVERIFY2(all.contains(QStringLiteral("https://192.168.1.50:6443")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("insecure-skip-tls-verify")), qPrintable(all)); // shown as a warning
        QVERIFY2(!all.contains(QStringLiteral("secret-token")), "a token must never be shown");
    }

    void emptyStatesSayWhatToDo()
    {
        Session::Workspace workspace(env(false, false));
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        for (const QString &id : { QStringLiteral("nodes"), QStringLiteral("loadbalancers") }) {
            Ui::Pane *p = w.pane(id);
            auto *empty = p->findChild<Ui::EmptyState *>();
            QTRY_COMPARE(empty->title(), QStringLiteral("No Kubernetes cluster found"));
            QVERIFY(p->isShowingEmptyState());
            QVERIFY(empty->body().contains(QStringLiteral("KUBECONFIG")));
            QVERIFY(empty->body().contains(m_dir.filePath(QStringLiteral("none"))));
        }
        // "Provision a Pi…" takes the user to the Provision pane.
        auto *empty = w.pane(QStringLiteral("nodes"))->findChild<Ui::EmptyState *>();
        QPushButton *provision = nullptr;
        for (QPushButton *b : empty->findChildren<QPushButton *>())
            if (b->text().startsWith(QStringLiteral("Provision")))
                provision = b;
        QVERIFY(provision);
        provision->click();
        QCOMPARE(w.currentPaneId(), QStringLiteral("provision"));
        for (const QString &id : { QStringLiteral("sagas"), QStringLiteral("logs") }) {
            auto *e = w.pane(id)->findChild<Ui::EmptyState *>();
            QTRY_COMPARE(e->title(), QStringLiteral("No AWS profile found"));
            QVERIFY(e->body().contains(QStringLiteral("aws configure")));
        }
    }

    void brokenKubeconfigNamesTheFile()
    {
        QVERIFY(!Test::writeFile(m_dir.filePath(QStringLiteral("kubeconfig")), "contexts:\n- name: a\n  context: [\n")
                     .isEmpty());
        Session::Workspace workspace(env());
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        auto *empty = w.pane(QStringLiteral("nodes"))->findChild<Ui::EmptyState *>();
        QTRY_COMPARE(empty->title(), QStringLiteral("The kubeconfig could not be read"));
        QVERIFY2(
            empty->body().contains(m_dir.filePath(QStringLiteral("kubeconfig")) + u':'), qPrintable(empty->body()));
        QVERIFY(w.connectionBar()->problemsText().contains(m_dir.filePath(QStringLiteral("kubeconfig"))));
    }

    void findAndRefresh()
    {
        Session::Workspace workspace(env());
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // No pane has searchable content yet: Ctrl+F says so instead of doing nothing.
        QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("Nothing to search")));

        // F5 re-reads the files.
        QComboBox *contexts = w.connectionBar()->contextBox();
        QCOMPARE(contexts->count(), 2);
        QByteArray more = kKubeconfig + "- name: third\n  context: {cluster: pi, user: admin}\n";
        QVERIFY(!Test::writeFile(m_dir.filePath(QStringLiteral("kubeconfig")), more).isEmpty());
        QTest::keyClick(&w, Qt::Key_F5);
        QCOMPARE(contexts->count(), 3);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("3 Kubernetes contexts")));
    }

    void choosingInTheBarChangesTheCatalog()
    {
        Session::Workspace workspace(env());
        Session::ConnectionCatalog &catalog = *workspace.catalog();
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        w.show();
        QComboBox *contexts = w.connectionBar()->contextBox();
        QCOMPARE(contexts->currentText(), QStringLiteral("pi"));
        contexts->setFocus();
        QTest::keyClick(contexts, Qt::Key_Down);
        QCOMPARE(catalog.currentContext(), QStringLiteral("lab"));
        QComboBox *profiles = w.connectionBar()->profileBox();
        profiles->setFocus();
        QTest::keyClick(profiles, Qt::Key_Down);
        QCOMPARE(catalog.currentProfile(), QStringLiteral("dev"));
        QCOMPARE(w.connectionBar()->regionBox()->currentText(), QStringLiteral("us-east-2"));
    }

    void settingsPersistAcrossRuns()
    {
        {
            Session::Workspace workspace(env());
            Session::ConnectionCatalog &catalog = *workspace.catalog();
            QSettings settings(settingsPath(), QSettings::IniFormat);
            Ui::MainWindow w(&workspace, &settings);
            w.show();
            w.resize(1111, 777);
            w.showPane(QStringLiteral("sagas"));
            catalog.setCurrentContext(QStringLiteral("lab"));
            catalog.setCurrentProfile(QStringLiteral("dev"));
            w.close();
        }
        QSettings check(settingsPath(), QSettings::IniFormat);
        QCOMPARE(check.value(QStringLiteral("kube/context")).toString(), QStringLiteral("lab"));
        // Defaults are not frozen into the settings: only what the user chose.
        QCOMPARE(check.value(QStringLiteral("aws/region")).toString(), QString());
        const QStringList keys = check.allKeys();
        for (const QString &k : keys)
            QVERIFY2(!check.value(k).toString().contains(QStringLiteral("secret-token")), "no secrets in QSettings");

        Session::Workspace workspace(env());
        Session::ConnectionCatalog &catalog = *workspace.catalog();
        QSettings settings(settingsPath(), QSettings::IniFormat);
        Ui::MainWindow w(&workspace, &settings);
        QCOMPARE(w.currentPaneId(), QStringLiteral("sagas"));
        QCOMPARE(w.size(), QSize(1111, 777));
        QCOMPARE(catalog.currentContext(), QStringLiteral("lab"));
        QCOMPARE(catalog.currentProfile(), QStringLiteral("dev"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
