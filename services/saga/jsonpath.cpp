#include "saga/jsonpath.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QVariant>

#include <variant>

namespace Bramble::Saga {

namespace {

using Token = std::variant<QString, int>;

// Splits the path into member names and indexes; false with an error when
// the syntax is outside the subset.
bool tokenize(const QString &path, QList<Token> *tokens, QString *error)
{
    const auto fail = [&](qsizetype at, const QString &what) {
        if (error)
            *error = QStringLiteral("%1 at character %2 of \"%3\"").arg(what).arg(at + 1).arg(path);
        return false;
    };
    if (!path.startsWith(u'$'))
        return fail(0, QStringLiteral("a path starts with $"));
    qsizetype i = 1;
    const qsizetype n = path.size();
    while (i < n) {
        const QChar c = path.at(i);
        if (c == u'.') {
            qsizetype j = ++i;
            while (j < n && path.at(j) != u'.' && path.at(j) != u'[')
                ++j;
            const QString name = path.mid(i, j - i);
            if (name.isEmpty())
                return fail(i, QStringLiteral("a member name is missing"));
            if (name.contains(u'*') || name.contains(u' '))
                return fail(i, QStringLiteral("wildcards and spaces need ['...']"));
            tokens->append(name);
            i = j;
        } else if (c == u'[') {
            ++i;
            if (i < n && (path.at(i) == u'\'' || path.at(i) == u'"')) {
                const QChar quote = path.at(i);
                const qsizetype close = path.indexOf(quote, i + 1);
                if (close < 0 || close + 1 >= n || path.at(close + 1) != u']')
                    return fail(i, QStringLiteral("an unclosed quoted name"));
                tokens->append(path.mid(i + 1, close - i - 1));
                i = close + 2;
            } else {
                const qsizetype close = path.indexOf(u']', i);
                bool ok = false;
                const int index = close < 0 ? -1 : path.mid(i, close - i).toInt(&ok);
                if (!ok || index < 0)
                    return fail(i, QStringLiteral("an index must be a number ≥ 0"));
                tokens->append(index);
                i = close + 1;
            }
        } else {
            return fail(i, QStringLiteral("expected . or ["));
        }
    }
    return true;
}

} // namespace

bool isValidJsonPath(const QString &path, QString *error)
{
    QList<Token> tokens;
    return tokenize(path.trimmed(), &tokens, error);
}

QJsonValue jsonPathValue(const QJsonValue &root, const QString &path, QString *error)
{
    QList<Token> tokens;
    if (!tokenize(path.trimmed(), &tokens, error))
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue v = root;
    QString walked = QStringLiteral("$");
    for (const Token &t : std::as_const(tokens)) {
        if (const QString *name = std::get_if<QString>(&t)) {
            if (!v.isObject() || !v.toObject().contains(*name)) {
                if (error)
                    *error = QStringLiteral("%1 has no member \"%2\"").arg(walked, *name);
                return QJsonValue(QJsonValue::Undefined);
            }
            v = v.toObject().value(*name);
            walked += u'.' + *name;
        } else {
            const int index = std::get<int>(t);
            if (!v.isArray() || index >= v.toArray().size()) {
                if (error)
                    *error = QStringLiteral("%1 has no element %2").arg(walked).arg(index);
                return QJsonValue(QJsonValue::Undefined);
            }
            v = v.toArray().at(index);
            walked += QStringLiteral("[%1]").arg(index);
        }
    }
    return v;
}

} // namespace Bramble::Saga
