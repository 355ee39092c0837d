#pragma once

#include "metallb/allocation.h"
#include "models/addressmap.h"

#include <QBrush>
#include <QColor>

class QPalette;

namespace Bramble::Ui {

// How the Load balancers pane colours things, readable on light and dark
// palettes alike: service states (Assigned green, Pending amber, Outside
// pools red) and address-map cells (free: a faint fill; used: blue; shared:
// amber; problem: red; excluded by avoidBuggyIPs: hatched).
QColor serviceStateColor(MetalLB::ServiceState::State state, const QPalette &palette);
QColor cellColor(Models::AddressMap::State state, const QPalette &palette);
QBrush cellBrush(Models::AddressMap::State state, const QPalette &palette);
// The colour of the used part of a usage bar, by how full the pool is.
QColor usageColor(double fraction, const QPalette &palette);
QColor freeColor(const QPalette &palette);

} // namespace Bramble::Ui
