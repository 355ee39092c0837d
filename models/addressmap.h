#pragma once

#include "metallb/allocation.h"

#include <QList>
#include <QStringList>

namespace Bramble::Models {

// One cell per address of an IPv4 pool, for the address map: what state
// each address is in and who holds it. Plain value, built from a report.
//
// States: Free; Used (one service holds it); Shared (more than one service
// holds it); Problem (held by a service some problem is about, or an address
// a problem names: "ip/ADDR"); Excluded (a .0 or .255 address MetalLB does
// not hand out because the pool sets avoidBuggyIPs, and nobody holds it).
//
// A pool larger than the cap shows its first `cap` addresses, in the order
// of its entries; notShown() says how many more there are. IPv6 pools have
// no map (isIpv4() false, no cells): they are too large to draw.
struct AddressMap {
    enum State { Free, Used, Shared, Problem, Excluded };

    struct Cell {
        MetalLB::IpAddress address;
        State state = Free;
        QStringList holders; // "NS/NAME" of the services holding it, sorted
    };

    static constexpr int DefaultCap = 4096;

    // The map of `pool` in `report`; an empty map (no pool) when there is none.
    static AddressMap build(const MetalLB::AllocationReport &report, const QString &pool, int cap = DefaultCap);

    QString pool;
    bool isIpv4 = false;
    QList<Cell> cells;
    quint64 totalAddresses = 0; // every address of the pool's entries (saturated)
    quint64 notShown = 0; // totalAddresses - cells.size()

    bool isEmpty() const { return cells.isEmpty(); }
    int count(State state) const;
    // "web/nginx holds 192.168.1.240", "free", ... one line per fact.
    QString describe(int cell) const;
    static QString stateName(State state);
};

} // namespace Bramble::Models
