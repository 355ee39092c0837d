#pragma once

#include <QString>

namespace Bramble::Ui {

// "1 context", "3 contexts". English plurals without shipping a .qm file.
inline QString countOf(qsizetype n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

// "850 B", "12.3 KiB": payload sizes against Step Functions' 256 KiB quota.
inline QString byteSize(qsizetype bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
}

} // namespace Bramble::Ui
