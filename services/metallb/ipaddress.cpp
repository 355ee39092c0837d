#include "metallb/ipaddress.h"

#include <QStringList>

#include <bit>
#include <limits>

namespace Bramble::MetalLB {

namespace {

__extension__ typedef unsigned __int128 u128;

u128 toU128(const Uint128 &v)
{
    return (u128(v.hi) << 64) | v.lo;
}
Uint128 fromU128(u128 v)
{
    return { quint64(v >> 64), quint64(v) };
}

// 2^bits - 1 for 0 <= bits <= 128.
u128 lowMask(int bits)
{
    return bits >= 128 ? ~u128(0) : (u128(1) << bits) - 1;
}

int trailingZeros(u128 v)
{
    const quint64 lo = quint64(v);
    if (lo)
        return std::countr_zero(lo);
    const quint64 hi = quint64(v >> 64);
    return hi ? 64 + std::countr_zero(hi) : 128;
}

QString u128ToDecimal(u128 v)
{
    if (v == 0)
        return QStringLiteral("0");
    QString digits;
    while (v) {
        digits.prepend(QChar(u'0' + int(v % 10)));
        v /= 10;
    }
    return digits;
}

std::optional<quint32> parseV4(QStringView text)
{
    const auto parts = text.split(u'.');
    if (parts.size() != 4)
        return std::nullopt;
    quint32 bits = 0;
    for (QStringView p : parts) {
        if (p.isEmpty() || p.size() > 3 || (p.size() > 1 && p.front() == u'0'))
            return std::nullopt;
        int n = 0;
        for (QChar c : p) {
            if (c < u'0' || c > u'9')
                return std::nullopt;
            n = n * 10 + (c.unicode() - u'0');
        }
        if (n > 255)
            return std::nullopt;
        bits = (bits << 8) | quint32(n);
    }
    return bits;
}

std::optional<u128> parseV6(QStringView text)
{
    if (text.isEmpty())
        return std::nullopt;
    QList<quint16> head, tail;
    bool compressed = false;
    QStringView rest = text;
    const qsizetype dc = rest.indexOf(QStringLiteral("::"));
    QStringView left = rest, right;
    if (dc >= 0) {
        compressed = true;
        left = rest.left(dc);
        right = rest.mid(dc + 2);
        if (right.contains(QStringLiteral("::")))
            return std::nullopt;
    }
    // Parses groups of one side; a dotted quad may end the address only.
    auto parseSide = [](QStringView side, bool last, QList<quint16> &out) -> bool {
        if (side.isEmpty())
            return true;
        const auto groups = side.split(u':');
        for (qsizetype i = 0; i < groups.size(); ++i) {
            QStringView g = groups.at(i);
            if (last && i == groups.size() - 1 && g.contains(u'.')) {
                const auto v4 = parseV4(g);
                if (!v4)
                    return false;
                out << quint16(*v4 >> 16) << quint16(*v4 & 0xffff);
                continue;
            }
            if (g.isEmpty() || g.size() > 4)
                return false;
            quint16 v = 0;
            for (QChar c : g) {
                const char16_t u = c.unicode();
                int d;
                if (u >= u'0' && u <= u'9')
                    d = u - u'0';
                else if (u >= u'a' && u <= u'f')
                    d = u - u'a' + 10;
                else if (u >= u'A' && u <= u'F')
                    d = u - u'A' + 10;
                else
                    return false;
                v = quint16((v << 4) | d);
            }
            out << v;
        }
        return true;
    };
    if (!parseSide(left, !compressed, head) || !parseSide(right, true, tail))
        return std::nullopt;
    const qsizetype groups = head.size() + tail.size();
    if (compressed ? groups > 7 : groups != 8)
        return std::nullopt;
    QList<quint16> all = head;
    for (qsizetype i = groups; i < 8; ++i)
        all << 0;
    all << tail;
    u128 v = 0;
    for (quint16 g : all)
        v = (v << 16) | g;
    return v;
}

QString v4Text(quint32 bits)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(bits >> 24)
        .arg((bits >> 16) & 0xff)
        .arg((bits >> 8) & 0xff)
        .arg(bits & 0xff);
}

} // namespace

QString Uint128::toDecimal() const
{
    return u128ToDecimal(toU128(*this));
}

std::optional<IpAddress> IpAddress::parse(QStringView text)
{
    if (text.contains(u':')) {
        if (const auto v = parseV6(text))
            return IpAddress { IpFamily::V6, fromU128(*v) };
        return std::nullopt;
    }
    if (const auto v = parseV4(text))
        return v4(*v);
    return std::nullopt;
}

bool IpAddress::isV4Mapped() const
{
    return family == IpFamily::V6 && value.hi == 0 && (value.lo >> 32) == 0xffff;
}

IpAddress IpAddress::unmapped() const
{
    return isV4Mapped() ? v4(quint32(value.lo)) : *this;
}

QString IpAddress::toString() const
{
    if (family == IpFamily::V4)
        return v4Text(quint32(value.lo));
    if (isV4Mapped())
        return QStringLiteral("::ffff:") + v4Text(quint32(value.lo));
    const u128 v = toU128(value);
    quint16 g[8];
    for (int i = 0; i < 8; ++i)
        g[i] = quint16(v >> (112 - 16 * i));
    // Longest run of at least two zero groups, the first one on a tie.
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            ++j;
        if (j - i > bestLen && j - i >= 2) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    QString out;
    for (int i = 0; i < 8; ++i) {
        if (i == bestStart) {
            out += QStringLiteral("::");
            i += bestLen - 1;
            continue;
        }
        if (!out.isEmpty() && !out.endsWith(u':'))
            out += u':';
        out += QString::number(g[i], 16);
    }
    return out;
}

Uint128 operator+(const Uint128 &a, const Uint128 &b)
{
    return fromU128(toU128(a) + toU128(b));
}

Uint128 operator-(const Uint128 &a, const Uint128 &b)
{
    return fromU128(toU128(a) - toU128(b));
}

AddressCount operator+(const AddressCount &a, const AddressCount &b)
{
    if (a.all128 || b.all128)
        return { {}, true };
    const u128 x = toU128(a.value), y = toU128(b.value);
    const u128 sum = x + y;
    if (sum < x) // wrapped: 2^128 or more
        return { {}, true };
    return { fromU128(sum), false };
}

AddressCount operator-(const AddressCount &a, const AddressCount &b)
{
    if (b >= a)
        return {};
    if (b.isZero())
        return a;
    if (a.all128) // 2^128 - b, 0 < b < 2^128
        return { fromU128(u128(0) - toU128(b.value)), false };
    return { fromU128(toU128(a.value) - toU128(b.value)), false };
}

quint64 AddressCount::saturated() const
{
    return (all128 || value.hi) ? std::numeric_limits<quint64>::max() : value.lo;
}

QString AddressCount::toString() const
{
    return all128 ? QStringLiteral("340282366920938463463374607431768211456") : value.toDecimal();
}

IpAddress IpCidr::last() const
{
    const int hostBits = network.bitCount() - prefixLength;
    return { network.family, fromU128(toU128(network.value) | lowMask(hostBits)) };
}

AddressCount IpCidr::size() const
{
    return IpRange::fromCidr(*this).size();
}

QString IpCidr::toString() const
{
    return network.toString() + u'/' + QString::number(prefixLength);
}

bool IpRange::overlaps(const IpRange &other) const
{
    return family() == other.family() && first <= other.last && other.first <= last;
}

AddressCount IpRange::size() const
{
    const u128 span = toU128(last.value) - toU128(first.value);
    if (span == ~u128(0))
        return { {}, true };
    return { fromU128(span + 1), false };
}

QList<IpCidr> IpRange::toCidrs() const
{
    QList<IpCidr> blocks;
    if (last < first)
        return blocks;
    const int bits = first.bitCount();
    const u128 end = toU128(last.value);
    u128 cur = toU128(first.value);
    for (;;) {
        int hostBits = std::min(trailingZeros(cur), bits);
        while (hostBits > 0 && end - cur < lowMask(hostBits))
            --hostBits;
        blocks << IpCidr { { first.family, fromU128(cur) }, bits - hostBits };
        const u128 blockEnd = cur + lowMask(hostBits);
        if (blockEnd >= end)
            break;
        cur = blockEnd + 1;
    }
    return blocks;
}

QString IpRange::toString() const
{
    return first.toString() + u'-' + last.toString();
}

std::optional<IpCidr> parseCidr(QStringView text, bool *hostBitsSet)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0)
        return std::nullopt;
    const auto addr = IpAddress::parse(text.left(slash));
    const QStringView len = text.mid(slash + 1);
    if (!addr || len.isEmpty() || len.size() > 3)
        return std::nullopt;
    int prefix = 0;
    for (QChar c : len) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        prefix = prefix * 10 + (c.unicode() - u'0');
    }
    if (len.size() > 1 && len.front() == u'0')
        return std::nullopt;
    if (prefix > addr->bitCount())
        return std::nullopt;
    const u128 host = lowMask(addr->bitCount() - prefix);
    const u128 v = toU128(addr->value);
    if (hostBitsSet)
        *hostBitsSet = (v & host) != 0;
    return IpCidr { { addr->family, fromU128(v & ~host) }, prefix };
}

AddressEntry AddressEntry::parse(const QString &text)
{
    AddressEntry e;
    e.text = text;
    if (!text.contains(u'-')) {
        bool hostBits = false;
        const auto c = parseCidr(QStringView(text), &hostBits);
        if (!c) {
            e.error = QStringLiteral("invalid CIDR");
            return e;
        }
        e.ok = true;
        e.isCidr = true;
        e.cidr = *c;
        e.hostBitsSet = hostBits;
        e.range = IpRange::fromCidr(*c);
        return e;
    }
    const QStringList parts = text.split(u'-');
    if (parts.size() != 2) {
        e.error = QStringLiteral("invalid IP range: more than one \"-\"");
        return e;
    }
    const QString startText = parts.at(0).trimmed();
    const QString endText = parts.at(1).trimmed();
    const auto start = IpAddress::parse(startText);
    if (!start) {
        e.error = QStringLiteral("invalid IP range: invalid start IP \"%1\"").arg(startText);
        return e;
    }
    const auto end = IpAddress::parse(endText);
    if (!end) {
        e.error = QStringLiteral("invalid IP range: invalid end IP \"%1\"").arg(endText);
        return e;
    }
    const IpAddress a = start->unmapped();
    const IpAddress b = end->unmapped();
    if (a.family != b.family) {
        e.error = QStringLiteral("invalid IP range: start and end are different address families");
        return e;
    }
    if (b < a) {
        e.error = QStringLiteral("invalid IP range: start IP %1 is after the end IP %2").arg(startText, endText);
        return e;
    }
    e.ok = true;
    e.range = { a, b };
    return e;
}

} // namespace Bramble::MetalLB
