#include "saga/incrementalanalysis.h"

#include <utility>

namespace Bramble::Saga {

qsizetype eventPayloadBytes(const QJsonObject &event)
{
    qsizetype largest = 0;
    for (auto it = event.constBegin(); it != event.constEnd(); ++it) {
        if (!it.key().endsWith(QLatin1String("EventDetails")) || !it.value().isObject())
            continue;
        const QJsonObject details = it.value().toObject();
        for (const QLatin1String key : { QLatin1String("input"), QLatin1String("output") })
            largest = qMax(largest, details.value(key).toString().toUtf8().size());
    }
    return largest;
}

void HistoryStats::add(const QJsonObject &event)
{
    ++eventCount;
    largestPayloadBytes = qMax(largestPayloadBytes, eventPayloadBytes(event));
}

IncrementalAnalysis::IncrementalAnalysis(StateGraph graph, SagaRoles roles)
    : m_graph(std::move(graph))
    , m_roles(std::move(roles))
{
}

void IncrementalAnalysis::append(const QList<QJsonObject> &events)
{
    // Ids already read (a poll that repeats what an earlier one brought) are left out quietly.
    const qint64 last = m_timeline.lastEventId();
    QList<QJsonObject> fresh;
    fresh.reserve(events.size());
    for (const QJsonObject &e : events)
        if (last == 0 || e.value(QLatin1String("id")).toDouble() > double(last))
            fresh.append(e);
    if (fresh.isEmpty())
        return;
    for (const QJsonObject &e : std::as_const(fresh))
        m_stats.add(e);
    const History piece = parseHistory(fresh, m_read);
    m_read += fresh.size();
    m_problems += piece.problems;
    m_timeline.append(piece);
}

SagaAnalysis IncrementalAnalysis::analysis() const
{
    return analyzeSaga(m_graph, m_roles, m_timeline.timeline());
}

Core::Errors IncrementalAnalysis::takeProblems()
{
    return std::exchange(m_problems, {});
}

} // namespace Bramble::Saga
