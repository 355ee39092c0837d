#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

namespace Bramble::Aws {

// One [section] of an AWS shared config or credentials file.
struct IniSection {
    QString name; // as written between the brackets, not trimmed (as RawConfigParser)
    int line = 0; // 1-based line of the header
    QMap<QString, QString> values; // keys lower-cased; nested "s3 =\n  k = v" also as "s3.k" (k as written)
    QMap<QString, int> lines; // key -> 1-based line
};

struct IniFile {
    QString path;
    QList<IniSection> sections;
    Core::Errors errors;
    // Section name -> index in `sections`, kept by parseIni() so that
    // lookups stay O(1) with 100,000 profiles; section() falls back to a
    // scan when `sections` was changed without it.
    QHash<QString, qsizetype> index;

    bool ok() const { return errors.isEmpty(); }
    const IniSection *section(const QString &name) const;
};

// Parses the INI dialect botocore reads (Python's RawConfigParser): full-line
// comments with '#' or ';', "key = value" or "key: value", indented lines
// continue the previous value (nested settings), keys are case-insensitive,
// [DEFAULT] supplies values to every other section and is not one itself,
// a duplicate section or key in one file is an error, and so is any content
// before the first section header. Errors name the file and line.
IniFile parseIni(const QByteArray &text, const QString &path);

} // namespace Bramble::Aws
