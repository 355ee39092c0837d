#include "core/error.h"

#include <QStringList>

namespace Bramble::Core {

namespace {

// Bounds for the parts of one error line.
constexpr int MaxFileChars = 240;
constexpr int MaxKeyChars = 160;
constexpr int MaxMessageChars = 1000;
constexpr int MaxShortChars = 120; // reason, operation

} // namespace

QString oneLine(QStringView text, int maxChars)
{
    QString out;
    out.reserve(qMin<qsizetype>(text.size(), maxChars) + 8);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x20 && u != 0x7f && !(u >= 0x80 && u < 0xa0) && u != 0x2028 && u != 0x2029) {
            out.append(c);
            continue;
        }
        switch (u) {
        case u'\n':
            out.append(u"\\n");
            break;
        case u'\r':
            out.append(u"\\r");
            break;
        case u'\t':
            out.append(u"\\t");
            break;
        case 0:
            out.append(u"\\0");
            break;
        default:
            out.append(u"\\x" + QString::number(u, 16).rightJustified(u > 0xff ? 4 : 2, u'0'));
        }
    }
    if (maxChars > 0 && out.size() > maxChars) {
        const qsizetype keep = qMax<qsizetype>(maxChars - 1, 2);
        const qsizetype head = keep - keep / 3;
        const qsizetype tail = keep - head;
        out = out.left(head) + u'…' + out.right(tail);
    }
    return out;
}

QString SourceLocation::toString() const
{
    QString place = oneLine(file, MaxFileChars);
    if (line > 0) {
        place += u':' + QString::number(line);
        if (column > 0)
            place += u':' + QString::number(column);
    }
    if (key.isEmpty())
        return place;
    const QString k = oneLine(key, MaxKeyChars);
    return place.isEmpty() ? k : place + QStringLiteral(": ") + k;
}

QString Error::toString() const
{
    QStringList parts;
    const QString place = where.toString();
    if (!place.isEmpty())
        parts << place;
    if (!operation.isEmpty())
        parts << oneLine(operation, MaxShortChars);
    if (!reason.isEmpty() && !message.startsWith(reason))
        parts << oneLine(reason, MaxShortChars);
    parts << oneLine(message, MaxMessageChars);
    QString text = parts.join(QStringLiteral(": "));
    QStringList extra;
    if (httpStatus > 0)
        extra << QStringLiteral("HTTP %1").arg(httpStatus);
    if (attempts > 1)
        extra << QStringLiteral("%1 attempts").arg(attempts);
    if (!requestId.isEmpty())
        extra << QStringLiteral("request id ") + oneLine(requestId, MaxShortChars);
    if (!extra.isEmpty())
        text += QStringLiteral(" (") + extra.join(QStringLiteral(", ")) + u')';
    return text;
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Usage:
        return QStringLiteral("usage");
    case Kind::Input:
        return QStringLiteral("input");
    case Kind::Auth:
        return QStringLiteral("auth");
    case Kind::NotFound:
        return QStringLiteral("not found");
    case Kind::Throttled:
        return QStringLiteral("throttled");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("error");
}

Error::Kind Error::kindOfHttpStatus(int status)
{
    if (status == 401 || status == 403)
        return Kind::Auth;
    if (status == 404 || status == 410)
        return Kind::NotFound;
    if (status == 429)
        return Kind::Throttled;
    if (status == 400 || status == 422)
        return Kind::Input;
    return Kind::Server;
}

} // namespace Bramble::Core
