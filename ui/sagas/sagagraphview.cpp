#include "ui/sagas/sagagraphview.h"

#include "ui/common/theme.h"
#include "ui/sagas/sagagraphitems.h"

#include <QAbstractGraphicsShapeItem>
#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QScrollBar>
#include <QTime>
#include <QTimer>
#include <QWheelEvent>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace Bramble::Ui {

using Models::StateVisual;
using Saga::EdgeKind;
using Saga::StateRole;

QColor stateVisualColor(StateVisual visual, const QPalette &palette)
{
    switch (visual) {
    case StateVisual::NotReached:
        return toneColor(Tone::Muted, palette);
    case StateVisual::Running:
        return hueColor(Hue::Blue, palette);
    case StateVisual::Succeeded:
        return toneColor(Tone::Ok, palette);
    case StateVisual::Failed:
        return toneColor(Tone::Error, palette);
    case StateVisual::Caught:
        return hueColor(Hue::Orange, palette);
    case StateVisual::Compensated:
        return hueColor(Hue::Purple, palette);
    case StateVisual::CompensationSucceeded:
        return hueColor(Hue::Teal, palette);
    case StateVisual::CompensationFailed:
        return hueColor(Hue::Pink, palette);
    case StateVisual::Aborted:
        return toneColor(Tone::Warning, palette);
    }
    return palette.color(QPalette::Text);
}

QColor stateRoleColor(StateRole role, const QPalette &palette)
{
    switch (role) {
    case StateRole::Forward:
        return hueColor(Hue::Blue, palette);
    case StateRole::Compensation:
        return hueColor(Hue::Purple, palette);
    case StateRole::Other:
        break;
    }
    return {};
}

namespace {

// Automatic fitting stops here (text is still legible).
constexpr qreal kMinAutoZoom = 0.6;

} // namespace

using namespace SagaGraph;

SagaGraphView::SagaGraphView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
    , m_style(new Style)
    , m_legend(new Legend(viewport()))
    , m_pulse(new QTimer(this))
{
    setObjectName(QStringLiteral("sagaGraphView"));
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    setOptimizationFlag(QGraphicsView::DontSavePainterState);
    m_pulse->setInterval(60);
    connect(m_pulse, &QTimer::timeout, this, [this] {
        if (!isVisible()) {
            m_pulse->stop();
            return;
        }
        const qreal t = qreal(QTime::currentTime().msecsSinceStartOfDay()) / 1000.0;
        m_style->pulse = (std::sin(t * 2 * M_PI / 1.4) + 1) / 2;
        for (StateItem *item : std::as_const(m_states))
            if (item && item->visual() == StateVisual::Running)
                item->update();
    });
    applyStyle();
}

SagaGraphView::~SagaGraphView()
{
    m_scene->clear(); // items point at m_style
    delete m_style;
}

void SagaGraphView::setGraph(const Saga::StateGraph &graph, const Saga::SagaRoles &roles)
{
    m_graph = graph;
    m_roles = roles;
    m_visuals.clear();
    m_dangling.clear();
    m_hasVisuals = false;
    m_selected.clear();
    m_autoFit = true;
    m_fitWhole = false;
    rebuild();
}

void SagaGraphView::clear()
{
    setGraph({}, {});
}

void SagaGraphView::rebuild()
{
    m_scene->clear();
    m_states.clear();
    m_edges.clear();
    m_style->hasVisuals = m_hasVisuals;

    // Boxes wide enough for the widest name: the layout sizes by a per-character
    // width, so take the widest ratio among the names (capped, so one odd name
    // does not inflate every box).
    const QFontMetricsF fm(m_style->nameFont);
    qreal perChar = fm.averageCharWidth();
    for (const Saga::StateNode &n : std::as_const(m_graph.nodes))
        if (!n.name.isEmpty())
            perChar = std::max(perChar, fm.horizontalAdvance(n.name) / n.name.size());
    Saga::LayoutOptions options;
    options.averageCharWidth = std::min(perChar, fm.averageCharWidth() * 1.5);
    options.textPadding = 12 + kStripe / 2;
    options.nodeHeight = std::ceil(m_style->namePixels + m_style->captionPixels + 10);
    options.containerHeader = std::ceil(QFontMetricsF(m_style->labelFont).height() + 4);
    options.layerGap = 44;
    options.columnGap = 96;
    m_layout = Saga::layoutGraph(m_graph, options);

    // Containers of Parallel branches and Map iterators.
    for (qsizetype s = 1; s < m_graph.scopes.size() && s < m_layout.scopes.size(); ++s) {
        const QRectF r = m_layout.scopes.at(s);
        if (r.isEmpty())
            continue;
        const Saga::ScopeInfo &scope = m_graph.scopes.at(s);
        QString label;
        for (const Saga::StateEdge &e : std::as_const(m_graph.edges))
            if (e.kind == EdgeKind::Branch && e.from == scope.owner && e.to == scope.start)
                label = e.label;
        // The owner sits right above its containers; its name only when the edge has no label.
        if (label.isEmpty() && scope.owner >= 0 && scope.owner < m_graph.nodes.size())
            label = m_graph.nodes.at(scope.owner).name;
        m_scene->addItem(new ContainerItem(m_style, r, label));
    }

    m_states.fill(nullptr, m_graph.nodes.size());
    for (qsizetype n = 0; n < m_graph.nodes.size() && n < m_layout.nodes.size(); ++n) {
        const Saga::StateNode &node = m_graph.nodes.at(n);
        const QRectF r = m_layout.nodes.at(n).rect;
        if (r.isEmpty())
            continue;
        auto *item = new StateItem(m_style, node, m_roles.role(node.name), r);
        m_scene->addItem(item);
        m_states[n] = item;
        if (node.parent < 0 && node.isTerminal())
            m_scene->addItem(new MarkerItem(m_style, false, m_layout.nodes.at(n).box));
    }
    const int start = m_graph.start();
    if (start >= 0 && start < m_states.size() && m_states.at(start))
        m_scene->addItem(new MarkerItem(m_style, true, m_states.at(start)->rect()));

    m_edges.fill(nullptr, m_graph.edges.size());
    QList<LabelItem *> labels;
    for (qsizetype e = 0; e < m_graph.edges.size() && e < m_layout.edges.size(); ++e) {
        const QList<QPointF> &points = m_layout.edges.at(e).points;
        if (points.size() < 2)
            continue;
        const Saga::StateEdge &edge = m_graph.edges.at(e);
        auto *item = new EdgeItem(m_style, edge.kind, points);
        m_scene->addItem(item);
        m_edges[e] = item;
        if (edge.kind != EdgeKind::Catch || edge.label.isEmpty())
            continue;
        // The label sits where the edge leaves its state, beside the state's
        // other outgoing edges, nudged down off earlier labels.
        const QPainterPath &path = item->path();
        const qreal along = std::min<qreal>(44, path.length() * 0.4);
        const QPointF at = path.pointAtPercent(path.percentAtLength(along));
        auto *label = new LabelItem(m_style, edge.label, at);
        const qreal sourceX = points.first().x();
        if (label->rect().left() < sourceX + 4 && label->rect().right() > sourceX - 4) {
            const bool right = points.last().x() >= sourceX;
            label->shiftRight(right ? sourceX + 6 - label->rect().left() : sourceX - 6 - label->rect().right());
        }
        for (int tries = 0; tries < 6; ++tries) {
            const bool overlaps = std::any_of(labels.cbegin(), labels.cend(),
                [label](const LabelItem *other) { return other->rect().intersects(label->rect()); });
            if (!overlaps)
                break;
            label->shiftDown(label->rect().height() + 2);
        }
        labels << label;
        m_scene->addItem(label);
    }

    const QRectF bounds = m_scene->itemsBoundingRect();
    m_bounds = bounds.isEmpty() ? QRectF() : bounds.adjusted(-16, -16, 16, 16);
    m_scene->setSceneRect(m_bounds);
    applyVisuals();
    updateLegend();
    if (m_autoFit)
        fit();
}

void SagaGraphView::setVisuals(const QHash<QString, StateVisual> &visuals, const QSet<QString> &dangling)
{
    m_visuals = visuals;
    m_dangling = dangling;
    m_hasVisuals = true;
    applyVisuals();
    updateLegend();
}

void SagaGraphView::clearVisuals()
{
    m_visuals.clear();
    m_dangling.clear();
    m_hasVisuals = false;
    applyVisuals();
    updateLegend();
}

void SagaGraphView::applyVisuals()
{
    m_style->hasVisuals = m_hasVisuals;
    for (StateItem *item : std::as_const(m_states)) {
        if (!item)
            continue;
        item->setState(m_visuals.value(item->name(), StateVisual::NotReached), m_dangling.contains(item->name()),
            item->name() == m_selected);
    }
    updateRunningTimer();
}

void SagaGraphView::updateRunningTimer()
{
    const bool running = m_hasVisuals && std::any_of(m_states.cbegin(), m_states.cend(), [](const StateItem *i) {
        return i && i->visual() == StateVisual::Running;
    });
    if (running && isVisible())
        m_pulse->start();
    else
        m_pulse->stop();
}

void SagaGraphView::applyStyle()
{
    m_style->update(palette(), font());
    setBackgroundBrush(m_style->base);
    for (StateItem *item : std::as_const(m_states))
        if (item)
            item->restyle();
    for (EdgeItem *item : std::as_const(m_edges))
        if (item)
            item->restyle();
    m_scene->update();
    updateLegend();
}

void SagaGraphView::updateLegend()
{
    const QPalette pal = palette();
    using E = Legend::Entry;
    QList<E> keys {
        { E::Line, m_style->edge, Qt::SolidLine, 1.4, tr("next / choice") },
        { E::Line, m_style->catchColor, Qt::DashLine, 1.5, tr("catch → compensation") },
        { E::Line, m_style->branch, Qt::SolidLine, 0.8, tr("branch") },
        { E::Stripe, stateRoleColor(StateRole::Forward, pal), Qt::SolidLine, 1, tr("forward step") },
        { E::Stripe, stateRoleColor(StateRole::Compensation, pal), Qt::SolidLine, 1, tr("compensation") },
    };
    QList<QList<E>> columns { keys };
    if (m_hasVisuals) {
        QList<E> states;
        for (StateVisual v : { StateVisual::Running, StateVisual::Succeeded, StateVisual::Failed, StateVisual::Caught,
                 StateVisual::Compensated, StateVisual::CompensationSucceeded, StateVisual::CompensationFailed,
                 StateVisual::Aborted, StateVisual::NotReached }) {
            const bool present = std::any_of(
                m_states.cbegin(), m_states.cend(), [&](const StateItem *i) { return i && i->visual() == v; });
            if (present)
                states << E { E::Swatch,
                    v == StateVisual::NotReached ? mix(m_style->base, m_style->text, 0.35) : stateVisualColor(v, pal),
                    v == StateVisual::NotReached ? Qt::DashLine : Qt::SolidLine, 1.6, Models::stateVisualName(v) };
        }
        if (!m_dangling.isEmpty())
            states << E { E::Badge, m_style->badge, Qt::SolidLine, 1, tr("dangling: not compensated") };
        // Balanced columns of at most five rows, so the legend stays a strip in the corner.
        const qsizetype count = (states.size() + 4) / 5;
        const qsizetype perColumn = count > 0 ? (states.size() + count - 1) / count : 5;
        for (qsizetype i = 0; i < states.size(); i += perColumn)
            columns << states.mid(i, perColumn);
    }
    m_legend->setEntries(columns);
    placeLegend();
}

void SagaGraphView::placeLegend()
{
    const QRect vp = viewport()->rect();
    m_legend->move(8, std::max(8, vp.height() - m_legend->height() - 8));
    m_legend->setVisible(!m_legend->property("hiddenByUser").toBool() && !m_states.isEmpty());
}

void SagaGraphView::setLegendVisible(bool visible)
{
    m_legend->setProperty("hiddenByUser", !visible);
    placeLegend();
}

bool SagaGraphView::isLegendVisible() const
{
    return !m_legend->property("hiddenByUser").toBool();
}

QAbstractGraphicsShapeItem *SagaGraphView::stateItem(const QString &name) const
{
    const int n = m_graph.indexOf(name);
    return n >= 0 && n < m_states.size() ? m_states.at(n) : nullptr;
}

QGraphicsPathItem *SagaGraphView::edgeItem(int edgeIndex) const
{
    return edgeIndex >= 0 && edgeIndex < m_edges.size() ? m_edges.at(edgeIndex) : nullptr;
}

void SagaGraphView::selectState(const QString &name)
{
    const int n = m_graph.indexOf(name);
    StateItem *target = n >= 0 && n < m_states.size() ? m_states.at(n) : nullptr;
    const int old = m_graph.indexOf(m_selected);
    if (old >= 0 && old < m_states.size() && m_states.at(old))
        m_states.at(old)->setHighlighted(false);
    m_selected = target ? name : QString();
    if (target) {
        target->setHighlighted(true);
        ensureVisible(target->rect(), 40, 40);
    }
}

void SagaGraphView::activate(const QString &name)
{
    selectState(name);
    if (!m_selected.isEmpty())
        Q_EMIT stateActivated(m_selected);
}

qreal SagaGraphView::zoom() const
{
    return transform().m11();
}

void SagaGraphView::scaleBy(qreal factor)
{
    const qreal current = zoom();
    const qreal target = std::clamp(current * factor, 0.02, 6.0);
    if (current > 0)
        scale(target / current, target / current);
}

void SagaGraphView::zoomIn()
{
    m_autoFit = false;
    scaleBy(1.25);
}

void SagaGraphView::zoomOut()
{
    m_autoFit = false;
    scaleBy(1 / 1.25);
}

void SagaGraphView::actualSize()
{
    m_autoFit = false;
    setTransform(QTransform());
    const int n = m_graph.indexOf(m_selected);
    if (n >= 0 && m_states.at(n))
        centerOn(m_states.at(n));
}

void SagaGraphView::fitToView()
{
    m_autoFit = true;
    m_fitWhole = true;
    fit();
}

void SagaGraphView::fit()
{
    // A pixel of slack, so rounding never leaves a scroll bar behind.
    const qreal vw = viewport()->width() - 2, vh = viewport()->height() - 2;
    if (m_bounds.isEmpty() || vw < 4 || vh < 4)
        return;
    const qreal bw = m_bounds.width(), bh = m_bounds.height();
    // Small graphs stay at 100 % rather than blowing up.
    qreal s = std::min({ vw / bw, vh / bh, 1.0 });
    QRectF rect = m_bounds;
    // Keep the drawing off the legend: when centring it would run under the
    // legend, fit it into the room beside or above the legend instead, and
    // let the scene rect cover the legend's corner.
    if (isLegendVisible() && !m_states.isEmpty()) {
        const qreal lw = m_legend->width() + 16, lh = m_legend->height() + 16;
        const bool overlaps = (vw - bw * s) / 2 < lw && (vh + bh * s) / 2 > vh - lh;
        if (overlaps) {
            const qreal beside = std::min({ (vw - lw) / bw, vh / bh, 1.0 });
            const qreal above = std::min({ vw / bw, (vh - lh) / bh, 1.0 });
            if (beside >= above && beside > 0) {
                s = beside;
                rect.adjust(-lw / s, 0, 0, 0);
            } else if (above > 0) {
                s = above;
                rect.adjust(0, 0, 0, lh / s);
            }
        }
    }
    // Automatic fitting never goes below a legible zoom: a big graph shows
    // its top (the start) instead, and scrolls.
    const bool clamped = !m_fitWhole && s < kMinAutoZoom;
    if (clamped) {
        s = kMinAutoZoom;
        rect = m_bounds;
    }
    m_scene->setSceneRect(rect);
    setTransform(QTransform::fromScale(s, s));
    if (clamped) {
        const int start = m_graph.start();
        const qreal x = start >= 0 && start < m_states.size() && m_states.at(start)
            ? m_states.at(start)->rect().center().x()
            : rect.center().x();
        centerOn(QPointF(x, rect.top() + vh / (2 * s)));
    } else {
        centerOn(rect.center());
    }
}

void SagaGraphView::moveSelection(int key)
{
    const int current = m_graph.indexOf(m_selected);
    if (current < 0 || current >= m_states.size() || !m_states.at(current)) {
        const int start = m_graph.start();
        if (start >= 0 && start < m_states.size() && m_states.at(start))
            activate(m_graph.nodes.at(start).name);
        return;
    }
    const QPointF from = m_states.at(current)->rect().center();
    int best = -1;
    qreal bestScore = 0;
    for (qsizetype n = 0; n < m_states.size(); ++n) {
        if (n == current || !m_states.at(n))
            continue;
        const QPointF d = m_states.at(n)->rect().center() - from;
        qreal along = 0, across = 0;
        switch (key) {
        case Qt::Key_Down:
            along = d.y(), across = d.x();
            break;
        case Qt::Key_Up:
            along = -d.y(), across = d.x();
            break;
        case Qt::Key_Right:
            along = d.x(), across = d.y();
            break;
        case Qt::Key_Left:
            along = -d.x(), across = d.y();
            break;
        default:
            return;
        }
        if (along <= 1)
            continue;
        const qreal score = along + 2.5 * std::abs(across);
        if (best < 0 || score < bestScore)
            best = int(n), bestScore = score;
    }
    if (best >= 0)
        activate(m_graph.nodes.at(best).name);
}

void SagaGraphView::keyPressEvent(QKeyEvent *event)
{
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const int key = event->key();
    if (ctrl && (key == Qt::Key_Equal || key == Qt::Key_Plus)) {
        zoomIn();
    } else if (ctrl && (key == Qt::Key_Minus || key == Qt::Key_Underscore)) {
        zoomOut();
    } else if (ctrl && key == Qt::Key_0) {
        fitToView();
    } else if (ctrl && key == Qt::Key_1) {
        actualSize();
    } else if (!ctrl && (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_Left || key == Qt::Key_Right)) {
        moveSelection(key);
    } else if (key == Qt::Key_Home && m_graph.start() >= 0) {
        activate(m_graph.nodes.at(m_graph.start()).name);
    } else if ((key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Space) && !m_selected.isEmpty()) {
        Q_EMIT stateActivated(m_selected);
    } else {
        QGraphicsView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void SagaGraphView::mousePressEvent(QMouseEvent *event)
{
    QGraphicsView::mousePressEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    const QList<QGraphicsItem *> hits = items(event->position().toPoint());
    for (QGraphicsItem *hit : hits) {
        if (auto *state = dynamic_cast<StateItem *>(hit)) {
            activate(state->name());
            return;
        }
    }
}

void SagaGraphView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    m_autoFit = false;
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    scaleBy(std::pow(1.25, event->angleDelta().y() / 120.0));
    setTransformationAnchor(anchor);
    event->accept();
}

void SagaGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_autoFit)
        fit();
    placeLegend();
}

void SagaGraphView::showEvent(QShowEvent *event)
{
    QGraphicsView::showEvent(event);
    if (m_autoFit)
        fit();
    placeLegend();
    updateRunningTimer();
}

void SagaGraphView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        applyStyle();
        if (event->type() == QEvent::FontChange)
            rebuild();
    }
}

} // namespace Bramble::Ui
