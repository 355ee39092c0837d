#include "ui/sagas/executionview.h"

#include "models/executionlistmodel.h"
#include "models/sagavisuals.h"
#include "models/steptablemodel.h"
#include "ui/common/text.h"
#include "ui/common/textviews.h"
#include "ui/common/theme.h"
#include "ui/sagas/sagagraphview.h"
#include "ui/sagas/sagatonedelegate.h"
#include "ui/sagas/timelinechart.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

// A tool button for an action of the view; with a shortcut, the action is
// the view's (so the window's shortcut list shows it) and the button shows it.
QToolButton *toolButton(const QString &text, const QString &tip, const QKeySequence &shortcut, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(true);
    if (shortcut.isEmpty()) {
        b->setText(text);
        b->setToolTip(tip);
        return b;
    }
    auto *action = new QAction(text, parent);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
    parent->addAction(action);
    b->setDefaultAction(action);
    return b;
}

// Enables a button and the action behind it (a disabled button's shortcut would still fire).
void enable(QToolButton *button, bool enabled)
{
    button->setEnabled(enabled);
    if (QAction *a = button->defaultAction())
        a->setEnabled(enabled);
}

// Pretty JSON when the text is JSON, else the text as it is.
QString pretty(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return text;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QProgressBar *gauge(const QString &tip, QWidget *parent)
{
    auto *g = new QProgressBar(parent);
    g->setRange(0, 1000);
    g->setTextVisible(true);
    g->setMinimumWidth(150);
    g->setMaximumWidth(220);
    g->setToolTip(tip);
    return g;
}

void setGauge(QProgressBar *g, double fraction, const QString &text)
{
    g->setValue(int(qBound(0.0, fraction, 1.0) * 1000));
    g->setFormat(text);
    // Past 80 % of a quota the execution is close to failing on it.
    const Tone tone = fraction >= 0.95 ? Tone::Error : fraction >= 0.8 ? Tone::Warning : Tone::Ok;
    QPalette p = g->palette();
    p.setColor(QPalette::Highlight, toneColor(tone, g->palette()));
    g->setPalette(p);
}

} // namespace

ExecutionView::ExecutionView(QWidget *parent)
    : QWidget(parent)
    , m_banner(new QLabel(this))
    , m_subline(new QLabel(this))
    , m_follow(toolButton(tr("Follow live"), tr("Poll the history and show steps as they happen"),
          QKeySequence(Qt::CTRL | Qt::Key_L), this))
    , m_stop(toolButton(
          tr("Stop…"), tr("Stop this execution (StopExecution)"), QKeySequence(Qt::CTRL | Qt::Key_Period), this))
    , m_redrive(
          toolButton(tr("Redrive…"), tr("Run a failed execution again from the step that failed (RedriveExecution)"),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this))
    , m_compare(toolButton(tr("Compare…"), tr("Compare with another execution: select two rows in the list"),
          QKeySequence(Qt::CTRL | Qt::Key_D), this))
    , m_settings(toolButton(tr("Saga settings…"), tr("Roles of the states, and where the transaction record is"),
          QKeySequence(Qt::CTRL | Qt::Key_Comma), this))
    , m_liveStatus(new QLabel(this))
    , m_eventsGauge(gauge(tr("Events in the history; Step Functions fails an execution at 25,000"), this))
    , m_payloadGauge(gauge(tr("The largest input or output of any step; the quota is 256 KiB"), this))
    , m_graph(new SagaGraphView(this))
    , m_tabs(new QTabWidget(this))
    , m_stepModel(new Models::StepTableModel(this))
    , m_steps(new QTableView(this))
    , m_detailTabs(new QTabWidget(this))
    , m_input(monospaceText(this, true))
    , m_output(monospaceText(this, true))
    , m_error(monospaceText(this, true))
    , m_timeline(new TimelineChart(this))
    , m_recordNote(new QLabel(this))
    , m_record(monospaceText(this, true))
    , m_recordReload(toolButton(tr("Reload"), tr("Read the record again (GetItem)"), QKeySequence(), this))
{
    m_banner->setObjectName(QStringLiteral("sagaBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bannerFont = m_banner->font();
    bannerFont.setPointSizeF(bannerFont.pointSizeF() * 1.25);
    bannerFont.setBold(true);
    m_banner->setFont(bannerFont);
    m_banner->setContentsMargins(10, 6, 10, 6);
    m_banner->setAutoFillBackground(true);
    m_subline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subline->setWordWrap(true);
    m_follow->defaultAction()->setCheckable(true);

    auto *actions = new QHBoxLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : std::initializer_list<QWidget *> { m_follow, m_stop, m_redrive, m_compare, m_settings })
        actions->addWidget(w);
    actions->addSpacing(8);
    actions->addWidget(m_liveStatus, 1);
    actions->addWidget(m_eventsGauge);
    actions->addWidget(m_payloadGauge);

    m_steps->setModel(m_stepModel);
    m_steps->setItemDelegate(new SagaToneDelegate(Models::StepTableModel::ToneRole, -1, m_steps));
    m_steps->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_steps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_steps->verticalHeader()->hide();
    m_steps->horizontalHeader()->setStretchLastSection(true);
    m_steps->setAlternatingRowColors(true);
    m_steps->setWordWrap(false);
    m_steps->verticalHeader()->setDefaultSectionSize(m_steps->fontMetrics().height() + 8);

    m_detailTabs->addTab(m_input, tr("Input"));
    m_detailTabs->addTab(m_output, tr("Output"));
    m_detailTabs->addTab(m_error, tr("Error"));
    m_detailTabs->setDocumentMode(true);

    auto *stepsSplit = new QSplitter(Qt::Vertical, this);
    stepsSplit->addWidget(m_steps);
    stepsSplit->addWidget(m_detailTabs);
    stepsSplit->setStretchFactor(0, 3);
    stepsSplit->setStretchFactor(1, 2);

    auto *recordPage = new QWidget(this);
    auto *recordLayout = new QVBoxLayout(recordPage);
    auto *recordHead = new QHBoxLayout;
    m_recordNote->setWordWrap(true);
    m_recordNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    recordHead->addWidget(m_recordNote, 1);
    recordHead->addWidget(m_recordReload);
    recordLayout->addLayout(recordHead);
    recordLayout->addWidget(m_record, 1);

    m_tabs->addTab(stepsSplit, tr("Steps"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->addTab(recordPage, tr("Record"));
    m_tabs->setDocumentMode(true);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("executionSplit"));
    split->addWidget(m_graph);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({ 520, 560 });
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_subline);
    layout->addLayout(actions);
    layout->addWidget(split, 1);

    connect(m_follow->defaultAction(), &QAction::toggled, this, [this](bool on) {
        if (!m_syncing)
            Q_EMIT followToggled(on);
    });
    connect(m_stop->defaultAction(), &QAction::triggered, this, &ExecutionView::stopRequested);
    connect(m_redrive->defaultAction(), &QAction::triggered, this, &ExecutionView::redriveRequested);
    connect(m_compare->defaultAction(), &QAction::triggered, this, &ExecutionView::compareRequested);
    connect(m_settings->defaultAction(), &QAction::triggered, this, &ExecutionView::settingsRequested);
    connect(m_recordReload, &QToolButton::clicked, this, &ExecutionView::recordReloadRequested);
    connect(m_graph, &SagaGraphView::stateActivated, this, &ExecutionView::selectState);
    connect(m_timeline, &TimelineChart::stepActivated, this, &ExecutionView::selectStep);
    connect(
        m_steps->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
            if (!m_syncing && current.isValid())
                selectStep(current.row());
        });
    clear();
}

void ExecutionView::setMachine(const QString &name, const Saga::StateGraph &graph, const Saga::SagaRoles &roles)
{
    // Another execution of the same machine: keep the drawing (and the user's zoom).
    const bool redraw = !(Saga::sameStates(graph, m_graphData) && roles == m_roles) || m_graphData.nodes.isEmpty();
    m_machineName = name;
    m_graphData = graph;
    m_roles = roles;
    m_entry = {};
    m_analysis = {};
    if (redraw)
        m_graph->setGraph(graph, roles);
    m_graph->clearVisuals();
    m_stepModel->clear();
    m_timeline->clear();
    m_timeline->setEmptyText(tr("Select an execution to see its steps in time."));
    for (QPlainTextEdit *e : { m_input, m_output, m_error, m_record })
        e->clear();
    m_recordNote->setText(tr("Select an execution to read its transaction record."));
    setFollowing(false);
    updateBanner();
    updateActions();
}

void ExecutionView::clear(const QString &message)
{
    m_machineName.clear();
    m_graphData = {};
    m_roles = {};
    m_entry = {};
    m_analysis = {};
    m_graph->clear();
    m_stepModel->clear();
    m_timeline->clear();
    for (QPlainTextEdit *e : { m_input, m_output, m_error, m_record })
        e->clear();
    m_recordNote->clear();
    setFollowing(false);
    updateBanner();
    if (!message.isEmpty())
        m_banner->setText(message);
    updateActions();
}

void ExecutionView::setExecution(
    const Saga::ExecutionEntry &entry, const Saga::SagaAnalysis &analysis, const Saga::HistoryStats &stats)
{
    const bool sameExecution = entry.executionArn == m_entry.executionArn;
    const int selected = sameExecution ? m_timeline->selectedStep() : -1;
    // Following the newest step (or nothing chosen yet): keep following it as steps arrive.
    const bool tail = sameExecution && (selected < 0 || selected == m_analysis.timeline.steps.size() - 1);
    m_entry = entry;
    m_analysis = analysis;
    m_syncing = true;
    const int rowsBefore = m_stepModel->rowCount();
    m_stepModel->setAnalysis(analysis);
    if (!sameExecution || m_stepModel->rowCount() != rowsBefore)
        m_steps->resizeColumnToContents(Models::StepTableModel::StateColumn);
    m_timeline->setTimeline(analysis.timeline, analysis.stepRoles);
    m_graph->setVisuals(Models::stateVisuals(m_graphData, m_roles, analysis), Models::danglingStates(analysis));
    m_syncing = false;

    setGauge(m_eventsGauge, stats.eventFraction(), tr("%1 / 25,000 events").arg(QLocale().toString(stats.eventCount)));
    setGauge(
        m_payloadGauge, stats.payloadFraction(), tr("payload %1 / 256 KiB").arg(byteSize(stats.largestPayloadBytes)));

    if (!sameExecution) {
        for (QPlainTextEdit *e : { m_input, m_output, m_error, m_record })
            e->clear();
        m_recordNote->setText(tr("Reading the transaction record…"));
        // Start where it matters: the step that failed, else the last one.
        const int failed = analysis.timeline.failedStep;
        int first = failed;
        if (first < 0) {
            for (int i = 0; i < int(analysis.timeline.steps.size()); ++i)
                if (analysis.timeline.steps.at(i).state == analysis.failedStep)
                    first = i;
        }
        if (first < 0)
            first = int(analysis.timeline.steps.size()) - 1;
        if (first >= 0)
            selectStep(first);
    } else if (tail && !analysis.timeline.steps.isEmpty()) {
        selectStep(int(analysis.timeline.steps.size()) - 1);
    } else if (selected >= 0 && selected < analysis.timeline.steps.size()) {
        selectStep(selected);
    }
    updateBanner();
    updateActions();
}

void ExecutionView::setFollowing(bool following, const QString &status)
{
    m_syncing = true;
    m_follow->defaultAction()->setChecked(following);
    m_syncing = false;
    m_liveStatus->setText(status);
}

bool ExecutionView::isFollowing() const
{
    return m_follow->defaultAction()->isChecked();
}

void ExecutionView::setBusy(const QString &text)
{
    m_liveStatus->setText(text);
}

void ExecutionView::setRecord(
    const QString &note, const QJsonObject &item, bool found, const QStringList &stepAttributes)
{
    m_record->setPlainText(found ? QString::fromUtf8(QJsonDocument(item).toJson(QJsonDocument::Indented)) : QString());
    QString text = note;
    const bool committed = m_analysis.outcome == Saga::SagaOutcome::Committed;
    const bool ended = m_analysis.outcome != Saga::SagaOutcome::Running;
    if (!found) {
        text += QStringLiteral("<br>")
            + (committed ? tr("<b>No item.</b> The saga committed but its record is missing.")
                         : tr("<b>No item:</b> nothing was left behind."));
    } else if (!ended || committed) {
        text += QStringLiteral("<br>")
            + tr("Written by the steps: %1")
                  .arg(stepAttributes.isEmpty() ? tr("none") : stepAttributes.join(QStringLiteral(", ")));
    } else if (stepAttributes.isEmpty()) {
        text += QStringLiteral("<br>") + tr("The rollback removed every step's data.");
    } else {
        const QColor error = toneColor(Tone::Error, palette());
        text += QStringLiteral("<br><span style=\"color:%1\"><b>Left behind by the rollback: %2</b></span>")
                    .arg(error.name(), stepAttributes.join(QStringLiteral(", ")).toHtmlEscaped());
    }
    m_recordNote->setText(text);
}

void ExecutionView::setRecordError(const QString &message)
{
    m_record->clear();
    m_recordNote->setText(message.toHtmlEscaped());
}

QString ExecutionView::bannerText() const
{
    return m_banner->text();
}

QString ExecutionView::detailText() const
{
    return m_subline->text();
}

QString ExecutionView::recordText() const
{
    return QStringLiteral("%1\n%2").arg(m_recordNote->text(), m_record->toPlainText());
}

void ExecutionView::selectStep(int step)
{
    if (step < 0 || step >= m_analysis.timeline.steps.size())
        return;
    m_syncing = true;
    m_steps->selectRow(step);
    m_steps->scrollTo(m_stepModel->index(step, 0));
    m_timeline->selectStep(step);
    m_graph->selectState(m_analysis.timeline.steps.at(step).state);
    m_syncing = false;
    showStepDetails(step);
}

void ExecutionView::selectState(const QString &state)
{
    if (m_syncing)
        return;
    // Its last visit.
    for (int i = int(m_analysis.timeline.steps.size()) - 1; i >= 0; --i)
        if (m_analysis.timeline.steps.at(i).state == state) {
            selectStep(i);
            return;
        }
}

void ExecutionView::showStepDetails(int step)
{
    const Saga::Step &s = m_analysis.timeline.steps.at(step);
    m_input->setPlainText(s.input.isEmpty() ? tr("(no input recorded)") : pretty(s.input));
    m_output->setPlainText(s.output.isEmpty() ? tr("(no output)") : pretty(s.output));
    if (s.error.isEmpty() && s.cause.isEmpty()) {
        m_error->setPlainText(tr("(no error)"));
        if (m_detailTabs->currentWidget() == m_error)
            m_detailTabs->setCurrentWidget(m_input);
    } else {
        m_error->setPlainText(QStringLiteral("%1\n\n%2").arg(s.error, pretty(s.cause)));
        if (m_detailTabs->currentWidget() != m_error && s.status != Saga::StepStatus::Succeeded)
            m_detailTabs->setCurrentWidget(m_error);
    }
}

void ExecutionView::updateActions()
{
    const bool has = hasExecution();
    const bool running = m_entry.status == QLatin1String("RUNNING");
    const bool redrivable = m_entry.status == QLatin1String("FAILED") || m_entry.status == QLatin1String("TIMED_OUT")
        || m_entry.status == QLatin1String("ABORTED");
    enable(m_follow, has && (running || isFollowing()));
    enable(m_stop, has && running);
    enable(m_redrive, has && redrivable);
    enable(m_compare, has);
    enable(m_settings, !m_graphData.nodes.isEmpty());
    m_recordReload->setEnabled(has);
    m_eventsGauge->setVisible(has);
    m_payloadGauge->setVisible(has);
}

void ExecutionView::updateBanner()
{
    Tone tone = Tone::Neutral;
    QString sub;
    if (!hasExecution()) {
        m_banner->setText(m_machineName.isEmpty()
                ? tr("No state machine selected")
                : tr("%1: select an execution, or start one (Ctrl+N)").arg(m_machineName));
        sub = m_graphData.nodes.isEmpty() ? QString()
                                          : tr("Forward steps: %1. Compensations are drawn dashed to the right.")
                                                .arg(m_roles.forwardSteps.join(QStringLiteral(" → ")));
    } else {
        const Saga::SagaAnalysis &a = m_analysis;
        tone = Models::sagaOutcomeTone(a.outcome);
        m_banner->setText(Saga::outcomeSentence(a));
        QStringList parts;
        parts << tr("%1 · status %2 · outcome %3")
                     .arg(m_entry.name, Models::prettyConstant(m_entry.status),
                         Models::prettyConstant(Saga::sagaOutcomeName(a.outcome)));
        if (!a.error.isEmpty())
            parts << tr("error %1").arg(a.error);
        if (!a.missingCompensations.isEmpty())
            parts << (a.outcome == Saga::SagaOutcome::Running ? tr("compensations still to run: %1")
                                                              : tr("compensations that did not succeed: %1"))
                         .arg(a.missingCompensations.join(QStringLiteral(", ")));
        if (m_entry.redriveCount > 0)
            parts << (m_entry.redriveCount == 1 ? tr("redriven once")
                                                : tr("redriven %1 times").arg(m_entry.redriveCount));
        parts += a.notes;
        sub = parts.join(QStringLiteral(" · "));
    }
    m_subline->setText(sub);
    QPalette p = m_banner->palette();
    QColor background = toneColor(tone, palette());
    background.setAlpha(tone == Tone::Neutral ? 0 : 48);
    p.setColor(QPalette::Window, background);
    m_banner->setPalette(p);
}

} // namespace Bramble::Ui
