// JobMessageBar::track: a pane shows a service job the one way. Busy with
// the job's progress while it runs, Cancel cancels the job itself, a
// failure shows the job's one-line error, success and cancel hide the bar.

#include "core/job.h"
#include "ui/common/jobmessagebar.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;

namespace {

// Runs until told how to end.
class ManualJob : public Core::Job {
public:
    using Core::Job::fail;
    using Core::Job::reportProgress;
    using Core::Job::succeed;
    bool aborted = false;

protected:
    void begin() override { }
    void abort() override { aborted = true; }
};

QString barText(Ui::JobMessageBar &bar)
{
    return bar.text();
}

} // namespace

class TestJobMessageBar : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsProgressThenHidesOnSuccess()
    {
        Ui::JobMessageBar bar;
        auto *job = new ManualJob;
        job->start();
        bar.track(job, QStringLiteral("Applying pool"));
        QVERIFY(bar.isBusy());
        job->reportProgress(1, 4, QStringLiteral("dry run"));
        QCOMPARE(barText(bar), QStringLiteral("Applying pool — dry run"));
        auto *progress = bar.findChild<QProgressBar *>();
        QCOMPARE(progress->maximum(), 1000);
        QCOMPARE(progress->value(), 250);
        job->succeed();
        QTRY_VERIFY(bar.isHidden());
    }

    void failureShowsTheErrorLine()
    {
        Ui::JobMessageBar bar;
        auto *job = new ManualJob;
        job->start();
        bar.track(job, QStringLiteral("Cordoning rpi-03"), QStringLiteral("Cordon failed: "));
        Core::Error e(Core::Error::Kind::Auth, QStringLiteral("nodes \"rpi-03\" is forbidden"));
        e.operation = QStringLiteral("PATCH /api/v1/nodes/rpi-03");
        e.httpStatus = 403;
        job->fail(e);
        QTRY_VERIFY(!bar.isBusy());
        QVERIFY(!bar.isHidden());
        QCOMPARE(barText(bar),
            QStringLiteral("Cordon failed: PATCH /api/v1/nodes/rpi-03: nodes \"rpi-03\" is forbidden (HTTP 403)"));
    }

    void cancelButtonCancelsTheJob()
    {
        Ui::JobMessageBar bar;
        auto *job = new ManualJob;
        job->setAutoDelete(false);
        job->start();
        bar.track(job, QStringLiteral("Reading"));
        QSignalSpy cancelRequested(&bar, &Ui::JobMessageBar::cancelRequested);
        QPushButton *button = bar.findChild<QPushButton *>();
        QCOMPARE(button->text(), QStringLiteral("Cancel"));
        button->click();
        QCOMPARE(cancelRequested.count(), 1);
        QVERIFY(job->aborted);
        QTRY_VERIFY(job->isFinished());
        QVERIFY(job->error().is(Core::Error::Kind::Cancelled));
        QTRY_VERIFY(bar.isHidden());
        delete job;
    }
};

QTEST_MAIN(TestJobMessageBar)
#include "tst_jobmessagebar.moc"
