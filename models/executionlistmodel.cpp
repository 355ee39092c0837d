#include "models/executionlistmodel.h"

#include "models/inputsearch.h"
#include "saga/jsonpath.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace Bramble::Models {

using Saga::ExecutionEntry;
using Saga::SagaOutcome;

SagaTone executionStatusTone(const QString &status)
{
    if (status == u"SUCCEEDED")
        return SagaTone::Ok;
    if (status == u"FAILED" || status == u"TIMED_OUT")
        return SagaTone::Error;
    if (status == u"ABORTED" || status == u"PENDING_REDRIVE")
        return SagaTone::Warning;
    return SagaTone::Neutral;
}

SagaTone sagaOutcomeTone(SagaOutcome outcome)
{
    switch (outcome) {
    case SagaOutcome::Committed:
        return SagaTone::Ok;
    case SagaOutcome::Compensated:
    case SagaOutcome::Aborted:
        return SagaTone::Warning;
    case SagaOutcome::CompensationFailed:
    case SagaOutcome::FailedUncompensated:
    case SagaOutcome::TimedOut:
        return SagaTone::Error;
    case SagaOutcome::Running:
        break;
    }
    return SagaTone::Neutral;
}

SagaTone stepStatusTone(Saga::StepStatus status)
{
    switch (status) {
    case Saga::StepStatus::Succeeded:
        return SagaTone::Ok;
    case Saga::StepStatus::Caught:
    case Saga::StepStatus::Aborted:
        return SagaTone::Warning;
    case Saga::StepStatus::Failed:
        return SagaTone::Error;
    case Saga::StepStatus::Running:
        break;
    }
    return SagaTone::Neutral;
}

QString prettyConstant(const QString &constant)
{
    QString s = constant.toLower();
    s.replace(u'_', u' ');
    if (!s.isEmpty())
        s[0] = s.at(0).toUpper();
    return s;
}

QString formatDurationMs(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60 * 1000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 2 : 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString formatLocalTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

namespace {

bool sameEntry(const ExecutionListModel::Row &a, const ExecutionListModel::Row &b)
{
    const ExecutionEntry &x = a.entry;
    const ExecutionEntry &y = b.entry;
    return x.name == y.name && x.status == y.status && x.startDate == y.startDate && x.stopDate == y.stopDate
        && x.redriveCount == y.redriveCount && x.inputLoaded == y.inputLoaded && x.input == y.input
        && x.outcomeLoaded == y.outcomeLoaded && x.outcome == y.outcome && x.compensating == y.compensating
        && x.outcomeSentence == y.outcomeSentence && x.loadError == y.loadError && x.failedStep == y.failedStep
        && x.dangling == y.dangling && a.transaction == b.transaction;
}

QString rowKey(const ExecutionListModel::Row &row)
{
    return row.entry.executionArn;
}

} // namespace

ExecutionListModel::ExecutionListModel(QObject *parent)
    : KeyedTableModel(parent)
    , m_path(defaultTransactionPath())
    , m_now(QDateTime::currentDateTimeUtc())
{
}

QString ExecutionListModel::transactionOf(const ExecutionEntry &entry) const
{
    if (!entry.inputLoaded || entry.input.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(entry.input.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return {};
    const QJsonValue root = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    const QJsonValue v = Saga::jsonPathValue(root, m_path);
    if (v.isUndefined())
        return {};
    if (v.isObject() || v.isArray())
        return QString::fromUtf8(
            (v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray())).toJson(QJsonDocument::Compact));
    return scalarText(v);
}

void ExecutionListModel::setExecutions(const QList<ExecutionEntry> &executions)
{
    QList<Row> next;
    next.reserve(executions.size());
    for (const ExecutionEntry &e : executions) {
        // A listing sent before the execution ended keeps the ended row.
        const int known = rowOf(e.executionArn);
        if (known >= 0 && e.isStaleBeside(m_rows.at(known).entry))
            next.append(m_rows.at(known));
        else
            next.append({ e, transactionOf(e) });
    }
    syncRows<Row>(m_rows, m_order, next, &rowKey, &sameEntry);
    reindex();
}

int ExecutionListModel::updateExecution(const ExecutionEntry &execution)
{
    const int row = rowOf(execution.executionArn);
    if (row < 0)
        return -1;
    if (execution.isStaleBeside(m_rows.at(row).entry))
        return row;
    Row next { execution, transactionOf(execution) };
    if (sameEntry(m_rows.at(row), next))
        return row;
    m_rows[row] = std::move(next);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return row;
}

void ExecutionListModel::clear()
{
    setExecutions({});
}

void ExecutionListModel::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int row = 0; row < int(m_rows.size()); ++row)
        m_rowOf.insert(m_rows.at(row).entry.executionArn, row);
}

void ExecutionListModel::setTransactionPath(const QString &path)
{
    const QString p = path.trimmed().isEmpty() ? defaultTransactionPath() : path.trimmed();
    if (p == m_path)
        return;
    m_path = p;
    for (Row &row : m_rows)
        row.transaction = transactionOf(row.entry);
    Q_EMIT headerDataChanged(Qt::Horizontal, TransactionColumn, TransactionColumn);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, TransactionColumn), index(int(m_rows.size()) - 1, TransactionColumn));
}

void ExecutionListModel::setNow(const QDateTime &now)
{
    if (!now.isValid() || now == m_now)
        return;
    m_now = now;
    // Only running rows move; coalesce neighbours into ranges.
    int first = -1;
    for (int row = 0; row <= int(m_rows.size()); ++row) {
        const bool running = row < int(m_rows.size()) && !m_rows.at(row).entry.stopDate.isValid();
        if (running && first < 0)
            first = row;
        if (!running && first >= 0) {
            Q_EMIT dataChanged(index(first, DurationColumn), index(row - 1, DurationColumn),
                { Qt::DisplayRole, Qt::ToolTipRole, SortRole });
            first = -1;
        }
    }
}

qint64 ExecutionListModel::durationMs(const ExecutionEntry &entry) const
{
    if (!entry.startDate.isValid())
        return -1;
    const QDateTime end = entry.stopDate.isValid() ? entry.stopDate : m_now;
    return qMax<qint64>(0, entry.startDate.msecsTo(end));
}

int ExecutionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ExecutionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExecutionListModel::displayData(const Row &row, int column) const
{
    const ExecutionEntry &e = row.entry;
    switch (column) {
    case NameColumn:
        return e.name;
    case StatusColumn:
        return prettyConstant(e.status);
    case OutcomeColumn:
        if (e.outcomeLoaded) {
            QString text = prettyConstant(Saga::sagaOutcomeName(e.outcome));
            if (e.outcome == SagaOutcome::Running && e.compensating)
                text = tr("Compensating");
            return text;
        }
        if (!e.loadError.isEmpty())
            return QString(u"⚠ " + e.loadError.section(u'\n', 0, 0));
        return QStringLiteral("…");
    case StartedColumn:
        return formatLocalTime(e.startDate);
    case DurationColumn:
        return formatDurationMs(durationMs(e));
    case TransactionColumn:
        return row.transaction;
    default:
        return {};
    }
}

QVariant ExecutionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const ExecutionEntry &e = row.entry;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        switch (index.column()) {
        case NameColumn:
            return e.executionArn;
        case OutcomeColumn: {
            QStringList lines;
            if (e.outcomeLoaded)
                lines << (e.outcomeSentence.isEmpty() ? prettyConstant(Saga::sagaOutcomeName(e.outcome))
                                                      : e.outcomeSentence);
            if (e.outcomeLoaded && !e.dangling.isEmpty())
                lines << tr("Left committed: %1").arg(e.dangling.join(QStringLiteral(", ")));
            if (!e.loadError.isEmpty())
                lines << e.loadError;
            if (lines.isEmpty())
                lines << tr("The history is being analysed…");
            return lines.join(u'\n');
        }
        case StartedColumn:
            return e.startDate.isValid() ? e.startDate.toUTC().toString(Qt::ISODateWithMs) : QVariant();
        case DurationColumn:
            return e.stopDate.isValid() ? tr("Stopped %1").arg(formatLocalTime(e.stopDate)) : tr("Still running");
        case TransactionColumn:
            return m_path;
        default:
            return displayData(row, index.column());
        }
    case ArnRole:
        return e.executionArn;
    case StatusRole:
        return e.status;
    case OutcomeRole:
        return e.outcomeLoaded ? int(e.outcome) : -1;
    case InputRole:
        return e.inputLoaded ? e.input : QString();
    case TransactionRole:
        return row.transaction;
    case OrderRole:
        return m_order.at(index.row());
    case ToneRole:
        if (index.column() == StatusColumn)
            return int(executionStatusTone(e.status));
        if (index.column() == OutcomeColumn) {
            if (e.outcomeLoaded)
                return int(sagaOutcomeTone(e.outcome));
            return int(e.loadError.isEmpty() ? SagaTone::Muted : SagaTone::Error);
        }
        return int(SagaTone::Neutral);
    case SortRole:
        switch (index.column()) {
        case StartedColumn:
            return e.startDate.isValid() ? e.startDate.toMSecsSinceEpoch() : qint64(0);
        case DurationColumn:
            return durationMs(e);
        case OutcomeColumn:
            return e.outcomeLoaded ? int(e.outcome) : -1;
        case NameColumn:
            return e.name.toLower();
        default:
            return displayData(row, index.column());
        }
    default:
        return {};
    }
}

QVariant ExecutionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == TransactionColumn)
        return tr("The input value at %1").arg(m_path);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case OutcomeColumn:
        return tr("Outcome");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    case TransactionColumn:
        return tr("Transaction");
    default:
        return {};
    }
}

} // namespace Bramble::Models
