#pragma once

#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <optional>

namespace Bramble::Kube {

// A Kubernetes resource.Quantity ("4", "3500m", "7816496Ki", "1.5Gi", "1e3",
// "-2.5k"), read with apimachinery's grammar (pkg/api/resource/quantity.go):
//
//   quantity  = [+|-] number suffix
//   number    = digits | digits "." digits | digits "." | "." digits
//   suffix    = "" | n | u | m | k | M | G | T | P | E       (10^-9 .. 10^18)
//             | Ki | Mi | Gi | Ti | Pi | Ei                   (2^10 .. 2^60)
//             | (e | E) [+|-] digits                           (10^digits)
//
// "E" alone is exa; "1E3" is 1000. No blanks are allowed anywhere. Unlike
// Go's scanner, a string without a single digit ("-", ".", "Ki") is rejected
// rather than read as zero. Exponents are limited to nine digits.
//
// Values are exact: the first 19 significant digits are kept, and any
// further non-zero digit rounds the last kept one up (away from zero), the
// direction Quantity.Value() and MilliValue() round in anyway.
class Quantity {
public:
    Quantity() = default; // zero

    // The quantity, or nullopt with *error saying what is wrong.
    static std::optional<Quantity> parse(QStringView text, QString *error = nullptr);

    // The value in units of 10^scale, rounded away from zero, saturating at
    // the qint64 limits: scaledValue(0) == value(), scaledValue(-3) == milliValue().
    qint64 scaledValue(int scale) const;
    // Whole units ("1.5Gi" -> 1610612736 bytes; "100m" -> 1), as Quantity.Value().
    qint64 value() const { return scaledValue(0); }
    // Thousandths ("250m" -> 250; "2" -> 2000): millicores for cpu.
    qint64 milliValue() const { return scaledValue(-3); }
    // Approximate, for charts.
    double toDouble() const;

    bool isZero() const { return m_mantissa == 0; }
    bool isNegative() const { return m_negative && m_mantissa != 0; }

    // Same number (not the same spelling: "1k" == "1000" == "1e3").
    bool operator==(const Quantity &other) const;

private:
    // value = (-1 if m_negative) * m_mantissa * 10^m_exp10 * 2^m_exp2
    quint64 m_mantissa = 0;
    qint64 m_exp10 = 0;
    int m_exp2 = 0;
    bool m_negative = false;
};

} // namespace Bramble::Kube
