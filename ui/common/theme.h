#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

class QApplication;
class QPalette;

namespace Bramble::Ui {

// Semantic colours for states; each has enough contrast on light and dark palettes.
enum class Tone { Neutral, Ok, Warning, Error, Muted };

// A monochrome icon from :/icons/<name>.svg drawn in the palette's text colour
// (or the tone's colour), rendered as vectors at any size and device pixel
// ratio, and re-tinted when the palette changes.
QIcon themedIcon(const QString &name, Tone tone = Tone::Neutral);
QIcon applicationIcon();

QColor toneColor(Tone tone, const QPalette &palette);
bool isDark(const QPalette &palette);

// Applies "dark" or "light" Fusion palettes; "system" (or empty) keeps the
// platform's own palette, which already follows the desktop's scheme.
void applyColorScheme(QApplication &app, const QString &scheme);

} // namespace Bramble::Ui
