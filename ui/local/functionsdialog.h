#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace Bramble::Session {
class LocalRuntimeHost;
}

namespace Bramble::Ui {

// "Local functions": what runs each Lambda function of the local runtime,
// as the functions file says it (command argv, HTTP URL, OpenFaaS function,
// builtin handlers), edited as YAML and checked as the user types: the error
// names its line and key, Save stays disabled until the file is valid. Save
// applies it to the running runtime at once (the next task uses it) and keeps
// it in the runtime's data folder. Ctrl+S saves, Esc closes.
class FunctionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit FunctionsDialog(Session::LocalRuntimeHost *host, QWidget *parent = nullptr);

    bool isValid() const { return m_valid; }
    QString text() const;
    void setText(const QString &yaml);

private:
    void check();
    void save();

    Session::LocalRuntimeHost *m_host;
    QPlainTextEdit *m_editor;
    QLabel *m_status;
    QPushButton *m_save;
    QTimer *m_checkTimer;
    bool m_valid = false;
};

} // namespace Bramble::Ui
