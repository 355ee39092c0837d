#include "asl/intrinsics.h"

#include "asl/statesfault.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>

#include <cmath>

namespace Bramble::LocalRuntime::Asl {

namespace {

constexpr QChar EscapedOpen(0xE000);
constexpr QChar EscapedClose(0xE001);

QString restoreBraces(QString s)
{
    return s.replace(EscapedOpen, u'{').replace(EscapedClose, u'}');
}

[[noreturn]] void fail(const QString &cause)
{
    throw StatesFault { QStringLiteral("States.IntrinsicFailure"), cause };
}

// A recursive-descent reader over one expression.
class Parser {
public:
    Parser(const QString &text, const PathEnv &env)
        : m_s(text)
        , m_env(env)
    {
    }

    QJsonValue parseAll()
    {
        skipSpace();
        const QJsonValue v = parseCall();
        skipSpace();
        if (m_i != m_s.size())
            fail(QStringLiteral("Unexpected text after the call at character %1 of \"%2\"").arg(m_i + 1).arg(m_s));
        return v;
    }

private:
    void skipSpace()
    {
        while (m_i < m_s.size() && m_s.at(m_i).isSpace())
            ++m_i;
    }

    QJsonValue parseCall()
    {
        const qsizetype begin = m_i;
        while (m_i < m_s.size() && (m_s.at(m_i).isLetterOrNumber() || m_s.at(m_i) == u'.'))
            ++m_i;
        const QString name = m_s.mid(begin, m_i - begin);
        skipSpace();
        if (!name.startsWith(u"States.") || m_i >= m_s.size() || m_s.at(m_i) != u'(')
            fail(QStringLiteral("Expected a States.* function call at character %1 of \"%2\"").arg(begin + 1).arg(m_s));
        ++m_i;
        QJsonArray args;
        skipSpace();
        if (m_i < m_s.size() && m_s.at(m_i) == u')') {
            ++m_i;
            return call(name, args);
        }
        for (;;) {
            skipSpace();
            args.append(parseArgument());
            skipSpace();
            if (m_i >= m_s.size())
                fail(QStringLiteral("Missing ')' in \"%1\"").arg(m_s));
            if (m_s.at(m_i) == u')') {
                ++m_i;
                break;
            }
            if (m_s.at(m_i) != u',')
                fail(QStringLiteral("Expected ',' or ')' at character %1 of \"%2\"").arg(m_i + 1).arg(m_s));
            ++m_i;
        }
        return call(name, args);
    }

    QJsonValue parseArgument()
    {
        if (m_i >= m_s.size())
            fail(QStringLiteral("Missing argument in \"%1\"").arg(m_s));
        const QChar c = m_s.at(m_i);
        if (c == u'\'')
            return parseString();
        if (c == u'$')
            return parsePath();
        if (c == u'-' || c.isDigit())
            return parseNumber();
        for (const auto &[word, value] : { std::pair { QStringLiteral("null"), QJsonValue() },
                 std::pair { QStringLiteral("true"), QJsonValue(true) },
                 std::pair { QStringLiteral("false"), QJsonValue(false) } }) {
            if (QStringView(m_s).mid(m_i).startsWith(word)) {
                const qsizetype after = m_i + word.size();
                if (after >= m_s.size() || !m_s.at(after).isLetterOrNumber()) {
                    m_i = after;
                    return value;
                }
            }
        }
        return parseCall();
    }

    QJsonValue parseString()
    {
        QString out;
        ++m_i;
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i++);
            if (c == u'\\') {
                if (m_i >= m_s.size())
                    break;
                const QChar e = m_s.at(m_i++);
                // \{ and \} are literal braces: marked so that States.Format
                // does not take them for a placeholder (restored in call()).
                out += e == u'{' ? EscapedOpen : (e == u'}' ? EscapedClose : e);
            } else if (c == u'\'') {
                return out;
            } else {
                out += c;
            }
        }
        fail(QStringLiteral("Unterminated string in \"%1\"").arg(m_s));
    }

    QJsonValue parseNumber()
    {
        const qsizetype begin = m_i;
        ++m_i;
        while (m_i < m_s.size()
            && (m_s.at(m_i).isDigit() || m_s.at(m_i) == u'.' || m_s.at(m_i) == u'e' || m_s.at(m_i) == u'E'
                || ((m_s.at(m_i) == u'-' || m_s.at(m_i) == u'+')
                    && (m_s.at(m_i - 1) == u'e' || m_s.at(m_i - 1) == u'E'))))
            ++m_i;
        bool ok = false;
        const double d = m_s.mid(begin, m_i - begin).toDouble(&ok);
        if (!ok)
            fail(QStringLiteral("Invalid number at character %1 of \"%2\"").arg(begin + 1).arg(m_s));
        return d;
    }

    QJsonValue parsePath()
    {
        const qsizetype begin = m_i;
        QChar quote;
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (c == u'\'' || c == u'"') {
                quote = c;
            } else if (c == u',' || c == u')' || c.isSpace()) {
                break;
            }
            ++m_i;
        }
        const QString path = m_s.mid(begin, m_i - begin);
        QJsonValue v;
        try {
            v = readPath(path, m_env);
        } catch (const StatesFault &f) {
            fail(f.cause);
        }
        if (v.isUndefined())
            fail(QStringLiteral("The path \"%1\" leads nowhere in \"%2\"").arg(path, m_s));
        return v;
    }

    QJsonValue call(const QString &name, const QJsonArray &args);

    const QString &m_s;
    const PathEnv &m_env;
    qsizetype m_i = 0;
};

void arity(const QString &name, const QJsonArray &args, int min, int max)
{
    if (args.size() < min || args.size() > max)
        fail(QStringLiteral("%1 takes %2 arguments, got %3")
                 .arg(name, min == max ? QString::number(min) : QStringLiteral("%1 to %2").arg(min).arg(max))
                 .arg(args.size()));
}

QString stringArg(const QString &name, const QJsonArray &args, int i)
{
    if (!args.at(i).isString())
        fail(QStringLiteral("Argument %1 of %2 must be a string, got %3").arg(i + 1).arg(name, jsonText(args.at(i))));
    return args.at(i).toString();
}

QJsonArray arrayArg(const QString &name, const QJsonArray &args, int i)
{
    if (!args.at(i).isArray())
        fail(QStringLiteral("Argument %1 of %2 must be an array, got %3").arg(i + 1).arg(name, jsonText(args.at(i))));
    return args.at(i).toArray();
}

qint64 integerArg(const QString &name, const QJsonArray &args, int i)
{
    const QJsonValue v = args.at(i);
    if (!v.isDouble() || std::floor(v.toDouble()) != v.toDouble() || std::abs(v.toDouble()) > 9.0e15)
        fail(QStringLiteral("Argument %1 of %2 must be an integer, got %3").arg(i + 1).arg(name, jsonText(v)));
    return qint64(v.toDouble());
}

QString format(const QString &tmpl, const QJsonArray &args)
{
    QString out;
    int used = 1;
    for (qsizetype i = 0; i < tmpl.size(); ++i) {
        const QChar c = tmpl.at(i);
        if (c == EscapedOpen || c == EscapedClose) {
            out += c == EscapedOpen ? u'{' : u'}';
        } else if (c == u'{' && i + 1 < tmpl.size() && tmpl.at(i + 1) == u'}') {
            if (used >= args.size())
                fail(QStringLiteral("States.Format: more {} than arguments in \"%1\"").arg(tmpl));
            const QJsonValue a = args.at(used++);
            if (a.isObject() || a.isArray())
                fail(QStringLiteral("States.Format: an argument must be a string, number, boolean or null"));
            out += a.isString() ? a.toString() : jsonText(a);
            ++i;
        } else {
            out += c;
        }
    }
    if (used != args.size())
        fail(QStringLiteral("States.Format: %1 arguments for %2 {} in \"%3\"")
                 .arg(args.size() - 1)
                 .arg(used - 1)
                 .arg(restoreBraces(tmpl)));
    return out;
}

QJsonValue Parser::call(const QString &name, const QJsonArray &rawArgs)
{
    QJsonArray args = rawArgs;
    if (name != u"States.Format")
        for (qsizetype i = 0; i < args.size(); ++i)
            if (args.at(i).isString())
                args.replace(i, restoreBraces(args.at(i).toString()));
    const auto is = [&](const char *n) { return name == QLatin1String(n); };
    if (is("States.Format")) {
        if (args.isEmpty())
            fail(QStringLiteral("States.Format needs a template"));
        return format(stringArg(name, args, 0), args);
    }
    if (is("States.StringToJson")) {
        arity(name, args, 1, 1);
        const QJsonValue v = parseJsonText(stringArg(name, args, 0));
        if (v.isUndefined())
            fail(QStringLiteral("States.StringToJson: not JSON: %1").arg(args.at(0).toString()));
        return v;
    }
    if (is("States.JsonToString")) {
        arity(name, args, 1, 1);
        return jsonText(args.at(0));
    }
    if (is("States.Array"))
        return args;
    if (is("States.ArrayPartition")) {
        arity(name, args, 2, 2);
        const QJsonArray a = arrayArg(name, args, 0);
        const qint64 size = integerArg(name, args, 1);
        if (size <= 0)
            fail(QStringLiteral("States.ArrayPartition: the chunk size must be positive"));
        QJsonArray out;
        for (qsizetype i = 0; i < a.size(); i += size)
            out.append(QJsonArray::fromVariantList(a.toVariantList().mid(i, size)));
        return out;
    }
    if (is("States.ArrayContains")) {
        arity(name, args, 2, 2);
        return arrayArg(name, args, 0).contains(args.at(1));
    }
    if (is("States.ArrayRange")) {
        arity(name, args, 3, 3);
        const qint64 first = integerArg(name, args, 0);
        const qint64 last = integerArg(name, args, 1);
        const qint64 step = integerArg(name, args, 2);
        if (step == 0)
            fail(QStringLiteral("States.ArrayRange: the step must not be 0"));
        QJsonArray out;
        for (qint64 v = first; step > 0 ? v <= last : v >= last; v += step) {
            if (out.size() >= 1000)
                fail(QStringLiteral("States.ArrayRange: more than 1000 elements"));
            out.append(double(v));
        }
        return out;
    }
    if (is("States.ArrayGetItem")) {
        arity(name, args, 2, 2);
        const QJsonArray a = arrayArg(name, args, 0);
        const qint64 i = integerArg(name, args, 1);
        if (i < 0 || i >= a.size())
            fail(QStringLiteral("States.ArrayGetItem: index %1 is out of bounds").arg(i));
        return a.at(i);
    }
    if (is("States.ArrayLength")) {
        arity(name, args, 1, 1);
        return double(arrayArg(name, args, 0).size());
    }
    if (is("States.ArrayUnique")) {
        arity(name, args, 1, 1);
        QJsonArray out;
        for (const QJsonValue &v : arrayArg(name, args, 0))
            if (!out.contains(v))
                out.append(v);
        return out;
    }
    if (is("States.Base64Encode")) {
        arity(name, args, 1, 1);
        return QString::fromLatin1(stringArg(name, args, 0).toUtf8().toBase64());
    }
    if (is("States.Base64Decode")) {
        arity(name, args, 1, 1);
        const auto r = QByteArray::fromBase64Encoding(
            stringArg(name, args, 0).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!r)
            fail(QStringLiteral("States.Base64Decode: not Base64"));
        return QString::fromUtf8(*r);
    }
    if (is("States.Hash")) {
        arity(name, args, 2, 2);
        const QString algo = stringArg(name, args, 1);
        QCryptographicHash::Algorithm a;
        if (algo == u"MD5")
            a = QCryptographicHash::Md5;
        else if (algo == u"SHA-1")
            a = QCryptographicHash::Sha1;
        else if (algo == u"SHA-256")
            a = QCryptographicHash::Sha256;
        else if (algo == u"SHA-384")
            a = QCryptographicHash::Sha384;
        else if (algo == u"SHA-512")
            a = QCryptographicHash::Sha512;
        else
            fail(QStringLiteral("States.Hash: unknown algorithm \"%1\" (MD5, SHA-1, SHA-256, SHA-384, SHA-512)")
                     .arg(algo));
        const QString data = args.at(0).isString() ? args.at(0).toString() : jsonText(args.at(0));
        return QString::fromLatin1(QCryptographicHash::hash(data.toUtf8(), a).toHex());
    }
    if (is("States.JsonMerge")) {
        arity(name, args, 3, 3);
        if (!args.at(0).isObject() || !args.at(1).isObject())
            fail(QStringLiteral("States.JsonMerge merges two objects"));
        if (!args.at(2).isBool() || args.at(2).toBool())
            fail(QStringLiteral("States.JsonMerge: only shallow merging (false) is supported"));
        QJsonObject out = args.at(0).toObject();
        const QJsonObject second = args.at(1).toObject();
        for (auto it = second.begin(); it != second.end(); ++it)
            out.insert(it.key(), it.value());
        return out;
    }
    if (is("States.MathRandom")) {
        arity(name, args, 2, 3);
        const qint64 first = integerArg(name, args, 0);
        const qint64 end = integerArg(name, args, 1);
        if (end <= first)
            fail(QStringLiteral("States.MathRandom: the end must be above the start"));
        if (args.size() == 3) {
            QRandomGenerator seeded(quint32(integerArg(name, args, 2)));
            return double(seeded.bounded(first, end));
        }
        return double(QRandomGenerator::global()->bounded(first, end));
    }
    if (is("States.MathAdd")) {
        arity(name, args, 2, 2);
        return double(integerArg(name, args, 0) + integerArg(name, args, 1));
    }
    if (is("States.StringSplit")) {
        arity(name, args, 2, 2);
        const QString text = stringArg(name, args, 0);
        const QString delimiters = stringArg(name, args, 1);
        QJsonArray out;
        QString part;
        for (const QChar c : text) {
            if (delimiters.contains(c)) {
                if (!part.isEmpty())
                    out.append(part);
                part.clear();
            } else {
                part += c;
            }
        }
        if (!part.isEmpty())
            out.append(part);
        return out;
    }
    if (is("States.UUID")) {
        arity(name, args, 0, 0);
        return QUuid::createUuid().toString(QUuid::WithoutBraces);
    }
    fail(QStringLiteral("Unknown intrinsic function %1").arg(name));
}

} // namespace

QJsonValue evalIntrinsic(const QString &expression, const PathEnv &env)
{
    return Parser(expression, env).parseAll();
}

} // namespace Bramble::LocalRuntime::Asl
