#include "asl/engine.h"
#include "asl/jsonpathio.h"
#include "asl/statesfault.h"

#include <cmath>

namespace Bramble::LocalRuntime::Asl {

void Container::clear()
{
    for (ScopeRun *c : children)
        if (c)
            c->deleteLater();
    children.assign(size_t(items.size()), nullptr);
    running.assign(size_t(items.size()), false);
    results = QJsonArray();
    for (qsizetype i = 0; i < items.size(); ++i)
        results.append(QJsonValue());
    next = active = done = failed = 0;
    over = pumping = again = false;
}

ScopeRun::~ScopeRun()
{
    m_cancelled = true;
    if (m_job) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
}

namespace {

double optionalNumber(const QJsonObject &state, const QString &field, const PathEnv &env, double max)
{
    QJsonValue v = state.value(field);
    if (v.isUndefined() && state.contains(field + QStringLiteral("Path")))
        v = requirePath(state.value(field + QStringLiteral("Path")).toString(), env, field + QStringLiteral("Path"));
    if (v.isUndefined())
        return -1;
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > max)
        throw runtimeFault(
            QStringLiteral("The %1 value must be a number from 0 to %2, got %3").arg(field).arg(max).arg(jsonText(v)));
    return v.toDouble();
}

} // namespace

void ScopeRun::runParallel()
{
    const PathEnv e = env(m_effective);
    m_container = std::make_unique<Container>();
    m_container->items = m_state.value(u"Branches").toArray();
    m_container->childInput
        = m_state.contains(u"Parameters") ? evalTemplate(m_state.value(u"Parameters"), e) : m_effective;
    m_pending = true;
    startContainer();
}

void ScopeRun::runMap()
{
    const PathEnv e = env(m_effective);
    auto c = std::make_unique<Container>();
    c->isMap = true;
    const QString itemsPath = m_state.value(u"ItemsPath").toString(QStringLiteral("$"));
    const QJsonValue items = requirePath(itemsPath, e, QStringLiteral("ItemsPath"));
    if (!items.isArray())
        throw runtimeFault(QStringLiteral("Unable to apply ItemsPath \"%1\": the value is not an array: %2")
                               .arg(itemsPath, jsonText(items)));
    c->items = items.toArray();
    c->processor = m_state.contains(u"ItemProcessor") ? m_state.value(u"ItemProcessor").toObject()
                                                      : m_state.value(u"Iterator").toObject();
    const double concurrency = optionalNumber(m_state, QStringLiteral("MaxConcurrency"), e, 2147483647);
    c->maxConcurrency = concurrency < 0 ? 0 : int(concurrency);
    c->toleratedCount = optionalNumber(m_state, QStringLiteral("ToleratedFailureCount"), e, 2147483647);
    c->toleratedPercent = optionalNumber(m_state, QStringLiteral("ToleratedFailurePercentage"), e, 100);
    m_container = std::move(c);
    m_pending = true;
    startContainer();
}

void ScopeRun::startContainer()
{
    if (m_cancelled || m_engine->halted())
        return;
    Container &c = *m_container;
    c.clear();
    if (c.isMap) {
        c.last = m_engine->append(
            QStringLiteral("MapStateStarted"), m_last, QJsonObject { { QStringLiteral("length"), c.items.size() } });
        pumpMap();
        return;
    }
    c.last = m_engine->append(QStringLiteral("ParallelStateStarted"), m_last);
    const qint64 started = c.last;
    for (qsizetype i = 0; i < c.items.size(); ++i) {
        const QJsonObject branch = c.items.at(i).toObject();
        c.children[size_t(i)] = new ScopeRun(
            m_engine, branch.value(u"States").toObject(), branch.value(u"StartAt").toString(), c.childInput, started,
            m_vars, false, [this, i](const Flow &flow) { childDone(int(i), flow); }, this);
        c.running[size_t(i)] = true;
        ++c.active;
    }
    if (c.items.isEmpty()) {
        containerSucceeded();
        return;
    }
    for (qsizetype i = 0; i < c.items.size() && !c.over && !m_cancelled && !m_engine->halted(); ++i)
        c.children[size_t(i)]->start();
}

void ScopeRun::pumpMap()
{
    Container &c = *m_container;
    if (c.pumping) {
        c.again = true;
        return;
    }
    c.pumping = true;
    do {
        c.again = false;
        while (!c.over && !m_cancelled && !m_engine->halted() && c.next < c.items.size()
            && (c.maxConcurrency == 0 || c.active < c.maxConcurrency)) {
            const int i = c.next++;
            const QJsonObject name { { QStringLiteral("name"), m_name }, { QStringLiteral("index"), i } };
            const qint64 started = m_engine->append(QStringLiteral("MapIterationStarted"), c.last, name);
            c.last = started;
            QJsonValue input = c.items.at(i);
            const QJsonValue selector
                = m_state.contains(u"ItemSelector") ? m_state.value(u"ItemSelector") : m_state.value(u"Parameters");
            if (!selector.isUndefined()) {
                try {
                    const MapItem item { i, c.items.at(i) };
                    input = evalTemplate(
                        selector, PathEnv { m_effective, &m_vars, [this, item] { return contextObject(item); } });
                } catch (const StatesFault &f) {
                    m_engine->append(QStringLiteral("MapIterationFailed"), started, name);
                    c.pumping = false;
                    containerFailed(f.error, f.cause, started, -1);
                    return;
                }
            }
            ScopeRun *child = new ScopeRun(
                m_engine, c.processor.value(u"States").toObject(), c.processor.value(u"StartAt").toString(), input,
                started, m_vars, false, [this, i](const Flow &flow) { childDone(i, flow); }, this);
            c.children[size_t(i)] = child;
            c.running[size_t(i)] = true;
            ++c.active;
            child->start();
        }
    } while (c.again && !c.over);
    c.pumping = false;
    if (!c.over && !m_cancelled && !m_engine->halted() && c.done == c.items.size())
        containerSucceeded();
}

void ScopeRun::childDone(int index, const Flow &flow)
{
    Container &c = *m_container;
    if (c.over || m_cancelled)
        return;
    c.running[size_t(index)] = false;
    if (ScopeRun *child = c.children[size_t(index)]) {
        child->deleteLater();
        c.children[size_t(index)] = nullptr;
    }
    --c.active;
    ++c.done;
    if (!c.isMap) {
        if (!flow.ok) {
            containerFailed(flow.error, flow.cause, flow.last, index);
            return;
        }
        c.results.replace(index, flow.output);
        c.last = flow.last;
        if (c.done == c.items.size())
            containerSucceeded();
        return;
    }
    const QJsonObject name { { QStringLiteral("name"), m_name }, { QStringLiteral("index"), index } };
    if (flow.ok) {
        c.results.replace(index, flow.output);
        // As AWS links them: the next MapIterationStarted (and MapStateSucceeded)
        // follow the iteration's last inner event, like its MapIterationSucceeded.
        m_engine->append(QStringLiteral("MapIterationSucceeded"), flow.last, name);
        c.last = flow.last;
    } else {
        m_engine->append(QStringLiteral("MapIterationFailed"), flow.last, name);
        ++c.failed;
        const bool tolerant = c.toleratedCount >= 0 || c.toleratedPercent >= 0;
        const bool overCount = c.toleratedCount >= 0 && c.failed > c.toleratedCount;
        const bool overPercent
            = c.toleratedPercent >= 0 && 100.0 * c.failed / double(c.items.size()) > c.toleratedPercent;
        if (!tolerant || overCount || overPercent) {
            if (tolerant)
                containerFailed(QStringLiteral("States.ExceedToleratedFailureThreshold"),
                    QStringLiteral("The specified tolerated failure threshold was exceeded"), flow.last, index);
            else
                containerFailed(flow.error, flow.cause, flow.last, index);
            return;
        }
        c.results.replace(
            index, QJsonObject { { QStringLiteral("Error"), flow.error }, { QStringLiteral("Cause"), flow.cause } });
        c.last = flow.last;
    }
    pumpMap();
}

void ScopeRun::containerSucceeded()
{
    Container &c = *m_container;
    c.over = true;
    m_engine->append(c.isMap ? QStringLiteral("MapStateSucceeded") : QStringLiteral("ParallelStateSucceeded"), c.last);
    const QJsonValue output = c.results;
    try {
        const QJsonValue result = m_state.contains(u"ResultSelector")
            ? evalTemplate(m_state.value(u"ResultSelector"), env(output))
            : output;
        finishState(result, c.last, result);
    } catch (const StatesFault &f) {
        failState(f.error, f.cause, c.last);
    }
    resume();
}

void ScopeRun::containerFailed(const QString &error, const QString &cause, qint64 last, int except)
{
    Container &c = *m_container;
    c.over = true;
    const qint64 failed
        = m_engine->append(c.isMap ? QStringLiteral("MapStateFailed") : QStringLiteral("ParallelStateFailed"), last);
    abortChildren(except, true);
    retryOrFail(error, cause, failed);
}

void ScopeRun::abortChildren(int except, bool writeAborted)
{
    if (!m_container)
        return;
    Container &c = *m_container;
    c.over = true;
    for (size_t i = 0; i < c.children.size(); ++i) {
        ScopeRun *child = c.children[i];
        if (!child || int(i) == except || !c.running[i])
            continue;
        c.running[i] = false;
        child->cancel(writeAborted);
        if (writeAborted && c.isMap)
            m_engine->append(QStringLiteral("MapIterationAborted"), child->last(),
                QJsonObject { { QStringLiteral("name"), m_name }, { QStringLiteral("index"), int(i) } });
    }
}

} // namespace Bramble::LocalRuntime::Asl
