#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Bramble::Saga {

// Where a saga keeps its transaction record: a DynamoDB table, the name of
// its key attribute, and the JSONPath that takes the key's value from the
// execution input (default $.Payload.TransactionDetails.TransactionId).
struct RecordSource {
    static QString defaultKeyPath() { return QStringLiteral("$.Payload.TransactionDetails.TransactionId"); }

    QString table;
    QString keyAttribute;
    QString keyPath = defaultKeyPath();
    QString origin; // where table/key came from: "definition (ProcessRecords)", "settings"

    bool isComplete() const { return !table.isEmpty() && !keyAttribute.isEmpty() && !keyPath.isEmpty(); }
    bool operator==(const RecordSource &o) const
    {
        return table == o.table && keyAttribute == o.keyAttribute && keyPath == o.keyPath;
    }
};

// Reads the record's location from the definition's DynamoDB tasks
// (Resource arn:aws:states:::dynamodb:*, Parameters or Arguments): TableName,
// the first attribute of Key and, when its value is {"S.$": path} (or N.$),
// that path. The first task that names a table wins; an incomplete source
// when the definition has none (Lambda tasks hide their writes).
RecordSource recordSourceFromDefinition(const QJsonObject &definition);

// The GetItem key for one execution's input: {"<keyAttribute>": value}, or an
// error saying why there is none (no source, input not JSON, path not found,
// a value that is not a string or number).
struct RecordKey {
    QJsonObject key;
    QString error;
    bool isValid() const { return error.isEmpty() && !key.isEmpty(); }
};
RecordKey recordKeyFor(const RecordSource &source, const QString &inputJson);

// Attributes of the record that a forward step wrote (the attribute is named
// after the step, e.g. ProcessRecords or ProcessRecordsSample): what a
// rollback left behind when the saga did not commit.
QStringList attributesOfSteps(const QJsonObject &item, const QStringList &forwardSteps);

} // namespace Bramble::Saga
