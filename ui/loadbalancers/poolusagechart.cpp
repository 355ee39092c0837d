#include "ui/loadbalancers/poolusagechart.h"

#include "models/lbformat.h"
#include "ui/common/theme.h"
#include "ui/loadbalancers/lbstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

namespace Bramble::Ui {

PoolUsageChart::PoolUsageChart(QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_series(new QHorizontalStackedBarSeries)
    , m_categories(new QBarCategoryAxis)
    , m_percent(new QValueAxis)
{
    setObjectName(QStringLiteral("poolUsageChart"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setBackgroundRoundness(0);
    m_chart->addSeries(m_series);
    m_percent->setRange(0, 100);
    m_percent->setTickCount(5);
    m_percent->setLabelFormat(QStringLiteral("%d %"));
    m_chart->addAxis(m_percent, Qt::AlignBottom);
    m_chart->addAxis(m_categories, Qt::AlignLeft);
    m_series->attachAxis(m_percent);
    m_series->attachAxis(m_categories);
    m_series->setBarWidth(0.6);
    connect(m_series, &QHorizontalStackedBarSeries::hovered, this, [this](bool on, int index, QBarSet *) {
        if (on)
            QToolTip::showText(QCursor::pos(), describe(index), this);
        else
            QToolTip::hideText();
    });

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    applyTheme();
}

void PoolUsageChart::setPools(const QList<MetalLB::PoolUsage> &pools)
{
    m_pools = pools;
    m_series->clear();
    auto *used = new QBarSet(tr("Used"));
    auto *free = new QBarSet(tr("Free"));
    QStringList names;
    // The axis lists categories bottom up: reverse, so the first pool is on top.
    for (qsizetype i = pools.size() - 1; i >= 0; --i) {
        const MetalLB::PoolUsage &p = pools.at(i);
        const double fraction = Models::Lb::fraction(p.used, p.total);
        *used << fraction * 100;
        *free << (Models::Lb::toDouble(p.total) > 0 ? (1 - fraction) * 100 : 0);
    }
    names = categories();
    std::reverse(names.begin(), names.end());
    m_series->append(used);
    m_series->append(free);
    // A fresh axis: one whose categories change after it was laid out keeps
    // the old labels' width and elides the new ones.
    m_chart->removeAxis(m_categories);
    delete m_categories;
    m_categories = new QBarCategoryAxis;
    m_categories->append(names);
    m_categories->setTruncateLabels(false);
    m_chart->addAxis(m_categories, Qt::AlignLeft);
    m_series->attachAxis(m_categories);
    applyTheme();
}

QStringList PoolUsageChart::categories() const
{
    QStringList names;
    for (const MetalLB::PoolUsage &p : m_pools) {
        const bool huge = p.total.all128 || p.total.value.hi != 0 || p.total.value.lo > 999999;
        names << (huge ? QString(p.name + QStringLiteral(" (IPv6)"))
                       : QStringLiteral("%1 %2/%3").arg(p.name, p.used.toString(), p.total.toString()));
    }
    return names;
}

QString PoolUsageChart::describe(int index) const
{
    const int pool = int(m_pools.size()) - 1 - index; // bars are listed bottom up
    if (pool < 0 || pool >= m_pools.size())
        return {};
    const MetalLB::PoolUsage &p = m_pools.at(pool);
    return tr("%1: %2 used, %3 free of %4 (%5 % used)")
        .arg(p.name, p.used.toString(), p.free.toString(), p.total.toString())
        .arg(Models::Lb::fraction(p.used, p.total) * 100, 0, 'f', 1);
}

void PoolUsageChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void PoolUsageChart::applyTheme()
{
    const QPalette pal = palette();
    m_chart->setBackgroundBrush(pal.color(QPalette::Base));
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->legend()->setLabelColor(pal.color(QPalette::Text));
    for (QAbstractAxis *axis :
        { static_cast<QAbstractAxis *>(m_percent), static_cast<QAbstractAxis *>(m_categories) }) {
        axis->setLabelsColor(pal.color(QPalette::Text));
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setGridLineColor(pal.color(QPalette::Midlight));
    }
    const QList<QBarSet *> sets = m_series->barSets();
    if (sets.size() == 2) {
        sets.at(0)->setColor(cellColor(Models::AddressMap::Used, pal));
        sets.at(0)->setBorderColor(cellColor(Models::AddressMap::Used, pal));
        sets.at(1)->setColor(freeColor(pal).darker(isDark(pal) ? 70 : 115));
        sets.at(1)->setBorderColor(pal.color(QPalette::Mid));
    }
}

} // namespace Bramble::Ui
