#pragma once

#include "ui/common/pane.h"

namespace Bramble::Session {
class ConnectionCatalog;
}

namespace Bramble::Ui {

class ConnectionSummary;

// Base of the panes that talk to AWS (Sagas, Logs): an empty state when no
// profile exists, else the profile and region in use. With a note (not a
// null string) the content is a summary of the connection and the note;
// without, the subclass sets its own content.
class AwsConnectionPane : public Pane {
    Q_OBJECT

public:
    AwsConnectionPane(const QString &id, const QString &title, const QString &iconName,
        Session::ConnectionCatalog *catalog, const QString &note, QWidget *parent = nullptr);

protected:
    virtual void updateView();
    // The empty state for AWS files that do not parse or hold no profile;
    // false (and the subtitle set to profile and region) when usable.
    bool showUnusableProfile();
    Session::ConnectionCatalog *catalog() const { return m_catalog; }
    ConnectionSummary *summary() const { return m_summary; }

private:
    Session::ConnectionCatalog *m_catalog;
    ConnectionSummary *m_summary = nullptr;
    QString m_note;
};

} // namespace Bramble::Ui
