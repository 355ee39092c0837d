#pragma once

#include "asl/taskrunner.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace Bramble::Test {

// Starts a task job and waits (event loop running) until it finishes; the
// job's result. The job is deleted afterwards.
inline Core::Result<LocalRuntime::TaskOutcome> runTask(LocalRuntime::TaskCall *job, int timeoutMs = 20000)
{
    job->setAutoDelete(false);
    std::unique_ptr<LocalRuntime::TaskCall> owner(job);
    QSignalSpy finished(job, &Core::Job::finished);
    job->start();
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        return Core::Error(QStringLiteral("the task did not finish within %1 ms").arg(timeoutMs));
    return job->result();
}

} // namespace Bramble::Test
