#pragma once

#include "kube/kubeclient.h"
#include "kube/kubeconfigloader.h"

#include <QtGlobal>

namespace Bramble::Test {

// A KubeClient for a kubeconfig given as text (`path` only places relative
// files and labels errors), with an empty environment; nullptr after a
// warning when the kubeconfig cannot be used. Header-only: for tests that
// link bramble_kube.
inline Kube::KubeClient *kubeClientFor(const QByteArray &kubeconfig, const QString &path, QObject *parent)
{
    const Kube::KubeconfigLoadResult loaded = Kube::KubeconfigLoader::parse(kubeconfig, path);
    if (!loaded.ok()) {
        qWarning("%s", qPrintable(loaded.errors.first().toString()));
        return nullptr;
    }
    Core::Errors errors;
    auto connection = Kube::KubeConnection::resolve(loaded.config, {}, Core::Environment(), &errors);
    if (!connection) {
        qWarning("%s", qPrintable(errors.first().toString()));
        return nullptr;
    }
    return new Kube::KubeClient(*connection, Core::Environment(), parent);
}

} // namespace Bramble::Test
