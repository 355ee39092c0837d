#pragma once

#include "kube/node.h"

#include <QColor>
#include <QString>

class QPainter;
class QPalette;
class QRectF;

namespace Bramble::Ui {

// How the Nodes pane shows a Kube::NodeStatus, in the table, the detail
// panel, the counts and the timeline alike. Each status has its own colour
// (readable on light and dark palettes) and its own marker shape, so the
// four stay apart for colour-blind users and in greyscale:
//   Ready    green filled circle
//   NotReady red filled diamond
//   Unknown  amber ring with a dot
//   Cordoned blue circle crossed by a bar
QColor statusColor(Kube::NodeStatus status, const QPalette &palette);
QString statusName(Kube::NodeStatus status); // "Ready", "NotReady", "Unknown", "Cordoned"
void paintStatusMarker(QPainter *painter, const QRectF &rect, Kube::NodeStatus status, const QPalette &palette);

// The colour of a condition badge: NetworkUnavailable and Ready are errors,
// the pressure and custom conditions warnings.
QColor conditionColor(const QString &type, const QPalette &palette);

} // namespace Bramble::Ui
