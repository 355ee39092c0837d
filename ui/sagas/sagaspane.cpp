#include "ui/sagas/sagaspane.h"

namespace Bramble::Ui {

SagasPane::SagasPane(Session::ConnectionCatalog *catalog, QWidget *parent)
    : AwsConnectionPane(QStringLiteral("sagas"), tr("Sagas"), QStringLiteral("sagas"), catalog,
                         tr("Bramble has found this profile the way the AWS CLI would. It does not call Step Functions yet: state machines and executions are not part of this build."),
                         parent)
{
}

} // namespace Bramble::Ui
