#include "dynamodb/attributevalue.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <algorithm>

namespace Bramble::LocalRuntime::Dynamo {

namespace {

const QStringList &typeTags()
{
    static const QStringList tags = {
        QStringLiteral("S"),
        QStringLiteral("N"),
        QStringLiteral("B"),
        QStringLiteral("SS"),
        QStringLiteral("NS"),
        QStringLiteral("BS"),
        QStringLiteral("M"),
        QStringLiteral("L"),
        QStringLiteral("NULL"),
        QStringLiteral("BOOL"),
    };
    return tags;
}

QString setTypeWord(const QString &type)
{
    if (type == QLatin1String("SS"))
        return QStringLiteral("string");
    if (type == QLatin1String("NS"))
        return QStringLiteral("number");
    return QStringLiteral("binary");
}

// Magnitudes as decimal digit strings without leading zeros ("" is zero).
int compareMagnitude(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

QByteArray stripLeadingZeros(QByteArray s)
{
    int i = 0;
    while (i < s.size() && s.at(i) == '0')
        ++i;
    return s.mid(i);
}

QByteArray addMagnitude(const QByteArray &a, const QByteArray &b)
{
    QByteArray out;
    int carry = 0;
    for (int i = a.size() - 1, j = b.size() - 1; i >= 0 || j >= 0 || carry; --i, --j) {
        const int s = (i >= 0 ? a.at(i) - '0' : 0) + (j >= 0 ? b.at(j) - '0' : 0) + carry;
        out.prepend(char('0' + s % 10));
        carry = s / 10;
    }
    return stripLeadingZeros(out);
}

// a >= b
QByteArray subtractMagnitude(const QByteArray &a, const QByteArray &b)
{
    QByteArray out;
    int borrow = 0;
    for (int i = a.size() - 1, j = b.size() - 1; i >= 0; --i, --j) {
        int s = (a.at(i) - '0') - (j >= 0 ? b.at(j) - '0' : 0) - borrow;
        borrow = s < 0 ? 1 : 0;
        if (s < 0)
            s += 10;
        out.prepend(char('0' + s));
    }
    return stripLeadingZeros(out);
}

Decimal normalized(bool negative, const QByteArray &integerDigits, int scale)
{
    // value = integerDigits * 10^scale
    Decimal d;
    QByteArray digits = stripLeadingZeros(integerDigits);
    if (digits.isEmpty())
        return d;
    d.exponent = int(digits.size()) + scale;
    int end = digits.size();
    while (end > 0 && digits.at(end - 1) == '0')
        --end;
    d.digits = digits.left(end);
    d.negative = negative;
    return d;
}

QByteArray bytesOf(const AttributeValue &v, const QString &type)
{
    if (type == QLatin1String("B"))
        return QByteArray::fromBase64(v.value(type).toString().toLatin1());
    return v.value(type).toString().toUtf8();
}

bool containsElement(const QJsonArray &set, const QJsonValue &e, bool numeric)
{
    for (const QJsonValue &x : set) {
        if (numeric) {
            const auto a = Decimal::parse(x.toString());
            const auto b = Decimal::parse(e.toString());
            if (a && b && compare(*a, *b) == 0)
                return true;
        } else if (x == e) {
            return true;
        }
    }
    return false;
}

} // namespace

QString typeOf(const AttributeValue &v)
{
    if (v.size() != 1)
        return {};
    const QString key = v.begin().key();
    return typeTags().contains(key) ? key : QString();
}

bool isSetType(const QString &type)
{
    return type == QLatin1String("SS") || type == QLatin1String("NS") || type == QLatin1String("BS");
}

QString validate(const QJsonValue &value)
{
    if (!value.isObject())
        return QStringLiteral("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    const QJsonObject v = value.toObject();
    if (v.isEmpty())
        return QStringLiteral("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    if (v.size() > 1)
        return QStringLiteral("Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
                              "the supported datatypes");
    const QString type = typeOf(v);
    if (type.isEmpty())
        return QStringLiteral("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    const QJsonValue inner = v.value(type);
    if (type == QLatin1String("S") || type == QLatin1String("B")) {
        if (!inner.isString())
            return QStringLiteral("Invalid type for %1: expected a string").arg(type);
        return {};
    }
    if (type == QLatin1String("N")) {
        if (!inner.isString() || !Decimal::parse(inner.toString()))
            return QStringLiteral("A value provided cannot be converted into a number");
        return {};
    }
    if (type == QLatin1String("BOOL"))
        return inner.isBool() ? QString() : QStringLiteral("Invalid type for BOOL: expected a boolean");
    if (type == QLatin1String("NULL")) {
        if (!inner.isBool() || !inner.toBool())
            return QStringLiteral(
                "One or more parameter values were invalid: Null attribute value types must have the value of true");
        return {};
    }
    if (isSetType(type)) {
        if (!inner.isArray())
            return QStringLiteral("Invalid type for %1: expected a list").arg(type);
        const QJsonArray elements = inner.toArray();
        if (elements.isEmpty())
            return QStringLiteral("One or more parameter values were invalid: An %1 set  may not be empty")
                .arg(setTypeWord(type));
        QJsonArray seen;
        for (const QJsonValue &e : elements) {
            if (!e.isString())
                return QStringLiteral("Invalid type for %1: expected strings").arg(type);
            if (type == QLatin1String("NS") && !Decimal::parse(e.toString()))
                return QStringLiteral("A value provided cannot be converted into a number");
            if (containsElement(seen, e, type == QLatin1String("NS")))
                return QStringLiteral(
                    "One or more parameter values were invalid: Input collection contains duplicates");
            seen.append(e);
        }
        return {};
    }
    if (type == QLatin1String("L")) {
        if (!inner.isArray())
            return QStringLiteral("Invalid type for L: expected a list");
        for (const QJsonValue &e : inner.toArray()) {
            const QString error = validate(e);
            if (!error.isEmpty())
                return error;
        }
        return {};
    }
    // M
    if (!inner.isObject())
        return QStringLiteral("Invalid type for M: expected a map");
    return validateItem(inner.toObject());
}

QString validateItem(const QJsonObject &item)
{
    for (auto it = item.begin(); it != item.end(); ++it) {
        const QString error = validate(it.value());
        if (!error.isEmpty())
            return error;
    }
    return {};
}

std::optional<Decimal> Decimal::parse(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d{1,6}))?\\s*$"));
    const auto m = pattern.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString whole = m.captured(2);
    const QString fraction = m.captured(3);
    if (whole.isEmpty() && fraction.isEmpty())
        return std::nullopt;
    const int exp10 = m.captured(4).isEmpty() ? 0 : m.captured(4).toInt();
    Decimal d
        = normalized(m.captured(1) == QLatin1String("-"), (whole + fraction).toLatin1(), exp10 - int(fraction.size()));
    // DynamoDB: 38 significant digits, magnitudes from 1E-130 to below 1E+126.
    if (!d.isZero() && (d.digits.size() > 38 || d.exponent > 126 || d.exponent < -129))
        return std::nullopt;
    return d;
}

QString Decimal::toString() const
{
    if (isZero())
        return QStringLiteral("0");
    QByteArray out = negative ? QByteArray("-") : QByteArray();
    const int n = int(digits.size());
    if (exponent >= n)
        out += digits + QByteArray(exponent - n, '0');
    else if (exponent <= 0)
        out += "0." + QByteArray(-exponent, '0') + digits;
    else
        out += digits.left(exponent) + '.' + digits.mid(exponent);
    return QString::fromLatin1(out);
}

Decimal Decimal::negated() const
{
    Decimal d = *this;
    if (!d.isZero())
        d.negative = !d.negative;
    return d;
}

int compare(const Decimal &a, const Decimal &b)
{
    const int signA = a.isZero() ? 0 : (a.negative ? -1 : 1);
    const int signB = b.isZero() ? 0 : (b.negative ? -1 : 1);
    if (signA != signB)
        return signA < signB ? -1 : 1;
    if (signA == 0)
        return 0;
    int magnitude = 0;
    if (a.exponent != b.exponent) {
        magnitude = a.exponent < b.exponent ? -1 : 1;
    } else {
        const int c = a.digits.compare(b.digits); // a proper prefix sorts first
        magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return signA < 0 ? -magnitude : magnitude;
}

Decimal add(const Decimal &a, const Decimal &b)
{
    if (a.isZero())
        return b;
    if (b.isZero())
        return a;
    const int scaleA = a.exponent - int(a.digits.size());
    const int scaleB = b.exponent - int(b.digits.size());
    const int scale = std::min(scaleA, scaleB);
    const QByteArray ia = a.digits + QByteArray(scaleA - scale, '0');
    const QByteArray ib = b.digits + QByteArray(scaleB - scale, '0');
    if (a.negative == b.negative)
        return normalized(a.negative, addMagnitude(ia, ib), scale);
    const int c = compareMagnitude(ia, ib);
    if (c == 0)
        return {};
    if (c > 0)
        return normalized(a.negative, subtractMagnitude(ia, ib), scale);
    return normalized(b.negative, subtractMagnitude(ib, ia), scale);
}

std::optional<int> compareValues(const AttributeValue &a, const AttributeValue &b)
{
    const QString type = typeOf(a);
    if (type.isEmpty() || type != typeOf(b))
        return std::nullopt;
    if (type == QLatin1String("N")) {
        const auto x = Decimal::parse(a.value(type).toString());
        const auto y = Decimal::parse(b.value(type).toString());
        if (!x || !y)
            return std::nullopt;
        return compare(*x, *y);
    }
    if (type == QLatin1String("S") || type == QLatin1String("B")) {
        const int c = bytesOf(a, type).compare(bytesOf(b, type));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

bool equalValues(const AttributeValue &a, const AttributeValue &b)
{
    const QString type = typeOf(a);
    if (type.isEmpty() || type != typeOf(b))
        return false;
    if (type == QLatin1String("N") || type == QLatin1String("S") || type == QLatin1String("B")) {
        const auto c = compareValues(a, b);
        return c && *c == 0;
    }
    if (isSetType(type)) {
        const QJsonArray x = a.value(type).toArray();
        const QJsonArray y = b.value(type).toArray();
        if (x.size() != y.size())
            return false;
        for (const QJsonValue &e : x) {
            if (!containsElement(y, e, type == QLatin1String("NS")))
                return false;
        }
        return true;
    }
    if (type == QLatin1String("L")) {
        const QJsonArray x = a.value(type).toArray();
        const QJsonArray y = b.value(type).toArray();
        if (x.size() != y.size())
            return false;
        for (int i = 0; i < x.size(); ++i) {
            if (!equalValues(x.at(i).toObject(), y.at(i).toObject()))
                return false;
        }
        return true;
    }
    if (type == QLatin1String("M")) {
        const QJsonObject x = a.value(type).toObject();
        const QJsonObject y = b.value(type).toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!y.contains(it.key()) || !equalValues(it.value().toObject(), y.value(it.key()).toObject()))
                return false;
        }
        return true;
    }
    return a == b; // BOOL, NULL
}

QByteArray sortKey(const AttributeValue &v)
{
    const QString type = typeOf(v);
    if (type != QLatin1String("N"))
        return bytesOf(v, type);
    // Numbers: 0x01 negative, 0x02 zero, 0x03 positive; then the exponent
    // (biased, big-endian) and the digits, all inverted for negatives, where
    // 0xff ends the digits so that a longer magnitude sorts first.
    const auto d = Decimal::parse(v.value(type).toString());
    if (!d || d->isZero())
        return QByteArray(1, '\x02');
    const quint16 biased = quint16(d->exponent + 32768);
    QByteArray out;
    if (d->negative) {
        out.append('\x01');
        out.append(char(~(biased >> 8) & 0xff));
        out.append(char(~biased & 0xff));
        for (char c : d->digits)
            out.append(char('9' - c + '0'));
        out.append('\xff');
    } else {
        out.append('\x03');
        out.append(char(biased >> 8));
        out.append(char(biased & 0xff));
        out.append(d->digits);
    }
    return out;
}

std::optional<int> sizeOf(const AttributeValue &v)
{
    const QString type = typeOf(v);
    const QJsonValue inner = v.value(type);
    if (type == QLatin1String("S"))
        return int(inner.toString().toUcs4().size());
    if (type == QLatin1String("B"))
        return int(QByteArray::fromBase64(inner.toString().toLatin1()).size());
    if (isSetType(type) || type == QLatin1String("L"))
        return int(inner.toArray().size());
    if (type == QLatin1String("M"))
        return int(inner.toObject().size());
    return std::nullopt;
}

AttributeValue setUnion(const AttributeValue &a, const AttributeValue &b)
{
    const QString type = typeOf(a);
    QJsonArray out = a.value(type).toArray();
    for (const QJsonValue &e : b.value(type).toArray()) {
        if (!containsElement(out, e, type == QLatin1String("NS")))
            out.append(e);
    }
    return AttributeValue { { type, out } };
}

std::optional<AttributeValue> setDifference(const AttributeValue &a, const AttributeValue &b)
{
    const QString type = typeOf(a);
    const QJsonArray remove = b.value(type).toArray();
    QJsonArray out;
    for (const QJsonValue &e : a.value(type).toArray()) {
        if (!containsElement(remove, e, type == QLatin1String("NS")))
            out.append(e);
    }
    if (out.isEmpty())
        return std::nullopt;
    return AttributeValue { { type, out } };
}

} // namespace Bramble::LocalRuntime::Dynamo
