#pragma once

#include <QByteArray>
#include <QString>

namespace Bramble::Test {

// The source tree (for test data and resources) and the built programs.
QString sourceDir();
QString binDir();
QString bramblectlPath();
QString bramblePath();
// tests/data/<relative>
QString testData(const QString &relative);

// Writes bytes to path (creating parent directories); returns path, or an
// empty string when it cannot be written.
QString writeFile(const QString &path, const QByteArray &bytes);

} // namespace Bramble::Test
