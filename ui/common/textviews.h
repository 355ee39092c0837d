#pragma once

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QWidget;

namespace Bramble::Ui {

// The small pieces the pane dialogs and views build the same way.

// Monospace, no wrapping: YAML, JSON, addresses. Editable ones pass Tab on to
// the next field instead of inserting it.
QPlainTextEdit *monospaceText(QWidget *parent, bool readOnly);

// A wrapped, selectable rich-text line under an editor: a verdict, a parse
// error, a service's refusal.
QLabel *noteLabel(QWidget *parent);

// A thin indeterminate bar shown while a request runs; hidden at first.
QProgressBar *busyBar(QWidget *parent);

} // namespace Bramble::Ui
