#pragma once

#include "core/environment.h"
#include "core/error.h"
#include "kube/kubeconfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Bramble::Kube {

struct KubeconfigLoadResult {
    Kubeconfig config;
    Core::Errors errors; // the config is unusable when non-empty
    Core::Errors warnings; // worth showing, not fatal

    bool ok() const { return errors.isEmpty(); }
};

// Reads kubeconfig files the way kubectl does (client-go clientcmd loader.go):
//  - an explicit path (--kubeconfig) is read alone; a missing file is an error;
//  - else $KUBECONFIG is split on ':' (';' on Windows), de-duplicated, and the
//    files merged in order: the first file to define a cluster, user or
//    context name wins the whole entry, and the first non-empty
//    current-context wins; missing files are skipped;
//  - else ~/.kube/config.
// A file that does not parse is an error naming the file, line and key.
// All functions are synchronous and touch only local files.
class KubeconfigLoader {
public:
    static QStringList searchPaths(const Core::Environment &env, const QString &explicitPath = {});
    static KubeconfigLoadResult load(const Core::Environment &env, const QString &explicitPath = {});
    static KubeconfigLoadResult loadFiles(const QStringList &paths, bool explicitFile);

    // Parses one document; relative paths are resolved against fileName's directory.
    static KubeconfigLoadResult parse(const QByteArray &yaml, const QString &fileName);
};

} // namespace Bramble::Kube
