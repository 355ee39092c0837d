#pragma once

#include "models/addressmap.h"

#include <QWidget>

namespace Bramble::Ui {

// The address map of one IPv4 pool: a painted grid, one cell per address,
// coloured by state (see lbstyle.h), with a legend underneath. Hovering a
// cell names the address and the services holding it. A pool larger than
// the map's cap says how many addresses are not shown; an IPv6 pool, or no
// pool, shows a short line of text instead.
class AddressMapWidget : public QWidget {
    Q_OBJECT

public:
    explicit AddressMapWidget(QWidget *parent = nullptr);

    void setMap(const Models::AddressMap &map);
    const Models::AddressMap &map() const { return m_map; }
    // The cell under a point of the widget, or -1.
    int cellAt(const QPoint &pos) const;
    // The legend and notes line ("… 1,024 more addresses not shown").
    QString footerText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Geometry {
        int columns = 1;
        int cell = 12; // side, spacing included
        int gridHeight = 0;
    };
    struct LegendItem {
        Models::AddressMap::State state;
        QString label;
        QRect rect; // swatch and label, from the legend's top
    };
    Geometry geometry(int width) const;
    QList<LegendItem> legendLayout(int width) const;
    int legendHeight(int width) const;

    Models::AddressMap m_map;
};

} // namespace Bramble::Ui
