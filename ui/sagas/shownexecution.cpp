#include "ui/sagas/shownexecution.h"

#include "saga/executionpresenter.h"
#include "saga/sagaexplorer.h"
#include "saga/sagasettings.h"
#include "saga/transactionrecord.h"
#include "ui/sagas/executionview.h"
#include "ui/sagas/timelinechart.h"

#include <QDateTime>
#include <QTimer>

namespace Bramble::Ui {

ShownExecution::ShownExecution(ExecutionView *view, Saga::SagaSettingsStore *store, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_store(store)
    , m_tick(new QTimer(this))
{
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] { m_view->timeline()->setNow(QDateTime::currentDateTimeUtc()); });
    connect(m_view, &ExecutionView::followToggled, this, &ShownExecution::setFollowing);
    connect(m_view, &ExecutionView::recordReloadRequested, this, &ShownExecution::fetchRecord);
}

ShownExecution::~ShownExecution() = default;

void ShownExecution::setExplorer(Saga::SagaExplorer *explorer)
{
    clear();
    delete m_presenter;
    m_explorer = explorer;
    if (!explorer)
        return;
    m_presenter = new Saga::ExecutionPresenter(explorer, explorer);
    connect(m_presenter, &Saga::ExecutionPresenter::executionLoaded, this, &ShownExecution::onLoaded);
    connect(m_presenter, &Saga::ExecutionPresenter::executionUpdated, this, &ShownExecution::onUpdated);
    connect(m_presenter, &Saga::ExecutionPresenter::loadFailed, this, [this](const QString &, const Core::Error &e) {
        m_view->setBusy(QString());
        Q_EMIT message(tr("Could not read the execution: %1").arg(e.toString()), true);
    });
    connect(m_presenter, &Saga::ExecutionPresenter::followingChanged, this, &ShownExecution::onFollowingChanged);
    connect(m_presenter, &Saga::ExecutionPresenter::polled, this, [this](int nextMs) {
        m_view->setFollowing(true,
            tr("Following live · %1 events · next poll in %2 s")
                .arg(m_presenter->execution().stats.eventCount)
                .arg(QString::number(nextMs / 1000.0, 'f', nextMs < 10000 ? 1 : 0)));
    });
    connect(m_presenter, &Saga::ExecutionPresenter::pollFailed, this, [this](const Core::Error &error) {
        m_view->setFollowing(true, tr("Following live · last poll failed: %1").arg(error.toString()));
    });
    connect(m_presenter, &Saga::ExecutionPresenter::followEnded, this, [this](const Core::Error &error) {
        m_view->setFollowing(
            false, error.isNull() ? tr("The execution has ended.") : tr("Stopped following: %1").arg(error.toString()));
    });
    connect(m_explorer, &Saga::SagaExplorer::recordFetched, this, &ShownExecution::onRecordFetched);
}

void ShownExecution::show(const QString &executionArn)
{
    if (!m_presenter)
        return;
    m_view->setBusy(tr("Reading the history…"));
    m_presenter->show(executionArn);
}

void ShownExecution::reload()
{
    if (!m_presenter || m_presenter->executionArn().isEmpty())
        return;
    m_view->setBusy(tr("Reading the history…"));
    m_presenter->reload();
}

void ShownExecution::clear()
{
    if (m_presenter)
        m_presenter->clear();
    m_tick->stop();
}

void ShownExecution::setFollowing(bool follow)
{
    if (m_presenter)
        m_presenter->setFollowing(follow);
}

QString ShownExecution::executionArn() const
{
    return m_presenter ? m_presenter->executionArn() : QString();
}

const Saga::LoadedExecution *ShownExecution::execution() const
{
    return m_presenter && m_presenter->hasExecution() ? &m_presenter->execution() : nullptr;
}

bool ShownExecution::isLoading() const
{
    return m_presenter && m_presenter->isLoading();
}

Saga::ExecutionFollower *ShownExecution::follower() const
{
    return m_presenter ? m_presenter->follower() : nullptr;
}

void ShownExecution::onLoaded()
{
    const Saga::LoadedExecution &e = m_presenter->execution();
    // Drawn with the definition this execution ran, which may be older than the machine's.
    if (m_view->executionArn() != e.entry.executionArn || e.ranEarlierDefinition)
        m_view->setMachine(machineName(), e.graph, m_presenter->roles());
    showInView();
    m_view->setBusy(QString());
    fetchRecord();
}

void ShownExecution::onUpdated()
{
    showInView();
    m_view->timeline()->setNow(QDateTime::currentDateTimeUtc());
}

QString ShownExecution::machineName() const
{
    const Saga::LoadedExecution *e = execution();
    if (!e)
        return QString();
    const Saga::LoadedMachine *m = m_explorer ? m_explorer->machine(e->entry.stateMachineArn) : nullptr;
    return m ? m->name : e->entry.stateMachineArn.section(u':', 6, 6);
}

void ShownExecution::showInView()
{
    const Saga::LoadedExecution &e = m_presenter->execution();
    m_view->setExecution(e.entry, e.analysis, e.stats);
    Q_EMIT executionShown(e);
}

void ShownExecution::onFollowingChanged(bool following)
{
    if (following) {
        m_view->setFollowing(true, tr("Following live…"));
        m_tick->start();
    } else {
        m_tick->stop();
        if (m_view->isFollowing())
            m_view->setFollowing(false, QString());
    }
}

void ShownExecution::fetchRecord()
{
    const Saga::LoadedExecution *e = execution();
    if (!m_explorer || !e)
        return;
    const Saga::LoadedMachine *m = m_explorer->machine(e->entry.stateMachineArn);
    if (!m)
        return;
    const Saga::RecordSource source
        = Saga::effectiveRecordSource(m->recordFromDefinition, m_store->load(e->entry.stateMachineArn));
    if (source.table.isEmpty() || source.keyAttribute.isEmpty()) {
        m_view->setRecordError(tr("No record table is known for %1: its definition has no DynamoDB task that "
                                  "names one. Set the table and key in Saga settings (Ctrl+,).")
                                   .arg(m->name));
        return;
    }
    const Saga::RecordKey key = Saga::recordKeyFor(source, e->entry.input);
    if (!key.isValid()) {
        m_view->setRecordError(tr("No record to read: %1.").arg(key.error));
        return;
    }
    // What the record view says above the item, kept for the answer.
    m_recordNote = tr("Table <b>%1</b>, %2 = <b>%3</b> · location from the %4")
                       .arg(source.table.toHtmlEscaped(), source.keyAttribute.toHtmlEscaped(),
                           key.key.value(source.keyAttribute).toVariant().toString().toHtmlEscaped(),
                           source.origin.isEmpty() ? tr("settings") : source.origin.toHtmlEscaped());
    m_explorer->fetchRecord(e->entry.executionArn, source.table, key.key);
}

void ShownExecution::onRecordFetched(const QString &arn, const QJsonObject &item, bool found, const Core::Error &error)
{
    const Saga::LoadedExecution *e = execution();
    if (!e || arn != e->entry.executionArn)
        return;
    if (!error.isNull()) {
        m_view->setRecordError(tr("Could not read the record: %1").arg(error.toString()));
        return;
    }
    m_view->setRecord(m_recordNote, item, found, Saga::attributesOfSteps(item, m_presenter->roles().forwardSteps));
}

} // namespace Bramble::Ui
