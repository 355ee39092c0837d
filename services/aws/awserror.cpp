#include "aws/awserror.h"

#include <QStringList>

namespace Bramble::Aws {

QString AwsError::toString() const
{
    QString text;
    if (!operation.isEmpty())
        text += operation + QStringLiteral(": ");
    if (!code.isEmpty())
        text += code + QStringLiteral(": ");
    text += message.isEmpty() ? QStringLiteral("failed") : message;
    QStringList details;
    if (httpStatus > 0)
        details << QStringLiteral("HTTP %1").arg(httpStatus);
    if (attempts > 1)
        details << QStringLiteral("%1 attempts").arg(attempts);
    if (!requestId.isEmpty())
        details << QStringLiteral("request id %1").arg(requestId);
    if (!details.isEmpty())
        text += QStringLiteral(" (") + details.join(QStringLiteral(", ")) + u')';
    return text;
}

} // namespace Bramble::Aws
