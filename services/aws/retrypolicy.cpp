#include "aws/retrypolicy.h"

#include "aws/awserror.h"

#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace Bramble::Aws {

namespace {

// botocore/retries/standard.py and the SDK retry specification.
const QStringList &throttlingCodes()
{
    static const QStringList codes {
        QStringLiteral("Throttling"),
        QStringLiteral("ThrottlingException"),
        QStringLiteral("ThrottledException"),
        QStringLiteral("RequestThrottledException"),
        QStringLiteral("TooManyRequestsException"),
        QStringLiteral("ProvisionedThroughputExceededException"),
        QStringLiteral("TransactionInProgressException"),
        QStringLiteral("RequestLimitExceeded"),
        QStringLiteral("BandwidthLimitExceeded"),
        QStringLiteral("LimitExceededException"),
        QStringLiteral("RequestThrottled"),
        QStringLiteral("SlowDown"),
        QStringLiteral("PriorRequestNotComplete"),
        QStringLiteral("EC2ThrottledException"),
    };
    return codes;
}

const QStringList &transientCodes()
{
    static const QStringList codes { QStringLiteral("RequestTimeout"), QStringLiteral("RequestTimeoutException"),
        QStringLiteral("PriorRequestNotComplete") };
    return codes;
}

} // namespace

RetryPolicy::RetryPolicy()
    : m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
}

bool RetryPolicy::isThrottlingCode(const QString &code)
{
    return !code.isEmpty() && throttlingCodes().contains(code);
}

bool RetryPolicy::isThrottling(const Core::Error &error)
{
    return !error.isNull() && isThrottlingCode(error.reason);
}

bool RetryPolicy::isRetryable(const Core::Error &error)
{
    if (error.isNull() || error.kind == Core::Error::Kind::Cancelled)
        return false;
    if (error.kind == Core::Error::Kind::Network)
        return true;
    // Only an error answer (it has the service's code) may be retried:
    // our own errors (credentials, endpoint, an unreadable answer) have none.
    if (error.reason.isEmpty())
        return false;
    return isThrottling(error) || transientCodes().contains(error.reason) || error.httpStatus == 500
        || error.httpStatus == 502 || error.httpStatus == 503 || error.httpStatus == 504;
}

int RetryPolicy::delayMs(int attemptsMade) const
{
    const double cap = std::min(maxBackoffSeconds, std::pow(2.0, std::max(0, attemptsMade - 1)));
    return int(std::lround(m_random() * cap * 1000.0 * m_delayScale));
}

bool RetryPolicy::acquire(const Core::Error &error, int *taken)
{
    const int cost = isTimeout(error) ? timeoutRetryCost : retryCost;
    if (cost > m_quota)
        return false;
    m_quota -= cost;
    *taken = cost; // botocore gives back the last acquisition, not the sum
    return true;
}

void RetryPolicy::release(int taken)
{
    m_quota = std::min(initialQuota, m_quota + (taken > 0 ? taken : noRetryIncrement));
}

} // namespace Bramble::Aws
