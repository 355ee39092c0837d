#pragma once

#include <QString>

namespace Bramble::Test {

// The source tree (for test data and resources) and the built programs.
QString sourceDir();
QString binDir();
QString bramblectlPath();
QString bramblePath();
// tests/data/<relative>
QString testData(const QString &relative);

} // namespace Bramble::Test
