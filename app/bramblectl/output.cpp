#include "output.h"

#include "core/jsonwriter.h"

#include <QFileDevice>
#include <QIODevice>

namespace Bramble::Cli {

void printJson(QTextStream &out, const QJsonValue &value)
{
    Core::JsonWriter writer(4);
    writer.value(value);
    printJson(out, writer);
}

void printJson(QTextStream &out, Core::JsonWriter &writer)
{
    printBytes(out, writer.take() + '\n');
}

void printJsonLine(QTextStream &out, const QJsonValue &value)
{
    Core::JsonWriter writer(0);
    writer.value(value);
    printJson(out, writer);
}

void printBytes(QTextStream &out, const QByteArray &bytes)
{
    out.flush();
    // Megabytes of JSON (5,000 nodes): straight to the file, not through
    // QTextStream's UTF-16 round trip.
    if (QIODevice *device = out.device()) {
        device->write(bytes);
        if (auto *file = qobject_cast<QFileDevice *>(device))
            file->flush();
    } else {
        out << QString::fromUtf8(bytes);
    }
    out.flush();
}

void printTable(QTextStream &out, const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i)
            text += i + 1 < cells.size() ? cells.at(i).leftJustified(widths.at(i) + 3) : cells.at(i);
        while (text.endsWith(u' '))
            text.chop(1);
        out << text << '\n';
    };
    line(headers);
    for (const QStringList &row : rows)
        line(row);
    out.flush();
}

} // namespace Bramble::Cli
