#include "asl/retrycatch.h"

#include <QRandomGenerator>

#include <cmath>

namespace Bramble::LocalRuntime::Asl {

bool errorMatches(const QJsonArray &errorEquals, const QString &error)
{
    if (error == u"States.Runtime" || error == u"States.DataLimitExceeded")
        return false;
    for (const QJsonValue &e : errorEquals) {
        const QString name = e.toString();
        if (name == error || name == u"States.ALL")
            return true;
        if (name == u"States.TaskFailed" && error != u"States.Timeout")
            return true;
    }
    return false;
}

RetryPolicy::RetryPolicy(const QJsonArray &retriers)
    : m_retriers(retriers)
    , m_used(retriers.size(), 0)
{
}

double backoffDelay(const QJsonObject &r, int n)
{
    const double interval = r.value(u"IntervalSeconds").toDouble(1.0);
    const double rate = r.value(u"BackoffRate").toDouble(2.0);
    double delay = interval * std::pow(rate, n - 1);
    if (r.contains(u"MaxDelaySeconds"))
        delay = std::min(delay, r.value(u"MaxDelaySeconds").toDouble());
    return delay;
}

double RetryPolicy::nextDelay(const QString &error)
{
    for (qsizetype i = 0; i < m_retriers.size(); ++i) {
        const QJsonObject r = m_retriers.at(i).toObject();
        if (!errorMatches(r.value(u"ErrorEquals").toArray(), error))
            continue;
        const int max = r.value(u"MaxAttempts").toInt(3);
        int &sameError = m_perError[qMakePair(i, error)];
        if (sameError >= max)
            return -1;
        ++sameError;
        ++m_used[i];
        ++m_retries;
        double delay = backoffDelay(r, m_used[i]);
        if (r.value(u"JitterStrategy").toString() == u"FULL")
            delay = QRandomGenerator::global()->bounded(1.0) * delay;
        return delay;
    }
    return -1;
}

QJsonObject findCatcher(const QJsonArray &catchers, const QString &error)
{
    for (const QJsonValue &c : catchers)
        if (errorMatches(c.toObject().value(u"ErrorEquals").toArray(), error))
            return c.toObject();
    return {};
}

} // namespace Bramble::LocalRuntime::Asl
