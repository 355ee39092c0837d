#include "aws/credentialsprovider.h"

#include <QObject>

namespace Bramble::Aws {

void StaticCredentialsProvider::fetch(QObject *context, CredentialsCallback done)
{
    CredentialsResult result { m_credentials, {} };
    if (!m_credentials.isValid())
        result.error = Core::Error(QStringLiteral("no AWS credentials"));
    if (context)
        done(result);
}

} // namespace Bramble::Aws
