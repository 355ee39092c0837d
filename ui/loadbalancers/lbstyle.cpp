#include "ui/loadbalancers/lbstyle.h"

#include "ui/common/theme.h"

#include <QPalette>

namespace Bramble::Ui {

namespace {

QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor usedColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x5a, 0x9b, 0xf0) : QColor(0x1f, 0x5f, 0xbf);
}

} // namespace

QColor serviceStateColor(MetalLB::ServiceState::State state, const QPalette &palette)
{
    switch (state) {
    case MetalLB::ServiceState::Assigned:
        return toneColor(Tone::Ok, palette);
    case MetalLB::ServiceState::Pending:
        return toneColor(Tone::Warning, palette);
    case MetalLB::ServiceState::OutsidePools:
        break;
    }
    return toneColor(Tone::Error, palette);
}

QColor freeColor(const QPalette &palette)
{
    return blend(palette.color(QPalette::Base), palette.color(QPalette::Text), isDark(palette) ? 0.18 : 0.14);
}

QColor cellColor(Models::AddressMap::State state, const QPalette &palette)
{
    switch (state) {
    case Models::AddressMap::Free:
        return freeColor(palette);
    case Models::AddressMap::Used:
        return usedColor(palette);
    case Models::AddressMap::Shared:
        return toneColor(Tone::Warning, palette);
    case Models::AddressMap::Problem:
        return toneColor(Tone::Error, palette);
    case Models::AddressMap::Excluded:
        break;
    }
    return blend(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.45);
}

QBrush cellBrush(Models::AddressMap::State state, const QPalette &palette)
{
    if (state == Models::AddressMap::Excluded)
        return QBrush(cellColor(state, palette), Qt::BDiagPattern);
    return QBrush(cellColor(state, palette));
}

QColor usageColor(double fraction, const QPalette &palette)
{
    if (fraction >= 1.0)
        return toneColor(Tone::Error, palette);
    if (fraction >= 0.8)
        return toneColor(Tone::Warning, palette);
    return usedColor(palette);
}

} // namespace Bramble::Ui
