#include "saga/graphlayout.h"

#include <algorithm>
#include <set>
#include <utility>

namespace Bramble::Saga {

namespace {

constexpr int MaxDepth = 64; // nested scopes; the parser refuses deeper definitions anyway

bool isForwardKind(EdgeKind kind)
{
    return kind == EdgeKind::Next || kind == EdgeKind::Default || kind == EdgeKind::Choice;
}

// One node of a scope's layering: a state (or a Parallel/Map block) or a dummy
// node where an edge crosses a layer.
struct Item {
    int node = -1; // -1 for a dummy
    int layer = 0;
    int column = 0; // 0: forward, 1: compensation
    qreal width = 0;
    qreal height = 0;
    qreal x = 0; // left edge, within its column
    int pos = 0; // index within its layer
    QList<int> up; // neighbours in the layer above, same column
    QList<int> down; // neighbours in the layer below, same column
};

struct NodeWork {
    QSizeF rectSize;
    QSizeF boxSize;
    qreal rectX = 0; // offset of the rect within the box
    QPointF pos; // top-left of the box within its scope
    QList<int> childScopes; // the scopes drawn as containers below the rect
    QList<QRectF> containers; // within the box, parallel to childScopes
    int layer = -1;
    int column = 0;
};

class Layouter {
public:
    Layouter(const StateGraph &graph, const LayoutOptions &options)
        : m_g(graph)
        , m_o(options)
    {
    }

    GraphLayout run()
    {
        const qsizetype nodeCount = m_g.nodes.size();
        const qsizetype scopeCount = m_g.scopes.size();
        m_nodes.resize(nodeCount);
        m_mark.fill(0, nodeCount);
        m_out.resize(nodeCount);
        m_members.resize(scopeCount);
        m_scopeEdges.resize(scopeCount);
        m_scopeSize.resize(scopeCount);
        m_scopeState.fill(0, scopeCount);
        m_back.fill(false, m_g.edges.size());
        m_points.resize(m_g.edges.size());
        m_reversed.fill(false, m_g.edges.size());

        m_result.nodes.resize(nodeCount);
        m_result.edges.resize(m_g.edges.size());
        m_result.scopes.resize(scopeCount);

        for (qsizetype n = 0; n < nodeCount; ++n) {
            const int s = m_g.nodes.at(n).scope;
            if (s >= 0 && s < scopeCount)
                m_members[s].append(int(n));
        }
        for (qsizetype e = 0; e < m_g.edges.size(); ++e) {
            const StateEdge &edge = m_g.edges.at(e);
            if (edge.kind == EdgeKind::Branch || !validNode(edge.from) || !validNode(edge.to))
                continue;
            const int s = m_g.nodes.at(edge.from).scope;
            if (s < 0 || s >= scopeCount || m_g.nodes.at(edge.to).scope != s)
                continue;
            m_out[edge.from].append(int(e));
            m_scopeEdges[s].append(int(e));
        }

        m_result.size = QSizeF(0, 0);
        if (nodeCount == 0 || scopeCount == 0)
            return m_result;

        layoutScope(0, 0);
        const QPointF origin(m_o.margin, m_o.margin);
        m_result.scopes[0] = QRectF(origin, m_scopeSize.at(0));
        place(0, origin, 0);
        routeBranches();
        m_result.size = QSizeF(m_scopeSize.at(0).width() + 2 * m_o.margin, m_scopeSize.at(0).height() + 2 * m_o.margin);
        return m_result;
    }

private:
    bool validNode(int n) const { return n >= 0 && n < m_g.nodes.size(); }

    QSizeF nodeSize(int n) const
    {
        if (m_o.averageCharWidth > 0) {
            const qreal w = m_g.nodes.at(n).name.size() * m_o.averageCharWidth + 2 * m_o.textPadding;
            return QSizeF(std::max(m_o.minNodeWidth, w), m_o.nodeHeight);
        }
        return QSizeF(m_o.nodeWidth, m_o.nodeHeight);
    }

    // Sizes a state, laying out the scopes it contains first.
    void sizeNode(int n, int depth)
    {
        const StateNode &node = m_g.nodes.at(n);
        QList<int> children;
        QList<QSizeF> sizes;
        for (int child : node.scopes) {
            if (child <= 0 || child >= m_g.scopes.size() || m_g.scopes.at(child).owner != n || depth >= MaxDepth
                || m_scopeState.at(child) != 0)
                continue;
            layoutScope(child, depth + 1);
            const QSizeF inner = m_scopeSize.at(child);
            children.append(child);
            sizes.append(QSizeF(inner.width() + 2 * m_o.containerPadding,
                inner.height() + 2 * m_o.containerPadding + m_o.containerHeader));
        }
        NodeWork &w = m_nodes[n];
        w.rectSize = nodeSize(n);
        w.childScopes = children;
        w.containers.clear();
        if (children.isEmpty()) {
            w.boxSize = w.rectSize;
            w.rectX = 0;
            return;
        }
        qreal rowWidth = 0;
        qreal rowHeight = 0;
        for (const QSizeF &size : std::as_const(sizes)) {
            rowWidth += size.width();
            rowHeight = std::max(rowHeight, size.height());
        }
        rowWidth += m_o.nodeGap * qreal(sizes.size() - 1);
        const qreal width = std::max(w.rectSize.width(), rowWidth);
        w.rectX = (width - w.rectSize.width()) / 2;
        qreal x = (width - rowWidth) / 2;
        const qreal y = w.rectSize.height() + m_o.layerGap;
        for (const QSizeF &size : std::as_const(sizes)) {
            w.containers.append(QRectF(QPointF(x, y), size));
            x += size.width() + m_o.nodeGap;
        }
        w.boxSize = QSizeF(width, y + rowHeight);
    }

    // Iterative DFS over m_out from root, following the edges follow() accepts;
    // marks back edges (to a node on the stack) and appends nodes in postorder.
    template<typename Follow>
    void dfs(int root, Follow follow, QList<int> &post)
    {
        if (m_mark.at(root) != 0)
            return;
        QList<std::pair<int, int>> stack;
        stack.append({ root, 0 });
        m_mark[root] = 1;
        while (!stack.isEmpty()) {
            const int u = stack.last().first;
            const int i = stack.last().second;
            const QList<int> &out = m_out.at(u);
            if (i < out.size()) {
                stack.last().second = i + 1;
                const int e = out.at(i);
                if (!follow(e))
                    continue;
                const int v = m_g.edges.at(e).to;
                if (m_mark.at(v) == 1) {
                    m_back[e] = true;
                } else if (m_mark.at(v) == 0) {
                    m_mark[v] = 1;
                    stack.append({ v, 0 });
                }
            } else {
                m_mark[u] = 2;
                post.append(u);
                stack.removeLast();
            }
        }
    }

    qreal gapBetween(const Item &a, const Item &b) const
    {
        return (a.node < 0 || b.node < 0) ? m_o.nodeGap / 2 : m_o.nodeGap;
    }

    // Places the items of one layer (in order) as close as possible, in the
    // least-squares sense, to their desired left edges without overlapping:
    // adjacent items that collide merge into blocks placed at their mean.
    void placeLayer(const QList<int> &layer, const QList<qreal> &desired)
    {
        struct Block {
            int first;
            int last;
            int count;
            qreal width;
            qreal sum; // sum over items of (desired left - offset within the block)
            qreal left() const { return sum / count; }
        };
        QList<Block> blocks;
        for (qsizetype i = 0; i < layer.size(); ++i) {
            Block b { int(i), int(i), 1, m_items.at(layer.at(i)).width, desired.at(i) };
            while (!blocks.isEmpty()) {
                Block &a = blocks.last();
                const qreal gap = gapBetween(m_items.at(layer.at(a.last)), m_items.at(layer.at(b.first)));
                if (a.left() + a.width + gap <= b.left())
                    break;
                a.sum += b.sum - b.count * (a.width + gap);
                a.count += b.count;
                a.width += gap + b.width;
                a.last = b.last;
                b = a;
                blocks.removeLast();
            }
            blocks.append(b);
        }
        for (const Block &b : std::as_const(blocks)) {
            qreal x = b.left();
            for (int i = b.first; i <= b.last; ++i) {
                Item &item = m_items[layer.at(i)];
                item.x = x;
                if (i < b.last)
                    x += item.width + gapBetween(item, m_items.at(layer.at(i + 1)));
            }
        }
    }

    void sortByBarycenter(QList<int> &layer, bool fromAbove)
    {
        QList<std::pair<qreal, int>> keyed;
        keyed.reserve(layer.size());
        for (int it : std::as_const(layer)) {
            const Item &item = m_items.at(it);
            const QList<int> &nbrs = fromAbove ? item.up : item.down;
            qreal key = item.pos;
            if (!nbrs.isEmpty()) {
                qreal sum = 0;
                for (int nb : nbrs)
                    sum += m_items.at(nb).pos;
                key = sum / qreal(nbrs.size());
            }
            keyed.append({ key, it });
        }
        std::stable_sort(keyed.begin(), keyed.end(),
            [](const std::pair<qreal, int> &a, const std::pair<qreal, int> &b) { return a.first < b.first; });
        for (qsizetype i = 0; i < keyed.size(); ++i) {
            layer[i] = keyed.at(i).second;
            m_items[layer.at(i)].pos = int(i);
        }
    }

    void centreLayer(const QList<int> &layer, bool fromAbove)
    {
        QList<qreal> desired;
        desired.reserve(layer.size());
        for (int it : layer) {
            const Item &item = m_items.at(it);
            const QList<int> &nbrs = fromAbove ? item.up : item.down;
            qreal d = item.x;
            if (!nbrs.isEmpty()) {
                qreal sum = 0;
                for (int nb : nbrs)
                    sum += m_items.at(nb).x + m_items.at(nb).width / 2;
                d = sum / qreal(nbrs.size()) - item.width / 2;
            }
            desired.append(d);
        }
        placeLayer(layer, desired);
    }

    // One scope's working state while it is laid out (see layoutScope()).
    struct ScopeWork {
        QList<int> postF; // forward states, topological order
        QList<int> postC; // compensation states, topological order
        QList<int> crossing; // long edges between the columns
        QHash<int, QList<int>> dummiesOf; // edge -> its dummy items, top to bottom
        QList<QList<int>> layers[2]; // per column, per layer: items left to right
        int layerCount = 0;
        qreal columnWidth[2] = { 0, 0 };
        QList<qreal> layerHeight;
        QList<qreal> layerY;
        int lanes[2] = { 0, 0 }; // reversed edges per column side
        QHash<int, int> laneOf; // crossing edge -> its lane
        qreal leftLanes = 0;
        qreal crossX = 0;
        qreal columnX[2] = { 0, 0 };
        qreal compensationRight = 0;
    };

    // Sugiyama-style, in two columns (forward states, compensation states):
    // columns and layers, items with dummies, ordering, x, y, then the edges.
    void layoutScope(int s, int depth)
    {
        m_scopeState[s] = 1;
        for (int n : m_members.at(s))
            sizeNode(n, depth);
        ScopeWork w;
        assignColumns(s, w);
        assignLayers(s, w);
        buildItems(w);
        orderLayers(w);
        placeColumns(w);
        placeLayers(s, w);
        assignCrossingLanes(w);
        placeNodes(s, w);
        routeEdges(s, w);
        m_scopeState[s] = 2;
    }

    // 1. Forward states and back edges, then the compensation states.
    void assignColumns(int s, ScopeWork &w)
    {
        const int start = m_g.scopes.at(s).start;
        if (validNode(start) && m_g.nodes.at(start).scope == s)
            dfs(
                start, [this](int e) { return isForwardKind(m_g.edges.at(e).kind); }, w.postF);
        for (int n : std::as_const(w.postF))
            m_nodes[n].column = 0;
        std::reverse(w.postF.begin(), w.postF.end()); // topological order
        const auto all = [](int) { return true; };
        for (int u : std::as_const(w.postF))
            for (int e : m_out.at(u))
                if (m_g.edges.at(e).kind == EdgeKind::Catch)
                    dfs(m_g.edges.at(e).to, all, w.postC);
        for (int n : m_members.at(s))
            dfs(n, all, w.postC);
        for (int n : std::as_const(w.postC))
            m_nodes[n].column = 1;
        std::reverse(w.postC.begin(), w.postC.end());
    }

    // 2. Longest path layering; Catch edges only constrain compensation states.
    void assignLayers(int s, const ScopeWork &w)
    {
        for (int n : m_members.at(s))
            m_nodes[n].layer = 0;
        const auto relax = [this](int u, bool forwardSource) {
            for (int e : m_out.at(u)) {
                const StateEdge &edge = m_g.edges.at(e);
                if (m_back.at(e))
                    continue;
                const bool toForward = m_nodes.at(edge.to).column == 0;
                if (forwardSource && toForward && !isForwardKind(edge.kind))
                    continue;
                if (!forwardSource && toForward)
                    continue;
                m_nodes[edge.to].layer = std::max(m_nodes.at(edge.to).layer, m_nodes.at(u).layer + 1);
            }
        };
        for (int u : std::as_const(w.postF))
            relax(u, true);
        for (int u : std::as_const(w.postC))
            relax(u, false);
    }

    // 3. Items, dummies for long edges, and the layers of each column.
    void buildItems(ScopeWork &w)
    {
        m_items.clear();
        QHash<int, int> itemOf;
        const QList<int> order = w.postF + w.postC;
        for (int n : order) {
            Item item;
            item.node = n;
            item.layer = m_nodes.at(n).layer;
            item.column = m_nodes.at(n).column;
            item.width = m_nodes.at(n).boxSize.width();
            item.height = m_nodes.at(n).boxSize.height();
            itemOf.insert(n, int(m_items.size()));
            m_items.append(item);
        }
        const auto link = [this](int a, int b) {
            if (m_items.at(a).column != m_items.at(b).column)
                return;
            m_items[a].down.append(b);
            m_items[b].up.append(a);
        };
        for (int u : order) {
            for (int e : m_out.at(u)) {
                const int v = m_g.edges.at(e).to;
                const int lu = m_nodes.at(u).layer;
                const int lv = m_nodes.at(v).layer;
                if (lv <= lu)
                    continue;
                if (lv > lu + 1 && m_nodes.at(u).column != m_nodes.at(v).column) {
                    w.crossing.append(e); // routed through a lane between the columns, not dummies
                    continue;
                }
                int prev = itemOf.value(u);
                QList<int> dummies;
                for (int l = lu + 1; l < lv; ++l) {
                    Item d;
                    d.layer = l;
                    d.column = m_nodes.at(v).column;
                    d.width = m_o.dummyWidth;
                    const int di = int(m_items.size());
                    m_items.append(d);
                    link(prev, di);
                    dummies.append(di);
                    prev = di;
                }
                link(prev, itemOf.value(v));
                if (!dummies.isEmpty())
                    w.dummiesOf.insert(e, dummies);
            }
        }
        for (const Item &item : std::as_const(m_items))
            w.layerCount = std::max(w.layerCount, item.layer + 1);
        for (auto &col : w.layers)
            col.resize(w.layerCount);
        for (qsizetype i = 0; i < m_items.size(); ++i) {
            Item &item = m_items[i];
            QList<int> &layer = w.layers[item.column][item.layer];
            item.pos = int(layer.size());
            layer.append(int(i));
        }
    }

    // Barycentre sweeps, down then up, in each column.
    void orderLayers(ScopeWork &w)
    {
        for (int sweep = 0; sweep < m_o.sweeps; ++sweep) {
            for (auto &col : w.layers) {
                for (int l = 1; l < w.layerCount; ++l)
                    sortByBarycenter(col[l], true);
                for (int l = w.layerCount - 2; l >= 0; --l)
                    sortByBarycenter(col[l], false);
            }
        }
    }

    // 4. x: packing, then centring over neighbours (down, up, down).
    void placeColumns(ScopeWork &w)
    {
        for (int c = 0; c < 2; ++c) {
            auto &col = w.layers[c];
            for (const QList<int> &layer : std::as_const(col)) {
                qreal x = 0;
                for (qsizetype i = 0; i < layer.size(); ++i) {
                    Item &item = m_items[layer.at(i)];
                    item.x = x;
                    x += item.width + (i + 1 < layer.size() ? gapBetween(item, m_items.at(layer.at(i + 1))) : 0);
                }
            }
            for (int l = 1; l < w.layerCount; ++l)
                centreLayer(col[l], true);
            for (int l = w.layerCount - 2; l >= 0; --l)
                centreLayer(col[l], false);
            for (int l = 1; l < w.layerCount; ++l)
                centreLayer(col[l], true);
            bool any = false;
            qreal minX = 0;
            qreal maxX = 0;
            for (const QList<int> &layer : std::as_const(col)) {
                for (int it : layer) {
                    const Item &item = m_items.at(it);
                    minX = any ? std::min(minX, item.x) : item.x;
                    maxX = any ? std::max(maxX, item.x + item.width) : item.x + item.width;
                    any = true;
                }
            }
            for (const QList<int> &layer : std::as_const(col))
                for (int it : layer)
                    m_items[it].x -= minX;
            w.columnWidth[c] = any ? maxX - minX : 0;
        }
    }

    // y: one band per layer, as high as its highest block; lanes for the reversed edges.
    void placeLayers(int s, ScopeWork &w)
    {
        w.layerHeight.fill(0, w.layerCount);
        for (const Item &item : std::as_const(m_items))
            w.layerHeight[item.layer] = std::max(w.layerHeight.at(item.layer), item.height);
        for (int e : m_scopeEdges.at(s)) {
            const StateEdge &edge = m_g.edges.at(e);
            if (m_nodes.at(edge.to).layer <= m_nodes.at(edge.from).layer)
                ++w.lanes[m_nodes.at(edge.to).column];
        }
        const bool anyReversed = w.lanes[0] + w.lanes[1] > 0;
        const qreal pad = anyReversed ? m_o.layerGap / 2 : 0;
        w.layerY.fill(0, w.layerCount);
        qreal y = pad;
        for (int l = 0; l < w.layerCount; ++l) {
            w.layerY[l] = y;
            y += w.layerHeight.at(l) + (l + 1 < w.layerCount ? m_o.layerGap : 0);
        }
        m_scopeSize[s].setHeight(w.layerCount > 0 ? y + pad : 0);
    }

    // Interval partitioning of the long edges between the columns into vertical lanes:
    // edges share a lane when one ends (in layers) before the other starts.
    void assignCrossingLanes(ScopeWork &w)
    {
        std::stable_sort(w.crossing.begin(), w.crossing.end(), [this](int a, int b) {
            return m_nodes.at(m_g.edges.at(a).from).layer < m_nodes.at(m_g.edges.at(b).from).layer;
        });
        std::set<std::pair<int, int>> laneEnds; // (last layer, lane)
        for (int e : std::as_const(w.crossing)) {
            const int lu = m_nodes.at(m_g.edges.at(e).from).layer;
            const int lv = m_nodes.at(m_g.edges.at(e).to).layer;
            int lane = int(laneEnds.size());
            if (!laneEnds.empty() && laneEnds.begin()->first <= lu) {
                lane = laneEnds.begin()->second;
                laneEnds.erase(laneEnds.begin());
            }
            laneEnds.insert({ lv, lane });
            w.laneOf.insert(e, lane);
        }
        const qreal crossLanes = laneEnds.empty() ? 0 : qreal(laneEnds.size() - 1) * m_o.laneGap;
        w.leftLanes = w.lanes[0] > 0 ? (w.lanes[0] + 1) * m_o.laneGap : 0;
        w.crossX = w.leftLanes + w.columnWidth[0] + m_o.columnGap / 2;
        w.columnX[0] = w.leftLanes;
        w.columnX[1] = w.leftLanes + w.columnWidth[0] + (w.columnWidth[0] > 0 ? m_o.columnGap + crossLanes : 0);
        w.compensationRight = w.columnX[1] + w.columnWidth[1];
    }

    void placeNodes(int s, const ScopeWork &w)
    {
        const qreal rightLanes = w.lanes[1] > 0 ? (w.lanes[1] + 1) * m_o.laneGap : 0;
        const qreal width = w.columnWidth[1] > 0 ? w.compensationRight + rightLanes : w.leftLanes + w.columnWidth[0];
        for (const Item &item : std::as_const(m_items))
            if (item.node >= 0)
                m_nodes[item.node].pos = QPointF(w.columnX[item.column] + item.x, w.layerY.at(item.layer));
        m_scopeSize[s].setWidth(std::max<qreal>(width, 0));
    }

    // Edges, in scope coordinates: through a crossing lane, down through their
    // dummies, or (reversed) up through a lane beside the column.
    void routeEdges(int s, const ScopeWork &w)
    {
        int laneUsed[2] = { 0, 0 };
        for (int e : m_scopeEdges.at(s)) {
            const StateEdge &edge = m_g.edges.at(e);
            const NodeWork &from = m_nodes.at(edge.from);
            const NodeWork &to = m_nodes.at(edge.to);
            const QPointF source(from.pos.x() + from.boxSize.width() / 2, from.pos.y() + from.boxSize.height());
            const QPointF target(to.pos.x() + to.rectX + to.rectSize.width() / 2, to.pos.y());
            const qreal below = w.layerY.at(from.layer) + w.layerHeight.at(from.layer) + m_o.layerGap / 3;
            const qreal above = w.layerY.at(to.layer) - m_o.layerGap / 3;
            QList<QPointF> points { source };
            const auto viaLane = [&](qreal laneX) {
                points.append(QPointF(source.x(), below));
                points.append(QPointF(laneX, below));
                points.append(QPointF(laneX, above));
                points.append(QPointF(target.x(), above));
            };
            if (w.laneOf.contains(e)) {
                viaLane(w.crossX + w.laneOf.value(e) * m_o.laneGap);
            } else if (to.layer > from.layer) {
                for (int di : w.dummiesOf.value(e)) {
                    const Item &d = m_items.at(di);
                    const qreal x = w.columnX[d.column] + d.x + d.width / 2;
                    points.append(QPointF(x, w.layerY.at(d.layer)));
                    points.append(QPointF(x, w.layerY.at(d.layer) + w.layerHeight.at(d.layer)));
                }
            } else {
                m_reversed[e] = true;
                const int side = to.column;
                const int k = laneUsed[side]++;
                viaLane(side == 0 ? w.leftLanes - (k + 1) * m_o.laneGap : w.compensationRight + (k + 1) * m_o.laneGap);
            }
            points.append(target);
            m_points[e] = points;
        }
    }

    void place(int s, const QPointF &origin, int depth)
    {
        for (int n : m_members.at(s)) {
            const NodeWork &w = m_nodes.at(n);
            NodeLayout &out = m_result.nodes[n];
            out.box = QRectF(origin + w.pos, w.boxSize);
            out.rect = QRectF(QPointF(out.box.x() + w.rectX, out.box.y()), w.rectSize);
            out.layer = w.layer;
            out.column = w.column == 0 ? LayoutColumn::Forward : LayoutColumn::Compensation;
            for (qsizetype k = 0; k < w.childScopes.size(); ++k) {
                const int child = w.childScopes.at(k);
                const QRectF container = w.containers.at(k).translated(out.box.topLeft());
                m_result.scopes[child] = container;
                if (depth < MaxDepth)
                    place(child,
                        container.topLeft() + QPointF(m_o.containerPadding, m_o.containerPadding + m_o.containerHeader),
                        depth + 1);
            }
        }
        for (int e : m_scopeEdges.at(s)) {
            EdgeLayout &out = m_result.edges[e];
            out.reversed = m_reversed.at(e);
            out.points.clear();
            out.points.reserve(m_points.at(e).size());
            for (const QPointF &p : m_points.at(e))
                out.points.append(p + origin);
        }
    }

    void routeBranches()
    {
        for (qsizetype e = 0; e < m_g.edges.size(); ++e) {
            const StateEdge &edge = m_g.edges.at(e);
            if (edge.kind != EdgeKind::Branch || !validNode(edge.from) || !validNode(edge.to))
                continue;
            const QRectF from = m_result.nodes.at(edge.from).rect;
            const QRectF to = m_result.nodes.at(edge.to).rect;
            const int scope = m_g.nodes.at(edge.to).scope;
            if (from.isEmpty() || to.isEmpty() || scope <= 0 || scope >= m_result.scopes.size())
                continue;
            const QRectF container = m_result.scopes.at(scope);
            const qreal midY = (from.bottom() + container.top()) / 2;
            m_result.edges[e].points = { QPointF(from.center().x(), from.bottom()), QPointF(from.center().x(), midY),
                QPointF(to.center().x(), midY), QPointF(to.center().x(), to.top()) };
        }
    }

    const StateGraph &m_g;
    const LayoutOptions m_o;
    QList<NodeWork> m_nodes;
    QList<char> m_mark; // DFS: 0 unseen, 1 on the stack, 2 done
    QList<QList<int>> m_out; // per node: its non-Branch edges within its scope
    QList<QList<int>> m_members; // per scope: its states
    QList<QList<int>> m_scopeEdges; // per scope: its non-Branch edges
    QList<QSizeF> m_scopeSize;
    QList<int> m_scopeState; // 0 not laid out, 1 in progress, 2 done
    QList<bool> m_back;
    QList<bool> m_reversed;
    QList<QList<QPointF>> m_points; // per edge, in its scope's coordinates
    QList<Item> m_items; // of the scope being laid out
    GraphLayout m_result;
};

} // namespace

GraphLayout layoutGraph(const StateGraph &graph, const LayoutOptions &options)
{
    return Layouter(graph, options).run();
}

} // namespace Bramble::Saga
