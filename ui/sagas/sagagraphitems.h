#pragma once

// Internal to SagaGraphView (sagagraphview.cpp), not included anywhere else:
// the scene items that draw a state machine and the legend in the view's
// corner. Items keep a pointer to the view's Style, which must outlive them
// (the view clears its scene before deleting it). GUI thread only.

#include "models/sagavisuals.h"
#include "saga/aslgraph.h"
#include "saga/sagaanalysis.h"

#include <QAbstractGraphicsShapeItem>
#include <QColor>
#include <QFont>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QLineF>
#include <QList>
#include <QPainterPath>
#include <QPalette>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QWidget>

class QPainter;
class QPaintEvent;
class QStyleOptionGraphicsItem;

namespace Bramble::Ui::SagaGraph {

// Width of the saga-role stripe on the left of a state box.
inline constexpr qreal kStripe = 5;

// a + (b - a) * t per channel (t in 0..1), opaque.
QColor mix(const QColor &a, const QColor &b, qreal t);

// Fonts and colours every item paints with, derived from the view's palette
// and font; pulse and hasVisuals are set by the view.
struct Style {
    QFont nameFont, captionFont, labelFont;
    qreal namePixels = 12, captionPixels = 10;
    QColor base, text, muted, edge, branch, catchColor, highlight, containerFill, containerBorder, badge;
    QPalette palette;
    qreal pulse = 0; // 0..1, the running states' animation phase
    bool hasVisuals = false;

    void update(const QPalette &pal, const QFont &font);
};

// A state: a rounded box with its name and type, its saga-role stripe, the
// colour of its visual, a selection ring and a dangling badge.
class StateItem : public QAbstractGraphicsShapeItem {
public:
    StateItem(const Style *style, const Saga::StateNode &node, Saga::StateRole role, const QRectF &rect);

    const QString &name() const { return m_name; }
    QRectF rect() const { return m_rect; }
    Models::StateVisual visual() const { return m_visual; }

    void setState(Models::StateVisual visual, bool dangling, bool selected);
    void setHighlighted(bool selected);

    void restyle();

    QRectF boundingRect() const override { return m_rect.adjusted(-6, -9, 9, 6); }
    QPainterPath shape() const override { return m_outline; }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override;

private:
    void paintBadge(QPainter *painter) const;

    const Style *m_style;
    QRectF m_rect;
    QPainterPath m_outline, m_stripe;
    QString m_name, m_type, m_nameShown, m_typeShown, m_tooltip;
    Saga::StateRole m_role;
    Models::StateVisual m_visual = Models::StateVisual::NotReached;
    bool m_dangling = false;
    bool m_selected = false;
};

// A transition through the layout's points, with rounded bends and an arrow head.
class EdgeItem : public QGraphicsPathItem {
public:
    EdgeItem(const Style *style, Saga::EdgeKind kind, const QList<QPointF> &points);

    Saga::EdgeKind kind() const { return m_kind; }

    void restyle();

    QRectF boundingRect() const override { return QGraphicsPathItem::boundingRect().adjusted(-6, -6, 6, 6); }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

private:
    const Style *m_style;
    Saga::EdgeKind m_kind;
    QPolygonF m_arrow;
};

// A caption on an edge (a Catch's ErrorEquals) on a background plate.
class LabelItem : public QGraphicsItem {
public:
    LabelItem(const Style *style, const QString &text, const QPointF &centre);
    QRectF rect() const { return m_rect; }
    void shiftDown(qreal dy) { m_rect.translate(0, dy); }
    void shiftRight(qreal dx) { m_rect.translate(dx, 0); }

    QRectF boundingRect() const override { return m_rect.adjusted(-1, -1, 1, 1); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override;

private:
    const Style *m_style;
    QString m_text;
    QRectF m_rect;
};

// A Parallel branch or Map iterator: a rounded box with its label.
class ContainerItem : public QGraphicsItem {
public:
    ContainerItem(const Style *style, const QRectF &rect, const QString &label);
    QRectF boundingRect() const override { return m_rect.adjusted(-1, -1, 1, 1); }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override;

private:
    const Style *m_style;
    QRectF m_rect;
    QString m_label;
};

// The Start dot above the first state, or the End bullseye below a terminal one.
class MarkerItem : public QGraphicsItem {
public:
    MarkerItem(const Style *style, bool start, const QRectF &stateRect);
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override;

private:
    const Style *m_style;
    bool m_start;
    QPointF m_centre;
    QLineF m_line;
};

// What the colours and strokes mean, in a corner of the view. Transparent for
// the mouse; setEntries() resizes it to fit, the view places it.
class Legend : public QWidget {
public:
    struct Entry {
        enum Kind { Line, Stripe, Swatch, Badge } kind;
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        qreal width = 1.4;
        QString text;
    };

    explicit Legend(QWidget *parent);

    void setEntries(QList<QList<Entry>> columns);

protected:
    void paintEvent(QPaintEvent *) override;

private:
    static void paintIcon(QPainter &p, const Entry &e, const QRectF &r, const QPalette &pal);

    QList<QList<Entry>> m_columns;
    QList<qreal> m_columnWidths;
    QFont m_font;
    qreal m_row = 16;
};

} // namespace Bramble::Ui::SagaGraph
