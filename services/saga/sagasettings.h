#pragma once

#include "saga/sagaanalysis.h"
#include "saga/transactionrecord.h"

#include <QJsonObject>
#include <QString>

class QSettings;

namespace Bramble::Saga {

// What the user set for one state machine: role overrides, where its
// transaction record lives (empty fields: taken from the definition) and
// the last input an execution was started with.
struct MachineSettings {
    RoleOverrides roles;
    QString recordTable;
    QString recordKeyAttribute;
    QString recordKeyPath; // empty: the definition's, else RecordSource::defaultKeyPath()
    QString lastInput;

    QJsonObject toJson() const;
    static MachineSettings fromJson(const QJsonObject &json);
    bool operator==(const MachineSettings &o) const
    {
        return roles == o.roles && recordTable == o.recordTable && recordKeyAttribute == o.recordKeyAttribute
            && recordKeyPath == o.recordKeyPath && lastInput == o.lastInput;
    }
};

// The record source in force: the settings' fields where set, else the
// definition's.
RecordSource effectiveRecordSource(const RecordSource &fromDefinition, const MachineSettings &settings);

// MachineSettings per state machine ARN in a QSettings (key
// "sagas/machines/<ARN, base64url>", one JSON document each).
class SagaSettingsStore {
public:
    explicit SagaSettingsStore(QSettings *settings)
        : m_settings(settings)
    {
    }

    MachineSettings load(const QString &machineArn) const;
    void save(const QString &machineArn, const MachineSettings &settings);

private:
    QString key(const QString &machineArn) const;
    QSettings *m_settings;
};

} // namespace Bramble::Saga
