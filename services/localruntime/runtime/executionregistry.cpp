#include "runtime/executionregistry.h"

#include "runtime/runtimelogging.h"
#include "runtime/sfnnames.h"

#include <QDateTime>
#include <QJsonDocument>

namespace Bramble::LocalRuntime {

ExecutionRegistry::ExecutionRegistry(SfnStore *store, TaskRunner *runner, double timeScale, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_runner(runner)
    , m_timeScale(timeScale)
{
}

ExecutionRegistry::~ExecutionRegistry()
{
    detachAll();
}

bool ExecutionRegistry::launch(
    const ExecutionRecord &record, std::optional<Checkpoint> resume, bool redrive, QString *error)
{
    const QJsonDocument definition = QJsonDocument::fromJson(record.definition.toUtf8());
    if (!definition.isObject()) {
        if (error)
            *error = QStringLiteral("the stored definition is not a JSON object");
        return false;
    }
    ExecutionSpec spec;
    spec.definition = definition.object();
    spec.executionArn = record.arn;
    spec.name = record.name;
    spec.stateMachineArn = record.machineArn;
    spec.stateMachineName = record.machineName;
    spec.roleArn = record.roleArn;
    spec.testCase = record.testCase;
    spec.input = SfnNames::parseJsonValue(record.input).value_or(QJsonValue(QJsonObject()));
    spec.startTime = QDateTime::fromMSecsSinceEpoch(qRound64(record.startDate * 1000.0), Qt::UTC);
    spec.timeScale = m_timeScale;
    spec.resume = std::move(resume);
    spec.redrive = redrive;
    spec.redriveCount = record.redriveCount;
    // A redrive goes on after the event that ended the execution.
    if (redrive)
        spec.historyLastEventId = m_store->lastEventId(record.seq);

    auto *execution = new Execution(std::move(spec), m_runner, this);
    const qint64 seq = record.seq;
    const QString arn = record.arn;
    connect(execution, &Execution::eventAppended, this, [this, seq, arn](const QJsonObject &event) {
        const Core::Error failure = m_store->appendEvent(seq, event.value(QStringLiteral("id")).toInteger(), event);
        if (!failure.isNull())
            qCWarning(lcServer).noquote() << failure.toString();
        recordTerminalEvent(arn, event);
    });
    connect(execution, &Execution::checkpointReached, this, [this, seq](const Checkpoint &checkpoint) {
        if (const Core::Error failure = m_store->setCheckpoint(seq, checkpoint.toJson()); !failure.isNull())
            qCWarning(lcServer).noquote() << failure.toString();
    });
    connect(execution, &Execution::finished, this,
        [this, execution, seq](const ExecutionEnd &end) { onFinished(execution, seq, end); });
    m_running.insert(arn, execution);
    execution->start();
    Q_EMIT executionChanged(arn);
    return true;
}

int ExecutionRegistry::resumeAll()
{
    int resumed = 0;
    const QList<ExecutionRecord> running = m_store->runningExecutions();
    for (const ExecutionRecord &record : running) {
        std::optional<Checkpoint> checkpoint;
        if (!record.checkpoint.isEmpty())
            checkpoint = Checkpoint::fromJson(record.checkpoint);
        // Events written after the checkpoint belong to a state that will
        // be entered again; without a checkpoint the run starts over.
        m_store->deleteEventsAfter(record.seq, checkpoint ? checkpoint->lastEventId : 0);
        QString error;
        if (launch(record, checkpoint, false, &error)) {
            ++resumed;
        } else {
            ExecutionRecord failed = record;
            failed.status = QStringLiteral("FAILED");
            failed.error = QStringLiteral("States.Runtime");
            failed.cause = QStringLiteral("The execution could not be resumed: ") + error;
            failed.stopDate = SfnNames::nowSeconds();
            m_store->updateExecution(failed);
        }
    }
    return resumed;
}

bool ExecutionRegistry::isRunning(const QString &executionArn) const
{
    return !m_running.value(executionArn).isNull();
}

bool ExecutionRegistry::stop(const QString &executionArn, const QString &error, const QString &cause)
{
    const QPointer<Execution> execution = m_running.value(executionArn);
    if (!execution)
        return false;
    execution->stop(error, cause);
    return true;
}

void ExecutionRegistry::detachAll()
{
    const auto running = m_running;
    m_running.clear();
    for (const QPointer<Execution> &execution : running) {
        if (!execution)
            continue;
        execution->disconnect(this);
        delete execution.data();
    }
}

void ExecutionRegistry::recordTerminalEvent(const QString &executionArn, const QJsonObject &event)
{
    // The status follows the terminal event at once, so DescribeExecution
    // never says RUNNING beside a history that has ended (finished() comes
    // later, from the event loop).
    static const QHash<QString, QString> statuses {
        { QStringLiteral("ExecutionSucceeded"), QStringLiteral("SUCCEEDED") },
        { QStringLiteral("ExecutionFailed"), QStringLiteral("FAILED") },
        { QStringLiteral("ExecutionAborted"), QStringLiteral("ABORTED") },
        { QStringLiteral("ExecutionTimedOut"), QStringLiteral("TIMED_OUT") },
    };
    const QString type = event.value(QStringLiteral("type")).toString();
    const QString status = statuses.value(type);
    if (status.isEmpty())
        return;
    const QJsonObject details
        = event.value(type.at(0).toLower() + type.mid(1) + QStringLiteral("EventDetails")).toObject();
    ExecutionEnd end;
    end.status = status;
    if (status == QLatin1String("SUCCEEDED"))
        end.output
            = SfnNames::parseJsonValue(details.value(QStringLiteral("output")).toString()).value_or(QJsonValue());
    end.error = details.value(QStringLiteral("error")).toString();
    end.cause = details.value(QStringLiteral("cause")).toString();
    storeEnd(executionArn, end, event.value(QStringLiteral("timestamp")).toDouble());
}

void ExecutionRegistry::storeEnd(const QString &executionArn, const ExecutionEnd &end, double stopDate)
{
    std::optional<ExecutionRecord> record = m_store->execution(executionArn);
    if (!record)
        return;
    if (record->status == end.status && record->stopDate > 0)
        return; // stored from its terminal event already
    record->status = end.status;
    record->output = end.status == QLatin1String("SUCCEEDED") ? SfnNames::jsonText(end.output) : QString();
    record->error = end.error.isEmpty() ? QString() : end.error;
    record->cause = end.cause.isEmpty() ? QString() : end.cause;
    record->stopDate = stopDate > 0 ? stopDate : SfnNames::nowSeconds();
    if (const Core::Error error = m_store->updateExecution(*record); !error.isNull())
        qCWarning(lcServer).noquote() << error.toString();
}

void ExecutionRegistry::onFinished(Execution *execution, qint64 seq, const ExecutionEnd &end)
{
    Q_UNUSED(seq)
    const QString arn = execution->spec().executionArn;
    m_running.remove(arn);
    execution->disconnect(this);
    execution->deleteLater();
    storeEnd(arn, end, 0);
    Q_EMIT executionChanged(arn);
    Q_EMIT executionEnded(arn);
}

} // namespace Bramble::LocalRuntime
