#include "aws/inifile.h"

#include <QStringList>

namespace Bramble::Aws {

using Core::Error;

const IniSection *IniFile::section(const QString &name) const
{
    if (index.size() == sections.size()) {
        const qsizetype i = index.value(name, -1);
        return i >= 0 && sections.at(i).name == name ? &sections.at(i) : nullptr;
    }
    for (const IniSection &s : sections)
        if (s.name == name)
            return &s;
    return nullptr;
}

IniFile parseIni(const QByteArray &text, const QString &path)
{
    IniFile ini;
    ini.path = path;
    const QStringList lines = QString::fromUtf8(text).split(u'\n');
    IniSection *current = nullptr;
    QString lastKey;
    qsizetype lastKeyIndent = 0; // indentation of lastKey's own line
    bool nested = false; // lastKey's value was empty on its line: a block of "k = v" settings
    int blankLines = 0; // blank lines since lastKey's last line: kept if the value goes on
    // RawConfigParser's [DEFAULT] is not a section: its values are every
    // section's fallbacks, and it may appear more than once.
    IniSection defaults { QStringLiteral("DEFAULT"), 0, {}, {} };
    bool hasDefaults = false;
    auto fail = [&](int lineNo, const QString &message) { ini.errors.append(Error(message, { path, lineNo, 0, {} })); };

    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QString raw = lines.at(i);
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        const QString trimmed = raw.trimmed();
        if (trimmed.isEmpty())
            ++blankLines;
        if (trimmed.isEmpty() || trimmed.startsWith(u'#') || trimmed.startsWith(u';'))
            continue;

        qsizetype indent = 0;
        while (indent < raw.size() && raw.at(indent).isSpace())
            ++indent;
        // RawConfigParser: a line indented deeper than the key's line continues its value.
        if (current && !lastKey.isEmpty() && indent > lastKeyIndent) {
            QString &value = current->values[lastKey];
            if (!value.isEmpty())
                value += QString(blankLines + 1, u'\n');
            value += trimmed;
            blankLines = 0;
            // botocore (_parse_nested) reads the block under an empty value as
            // "k = v" settings; a line without '=' there is an error.
            if (nested) {
                const qsizetype eq = trimmed.indexOf(u'=');
                if (eq <= 0) {
                    fail(lineNo,
                        QStringLiteral("expected \"key = value\" in the nested settings of \"%1\"").arg(lastKey));
                    continue;
                }
                const QString sub = lastKey + u'.' + trimmed.left(eq).trimmed(); // botocore keeps its case
                current->values.insert(sub, trimmed.mid(eq + 1).trimmed());
                current->lines.insert(sub, lineNo);
            }
            continue;
        }

        if (trimmed.startsWith(u'[')) {
            const qsizetype close = trimmed.lastIndexOf(u']');
            // As written between the brackets: RawConfigParser does not trim it.
            const QString name = close > 1 ? trimmed.mid(1, close - 1) : QString();
            if (name.isEmpty()) {
                fail(lineNo, QStringLiteral("malformed section header \"%1\"").arg(trimmed));
                current = nullptr;
                continue;
            }
            if (name == defaults.name) {
                hasDefaults = true;
                current = &defaults;
                lastKey.clear();
                continue;
            }
            if (ini.section(name)) {
                fail(lineNo, QStringLiteral("section [%1] appears twice").arg(name));
                current = nullptr;
                continue;
            }
            ini.index.insert(name, ini.sections.size());
            ini.sections.append(IniSection { name, lineNo, {}, {} });
            current = &ini.sections.last();
            lastKey.clear();
            continue;
        }

        if (!current) {
            if (ini.sections.isEmpty() && !hasDefaults)
                fail(lineNo, QStringLiteral("expected a [section] header before this line"));
            continue; // inside a section that already failed
        }

        const qsizetype eq = trimmed.indexOf(u'=');
        const qsizetype colon = trimmed.indexOf(u':');
        qsizetype sep = eq;
        if (sep < 0 || (colon >= 0 && colon < sep))
            sep = colon;
        if (sep <= 0) {
            fail(lineNo, QStringLiteral("expected \"key = value\" in section [%1]").arg(current->name));
            lastKey.clear();
            continue;
        }
        const QString key = trimmed.left(sep).trimmed().toLower();
        if (current->values.contains(key)) {
            fail(lineNo, QStringLiteral("key \"%1\" appears twice in section [%2]").arg(key, current->name));
            lastKey.clear();
            continue;
        }
        const QString value = trimmed.mid(sep + 1).trimmed();
        current->values.insert(key, value);
        current->lines.insert(key, lineNo);
        lastKey = key;
        lastKeyIndent = indent;
        nested = value.isEmpty();
        blankLines = 0;
    }
    for (IniSection &section : ini.sections) {
        const QMap<QString, QString> own = section.values;
        for (auto it = defaults.values.cbegin(); it != defaults.values.cend(); ++it) {
            // A nested "s3.k" goes with its "s3": a section's own s3 replaces the whole block.
            const QString top = it.key().section(u'.', 0, 0);
            const bool nestedKey = top != it.key() && defaults.values.contains(top);
            if (!own.contains(nestedKey ? top : it.key())) {
                section.values.insert(it.key(), it.value());
                section.lines.insert(it.key(), defaults.lines.value(it.key()));
            }
        }
    }
    return ini;
}

} // namespace Bramble::Aws
