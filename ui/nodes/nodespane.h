#pragma once

#include "ui/common/kubeconnectionpane.h"

namespace Bramble::Ui {

class NodesPane : public KubeConnectionPane
{
    Q_OBJECT

public:
    explicit NodesPane(Session::ConnectionCatalog *catalog, QWidget *parent = nullptr);
};

} // namespace Bramble::Ui
