#pragma once

#include "models/sagavisuals.h"
#include "saga/aslgraph.h"
#include "saga/graphlayout.h"
#include "saga/sagaanalysis.h"

#include <QColor>
#include <QGraphicsView>
#include <QHash>
#include <QList>
#include <QRectF>
#include <QSet>
#include <QString>

class QAbstractGraphicsShapeItem;
class QGraphicsPathItem;
class QGraphicsScene;
class QPalette;
class QTimer;

namespace Bramble::Ui {

// The colour of a state's visual, readable on light and dark palettes (the
// timeline chart uses the same ones for its bars).
QColor stateVisualColor(Models::StateVisual visual, const QPalette &palette);
// The stripe that marks a state's saga role (forward: blue, compensation:
// purple, other: none -> an invalid colour).
QColor stateRoleColor(Saga::StateRole role, const QPalette &palette);

namespace SagaGraph {
class StateItem;
class EdgeItem;
struct Style;
class Legend;
} // namespace SagaGraph

// A Step Functions state machine drawn as a graph (services/saga's layered
// layout): states as rounded boxes with their name and type, a stripe for
// their saga role, Start and End markers, forward transitions (Next, Default,
// Choice) solid, Catch transitions dashed in the compensation colour with
// their ErrorEquals, Branch links thin, Parallel/Map scopes as labelled
// containers. setVisuals() colours the states by what an execution did.
//
// Interaction: click or arrow keys select a state (stateActivated), Enter
// re-emits it; Ctrl+= / Ctrl+- / Ctrl+wheel zoom, Ctrl+0 fits, Ctrl+1 is 100 %.
// The drawing fits the view on first show and on every resize until the user
// zooms, but not below a legible zoom (a big graph shows its start and
// scrolls); fitToView() (Ctrl+0) shows the whole drawing at any zoom and keeps
// doing so on resize. Fitting keeps the drawing clear of the legend. Items
// draw text only when it is legible, so 500-state graphs stay smooth when
// zoomed out. GUI thread only.
class SagaGraphView : public QGraphicsView {
    Q_OBJECT

public:
    explicit SagaGraphView(QWidget *parent = nullptr);
    ~SagaGraphView() override;

    // Replaces the drawing (and drops the visuals and the selection). An
    // empty or invalid graph draws whatever nodes it has; none: an empty view.
    void setGraph(const Saga::StateGraph &graph, const Saga::SagaRoles &roles);
    void clear();
    const Saga::StateGraph &graph() const { return m_graph; }
    const Saga::GraphLayout &layout() const { return m_layout; }

    // Colours the states; states missing from visuals look NotReached. Dangling
    // states get a warning badge.
    void setVisuals(const QHash<QString, Models::StateVisual> &visuals, const QSet<QString> &dangling = {});
    void clearVisuals(); // back to the role colours of the bare definition
    bool hasVisuals() const { return m_hasVisuals; }

    // Selects and scrolls to a state without emitting stateActivated; an
    // unknown or empty name clears the selection.
    void selectState(const QString &name);
    QString selectedState() const { return m_selected; }

    qreal zoom() const; // 1.0 = actual size
    bool isAutoFit() const { return m_autoFit; } // still fitting on resize (the user has not zoomed)
    void setLegendVisible(bool visible);
    bool isLegendVisible() const;

    // Test hooks: the item drawing a state (pen/brush reflect role and
    // visual), the item drawing graph.edges[index] (its pen: style and
    // colour by kind); nullptr when there is none.
    QAbstractGraphicsShapeItem *stateItem(const QString &name) const;
    QGraphicsPathItem *edgeItem(int edgeIndex) const;

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void fitToView(); // and keep fitting on resize
    void actualSize();

Q_SIGNALS:
    // The user clicked a state, moved to it with the keyboard, or pressed Enter on it.
    void stateActivated(const QString &name);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void applyStyle();
    void applyVisuals();
    void fit();
    void scaleBy(qreal factor);
    void placeLegend();
    void updateLegend();
    void moveSelection(int key);
    void activate(const QString &name);
    void updateRunningTimer();

    QGraphicsScene *m_scene;
    Saga::StateGraph m_graph;
    Saga::SagaRoles m_roles;
    Saga::GraphLayout m_layout;
    QList<SagaGraph::StateItem *> m_states; // parallel to m_graph.nodes (nullptr: not placed)
    QList<SagaGraph::EdgeItem *> m_edges; // parallel to m_graph.edges
    QHash<QString, Models::StateVisual> m_visuals;
    QSet<QString> m_dangling;
    bool m_hasVisuals = false;
    QString m_selected;
    bool m_autoFit = true;
    bool m_fitWhole = false; // fitToView() was asked for: no legible-zoom floor
    QRectF m_bounds; // the drawing, margins included
    SagaGraph::Style *m_style;
    SagaGraph::Legend *m_legend;
    QTimer *m_pulse; // animates running states
};

} // namespace Bramble::Ui
