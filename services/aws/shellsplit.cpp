#include "aws/shellsplit.h"

#include <utility>

namespace Bramble::Aws {

std::optional<QStringList> shellSplit(const QString &s)
{
    QStringList parts;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c == u' ' || c == u'\t' || c == u'\r' || c == u'\n') {
            if (inWord)
                parts.append(std::exchange(word, QString()));
            inWord = false;
        } else if (c == u'\'') {
            const qsizetype end = s.indexOf(u'\'', i + 1);
            if (end < 0)
                return std::nullopt;
            word += s.mid(i + 1, end - i - 1);
            i = end;
            inWord = true;
        } else if (c == u'"') {
            qsizetype j = i + 1;
            for (; j < s.size() && s.at(j) != u'"'; ++j) {
                // shlex: inside double quotes only the quote and the backslash itself are escapable.
                if (s.at(j) == u'\\' && j + 1 < s.size() && (s.at(j + 1) == u'"' || s.at(j + 1) == u'\\'))
                    ++j;
                word += s.at(j);
            }
            if (j >= s.size())
                return std::nullopt;
            i = j;
            inWord = true;
        } else if (c == u'\\') {
            if (i + 1 >= s.size())
                return std::nullopt;
            word += s.at(++i);
            inWord = true;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        parts.append(word);
    return parts;
}

} // namespace Bramble::Aws
