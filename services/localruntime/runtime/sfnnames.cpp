#include "runtime/sfnnames.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringList>

namespace Bramble::LocalRuntime::SfnNames {

bool isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > 80)
        return false;
    static const QString forbidden = QStringLiteral("<>{}[]?*\"#%\\^|~`$&,;:/");
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        const char16_t u = c.unicode();
        if (c.isSpace() || forbidden.contains(c) || u <= 0x1f || (u >= 0x7f && u <= 0x9f) || u == 0xfffe || u == 0xffff)
            return false;
        if (c.isHighSurrogate()) {
            if (i + 1 >= name.size() || !name.at(i + 1).isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

QString stateMachineArn(const QString &region, const QString &account, const QString &name)
{
    return QStringLiteral("arn:aws:states:%1:%2:stateMachine:%3").arg(region, account, name);
}

QString executionArn(const QString &region, const QString &account, const QString &machine, const QString &name)
{
    return QStringLiteral("arn:aws:states:%1:%2:execution:%3:%4").arg(region, account, machine, name);
}

std::optional<ArnParts> parseArn(const QString &arn, const QString &resourceType)
{
    if (arn.isEmpty() || arn.size() > 2048)
        return std::nullopt;
    const QStringList parts = arn.split(QLatin1Char(':'));
    // arn:aws:states:REGION:ACCOUNT:TYPE:...
    if (parts.size() < 7 || parts.at(0) != QLatin1String("arn") || !parts.at(1).startsWith(QLatin1String("aws"))
        || parts.at(2) != QLatin1String("states") || parts.at(3).isEmpty() || parts.at(4).isEmpty()
        || parts.at(5) != resourceType)
        return std::nullopt;
    ArnParts result;
    result.region = parts.at(3);
    result.account = parts.at(4);
    result.resource = parts.mid(6);
    for (const QString &part : std::as_const(result.resource)) {
        if (part.isEmpty())
            return std::nullopt;
    }
    return result;
}

std::optional<QJsonValue> parseJsonValue(const QString &text)
{
    // QJsonDocument reads only objects and arrays: wrap the value in one.
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray("[\n") + text.toUtf8() + QByteArray("\n]"), &error);
    if (error.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

double nowSeconds()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

} // namespace Bramble::LocalRuntime::SfnNames
