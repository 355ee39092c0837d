#pragma once

#include "core/error.h"
#include "saga/executionloadjob.h"
#include "saga/incrementalanalysis.h"

#include <QObject>
#include <QPointer>
#include <QString>

namespace Bramble::Saga {

class ExecutionFollower;
class SagaExplorer;

// The execution a view shows, without widgets: loads it (an ExecutionLoadJob
// on the explorer's client: the definition it ran, with the current one as a
// fallback, and the whole history), follows it live while it runs, and keeps
// its analysis up to date incrementally: each poll's new events are read
// once (IncrementalAnalysis), the raw events are not kept. It also keeps the
// history statistics the gauges show (events vs 25,000, the largest payload
// vs 256 KiB).
//
// show() starts a load and drops the follower of the previous execution; an
// answer for an execution no longer shown is dropped. A RUNNING execution is
// followed as soon as it is loaded (setAutoFollow), and reloaded once the
// follower sees it end (its final status, output and record).
//
// The explorer must outlive the presenter. GUI/main thread.
class ExecutionPresenter : public QObject {
    Q_OBJECT

public:
    explicit ExecutionPresenter(SagaExplorer *explorer, QObject *parent = nullptr);
    ~ExecutionPresenter() override;

    // Loads the execution (emits loadStarted now, then executionLoaded or loadFailed).
    void show(const QString &executionArn);
    // Loads the shown execution again (after an action, new saga settings).
    void reload();
    // Shows nothing: cancels the load and the follower.
    void clear();

    void setFollowing(bool follow);
    bool isFollowing() const;
    void setAutoFollow(bool on) { m_autoFollow = on; }
    bool isLoading() const { return m_job != nullptr; }

    QString executionArn() const { return m_arn; }
    // What is shown: empty entry until the first load of the execution succeeded.
    const LoadedExecution &execution() const { return m_shown; }
    bool hasExecution() const { return !m_shown.entry.executionArn.isEmpty(); }
    // The saga roles the shown analysis uses (of the definition it ran).
    const SagaRoles &roles() const { return m_analysis.roles(); }
    ExecutionFollower *follower() const;

Q_SIGNALS:
    void loadStarted(const QString &executionArn);
    // A load finished: execution() is the new one.
    void executionLoaded(const QString &executionArn);
    void loadFailed(const QString &executionArn, const Bramble::Core::Error &error);
    // The follower brought events: execution() has the new analysis and statistics.
    void executionUpdated(const QString &executionArn);
    void followingChanged(bool following);
    // After each poll: the wait before the next one.
    void polled(int nextPollMs);
    void pollFailed(const Bramble::Core::Error &error);
    // The follower stopped by itself: at the end of the execution (error
    // null; a reload follows) or on an error that retrying will not cure.
    void followEnded(const Bramble::Core::Error &error);

private:
    void load();
    void onLoaded(ExecutionLoadJob *job);
    void onEvents(const QList<QJsonObject> &events);
    void onFollowerFinished(const Core::Error &error);
    void dropFollower();
    void refreshAnalysis();

    SagaExplorer *m_explorer;
    QString m_arn;
    QPointer<ExecutionLoadJob> m_job;
    QPointer<ExecutionFollower> m_follower;
    LoadedExecution m_shown;
    IncrementalAnalysis m_analysis;
    bool m_autoFollow = true;
    bool m_followAfterLoad = false;
};

} // namespace Bramble::Saga
