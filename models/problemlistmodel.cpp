#include "models/problemlistmodel.h"

#include "models/lbformat.h"

#include <algorithm>

namespace Bramble::Models {

using MetalLB::Problem;

namespace {

QString keyOf(const Problem &p)
{
    return QString::number(int(p.severity)) + u'|' + p.code + u'|' + p.subject + u'|' + p.message;
}

} // namespace

ProblemListModel::ProblemListModel(QObject *parent)
    : KeyedTableModel(parent)
{
}

void ProblemListModel::setSeverityIcons(const QIcon &error, const QIcon &warning)
{
    m_errorIcon = error;
    m_warningIcon = warning;
    if (!m_problems.isEmpty())
        Q_EMIT dataChanged(index(0, MessageColumn), index(rowCount() - 1, MessageColumn), { Qt::DecorationRole });
}

void ProblemListModel::setReport(const MetalLB::AllocationReport &report)
{
    // The key is the whole problem: equal keys are equal rows.
    syncRows<Problem>(
        m_problems, m_order, report.problems, keyOf, [](const Problem &, const Problem &) { return true; });
}

void ProblemListModel::clear()
{
    setReport({});
}

int ProblemListModel::errorCount() const
{
    return int(std::count_if(
        m_problems.cbegin(), m_problems.cend(), [](const Problem &p) { return p.severity == Problem::Error; }));
}

int ProblemListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

int ProblemListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Problem &p = m_problems.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == MessageColumn ? p.message : p.subject;
    case Qt::ToolTipRole:
        return QStringLiteral("%1 (%2): %3\n%4").arg(Lb::severityName(p.severity), p.code, p.message, p.subject);
    case Qt::DecorationRole:
        if (index.column() != MessageColumn)
            return {};
        return p.severity == Problem::Error ? m_errorIcon : m_warningIcon;
    case Qt::AccessibleDescriptionRole:
        return Lb::severityName(p.severity);
    case SeverityRole:
        return int(p.severity);
    case SeverityIconRole:
        return p.severity == Problem::Error ? QStringLiteral("error") : QStringLiteral("warning");
    case CodeRole:
        return p.code;
    case SubjectRole:
        return p.subject;
    case OrderRole:
        return m_order.at(index.row());
    default:
        return {};
    }
}

QVariant ProblemListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == MessageColumn ? tr("Problem") : section == SubjectColumn ? tr("About") : QVariant();
}

} // namespace Bramble::Models
