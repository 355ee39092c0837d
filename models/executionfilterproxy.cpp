#include "models/executionfilterproxy.h"

#include "models/executionlistmodel.h"
#include "models/inputsearch.h"

namespace Bramble::Models {

ExecutionFilterProxy::ExecutionFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ExecutionListModel::SortRole);
    setDynamicSortFilter(true);
}

void ExecutionFilterProxy::setStatuses(const QSet<QString> &statuses)
{
    if (statuses == m_statuses)
        return;
    m_statuses = statuses;
    invalidateFilter();
}

void ExecutionFilterProxy::setOutcomes(const QSet<Saga::SagaOutcome> &outcomes)
{
    if (outcomes == m_outcomes)
        return;
    m_outcomes = outcomes;
    invalidateFilter();
}

void ExecutionFilterProxy::setSearchText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_search)
        return;
    m_search = t;
    invalidateFilter();
}

bool ExecutionFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!model)
        return false;
    const QModelIndex name = model->index(sourceRow, ExecutionListModel::NameColumn, sourceParent);
    if (!m_statuses.isEmpty() && !m_statuses.contains(name.data(ExecutionListModel::StatusRole).toString()))
        return false;
    if (!m_outcomes.isEmpty()) {
        const QVariant v = name.data(ExecutionListModel::OutcomeRole);
        const int outcome = v.isValid() ? v.toInt() : -1;
        if (outcome < 0 || !m_outcomes.contains(Saga::SagaOutcome(outcome)))
            return false;
    }
    if (m_search.isEmpty())
        return true;
    if (name.data(Qt::DisplayRole).toString().contains(m_search, Qt::CaseInsensitive))
        return true;
    return inputMatches(name.data(ExecutionListModel::InputRole).toString(), m_search);
}

} // namespace Bramble::Models
