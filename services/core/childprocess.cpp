#include "core/childprocess.h"

#include <QProcess>

namespace Bramble::Core {

void appendBounded(QByteArray &buffer, const QByteArray &chunk, qsizetype max)
{
    if (buffer.size() < max)
        buffer += chunk.left(max - buffer.size());
}

QString stderrTail(const QByteArray &err)
{
    constexpr qsizetype shown = 2000;
    QString text = QString::fromUtf8(err).trimmed();
    if (text.size() > shown)
        text = u'\u2026' + text.right(shown);
    text.replace(u'\n', QStringLiteral(" | "));
    text.remove(u'\r');
    return text;
}

void killProcessLater(QProcess *process, const QObject *owner)
{
    process->disconnect(owner);
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
        return;
    }
    process->setParent(nullptr);
    QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
    QObject::connect(process, &QProcess::errorOccurred, process, [process](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            process->deleteLater();
    });
    process->kill();
}

} // namespace Bramble::Core
