#include "core/job.h"

#include <QMetaObject>

namespace Bramble::Core {

Job::Job(QObject *parent)
    : QObject(parent)
{
}

Job::~Job() = default;

void Job::start()
{
    if (m_started)
        return;
    m_started = true;
    begin();
}

void Job::cancel()
{
    if (m_ending)
        return;
    if (m_started)
        abort();
    fail(Error(Error::Kind::Cancelled, QStringLiteral("cancelled")));
}

void Job::reportProgress(qint64 done, qint64 total, const QString &text)
{
    if (m_ending)
        return;
    m_progress = Progress { done, total, text };
    Q_EMIT progressChanged(m_progress);
}

void Job::succeed()
{
    if (m_ending)
        return;
    m_error = Error();
    finishLater();
}

void Job::fail(Error error)
{
    if (m_ending)
        return;
    if (error.isNull())
        error.message = QStringLiteral("failed");
    m_error = std::move(error);
    finishLater();
}

void Job::finishLater()
{
    m_ending = true;
    // Queued, so finished() never fires inside start(), cancel() or the
    // caller's own slot, and a caller can connect after starting.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_finished = true;
            Q_EMIT finished();
            if (m_autoDelete)
                deleteLater();
        },
        Qt::QueuedConnection);
}

} // namespace Bramble::Core
