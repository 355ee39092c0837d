#include "saga/sagaerrors.h"

namespace Bramble::Saga {

namespace {

Core::Error::Kind kindOfService(const Aws::AwsError &e)
{
    const QString &code = e.code;
    if (code.contains(QLatin1String("Throttl")) || code == u"TooManyRequestsException"
        || code == u"RequestLimitExceeded" || e.httpStatus == 429)
        return Core::Error::Kind::Throttled;
    if (code.endsWith(QLatin1String("DoesNotExist")) || code.contains(QLatin1String("NotFound")))
        return Core::Error::Kind::NotFound;
    if (code.contains(QLatin1String("AccessDenied")) || code.contains(QLatin1String("Unrecognized"))
        || code.contains(QLatin1String("ExpiredToken")) || code.contains(QLatin1String("Signature")))
        return Core::Error::Kind::Auth;
    if (code == u"InvalidArn" || code == u"ValidationException" || code == u"InvalidToken")
        return Core::Error::Kind::Input;
    return e.httpStatus > 0 ? Core::Error::kindOfHttpStatus(e.httpStatus) : Core::Error::Kind::Server;
}

} // namespace

Core::Error toCoreError(const Aws::AwsError &e)
{
    if (e.isNull())
        return {};
    Core::Error c;
    switch (e.kind) {
    case Aws::AwsError::None:
    case Aws::AwsError::Service:
        c.kind = kindOfService(e);
        break;
    case Aws::AwsError::Network:
    case Aws::AwsError::Timeout:
        c.kind = Core::Error::Kind::Network;
        break;
    case Aws::AwsError::Cancelled:
        c.kind = Core::Error::Kind::Cancelled;
        break;
    case Aws::AwsError::Credentials:
        c.kind = Core::Error::Kind::Auth;
        break;
    case Aws::AwsError::Protocol:
        c.kind = Core::Error::Kind::Server;
        break;
    case Aws::AwsError::Config:
        c.kind = Core::Error::Kind::Usage;
        break;
    }
    c.message = e.message.isEmpty() ? QStringLiteral("failed") : e.message;
    c.reason = e.code;
    c.operation = e.operation;
    c.httpStatus = e.httpStatus;
    c.attempts = e.attempts;
    return c;
}

Aws::AwsError toAwsError(const Core::Error &c)
{
    Aws::AwsError e;
    if (c.isNull())
        return e;
    switch (c.kind) {
    case Core::Error::Kind::Cancelled:
        e.kind = Aws::AwsError::Cancelled;
        break;
    case Core::Error::Kind::Network:
        e.kind = Aws::AwsError::Network;
        break;
    case Core::Error::Kind::Usage:
        e.kind = Aws::AwsError::Config;
        break;
    case Core::Error::Kind::Auth:
        e.kind = c.httpStatus > 0 ? Aws::AwsError::Service : Aws::AwsError::Credentials;
        break;
    case Core::Error::Kind::Input:
        e.kind = c.httpStatus > 0 || !c.reason.isEmpty() ? Aws::AwsError::Service : Aws::AwsError::Protocol;
        break;
    default:
        e.kind = c.httpStatus > 0 || !c.reason.isEmpty() ? Aws::AwsError::Service : Aws::AwsError::Protocol;
        break;
    }
    e.code = c.reason;
    e.message = c.message;
    e.httpStatus = c.httpStatus;
    e.operation = c.operation;
    e.attempts = c.attempts;
    return e;
}

} // namespace Bramble::Saga
