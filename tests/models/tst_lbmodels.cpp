// The Load balancers models (pools, services, problems) under
// QAbstractItemModelTester: what they show, and that a new report updates
// them in place (dataChanged for changed rows, inserts and removals for the
// others, never a reset), so selections survive live updates.

#include "lbreportfixture.h"
#include "models/lbservicetablemodel.h"
#include "models/pooltablemodel.h"
#include "models/problemlistmodel.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;
using namespace Bramble::Test;
using MetalLB::AllocationReport;
using MetalLB::Problem;
using MetalLB::ServiceState;
using Models::LbServiceTableModel;
using Models::PoolTableModel;
using Models::ProblemListModel;

namespace {

AllocationReport firstReport()
{
    AllocationReport r;
    r.pools = { pool("lan", "192.168.1.240", "192.168.1.250",
                    { s("web/nginx@192.168.1.240"), s("dns/coredns@192.168.1.241") }),
        pool("legacy", "10.0.0.0", "10.0.0.255", {}, MetalLB::PoolSource::ConfigMap),
        pool("v6", "fd00::", "fd00::ffff:ffff:ffff") };
    r.services = { service("dns", "coredns", { s("192.168.1.241") }, "lan"),
        service("web", "nginx", { s("192.168.1.240") }, "lan"),
        service("web", "stuck", {}, "", ServiceState::Pending, "pool \"lan\" is exhausted") };
    r.problems = { problem(Problem::Error, "pending-pool-exhausted", "service/web/stuck", "web/stuck is pending"),
        problem(Problem::Warning, "pool-not-advertised", "pool/v6", "pool v6 is not advertised") };
    return r;
}

// lan gets a holder, legacy is gone, v6 is unchanged, dmz is new.
AllocationReport secondReport()
{
    AllocationReport r;
    r.pools = { pool("lan", "192.168.1.240", "192.168.1.250",
                    { s("web/nginx@192.168.1.240"), s("dns/coredns@192.168.1.241"), s("web/stuck@192.168.1.242") }),
        pool("v6", "fd00::", "fd00::ffff:ffff:ffff"), pool("dmz", "172.16.0.10", "172.16.0.20") };
    r.services = { service("dns", "coredns", { s("192.168.1.241") }, "lan"),
        service("mail", "smtp", { s("172.16.0.10") }, "dmz"), service("web", "stuck", { s("192.168.1.242") }, "lan") };
    r.problems = { problem(Problem::Warning, "pool-not-advertised", "pool/v6", "pool v6 is not advertised"),
        problem(Problem::Warning, "pool-not-advertised", "pool/dmz", "pool dmz is not advertised") };
    return r;
}

QStringList column(const QAbstractItemModel &m, int column, int role = Qt::DisplayRole)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, column).data(role).toString();
    return out;
}

struct Signals {
    QSignalSpy changed, inserted, removed, reset;
    explicit Signals(QAbstractItemModel *m)
        : changed(m, &QAbstractItemModel::dataChanged)
        , inserted(m, &QAbstractItemModel::rowsInserted)
        , removed(m, &QAbstractItemModel::rowsRemoved)
        , reset(m, &QAbstractItemModel::modelReset)
    {
    }
    // Rows of dataChanged, in order.
    QList<int> changedRows() const
    {
        QList<int> rows;
        for (const auto &args : changed)
            for (int r = args.at(0).toModelIndex().row(); r <= args.at(1).toModelIndex().row(); ++r)
                rows << r;
        return rows;
    }
};

} // namespace

class TestLbModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void poolsShowTheReport()
    {
        PoolTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setReport(firstReport());
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.columnCount(), int(PoolTableModel::ColumnCount));
        QCOMPARE(column(m, PoolTableModel::NameColumn), QStringList({ s("lan"), s("legacy"), s("v6") }));
        QCOMPARE(column(m, PoolTableModel::SourceColumn), QStringList({ s("CRD"), s("ConfigMap"), s("CRD") }));
        QCOMPARE(m.index(0, PoolTableModel::AddressesColumn).data().toString(), s("192.168.1.240-192.168.1.250"));
        QCOMPARE(column(m, PoolTableModel::UsedColumn), QStringList({ s("2"), s("0"), s("0") }));
        QCOMPARE(column(m, PoolTableModel::FreeColumn), QStringList({ s("9"), s("256"), s("281474976710656") }));
        QCOMPARE(m.index(0, PoolTableModel::TotalColumn).data().toString(), s("11"));
        QCOMPARE(m.index(0, 0).data(PoolTableModel::UsageRole).toDouble(), 2.0 / 11.0);
        QCOMPARE(m.index(1, 0).data(PoolTableModel::UsageRole).toDouble(), 0.0);
        const QString tip = m.index(0, PoolTableModel::NameColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(s("192.168.1.240  web/nginx")) && tip.contains(s("dns/coredns")), qPrintable(tip));
        QVERIFY(!m.index(0, 0).data(PoolTableModel::ProblemRole).toBool());
        QVERIFY(m.index(2, 0).data(PoolTableModel::ProblemRole).toBool());
        QVERIFY(m.index(2, 0).data(Qt::ToolTipRole).toString().contains(s("not advertised")));
        QVERIFY(m.index(0, 0).data(PoolTableModel::EditableRole).toBool());
        QVERIFY(!m.index(1, 0).data(PoolTableModel::EditableRole).toBool());
        QCOMPARE(m.index(2, PoolTableModel::TotalColumn).data(PoolTableModel::SortRole).toDouble(), 281474976710656.0);
        QCOMPARE(m.rowOf(s("v6")), 2);
        QCOMPARE(m.rowOf(s("nope")), -1);
    }

    void poolsUpdateInPlace()
    {
        PoolTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setReport(firstReport());
        QItemSelectionModel selection(&m);
        selection.select(m.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows); // v6
        Signals sig(&m);

        m.setReport(secondReport());
        QCOMPARE(sig.reset.count(), 0);
        QCOMPARE(sig.removed.count(), 1); // legacy
        QCOMPARE(sig.inserted.count(), 1); // dmz, appended
        // Rows keep their place; the report's order is a role.
        QCOMPARE(column(m, PoolTableModel::NameColumn), QStringList({ s("lan"), s("v6"), s("dmz") }));
        QCOMPARE(column(m, 0, PoolTableModel::OrderRole), QStringList({ s("0"), s("1"), s("2") }));
        // lan changed (a holder more); v6 moved from 2nd to 1st in the report order.
        QCOMPARE(sig.changedRows(), QList<int>({ 0, 1 }));
        QCOMPARE(m.index(0, PoolTableModel::UsedColumn).data().toString(), s("3"));
        QVERIFY(m.index(2, 0).data(PoolTableModel::ProblemRole).toBool());
        // The selection followed v6.
        QCOMPARE(selection.selectedRows().size(), 1);
        QCOMPARE(selection.selectedRows().constFirst().data().toString(), s("v6"));

        // The same report again: no signal at all.
        Signals again(&m);
        m.setReport(secondReport());
        QCOMPARE(again.changed.count() + again.inserted.count() + again.removed.count() + again.reset.count(), 0);

        // A pool whose problems change is a changed row.
        AllocationReport third = secondReport();
        third.problems.removeLast();
        Signals problems(&m);
        m.setReport(third);
        QCOMPARE(problems.changedRows(), QList<int>({ 2 }));
        QVERIFY(!m.index(2, 0).data(PoolTableModel::ProblemRole).toBool());

        m.clear();
        QCOMPARE(m.rowCount(), 0);
    }

    void servicesShowAndUpdate()
    {
        LbServiceTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setReport(firstReport());
        QCOMPARE(column(m, LbServiceTableModel::NameColumn), QStringList({ s("coredns"), s("nginx"), s("stuck") }));
        QCOMPARE(
            column(m, LbServiceTableModel::StateColumn), QStringList({ s("Assigned"), s("Assigned"), s("Pending") }));
        QCOMPARE(m.index(2, LbServiceTableModel::ReasonColumn).data().toString(), s("pool \"lan\" is exhausted"));
        QCOMPARE(m.index(2, 0).data(LbServiceTableModel::StateRole).toInt(), int(ServiceState::Pending));
        QCOMPARE(m.index(1, 3).data(LbServiceTableModel::KeyRole).toString(), s("web/nginx"));
        QCOMPARE(m.index(1, 0).data(LbServiceTableModel::SearchRole).toString(), s("web/nginx 192.168.1.240"));
        QVERIFY(m.index(2, LbServiceTableModel::StateColumn).data(LbServiceTableModel::SortRole).toInt()
            < m.index(0, LbServiceTableModel::StateColumn).data(LbServiceTableModel::SortRole).toInt());

        QItemSelectionModel selection(&m);
        selection.select(m.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows); // web/stuck
        Signals sig(&m);
        m.setReport(secondReport());
        QCOMPARE(sig.reset.count(), 0);
        QCOMPARE(sig.removed.count(), 1); // web/nginx
        QCOMPARE(sig.inserted.count(), 1); // mail/smtp
        QCOMPARE(column(m, LbServiceTableModel::NameColumn), QStringList({ s("coredns"), s("stuck"), s("smtp") }));
        // stuck got an address (changed and moved); coredns is untouched.
        QCOMPARE(sig.changedRows(), QList<int>({ 1 }));
        QCOMPARE(m.index(1, LbServiceTableModel::StateColumn).data().toString(), s("Assigned"));
        QCOMPARE(selection.selectedRows().constFirst().data(LbServiceTableModel::KeyRole).toString(), s("web/stuck"));
        QCOMPARE(m.rowOf(s("mail/smtp")), 2);
    }

    void problemsShowAndUpdate()
    {
        ProblemListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setReport(firstReport());
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.errorCount(), 1);
        QCOMPARE(m.index(0, ProblemListModel::MessageColumn).data().toString(), s("web/stuck is pending"));
        QCOMPARE(m.index(0, ProblemListModel::SubjectColumn).data().toString(), s("service/web/stuck"));
        QCOMPARE(m.index(0, 0).data(ProblemListModel::SeverityIconRole).toString(), s("error"));
        QCOMPARE(m.index(1, 0).data(ProblemListModel::SeverityIconRole).toString(), s("warning"));
        QCOMPARE(m.index(1, 1).data(ProblemListModel::SubjectRole).toString(), s("pool/v6"));
        QCOMPARE(m.index(1, 1).data(ProblemListModel::CodeRole).toString(), s("pool-not-advertised"));

        // Two equal problems are two rows.
        AllocationReport twice = secondReport();
        twice.problems << twice.problems.constLast();
        Signals sig(&m);
        m.setReport(twice);
        QCOMPARE(sig.reset.count(), 0);
        QCOMPARE(sig.removed.count(), 1);
        QCOMPARE(sig.inserted.count(), 1);
        QCOMPARE(sig.inserted.constFirst().at(1).toInt(), 1);
        QCOMPARE(sig.inserted.constFirst().at(2).toInt(), 2);
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(
            column(m, ProblemListModel::SubjectColumn), QStringList({ s("pool/v6"), s("pool/dmz"), s("pool/dmz") }));
        QCOMPARE(m.errorCount(), 0);
    }

    void manyRandomUpdatesKeepTheModelsConsistent()
    {
        // Under the tester, reports that shuffle, add and drop pools.
        PoolTableModel pools;
        LbServiceTableModel services;
        QAbstractItemModelTester t1(&pools, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&services, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int round = 0; round < 50; ++round) {
            AllocationReport r;
            for (int i = 0; i < 12; ++i) {
                if ((round * 7 + i * 3) % 5 == 0)
                    continue;
                const QByteArray name = "p" + QByteArray::number((i * 5 + round) % 12);
                r.pools << pool(name.constData(), "10.1.0.1", "10.1.0.9");
                r.services << service("ns", name.constData(), {}, name.constData(), ServiceState::State(round % 3));
            }
            pools.setReport(r);
            services.setReport(r);
            QCOMPARE(pools.rowCount(), r.pools.size());
            QCOMPARE(services.rowCount(), r.services.size());
            for (int row = 0; row < pools.rowCount(); ++row)
                QCOMPARE(r.pools.at(pools.index(row, 0).data(PoolTableModel::OrderRole).toInt()).name,
                    pools.index(row, 0).data().toString());
        }
    }
};

QTEST_GUILESS_MAIN(TestLbModels)
#include "tst_lbmodels.moc"
