#pragma once

#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <QTextStream>

namespace Bramble::Cli {

// Indented JSON followed by a newline.
void printJson(QTextStream &out, const QJsonValue &value);

// A kubectl-style table: upper-case headers, columns padded to the widest
// cell plus three spaces, no trailing blanks.
void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows);

} // namespace Bramble::Cli
