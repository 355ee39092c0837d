#pragma once

#include <QString>

namespace Bramble::Ui {

// "1 context", "3 contexts". English plurals without shipping a .qm file.
inline QString countOf(qsizetype n, const QString &one, const QString &many)
{
    return QString::number(n) + u' ' + (n == 1 ? one : many);
}

} // namespace Bramble::Ui
