#pragma once

#include "saga/executionentry.h"

#include <QDialog>
#include <QJsonObject>
#include <QString>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace Bramble::Ui {

// "Start execution" of one state machine: an optional execution name and
// the input document, both checked as the user types.
//
//  - Name: optional (Step Functions then makes one up); at most 80
//    characters, no whitespace, no control characters and none of
//    < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /  (the StartExecution rules).
//  - Input: a JSON object of at most 256 KiB (UTF-8, compact); a parse
//    error is shown as "line:column" under the editor and its position
//    highlighted. An empty editor means `{}`.
//  - "Simulate failure" mirrors Payload.TransactionDetails.simulateFail:
//    ticking it rewrites the input with the field set (missing objects are
//    created; the rewrite is one undo step), editing the input updates the
//    box. It is disabled while the input is invalid or a step of that path
//    is not an object.
//  - "New transaction id" sets Payload.TransactionDetails.TransactionId to
//    a fresh UUID; "Format" re-indents the input.
// Start stays disabled while anything is invalid.
//
// The dialog does no I/O. Start emits startRequested(name(), input()); the
// owner runs StartExecution, calls setBusy(true) meanwhile, then accept()
// on success or setBusy(false) + showError() on failure. When nothing is
// connected to startRequested, Start accepts the dialog (for exec()).
// While busy, Cancel (and Esc) emit cancelRequested() and leave the dialog
// open; otherwise they close it.
//
// GUI thread.
class StartExecutionDialog : public QDialog {
    Q_OBJECT

public:
    static constexpr int MaxNameLength = Saga::MaxExecutionNameLength;
    static constexpr qsizetype MaxInputBytes = 256 * 1024;

    // What checkInput() found.
    struct InputCheck {
        bool ok = false;
        QString message; // empty when ok
        int position = -1; // character position of a parse error in the text, -1 otherwise
        int line = 0; // 1-based, with position
        int column = 0; // 1-based, with position
        QJsonObject object; // the document, when ok
        qsizetype compactBytes = 0; // size of input() in UTF-8, when it parsed
    };

    explicit StartExecutionDialog(const QString &stateMachineName, QWidget *parent = nullptr);

    QString stateMachineName() const { return m_machine; }

    QString name() const; // trimmed; empty: let Step Functions name it
    void setName(const QString &name);
    // The input as compact JSON ("{}" for an empty editor); only meaningful when isValid().
    QString input() const;
    QString inputText() const; // the editor's text as typed
    void setInput(const QString &text);

    bool isValid() const;
    QString nameProblemText() const { return m_nameProblem; } // empty when the name is valid
    QString inputProblemText() const { return m_inputCheck.message; } // empty when the input is valid
    QString errorText() const; // what showError() shows, empty when hidden

    bool isBusy() const { return m_busy; }
    void setBusy(bool busy);
    // Shows a failure of the StartExecution call (cleared when the user edits).
    void showError(const QString &message);

    QLineEdit *nameEdit() const { return m_name; }
    QPlainTextEdit *inputEdit() const { return m_edit; }
    QCheckBox *simulateFailBox() const { return m_simulate; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *newTransactionButton() const { return m_newId; }
    QPushButton *formatButton() const { return m_format; }

    // Pure checks, also for callers without a dialog.
    static QString nameProblem(const QString &name); // empty when valid
    static InputCheck checkInput(const QString &text);
    static QString newTransactionId();
    // {"Payload": {"TransactionDetails": {"TransactionId": "<fresh>", "simulateFail": false}}}, indented.
    static QString templateInput();

public Q_SLOTS:
    void setSimulateFailure(bool fail);
    void newTransaction();
    void formatInput();
    void reject() override;

Q_SIGNALS:
    void startRequested(const QString &name, const QString &input);
    void cancelRequested();

private:
    void validate();
    void start();
    void rewriteInput(const QJsonObject &object);
    void updateControls();

    QString m_machine;
    QLineEdit *m_name;
    QLabel *m_nameStatus;
    QPlainTextEdit *m_edit;
    QLabel *m_inputStatus;
    QCheckBox *m_simulate;
    QPushButton *m_newId;
    QPushButton *m_format;
    QLabel *m_error;
    QProgressBar *m_progress;
    QPushButton *m_start;
    QPushButton *m_cancel;

    QString m_nameProblem;
    InputCheck m_inputCheck;
    bool m_simulateAvailable = false; // the simulateFail path can be set
    bool m_busy = false;
};

} // namespace Bramble::Ui
