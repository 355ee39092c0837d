#pragma once

#include "core/error.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <optional>
#include <utility>

namespace Bramble::Core {

// How far a job is. `total` is -1 when unknown (show a busy bar); `text`
// says what it is doing now ("page 3", "waiting 2 s: the server asked to
// slow down (429)").
struct Progress {
    qint64 done = 0;
    qint64 total = -1;
    QString text;
};

// The value of a job or its one error: exactly one of the two.
template<typename T>
class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Error error)
        : m_error(std::move(error))
    {
        if (m_error.isNull())
            m_error.message = QStringLiteral("unknown error");
    }

    bool ok() const { return m_value.has_value(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    T takeValue() { return std::move(*m_value); }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// The one async contract of the service layer. Every long or remote piece
// of work (a request, a pager, a watch's list, a command over SSH, a
// provisioning step, a search) is a Job:
//
//  - start() returns at once; finished() is emitted exactly once, later,
//    from the event loop (also when the work fails to begin, and after
//    cancel()), never from inside start() or cancel();
//  - cancel() stops the work; the job then finishes with Kind::Cancelled;
//  - progressChanged() reports how far it is, where it knows;
//  - after finished() the job holds its result: error() (null on success)
//    and, for a ValueJob, value(); read them in the slot;
//  - by default a job deletes itself after finished() (deleteLater); an
//    owner that wants to read it later calls setAutoDelete(false) first and
//    deletes it itself. Deleting a running job cancels it without a signal.
//
// One thread: the job lives and signals on the thread that created it.
class Job : public QObject {
    Q_OBJECT
public:
    ~Job() override;

    void start();
    bool isStarted() const { return m_started; }
    bool isFinished() const { return m_finished; }
    bool ok() const { return m_finished && m_error.isNull(); }
    const Error &error() const { return m_error; }
    const Progress &progress() const { return m_progress; }

    void setAutoDelete(bool on) { m_autoDelete = on; }
    bool autoDelete() const { return m_autoDelete; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progressChanged(const Bramble::Core::Progress &progress);
    void finished();

protected:
    explicit Job(QObject *parent = nullptr);

    // The work itself; called once by start(). Ends, now or later, with
    // succeed()/fail() (a ValueJob: succeedWith()).
    virtual void begin() = 0;
    // cancel() was called while running: stop what is under way (abort a
    // reply, kill a process). The job finishes as cancelled after it.
    virtual void abort() { }

    void reportProgress(qint64 done, qint64 total, const QString &text = {});
    // Ends the job. The first call wins; later ones are ignored.
    void succeed();
    void fail(Error error);
    bool isEnding() const { return m_ending; }

private:
    void finishLater();

    Error m_error;
    Progress m_progress;
    bool m_started = false;
    bool m_ending = false; // succeed()/fail() called; finished() queued
    bool m_finished = false;
    bool m_autoDelete = true;
};

// A job that ends with a value of type T.
template<typename T>
class ValueJob : public Job {
public:
    const T &value() const { return m_value; }
    T takeValue() { return std::move(m_value); }
    Result<T> result() const
    {
        if (ok())
            return Result<T>(m_value);
        return Result<T>(error());
    }

protected:
    using Job::Job;
    void succeedWith(T value)
    {
        if (isEnding())
            return;
        m_value = std::move(value);
        succeed();
    }

private:
    T m_value {};
};

} // namespace Bramble::Core

Q_DECLARE_METATYPE(Bramble::Core::Progress)
