#include "models/executioncomparemodel.h"

#include "models/executionlistmodel.h"

#include <QHash>

namespace Bramble::Models {

using Saga::SagaAnalysis;
using Saga::Step;

namespace {

// States in the order they were first entered.
QStringList firstEntered(const SagaAnalysis &analysis)
{
    QStringList names;
    for (const Step &s : analysis.timeline.steps)
        if (!names.contains(s.state))
            names << s.state;
    return names;
}

} // namespace

ExecutionCompareModel::ExecutionCompareModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ExecutionCompareModel::setAnalyses(const SagaAnalysis &a, const SagaAnalysis &b)
{
    beginResetModel();
    m_a = a;
    m_b = b;
    m_rows.clear();

    QStringList order = firstEntered(a);
    QString previous;
    for (const QString &name : firstEntered(b)) {
        if (!order.contains(name)) {
            const qsizetype at = previous.isEmpty() ? 0 : order.indexOf(previous) + 1;
            order.insert(at, name);
        }
        previous = name;
    }

    QHash<QString, int> rowOf;
    for (const QString &name : std::as_const(order)) {
        rowOf.insert(name, int(m_rows.size()));
        m_rows.append({ name, Saga::StateRole::Other, {}, {} });
    }
    const auto fill = [&](const SagaAnalysis &analysis, bool isA) {
        for (qsizetype i = 0; i < analysis.timeline.steps.size(); ++i) {
            const Step &s = analysis.timeline.steps.at(i);
            Row &row = m_rows[rowOf.value(s.state)];
            Side &side = isA ? row.a : row.b;
            side.present = true;
            side.status = s.status; // the last visit wins
            side.attempts += s.attempts;
            ++side.visits;
            const qint64 d = s.durationMs();
            if (d >= 0)
                side.durationMs = qMax<qint64>(side.durationMs, 0) + d;
            if (i < analysis.stepRoles.size() && (isA || !row.a.present))
                row.role = analysis.stepRoles.at(i);
        }
    };
    fill(a, true);
    fill(b, false);
    endResetModel();
}

void ExecutionCompareModel::clear()
{
    setAnalyses({}, {});
}

bool ExecutionCompareModel::differs(int row) const
{
    const Row &r = m_rows.at(row);
    return r.a.present != r.b.present || r.a.status != r.b.status;
}

int ExecutionCompareModel::differenceCount() const
{
    int n = 0;
    for (int row = 0; row < int(m_rows.size()); ++row)
        n += differs(row);
    return n;
}

int ExecutionCompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExecutionCompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExecutionCompareModel::sideData(const Side &side, int which, int role) const
{
    if (!side.present) {
        if (role == Qt::DisplayRole)
            return QStringLiteral("—");
        if (role == ToneRole)
            return int(SagaTone::Muted);
        if (role == SortRole)
            return which == 0 ? QVariant(QString()) : QVariant(qint64(-1));
        if (role == Qt::ToolTipRole)
            return tr("Not entered in this execution");
        return {};
    }
    switch (which) {
    case 0:
        if (role == Qt::DisplayRole || role == SortRole)
            return prettyConstant(Saga::stepStatusName(side.status));
        if (role == ToneRole)
            return int(stepStatusTone(side.status));
        if (role == Qt::ToolTipRole && side.visits > 1)
            return tr("Entered %n times; the status is the last visit's", nullptr, side.visits);
        return {};
    case 1:
        if (role == Qt::DisplayRole)
            return side.status == Saga::StepStatus::Running && side.durationMs < 0 ? tr("running")
                                                                                   : formatDurationMs(side.durationMs);
        if (role == SortRole)
            return side.durationMs;
        return {};
    case 2:
        if (role == Qt::DisplayRole)
            return side.attempts > 0 ? QVariant(side.attempts) : QVariant(QString());
        if (role == SortRole)
            return side.attempts;
        return {};
    default:
        return {};
    }
}

QVariant ExecutionCompareModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case DifferRole:
        return differs(index.row());
    case StateNameRole:
        return r.state;
    case PresentRole:
        return (r.a.present ? 1 : 0) | (r.b.present ? 2 : 0);
    default:
        break;
    }
    const int column = index.column();
    if (column >= AStatusColumn && column <= AAttemptsColumn)
        return sideData(r.a, column - AStatusColumn, role);
    if (column >= BStatusColumn && column <= BAttemptsColumn)
        return sideData(r.b, column - BStatusColumn, role);
    switch (role) {
    case Qt::DisplayRole:
        return column == StateColumn ? r.state : Saga::stateRoleName(r.role);
    case SortRole:
        return column == StateColumn ? QVariant(index.row()) : QVariant(Saga::stateRoleName(r.role));
    case ToneRole:
        return int(
            column == RoleColumn && r.role == Saga::StateRole::Compensation ? SagaTone::Warning : SagaTone::Neutral);
    default:
        return {};
    }
}

QVariant ExecutionCompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn:
        return tr("State");
    case RoleColumn:
        return tr("Role");
    case AStatusColumn:
        return tr("A status");
    case ADurationColumn:
        return tr("A duration");
    case AAttemptsColumn:
        return tr("A attempts");
    case BStatusColumn:
        return tr("B status");
    case BDurationColumn:
        return tr("B duration");
    case BAttemptsColumn:
        return tr("B attempts");
    default:
        return {};
    }
}

} // namespace Bramble::Models
