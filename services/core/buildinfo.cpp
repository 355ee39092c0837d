#include "core/buildinfo.h"

#include "bramble_buildversions.h"
#include "bramble_gitdescribe.h"

#include <QtGlobal>

namespace Bramble::Core {

QString BuildInfo::versionString() const
{
    if (gitDescribe.isEmpty() || gitDescribe == version)
        return version;
    return version + QStringLiteral(" (git ") + gitDescribe + u')';
}

BuildInfo buildInfo()
{
    BuildInfo info;
    info.version = QStringLiteral(BRAMBLE_VERSION);
    info.gitDescribe = QStringLiteral(BRAMBLE_GIT_DESCRIBE);
    info.qtRuntime = QString::fromLatin1(qVersion());
    // The libraries the programs link, with the licence they are used under.
    info.components = {
        { QStringLiteral("Qt"), QStringLiteral(QT_VERSION_STR), QStringLiteral("LGPL-3.0-only"),
            QStringLiteral("https://www.qt.io/") },
        { QStringLiteral("yaml-cpp"), QStringLiteral(BRAMBLE_YAMLCPP_VERSION), QStringLiteral("MIT"),
            QStringLiteral("https://github.com/jbeder/yaml-cpp") },
    };
    return info;
}

} // namespace Bramble::Core
