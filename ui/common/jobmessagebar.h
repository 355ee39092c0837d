#pragma once

#include <QFrame>

class QLabel;
class QProgressBar;
class QPushButton;

namespace Bramble::Ui {

// A line above a pane's table about a job the user started: "Cordoning
// rpi-03…" with a busy bar and Cancel, or why it failed with Dismiss.
class JobMessageBar : public QFrame {
    Q_OBJECT

public:
    explicit JobMessageBar(QWidget *parent = nullptr);

    void showBusy(const QString &text);
    void showError(const QString &text);
    void clear(); // hides the bar
    bool isBusy() const;
    QString text() const;

Q_SIGNALS:
    void cancelRequested(); // Cancel pressed while busy (Dismiss just hides the bar)

private:
    void show(const QString &text, bool busy);

    QLabel *m_icon;
    QLabel *m_text;
    QProgressBar *m_progress;
    QPushButton *m_button;
};

} // namespace Bramble::Ui
