#include "ui/logs/logspane.h"

namespace Bramble::Ui {

LogsPane::LogsPane(Session::ConnectionCatalog *catalog, QWidget *parent)
    : AwsConnectionPane(QStringLiteral("logs"), tr("Logs"), QStringLiteral("logs"), catalog,
        tr("Bramble has found this profile the way the AWS CLI would. It does not search CloudWatch Logs, pod logs or "
           "journald yet: that is not part of this build."),
        parent)
{
}

} // namespace Bramble::Ui
