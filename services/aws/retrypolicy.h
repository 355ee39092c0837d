#pragma once

#include "core/error.h"

#include <QString>

#include <QtGlobal>

#include <functional>

namespace Bramble::Aws {

// The SDKs' "standard" retry mode. Shared by every call of one client stack;
// GUI thread only (not locked).
class RetryPolicy {
public:
    static constexpr int defaultMaxAttempts = 3;
    static constexpr double maxBackoffSeconds = 20.0;
    static constexpr int initialQuota = 500;
    static constexpr int retryCost = 5;
    static constexpr int timeoutRetryCost = 10;
    static constexpr int noRetryIncrement = 1;

    RetryPolicy();

    int maxAttempts() const { return m_maxAttempts; }
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }

    // [0, 1): full jitter. Tests pass a fixed function.
    void setRandom(std::function<double()> random) { m_random = std::move(random); }
    // Multiplies every delay; tests use a small scale so retries do not sleep.
    void setDelayScale(double scale) { m_delayScale = scale; }

    // Throttling codes, transient codes, HTTP 500/502/503/504 (an error
    // answer: one with a reason), network errors and timeouts (kind Network).
    static bool isRetryable(const Core::Error &error);
    // The error's reason is one of the SDKs' throttling codes.
    static bool isThrottling(const Core::Error &error);
    static bool isThrottlingCode(const QString &code);

    // Milliseconds to wait before attempt `attemptsMade + 1`:
    // random * min(20 s, 2^(attemptsMade - 1) s).
    int delayMs(int attemptsMade) const;

    // The retry quota: a retry takes 5 (10 after a timeout) and is refused
    // when the quota has run dry; a success gives back what its last retry took,
    // or 1 when it needed none (botocore's release_retry_quota).
    bool acquire(const Core::Error &error, int *taken);
    void release(int taken);
    int quota() const { return m_quota; }

private:
    int m_maxAttempts = defaultMaxAttempts;
    int m_quota = initialQuota;
    double m_delayScale = 1.0;
    std::function<double()> m_random;
};

} // namespace Bramble::Aws
