#pragma once

#include <QEventLoop>
#include <QObject>

namespace Bramble::Cli {

// The CLI is synchronous; the service layer is not. Runs a local event loop
// until `job` emits `done`, calling `read()` in that slot, where the job is
// still alive (jobs delete themselves afterwards). Jobs signal from the event
// loop only, so connecting after starting them loses nothing.
template<typename Job, typename Signal, typename Read>
void waitUntil(Job *job, Signal done, Read read)
{
    QEventLoop loop;
    QObject::connect(job, done, &loop, [&] {
        read();
        loop.quit();
    });
    loop.exec();
}

} // namespace Bramble::Cli
