#pragma once

#include <QList>
#include <QString>

namespace Bramble::Core {

// A third-party library Bramble is built with.
struct Component {
    QString name; // "Qt", "yaml-cpp"
    QString version; // the version built against
    QString license; // SPDX identifier
    QString url;
};

// What this build is: for `bramble --version`, `bramblectl version` and the
// About dialog.
struct BuildInfo {
    QString version; // the project's version (CMake project())
    QString gitDescribe; // `git describe` when built from a git checkout; empty otherwise
    QString qtRuntime; // the Qt the program runs with (qVersion())
    QList<Component> components;

    // "0.1.0" or "0.1.0 (git v0.1.0-3-gabc1234)".
    QString versionString() const;
};

BuildInfo buildInfo();

} // namespace Bramble::Core
