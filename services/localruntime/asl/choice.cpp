#include "asl/choice.h"

#include "asl/statesfault.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace Bramble::LocalRuntime::Asl {

namespace {

enum class Cmp { Eq, Lt, Gt, Le, Ge };

bool compare(int c, Cmp op)
{
    switch (op) {
    case Cmp::Eq:
        return c == 0;
    case Cmp::Lt:
        return c < 0;
    case Cmp::Gt:
        return c > 0;
    case Cmp::Le:
        return c <= 0;
    case Cmp::Ge:
        return c >= 0;
    }
    return false;
}

bool suffixOp(QStringView name, QStringView family, Cmp *op)
{
    if (!name.startsWith(family))
        return false;
    const QStringView rest = name.mid(family.size());
    if (rest == u"Equals")
        *op = Cmp::Eq;
    else if (rest == u"LessThan")
        *op = Cmp::Lt;
    else if (rest == u"GreaterThan")
        *op = Cmp::Gt;
    else if (rest == u"LessThanEquals")
        *op = Cmp::Le;
    else if (rest == u"GreaterThanEquals")
        *op = Cmp::Ge;
    else
        return false;
    return true;
}

bool isTypeTest(const QString &op)
{
    return op == u"IsNull" || op == u"IsPresent" || op == u"IsNumeric" || op == u"IsString" || op == u"IsBoolean"
        || op == u"IsTimestamp";
}

} // namespace

QDateTime parseTimestamp(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral(R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int msec = m.captured(7).isEmpty() ? 0 : int(m.captured(7).left(4).mid(1).leftJustified(3, u'0').toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), msec);
    if (!date.isValid() || !time.isValid())
        return {};
    int offset = 0;
    const QString zone = m.captured(8);
    if (zone.size() == 6) {
        offset = (zone.mid(1, 2).toInt() * 60 + zone.mid(4, 2).toInt()) * 60;
        if (zone.at(0) == u'-')
            offset = -offset;
    }
    return QDateTime(date, time, Qt::OffsetFromUTC, offset).toUTC();
}

bool stringMatches(const QString &text, const QString &pattern)
{
    QString re;
    re.reserve(pattern.size() * 2 + 2);
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'\\' && i + 1 < pattern.size()) {
            re += QRegularExpression::escape(QString(pattern.at(++i)));
        } else if (c == u'*') {
            re += QStringLiteral(".*");
        } else {
            re += QRegularExpression::escape(QString(c));
        }
    }
    const QRegularExpression rx(
        QRegularExpression::anchoredPattern(re), QRegularExpression::DotMatchesEverythingOption);
    return rx.match(text).hasMatch();
}

bool evalChoiceRule(const QJsonObject &rule, const PathEnv &env)
{
    if (rule.contains(u"And")) {
        for (const QJsonValue &r : rule.value(u"And").toArray())
            if (!evalChoiceRule(r.toObject(), env))
                return false;
        return true;
    }
    if (rule.contains(u"Or")) {
        for (const QJsonValue &r : rule.value(u"Or").toArray())
            if (evalChoiceRule(r.toObject(), env))
                return true;
        return false;
    }
    if (rule.contains(u"Not"))
        return !evalChoiceRule(rule.value(u"Not").toObject(), env);

    const QString variable = rule.value(u"Variable").toString();
    const QJsonValue v = readPath(variable, env);
    for (auto it = rule.begin(); it != rule.end(); ++it) {
        const QString op = it.key();
        if (op == u"Variable" || op == u"Next" || op == u"Comment" || op == u"Assign")
            continue;
        if (op == u"IsPresent")
            return !v.isUndefined() == it.value().toBool();
        if (v.isUndefined())
            throw runtimeFault(QStringLiteral("Invalid path '%1': The choice state's condition path references an "
                                              "invalid value.")
                                   .arg(variable));
        if (isTypeTest(op)) {
            bool is = false;
            if (op == u"IsNull")
                is = v.isNull();
            else if (op == u"IsNumeric")
                is = v.isDouble();
            else if (op == u"IsString")
                is = v.isString();
            else if (op == u"IsBoolean")
                is = v.isBool();
            else
                is = v.isString() && parseTimestamp(v.toString()).isValid();
            return is == it.value().toBool();
        }
        QString base = op;
        QJsonValue rhs = it.value();
        if (op.endsWith(u"Path")) {
            base = op.chopped(4);
            rhs = readPath(rhs.toString(), env);
            if (rhs.isUndefined())
                throw runtimeFault(QStringLiteral("Invalid path '%1' in %2: it references an invalid value.")
                                       .arg(it.value().toString(), op));
        }
        Cmp cmp;
        if (base == u"StringMatches")
            return v.isString() && rhs.isString() && stringMatches(v.toString(), rhs.toString());
        if (base == u"BooleanEquals")
            return v.isBool() && rhs.isBool() && v.toBool() == rhs.toBool();
        if (suffixOp(base, u"String", &cmp)) {
            if (!v.isString() || !rhs.isString())
                return false;
            return compare(QString::compare(v.toString(), rhs.toString()), cmp);
        }
        if (suffixOp(base, u"Numeric", &cmp)) {
            if (!v.isDouble() || !rhs.isDouble())
                return false;
            const double a = v.toDouble(), b = rhs.toDouble();
            return compare(a < b ? -1 : (a > b ? 1 : 0), cmp);
        }
        if (suffixOp(base, u"Timestamp", &cmp)) {
            const QDateTime a = parseTimestamp(v.toString());
            const QDateTime b = parseTimestamp(rhs.toString());
            if (!v.isString() || !rhs.isString() || !a.isValid() || !b.isValid())
                return false;
            return compare(a < b ? -1 : (b < a ? 1 : 0), cmp);
        }
        throw runtimeFault(QStringLiteral("Unknown Choice operator \"%1\"").arg(op));
    }
    throw runtimeFault(QStringLiteral("A Choice rule on \"%1\" has no operator").arg(variable));
}

} // namespace Bramble::LocalRuntime::Asl
