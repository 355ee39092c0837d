// Core::Job: the one async contract. finished() comes exactly once, never
// from inside start() or cancel(); cancel() ends with Kind::Cancelled and
// stops the work; the first ending wins; progress is reported; a job
// deletes itself unless told not to.

#include "core/job.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Bramble::Core;

namespace {

// Answers `answer` after `delayMs` (0: synchronously inside begin()).
class SquareJob : public ValueJob<int> {
public:
    SquareJob(int n, int delayMs)
        : m_n(n)
        , m_delayMs(delayMs)
    {
    }
    int aborts = 0;

protected:
    void begin() override
    {
        reportProgress(0, 1, QStringLiteral("squaring"));
        if (m_delayMs == 0) {
            succeedWith(m_n * m_n);
            return;
        }
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] {
            reportProgress(1, 1);
            if (m_n < 0)
                fail(Error(Error::Kind::Input, QStringLiteral("negative")));
            else
                succeedWith(m_n * m_n);
        });
        m_timer->start(m_delayMs);
    }
    void abort() override
    {
        ++aborts;
        if (m_timer)
            m_timer->stop();
    }

private:
    int m_n;
    int m_delayMs;
    QTimer *m_timer = nullptr;
};

} // namespace

class TestJob : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void synchronousWorkStillFinishesLater()
    {
        auto *job = new SquareJob(7, 0);
        job->setAutoDelete(false);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        QCOMPARE(finished.count(), 0); // not inside start()
        QVERIFY(!job->isFinished());
        QVERIFY(finished.wait(1000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(job->ok());
        QCOMPARE(job->value(), 49);
        QCOMPARE(job->result().value(), 49);
        delete job;
    }

    void failureCarriesTheErrorAndNoValue()
    {
        auto *job = new SquareJob(-2, 5);
        job->setAutoDelete(false);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        QVERIFY(finished.wait(1000));
        QVERIFY(!job->ok());
        QVERIFY(job->error().is(Error::Kind::Input));
        QCOMPARE(job->error().message, QStringLiteral("negative"));
        const Result<int> r = job->result();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("negative"));
        delete job;
    }

    void cancelStopsTheWorkAndFinishesOnceAsCancelled()
    {
        auto *job = new SquareJob(3, 50);
        job->setAutoDelete(false);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        job->cancel();
        job->cancel(); // twice: still one ending
        QCOMPARE(finished.count(), 0); // not inside cancel()
        QVERIFY(finished.wait(1000));
        QVERIFY(job->error().is(Error::Kind::Cancelled));
        QCOMPARE(job->aborts, 1);
        QTest::qWait(100); // the timer would have fired by now
        QCOMPARE(finished.count(), 1);
        QVERIFY(!job->ok());
        delete job;
    }

    void progressIsReported()
    {
        auto *job = new SquareJob(2, 5);
        job->setAutoDelete(false);
        QSignalSpy progress(job, &Job::progressChanged);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        QVERIFY(finished.wait(1000));
        QCOMPARE(progress.count(), 2);
        QCOMPARE(progress.first().first().value<Progress>().text, QStringLiteral("squaring"));
        QCOMPARE(job->progress().done, 1);
        QCOMPARE(job->progress().total, 1);
        delete job;
    }

    void deletesItselfAfterFinishingByDefault()
    {
        QPointer<SquareJob> job = new SquareJob(4, 1);
        int seen = -1;
        connect(job, &Job::finished, this, [&] { seen = job->value(); });
        job->start();
        QTRY_COMPARE(seen, 16);
        QTRY_VERIFY(job.isNull());
    }
};

QTEST_GUILESS_MAIN(TestJob)
#include "tst_job.moc"
