#pragma once

#include "core/environment.h"

#include <QObject>
#include <QString>

namespace Bramble::Session {

class AwsSessions;
class ClusterSession;
class ConnectionCatalog;
class LocalRuntimeHost;

// What the user chose on the command line; empty fields leave the
// catalog's own choice (the kubeconfig's current context, AWS_PROFILE...).
struct WorkspaceOptions {
    QString kubeconfig; // --kubeconfig: replaces the KUBECONFIG list
    QString context; // --context
    QString profile; // --profile
    QString region; // --region
    // Where the local runtime keeps its data; empty: no local runtime (tests).
    QString localDataDirectory;
};

// Everything one window is connected to, composed once in app/ and handed
// to the panes, which never construct services themselves:
//
//  - catalog(): the kubeconfig contexts and AWS profiles, and which are
//    current (reloaded when another tool changes the files);
//  - cluster(): the current context's connection, with one shared watch
//    per resource that every pane subscribes to (Nodes and Load balancers
//    see the same node watch);
//  - aws(): one AWS session per profile and region, shared by every pane
//    that needs AWS (one credential refresh, one MFA prompt);
//  - local(): the local Step Functions + DynamoDB runtime, the AWS profile
//    "Local (this machine)", started on first use.
//
// bramblectl composes the same services from the same options, one command
// at a time. GUI thread; owns everything it hands out.
class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(const Core::Environment &env, const WorkspaceOptions &options = {}, QObject *parent = nullptr);
    ~Workspace() override;

    ConnectionCatalog *catalog() const { return m_catalog; }
    ClusterSession *cluster() const { return m_cluster; }
    AwsSessions *aws() const { return m_aws; }
    LocalRuntimeHost *local() const { return m_local; }

private:
    ConnectionCatalog *m_catalog;
    ClusterSession *m_cluster;
    LocalRuntimeHost *m_local;
    AwsSessions *m_aws;
};

} // namespace Bramble::Session
