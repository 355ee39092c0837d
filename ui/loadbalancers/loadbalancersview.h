#pragma once

#include "metallb/allocation.h"

#include <QWidget>

class QAction;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTreeView;

namespace Bramble::Models {
class LbServiceTableModel;
class PoolTableModel;
class ProblemListModel;
} // namespace Bramble::Models

namespace Bramble::Ui {

class AddressMapWidget;
class PoolUsageChart;

// What the Load balancers pane shows of one AllocationReport: the pools
// (with a used/total bar), the LoadBalancer services (state coloured,
// filtered by the find text), the problems (a click selects the pool or
// service it is about), a utilization chart of every pool and the address
// map of the selected pool. No I/O: the pane feeds it reports.
//
// Selections survive setReport() (the models update in place). The first
// pool is selected until the user picks one.
class LoadBalancersView : public QWidget {
    Q_OBJECT

public:
    explicit LoadBalancersView(QWidget *parent = nullptr);

    void setReport(const MetalLB::AllocationReport &report);
    const MetalLB::AllocationReport &report() const { return m_report; }
    // Filters services by namespace/name or IP (case-insensitive substring).
    void setFilterText(const QString &text);
    // Actions offered in the pools table's context menu (the pane's Edit...).
    void addPoolAction(QAction *action);

    QString selectedPool() const;
    bool selectPool(const QString &name);
    QString selectedService() const; // "NS/NAME"
    bool selectService(const QString &key);
    // Selects what a problem's subject names ("pool/X", "service/NS/NAME",
    // "ip/ADDR": the service holding it). False when it names nothing shown.
    bool selectSubject(const QString &subject);

    // Splitter sizes, for QSettings.
    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

    Models::PoolTableModel *poolModel() const { return m_pools; }
    Models::LbServiceTableModel *serviceModel() const { return m_services; }
    Models::ProblemListModel *problemModel() const { return m_problems; }
    QTableView *poolTable() const { return m_poolTable; }
    QTableView *serviceTable() const { return m_serviceTable; }
    QTreeView *problemList() const { return m_problemList; }
    PoolUsageChart *chart() const { return m_chart; }
    AddressMapWidget *addressMap() const { return m_map; }
    QString summaryText() const;

Q_SIGNALS:
    // Double-click on a pool.
    void poolActivated(const QString &name);
    void selectedPoolChanged(const QString &name);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *box(const QString &title, QWidget *content, QLabel **titleLabel = nullptr);
    void updateMap();
    void updateSummary();
    void showPoolMenu(const QPoint &pos);

    MetalLB::AllocationReport m_report;
    Models::PoolTableModel *m_pools;
    Models::LbServiceTableModel *m_services;
    Models::ProblemListModel *m_problems;
    QSortFilterProxyModel *m_poolProxy;
    QSortFilterProxyModel *m_serviceProxy;
    QSortFilterProxyModel *m_problemProxy;
    QLabel *m_summary = nullptr;
    QLabel *m_problemTitle = nullptr;
    QLabel *m_mapTitle = nullptr;
    QTableView *m_poolTable = nullptr;
    QTableView *m_serviceTable = nullptr;
    QTreeView *m_problemList = nullptr;
    PoolUsageChart *m_chart = nullptr;
    AddressMapWidget *m_map = nullptr;
    QList<QSplitter *> m_splitters;
    QList<QAction *> m_poolActions;
    bool m_userSelectedPool = false;
    bool m_autoSelecting = false;
    bool m_columnsSized = false;
};

} // namespace Bramble::Ui
