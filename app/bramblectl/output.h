#pragma once

#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <QTextStream>

namespace Bramble::Cli {

// Indented JSON followed by a newline.
void printJson(QTextStream &out, const QJsonValue &value);

// Bytes that are already UTF-8 text (JSON from Core::JsonWriter), written
// straight to the stream's device when it has one; flushed.
void printBytes(QTextStream &out, const QByteArray &bytes);

// A kubectl-style table: upper-case headers, columns padded to the widest
// cell plus three spaces, no trailing blanks.
void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows);

} // namespace Bramble::Cli
