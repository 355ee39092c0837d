#pragma once

#include "asl/taskrunner.h"

#include <functional>

namespace Bramble::LocalRuntime {

// A task whose work is synchronous and short (a mocked response, a builtin
// handler, a DynamoDB call on the local store): `work` runs in start(), on
// the job's thread, and its outcome is the job's value; finished() follows
// from the event loop as for every job. Nothing to abort.
class ReadyTaskCall : public TaskCall {
public:
    explicit ReadyTaskCall(std::function<TaskOutcome()> work, QObject *parent = nullptr);

protected:
    void begin() override;

private:
    std::function<TaskOutcome()> m_work;
};

// A task that is another job's value turned into an outcome: `inner` (not
// started; owned from here on) starts with this one, cancel() cancels it, and
// `map` turns its result (a value or a Core::Error) into the outcome. A
// cancelled inner job ends this one as cancelled.
template<typename In>
class MappedTaskCall : public TaskCall {
public:
    using Map = std::function<Core::Result<TaskOutcome>(const Core::Result<In> &)>;

    MappedTaskCall(Core::ValueJob<In> *inner, Map map, QObject *parent = nullptr)
        : TaskCall(parent)
        , m_inner(inner)
        , m_map(std::move(map))
    {
        m_inner->setParent(this);
        m_inner->setAutoDelete(false);
    }

protected:
    void begin() override
    {
        QObject::connect(m_inner, &Core::Job::finished, this, [this] {
            const Core::Result<In> result = m_inner->result();
            if (!result.ok() && result.error().is(Core::Error::Kind::Cancelled)) {
                fail(result.error());
                return;
            }
            Core::Result<TaskOutcome> mapped = m_map(result);
            if (mapped.ok())
                succeedWith(mapped.takeValue());
            else
                fail(mapped.error());
        });
        m_inner->start();
    }
    void abort() override { m_inner->cancel(); }

private:
    Core::ValueJob<In> *m_inner;
    Map m_map;
};

} // namespace Bramble::LocalRuntime
