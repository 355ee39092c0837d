#include "asl/jsonpathquery.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace Bramble::LocalRuntime::Asl {

namespace {

using Nodes = QList<QJsonValue>;

void children(const QJsonValue &v, Nodes &out)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out.append(it.value());
    } else if (v.isArray()) {
        for (const QJsonValue &e : v.toArray())
            out.append(e);
    }
}

void descendants(const QJsonValue &v, Nodes &out)
{
    out.append(v);
    Nodes kids;
    children(v, kids);
    for (const QJsonValue &k : std::as_const(kids))
        descendants(k, out);
}

int compareValues(const QJsonValue &a, const QJsonValue &b, bool *comparable)
{
    *comparable = true;
    if (a.isDouble() && b.isDouble())
        return a.toDouble() < b.toDouble() ? -1 : (a.toDouble() > b.toDouble() ? 1 : 0);
    if (a.isString() && b.isString())
        return QString::compare(a.toString(), b.toString());
    *comparable = false;
    return a == b ? 0 : 1;
}

class Query {
public:
    Query(const QString &path, QString *error)
        : m_p(path)
        , m_error(error)
    {
    }

    std::optional<QJsonArray> run(const QJsonValue &root)
    {
        if (!m_p.startsWith(u'$')) {
            fail(QStringLiteral("a path starts with $"));
            return std::nullopt;
        }
        m_i = 1;
        Nodes nodes { root };
        while (m_i < m_p.size()) {
            Nodes next;
            if (!step(nodes, next))
                return std::nullopt;
            nodes = std::move(next);
        }
        QJsonArray out;
        for (const QJsonValue &n : std::as_const(nodes))
            out.append(n);
        return out;
    }

private:
    bool fail(const QString &what)
    {
        if (m_error)
            *m_error = QStringLiteral("%1 at character %2 of \"%3\"").arg(what).arg(m_i + 1).arg(m_p);
        return false;
    }

    QString name()
    {
        const qsizetype begin = m_i;
        while (m_i < m_p.size() && m_p.at(m_i) != u'.' && m_p.at(m_i) != u'[')
            ++m_i;
        return m_p.mid(begin, m_i - begin);
    }

    void member(const Nodes &in, const QString &key, Nodes &out)
    {
        for (const QJsonValue &n : in) {
            if (key == u"*")
                children(n, out);
            else if (n.isObject() && n.toObject().contains(key))
                out.append(n.toObject().value(key));
        }
    }

    bool step(const Nodes &in, Nodes &out)
    {
        if (m_p.at(m_i) == u'.') {
            ++m_i;
            Nodes base = in;
            if (m_i < m_p.size() && m_p.at(m_i) == u'.') {
                ++m_i;
                base.clear();
                for (const QJsonValue &n : in)
                    descendants(n, base);
                if (m_i < m_p.size() && m_p.at(m_i) == u'[') {
                    out = base;
                    return true;
                }
            }
            const QString key = name();
            if (key.isEmpty())
                return fail(QStringLiteral("a member name is missing"));
            member(base, key, out);
            return true;
        }
        if (m_p.at(m_i) != u'[')
            return fail(QStringLiteral("expected . or ["));
        const qsizetype close = closing();
        if (close < 0)
            return fail(QStringLiteral("an unclosed ["));
        const QString inner = m_p.mid(m_i + 1, close - m_i - 1).trimmed();
        m_i = close + 1;
        return bracket(in, inner, out);
    }

    // The ] that closes the [ at m_i, past quotes and parentheses.
    qsizetype closing() const
    {
        QChar quote;
        int depth = 0;
        for (qsizetype j = m_i + 1; j < m_p.size(); ++j) {
            const QChar c = m_p.at(j);
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (c == u'\'' || c == u'"') {
                quote = c;
            } else if (c == u'(') {
                ++depth;
            } else if (c == u')') {
                --depth;
            } else if (c == u']' && depth == 0) {
                return j;
            }
        }
        return -1;
    }

    bool bracket(const Nodes &in, const QString &inner, Nodes &out)
    {
        if (inner == u"*") {
            for (const QJsonValue &n : in)
                children(n, out);
            return true;
        }
        if (inner.startsWith(u"?(") && inner.endsWith(u')'))
            return filter(in, inner.mid(2, inner.size() - 3).trimmed(), out);
        if (inner.contains(u':') && !inner.startsWith(u'\'') && !inner.startsWith(u'"')) {
            const QStringList parts = inner.split(u':');
            if (parts.size() > 3)
                return fail(QStringLiteral("a slice has at most three parts"));
            for (const QJsonValue &n : in) {
                if (!n.isArray())
                    continue;
                const QJsonArray a = n.toArray();
                const qsizetype size = a.size();
                bool ok = true;
                const auto bound = [&](int k, qsizetype dflt) {
                    if (k >= parts.size() || parts.at(k).trimmed().isEmpty())
                        return dflt;
                    qsizetype v = parts.at(k).trimmed().toLongLong(&ok);
                    if (v < 0)
                        v += size;
                    return std::clamp<qsizetype>(v, 0, size);
                };
                const qsizetype step
                    = parts.size() == 3 && !parts.at(2).trimmed().isEmpty() ? parts.at(2).trimmed().toLongLong(&ok) : 1;
                const qsizetype begin = bound(0, 0);
                const qsizetype end = bound(1, size);
                if (!ok || step <= 0)
                    return fail(QStringLiteral("a slice needs whole numbers and a positive step"));
                for (qsizetype k = begin; k < end; k += step)
                    out.append(a.at(k));
            }
            return true;
        }
        for (const QString &rawPart : inner.split(u',')) {
            const QString part = rawPart.trimmed();
            if (part.size() >= 2 && (part.startsWith(u'\'') || part.startsWith(u'"')) && part.endsWith(part.at(0))) {
                member(in, part.mid(1, part.size() - 2), out);
                continue;
            }
            bool ok = false;
            const qsizetype index = part.toLongLong(&ok);
            if (!ok)
                return fail(QStringLiteral("expected an index, a quoted name, *, a slice or a filter"));
            for (const QJsonValue &n : in) {
                const QJsonArray a = n.toArray();
                const qsizetype k = index < 0 ? a.size() + index : index;
                if (n.isArray() && k >= 0 && k < a.size())
                    out.append(a.at(k));
            }
        }
        return true;
    }

    bool filter(const Nodes &in, const QString &expr, Nodes &out)
    {
        static const QStringList ops { QStringLiteral("=="), QStringLiteral("!="), QStringLiteral("<="),
            QStringLiteral(">="), QStringLiteral("<"), QStringLiteral(">") };
        QString lhs = expr;
        QString op;
        QJsonValue literal;
        for (const QString &o : ops) {
            const qsizetype at = expr.indexOf(o);
            if (at > 0) {
                lhs = expr.left(at).trimmed();
                op = o;
                QString rhs = expr.mid(at + o.size()).trimmed();
                if (rhs.size() >= 2 && rhs.startsWith(u'\'') && rhs.endsWith(u'\''))
                    rhs = u'"' + rhs.mid(1, rhs.size() - 2) + u'"';
                const QJsonDocument d = QJsonDocument::fromJson(QByteArray('[' + rhs.toUtf8() + ']'));
                if (!d.isArray() || d.array().size() != 1)
                    return fail(QStringLiteral("a filter compares with a number, a string, true, false or null"));
                literal = d.array().first();
                break;
            }
        }
        if (!lhs.startsWith(u'@'))
            return fail(QStringLiteral("a filter starts with @"));
        Nodes candidates;
        for (const QJsonValue &n : in)
            children(n, candidates);
        for (const QJsonValue &c : std::as_const(candidates)) {
            QString sub;
            Query q(u'$' + lhs.mid(1), &sub);
            const std::optional<QJsonArray> found = q.run(c);
            if (!found)
                return fail(sub);
            if (found->isEmpty())
                continue;
            if (op.isEmpty()) {
                out.append(c);
                continue;
            }
            bool comparable = false;
            const int cmp = compareValues(found->first(), literal, &comparable);
            const bool keep = op == u"==" ? (comparable ? cmp == 0 : found->first() == literal)
                : op == u"!="             ? (comparable ? cmp != 0 : found->first() != literal)
                : !comparable             ? false
                : op == u"<"              ? cmp < 0
                : op == u"<="             ? cmp <= 0
                : op == u">"              ? cmp > 0
                                          : cmp >= 0;
            if (keep)
                out.append(c);
        }
        return true;
    }

    const QString m_p; // a copy: filters build their sub-paths as temporaries
    QString *m_error;
    qsizetype m_i = 0;
};

} // namespace

std::optional<QJsonArray> selectAll(const QJsonValue &root, const QString &path, QString *error)
{
    return Query(path, error).run(root);
}

} // namespace Bramble::LocalRuntime::Asl
