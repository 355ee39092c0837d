#include "metallb/allocation.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonValue>
#include <QSet>

#include <algorithm>
#include <tuple>

namespace Bramble::MetalLB {

namespace {

// The first annotation present of the metallb.io and the older metallb.universe.tf forms.
QString annotation(const QJsonObject &annotations, const QString &suffix)
{
    for (const QString &prefix : { QStringLiteral("metallb.io/"), QStringLiteral("metallb.universe.tf/") }) {
        const QJsonValue v = annotations.value(QString(prefix + suffix));
        if (v.isString())
            return v.toString();
    }
    return {};
}

bool confusesBuggyFirmware(const IpAddress &a)
{
    if (a.family != IpFamily::V4)
        return false;
    const quint64 last = a.value.lo & 0xff;
    return last == 0 || last == 255;
}

// The addresses MetalLB can hand out from one CIDR block (allocator.go
// poolCount): all of them, minus the IPv4 .0 and .255 ones when avoidBuggyIPs.
// (MetalLB subtracts a /32 of a .0 address twice; it counts 0 here.)
AddressCount blockCount(const IpCidr &block, bool avoidBuggyIPs)
{
    AddressCount n = block.size();
    if (!avoidBuggyIPs || block.network.family != IpFamily::V4)
        return n;
    if (block.prefixLength <= 24)
        return n - AddressCount::of(quint64(2) << (24 - block.prefixLength));
    if (confusesBuggyFirmware(block.first()))
        n -= AddressCount::of(1);
    if (block.last() != block.first() && confusesBuggyFirmware(block.last()))
        n -= AddressCount::of(1);
    return n;
}

// As MetalLB's poolFor: in one of the pool's blocks and not a buggy address it avoids.
bool poolContains(const PoolUsage &pool, const IpAddress &ip)
{
    if (pool.avoidBuggyIPs && confusesBuggyFirmware(ip))
        return false;
    return std::any_of(pool.ranges.cbegin(), pool.ranges.cend(), [&](const IpRange &r) { return r.contains(ip); });
}

std::optional<IpAddress> parseIp(const QString &text)
{
    const auto ip = IpAddress::parse(QStringView(text).trimmed());
    return ip ? std::optional<IpAddress>(ip->unmapped()) : std::nullopt;
}

// An address as one key, whatever way it was written.
QString ipKey(const QString &text)
{
    const auto ip = parseIp(text);
    return ip ? ip->toString() : text.trimmed();
}

QString serviceId(const QString &ns, const QString &name)
{
    return ns + u'/' + name;
}

QString subjectOf(const QString &ns, const QString &name)
{
    return QStringLiteral("service/") + serviceId(ns, name);
}

// "a", "a and b", "a, b and c"
QString listing(const QStringList &items)
{
    if (items.size() < 2)
        return items.join(QString());
    return QStringList(items.mid(0, items.size() - 1)).join(QStringLiteral(", ")) + QStringLiteral(" and ")
        + items.constLast();
}

QJsonValue countJson(const AddressCount &c)
{
    constexpr quint64 maxExact = quint64(1) << 53;
    if (!c.all128 && c.value.hi == 0 && c.value.lo <= maxExact)
        return double(c.value.lo);
    return c.toString();
}

QString protocolOf(const AddressPool &pool, const QList<Advertisement> &ads)
{
    bool l2 = false, bgp = false;
    for (const Advertisement &ad : ads)
        if (advertisementSelects(ad, pool))
            (ad.kind == Advertisement::L2 ? l2 : bgp) = true;
    if (l2 && bgp)
        return QStringLiteral("layer2+bgp");
    if (l2)
        return QStringLiteral("layer2");
    return bgp ? QStringLiteral("bgp") : QStringLiteral("none");
}

PoolUsage usageOf(const AddressPool &pool, const QList<Advertisement> &ads)
{
    PoolUsage u;
    u.name = pool.name;
    u.source = pool.source;
    u.autoAssign = pool.autoAssign;
    u.avoidBuggyIPs = pool.avoidBuggyIPs;
    if (pool.source == PoolSource::ConfigMap) {
        u.protocol = pool.protocol;
        u.advertised = true;
    } else {
        u.protocol = protocolOf(pool, ads);
        u.advertised = u.protocol != u"none";
    }
    for (const AddressText &a : pool.addresses) {
        u.addresses << a.text;
        const AddressEntry e = AddressEntry::parse(a.text);
        if (!e.ok)
            continue; // the validator reports it
        u.ranges << e.range;
        for (const IpCidr &block : e.cidrs())
            u.total += blockCount(block, pool.avoidBuggyIPs);
    }
    return u;
}

Problem problem(Problem::Severity severity, const char *code, const QString &message, const QString &subject)
{
    return Problem { severity, QString::fromLatin1(code), message, subject };
}

class Analysis {
public:
    Analysis(const PoolConfig &config, const QList<LbService> &services)
        : m_services(services)
    {
        for (const AddressPool &p : config.pools)
            m_report.pools << usageOf(p, config.advertisements);
        std::stable_sort(m_services.begin(), m_services.end(), [](const LbService &a, const LbService &b) {
            return std::tie(a.namespace_, a.name) < std::tie(b.namespace_, b.name);
        });
    }

    AllocationReport run(const Issues &configIssues, const QList<NodeAddress> &nodes)
    {
        countUsage();
        for (const LbService &s : std::as_const(m_services))
            m_report.services << stateOf(s);
        checkSharing();
        checkNodes(nodes);
        checkAdvertised();
        for (const Issue &i : configIssues)
            m_problems << problem(i.severity == Issue::Error ? Problem::Error : Problem::Warning, "invalid-config",
                i.toString(),
                i.pool.isEmpty() || !i.objectKind.isEmpty() ? QStringLiteral("config")
                                                            : QString(QStringLiteral("pool/") + i.pool));
        std::stable_sort(m_problems.begin(), m_problems.end(),
            [](const Problem &a, const Problem &b) { return a.severity < b.severity; });
        m_report.problems = m_problems;
        return m_report;
    }

private:
    const PoolUsage *poolOf(const IpAddress &ip) const
    {
        for (const PoolUsage &p : m_report.pools)
            if (poolContains(p, ip))
                return &p;
        return nullptr;
    }

    // used, free and holders of every pool.
    void countUsage()
    {
        for (PoolUsage &pool : m_report.pools) {
            QSet<QString> held;
            for (const LbService &s : std::as_const(m_services))
                for (const QString &text : s.ingressIps)
                    if (const auto ip = parseIp(text); ip && poolContains(pool, *ip)) {
                        held.insert(ip->toString());
                        pool.services << PoolHolder { s.namespace_, s.name, ip->toString() };
                    }
            pool.used = AddressCount::of(quint64(held.size()));
            pool.free = pool.total - pool.used;
            std::sort(pool.services.begin(), pool.services.end(), [](const PoolHolder &a, const PoolHolder &b) {
                const IpAddress x = *parseIp(a.ip), y = *parseIp(b.ip);
                return std::tie(x, a.namespace_, a.name) < std::tie(y, b.namespace_, b.name);
            });
        }
    }

    ServiceState stateOf(const LbService &s)
    {
        ServiceState st;
        st.namespace_ = s.namespace_;
        st.name = s.name;
        st.ips = s.ingressIps;
        const QString subject = subjectOf(s.namespace_, s.name);
        // Another implementation's service: MetalLB leaves it alone, so do we.
        const bool ours = s.loadBalancerClass.isEmpty();
        if (s.ingressIps.isEmpty()) {
            st.state = ServiceState::Pending;
            if (ours)
                explainPending(s, st, subject);
            else
                st.reason = QStringLiteral("loadBalancerClass \"%1\" is not MetalLB's").arg(s.loadBalancerClass);
            return st;
        }
        QStringList outside;
        bool annotatedHoldsAll = !s.allocatedPool.isEmpty();
        const PoolUsage *annotated = m_report.pool(s.allocatedPool);
        for (const QString &text : s.ingressIps) {
            const auto ip = parseIp(text);
            if (!ip || !poolOf(*ip))
                outside << text;
            if (!annotated || !ip || !poolContains(*annotated, *ip))
                annotatedHoldsAll = false;
        }
        if (annotatedHoldsAll) {
            st.pool = s.allocatedPool;
        } else {
            const auto first = parseIp(s.ingressIps.constFirst());
            const PoolUsage *p = first ? poolOf(*first) : nullptr;
            st.pool = p ? p->name : QString();
            if (!s.allocatedPool.isEmpty() && ours)
                m_problems << problem(Problem::Warning, "ip-in-wrong-pool",
                    QStringLiteral("%1 holds %2, but its ip-allocated-from-pool annotation names pool \"%3\", %4")
                        .arg(serviceId(s.namespace_, s.name), listing(s.ingressIps), s.allocatedPool,
                            annotated ? QStringLiteral("which does not contain it")
                                      : QStringLiteral("which does not exist")),
                    subject);
        }
        if (outside.isEmpty()) {
            st.state = ServiceState::Assigned;
            return st;
        }
        st.state = ServiceState::OutsidePools;
        st.reason = QStringLiteral("%1 outside every pool").arg(listing(outside));
        if (ours)
            m_problems << problem(Problem::Error, "ip-outside-pools",
                QStringLiteral("%1 holds %2, outside every address pool")
                    .arg(serviceId(s.namespace_, s.name), listing(outside)),
                subject);
        return st;
    }

    struct Reason {
        const char *code;
        QString text;
    };

    Reason pendingReason(const LbService &s) const
    {
        if (!s.requestedPool.isEmpty() && !m_report.pool(s.requestedPool))
            return { "pending-pool-missing",
                QStringLiteral("requested pool \"%1\" does not exist").arg(s.requestedPool) };
        for (const QString &text : s.requestedIps) {
            const auto ip = parseIp(text);
            if (!ip)
                return { "pending-ip-outside-pools",
                    QStringLiteral("requested IP \"%1\" is not an IP address").arg(text) };
            if (!poolOf(*ip))
                return { "pending-ip-outside-pools",
                    QStringLiteral("requested IP %1 is outside every pool").arg(text) };
        }
        const Reason waiting { "pending", QStringLiteral("waiting for MetalLB to assign an address") };
        if (!s.requestedIps.isEmpty())
            return waiting;
        if (const PoolUsage *p = m_report.pool(s.requestedPool))
            return p->free.isZero()
                ? Reason { "pending-pool-exhausted", QStringLiteral("pool \"%1\" is exhausted").arg(p->name) }
                : waiting;
        const auto autoAssign = [](const PoolUsage &p) { return p.autoAssign; };
        if (std::none_of(m_report.pools.cbegin(), m_report.pools.cend(), autoAssign))
            return { "pending-pool-missing",
                QStringLiteral("no pool assigns addresses automatically and none is requested") };
        if (std::all_of(m_report.pools.cbegin(), m_report.pools.cend(),
                [](const PoolUsage &p) { return !p.autoAssign || p.free.isZero(); }))
            return { "pending-pool-exhausted", QStringLiteral("every pool that assigns automatically is exhausted") };
        return waiting;
    }

    void explainPending(const LbService &s, ServiceState &st, const QString &subject)
    {
        const Reason r = pendingReason(s);
        st.reason = r.text;
        m_problems << problem(qstrcmp(r.code, "pending") == 0 ? Problem::Warning : Problem::Error, r.code,
            QStringLiteral("%1 is pending: %2").arg(serviceId(s.namespace_, s.name), r.text), subject);
    }

    void checkSharing()
    {
        QHash<QString, QList<const LbService *>> byIp;
        QStringList order;
        for (const LbService &s : std::as_const(m_services))
            for (const QString &text : s.ingressIps) {
                const QString key = ipKey(text);
                if (!byIp.contains(key))
                    order << key;
                byIp[key] << &s;
            }
        for (const QString &ip : std::as_const(order)) {
            const QList<const LbService *> &holders = byIp[ip];
            if (holders.size() < 2)
                continue;
            const QString key = holders.constFirst()->sharingKey;
            const bool ok = !key.isEmpty() && std::all_of(holders.cbegin(), holders.cend(), [&](const LbService *s) {
                return s->sharingKey == key;
            });
            if (ok)
                continue;
            QStringList names;
            for (const LbService *s : holders)
                names << serviceId(s->namespace_, s->name);
            m_problems << problem(Problem::Error, "shared-ip-without-key",
                QStringLiteral("%1 share %2 without the same metallb.io/allow-shared-ip key").arg(listing(names), ip),
                QString(QStringLiteral("ip/") + ip));
        }
    }

    void checkNodes(const QList<NodeAddress> &nodes)
    {
        for (const PoolUsage &pool : std::as_const(m_report.pools))
            for (const NodeAddress &n : nodes)
                if (const auto ip = parseIp(n.ip); ip && poolContains(pool, *ip))
                    m_problems << problem(Problem::Error, "pool-overlaps-node-ip",
                        QStringLiteral("pool \"%1\" contains %2, the InternalIP of node %3: MetalLB may hand it "
                                       "to a service")
                            .arg(pool.name, n.ip, n.node),
                        QString(QStringLiteral("pool/") + pool.name));
    }

    void checkAdvertised()
    {
        for (const PoolUsage &pool : std::as_const(m_report.pools)) {
            if (pool.advertised)
                continue;
            const bool used = !pool.used.isZero();
            m_problems << problem(used ? Problem::Error : Problem::Warning, "pool-not-advertised",
                used ? QStringLiteral("pool \"%1\" is not selected by any L2Advertisement or BGPAdvertisement: "
                                      "its addresses are assigned but never announced")
                           .arg(pool.name)
                     : QStringLiteral("pool \"%1\" is not selected by any L2Advertisement or BGPAdvertisement: "
                                      "its addresses would never be announced")
                           .arg(pool.name),
                QString(QStringLiteral("pool/") + pool.name));
        }
    }

    QList<LbService> m_services; // sorted by namespace, name
    AllocationReport m_report;
    QList<Problem> m_problems;
};

} // namespace

std::optional<LbService> LbService::fromJson(const QJsonObject &service)
{
    const QJsonObject spec = service.value(u"spec").toObject();
    if (spec.value(u"type").toString() != u"LoadBalancer")
        return std::nullopt;
    const QJsonObject md = service.value(u"metadata").toObject();
    const QJsonObject annotations = md.value(u"annotations").toObject();
    LbService s;
    s.namespace_ = md.value(u"namespace").toString();
    s.name = md.value(u"name").toString();
    const QJsonArray ingress
        = service.value(u"status").toObject().value(u"loadBalancer").toObject().value(u"ingress").toArray();
    for (const QJsonValue &v : ingress)
        if (const QString ip = v.toObject().value(u"ip").toString(); !ip.isEmpty())
            s.ingressIps << ip;
    s.allocatedPool = annotation(annotations, QStringLiteral("ip-allocated-from-pool"));
    s.requestedPool = annotation(annotations, QStringLiteral("address-pool"));
    s.sharingKey = annotation(annotations, QStringLiteral("allow-shared-ip"));
    for (const QString &ip : annotation(annotations, QStringLiteral("loadBalancerIPs")).split(u','))
        if (!ip.trimmed().isEmpty())
            s.requestedIps << ip.trimmed();
    if (s.requestedIps.isEmpty())
        if (const QString ip = spec.value(u"loadBalancerIP").toString().trimmed(); !ip.isEmpty())
            s.requestedIps << ip;
    s.loadBalancerClass = spec.value(u"loadBalancerClass").toString();
    return s;
}

QString ServiceState::stateName(State s)
{
    switch (s) {
    case Assigned:
        return QStringLiteral("assigned");
    case OutsidePools:
        return QStringLiteral("outside-pools");
    case Pending:
        break;
    }
    return QStringLiteral("pending");
}

QString Problem::severityName(Severity s)
{
    return s == Error ? QStringLiteral("error") : QStringLiteral("warning");
}

const PoolUsage *AllocationReport::pool(const QString &name) const
{
    if (name.isEmpty())
        return nullptr;
    for (const PoolUsage &p : pools)
        if (p.name == name)
            return &p;
    return nullptr;
}

QJsonObject AllocationReport::toJson() const
{
    QJsonArray poolArray;
    for (const PoolUsage &p : pools) {
        QJsonArray holders;
        for (const PoolHolder &h : p.services)
            holders << QJsonObject { { QStringLiteral("namespace"), h.namespace_ }, { QStringLiteral("name"), h.name },
                { QStringLiteral("ip"), h.ip } };
        poolArray << QJsonObject {
            { QStringLiteral("name"), p.name },
            { QStringLiteral("source"),
                p.source == PoolSource::Crd ? QStringLiteral("crd") : QStringLiteral("configmap") },
            { QStringLiteral("protocol"), p.protocol },
            { QStringLiteral("addresses"), QJsonArray::fromStringList(p.addresses) },
            { QStringLiteral("total"), countJson(p.total) },
            { QStringLiteral("used"), countJson(p.used) },
            { QStringLiteral("free"), countJson(p.free) },
            { QStringLiteral("autoAssign"), p.autoAssign },
            { QStringLiteral("avoidBuggyIPs"), p.avoidBuggyIPs },
            { QStringLiteral("services"), holders },
        };
    }
    QJsonArray serviceArray;
    for (const ServiceState &s : services)
        serviceArray << QJsonObject {
            { QStringLiteral("namespace"), s.namespace_ },
            { QStringLiteral("name"), s.name },
            { QStringLiteral("ips"), QJsonArray::fromStringList(s.ips) },
            { QStringLiteral("pool"), s.pool.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s.pool) },
            { QStringLiteral("state"), ServiceState::stateName(s.state) },
        };
    QJsonArray problemArray;
    for (const Problem &p : problems)
        problemArray << QJsonObject {
            { QStringLiteral("severity"), Problem::severityName(p.severity) },
            { QStringLiteral("code"), p.code },
            { QStringLiteral("message"), p.message },
            { QStringLiteral("subject"), p.subject },
        };
    return QJsonObject { { QStringLiteral("pools"), poolArray }, { QStringLiteral("services"), serviceArray },
        { QStringLiteral("problems"), problemArray } };
}

AllocationReport analyzeAllocation(const PoolConfig &config, const Issues &configIssues,
    const QList<LbService> &services, const QList<NodeAddress> &nodes)
{
    return Analysis(config, services).run(configIssues, nodes);
}

} // namespace Bramble::MetalLB
