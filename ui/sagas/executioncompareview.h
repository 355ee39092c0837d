#pragma once

#include "saga/executionentry.h"
#include "saga/sagaanalysis.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace Bramble::Models {
class ExecutionCompareModel;
}

namespace Bramble::Ui {

// Two executions of one state machine side by side: a header card for each
// (name, status, saga outcome sentence, start, duration), then their states
// aligned in a table (ExecutionCompareModel) with the rows where they differ
// highlighted; "Only differences" hides the others.
//
// The view owns its model; it shows what it is given and fetches nothing.
//
// GUI thread.
class ExecutionCompareView : public QWidget {
    Q_OBJECT

public:
    explicit ExecutionCompareView(QWidget *parent = nullptr);

    // `a`/`b` give the card facts (name, status, dates); the analyses give outcomes and steps.
    void setExecutions(const Saga::ExecutionEntry &a, const Saga::SagaAnalysis &analysisA,
        const Saga::ExecutionEntry &b, const Saga::SagaAnalysis &analysisB);
    void clear();

    bool onlyDifferences() const;
    void setOnlyDifferences(bool only);

    Models::ExecutionCompareModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QCheckBox *onlyDifferencesBox() const { return m_only; }
    int visibleRowCount() const; // rows the table shows (after the differences filter)
    // The card texts, plain (for tests and accessibility): "A", "B".
    QString cardText(int side) const;

private:
    void fillCard(int side, const Saga::ExecutionEntry &entry, const Saga::SagaAnalysis &analysis);
    void updateSummary();

    Models::ExecutionCompareModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLabel *m_cards[2];
    QLabel *m_summary;
    QCheckBox *m_only;
    QTableView *m_table;
};

} // namespace Bramble::Ui
