#include "aws/attributevalue.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

namespace Bramble::Aws::AttributeValue {

namespace {

// "+001.500" -> "1.5", "-0.0" -> "0": the decimal value as plain digits.
QString normalDecimal(QString t)
{
    bool negative = t.startsWith(u'-');
    if (negative || t.startsWith(u'+'))
        t.remove(0, 1);
    if (t.contains(u'.')) {
        while (t.endsWith(u'0'))
            t.chop(1);
        if (t.endsWith(u'.'))
            t.chop(1);
    }
    while (t.size() > 1 && t.startsWith(u'0') && t.at(1) != u'.')
        t.remove(0, 1);
    if (t.isEmpty() || t == u"0")
        return QStringLiteral("0");
    return negative ? u'-' + t : t;
}

// A JSON number when a double holds exactly the decimal DynamoDB sent (it
// keeps 38 digits, a double about 17); else the digits, so nothing is lost.
QJsonValue number(const QString &digits)
{
    bool ok = false;
    const double d = digits.toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return digits;
    const qsizetype e = std::max(digits.indexOf(u'e'), digits.indexOf(u'E'));
    if (e >= 0) {
        // Any decimal of at most 15 significant digits survives a double.
        QString mantissa = digits.left(e);
        mantissa.remove(u'-').remove(u'+').remove(u'.');
        while (mantissa.startsWith(u'0'))
            mantissa.remove(0, 1);
        while (mantissa.endsWith(u'0'))
            mantissa.chop(1);
        return mantissa.size() <= 15 ? QJsonValue(d) : QJsonValue(digits);
    }
    const QString back = QString::number(d, 'f', QLocale::FloatingPointShortest);
    return normalDecimal(back) == normalDecimal(digits) ? QJsonValue(d) : QJsonValue(digits);
}

QString numberText(double d)
{
    return QString::number(d, 'f', QLocale::FloatingPointShortest);
}

void fail(QString *error, const QString &pointer, const QString &what)
{
    if (error && error->isEmpty())
        *error = (pointer.isEmpty() ? QStringLiteral("/") : pointer) + QStringLiteral(": ") + what;
}

QString child(const QString &pointer, const QString &key)
{
    QString escaped = key;
    escaped.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
    return pointer + u'/' + escaped;
}

// itemToJson below a pointer: a map's errors name the path to the map.
QJsonObject itemToJsonAt(const QJsonObject &item, QString *error, const QString &pointer)
{
    QJsonObject out;
    for (auto it = item.begin(); it != item.end(); ++it)
        out.insert(it.key(), toJson(it.value().toObject(), error, child(pointer, it.key())));
    return out;
}

} // namespace

QJsonValue toJson(const QJsonObject &av, QString *error, const QString &pointer)
{
    if (av.size() != 1) {
        fail(error, pointer, QStringLiteral("an AttributeValue has exactly one type key, found %1").arg(av.size()));
        return {};
    }
    const QString type = av.begin().key();
    const QJsonValue v = av.begin().value();
    const QString at = child(pointer, type);
    if (type == u"S" || type == u"B") {
        if (!v.isString())
            fail(error, at, QStringLiteral("expected a string"));
        return v.toString();
    }
    if (type == u"N") {
        if (!v.isString())
            fail(error, at, QStringLiteral("expected a number as a string"));
        return number(v.toString());
    }
    if (type == u"BOOL") {
        if (!v.isBool())
            fail(error, at, QStringLiteral("expected true or false"));
        return v.toBool();
    }
    if (type == u"NULL")
        return QJsonValue::Null;
    if (type == u"M") {
        if (!v.isObject())
            fail(error, at, QStringLiteral("expected an object"));
        return itemToJsonAt(v.toObject(), error, at);
    }
    if (type == u"L") {
        if (!v.isArray())
            fail(error, at, QStringLiteral("expected an array"));
        QJsonArray out;
        const QJsonArray list = v.toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            out.append(toJson(list.at(i).toObject(), error, child(at, QString::number(i))));
        return out;
    }
    if (type == u"SS" || type == u"NS" || type == u"BS") {
        if (!v.isArray())
            fail(error, at, QStringLiteral("expected an array"));
        QJsonArray out;
        const QJsonArray set = v.toArray();
        for (qsizetype i = 0; i < set.size(); ++i) {
            const QJsonValue e = set.at(i);
            if (!e.isString())
                fail(error, child(at, QString::number(i)),
                    type == u"NS" ? QStringLiteral("expected a number as a string")
                                  : QStringLiteral("expected a string"));
            out.append(type == u"NS" ? number(e.toString()) : QJsonValue(e.toString()));
        }
        return out;
    }
    fail(error, at, QStringLiteral("unknown AttributeValue type \"%1\"").arg(type));
    return {};
}

QJsonObject fromJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return { { QStringLiteral("S"), value } };
    case QJsonValue::Double:
        return { { QStringLiteral("N"), numberText(value.toDouble()) } };
    case QJsonValue::Bool:
        return { { QStringLiteral("BOOL"), value } };
    case QJsonValue::Object:
        return { { QStringLiteral("M"), itemFromJson(value.toObject()) } };
    case QJsonValue::Array: {
        QJsonArray out;
        for (const QJsonValue &e : value.toArray())
            out.append(fromJson(e));
        return { { QStringLiteral("L"), out } };
    }
    default:
        return { { QStringLiteral("NULL"), true } };
    }
}

QJsonObject itemToJson(const QJsonObject &item, QString *error)
{
    return itemToJsonAt(item, error, QString());
}

QJsonObject itemFromJson(const QJsonObject &plain)
{
    QJsonObject out;
    for (auto it = plain.begin(); it != plain.end(); ++it)
        out.insert(it.key(), fromJson(it.value()));
    return out;
}

} // namespace Bramble::Aws::AttributeValue
