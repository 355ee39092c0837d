#pragma once

#include "saga/aslgraph.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace Bramble::Saga {

// A layered (Sugiyama-style) layout of a StateGraph, as plain geometry for a
// view to draw: no widgets, no painting, safe on any thread, deterministic.
//
// Per scope (the top level, each Parallel branch, each Map iterator):
//   1. layers: longest path from StartAt over Next/Default/Choice edges; back
//      edges (loops through a Choice) found by a DFS do not constrain. States
//      reachable only through Catch ("compensation") get their own column to
//      the right of the forward path, starting a layer below the state that
//      catches into them.
//   2. a Parallel/Map state is a block: its own rectangle on top and its
//      scopes, laid out recursively, side by side in containers below it; the
//      block is one node of the parent's layering.
//   3. order within layers: barycenter sweeps down and up, with dummy nodes
//      on edges that span several layers.
//   4. x: packing per layer, then passes that centre nodes over their
//      neighbours without overlaps.

struct LayoutOptions {
    qreal nodeWidth = 160; // when averageCharWidth is 0
    qreal nodeHeight = 36;
    qreal averageCharWidth = 0; // > 0: width = name length * this + 2 * textPadding, at least minNodeWidth
    qreal textPadding = 12;
    qreal minNodeWidth = 80;
    qreal nodeGap = 24; // horizontal, between neighbours in a layer
    qreal layerGap = 40; // vertical, between layers
    qreal columnGap = 64; // between the forward column and the compensation column
    qreal containerPadding = 12; // around a scope inside its container
    qreal containerHeader = 18; // extra room at the top of a container for its label
    qreal dummyWidth = 8; // width reserved for an edge passing through a layer
    qreal laneGap = 8; // spacing of the vertical lanes used by back edges
    qreal margin = 16; // around the whole drawing
    int sweeps = 4; // barycenter down+up sweeps
};

enum class LayoutColumn {
    Forward, // reachable from its scope's StartAt through Next/Default/Choice
    Compensation, // reachable only through Catch (or not at all)
};

struct NodeLayout {
    QRectF rect; // the state itself; empty for a node that could not be placed
    QRectF box; // rect plus the containers of a Parallel/Map (== rect for other states)
    int layer = -1; // within its scope
    LayoutColumn column = LayoutColumn::Forward;
};

struct EdgeLayout {
    // Starts on the bottom edge of the source's box (its rect for Branch
    // edges) and ends on the top edge of the target's rect; the points between
    // are bends (one pair per layer crossed). Empty when the edge was skipped.
    QList<QPointF> points;
    bool reversed = false; // drawn upwards: a back edge (loop), or a Catch/Next to an earlier layer
};

struct GraphLayout {
    QList<NodeLayout> nodes; // parallel to StateGraph::nodes
    QList<EdgeLayout> edges; // parallel to StateGraph::edges
    QList<QRectF> scopes; // parallel to StateGraph::scopes: the container of each scope ([0]: the top level)
    QSizeF size; // the whole drawing, margins included

    bool isEmpty() const { return nodes.isEmpty(); }
};

GraphLayout layoutGraph(const StateGraph &graph, const LayoutOptions &options = {});

} // namespace Bramble::Saga
