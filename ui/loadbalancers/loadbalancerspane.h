#pragma once

#include "ui/common/kubeconnectionpane.h"

namespace Bramble::Ui {

class LoadBalancersPane : public KubeConnectionPane
{
    Q_OBJECT

public:
    explicit LoadBalancersPane(Session::ConnectionCatalog *catalog, QWidget *parent = nullptr);
};

} // namespace Bramble::Ui
