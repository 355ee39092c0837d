#pragma once

#include <QByteArray>
#include <QString>

class QObject;
class QProcess;

namespace Bramble::Core {

// Helpers for jobs that run a command and read its output (a credential
// process, a local Lambda function). GUI thread safe: nothing here blocks.

// Appends chunk to buffer, keeping buffer at most max bytes (the rest of the
// chunk is dropped).
void appendBounded(QByteArray &buffer, const QByteArray &chunk, qsizetype max);

// The end of what a command wrote to stderr, on one line: trimmed, at most
// 2,000 characters (an ellipsis before when cut), lines joined by " | ".
QString stderrTail(const QByteArray &err);

// Ends a process its owner has let go of, without waitForFinished: cuts the
// owner's connections, kills the command if it runs and lets the QProcess
// delete itself once reaped. The process is unparented, so deleting the owner
// does not block in ~QProcess.
void killProcessLater(QProcess *process, const QObject *owner);

} // namespace Bramble::Core
