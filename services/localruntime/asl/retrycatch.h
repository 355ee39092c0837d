#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace Bramble::LocalRuntime::Asl {

// Whether an ErrorEquals list matches `error` (reference/step-functions.md
// §3.3-3.4): the name itself, States.ALL for everything, States.TaskFailed
// for everything but States.Timeout. States.Runtime and
// States.DataLimitExceeded are terminal: nothing matches them.
bool errorMatches(const QJsonArray &errorEquals, const QString &error);

// The retry state of one visit of a Task/Parallel/Map: each retrier keeps
// its own counter, reset when the state is left. As AWS's worked example
// has it (local-runtime.md §3.1: errors A, B, C, B, B with
// [{[A,B], 1 s, x2, MaxAttempts 2}, {[C], 5 s}] wait 1, 2, 5, 4 s, then the
// fifth error is caught): the backoff grows with every retry the retrier
// made, and MaxAttempts bounds the retries per error name.
class RetryPolicy {
public:
    explicit RetryPolicy(const QJsonArray &retriers);

    // The delay in seconds before the next attempt after `error`, or a
    // negative value when no retrier matches or the matching one is spent
    // (then Catch applies). Counts the attempt.
    double nextDelay(const QString &error);
    int retries() const { return m_retries; }

private:
    QJsonArray m_retriers;
    QList<int> m_used;
    QHash<QPair<qsizetype, QString>, int> m_perError;
    int m_retries = 0;
};

// The delay of retry n (1-based) of a retrier, without jitter:
// min(IntervalSeconds * BackoffRate^(n-1), MaxDelaySeconds).
double backoffDelay(const QJsonObject &retrier, int n);

// The first catcher of `catchers` that matches, or an empty object.
QJsonObject findCatcher(const QJsonArray &catchers, const QString &error);

} // namespace Bramble::LocalRuntime::Asl
