#include "aws/inifile.h"

#include <QStringList>

namespace Bramble::Aws {

using Core::Error;

const IniSection *IniFile::section(const QString &name) const
{
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
    auto fail = [&](int lineNo, const QString &message) { ini.errors.append(Error(message, {path, lineNo, 0, {}})); };

    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QString raw = lines.at(i);
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        const QString trimmed = raw.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#') || trimmed.startsWith(u';'))
            continue;

        const bool indented = raw.front().isSpace();
        if (indented && current && !lastKey.isEmpty()) {
            // Continuation of the previous value; botocore reads "k = v" lines
            // inside it as nested settings.
            QString &value = current->values[lastKey];
            value += (value.isEmpty() ? QString() : QStringLiteral("\n")) + trimmed;
            const qsizetype eq = trimmed.indexOf(u'=');
            if (eq > 0) {
                const QString sub = lastKey + u'.' + trimmed.left(eq).trimmed().toLower();
                current->values.insert(sub, trimmed.mid(eq + 1).trimmed());
                current->lines.insert(sub, lineNo);
            }
            continue;
        }

        if (trimmed.startsWith(u'[')) {
            const qsizetype close = trimmed.lastIndexOf(u']');
            const QString name = close > 1 ? trimmed.mid(1, close - 1).trimmed() : QString();
            if (name.isEmpty()) {
                fail(lineNo, QStringLiteral("malformed section header \"%1\"").arg(trimmed));
                current = nullptr;
                continue;
            }
            if (ini.section(name)) {
                fail(lineNo, QStringLiteral("section [%1] appears twice").arg(name));
                current = nullptr;
                continue;
            }
            ini.sections.append(IniSection{name, lineNo, {}, {}});
            current = &ini.sections.last();
            lastKey.clear();
            continue;
        }

        if (!current) {
            if (ini.sections.isEmpty())
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
        current->values.insert(key, trimmed.mid(sep + 1).trimmed());
        current->lines.insert(key, lineNo);
        lastKey = key;
    }
    return ini;
}

} // namespace Bramble::Aws
