#pragma once

#include "ui/common/pane.h"

namespace Bramble::Session {
class ConnectionCatalog;
}

namespace Bramble::Ui {

// Provisioning a fresh Pi over SSH. Until the wizard exists this pane says
// what the wizard will rely on and whether this machine has it.
class ProvisionPane : public Pane {
    Q_OBJECT

public:
    explicit ProvisionPane(Session::ConnectionCatalog *catalog, QWidget *parent = nullptr);

    void refresh() override;

private:
    Session::ConnectionCatalog *m_catalog;
};

} // namespace Bramble::Ui
