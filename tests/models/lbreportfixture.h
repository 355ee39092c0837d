#pragma once

// Hand-built MetalLB allocation reports for the Load balancers model tests.

#include "metallb/allocation.h"

#include <QStringList>

namespace Bramble::Test {

inline QString s(const char *text)
{
    return QString::fromUtf8(text);
}

inline MetalLB::IpAddress ip(const char *text)
{
    return *MetalLB::IpAddress::parse(QString::fromLatin1(text));
}

inline MetalLB::AddressCount count(quint64 n)
{
    return { { 0, n }, false };
}

// A pool of one range "first-last" (IPv4 or IPv6), with holders "ns/name@ip".
inline MetalLB::PoolUsage pool(const char *name, const char *first, const char *last, const QStringList &holders = {},
    MetalLB::PoolSource source = MetalLB::PoolSource::Crd)
{
    MetalLB::PoolUsage p;
    p.name = QString::fromLatin1(name);
    p.source = source;
    p.protocol = QStringLiteral("layer2");
    p.addresses = { QString::fromLatin1(first) + u'-' + QString::fromLatin1(last) };
    p.ranges = { { ip(first), ip(last) } };
    p.total = p.ranges.constFirst().size();
    p.advertised = true;
    for (const QString &h : holders) {
        const QString who = h.section(u'@', 0, 0);
        p.services.append({ who.section(u'/', 0, 0), who.section(u'/', 1), h.section(u'@', 1) });
    }
    QStringList distinct;
    for (const MetalLB::PoolHolder &h : p.services)
        if (!distinct.contains(h.ip))
            distinct << h.ip;
    p.used = count(quint64(distinct.size()));
    p.free = count(p.total.value.lo - quint64(distinct.size()));
    return p;
}

inline MetalLB::ServiceState service(const char *ns, const char *name, const QStringList &ips, const char *pool,
    MetalLB::ServiceState::State state = MetalLB::ServiceState::Assigned, const char *reason = "")
{
    MetalLB::ServiceState s;
    s.namespace_ = QString::fromLatin1(ns);
    s.name = QString::fromLatin1(name);
    s.ips = ips;
    s.pool = QString::fromLatin1(pool);
    s.state = state;
    s.reason = QString::fromLatin1(reason);
    return s;
}

inline MetalLB::Problem problem(
    MetalLB::Problem::Severity severity, const char *code, const char *subject, const char *message)
{
    return { severity, QString::fromLatin1(code), QString::fromLatin1(message), QString::fromLatin1(subject) };
}

} // namespace Bramble::Test
