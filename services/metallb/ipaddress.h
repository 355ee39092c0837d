#pragma once

#include <QList>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <compare>
#include <optional>

namespace Bramble::MetalLB {

enum class IpFamily { V4, V6 };

// An unsigned 128-bit number: an IPv6 address, or a count of addresses.
struct Uint128 {
    quint64 hi = 0;
    quint64 lo = 0;

    friend bool operator==(const Uint128 &, const Uint128 &) = default;
    friend std::strong_ordering operator<=>(const Uint128 &a, const Uint128 &b)
    {
        if (auto c = a.hi <=> b.hi; c != 0)
            return c;
        return a.lo <=> b.lo;
    }
    QString toDecimal() const;

    // Modulo 2^128, as unsigned integers wrap.
    friend Uint128 operator+(const Uint128 &a, const Uint128 &b);
    friend Uint128 operator-(const Uint128 &a, const Uint128 &b);
};

// One IPv4 or IPv6 address. IPv4 addresses live in the low 32 bits.
// Addresses of different families are never equal; ordering puts IPv4 first.
struct IpAddress {
    IpFamily family = IpFamily::V4;
    Uint128 value;

    // Dotted quad without leading zeros (as Go's net.ParseIP since 1.17), or
    // RFC 4291 text (with "::" and a trailing dotted quad), no zone.
    static std::optional<IpAddress> parse(QStringView text);
    static IpAddress v4(quint32 bits) { return { IpFamily::V4, { 0, bits } }; }
    static IpAddress v6(quint64 hi, quint64 lo) { return { IpFamily::V6, { hi, lo } }; }

    int bitCount() const { return family == IpFamily::V4 ? 32 : 128; }
    // ::ffff:a.b.c.d
    bool isV4Mapped() const;
    // The IPv4 address inside an IPv4-mapped IPv6 address, else itself.
    IpAddress unmapped() const;
    // RFC 5952 text for IPv6 (lowest-case hex, longest zero run as "::";
    // IPv4-mapped addresses as ::ffff:a.b.c.d).
    QString toString() const;

    friend bool operator==(const IpAddress &, const IpAddress &) = default;
    friend std::strong_ordering operator<=>(const IpAddress &a, const IpAddress &b)
    {
        if (auto c = int(a.family) <=> int(b.family); c != 0)
            return c;
        return a.value <=> b.value;
    }
};

// How many addresses a block or range holds: up to 2^128, so a Uint128
// plus a flag for the one value that does not fit (all of IPv6).
struct AddressCount {
    Uint128 value;
    bool all128 = false; // exactly 2^128

    static AddressCount of(quint64 n) { return { { 0, n }, false }; }
    bool isZero() const { return !all128 && value == Uint128 {}; }
    // Saturates at the largest quint64.
    quint64 saturated() const;
    QString toString() const;
    friend bool operator==(const AddressCount &, const AddressCount &) = default;
    friend std::strong_ordering operator<=>(const AddressCount &a, const AddressCount &b)
    {
        if (auto c = a.all128 <=> b.all128; c != 0)
            return c;
        return a.value <=> b.value;
    }
    // Saturating: a sum beyond 2^128 is 2^128, a difference below 0 is 0.
    friend AddressCount operator+(const AddressCount &a, const AddressCount &b);
    friend AddressCount operator-(const AddressCount &a, const AddressCount &b);
    AddressCount &operator+=(const AddressCount &o) { return *this = *this + o; }
    AddressCount &operator-=(const AddressCount &o) { return *this = *this - o; }
};

// A CIDR block, network address and prefix length.
struct IpCidr {
    IpAddress network;
    int prefixLength = 0;

    IpAddress first() const { return network; }
    IpAddress last() const;
    AddressCount size() const;
    QString toString() const;
    friend bool operator==(const IpCidr &, const IpCidr &) = default;
};

// An inclusive range of addresses of one family, first <= last.
struct IpRange {
    IpAddress first;
    IpAddress last;

    IpFamily family() const { return first.family; }
    bool contains(const IpAddress &a) const { return a.family == first.family && first <= a && a <= last; }
    // False for ranges of different families.
    bool overlaps(const IpRange &other) const;
    AddressCount size() const;
    // The fewest CIDR blocks that cover exactly this range, in order.
    QList<IpCidr> toCidrs() const;
    QString toString() const;
    static IpRange fromCidr(const IpCidr &c) { return { c.first(), c.last() }; }
    friend bool operator==(const IpRange &, const IpRange &) = default;
};

// One entry of a pool's addresses, as MetalLB reads it: "a.b.c.d/n" (a CIDR,
// host bits allowed and masked off) or "first-last" (spaces around the
// hyphen allowed). A range whose ends are IPv4-mapped IPv6 addresses is an
// IPv4 range, as Go's To4() makes it in MetalLB.
struct AddressEntry {
    QString text;
    bool ok = false;
    QString error; // when !ok: what is wrong, without the entry text
    bool isCidr = false;
    IpCidr cidr; // when isCidr
    bool hostBitsSet = false; // "10.0.0.5/24": accepted, but probably a typo
    IpRange range; // the addresses covered (for a CIDR too)

    static AddressEntry parse(const QString &text);
    // The CIDR blocks MetalLB makes of the entry (a range becomes its minimal blocks).
    QList<IpCidr> cidrs() const { return isCidr ? QList<IpCidr> { cidr } : range.toCidrs(); }
};

// Parses "addr/len"; nullopt when malformed. hostBitsSet (optional) says
// whether the address had bits set beyond the prefix (they are cleared).
std::optional<IpCidr> parseCidr(QStringView text, bool *hostBitsSet = nullptr);

} // namespace Bramble::MetalLB
