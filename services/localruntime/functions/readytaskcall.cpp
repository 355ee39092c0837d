#include "functions/readytaskcall.h"

namespace Bramble::LocalRuntime {

ReadyTaskCall::ReadyTaskCall(std::function<TaskOutcome()> work, QObject *parent)
    : TaskCall(parent)
    , m_work(std::move(work))
{
}

void ReadyTaskCall::begin()
{
    succeedWith(m_work());
}

} // namespace Bramble::LocalRuntime
