// The Nodes pane against the fake API server, in process: what it shows,
// how it follows changes, filters, cordons and reports trouble.

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"
#include "kube/nodeservice.h"
#include "models/nodemodel.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "support/testpaths.h"
#include "ui/common/emptystate.h"
#include "ui/common/freshnessindicator.h"
#include "ui/nodes/nodedetailview.h"
#include "ui/nodes/nodespane.h"
#include "ui/nodes/readinesstimeline.h"

#include <QAction>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Bramble;
using Test::FakeKubeApiServer;

namespace {

QString text(const char *s)
{
    return QString::fromLatin1(s);
}

// One cluster, one catalog, one session, one pane.
struct Fixture {
    std::unique_ptr<FakeKubeApiServer> server;
    std::unique_ptr<Session::ConnectionCatalog> catalog;
    std::unique_ptr<Session::ClusterSession> session;
    std::unique_ptr<Ui::NodesPane> pane;
    QStringList questions; // what the confirmation was asked
    bool answer = true;

    Models::NodeModel *model() const { return pane->model(); }
    QAbstractItemModel *view() const { return pane->table()->model(); }
    QString freshness() const { return pane->freshness()->text(); }
    QString statusTextOf(const QString &name) const
    {
        for (int r = 0; r < view()->rowCount(); ++r)
            if (view()->index(r, Models::NodeModel::NameColumn).data().toString() == name)
                return view()->index(r, Models::NodeModel::StatusColumn).data().toString();
        return {};
    }
    int statusRoleOf(const QString &name) const
    {
        const int row = model()->rowOf(name);
        return row < 0
            ? -1
            : model()->index(row, Models::NodeModel::StatusColumn).data(Models::NodeModel::StatusRole).toInt();
    }
    QString placeholderTitle() const { return pane->findChild<Ui::EmptyState *>(text("nodesPlaceholder"))->title(); }
};

} // namespace

class TestNodesPane : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Test::TestPki m_pki;
    int m_configs = 0;

    Core::Environment env(const QString &kubeconfig) const
    {
        Core::Environment e(QProcessEnvironment(), m_dir.filePath(text("home")));
        e.insert(text("KUBECONFIG"), kubeconfig);
        return e;
    }

    QString writeKubeconfig(const QByteArray &yaml)
    {
        return Test::writeFile(m_dir.filePath(QStringLiteral("kubeconfig-%1").arg(++m_configs)), yaml);
    }

    // A pane shown on a fresh server with `nodes` seeded nodes, its first list done.
    std::unique_ptr<Fixture> start(int nodes, bool waitForNodes = true)
    {
        auto f = std::make_unique<Fixture>();
        f->server = std::make_unique<FakeKubeApiServer>(m_pki);
        f->server->seedNodes(nodes);
        if (!f->server->listen())
            qFatal("listen: %s", qPrintable(f->server->errorString()));
        const QString path = writeKubeconfig(f->server->kubeconfigWithToken(FakeKubeApiServer::defaultToken()));
        open(*f, path);
        if (waitForNodes
            && !QTest::qWaitFor([&] { return f->model()->rowCount() == nodes && f->session->isSynced(); }, 5000))
            qWarning("the pane did not list %d nodes", nodes);
        return f;
    }

    void open(Fixture &f, const QString &kubeconfig)
    {
        f.catalog = std::make_unique<Session::ConnectionCatalog>(env(kubeconfig));
        f.session = std::make_unique<Session::ClusterSession>(f.catalog.get());
        f.pane = std::make_unique<Ui::NodesPane>(f.catalog.get(), f.session.get());
        f.pane->setConfirmation([fp = &f](QWidget *, const QString &title, const QString &question) {
            fp->questions << title + u'\n' + question;
            return fp->answer;
        });
        f.pane->resize(1200, 800);
        f.pane->show();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_pki = Test::TestPki::generate(m_dir.filePath(text("pki")), &error);
        QVERIFY2(m_pki.isValid(), qPrintable(error));
    }

    void showsTheSeededNodesLive()
    {
        auto f = start(4);
        QCOMPARE(f->view()->rowCount(), 4);
        QVERIFY(!f->pane->isShowingEmptyState());
        QTRY_VERIFY(f->pane->table()->isVisible());
        QCOMPARE(f->statusTextOf(text("rpi-02")), text("Ready"));
        QCOMPARE(f->statusRoleOf(text("rpi-02")), int(Kube::NodeStatus::Ready));
        QTRY_COMPARE(f->freshness(), text("Live"));
        QVERIFY(!f->pane->isLoading());
        const QString counts = f->pane->findChild<QLabel *>(text("nodeCounts"))->text();
        QVERIFY2(counts.contains(text("4 nodes")) && counts.contains(text("Ready")), qPrintable(counts));
        // The first row is selected, so the detail panel is never blank.
        QVERIFY(!f->pane->selectedNodeName().isEmpty());
        QVERIFY(f->pane->detail()->toPlainText().contains(f->pane->selectedNodeName()));
        // The timeline has sampled the session.
        QTRY_VERIFY(!f->pane->timeline()->samples().isEmpty());
        QCOMPARE(f->pane->timeline()->samples().constLast().counts.ready, 4);
    }

    void statusChangesReachCellCountsAndTimeline()
    {
        auto f = start(4);
        QSignalSpy counts(f->model(), &Models::NodeModel::countsChanged);
        QVERIFY(
            f->server->setReady(text("rpi-03"), text("False"), text("KubeletNotReady"), text("PLEG is not healthy")));
        QTRY_COMPARE(f->statusRoleOf(text("rpi-03")), int(Kube::NodeStatus::NotReady));
        QCOMPARE(f->statusTextOf(text("rpi-03")), text("NotReady"));
        QCOMPARE(f->model()->counts().notReady, 1);
        QCOMPARE(f->model()->counts().ready, 3);
        QVERIFY(counts.count() >= 1);
        QVERIFY(f->pane->findChild<QLabel *>(text("nodeCounts"))->text().contains(text("NotReady")));

        QVERIFY(f->server->setReady(text("rpi-04"), text("Unknown")));
        QTRY_COMPARE(f->statusRoleOf(text("rpi-04")), int(Kube::NodeStatus::Unknown));
        QCOMPARE(f->model()->counts().unknown, 1);
        QTRY_COMPARE(f->pane->timeline()->samples().constLast().counts.unknown, 1);
        QCOMPARE(f->pane->timeline()->samples().constLast().counts.notReady, 1);
        // Worst first: the NotReady node leads the table.
        QTRY_COMPARE(f->view()->index(0, Models::NodeModel::NameColumn).data().toString(), text("rpi-03"));

        QVERIFY(f->server->setUnschedulable(text("rpi-02"), true));
        QTRY_COMPARE(f->statusRoleOf(text("rpi-02")), int(Kube::NodeStatus::Cordoned));
        QCOMPARE(f->model()->counts().cordoned, 1);
    }

    void findFieldFilters()
    {
        auto f = start(5); // rpi-01..03 are control-plane nodes
        QVERIFY(f->server->setReady(text("rpi-05"), text("Unknown")));
        QTRY_COMPARE(f->statusRoleOf(text("rpi-05")), int(Kube::NodeStatus::Unknown));
        auto *find = f->pane->findChild<QLineEdit *>(text("findField"));
        QTRY_VERIFY(find->isEnabled());
        const QList<QPair<QString, int>> cases {
            { text("rpi-02"), 1 },
            { text("control-plane"), 3 },
            { text("10.42.0.14"), 1 },
            { text("unknown"), 1 },
            { text("notready"), 1 },
            { text("control rpi-03"), 1 },
            { QString(), 5 },
        };
        for (const auto &[filter, rows] : cases) {
            find->setText(filter);
            QVERIFY2(f->view()->rowCount() == rows,
                qPrintable(QStringLiteral("%1: %2 rows").arg(filter).arg(f->view()->rowCount())));
        }
        find->setText(text("no-such-node"));
        QCOMPARE(f->view()->rowCount(), 0);
        QVERIFY(f->placeholderTitle().contains(text("no-such-node")));
        QVERIFY(!f->pane->table()->isVisible());
        find->clear();
        QTRY_VERIFY(f->pane->table()->isVisible());
    }

    void detailPanelShowsTheSelectedNode()
    {
        auto f = start(3);
        QVERIFY(f->server->setCondition(text("rpi-02"), text("DiskPressure"), text("True"),
            text("KubeletHasDiskPressure"), text("ephemeral storage almost full")));
        QTRY_COMPARE(f->model()->node(f->model()->rowOf(text("rpi-02"))).problemConditions(),
            QStringList { text("DiskPressure") });
        const int row = f->model()->rowOf(text("rpi-02"));
        QCOMPARE(f->model()
                     ->index(row, Models::NodeModel::StatusColumn)
                     .data(Models::NodeModel::ConditionsRole)
                     .toStringList(),
            QStringList { text("DiskPressure") });
        QVERIFY(f->pane->selectNode(text("rpi-02")));
        QCOMPARE(f->pane->selectedNodeName(), text("rpi-02"));
        const QString detail = f->pane->detail()->toPlainText();
        for (const char *expected :
            { "rpi-02", "Conditions", "DiskPressure", "KubeletHasDiskPressure", "ephemeral storage almost full",
                "MemoryPressure", "KubeletReady", "changed ", "10.42.0.12", "Capacity", "Allocatable", "Taints",
                "Labels", "kubernetes.io/hostname", "v1.32.4", "containerd://", "Kernel" })
            QVERIFY2(detail.contains(text(expected)), expected);
        // It follows the node live.
        QVERIFY(f->server->setCondition(
            text("rpi-02"), text("DiskPressure"), text("False"), text("KubeletHasNoDiskPressure")));
        QTRY_VERIFY(f->pane->detail()->toPlainText().contains(text("KubeletHasNoDiskPressure")));
    }

    void cordonAsksThenPatchesTheNode()
    {
        auto f = start(3);
        QVERIFY(f->pane->selectNode(text("rpi-02")));
        QVERIFY(f->pane->cordonAction()->isEnabled());
        QVERIFY(!f->pane->uncordonAction()->isEnabled());

        // Declined: nothing is sent.
        f->answer = false;
        f->pane->cordonAction()->trigger();
        QCOMPARE(f->questions.size(), 1);
        QVERIFY(f->questions.constLast().contains(text("rpi-02")));
        QCOMPARE(f->server->requestCount(FakeKubeApiServer::Patch), 0);

        f->answer = true;
        QTest::keySequence(f->pane->table(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        QCOMPARE(f->questions.size(), 2);
        QVERIFY(f->questions.constLast().contains(text("rpi-02")));
        QTRY_VERIFY(
            f->server->node(text("rpi-02")).value(text("spec")).toObject().value(text("unschedulable")).toBool());
        QTRY_COMPARE(f->statusRoleOf(text("rpi-02")), int(Kube::NodeStatus::Cordoned));
        QTRY_VERIFY(!f->pane->isBusy());
        QVERIFY(f->pane->selectNode(text("rpi-02")));
        QTRY_VERIFY(f->pane->uncordonAction()->isEnabled());
        QVERIFY(!f->pane->cordonAction()->isEnabled());

        f->pane->uncordonAction()->trigger();
        QVERIFY(f->questions.constLast().startsWith(text("Uncordon")));
        QTRY_VERIFY(
            !f->server->node(text("rpi-02")).value(text("spec")).toObject().value(text("unschedulable")).toBool());
        QTRY_COMPARE(f->statusRoleOf(text("rpi-02")), int(Kube::NodeStatus::Ready));
        QVERIFY(f->pane->messageText().isEmpty());
    }

    void cordonShowsItIsBusyAndCanBeCancelled()
    {
        auto f = start(2);
        f->server->injectFault(FakeKubeApiServer::Get | FakeKubeApiServer::Patch, FakeKubeApiServer::Fault::stall());
        QSignalSpy status(f->pane.get(), &Ui::Pane::statusMessage);
        QVERIFY(f->pane->selectNode(text("rpi-02")));
        f->pane->cordonAction()->trigger();
        QVERIFY(f->pane->isBusy());
        QVERIFY2(f->pane->messageText().contains(text("Cordoning rpi-02")), qPrintable(f->pane->messageText()));
        QVERIFY(!f->pane->cordonAction()->isEnabled()); // one job at a time
        QTest::keyClick(f->pane->table(), Qt::Key_Escape); // Cancel
        QTRY_VERIFY(!f->pane->isBusy());
        QVERIFY(f->pane->messageText().isEmpty());
        QVERIFY(!status.isEmpty());
        QVERIFY2(status.constLast().constFirst().toString().contains(text("cancelled")),
            qPrintable(status.constLast().constFirst().toString()));
        QVERIFY(f->pane->cordonAction()->isEnabled());
    }

    void forbiddenCordonSaysSo()
    {
        auto f = start(2);
        f->server->setForbidden(FakeKubeApiServer::Patch);
        QSignalSpy status(f->pane.get(), &Ui::Pane::statusMessage);
        QVERIFY(f->pane->selectNode(text("rpi-01")));
        f->pane->cordonAction()->trigger();
        QVERIFY(f->pane->isBusy() || !f->pane->messageText().isEmpty());
        QTRY_VERIFY(!f->pane->isBusy());
        const QString message = f->pane->messageText();
        QVERIFY2(message.contains(text("rpi-01")) && message.contains(text("forbidden"), Qt::CaseInsensitive),
            qPrintable(message));
        QVERIFY(!status.isEmpty());
        QVERIFY(!f->server->node(text("rpi-01")).value(text("spec")).toObject().value(text("unschedulable")).toBool());
        QCOMPARE(f->statusRoleOf(text("rpi-01")), int(Kube::NodeStatus::Ready));
        QVERIFY(f->pane->cordonAction()->isEnabled()); // the user can try again
        QTest::keyClick(f->pane->table(), Qt::Key_Escape); // Dismiss
        QVERIFY(f->pane->messageText().isEmpty());
    }

    void connectionLossShowsReconnectingThenLive()
    {
        auto f = start(3);
        QTRY_COMPARE(f->freshness(), text("Live"));
        f->session->watcher()->listWatch()->setBackoff(20, 100, 120000);
        QStringList seen;
        connect(f->session.get(), &Session::ClusterSession::statusChanged, this, [&] { seen << f->freshness(); });
        // The stream drops, and the next two attempts fail too.
        f->server->injectFault(
            FakeKubeApiServer::Watch | FakeKubeApiServer::List, FakeKubeApiServer::Fault::internalError(), 2);
        f->server->dropConnections();
        QTRY_VERIFY(f->freshness().startsWith(text("Reconnecting since")));
        QVERIFY2(f->freshness().contains(u'—'), qPrintable(f->freshness())); // and why
        QCOMPARE(f->model()->rowCount(), 3); // the last picture stays
        QTRY_COMPARE(f->freshness(), text("Live"));
        QVERIFY2(seen.indexOf(QRegularExpression(text("^Reconnecting since .*"))) >= 0, qPrintable(seen.join(u'|')));
        // Changes made while it was down arrive.
        QVERIFY(f->server->setReady(text("rpi-01"), text("False")));
        QTRY_COMPARE(f->statusRoleOf(text("rpi-01")), int(Kube::NodeStatus::NotReady));
    }

    void refreshListsAgain()
    {
        auto f = start(3);
        const int lists = f->server->requestCount(FakeKubeApiServer::List);
        f->pane->refresh();
        QTRY_COMPARE(f->server->requestCount(FakeKubeApiServer::List), lists + 1);
        QTRY_VERIFY(f->session->isSynced());
        QCOMPARE(f->model()->rowCount(), 3);
    }

    void emptyClusterSaysHowToAddNodes()
    {
        auto f = start(0, false);
        QTRY_VERIFY(f->session->isSynced());
        QTRY_COMPARE(f->placeholderTitle(), text("This cluster has no nodes"));
        QVERIFY(!f->pane->isShowingEmptyState());
        QVERIFY(f->server->addNode(FakeKubeApiServer::makeNode(text("rpi-new"))));
        QTRY_COMPARE(f->model()->rowCount(), 1);
        QTRY_VERIFY(f->pane->table()->isVisible());
    }

    void switchingContextShowsTheOtherCluster()
    {
        FakeKubeApiServer a(m_pki), b(m_pki);
        a.seedNodes(2);
        b.seedNodes(5);
        QVERIFY(a.listen());
        QVERIFY(b.listen());
        const QByteArray ca = m_pki.caCertPem.toBase64();
        const QByteArray yaml = "current-context: a\n"
                                "clusters:\n"
                                "- name: a\n"
                                "  cluster: {server: \""
            + a.url().toUtf8() + "\", certificate-authority-data: " + ca
            + "}\n"
              "- name: b\n"
              "  cluster: {server: \""
            + b.url().toUtf8() + "\", certificate-authority-data: " + ca
            + "}\n"
              "users:\n"
              "- name: u\n"
              "  user: {token: "
            + FakeKubeApiServer::defaultToken()
            + "}\n"
              "contexts:\n"
              "- name: a\n"
              "  context: {cluster: a, user: u}\n"
              "- name: b\n"
              "  context: {cluster: b, user: u}\n";
        const QString path = writeKubeconfig(yaml);
        Fixture f;
        open(f, path);
        QTRY_COMPARE(f.model()->rowCount(), 2);
        QTRY_COMPARE(f.freshness(), text("Live"));

        QSignalSpy changed(f.session.get(), &Session::ClusterSession::connectionChanged);
        f.catalog->setCurrentContext(text("b"));
        QCOMPARE(changed.count(), 1);
        QTRY_COMPARE(f.model()->rowCount(), 5);
        QTRY_COMPARE(f.freshness(), text("Live"));
        QCOMPARE(f.model()->counts().total(), 5);

        // An edit elsewhere in the kubeconfig leaves the watch alone.
        const int lists = b.requestCount(FakeKubeApiServer::List);
        QVERIFY(!Test::writeFile(path, yaml + "- name: c\n  context: {cluster: a, user: u}\n").isEmpty());
        f.catalog->reload();
        QCOMPARE(f.catalog->kube().config.contexts.size(), 3);
        QCOMPARE(changed.count(), 1);
        QTest::qWait(100);
        QCOMPARE(b.requestCount(FakeKubeApiServer::List), lists);
        QCOMPARE(f.model()->rowCount(), 5);
    }

    void unreachableClusterSaysItRetries()
    {
        // A port nobody listens on: the server is gone.
        QByteArray yaml;
        {
            FakeKubeApiServer gone(m_pki);
            QVERIFY(gone.listen());
            yaml = gone.kubeconfigWithToken(FakeKubeApiServer::defaultToken());
        }
        Fixture f;
        open(f, writeKubeconfig(yaml));
        QTRY_COMPARE(f.placeholderTitle(), text("Cannot reach the cluster"));
        QVERIFY(f.freshness().startsWith(text("Reconnecting since")));
        QVERIFY(!f.pane->isLoading());
        QVERIFY(!f.pane->cordonAction()->isEnabled());
    }

    void unusableContextNamesTheFileAndKey()
    {
        const QString path = writeKubeconfig("current-context: pi\n"
                                             "clusters:\n"
                                             "- name: pi\n"
                                             "  cluster: {server: \"https://127.0.0.1:1\"}\n"
                                             "contexts:\n"
                                             "- name: pi\n"
                                             "  context: {cluster: pi, user: nobody}\n");
        Fixture f;
        open(f, path);
        Ui::EmptyState *empty = nullptr; // the pane's own, not the table's placeholder
        for (Ui::EmptyState *e : f.pane->findChildren<Ui::EmptyState *>())
            if (e->objectName() != text("nodesPlaceholder"))
                empty = e;
        QVERIFY(empty);
        QTRY_VERIFY2(empty->title().contains(text("cannot be used")), qPrintable(empty->title()));
        QVERIFY(f.pane->isShowingEmptyState());
        QVERIFY2(empty->body().contains(path) && empty->body().contains(text("nobody")), qPrintable(empty->body()));
        QVERIFY(f.session->client() == nullptr);
    }
};

QTEST_MAIN(TestNodesPane)
#include "tst_nodespane.moc"
