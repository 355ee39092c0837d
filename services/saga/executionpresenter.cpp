#include "saga/executionpresenter.h"

#include "saga/executionfollower.h"
#include "saga/sagaexplorer.h"

namespace Bramble::Saga {

ExecutionPresenter::ExecutionPresenter(SagaExplorer *explorer, QObject *parent)
    : QObject(parent)
    , m_explorer(explorer)
{
}

ExecutionPresenter::~ExecutionPresenter()
{
    clear();
}

bool ExecutionPresenter::isFollowing() const
{
    return !m_follower.isNull();
}

ExecutionFollower *ExecutionPresenter::follower() const
{
    return m_follower;
}

void ExecutionPresenter::show(const QString &executionArn)
{
    if (executionArn.isEmpty())
        return;
    if (executionArn != m_arn) {
        dropFollower();
        m_shown = {};
        m_analysis = {};
    }
    m_arn = executionArn;
    load();
}

void ExecutionPresenter::reload()
{
    if (m_arn.isEmpty())
        return;
    dropFollower();
    load();
}

void ExecutionPresenter::clear()
{
    if (m_job)
        delete m_job; // cancels it, without a signal
    dropFollower();
    m_arn.clear();
    m_shown = {};
    m_analysis = {};
}

void ExecutionPresenter::load()
{
    if (m_job)
        delete m_job;
    if (m_arn.isEmpty())
        return;
    ExecutionLoadJob *job = m_explorer->createLoadJob(m_arn, this);
    m_job = job;
    connect(job, &Core::Job::finished, this, [this, job] { onLoaded(job); });
    Q_EMIT loadStarted(m_arn);
    job->start();
}

void ExecutionPresenter::onLoaded(ExecutionLoadJob *job)
{
    if (job != m_job)
        return;
    m_job = nullptr;
    const QString arn = job->request().executionArn;
    if (!job->ok()) {
        m_followAfterLoad = false;
        Q_EMIT loadFailed(arn, job->error());
        return;
    }
    m_shown = job->value();
    m_analysis = job->takeIncrementalAnalysis();
    Q_EMIT executionLoaded(arn);
    const bool running = m_shown.entry.status == QLatin1String("RUNNING");
    if (running && (m_autoFollow || m_followAfterLoad))
        setFollowing(true);
    m_followAfterLoad = false;
}

void ExecutionPresenter::setFollowing(bool follow)
{
    if (!follow) {
        m_followAfterLoad = false;
        if (m_follower) {
            dropFollower();
            Q_EMIT followingChanged(false);
        }
        return;
    }
    if (m_follower || m_arn.isEmpty())
        return;
    if (m_job || !hasExecution()) {
        m_followAfterLoad = true;
        return;
    }
    m_follower = m_explorer->follow(m_arn, this);
    m_follower->setRetainEvents(false);
    m_follower->resumeAfter(m_analysis.lastEventId(), m_shown.stats.eventCount, m_shown.stats.largestPayloadBytes);
    connect(m_follower, &ExecutionFollower::eventsAppended, this, &ExecutionPresenter::onEvents);
    connect(m_follower, &ExecutionFollower::polled, this, &ExecutionPresenter::polled);
    connect(
        m_follower, &ExecutionFollower::error, this, [this](const Core::Error &error) { Q_EMIT pollFailed(error); });
    connect(m_follower, &ExecutionFollower::finished, this,
        [this](const Core::Error &error) { onFollowerFinished(error); });
    Q_EMIT followingChanged(true);
    m_follower->start();
}

void ExecutionPresenter::onEvents(const QList<QJsonObject> &events)
{
    m_analysis.append(events);
    refreshAnalysis();
    Q_EMIT executionUpdated(m_arn);
}

void ExecutionPresenter::refreshAnalysis()
{
    m_shown.setAnalysis(m_analysis.analysis(), m_analysis.stats());
}

void ExecutionPresenter::onFollowerFinished(const Core::Error &error)
{
    dropFollower();
    Q_EMIT followEnded(error);
    Q_EMIT followingChanged(false);
    if (error.isNull())
        load(); // the final status, output and what the last steps left
}

void ExecutionPresenter::dropFollower()
{
    if (!m_follower)
        return;
    m_follower->disconnect(this);
    m_follower->stop();
    m_follower->deleteLater();
    m_follower = nullptr;
}

} // namespace Bramble::Saga
