#pragma once

#include "asl/taskrunner.h"
#include "core/error.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace Bramble::LocalRuntime {

class TableStore;

// The builtin `seed-saga`: the seed saga's Lambda functions
// (resources/sagas/README.md) run in-process against the local TableStore,
// doing what seed-saga.moto.asl.json does with DynamoDB tasks.
//
// The functions are saga-<Step> (or <Step>): ProcessRecords,
// TransformRecords, CommitRecords and their <Step>Rollback. The transaction
// is the event's Payload.TransactionDetails (Payload may be JSON text, and
// the event a Parallel's array: its first element), keyed by TransactionId
// in table SagaTransactions (hash key TransactionId, S), which must exist.
//  - a step SETs attribute <Step> = "Sample <Step> data" (ProcessRecords also
//    SimulateFail = the flag, as the moto variant does);
//  - a rollback REMOVEs its step's attribute; ProcessRecordsRollback deletes
//    the item;
//  - the result is the event's Payload (the transaction travels on to the
//    next step, as the seed's Lambdas hand it on).
// Faults, with the field names of the Bramble saga simulator
// (tests/fakes/aslsimulator.h Faults), read from TransactionDetails:
// simulateFail (bool) makes step failAt (default CommitRecords) raise
// SimulatedFailure; with retries = n > 0 it raises
// Lambda.ServiceException on its first n attempts and then succeeds;
// failRollback names a rollback that raises SimulatedFailure. A failing step
// writes nothing. A DynamoDB error raises the error's type (e.g.
// ResourceNotFoundException when the table is missing), as the AWS SDK does.
QStringList seedSagaFunctions(); // saga-ProcessRecords, ... saga-ProcessRecordsRollback
bool isSeedSagaFunction(const QString &functionName);

// Creates the table the seed functions write (SagaTransactions, hash key
// TransactionId of type S) unless it exists. Idempotent.
Core::Error ensureSeedSagaTable(TableStore &tables);

TaskOutcome runSeedSagaFunction(TableStore &tables, const QString &functionName, const QJsonValue &event, int attempt);

} // namespace Bramble::LocalRuntime
