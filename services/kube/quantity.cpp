#include "kube/quantity.h"

#include <cmath>
#include <limits>

namespace Bramble::Kube {

namespace {

// GCC and Clang have it; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 u128;

constexpr int kMaxDigits = 19; // 10^19 - 1 < 2^64
constexpr int kMaxExponentDigits = 9;

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// The decimal or binary exponent of a suffix, or false if there is no such suffix.
bool interpretSuffix(QStringView suffix, int *exp10, int *exp2)
{
    *exp10 = 0;
    *exp2 = 0;
    if (suffix.isEmpty())
        return true;
    // n u m: 10^-9, -6, -3; k M G T P E: 10^3 .. 10^18; Ki .. Ei: 2^10 .. 2^60.
    static constexpr QStringView small = u"num";
    static constexpr QStringView large = u"kMGTPE";
    static constexpr QStringView binary = u"KMGTPE";
    if (suffix.size() == 1) {
        if (const qsizetype i = small.indexOf(suffix.at(0)); i >= 0) {
            *exp10 = -9 + 3 * int(i);
            return true;
        }
        if (const qsizetype i = large.indexOf(suffix.at(0)); i >= 0) {
            *exp10 = 3 * int(i + 1);
            return true;
        }
        return false;
    }
    if (suffix.size() == 2 && suffix.at(1) == u'i') {
        if (const qsizetype i = binary.indexOf(suffix.at(0)); i >= 0) {
            *exp2 = 10 * int(i + 1);
            return true;
        }
    }
    if (suffix.at(0) != u'e' && suffix.at(0) != u'E')
        return false;
    QStringView digits = suffix.mid(1);
    bool negative = false;
    if (!digits.isEmpty() && (digits.at(0) == u'+' || digits.at(0) == u'-')) {
        negative = digits.at(0) == u'-';
        digits = digits.mid(1);
    }
    if (digits.isEmpty() || digits.size() > kMaxExponentDigits)
        return false;
    int value = 0;
    for (QChar c : digits) {
        if (!isDigit(c))
            return false;
        value = value * 10 + (c.unicode() - u'0');
    }
    *exp10 = negative ? -value : value;
    return true;
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// value * 2^b * 10^k for the magnitude, rounded up, saturating at limit.
quint64 scaleMagnitude(quint64 mantissa, int exp2, qint64 exp10, quint64 limit)
{
    if (mantissa == 0)
        return 0;
    u128 n = u128(mantissa) << exp2; // < 2^124
    if (exp10 >= 0) {
        for (qint64 i = 0; i < exp10 && n <= limit; ++i)
            n *= 10;
        return n > limit ? limit : quint64(n);
    }
    if (exp10 < -38) // n < 2^124 < 10^38: a positive fraction of one unit
        return 1;
    u128 divisor = 1;
    for (qint64 i = 0; i < -exp10; ++i)
        divisor *= 10;
    u128 q = n / divisor;
    if (n % divisor != 0)
        ++q;
    return q > limit ? limit : quint64(q);
}

} // namespace

std::optional<Quantity> Quantity::parse(QStringView text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<Quantity> {
        setError(error, QStringLiteral("\"%1\" is not a quantity: %2").arg(text.toString(), why));
        return std::nullopt;
    };
    const qsizetype end = text.size();
    if (end == 0)
        return fail(QStringLiteral("empty"));

    Quantity q;
    qsizetype pos = 0;
    if (text.at(0) == u'+' || text.at(0) == u'-') {
        q.m_negative = text.at(0) == u'-';
        ++pos;
    }
    const qsizetype intStart = pos;
    while (pos < end && isDigit(text.at(pos)))
        ++pos;
    const QStringView intDigits = text.mid(intStart, pos - intStart);
    QStringView fracDigits;
    if (pos < end && text.at(pos) == u'.') {
        const qsizetype fracStart = ++pos;
        while (pos < end && isDigit(text.at(pos)))
            ++pos;
        fracDigits = text.mid(fracStart, pos - fracStart);
    }
    if (intDigits.isEmpty() && fracDigits.isEmpty())
        return fail(QStringLiteral("no digits"));

    // The suffix, scanned as apimachinery does: suffix letters, then an
    // optional sign and digits (for the exponent forms).
    const qsizetype suffixStart = pos;
    static const QString suffixLetters = QStringLiteral("eEinumkKMGTP");
    while (pos < end && suffixLetters.contains(text.at(pos)))
        ++pos;
    if (pos < end && (text.at(pos) == u'+' || text.at(pos) == u'-'))
        ++pos;
    while (pos < end && isDigit(text.at(pos)))
        ++pos;
    if (pos != end)
        return fail(QStringLiteral("unexpected '%1' at offset %2").arg(text.at(pos)).arg(pos));
    const QStringView suffix = text.mid(suffixStart);
    int suffixExp10 = 0;
    if (!interpretSuffix(suffix, &suffixExp10, &q.m_exp2))
        return fail(QStringLiteral("unknown suffix \"%1\"").arg(suffix.toString()));

    // The mantissa: the first kMaxDigits significant digits; a further
    // non-zero digit rounds away from zero.
    qint64 exp10 = suffixExp10;
    int kept = 0;
    bool roundUp = false;
    const auto take = [&](QStringView digits, bool fraction) {
        for (QChar c : digits) {
            const int d = c.unicode() - u'0';
            if (kept < kMaxDigits) {
                q.m_mantissa = q.m_mantissa * 10 + quint64(d);
                if (q.m_mantissa != 0)
                    ++kept;
                if (fraction)
                    --exp10;
            } else {
                if (!fraction)
                    ++exp10;
                if (d != 0)
                    roundUp = true;
            }
        }
    };
    take(intDigits, false);
    take(fracDigits, true);
    if (roundUp)
        ++q.m_mantissa; // at most 10^19 < 2^64
    q.m_exp10 = exp10;
    return q;
}

qint64 Quantity::scaledValue(int scale) const
{
    const quint64 positiveLimit = quint64(std::numeric_limits<qint64>::max());
    const quint64 negativeLimit = positiveLimit + 1; // |INT64_MIN|
    const qint64 exp10 = m_exp10 - scale;
    if (!m_negative)
        return qint64(scaleMagnitude(m_mantissa, m_exp2, exp10, positiveLimit));
    const quint64 magnitude = scaleMagnitude(m_mantissa, m_exp2, exp10, negativeLimit);
    return magnitude == negativeLimit ? std::numeric_limits<qint64>::min() : -qint64(magnitude);
}

double Quantity::toDouble() const
{
    const double v = std::ldexp(double(m_mantissa) * std::pow(10.0, double(m_exp10)), m_exp2);
    return m_negative ? -v : v;
}

bool Quantity::operator==(const Quantity &other) const
{
    // Canonical form: value = odd-and-not-multiple-of-5 part * 2^a * 5^b.
    struct Canon {
        quint64 m;
        qint64 twos, fives;
        bool negative;
    };
    const auto canon = [](const Quantity &q) {
        Canon c { q.m_mantissa, q.m_exp2 + q.m_exp10, q.m_exp10, q.m_negative };
        if (c.m == 0)
            return Canon { 0, 0, 0, false };
        while (c.m % 2 == 0) {
            c.m /= 2;
            ++c.twos;
        }
        while (c.m % 5 == 0) {
            c.m /= 5;
            ++c.fives;
        }
        return c;
    };
    const Canon a = canon(*this), b = canon(other);
    return a.m == b.m && a.twos == b.twos && a.fives == b.fives && a.negative == b.negative;
}

} // namespace Bramble::Kube
