#include "testpaths.h"

namespace Bramble::Test {

QString sourceDir() { return QStringLiteral(BRAMBLE_SOURCE_DIR); }
QString binDir() { return QStringLiteral(BRAMBLE_BIN_DIR); }
QString bramblectlPath() { return binDir() + QStringLiteral("/bramblectl"); }
QString bramblePath() { return binDir() + QStringLiteral("/bramble"); }
QString testData(const QString &relative) { return sourceDir() + QStringLiteral("/tests/data/") + relative; }

} // namespace Bramble::Test
