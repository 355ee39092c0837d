#include "ui/loadbalancers/loadbalancerspane.h"

namespace Bramble::Ui {

LoadBalancersPane::LoadBalancersPane(Session::ConnectionCatalog *catalog, QWidget *parent)
    : KubeConnectionPane(QStringLiteral("loadbalancers"), tr("Load balancers"), QStringLiteral("loadbalancers"), catalog,
                         tr("Bramble has read this context from your kubeconfig. It does not read MetalLB pools or LoadBalancer services from the cluster yet: that is not part of this build."),
                         parent)
{
}

} // namespace Bramble::Ui
