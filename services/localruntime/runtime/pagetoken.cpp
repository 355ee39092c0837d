#include "runtime/pagetoken.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace Bramble::LocalRuntime::PageToken {

namespace {

QString scopeDigest(const QString &operation, const QString &scope)
{
    const QByteArray bytes = operation.toUtf8() + '\n' + scope.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(24));
}

} // namespace

QString make(const QString &operation, const QString &scope, qint64 position)
{
    const QJsonObject object { { QStringLiteral("v"), 1 }, { QStringLiteral("s"), scopeDigest(operation, scope) },
        { QStringLiteral("p"), QString::number(position) } };
    return QString::fromLatin1(QJsonDocument(object)
                                   .toJson(QJsonDocument::Compact)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<qint64> read(const QString &token, const QString &operation, const QString &scope)
{
    if (token.isEmpty() || token.size() > 1024)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        token.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(*decoded).object();
    if (object.value(QStringLiteral("v")).toInt() != 1
        || object.value(QStringLiteral("s")).toString() != scopeDigest(operation, scope))
        return std::nullopt;
    bool ok = false;
    const qint64 position = object.value(QStringLiteral("p")).toString().toLongLong(&ok);
    if (!ok || position < 0)
        return std::nullopt;
    return position;
}

} // namespace Bramble::LocalRuntime::PageToken
