#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Bramble::Test {

// FakeAwsServer's Step Functions execution simulator (internal to
// bramble_fakes; fakeawsserver.h documents what it simulates and the failure
// model). It runs an ASL definition over an input and returns the history AWS
// would write, without executing any Task. Pure functions over values: any
// thread, nothing kept between calls.

// The failure model of one run, read from the execution input's
// $.Payload.TransactionDetails.
struct Faults {
    bool enabled = true;
    bool simulateFail = false;
    QString failAt = QStringLiteral("CommitRecords");
    QString failRollback;
    int retries = 0;
};

// One simulated event, before it is released: the event (no timestamp yet),
// when it happens on the simulated clock, its DynamoDB effect, and where a
// redrive would resume if the execution ended right after it.
struct SimEvent {
    QJsonObject event;
    qint64 offsetMs = 0; // from the start of the simulated run
    QJsonObject effect; // {"op": "put"|"remove", "attribute": X}
    QString resumeState;
    QJsonValue resumeInput;
};

// A new execution's history, from ExecutionStarted (id 1) to its terminal
// event (at most 25,000 events). `input` is JSON text ({} when it is not JSON).
// hasTransaction: succeeded Tasks carry a DynamoDB effect.
QList<SimEvent> simulateExecution(const QJsonObject &definition, const QString &input, const QString &roleArn,
    const QString &region, const Faults &faults, bool hasTransaction);

// A redrive's history, with the failure model off: ExecutionRedriven (id
// lastEventId + 1), then the run from `state` with `input` to a terminal event.
QList<SimEvent> simulateRedrive(const QJsonObject &definition, int redriveCount, qint64 lastEventId,
    const QString &state, const QJsonValue &input, const QString &region, bool hasTransaction);

// JSON helpers the server shares with the simulator.

// Any JSON value as compact text (QJsonDocument holds only objects and arrays).
QString jsonText(const QJsonValue &value);
// Any JSON text (scalars too); nullopt, with `error` set, when it is not JSON.
std::optional<QJsonValue> parseJson(const QString &text, QString *error = nullptr);
// The member of a history event that holds its details ("taskFailedEventDetails").
QString eventDetailsKey(const QString &type);

} // namespace Bramble::Test
