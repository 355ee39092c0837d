#include "core/error.h"

#include <QStringList>

namespace Bramble::Core {

QString SourceLocation::toString() const
{
    QString place = file;
    if (line > 0) {
        place += u':' + QString::number(line);
        if (column > 0)
            place += u':' + QString::number(column);
    }
    if (key.isEmpty())
        return place;
    return place.isEmpty() ? key : place + QStringLiteral(": ") + key;
}

QString Error::toString() const
{
    const QString place = where.toString();
    QString text = place.isEmpty() ? message : place + QStringLiteral(": ") + message;
    // Errors are printed as one line; fold any embedded newlines.
    text.replace(u'\n', u' ');
    return text;
}

} // namespace Bramble::Core
