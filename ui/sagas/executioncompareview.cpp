#include "ui/sagas/executioncompareview.h"

#include "ui/sagas/sagatonedelegate.h"

#include "models/executioncomparemodel.h"
#include "models/executionlistmodel.h"
#include "ui/common/theme.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

namespace Bramble::Ui {

using Models::ExecutionCompareModel;
using Models::SagaTone;

namespace {

QString cell(const QString &text, Tone tone, const QPalette &palette)
{
    return QStringLiteral("<span style='color:%1'>%2</span>")
        .arg(toneColor(tone, palette).name(), text.toHtmlEscaped());
}

} // namespace

ExecutionCompareView::ExecutionCompareView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ExecutionCompareModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("executionCompareView"));
    auto *layout = new QVBoxLayout(this);
    auto *cards = new QHBoxLayout;
    for (int side = 0; side < 2; ++side) {
        auto *frame = new QFrame(this);
        frame->setFrameShape(QFrame::StyledPanel);
        frame->setObjectName(side == 0 ? QStringLiteral("cardA") : QStringLiteral("cardB"));
        auto *inner = new QVBoxLayout(frame);
        m_cards[side] = new QLabel(frame);
        m_cards[side]->setTextFormat(Qt::RichText);
        m_cards[side]->setWordWrap(true);
        m_cards[side]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_cards[side]->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        inner->addWidget(m_cards[side]);
        cards->addWidget(frame, 1);
    }
    layout->addLayout(cards);

    auto *bar = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    bar->addWidget(m_summary, 1);
    m_only = new QCheckBox(tr("Only &differences"), this);
    m_only->setObjectName(QStringLiteral("onlyDifferencesBox"));
    m_only->setToolTip(tr("Hide the states whose status is the same in both executions"));
    bar->addWidget(m_only);
    layout->addLayout(bar);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(ExecutionCompareModel::DifferRole);
    m_proxy->setSortRole(ExecutionCompareModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(
        new SagaToneDelegate(ExecutionCompareModel::ToneRole, ExecutionCompareModel::DifferRole, m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ExecutionCompareModel::StateColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    connect(m_only, &QCheckBox::toggled, this, &ExecutionCompareView::setOnlyDifferences);
    clear();
}

void ExecutionCompareView::setExecutions(const Saga::ExecutionEntry &a, const Saga::SagaAnalysis &analysisA,
    const Saga::ExecutionEntry &b, const Saga::SagaAnalysis &analysisB)
{
    m_model->setAnalyses(analysisA, analysisB);
    fillCard(0, a, analysisA);
    fillCard(1, b, analysisB);
    updateSummary();
}

void ExecutionCompareView::clear()
{
    m_model->clear();
    for (QLabel *card : m_cards)
        card->setText(cell(tr("No execution"), Tone::Muted, palette()));
    updateSummary();
}

void ExecutionCompareView::fillCard(int side, const Saga::ExecutionEntry &entry, const Saga::SagaAnalysis &analysis)
{
    const QPalette &pal = palette();
    const QString letter = side == 0 ? QStringLiteral("A") : QStringLiteral("B");
    const QString status = entry.status.isEmpty() ? Saga::executionStatusName(analysis.executionStatus) : entry.status;
    const Tone statusTone = Models::executionStatusTone(status);
    const Tone outcomeTone = Models::sagaOutcomeTone(analysis.outcome);
    qint64 ms = -1;
    if (entry.startDate.isValid() && entry.stopDate.isValid())
        ms = entry.startDate.msecsTo(entry.stopDate);
    QStringList lines;
    lines << QStringLiteral("<b>%1 · %2</b>").arg(letter, entry.name.toHtmlEscaped());
    lines << QStringLiteral("%1 &nbsp;·&nbsp; %2")
                 .arg(cell(Models::prettyConstant(status), statusTone, pal),
                     cell(Models::prettyConstant(Saga::sagaOutcomeName(analysis.outcome)), outcomeTone, pal));
    lines << Saga::outcomeSentence(analysis).toHtmlEscaped();
    QString when = tr("Started %1").arg(Models::formatLocalTime(entry.startDate));
    when += QString(u" · " + (ms >= 0 ? tr("took %1").arg(Models::formatDurationMs(ms)) : tr("still running")));
    lines << cell(when, Tone::Muted, pal);
    m_cards[side]->setText(lines.join(QStringLiteral("<br>")));
    m_cards[side]->setToolTip(entry.executionArn);
}

void ExecutionCompareView::updateSummary()
{
    const int n = m_model->differenceCount();
    m_summary->setText(m_model->rowCount() == 0 ? QString()
            : n == 0 ? tr("The two executions went through the same states with the same results.")
            : n == 1 ? tr("1 state differs.")
                     : tr("%1 states differ.").arg(n));
}

bool ExecutionCompareView::onlyDifferences() const
{
    return m_only->isChecked();
}

void ExecutionCompareView::setOnlyDifferences(bool only)
{
    if (m_only->isChecked() != only)
        m_only->setChecked(only); // comes back here through toggled
    m_proxy->setFilterFixedString(only ? QStringLiteral("true") : QString());
}

int ExecutionCompareView::visibleRowCount() const
{
    return m_proxy->rowCount();
}

QString ExecutionCompareView::cardText(int side) const
{
    return QTextDocumentFragment::fromHtml(m_cards[side == 0 ? 0 : 1]->text()).toPlainText();
}

} // namespace Bramble::Ui
