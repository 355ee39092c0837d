#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QStackedWidget;

namespace Bramble::Ui {

class EmptyState;

// A page of the main window: a header (title, subtitle, find field) above
// either the pane's content or its empty state. Subclasses fill both.
class Pane : public QWidget {
    Q_OBJECT

public:
    Pane(const QString &id, const QString &title, const QString &iconName, QWidget *parent = nullptr);

    QString id() const { return m_id; }
    QString title() const { return m_title; }
    QString iconName() const { return m_iconName; }

    // Ctrl+F: focuses the find field. Returns false when the pane has
    // nothing to search right now (the caller says so in the status bar).
    bool activateFind();
    bool isShowingEmptyState() const;

    // F5: re-read what the pane shows. The default does nothing more than
    // what the window already did (reloading the connection files).
    virtual void refresh() { }
    // True while the pane is still fetching what it first shows (a
    // screenshot waits for it to settle). Errors and retries count as settled.
    virtual bool isLoading() const { return false; }

Q_SIGNALS:
    void findTextChanged(const QString &text);
    void statusMessage(const QString &text);
    void navigateRequested(const QString &paneId);

protected:
    EmptyState *emptyState() const { return m_empty; }
    void setContent(QWidget *content);
    void showEmptyState(bool empty);
    void setSubtitle(const QString &text);
    void setFindAvailable(bool available);

private:
    QString m_id;
    QString m_title;
    QString m_iconName;
    QLabel *m_subtitle;
    QLineEdit *m_find;
    QStackedWidget *m_stack;
    EmptyState *m_empty;
    QWidget *m_content = nullptr;
    bool m_findAvailable = false;
};

} // namespace Bramble::Ui
