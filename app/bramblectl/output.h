#pragma once

#include <QJsonValue>
#include <QList>
#include <QStringList>
#include <QTextStream>

namespace Bramble::Core {
class JsonWriter;
}

namespace Bramble::Cli {

// The one output layer of bramblectl. Every command prints through these:
// tables for people, and JSON through Core::JsonWriter (indented documents
// for --json, one compact line per record for JSON Lines). Nothing else in
// app/bramblectl serialises JSON.

// An indented JSON document followed by a newline.
void printJson(QTextStream &out, const QJsonValue &value);
// What a JsonWriter built (indented or not), followed by a newline; the
// writer is emptied, so one writer can serve line after line.
void printJson(QTextStream &out, Core::JsonWriter &writer);
// One JSON Lines record: compact, one line, newline-terminated, flushed
// (followers print as events arrive).
void printJsonLine(QTextStream &out, const QJsonValue &value);

// Bytes that are already UTF-8 text (YAML, a script), written straight to
// the stream's device when it has one; flushed.
void printBytes(QTextStream &out, const QByteArray &bytes);

// A kubectl-style table: upper-case headers, columns padded to the widest
// cell plus three spaces, no trailing blanks.
void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows);

} // namespace Bramble::Cli
