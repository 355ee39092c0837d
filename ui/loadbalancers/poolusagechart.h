#pragma once

#include "metallb/allocation.h"

#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QBarCategoryAxis;
class QHorizontalStackedBarSeries;
class QValueAxis;

namespace Bramble::Ui {

// Utilization per pool: one horizontal stacked bar per pool, used vs free,
// in percent of the pool (IPv6 pools are too large for a common scale). The
// counts are in the category labels ("lan 12/40") and in the tooltip of each
// bar.
class PoolUsageChart : public QWidget {
    Q_OBJECT

public:
    explicit PoolUsageChart(QWidget *parent = nullptr);

    void setPools(const QList<MetalLB::PoolUsage> &pools);
    // "lan 12/40", one per pool shown, top to bottom.
    QStringList categories() const;
    // The text a bar's tooltip shows.
    QString describe(int pool) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();

    QChart *m_chart;
    QChartView *m_view;
    QHorizontalStackedBarSeries *m_series;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_percent;
    QList<MetalLB::PoolUsage> m_pools;
};

} // namespace Bramble::Ui
