#include "saga/executionentry.h"

#include "saga/executiontimeline.h"

#include "aws/stepfunctionsclient.h"

namespace Bramble::Saga {

void ExecutionEntry::setAnalysis(const SagaAnalysis &a)
{
    outcomeLoaded = true;
    outcome = a.outcome;
    compensating = a.compensating;
    failedStep = a.failedStep;
    dangling = a.dangling;
    outcomeSentence = Saga::outcomeSentence(a);
    // The history is the newer word: a followed execution whose last events
    // ended it has ended, whatever the listing said when it was read.
    if (isRunning() && a.executionStatus != ExecutionStatus::Running)
        status = executionStatusName(a.executionStatus);
}

ExecutionEntry ExecutionEntry::fromJson(const QJsonObject &json)
{
    ExecutionEntry e;
    e.name = json.value(QStringLiteral("name")).toString();
    e.executionArn = json.value(QStringLiteral("executionArn")).toString();
    e.stateMachineArn = json.value(QStringLiteral("stateMachineArn")).toString();
    e.status = json.value(QStringLiteral("status")).toString();
    e.startDate = Aws::awsTimestamp(json.value(QStringLiteral("startDate")));
    e.stopDate = Aws::awsTimestamp(json.value(QStringLiteral("stopDate")));
    e.redriveCount = json.value(QStringLiteral("redriveCount")).toInt();
    if (json.contains(QStringLiteral("input"))) {
        e.inputLoaded = true;
        e.input = json.value(QStringLiteral("input")).toString();
    }
    return e;
}

bool ExecutionEntry::isRunning() const
{
    return status == u"RUNNING" || status == u"PENDING_REDRIVE";
}

bool ExecutionEntry::isStaleBeside(const ExecutionEntry &known) const
{
    return executionArn == known.executionArn && isRunning() && !known.isRunning() && !known.status.isEmpty()
        && redriveCount <= known.redriveCount;
}

QString executionNameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("a name has at least one character");
    if (name.size() > MaxExecutionNameLength)
        return QStringLiteral("a name has at most %1 characters; this one has %2")
            .arg(MaxExecutionNameLength)
            .arg(name.size());
    static const QString forbidden = QStringLiteral("<>{}[]?*\"#%\\^|~`$&,;:/");
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            return QStringLiteral("a name cannot contain control characters");
        if (c.isSpace())
            return QStringLiteral("a name cannot contain whitespace");
        if (forbidden.contains(c))
            return QStringLiteral("a name cannot contain \u201c%1\u201d (nor any of %2)").arg(QString(c), forbidden);
    }
    return {};
}

} // namespace Bramble::Saga
