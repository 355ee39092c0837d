#pragma once

#include "aws/awsconfig.h"
#include "core/environment.h"
#include "kube/kubeconfigloader.h"

#include <QObject>
#include <QString>

class QFileSystemWatcher;
class QTimer;

namespace Bramble::Session {

// What the user can connect to: the Kubernetes contexts of their kubeconfig
// and the AWS profiles of their shared config files, and which of each is
// chosen now. Reads local files only (synchronously; they are small). Watches
// the files and reloads when another tool (kubectl config use-context, aws
// configure) changes them. Lives on the GUI thread; the CLI uses the loaders
// directly.
class ConnectionCatalog : public QObject {
    Q_OBJECT

public:
    explicit ConnectionCatalog(Core::Environment env, QObject *parent = nullptr);
    ~ConnectionCatalog() override;

    // --kubeconfig: read only this file instead of $KUBECONFIG / ~/.kube/config.
    void setKubeconfigOverride(const QString &path);
    QString kubeconfigOverride() const { return m_kubeconfigOverride; }

    // Re-reads every file; emits reloaded() once, then *Changed() for
    // selections that had to move because their entry disappeared.
    void reload();

    const Kube::KubeconfigLoadResult &kube() const { return m_kube; }
    const Aws::AwsConfigLoadResult &aws() const { return m_aws; }
    const Core::Environment &environment() const { return m_env; }

    QString currentContext() const { return m_context; }
    QString currentProfile() const { return m_profile; }
    QString currentRegion() const { return m_region; }

    // What the user picked (empty: none, the default applies). Persist these,
    // not the current* values, so a later `kubectl config use-context` still counts.
    QString chosenContext() const { return m_chosenContext; }
    QString chosenProfile() const { return m_chosenProfile; }
    QString chosenRegion() const { return m_chosenRegion; }

    // The local runtime is offered (localProfileName()); it is the default
    // profile when the files hold none and nothing else was chosen.
    void setLocalProfileAvailable(bool available);
    bool isLocalProfileAvailable() const { return m_localAvailable; }

    // Empty restores the default (kubeconfig current-context, AWS_PROFILE...).
    void setCurrentContext(const QString &name);
    void setCurrentProfile(const QString &name);
    void setCurrentRegion(const QString &region);

Q_SIGNALS:
    void reloaded();
    void currentContextChanged(const QString &name);
    void currentProfileChanged(const QString &name);
    void currentRegionChanged(const QString &region);

private:
    void watchFiles();
    QString effectiveContext() const;
    QString effectiveProfile() const;
    QString effectiveRegion() const;

    Core::Environment m_env;
    QString m_kubeconfigOverride;
    Kube::KubeconfigLoadResult m_kube;
    Aws::AwsConfigLoadResult m_aws;
    QString m_chosenContext; // what the user picked; may be empty
    QString m_chosenProfile;
    QString m_chosenRegion;
    QString m_context; // in force
    QString m_profile;
    QString m_region;
    bool m_localAvailable = false;
    QFileSystemWatcher *m_watcher;
    QTimer *m_reloadTimer;
};

} // namespace Bramble::Session
