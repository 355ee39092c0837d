#pragma once

#include "metallb/ipaddress.h"
#include "metallb/poolconfig.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Bramble::MetalLB {

// What MetalLB needs to know of a Service of type LoadBalancer, read from
// its JSON. Plain value.
struct LbService {
    QString namespace_;
    QString name;
    // status.loadBalancer.ingress[].ip, in order (hostname-only entries skipped).
    QStringList ingressIps;
    // metallb.io/ip-allocated-from-pool, else metallb.universe.tf/ip-allocated-from-pool.
    QString allocatedPool;
    // metallb.io/address-pool, else metallb.universe.tf/address-pool.
    QString requestedPool;
    // metallb.io/loadBalancerIPs (comma-separated; else the metallb.universe.tf/
    // form), else spec.loadBalancerIP.
    QStringList requestedIps;
    // metallb.io/allow-shared-ip, else metallb.universe.tf/allow-shared-ip.
    QString sharingKey;
    // spec.loadBalancerClass; MetalLB ignores services of another class
    // unless it was started with that class (we assume the default: none).
    QString loadBalancerClass;

    // nullopt when the object is not a Service of spec.type LoadBalancer.
    static std::optional<LbService> fromJson(const QJsonObject &service);
};

// A node's InternalIP, to catch a pool that hands out a node's address.
struct NodeAddress {
    QString node;
    QString ip;
};

// A service holding an address of a pool.
struct PoolHolder {
    QString namespace_;
    QString name;
    QString ip;
};

struct PoolUsage {
    QString name;
    PoolSource source = PoolSource::Crd;
    // ConfigMap: the pool's protocol. CRD: from the advertisements that select
    // it: "layer2", "bgp", "layer2+bgp", or "none" when none does.
    QString protocol;
    QStringList addresses; // the entries as written
    QList<IpRange> ranges; // the valid entries, as address ranges
    // Counted as MetalLB counts (allocator.go poolCount): every address of
    // every CIDR block, minus the .0/.255 addresses when avoidBuggyIPs.
    AddressCount total;
    AddressCount used; // distinct addresses of this pool held by services
    AddressCount free; // total - used (never negative)
    bool autoAssign = true;
    bool avoidBuggyIPs = false;
    bool advertised = false; // some L2/BGP advertisement selects it (ConfigMap pools: always)
    QList<PoolHolder> services; // sorted by IP, then namespace/name
};

struct ServiceState {
    enum State { Assigned, Pending, OutsidePools };
    QString namespace_;
    QString name;
    QStringList ips;
    QString pool; // the pool its first IP belongs to (or the annotation); empty when none
    State state = Pending;
    // Pending: the likely reason ("pool \"x\" is exhausted", "requested pool
    // \"x\" does not exist", "requested IP 1.2.3.4 is outside every pool", ...).
    QString reason;

    static QString stateName(State s); // "assigned", "pending", "outside-pools"
};

struct Problem {
    enum Severity { Error, Warning };
    Severity severity = Error;
    // Stable identifiers scripts can match: "invalid-config", "ip-outside-pools",
    // "shared-ip-without-key", "pool-overlaps-node-ip", "pool-not-advertised",
    // "pending-pool-exhausted", "pending-pool-missing", "pending-ip-outside-pools",
    // "pending" (no better reason known), "ip-in-wrong-pool" (the allocated-from
    // annotation names a pool the IP is not in).
    QString code;
    QString message; // one sentence for people
    // What it is about: "service/NS/NAME", "pool/NAME", "node/NAME", "ip/ADDR".
    QString subject;

    static QString severityName(Severity s); // "error", "warning"
};

// The whole picture the Load balancers pane and `bramblectl pools` show.
struct AllocationReport {
    QList<PoolUsage> pools; // in config order
    QList<ServiceState> services; // sorted by namespace, name
    QList<Problem> problems; // errors first, then warnings; stable order within

    const PoolUsage *pool(const QString &name) const;
    // `bramblectl pools --json`:
    // {"pools": [{"name", "source": "crd"|"configmap", "protocol", "addresses": [...],
    //   "total", "used", "free", "autoAssign", "avoidBuggyIPs",
    //   "services": [{"namespace", "name", "ip"}]}],
    //  "services": [{"namespace", "name", "ips": [...], "pool" (null when none),
    //   "state": "assigned"|"pending"|"outside-pools"}],
    //  "problems": [{"severity": "error"|"warning", "code", "message", "subject"}]}
    // Counts are JSON numbers up to 2^53 and decimal strings beyond (huge IPv6 pools).
    QJsonObject toJson() const;
};

// Works out who holds what. `config` is what the cluster (or files) hold;
// `configIssues` are the reader's and validator's findings, reported as
// "invalid-config" problems. Pure function, thread-safe.
AllocationReport analyzeAllocation(const PoolConfig &config, const Issues &configIssues,
    const QList<LbService> &services, const QList<NodeAddress> &nodes);

} // namespace Bramble::MetalLB
