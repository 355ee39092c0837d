#pragma once

#include "metallb/poolconfig.h"

namespace Bramble::MetalLB {

// Checks a PoolConfig with MetalLB's own rules (config.go in the controller
// and the admission webhooks), plus a warning for a CIDR with host bits set.
// Errors: a pool without a name or addresses, a malformed CIDR or range, a
// range whose start is after its end or whose ends are of different
// families, duplicate pool names, overlapping addresses (across or within
// pools; ranges and CIDRs compared as address sets), an IPAddressPool (or
// advertisement) outside metallb-system, a legacy pool with a missing or
// unknown protocol or with bgp-advertisements when not bgp, and a BGP
// aggregation length out of bounds (0..32, 0..128) or shorter than the
// prefix of an entry of a pool it advertises (for a range, shorter than
// the shortest prefix of its minimal CIDR blocks: MetalLB's
// validateBGPAdvPerPool). An advertisement selects pools as MetalLB does
// (advertisementSelects: by name, by label selector, or all of them).
// Warnings: host bits set, no namespace on a CRD, an advertisement naming a
// pool these files do not define. Pure function, thread-safe.
class PoolValidator {
public:
    static Issues validate(const PoolConfig &config);
};

} // namespace Bramble::MetalLB
