#pragma once

#include <QWidget>

class QComboBox;
class QToolButton;

namespace Bramble::Session {
class ConnectionCatalog;
}
namespace Bramble::Models {
class AwsProfileListModel;
class KubeContextListModel;
} // namespace Bramble::Models

namespace Bramble::Ui {

// The strip at the top of the window: which Kubernetes context and which AWS
// profile and region every pane uses, and a warning when a file is broken.
// Choosing here changes the catalog; changes in the catalog show here.
class ConnectionBar : public QWidget {
    Q_OBJECT

public:
    ConnectionBar(Session::ConnectionCatalog *catalog, Models::KubeContextListModel *contexts,
        Models::AwsProfileListModel *profiles, QWidget *parent = nullptr);

    QComboBox *contextBox() const { return m_context; }
    QComboBox *profileBox() const { return m_profile; }
    QComboBox *regionBox() const { return m_region; }
    // Text of the problems indicator; empty when all files read cleanly.
    QString problemsText() const;

Q_SIGNALS:
    void refreshRequested();

private:
    void reloadModels();
    void syncFromCatalog();
    void updateProblems();

    Session::ConnectionCatalog *m_catalog;
    Models::KubeContextListModel *m_contexts;
    Models::AwsProfileListModel *m_profiles;
    QComboBox *m_context;
    QComboBox *m_profile;
    QComboBox *m_region;
    QToolButton *m_problems;
    bool m_syncing = false;
};

} // namespace Bramble::Ui
