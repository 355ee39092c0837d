#pragma once

#include "ui/common/pane.h"

namespace Bramble::Session { class ConnectionCatalog; }

namespace Bramble::Ui {

class ConnectionSummary;

// Base of the panes that talk to AWS (Sagas, Logs): an empty state when no
// profile exists, else the profile and region in use.
class AwsConnectionPane : public Pane
{
    Q_OBJECT

public:
    AwsConnectionPane(const QString &id, const QString &title, const QString &iconName,
                      Session::ConnectionCatalog *catalog, const QString &note, QWidget *parent = nullptr);

protected:
    virtual void updateView();
    Session::ConnectionCatalog *catalog() const { return m_catalog; }
    ConnectionSummary *summary() const { return m_summary; }

private:
    Session::ConnectionCatalog *m_catalog;
    ConnectionSummary *m_summary;
    QString m_note;
};

} // namespace Bramble::Ui
