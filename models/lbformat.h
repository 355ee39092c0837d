#pragma once

#include "metallb/allocation.h"

#include <QString>

// Small pure helpers the Load balancers models share: how MetalLB values read.
namespace Bramble::Models::Lb {

// "CRD" or "ConfigMap".
QString sourceName(MetalLB::PoolSource source);
// "Assigned", "Pending", "Outside pools".
QString stateName(MetalLB::ServiceState::State state);
// "Error", "Warning".
QString severityName(MetalLB::Problem::Severity severity);
// The count as a double (2^128 included): for fractions and sorting only.
double toDouble(const MetalLB::AddressCount &count);
// used / total in [0, 1]; 0 when total is 0.
double fraction(const MetalLB::AddressCount &used, const MetalLB::AddressCount &total);
// The subjects the report's problems use: "pool/NAME", "service/NS/NAME".
QString poolSubject(const QString &pool);
QString serviceSubject(const QString &ns, const QString &name);

} // namespace Bramble::Models::Lb
