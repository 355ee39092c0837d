#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Bramble::Test {

QString sourceDir()
{
    return QStringLiteral(BRAMBLE_SOURCE_DIR);
}
QString binDir()
{
    return QStringLiteral(BRAMBLE_BIN_DIR);
}
QString bramblectlPath()
{
    return binDir() + QStringLiteral("/bramblectl");
}
QString bramblePath()
{
    return binDir() + QStringLiteral("/bramble");
}
QString testData(const QString &relative)
{
    return sourceDir() + QStringLiteral("/tests/data/") + relative;
}

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

} // namespace Bramble::Test
