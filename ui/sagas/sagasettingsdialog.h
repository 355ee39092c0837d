#pragma once

#include "saga/aslgraph.h"
#include "saga/sagaanalysis.h"
#include "saga/sagasettings.h"
#include "saga/transactionrecord.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace Bramble::Ui {

// The user's word on one state machine, where Bramble's guesses may be wrong:
// the saga role of each top-level state and which compensation undoes which
// forward step (the derived value is the default; "derived" keeps following
// the definition), and where the transaction record is (table, key
// attribute, JSONPath of the key in the input; empty: the definition's).
// Validates the JSONPath as you type. No I/O: settings() is what the pane
// saves.
class SagaSettingsDialog : public QDialog {
    Q_OBJECT

public:
    SagaSettingsDialog(const QString &machineName, const Saga::StateGraph &graph,
        const Saga::RecordSource &fromDefinition, const Saga::MachineSettings &settings, QWidget *parent = nullptr);

    Saga::MachineSettings settings() const;

    // For tests: the role and "undone by" choices of a state's row.
    void setRoleChoice(const QString &state, const QString &choice); // "derived", "forward", "compensation", "other"
    void setUndoneBy(const QString &step, const QString &choice); // "(derived)", "(nothing)" or a state
    QString keyPathProblem() const;

private:
    void validate();
    int rowOf(const QString &state) const;

    Saga::StateGraph m_graph;
    Saga::SagaRoles m_derived;
    Saga::MachineSettings m_initial;
    QTableWidget *m_roles;
    QLineEdit *m_table;
    QLineEdit *m_keyAttribute;
    QLineEdit *m_keyPath;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Bramble::Ui
