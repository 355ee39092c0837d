#include "models/lbformat.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace Bramble::Models::Lb {

QString sourceName(MetalLB::PoolSource source)
{
    return source == MetalLB::PoolSource::Crd ? QStringLiteral("CRD") : QStringLiteral("ConfigMap");
}

QString stateName(MetalLB::ServiceState::State state)
{
    switch (state) {
    case MetalLB::ServiceState::Assigned:
        return QCoreApplication::translate("Bramble::Models", "Assigned");
    case MetalLB::ServiceState::Pending:
        return QCoreApplication::translate("Bramble::Models", "Pending");
    case MetalLB::ServiceState::OutsidePools:
        break;
    }
    return QCoreApplication::translate("Bramble::Models", "Outside pools");
}

QString severityName(MetalLB::Problem::Severity severity)
{
    return severity == MetalLB::Problem::Error ? QCoreApplication::translate("Bramble::Models", "Error")
                                               : QCoreApplication::translate("Bramble::Models", "Warning");
}

double toDouble(const MetalLB::AddressCount &count)
{
    if (count.all128)
        return std::ldexp(1.0, 128);
    return std::ldexp(double(count.value.hi), 64) + double(count.value.lo);
}

double fraction(const MetalLB::AddressCount &used, const MetalLB::AddressCount &total)
{
    const double t = toDouble(total);
    if (t <= 0)
        return 0;
    return std::clamp(toDouble(used) / t, 0.0, 1.0);
}

QString poolSubject(const QString &pool)
{
    return QStringLiteral("pool/") + pool;
}

QString serviceSubject(const QString &ns, const QString &name)
{
    return QStringLiteral("service/") + ns + u'/' + name;
}

} // namespace Bramble::Models::Lb
