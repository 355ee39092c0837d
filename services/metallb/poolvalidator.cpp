#include "metallb/poolvalidator.h"

#include "metallb/ipaddress.h"

#include <QHash>
#include <QLocale>

#include <algorithm>

namespace Bramble::MetalLB {

namespace {

const QString kMetalLBNamespace = QStringLiteral("metallb-system");

struct ParsedEntry {
    int pool = 0;
    AddressEntry entry;
    int line = 0;
};

Origin at(const Origin &o, int line)
{
    Origin r = o;
    if (line > 0)
        r.line = line;
    return r;
}

QString describe(const AddressPool &p, const ParsedEntry &e)
{
    return QStringLiteral("entry \"%1\" of pool \"%2\" (%3document %4, line %5)")
        .arg(e.entry.text, p.name, p.origin.file.isEmpty() ? QString() : p.origin.file + QStringLiteral(", "))
        .arg(p.origin.document)
        .arg(e.line);
}

// MetalLB's rule (validateBGPAdvPerPool): an entry's prefix must not be more
// specific than the aggregation length. A range becomes several blocks; it
// is rejected only when none of them fits, i.e. when the aggregation length
// is shorter than the shortest of its prefixes.
void checkAggregation(const AddressPool &pool, const QList<ParsedEntry> &entries, int poolIndex, std::optional<int> v4,
    std::optional<int> v6, const Origin &where, const QString &kind, const QString &name, Issues &issues)
{
    for (const ParsedEntry &e : entries) {
        if (e.pool != poolIndex)
            continue;
        const bool isV4 = e.entry.range.family() == IpFamily::V4;
        const int max = isV4 ? v4.value_or(32) : v6.value_or(128);
        int lowest = e.entry.range.first.bitCount();
        for (const IpCidr &c : e.entry.cidrs())
            lowest = std::min(lowest, c.prefixLength);
        if (max < lowest)
            issues << Issue { Issue::Error, where, kind, name, {},
                QStringLiteral("%1 %2 is shorter than prefix /%3 of entry \"%4\" of pool \"%5\": "
                               "the pool's addresses are more specific than the aggregation length")
                    .arg(isV4 ? QStringLiteral("aggregation length") : QStringLiteral("IPv6 aggregation length"))
                    .arg(max)
                    .arg(lowest)
                    .arg(e.entry.text, pool.name) };
    }
}

void checkAggregationBounds(std::optional<int> v4, std::optional<int> v6, const Origin &where, const QString &kind,
    const QString &name, Issues &issues)
{
    if (v4 && (*v4 < 0 || *v4 > 32))
        issues << Issue { Issue::Error, where, kind, name, {},
            QStringLiteral("aggregation length %1 is out of bounds for IPv4 (0..32)").arg(*v4) };
    if (v6 && (*v6 < 0 || *v6 > 128))
        issues << Issue { Issue::Error, where, kind, name, {},
            QStringLiteral("IPv6 aggregation length %1 is out of bounds (0..128)").arg(*v6) };
}

// How many overlaps are listed per pair of pools (or within one pool)
// before the rest are summed up in one line.
constexpr int kOverlapsShownPerPoolPair = 10;

// Overlaps in n log n: sort the entries by their first address, then sweep
// once, keeping for each pool still "open" (an entry of it reaches the
// current address) the entry that reaches furthest. An entry overlaps a pool
// when that pool is open at its first address: one finding per entry and
// pool (never one per pair of entries, which is quadratic for N copies of
// one CIDR), reported on the entry that comes later in the files, and at
// most kOverlapsShownPerPoolPair per pair of pools, then "… and N more".
void checkOverlaps(const PoolConfig &config, const QList<ParsedEntry> &entries, Issues &issues)
{
    QList<int> order(entries.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const IpRange &ra = entries.at(a).entry.range, &rb = entries.at(b).entry.range;
        if (ra.first != rb.first)
            return ra.first < rb.first;
        return a < b;
    });
    struct Open {
        int pool;
        int entry; // the entry of that pool that reaches furthest
    };
    QList<Open> open; // few: the pools that cover the current address
    QList<std::pair<int, int>> pairs; // (earlier, later) entry indexes
    for (const int index : std::as_const(order)) {
        const IpRange &r = entries.at(index).entry.range;
        const int pool = entries.at(index).pool;
        bool ownPoolOpen = false;
        for (qsizetype k = 0; k < open.size();) {
            const IpRange &reach = entries.at(open.at(k).entry).entry.range;
            if (reach.first.family != r.first.family || reach.last < r.first) {
                open.removeAt(k); // closed for good: later entries start further on
                continue;
            }
            pairs << std::minmax(open.at(k).entry, index);
            if (open.at(k).pool == pool) {
                ownPoolOpen = true;
                if (reach.last < r.last)
                    open[k].entry = index;
            }
            ++k;
        }
        if (!ownPoolOpen)
            open.append({ pool, index });
    }
    std::sort(pairs.begin(), pairs.end());

    QHash<std::pair<int, int>, int> perPoolPair;
    QList<std::pair<int, int>> hidden; // pool pairs with overlaps left out, in order seen
    QHash<std::pair<int, int>, int> hiddenCount;
    for (const auto &[earlier, later] : std::as_const(pairs)) {
        const ParsedEntry &a = entries.at(earlier);
        const ParsedEntry &b = entries.at(later);
        const std::pair<int, int> poolPair = std::minmax(a.pool, b.pool);
        if (++perPoolPair[poolPair] > kOverlapsShownPerPoolPair) {
            if (hiddenCount[poolPair]++ == 0)
                hidden.append(poolPair);
            continue;
        }
        const AddressPool &pb = config.pools.at(b.pool);
        issues << Issue { Issue::Error, at(pb.origin, b.line), {}, pb.name, b.entry.text,
            QStringLiteral("overlaps %1").arg(describe(config.pools.at(a.pool), a)) };
    }
    for (const auto &poolPair : std::as_const(hidden)) {
        const AddressPool &pa = config.pools.at(poolPair.first);
        const AddressPool &pb = config.pools.at(poolPair.second);
        const QString count = QLocale(QLocale::English).toString(hiddenCount.value(poolPair));
        const QString text = poolPair.first == poolPair.second
            ? QStringLiteral("… and %1 more overlapping entries within the pool").arg(count)
            : QStringLiteral("… and %1 more entries overlapping pool \"%2\"").arg(count, pa.name);
        issues << Issue { Issue::Error, pb.origin, {}, pb.name, {}, text };
    }
}

} // namespace

Issues PoolValidator::validate(const PoolConfig &config)
{
    Issues issues;
    QList<ParsedEntry> entries;
    QHash<QString, int> firstByName;

    for (int i = 0; i < config.pools.size(); ++i) {
        const AddressPool &p = config.pools.at(i);
        const auto issue = [&](Issue::Severity s, int line, const QString &entry, const QString &message) {
            issues << Issue { s, at(p.origin, line), {}, p.name, entry, message };
        };
        if (p.name.isEmpty())
            issue(Issue::Error, 0, {}, QStringLiteral("missing pool name"));
        else if (firstByName.contains(p.name))
            issue(Issue::Error, 0, {},
                QStringLiteral("duplicate definition of pool \"%1\" (first in document %2, line %3)")
                    .arg(p.name)
                    .arg(config.pools.at(firstByName.value(p.name)).origin.document)
                    .arg(config.pools.at(firstByName.value(p.name)).origin.line));
        else
            firstByName.insert(p.name, i);

        if (p.addresses.isEmpty())
            issue(Issue::Error, 0, {}, QStringLiteral("pool has no addresses"));

        if (p.source == PoolSource::Crd) {
            if (p.namespace_.isEmpty())
                issue(Issue::Warning, 0, {},
                    QStringLiteral("no metadata.namespace: MetalLB reads IPAddressPools in metallb-system only "
                                   "(apply with -n metallb-system)"));
            else if (p.namespace_ != kMetalLBNamespace)
                issue(Issue::Error, 0, {},
                    QStringLiteral("IPAddressPool in namespace \"%1\": MetalLB reads only metallb-system")
                        .arg(p.namespace_));
        } else {
            if (p.protocol.isEmpty())
                issue(Issue::Error, 0, {}, QStringLiteral("missing protocol (layer2 or bgp)"));
            else if (p.protocol != u"layer2" && p.protocol != u"bgp")
                issue(Issue::Error, 0, {}, QStringLiteral("unknown protocol \"%1\" (layer2 or bgp)").arg(p.protocol));
            if (!p.bgpAdvertisements.isEmpty() && !p.protocol.isEmpty() && p.protocol != u"bgp")
                issue(Issue::Error, p.bgpAdvertisements.constFirst().line, {},
                    QStringLiteral("bgp-advertisements are only valid for protocol bgp, not \"%1\"").arg(p.protocol));
        }

        for (const AddressText &a : p.addresses) {
            const AddressEntry e = AddressEntry::parse(a.text);
            if (!e.ok) {
                issue(Issue::Error, a.line, a.text, e.error);
                continue;
            }
            if (e.hostBitsSet)
                issue(Issue::Warning, a.line, a.text,
                    QStringLiteral("host bits set: MetalLB uses %1").arg(e.cidr.toString()));
            entries << ParsedEntry { i, e, a.line };
        }
    }

    checkOverlaps(config, entries, issues);

    // Legacy per-pool BGP advertisements.
    for (int i = 0; i < config.pools.size(); ++i) {
        const AddressPool &p = config.pools.at(i);
        for (const LegacyBgpAdvertisement &adv : p.bgpAdvertisements) {
            const Origin where = at(p.origin, adv.line);
            const int before = issues.size();
            checkAggregationBounds(adv.aggregationLength, adv.aggregationLengthV6, where, {}, p.name, issues);
            if (issues.size() == before)
                checkAggregation(
                    p, entries, i, adv.aggregationLength, adv.aggregationLengthV6, where, {}, p.name, issues);
        }
    }

    // CRD advertisements.
    for (const Advertisement &ad : config.advertisements) {
        const QString kind
            = ad.kind == Advertisement::L2 ? QStringLiteral("L2Advertisement") : QStringLiteral("BGPAdvertisement");
        if (!ad.namespace_.isEmpty() && ad.namespace_ != kMetalLBNamespace)
            issues << Issue { Issue::Error, ad.origin, kind, ad.name, {},
                QStringLiteral("%1 in namespace \"%2\": MetalLB reads only metallb-system").arg(kind, ad.namespace_) };
        for (const QString &name : ad.ipAddressPools)
            if (!firstByName.contains(name))
                issues << Issue { Issue::Warning, ad.origin, kind, ad.name, {},
                    QStringLiteral("selects pool \"%1\", which these files do not define").arg(name) };
        if (ad.kind != Advertisement::Bgp)
            continue;
        const Origin where = at(ad.origin, ad.aggregationLengthLine);
        const int before = issues.size();
        checkAggregationBounds(ad.aggregationLength, ad.aggregationLengthV6, where, kind, ad.name, issues);
        if (issues.size() != before)
            continue;
        // By name or label selector; with neither, every pool.
        for (int i = 0; i < config.pools.size(); ++i) {
            const AddressPool &p = config.pools.at(i);
            if (p.source != PoolSource::Crd)
                continue;
            if (advertisementSelects(ad, p))
                checkAggregation(
                    p, entries, i, ad.aggregationLength, ad.aggregationLengthV6, where, kind, ad.name, issues);
        }
    }
    return issues;
}

} // namespace Bramble::MetalLB
