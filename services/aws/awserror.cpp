#include "aws/awserror.h"

#include "aws/retrypolicy.h"

#include <QSet>

namespace Bramble::Aws {

namespace {

using Kind = Core::Error::Kind;

// Codes of the services Bramble calls (STS, SSO, Step Functions, CloudWatch
// Logs, DynamoDB, Secrets Manager) and the common ones of every AWS API.
const QSet<QString> &authCodes()
{
    static const QSet<QString> codes {
        QStringLiteral("AccessDenied"),
        QStringLiteral("AccessDeniedException"),
        QStringLiteral("UnrecognizedClient"),
        QStringLiteral("UnrecognizedClientException"),
        QStringLiteral("InvalidClientTokenId"),
        QStringLiteral("ExpiredToken"),
        QStringLiteral("ExpiredTokenException"),
        QStringLiteral("RequestExpired"),
        QStringLiteral("InvalidSignatureException"),
        QStringLiteral("SignatureDoesNotMatch"),
        QStringLiteral("IncompleteSignature"),
        QStringLiteral("IncompleteSignatureException"),
        QStringLiteral("MissingAuthenticationToken"),
        QStringLiteral("MissingAuthenticationTokenException"),
        QStringLiteral("InvalidAccessKeyId"),
        QStringLiteral("AuthFailure"),
        QStringLiteral("NotAuthorized"),
        QStringLiteral("NotAuthorizedException"),
        QStringLiteral("UnauthorizedException"),
        QStringLiteral("UnauthorizedOperation"),
        QStringLiteral("OptInRequired"),
        QStringLiteral("InvalidGrantException"),
    };
    return codes;
}

const QSet<QString> &notFoundCodes()
{
    static const QSet<QString> codes {
        QStringLiteral("ResourceNotFound"),
        QStringLiteral("ResourceNotFoundException"),
        QStringLiteral("NotFound"),
        QStringLiteral("NotFoundException"),
        QStringLiteral("NoSuchEntity"),
        QStringLiteral("NoSuchKey"),
        QStringLiteral("NoSuchBucket"),
        QStringLiteral("StateMachineDoesNotExist"),
        QStringLiteral("ExecutionDoesNotExist"),
        QStringLiteral("ActivityDoesNotExist"),
        QStringLiteral("TaskDoesNotExist"),
        QStringLiteral("TableNotFoundException"),
    };
    return codes;
}

const QSet<QString> &inputCodes()
{
    static const QSet<QString> codes {
        QStringLiteral("ValidationException"),
        QStringLiteral("ValidationError"),
        QStringLiteral("InvalidParameter"),
        QStringLiteral("InvalidParameterException"),
        QStringLiteral("InvalidParameterValue"),
        QStringLiteral("InvalidParameterValueException"),
        QStringLiteral("InvalidParameterCombination"),
        QStringLiteral("InvalidRequestException"),
        QStringLiteral("InvalidInput"),
        QStringLiteral("InvalidArn"),
        QStringLiteral("InvalidDefinition"),
        QStringLiteral("InvalidName"),
        QStringLiteral("InvalidExecutionInput"),
        QStringLiteral("InvalidLoggingConfiguration"),
        QStringLiteral("InvalidTracingConfiguration"),
        QStringLiteral("InvalidQueryParameter"),
        QStringLiteral("InvalidAction"),
        QStringLiteral("MalformedQueryString"),
        QStringLiteral("MissingParameter"),
        QStringLiteral("MissingAction"),
        QStringLiteral("SerializationException"),
        QStringLiteral("InvalidSequenceTokenException"),
        QStringLiteral("MalformedPolicyDocument"),
        QStringLiteral("MalformedPolicyDocumentException"),
        QStringLiteral("PackedPolicyTooLarge"),
        QStringLiteral("RegionDisabledException"),
    };
    return codes;
}

} // namespace

Core::Error::Kind serviceErrorKind(const QString &code, int httpStatus)
{
    if (RetryPolicy::isThrottlingCode(code))
        return Kind::Throttled;
    if (authCodes().contains(code))
        return Kind::Auth;
    if (notFoundCodes().contains(code) || code.endsWith(QStringLiteral("DoesNotExist"))
        || code.endsWith(QStringLiteral("NotFoundException")))
        return Kind::NotFound;
    if (inputCodes().contains(code) || code.startsWith(QStringLiteral("Invalid")))
        return Kind::Input;
    if (httpStatus == 401 || httpStatus == 403)
        return Kind::Auth;
    if (httpStatus == 404)
        return Kind::NotFound;
    if (httpStatus == 429)
        return Kind::Throttled;
    return Kind::Server;
}

QString timeoutReason()
{
    return QStringLiteral("Timeout");
}

bool isTimeout(const Core::Error &error)
{
    return error.kind == Kind::Network && error.httpStatus == 0 && error.reason == timeoutReason();
}

} // namespace Bramble::Aws
