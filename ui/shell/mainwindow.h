#pragma once

#include <QList>
#include <QMainWindow>

class QListWidget;
class QSettings;
class QStackedWidget;

namespace Bramble::Session {
class ClusterSession;
class ConnectionCatalog;
} // namespace Bramble::Session

namespace Bramble::Ui {

class ConnectionBar;
class Pane;

// The shell: a connection bar, a sidebar of panes and the current pane.
// Owns no protocol logic; services come in through the constructor.
// Settings (window geometry, last pane, chosen context/profile/region, an
// opened kubeconfig) go to the QSettings it is given, never secrets.
// `cluster` is the live connection to the current context's cluster; without
// one the window makes its own on `catalog`.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(Session::ConnectionCatalog *catalog, QSettings *settings, Session::ClusterSession *cluster = nullptr,
        QWidget *parent = nullptr);
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

    Session::ConnectionCatalog *m_catalog;
    QSettings *m_settings;
    ConnectionBar *m_bar;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    QList<Pane *> m_panes;
};

} // namespace Bramble::Ui
