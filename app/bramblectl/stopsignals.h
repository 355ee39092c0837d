#pragma once

#include <QSocketNotifier>

#include <memory>

namespace Bramble::Cli {

// SIGINT / SIGTERM end a long-running command (a watch) cleanly instead of
// killing it: the handlers write to a self-pipe whose notifier fires on the
// event loop. Installs the handlers for its lifetime and restores the previous
// ones when destroyed. One instance at a time; main thread.
//
//     StopSignals stop;
//     QObject::connect(stop.notifier(), &QSocketNotifier::activated, &loop, &QEventLoop::quit);
//     loop.exec();
//     return stop.received() ? 130 : 0;
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    bool isValid() const { return m_notifier != nullptr; } // false when no pipe could be made
    // Fires (on the event loop) after a signal arrived; received() is already true then.
    QSocketNotifier *notifier() const { return m_notifier.get(); }
    bool received() const { return m_received; }

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    bool m_received = false;
};

} // namespace Bramble::Cli
