// The timeline chart with hand-built timelines: bars proportional to time,
// nesting, running steps reaching now, hit-testing, selection by click and
// keys, tooltips, and thousands of steps.

#include "saga/executiontimeline.h"
#include "services/saga/sagatest.h"
#include "ui/sagas/timelinechart.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using namespace Bramble;
using Bramble::Test::Saga::fixture;
using Saga::StateRole;
using Saga::StepStatus;

namespace {

const QDateTime t0 = QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC);

Saga::Step step(const char *name, qint64 startMs, qint64 endMs, StepStatus status = StepStatus::Succeeded,
    int parent = -1, int attempts = 1)
{
    Saga::Step s;
    s.state = QString::fromLatin1(name);
    s.stateType = QStringLiteral("Task");
    s.startedAt = t0.addMSecs(startMs);
    if (endMs >= 0)
        s.endedAt = t0.addMSecs(endMs);
    s.status = status;
    s.parent = parent;
    s.attempts = attempts;
    return s;
}

Saga::Timeline demo()
{
    Saga::Timeline t;
    t.steps = { step("Start", 0, 100), step("Process", 100, 1100, StepStatus::Succeeded, -1, 3),
        step("Group", 1100, 4100, StepStatus::Caught), step("Inner", 1200, 4000, StepStatus::Failed, 2),
        step("Undo", 4100, 6100) };
    t.steps[3].error = QStringLiteral("Boom");
    t.steps[3].cause = QStringLiteral("it broke");
    return t;
}

const QList<StateRole> demoRoles { StateRole::Other, StateRole::Forward, StateRole::Forward, StateRole::Forward,
    StateRole::Compensation };

} // namespace

class TestTimelineChart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void barsProportionalToTime()
    {
        Ui::TimelineChart chart;
        chart.resize(800, 300);
        chart.setTimeline(demo(), demoRoles);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QCOMPARE(chart.rangeStart(), t0);
        QCOMPARE(chart.rangeEnd(), t0.addMSecs(6100));

        const QRect process = chart.barRect(1); // 1000 ms
        const QRect group = chart.barRect(2); // 3000 ms
        const QRect undo = chart.barRect(4); // 2000 ms
        QVERIFY(!process.isEmpty() && !group.isEmpty());
        QVERIFY(qAbs(group.width() - 3 * process.width()) <= 3);
        QVERIFY(qAbs(undo.width() - 2 * process.width()) <= 3);
        QVERIFY(qAbs(group.left() - process.right() - 1) <= 2); // Group starts where Process ends
        const int left = chart.barRect(0).left();
        const qreal pxPerMs = (undo.right() + 1 - left) / 6100.0;
        QVERIFY(qAbs(undo.left() - (left + 4100 * pxPerMs)) <= 1);
        QVERIFY(qAbs(group.left() - (left + 1100 * pxPerMs)) <= 1);
        // Rows: nested Inner right under Group, bars one row apart.
        QCOMPARE(chart.rowOf(3), 3);
        QVERIFY(chart.barRect(3).top() > group.top());
        QVERIFY(chart.barRect(0).width() >= 3); // short steps stay visible
        QVERIFY(chart.barRect(99).isEmpty());
    }

    void nestingFollowsParents()
    {
        Saga::Timeline t;
        // Two interleaved branches: entry order A1 B1 A2 B2, display order by parent.
        t.steps = { step("Par", 0, 1000), step("BranchA", 10, 900, StepStatus::Succeeded, 0), step("Next", 1000, 1100),
            step("ChildOfA", 20, 800, StepStatus::Succeeded, 1) };
        Ui::TimelineChart chart;
        chart.resize(600, 300);
        chart.setTimeline(t, {});
        QCOMPARE(chart.rowOf(0), 0);
        QCOMPARE(chart.rowOf(1), 1);
        QCOMPARE(chart.rowOf(3), 2);
        QCOMPARE(chart.rowOf(2), 3);
    }

    void runningReachesNow()
    {
        Saga::Timeline t = demo();
        t.steps.append(step("Running", 6100, -1, StepStatus::Running));
        Ui::TimelineChart chart;
        chart.resize(800, 300);
        chart.setTimeline(t, {});
        QCOMPARE(chart.rangeEnd(), t0.addMSecs(6100));
        chart.setNow(t0.addMSecs(8100));
        QCOMPARE(chart.rangeEnd(), t0.addMSecs(8100));
        const QRect running = chart.barRect(5);
        const QRect process = chart.barRect(1);
        QVERIFY(qAbs(running.width() - 2 * process.width()) <= 3);
    }

    void hitTestingAndSelection()
    {
        Ui::TimelineChart chart;
        chart.resize(800, 300);
        chart.setTimeline(demo(), demoRoles);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        for (int s = 0; s < 5; ++s)
            QCOMPARE(chart.stepAt(chart.barRect(s).center()), s);
        QCOMPARE(chart.stepAt(QPoint(10, 2)), -1); // the axis
        QCOMPARE(chart.stepAt(QPoint(10, 290)), -1); // below the last row

        QSignalSpy activated(&chart, &Ui::TimelineChart::stepActivated);
        QTest::mouseClick(chart.viewport(), Qt::LeftButton, {}, chart.barRect(2).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toInt(), 2);
        QCOMPARE(chart.selectedStep(), 2);
        QTest::keyClick(&chart, Qt::Key_Down);
        QCOMPARE(activated.last().at(0).toInt(), 3);
        QTest::keyClick(&chart, Qt::Key_Up);
        QTest::keyClick(&chart, Qt::Key_Up);
        QCOMPARE(chart.selectedStep(), 1);
        QTest::keyClick(&chart, Qt::Key_End);
        QCOMPARE(chart.selectedStep(), 4);
        QCOMPARE(activated.size(), 5);

        chart.selectStep(0); // no signal
        QCOMPARE(chart.selectedStep(), 0);
        QCOMPARE(activated.size(), 5);
        chart.selectStep(-1);
        QCOMPARE(chart.selectedStep(), -1);
    }

    void tooltipTellsTheStep()
    {
        Ui::TimelineChart chart;
        chart.resize(800, 300);
        chart.setTimeline(demo(), demoRoles);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QPoint at = chart.barRect(3).center();
        QHelpEvent help(QEvent::ToolTip, at, chart.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(chart.viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString text = QToolTip::text();
        QVERIFY2(text.contains(QStringLiteral("Inner")) && text.contains(QStringLiteral("FAILED"))
                && text.contains(QStringLiteral("Boom")) && text.contains(QStringLiteral("2.80 s")),
            qPrintable(text));
        QToolTip::hideText();
    }

    void emptyAndRecorded()
    {
        Ui::TimelineChart chart;
        chart.resize(500, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QVERIFY(!chart.grab().isNull()); // the empty text
        QCOMPARE(chart.stepAt(QPoint(100, 100)), -1);

        const Saga::Timeline t
            = Saga::buildTimeline(Saga::parseHistory(fixture(QStringLiteral("seed-rollback-fails.history.json"))));
        chart.setTimeline(t, {});
        QVERIFY(!t.steps.isEmpty());
        for (int s = 0; s < t.steps.size(); ++s)
            QVERIFY(!chart.barRect(s).isEmpty());
    }

    void thousandsOfSteps()
    {
        Saga::Timeline t;
        for (int i = 0; i < 20000; ++i)
            t.steps.append(step("Iteration", i * 10, i * 10 + 25, StepStatus::Succeeded, i == 0 ? -1 : 0));
        Ui::TimelineChart chart;
        chart.resize(800, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QElapsedTimer timer;
        timer.start();
        chart.setTimeline(t, {});
        const qint64 setMs = timer.restart();
        chart.grab();
        const qint64 paintMs = timer.elapsed();
        qInfo("20000 steps: setTimeline %lld ms, paint %lld ms", setMs, paintMs);
        QVERIFY(paintMs < 500);
        chart.selectStep(19999);
        QVERIFY(chart.verticalScrollBar()->value() > 0);
        QCOMPARE(chart.stepAt(chart.barRect(19999).center()), 19999);
    }
};

QTEST_MAIN(TestTimelineChart)
#include "tst_timelinechart.moc"
