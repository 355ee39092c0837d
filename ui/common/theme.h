#pragma once

#include "models/tone.h"

#include <QColor>
#include <QIcon>
#include <QString>

class QApplication;
class QPalette;

namespace Bramble::Ui {

// Tone: semantic colours for states, each with enough contrast on light and
// dark palettes; one enum for every layer, declared in models/tone.h.

// Colours without a meaning of their own, for what has more kinds than the
// tones (the saga graph: running, caught, compensation...); same contrast.
enum class Hue { Blue, Orange, Purple, Teal, Pink };

// A monochrome icon from :/icons/<name>.svg drawn in the palette's text colour
// (or the tone's colour), rendered as vectors at any size and device pixel
// ratio, and re-tinted when the palette changes.
QIcon themedIcon(const QString &name, Tone tone = Tone::Neutral);
QIcon applicationIcon();

QColor toneColor(Tone tone, const QPalette &palette);
QColor hueColor(Hue hue, const QPalette &palette);
bool isDark(const QPalette &palette);

// Applies "dark" or "light" Fusion palettes; "system" (or empty) keeps the
// platform's own palette, which already follows the desktop's scheme.
void applyColorScheme(QApplication &app, const QString &scheme);

} // namespace Bramble::Ui
