#pragma once

#include <QWidget>

class QLabel;
class QHBoxLayout;
class QPushButton;

namespace Bramble::Ui {

// What a pane shows when it has nothing to show: an icon, a title, a short
// explanation of what to connect and how, and up to a few actions.
class EmptyState : public QWidget {
    Q_OBJECT

public:
    explicit EmptyState(QWidget *parent = nullptr);

    void setIcon(const QString &iconName);
    void setTitle(const QString &title);
    // Rich text; links are opened by the desktop.
    void setBody(const QString &html);
    // Adds a button; returns it so the caller can connect clicked().
    QPushButton *addAction(const QString &text, const QString &iconName = {});
    void clearActions();

    QString title() const;
    QString body() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateIcon();

    QString m_iconName;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_body;
    QHBoxLayout *m_actions;
};

} // namespace Bramble::Ui
