// The Load balancers pane against the fake API server, in process: its empty
// states, the live pools and services, F5, and the edit and migration
// dialogs going through the server's dry run and apply.

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"
#include "kube/watchhub.h"
#include "metallb/poolwatcher.h"
#include "models/lbservicetablemodel.h"
#include "models/nodemodel.h"
#include "models/pooltablemodel.h"
#include "session/clustersession.h"
#include "session/connectioncatalog.h"
#include "support/testpaths.h"
#include "ui/common/emptystate.h"
#include "ui/common/freshnessindicator.h"
#include "ui/loadbalancers/addressmapwidget.h"
#include "ui/loadbalancers/loadbalancerspane.h"
#include "ui/loadbalancers/loadbalancersview.h"
#include "ui/loadbalancers/migrationdialog.h"
#include "ui/loadbalancers/pooleditdialog.h"
#include "ui/nodes/nodespane.h"

#include <QAction>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Bramble;
using Test::FakeKubeApiServer;

namespace {

QString text(const char *s)
{
    return QString::fromUtf8(s);
}

struct Fixture {
    std::unique_ptr<FakeKubeApiServer> server;
    std::unique_ptr<Session::ConnectionCatalog> catalog;
    std::unique_ptr<Session::ClusterSession> session;
    std::unique_ptr<Ui::LoadBalancersPane> pane;

    QString placeholderTitle() const { return pane->placeholder()->title(); }
    // The pane's own empty state (no context, unusable context), not the content's placeholder.
    Ui::EmptyState *paneEmptyState() const
    {
        for (Ui::EmptyState *e : pane->findChildren<Ui::EmptyState *>())
            if (e != pane->placeholder())
                return e;
        return nullptr;
    }
    Models::PoolTableModel *pools() const { return pane->view()->poolModel(); }
};

// The first address entry of the pool "lan" as the server holds it.
QString lanAddress(const FakeKubeApiServer &server)
{
    const QJsonObject pool = server.object(text("ipaddresspools"), text("metallb-system"), text("lan"));
    return pool.value(u"spec").toObject().value(u"addresses").toArray().at(0).toString();
}

} // namespace

class TestLoadBalancersPane : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Test::TestPki m_pki;
    int m_configs = 0;

    QString writeKubeconfig(const QByteArray &yaml)
    {
        return Test::writeFile(m_dir.filePath(QStringLiteral("kubeconfig-%1").arg(++m_configs)), yaml);
    }

    void open(Fixture &f, const QString &kubeconfig)
    {
        Core::Environment env(QProcessEnvironment(), m_dir.filePath(text("home")));
        env.insert(text("KUBECONFIG"), kubeconfig);
        f.catalog = std::make_unique<Session::ConnectionCatalog>(env);
        f.session = std::make_unique<Session::ClusterSession>(f.catalog.get());
        f.pane = std::make_unique<Ui::LoadBalancersPane>(f.catalog.get(), f.session.get());
        f.pane->resize(1300, 800);
        f.pane->show();
    }

    std::unique_ptr<Fixture> start(const std::function<void(FakeKubeApiServer &)> &seed = {})
    {
        auto f = std::make_unique<Fixture>();
        f->server = std::make_unique<FakeKubeApiServer>(m_pki);
        f->server->seedNodes(2);
        if (seed)
            seed(*f->server);
        if (!f->server->listen())
            qFatal("listen: %s", qPrintable(f->server->errorString()));
        open(*f, writeKubeconfig(f->server->kubeconfigWithToken(FakeKubeApiServer::defaultToken())));
        if (!QTest::qWaitFor([&] { return f->pane->watcher() && f->pane->watcher()->isSynced(); }, 8000))
            qWarning("the pool watcher did not sync");
        return f;
    }

    static void seedPools(FakeKubeApiServer &s)
    {
        s.putObject(text("ipaddresspools"),
            FakeKubeApiServer::makeIpAddressPool(text("lan"), { text("192.168.1.240-192.168.1.250") }));
        s.putObject(text("l2advertisements"), FakeKubeApiServer::makeL2Advertisement(text("lan-l2"), { text("lan") }));
        s.putObject(text("services"),
            FakeKubeApiServer::makeLoadBalancerService(text("web"), text("nginx"), { text("192.168.1.240") }));
        s.putObject(text("services"),
            FakeKubeApiServer::makeLoadBalancerService(text("dns"), text("coredns"), { text("192.168.1.241") }));
        s.putObject(text("services"), FakeKubeApiServer::makeLoadBalancerService(text("web"), text("stuck"), {}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_pki = Test::TestPki::generate(m_dir.filePath(text("pki")), &error);
        QVERIFY2(m_pki.isValid(), qPrintable(error));
    }

    // One window, one watch per collection: the Nodes pane joins the node
    // watch the Load balancers pane already runs (and is caught up from its
    // store), and the API server sees exactly one list and one watch on
    // /api/v1/nodes for both.
    void nodesAndLoadBalancersShareOneNodeWatch()
    {
        auto f = start(seedPools);
        QVERIFY(f->pane->watcher()->isSynced());
        auto countNodeRequests = [&](FakeKubeApiServer::RequestKinds kinds) {
            int n = 0;
            for (const FakeKubeApiServer::Request &r : f->server->requests())
                n += (kinds & r.kind) && r.path == u"/api/v1/nodes" ? 1 : 0;
            return n;
        };
        QTRY_COMPARE(countNodeRequests(FakeKubeApiServer::Watch), 1); // the list first, then its watch

        Ui::NodesPane nodes(f->catalog.get(), f->session.get());
        nodes.resize(1200, 700);
        nodes.show();
        QTRY_COMPARE(nodes.model()->rowCount(), 2); // caught up from the shared store
        QCOMPARE(f->session->watches()->subscribers(QStringLiteral("/api/v1/nodes")), 2);
        // Every watch the server holds is one of the hub's: none per pane.
        QTRY_COMPARE(f->server->activeWatchCount(), f->session->watches()->runningWatches());
        QCOMPARE(countNodeRequests(FakeKubeApiServer::List), 1);
        QCOMPARE(countNodeRequests(FakeKubeApiServer::Watch), 1);

        // A change reaches both through the one watch.
        QVERIFY(f->server->addNode(FakeKubeApiServer::makeNode(QStringLiteral("rpi-new"))));
        QTRY_COMPARE(nodes.model()->rowCount(), 3);
        QCOMPARE(f->session->watches()->watch(QStringLiteral("/api/v1/nodes"))->objects().size(), 3);
        QCOMPARE(countNodeRequests(FakeKubeApiServer::Watch), 1);
        QCOMPARE(f->server->activeWatchCount(), f->session->watches()->runningWatches());

        // Hiding one consumer keeps the watch for the other.
        f->pane->watcher()->stop();
        QCOMPARE(f->session->watches()->subscribers(QStringLiteral("/api/v1/nodes")), 1);
        QVERIFY(f->session->watches()->watch(QStringLiteral("/api/v1/nodes"))->isRunning());
    }

    void noKubeconfigShowsTheConnectionEmptyState()
    {
        Fixture f;
        open(f, m_dir.filePath(text("no-such-kubeconfig")));
        QTRY_VERIFY(f.pane->isShowingEmptyState());
        QVERIFY(f.paneEmptyState());
        QVERIFY(!f.paneEmptyState()->title().isEmpty());
        QVERIFY(!f.pane->editAction()->isEnabled());
        QVERIFY(!f.pane->isLoading());
    }

    void unusableContextNamesTheProblem()
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
        QTRY_VERIFY(f.paneEmptyState() && f.paneEmptyState()->title().contains(text("cannot be used")));
        QVERIFY(f.pane->isShowingEmptyState());
        QVERIFY(f.paneEmptyState()->body().contains(text("nobody")));
        QVERIFY(!f.pane->watcher());
    }

    void unreachableClusterSaysItRetries()
    {
        QByteArray yaml;
        {
            FakeKubeApiServer gone(m_pki);
            QVERIFY(gone.listen());
            yaml = gone.kubeconfigWithToken(FakeKubeApiServer::defaultToken());
        }
        Fixture f;
        open(f, writeKubeconfig(yaml));
        QTRY_COMPARE(f.placeholderTitle(), text("Cannot reach the cluster"));
        QVERIFY(!f.pane->isShowingView());
        QVERIFY(f.pane->freshness()->text().startsWith(text("Reconnecting")));
        QVERIFY(!f.pane->isLoading());
    }

    void metallbWithoutPoolsSaysSo()
    {
        auto f = start([](FakeKubeApiServer &s) {
            s.putObject(text("services"), FakeKubeApiServer::makeLoadBalancerService(text("web"), text("a"), {}));
        });
        QTRY_COMPARE(f->placeholderTitle(), text("MetalLB has no address pools"));
        QTRY_VERIFY2(f->pane->placeholder()->body().contains(text("1 LoadBalancer service")),
            qPrintable(f->pane->placeholder()->body()));
        QVERIFY(!f->pane->isShowingView());
    }

    // No metallb.io API (404 on its discovery) and no legacy ConfigMap.
    void clusterWithoutMetalLBSaysSo()
    {
        auto f = start([](FakeKubeApiServer &s) {
            s.injectFault(FakeKubeApiServer::Discovery, FakeKubeApiServer::Fault::httpStatus(404));
        });
        QTRY_COMPARE(f->placeholderTitle(), text("MetalLB is not installed in this cluster"));
        QVERIFY(!f->pane->watcher()->hasCrdApi());
        QVERIFY(!f->pane->isShowingView());
    }

    void poolsAndServicesLive()
    {
        auto f = start(seedPools);
        QTRY_VERIFY(f->pane->isShowingView());
        QTRY_COMPARE(f->pools()->rowCount(), 1);
        QCOMPARE(f->pools()->index(0, Models::PoolTableModel::UsedColumn).data().toString(), text("2"));
        QCOMPARE(f->pane->view()->selectedPool(), text("lan"));
        QCOMPARE(f->pane->view()->addressMap()->map().cells.size(), 11);
        QTRY_COMPARE(f->pane->freshness()->text(), text("Live"));
        QVERIFY(f->pane->editAction()->isEnabled());
        QVERIFY(f->pane->editAction()->toolTip().contains(text("Ctrl+E")));

        // A new pool arrives live; the selection stays on lan.
        f->server->putObject(
            text("ipaddresspools"), FakeKubeApiServer::makeIpAddressPool(text("dmz"), { text("172.16.0.0/28") }));
        QTRY_COMPARE(f->pools()->rowCount(), 2);
        QCOMPARE(f->pane->view()->selectedPool(), text("lan"));

        // The find field filters services.
        auto *find = f->pane->findChild<QLineEdit *>(text("findField"));
        QVERIFY(find && find->isEnabled());
        find->setText(text("192.168.1.241"));
        QCOMPARE(f->pane->view()->serviceTable()->model()->rowCount(), 1);
        find->setText(text("web/"));
        QCOMPARE(f->pane->view()->serviceTable()->model()->rowCount(), 2);
        find->clear();

        // F5 lists again and ends up where it was.
        f->pane->refresh();
        QTRY_VERIFY(f->pane->watcher()->isSynced());
        QTRY_COMPARE(f->pools()->rowCount(), 2);
    }

    void editDryRunsThenApplies()
    {
        auto f = start(seedPools);
        QTRY_VERIFY(f->pane->isShowingView());
        QStringList seen;
        f->pane->setDialogOpener([&](QDialog *d) {
            auto *dialog = qobject_cast<Ui::PoolEditDialog *>(d);
            QVERIFY(dialog);
            dialog->setConfirmation([&](QWidget *, const QString &, const QString &q) {
                seen << q;
                return true;
            });
            QCOMPARE(dialog->addresses(), QStringList { text("192.168.1.240-192.168.1.250") });
            QVERIFY(!dialog->hasErrors());
            QVERIFY(!dialog->applyButton()->isEnabled()); // not checked yet

            dialog->setAddresses({ text("192.168.1.250-192.168.1.240") });
            QVERIFY(dialog->hasErrors());
            QVERIFY(!dialog->checkButton()->isEnabled());
            QVERIFY2(!dialog->issuesText().isEmpty(), qPrintable(dialog->issuesText()));

            dialog->setAddresses({ text("192.168.1.240/28") });
            QVERIFY2(!dialog->hasErrors(), qPrintable(dialog->issuesText()));
            dialog->checkWithServer();
            QVERIFY(dialog->isBusy());
            QTRY_VERIFY(!dialog->isBusy());
            QVERIFY2(dialog->verdictText().contains(text("dry run")), qPrintable(dialog->verdictText()));
            QVERIFY(dialog->applyButton()->isEnabled());
            // The dry run stored nothing.
            QCOMPARE(lanAddress(*f->server), text("192.168.1.240-192.168.1.250"));
            dialog->apply();
            QTRY_VERIFY(!dialog->isBusy());
            QVERIFY2(
                seen.size() == 1 && seen.constFirst().contains(text("192.168.1.240/28")), qPrintable(seen.join(u'|')));
        });
        QVERIFY(f->pane->editPool(text("lan")));
        QVERIFY(f->pane->watcher()->isRunning()); // paused while the dialog was open
        QCOMPARE(lanAddress(*f->server), text("192.168.1.240/28"));
        QTRY_COMPARE(f->pools()->index(0, Models::PoolTableModel::TotalColumn).data().toString(), text("16"));
    }

    void serverDenialIsShownAndApplyStaysOff()
    {
        auto f = start(seedPools);
        QTRY_VERIFY(f->pane->isShowingView());
        f->server->setAdmission([](const QString &resource, const QJsonObject &, bool) {
            return resource == u"ipaddresspools" ? text("overlaps with pool other") : QString();
        });
        f->pane->setDialogOpener([&](QDialog *d) {
            auto *dialog = qobject_cast<Ui::PoolEditDialog *>(d);
            QVERIFY(dialog);
            dialog->setAddresses({ text("192.168.1.200/29") });
            dialog->checkWithServer();
            QTRY_VERIFY(!dialog->isBusy());
            QVERIFY2(
                dialog->verdictText().contains(text("overlaps with pool other")), qPrintable(dialog->verdictText()));
            QVERIFY(!dialog->applyButton()->isEnabled());
        });
        QVERIFY(f->pane->editPool(text("lan")));
    }

    void legacyPoolsShowTheirMigration()
    {
        auto f = start([](FakeKubeApiServer &s) {
            s.putObject(text("configmaps"),
                FakeKubeApiServer::makeMetalLBConfigMap("address-pools:\n"
                                                        "- name: old\n"
                                                        "  protocol: layer2\n"
                                                        "  addresses:\n"
                                                        "  - 10.0.0.10-10.0.0.20\n"));
        });
        QTRY_VERIFY(f->pane->isShowingView());
        QTRY_COMPARE(f->pools()->rowCount(), 1);
        QVERIFY(f->pane->view()->selectPool(text("old")));
        QCOMPARE(f->pane->editAction()->text(), text("Migrate pool…"));
        bool shown = false;
        f->pane->setDialogOpener([&](QDialog *d) {
            auto *dialog = qobject_cast<Ui::MigrationDialog *>(d);
            QVERIFY(dialog);
            shown = true;
            QVERIFY2(dialog->yaml().contains(text("kind: IPAddressPool")) && dialog->yaml().contains(text("10.0.0.10")),
                qPrintable(dialog->yaml()));
            const QString file = m_dir.filePath(text("migration.yaml"));
            QVERIFY(dialog->saveTo(file));
            QFile saved(file);
            QVERIFY(saved.open(QIODevice::ReadOnly));
            QVERIFY(saved.readAll().contains("kind: IPAddressPool"));
        });
        f->pane->editAction()->trigger();
        QVERIFY(shown);
    }
};

QTEST_MAIN(TestLoadBalancersPane)
#include "tst_loadbalancerspane.moc"
