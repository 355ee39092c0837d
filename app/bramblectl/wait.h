#pragma once

#include "core/job.h"

#include <QEventLoop>
#include <QObject>

#include <memory>

namespace Bramble::Cli {

// The CLI is synchronous; the service layer is not. The one way a command
// waits for a service: hand the job to waitFor(), which starts it if it has
// not started, runs a local event loop until it finishes, and hands the
// finished job back, owned by the caller (its auto-delete is turned off), to
// read error() / value(). No other nested event loop in app/bramblectl.
template<typename J>
std::unique_ptr<J> waitFor(J *job)
{
    static_assert(std::is_base_of_v<Core::Job, J>, "waitFor() takes a Core::Job");
    job->setAutoDelete(false);
    if (!job->isFinished()) {
        QEventLoop loop;
        QObject::connect(job, &Core::Job::finished, &loop, &QEventLoop::quit);
        job->start(); // finished() never comes from inside start()
        loop.exec();
    }
    return std::unique_ptr<J>(job);
}

} // namespace Bramble::Cli
