#include "models/addressmap.h"

#include "models/lbformat.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace Bramble::Models {

using MetalLB::IpAddress;
using MetalLB::IpFamily;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Bramble::Models::AddressMap", text);
}

bool confusesBuggyFirmware(const IpAddress &a)
{
    const quint32 last = quint32(a.value.lo & 0xff);
    return last == 0 || last == 255;
}

} // namespace

AddressMap AddressMap::build(const MetalLB::AllocationReport &report, const QString &poolName, int cap)
{
    AddressMap map;
    const auto it = std::find_if(
        report.pools.cbegin(), report.pools.cend(), [&](const MetalLB::PoolUsage &p) { return p.name == poolName; });
    if (it == report.pools.cend())
        return map;
    const MetalLB::PoolUsage &pool = *it;
    map.pool = pool.name;
    map.isIpv4 = !pool.ranges.isEmpty()
        && std::all_of(pool.ranges.cbegin(), pool.ranges.cend(),
            [](const MetalLB::IpRange &r) { return r.family() == IpFamily::V4; });
    for (const MetalLB::IpRange &r : pool.ranges) {
        const quint64 size = r.size().saturated();
        map.totalAddresses = size > ~quint64(0) - map.totalAddresses ? ~quint64(0) : map.totalAddresses + size;
    }
    if (!map.isIpv4) {
        map.notShown = map.totalAddresses;
        return map;
    }

    // Who holds what, and what problems name.
    QHash<QString, QStringList> holders; // ip text -> "NS/NAME"
    for (const MetalLB::PoolHolder &h : pool.services)
        holders[h.ip] << QString(h.namespace_ + u'/' + h.name);
    QSet<QString> troubled; // "NS/NAME" and ip text
    for (const MetalLB::Problem &p : report.problems) {
        if (p.subject.startsWith(QLatin1String("service/")))
            troubled.insert(p.subject.mid(8));
        else if (p.subject.startsWith(QLatin1String("ip/")))
            troubled.insert(p.subject.mid(3));
    }

    cap = std::max(cap, 0);
    for (const MetalLB::IpRange &r : pool.ranges) {
        for (quint64 v = r.first.value.lo; v <= r.last.value.lo && map.cells.size() < cap; ++v) {
            Cell cell;
            cell.address = IpAddress::v4(quint32(v));
            const QString text = cell.address.toString();
            cell.holders = holders.value(text);
            std::sort(cell.holders.begin(), cell.holders.end());
            cell.holders.erase(std::unique(cell.holders.begin(), cell.holders.end()), cell.holders.end());
            const bool problem = troubled.contains(text)
                || std::any_of(
                    cell.holders.cbegin(), cell.holders.cend(), [&](const QString &h) { return troubled.contains(h); });
            if (problem)
                cell.state = Problem;
            else if (cell.holders.size() > 1)
                cell.state = Shared;
            else if (cell.holders.size() == 1)
                cell.state = Used;
            else if (pool.avoidBuggyIPs && confusesBuggyFirmware(cell.address))
                cell.state = Excluded;
            map.cells.append(cell);
        }
        if (map.cells.size() >= cap)
            break;
    }
    map.notShown = map.totalAddresses - quint64(map.cells.size());
    return map;
}

int AddressMap::count(State state) const
{
    return int(std::count_if(cells.cbegin(), cells.cend(), [state](const Cell &c) { return c.state == state; }));
}

QString AddressMap::stateName(State state)
{
    switch (state) {
    case Free:
        return tr("free");
    case Used:
        return tr("used");
    case Shared:
        return tr("shared");
    case Problem:
        return tr("problem");
    case Excluded:
        return tr("excluded (avoidBuggyIPs)");
    }
    return {};
}

QString AddressMap::describe(int index) const
{
    if (index < 0 || index >= cells.size())
        return {};
    const Cell &c = cells.at(index);
    QStringList lines { QString(c.address.toString() + u" — " + stateName(c.state)) };
    for (const QString &h : c.holders)
        lines << tr("held by %1").arg(h);
    return lines.join(u'\n');
}

} // namespace Bramble::Models
