// The Load balancers view fed with a hand-built AllocationReport (no
// server): tables, problems that select their subject, the chart, the
// address map widget's cells, tooltips and legend, and a grab of the whole
// view in light and dark palettes (written to $BRAMBLE_GRAB_DIR when set).

#include "../models/lbreportfixture.h"
#include "models/lbservicetablemodel.h"
#include "models/pooltablemodel.h"
#include "models/problemlistmodel.h"
#include "ui/common/theme.h"
#include "ui/loadbalancers/addressmapwidget.h"
#include "ui/loadbalancers/loadbalancersview.h"
#include "ui/loadbalancers/poolusagechart.h"

#include <QApplication>
#include <QDir>
#include <QHelpEvent>
#include <QLabel>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>
#include <QToolTip>
#include <QTreeView>

using namespace Bramble;
using namespace Bramble::Test;
using MetalLB::AllocationReport;
using MetalLB::Problem;
using MetalLB::ServiceState;

namespace {

AllocationReport demoReport()
{
    AllocationReport r;
    r.pools
        = { pool("lan", "192.168.1.240", "192.168.1.254",
                { s("dns/pihole-tcp@192.168.1.243"), s("dns/pihole-udp@192.168.1.243"), s("web/nginx@192.168.1.240"),
                    s("media/jellyfin@192.168.1.241"), s("home/assistant@192.168.1.242") }),
              pool("iot", "10.20.0.0", "10.20.3.255", { s("iot/mqtt@10.20.0.1"), s("iot/zigbee@10.20.0.2") }),
              pool("reserved-old", "10.0.0.10", "10.0.0.20", {}, MetalLB::PoolSource::ConfigMap),
              pool("v6", "fd00:10::", "fd00:10::ffff:ffff:ffff:ffff") };
    r.pools[1].avoidBuggyIPs = true;
    r.services = { service("dns", "pihole-tcp", { s("192.168.1.243") }, "lan"),
        service("dns", "pihole-udp", { s("192.168.1.243") }, "lan"),
        service("home", "assistant", { s("192.168.1.242") }, "lan"), service("iot", "mqtt", { s("10.20.0.1") }, "iot"),
        service("iot", "zigbee", { s("10.20.0.2") }, "iot"),
        service("media", "jellyfin", { s("192.168.1.241") }, "lan"),
        service("default", "legacy-nas", {}, "", ServiceState::Pending, "requested pool \"gone\" does not exist"),
        service("web", "nginx", { s("192.168.1.240") }, "lan"),
        service("web", "rogue", { s("172.16.9.9") }, "", ServiceState::OutsidePools) };
    r.problems = { problem(Problem::Error, "ip-outside-pools", "service/web/rogue",
                       "web/rogue holds 172.16.9.9, outside every pool"),
        problem(Problem::Error, "pending-pool-missing", "service/default/legacy-nas",
            "default/legacy-nas is pending: requested pool \"gone\" does not exist"),
        problem(Problem::Warning, "pool-not-advertised", "pool/v6", "No advertisement selects pool v6") };
    return r;
}

void grab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("BRAMBLE_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(QDir(dir).filePath(name)));
}

} // namespace

class TestLoadBalancersView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheReport()
    {
        Ui::LoadBalancersView view;
        view.resize(1300, 780);
        view.show();
        view.setReport(demoReport());
        QCOMPARE(view.poolTable()->model()->rowCount(), 4);
        QCOMPARE(view.serviceTable()->model()->rowCount(), 9);
        QCOMPARE(view.problemList()->model()->rowCount(), 3);
        QCOMPARE(view.selectedPool(), s("lan")); // the first pool, until the user picks one
        // A pool with a problem carries a warning icon.
        QVERIFY(!view.poolModel()->index(3, 0).data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(view.poolModel()->index(0, 0).data(Qt::DecorationRole).isNull());
        QCOMPARE(view.addressMap()->map().cells.size(), 15);
        QVERIFY2(view.summaryText().contains(s("4 pools")) && view.summaryText().contains(s("1</b> pending")),
            qPrintable(view.summaryText()));
        QCOMPARE(view.chart()->categories().constFirst(), s("lan 4/15"));
        QVERIFY(view.chart()->categories().constLast().contains(s("IPv6")));
        QVERIFY(view.chart()->describe(3).contains(s("4 used, 11 free of 15")));

        // Clicking a problem selects what it is about.
        QTreeView *problems = view.problemList();
        QTest::mouseClick(
            problems->viewport(), Qt::LeftButton, {}, problems->visualRect(problems->model()->index(2, 0)).center());
        QCOMPARE(view.selectedPool(), s("v6"));
        QVERIFY(view.addressMap()->map().cells.isEmpty());
        QVERIFY(view.addressMap()->footerText().contains(s("IPv6")));
        QVERIFY(view.selectSubject(s("service/web/rogue")));
        QCOMPARE(view.selectedService(), s("web/rogue"));
        QVERIFY(view.selectSubject(s("ip/192.168.1.241")));
        QCOMPARE(view.selectedService(), s("media/jellyfin"));
        QVERIFY(!view.selectSubject(s("node/rpi-01")));

        // Filter, and a filtered-out subject still gets selected.
        view.setFilterText(s("DNS/"));
        QCOMPARE(view.serviceTable()->model()->rowCount(), 2);
        view.setFilterText(s("10.20.0.2"));
        QCOMPARE(view.serviceTable()->model()->rowCount(), 1);
        QVERIFY(view.selectService(s("web/nginx")));
        QCOMPARE(view.selectedService(), s("web/nginx"));

        // A live update keeps the user's pool selected.
        QVERIFY(view.selectPool(s("iot")));
        AllocationReport next = demoReport();
        next.pools.removeFirst();
        view.setReport(next);
        QCOMPARE(view.selectedPool(), s("iot"));
        QCOMPARE(view.poolTable()->model()->rowCount(), 3);

        // Splitter state round-trips.
        const QByteArray state = view.saveState();
        QVERIFY(!state.isEmpty());
        view.restoreState(state);
        view.restoreState("garbage");
    }

    void addressMapCellsAndTooltips()
    {
        AllocationReport r = demoReport();
        Ui::AddressMapWidget map;
        map.resize(400, 300);
        map.show();
        map.setMap(Models::AddressMap::build(r, s("iot")));
        QCOMPARE(map.map().cells.size(), 1024);
        QVERIFY(map.heightForWidth(400) > map.heightForWidth(800));
        const int first = map.cellAt(QPoint(6, 6));
        QCOMPARE(first, 0);
        QCOMPARE(map.cellAt(QPoint(-5, 5)), -1);
        QCOMPARE(map.cellAt(QPoint(5, map.height() - 2)), -1); // the legend
        QVERIFY(map.map().describe(1).contains(s("held by iot/mqtt")));
        QCOMPARE(map.map().cells.at(0).state, Models::AddressMap::Excluded); // .0 with avoidBuggyIPs

        // Hovering a cell shows its address and holder.
        int cell1 = -1;
        QPoint at;
        for (int x = 4; x < 60 && cell1 != 1; ++x) {
            at = QPoint(x, 6);
            cell1 = map.cellAt(at);
        }
        QCOMPARE(cell1, 1);
        QHelpEvent help(QEvent::ToolTip, at, map.mapToGlobal(at));
        QApplication::sendEvent(&map, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(s("10.20.0.1")) && QToolTip::text().contains(s("iot/mqtt")),
            qPrintable(QToolTip::text()));
        QToolTip::hideText();

        // A capped pool says how many are not shown.
        r.pools[1].ranges = { { ip("10.20.0.0"), ip("10.20.255.255") } };
        map.setMap(Models::AddressMap::build(r, s("iot")));
        QVERIFY2(
            map.footerText().contains(QRegularExpression(s("61.?440 more not shown"))), qPrintable(map.footerText()));
        map.setMap({});
        QVERIFY(map.footerText().contains(s("Select a pool")));
    }

    void grabsInLightAndDark()
    {
        for (const char *scheme : { "light", "dark" }) {
            Ui::applyColorScheme(*qApp, s(scheme));
            Ui::LoadBalancersView view;
            view.resize(1300, 780);
            view.show();
            view.setReport(demoReport());
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            grab(&view, QStringLiteral("loadbalancersview-%1.png").arg(s(scheme)));
            QVERIFY(view.selectPool(s("iot")));
            grab(&view, QStringLiteral("loadbalancersview-%1-iot.png").arg(s(scheme)));
        }
    }
};

QTEST_MAIN(TestLoadBalancersView)
#include "tst_loadbalancersview.moc"
