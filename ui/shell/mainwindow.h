#pragma once

#include <QList>
#include <QMainWindow>

class QListWidget;
class QSettings;
class QStackedWidget;

namespace Bramble::Session {
class ConnectionCatalog;
class Workspace;
} // namespace Bramble::Session

namespace Bramble::Ui {

class ConnectionBar;
class Pane;

// The shell: a connection bar, a sidebar of panes and the current pane.
// Owns no protocol logic and constructs no service: the workspace (composed
// in app/) holds the connections, and each pane is handed the part it shows.
// Settings (window geometry, last pane, chosen context/profile/region, an
// opened kubeconfig) go to the QSettings it is given, never secrets.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(Session::Workspace *workspace, QSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Pane ids: nodes, loadbalancers, provision, sagas, logs.
    QStringList paneIds() const;
    bool showPane(const QString &id);
    QString currentPaneId() const;
    Pane *pane(const QString &id) const;
    ConnectionBar *connectionBar() const { return m_bar; }

    // F5: re-reads the connection files and the current pane.
    void refresh();
    // Ctrl+F: focuses the current pane's find field.
    void find();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPane(Pane *pane);
    void createActions();
    void restoreSettings();
    void saveSettings() const;
    void openKubeconfig();
    void showShortcuts();
    void showAbout();

    Session::Workspace *m_workspace;
    Session::ConnectionCatalog *m_catalog;
    QSettings *m_settings;
    ConnectionBar *m_bar;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    QList<Pane *> m_panes;
};

} // namespace Bramble::Ui
