#include "models/steptablemodel.h"

#include "models/executionlistmodel.h"

namespace Bramble::Models {

using Saga::Step;

namespace {

bool sameStep(const Step &a, const Step &b)
{
    return a.state == b.state && a.parent == b.parent && a.closedEventId == b.closedEventId && a.status == b.status
        && a.attempts == b.attempts && a.startedAt == b.startedAt && a.endedAt == b.endedAt && a.error == b.error
        && a.cause == b.cause && a.nextState == b.nextState;
}

} // namespace

StepTableModel::StepTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void StepTableModel::setAnalysis(const Saga::SagaAnalysis &analysis)
{
    const QList<Step> &old = m_analysis.timeline.steps;
    const QList<Step> &next = analysis.timeline.steps;
    bool grows = next.size() >= old.size();
    for (qsizetype i = 0; grows && i < old.size(); ++i)
        grows = old.at(i).enteredEventId == next.at(i).enteredEventId && old.at(i).state == next.at(i).state;
    if (!grows) {
        beginResetModel();
        m_analysis = analysis;
        endResetModel();
        return;
    }
    // Which of the kept rows changed (roles can change too: a new analysis may re-derive them).
    QList<bool> changed(old.size(), false);
    for (qsizetype i = 0; i < old.size(); ++i)
        changed[i] = !sameStep(old.at(i), next.at(i))
            || m_analysis.stepRoles.value(i, Saga::StateRole::Other)
                != analysis.stepRoles.value(i, Saga::StateRole::Other);
    const int oldCount = int(old.size());
    const int newCount = int(next.size());
    if (newCount > oldCount) {
        beginInsertRows({}, oldCount, newCount - 1);
        m_analysis = analysis;
        endInsertRows();
    } else {
        m_analysis = analysis;
    }
    int first = -1;
    for (int row = 0; row <= oldCount; ++row) {
        const bool c = row < oldCount && changed.at(row);
        if (c && first < 0)
            first = row;
        if (!c && first >= 0) {
            Q_EMIT dataChanged(index(first, 0), index(row - 1, ColumnCount - 1));
            first = -1;
        }
    }
}

void StepTableModel::clear()
{
    beginResetModel();
    m_analysis = {};
    endResetModel();
}

Saga::StateRole StepTableModel::stepRole(int row) const
{
    return m_analysis.stepRoles.value(row, Saga::StateRole::Other);
}

int StepTableModel::depth(int row) const
{
    int d = 0;
    int p = step(row).parent;
    // Parents are entered before their children; the bound guards against a hostile cycle.
    while (p >= 0 && p < int(m_analysis.timeline.steps.size()) && d < 64) {
        ++d;
        p = m_analysis.timeline.steps.at(p).parent;
    }
    return d;
}

int StepTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_analysis.timeline.steps.size());
}

int StepTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StepTableModel::displayData(int row, int column) const
{
    const Step &s = step(row);
    switch (column) {
    case StateColumn: {
        const int d = depth(row);
        if (d == 0)
            return s.state;
        return QString(QString(2 * (d - 1), u' ') + u"└ " + s.state);
    }
    case RoleColumn:
        return Saga::stateRoleName(stepRole(row));
    case StatusColumn:
        return prettyConstant(Saga::stepStatusName(s.status));
    case AttemptsColumn:
        return s.attempts > 0 ? QVariant(s.attempts) : QVariant(QString());
    case StartedColumn:
        return s.startedAt.isValid() ? s.startedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
    case DurationColumn:
        return s.status == Saga::StepStatus::Running ? tr("running") : formatDurationMs(s.durationMs());
    case ErrorColumn:
        return s.error;
    default:
        return {};
    }
}

QVariant StepTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Step &s = step(row);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == ErrorColumn && !s.error.isEmpty())
            return s.cause.isEmpty() ? s.error : QString(s.error + u'\n' + s.cause);
        if (index.column() == StateColumn)
            return s.stateType.isEmpty() ? s.state : QStringLiteral("%1 (%2)").arg(s.state, s.stateType);
        if (index.column() == StartedColumn && s.startedAt.isValid())
            return s.startedAt.toUTC().toString(Qt::ISODateWithMs);
        if (index.column() == AttemptsColumn && s.attempts > 1)
            return s.attempts == 2 ? tr("1 retry") : tr("%1 retries").arg(s.attempts - 1);
        return {};
    case StepStatusRole:
        return int(s.status);
    case StateRoleRole:
        return int(stepRole(row));
    case StateNameRole:
        return s.state;
    case DepthRole:
        return depth(row);
    case ToneRole:
        if (index.column() == StatusColumn)
            return int(stepStatusTone(s.status));
        if (index.column() == ErrorColumn && !s.error.isEmpty())
            return int(SagaTone::Error);
        if (index.column() == RoleColumn && stepRole(row) == Saga::StateRole::Compensation)
            return int(SagaTone::Warning);
        return int(SagaTone::Neutral);
    case SortRole:
        switch (index.column()) {
        case StateColumn:
            return row;
        case AttemptsColumn:
            return s.attempts;
        case StartedColumn:
            return s.startedAt.isValid() ? s.startedAt.toMSecsSinceEpoch() : qint64(0);
        case DurationColumn:
            return s.durationMs();
        default:
            return displayData(row, index.column());
        }
    default:
        return {};
    }
}

QVariant StepTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn:
        return tr("State");
    case RoleColumn:
        return tr("Role");
    case StatusColumn:
        return tr("Status");
    case AttemptsColumn:
        return tr("Attempts");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case ErrorColumn:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace Bramble::Models
