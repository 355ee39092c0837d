#include "aws/credentials.h"

namespace Bramble::Aws {

QString AwsCredentials::describe() const
{
    // Key ids are identifiers, not secrets, but show no more than the
    // console does: the "AKIA"/"ASIA" kind and the last four characters.
    QString key;
    if (accessKeyId.isEmpty())
        key = QStringLiteral("no access key");
    else if (accessKeyId.size() >= 12)
        key = accessKeyId.left(4) + u'\u2026' + accessKeyId.right(4);
    else
        key = accessKeyId.left(2) + u'\u2026';

    QString text = key;
    if (!sessionToken.isEmpty())
        text += QStringLiteral(" (temporary)");
    if (!source.isEmpty())
        text += QStringLiteral(" from ") + source;
    if (expiration.isValid())
        text += QStringLiteral(", expires ") + expiration.toUTC().toString(Qt::ISODate);
    if (!accessKeyId.isEmpty() && secretAccessKey.isEmpty())
        text += QStringLiteral(", no secret key");
    return text;
}

} // namespace Bramble::Aws
