#include "ui/nodes/nodespane.h"

namespace Bramble::Ui {

NodesPane::NodesPane(Session::ConnectionCatalog *catalog, QWidget *parent)
    : KubeConnectionPane(QStringLiteral("nodes"), tr("Nodes"), QStringLiteral("nodes"), catalog,
                         tr("Bramble has read this context from your kubeconfig. It does not contact the API server yet: live node readiness is not part of this build."),
                         parent)
{
}

} // namespace Bramble::Ui
