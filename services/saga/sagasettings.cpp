#include "saga/sagasettings.h"

#include <QJsonDocument>
#include <QSettings>

namespace Bramble::Saga {

QJsonObject MachineSettings::toJson() const
{
    QJsonObject o;
    if (!roles.isEmpty())
        o.insert(QStringLiteral("roles"), roles.toJson());
    const auto put = [&](const char *name, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(name), value);
    };
    put("recordTable", recordTable);
    put("recordKeyAttribute", recordKeyAttribute);
    put("recordKeyPath", recordKeyPath);
    put("lastInput", lastInput);
    return o;
}

MachineSettings MachineSettings::fromJson(const QJsonObject &json)
{
    MachineSettings s;
    s.roles = RoleOverrides::fromJson(json.value(QStringLiteral("roles")).toObject());
    s.recordTable = json.value(QStringLiteral("recordTable")).toString();
    s.recordKeyAttribute = json.value(QStringLiteral("recordKeyAttribute")).toString();
    s.recordKeyPath = json.value(QStringLiteral("recordKeyPath")).toString();
    s.lastInput = json.value(QStringLiteral("lastInput")).toString();
    return s;
}

RecordSource effectiveRecordSource(const RecordSource &fromDefinition, const MachineSettings &settings)
{
    RecordSource r = fromDefinition;
    bool changed = false;
    if (!settings.recordTable.isEmpty()) {
        r.table = settings.recordTable;
        changed = true;
    }
    if (!settings.recordKeyAttribute.isEmpty()) {
        r.keyAttribute = settings.recordKeyAttribute;
        changed = true;
    }
    if (!settings.recordKeyPath.isEmpty()) {
        r.keyPath = settings.recordKeyPath;
        changed = true;
    }
    if (r.keyPath.isEmpty())
        r.keyPath = RecordSource::defaultKeyPath();
    if (changed)
        r.origin = QStringLiteral("settings");
    return r;
}

QString SagaSettingsStore::key(const QString &machineArn) const
{
    return QStringLiteral("sagas/machines/")
        + QString::fromLatin1(
            machineArn.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

MachineSettings SagaSettingsStore::load(const QString &machineArn) const
{
    if (!m_settings)
        return {};
    const QByteArray text = m_settings->value(key(machineArn)).toByteArray();
    return MachineSettings::fromJson(QJsonDocument::fromJson(text).object());
}

void SagaSettingsStore::save(const QString &machineArn, const MachineSettings &settings)
{
    if (!m_settings)
        return;
    const QJsonObject json = settings.toJson();
    if (json.isEmpty())
        m_settings->remove(key(machineArn));
    else
        m_settings->setValue(key(machineArn), QJsonDocument(json).toJson(QJsonDocument::Compact));
}

} // namespace Bramble::Saga
