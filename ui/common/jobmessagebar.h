#pragma once

#include <QFrame>
#include <QPointer>

namespace Bramble::Core {
class Job;
}

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

    // Follows a job of the service layer: busy with `text` (and the job's
    // progress text, a determinate bar when it knows its total) while it
    // runs, Cancel cancels it, and when it ends the bar hides (success) or
    // shows its error (failure; a cancelled job just hides the bar).
    // `failurePrefix` goes before the error ("Cordon rpi-03 failed: ").
    void track(Core::Job *job, const QString &text, const QString &failurePrefix = {});

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
    QPointer<Core::Job> m_job;
    QString m_jobText;
};

} // namespace Bramble::Ui
