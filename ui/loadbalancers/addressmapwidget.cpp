#include "ui/loadbalancers/addressmapwidget.h"

#include "ui/loadbalancers/lbstyle.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace Bramble::Ui {

using Models::AddressMap;

namespace {

constexpr int kMargin = 4;
constexpr int kMaxCell = 18;
constexpr int kMinCell = 7;
constexpr AddressMap::State kLegend[]
    = { AddressMap::Free, AddressMap::Used, AddressMap::Shared, AddressMap::Problem, AddressMap::Excluded };

} // namespace

AddressMapWidget::AddressMapWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("addressMap"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(tr("Hover an address to see who holds it."));
}

void AddressMapWidget::setMap(const AddressMap &map)
{
    m_map = map;
    updateGeometry();
    update();
}

AddressMapWidget::Geometry AddressMapWidget::geometry(int width) const
{
    Geometry g;
    const int n = int(m_map.cells.size());
    const int avail = std::max(1, width - 2 * kMargin);
    if (n == 0)
        return g;
    // The largest cell that lays the map out in a reasonable number of rows
    // (small pools get big cells, /20s small ones), with a power of two
    // columns from 16 up, so that every /24 (256 addresses) starts a row.
    const auto columnsFor = [avail](int cell) {
        const int columns = std::max(1, avail / cell);
        return columns >= 16 ? 1 << int(std::log2(double(columns))) : columns;
    };
    for (g.cell = kMaxCell; g.cell > kMinCell; --g.cell) {
        const int columns = columnsFor(g.cell);
        if (((n + columns - 1) / columns) * g.cell <= 220)
            break;
    }
    g.columns = columnsFor(g.cell);
    g.gridHeight = ((n + g.columns - 1) / g.columns) * g.cell;
    return g;
}

QList<AddressMapWidget::LegendItem> AddressMapWidget::legendLayout(int width) const
{
    // Free and used always; the other states when some cell is in them.
    QList<LegendItem> items;
    if (!m_map.isIpv4 || m_map.cells.isEmpty())
        return items;
    const QFontMetrics fm = fontMetrics();
    const int swatch = fm.height() - 4;
    const int right = std::max(kMargin + 1, width - kMargin);
    int x = kMargin, y = 0;
    for (AddressMap::State state : kLegend) {
        const int n = m_map.count(state);
        if (n == 0 && state != AddressMap::Free && state != AddressMap::Used)
            continue;
        const QString label = QStringLiteral("%1 %2").arg(AddressMap::stateName(state)).arg(n);
        const int w = swatch + 4 + fm.horizontalAdvance(label);
        if (x > kMargin && x + w > right) { // wrap
            x = kMargin;
            y += fm.height() + 2;
        }
        items.append({ state, label, QRect(x, y, w, fm.height()) });
        x += w + 14;
    }
    return items;
}

int AddressMapWidget::legendHeight(int width) const
{
    const QList<LegendItem> items = legendLayout(width);
    const int line = fontMetrics().height();
    return (items.isEmpty() ? 0 : items.constLast().rect.bottom() + 1 + 4) + line + 8;
}

int AddressMapWidget::heightForWidth(int width) const
{
    return geometry(width).gridHeight + legendHeight(width) + 2 * kMargin;
}

QSize AddressMapWidget::sizeHint() const
{
    return { 420, heightForWidth(420) };
}

QSize AddressMapWidget::minimumSizeHint() const
{
    return { 200, legendHeight(200) + 2 * kMargin };
}

int AddressMapWidget::cellAt(const QPoint &pos) const
{
    const Geometry g = geometry(width());
    const int x = pos.x() - kMargin, y = pos.y() - kMargin;
    if (x < 0 || y < 0 || y >= g.gridHeight || x >= g.columns * g.cell)
        return -1;
    const int index = (y / g.cell) * g.columns + x / g.cell;
    return index < m_map.cells.size() ? index : -1;
}

QString AddressMapWidget::footerText() const
{
    if (m_map.pool.isEmpty())
        return tr("Select a pool to see its addresses.");
    if (!m_map.isIpv4)
        return tr("%1 is an IPv6 (or empty) pool: %2 addresses are too many to draw.")
            .arg(m_map.pool, QLocale().toString(m_map.totalAddresses));
    QString text = tr("%1: %2 addresses").arg(m_map.pool, QLocale().toString(m_map.totalAddresses));
    if (m_map.notShown > 0)
        text += tr(" — the first %1 shown, %2 more not shown")
                    .arg(QLocale().toString(qint64(m_map.cells.size())), QLocale().toString(m_map.notShown));
    return text;
}

void AddressMapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette pal = palette();
    const Geometry g = geometry(width());
    const int gap = g.cell >= 10 ? 2 : 1;
    for (int i = 0; i < m_map.cells.size(); ++i) {
        const AddressMap::Cell &c = m_map.cells.at(i);
        const QRect r(
            kMargin + (i % g.columns) * g.cell, kMargin + (i / g.columns) * g.cell, g.cell - gap, g.cell - gap);
        if (c.state == AddressMap::Excluded)
            p.fillRect(r, freeColor(pal));
        p.fillRect(r, cellBrush(c.state, pal));
    }

    // Legend: a swatch and a word per state, with counts, then the footer.
    const QFontMetrics fm = fontMetrics();
    const int top = kMargin + g.gridHeight + 6;
    const int swatch = fm.height() - 4;
    p.setPen(pal.color(QPalette::WindowText));
    const QList<LegendItem> legend = legendLayout(width());
    for (const LegendItem &item : legend) {
        const QRect r = item.rect.translated(0, top);
        const QRect box(r.left(), r.top() + 2, swatch, swatch);
        p.fillRect(box, freeColor(pal));
        p.fillRect(box, cellBrush(item.state, pal));
        p.drawText(r.adjusted(swatch + 4, 0, 2, 0), Qt::AlignVCenter | Qt::AlignLeft, item.label);
    }
    const int y = legend.isEmpty() ? top : top + legend.constLast().rect.bottom() + 1 + 4;
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(kMargin, y, width() - 2 * kMargin, fm.height()), Qt::AlignVCenter,
        fm.elidedText(footerText(), Qt::ElideRight, width() - 2 * kMargin));
}

bool AddressMapWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int cell = cellAt(help->pos());
        if (cell >= 0)
            QToolTip::showText(help->globalPos(), m_map.describe(cell), this);
        else
            QToolTip::showText(help->globalPos(), footerText(), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace Bramble::Ui
