#pragma once

#include "saga/sagaanalysis.h"

#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>

#include <functional>

namespace Bramble::Saga {
// QSet<SagaOutcome> needs it; Qt 6.4 has no qHash for enumerations.
inline size_t qHash(SagaOutcome outcome, size_t seed = 0) noexcept
{
    return ::qHash(int(outcome), seed);
}
} // namespace Bramble::Saga

namespace Bramble::Models {

// Filters and sorts an ExecutionListModel (it reads its roles: StatusRole,
// OutcomeRole, InputRole, and the Name column; it sorts by SortRole).
//
// A row passes when all three filters pass:
//  - statuses: its status (ListExecutions spelling) is in the set; an empty set lets all through;
//  - outcomes: its saga outcome is in the set; an empty set lets all
//    through, and rows whose outcome is not known yet pass only then;
//  - search text: its name contains the text (ignoring case), or
//    inputMatches(input, text) (`TransactionId=2`, a bare value; see
//    inputsearch.h). An empty (or blank) text lets all through.
//
// GUI thread.
class ExecutionFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit ExecutionFilterProxy(QObject *parent = nullptr);

    QSet<QString> statuses() const { return m_statuses; }
    void setStatuses(const QSet<QString> &statuses);
    QSet<Saga::SagaOutcome> outcomes() const { return m_outcomes; }
    void setOutcomes(const QSet<Saga::SagaOutcome> &outcomes);
    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QSet<QString> m_statuses;
    QSet<Saga::SagaOutcome> m_outcomes;
    QString m_search;
};

} // namespace Bramble::Models
