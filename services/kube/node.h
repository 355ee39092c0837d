#pragma once

#include "kube/quantity.h"
#include "kube/watchevent.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace Bramble::Core {
class JsonWriter;
}

namespace Bramble::Kube {

// One entry of status.conditions, as the server sent it.
struct NodeCondition {
    QString type; // Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, or custom
    QString status; // "True", "False" or "Unknown"; any other value is read as "Unknown"
    QString reason;
    QString message;
    QDateTime lastHeartbeatTime; // UTC; invalid when absent or unreadable
    QDateTime lastTransitionTime;

    // Ready is a problem unless it is True. Every other condition, standard
    // or custom (node-problem-detector's KernelDeadlock, ReadonlyFilesystem...),
    // is a problem only when True: Unknown there means the kubelet stopped
    // reporting, which Ready already shows.
    bool isProblem() const;

    bool operator==(const NodeCondition &) const = default;
};

// One entry of status.addresses.
struct NodeAddress {
    QString type; // InternalIP, ExternalIP, Hostname, InternalDNS, ExternalDNS
    QString address;

    bool operator==(const NodeAddress &) const = default;
};

// One entry of spec.taints.
struct NodeTaint {
    QString key;
    QString value;
    QString effect; // NoSchedule, PreferNoSchedule, NoExecute
    QDateTime timeAdded; // NoExecute taints only; invalid otherwise

    // "key=value:effect", or "key:effect" without a value, as kubectl prints it.
    QString toString() const;

    bool operator==(const NodeTaint &) const = default;
};

// status.capacity or status.allocatable: every resource the server lists,
// with its quantity string as sent, and the four a Nodes pane shows as numbers.
struct NodeResources {
    QMap<QString, QString> quantities; // "cpu" -> "4", "memory" -> "7998488Ki", "hugepages-2Mi" -> "0", ...

    // -1 when the resource is absent or its quantity does not parse.
    qint64 cpuMillis = -1; // "cpu", in millicores
    qint64 memoryBytes = -1; // "memory"
    qint64 pods = -1; // "pods"
    qint64 ephemeralStorageBytes = -1; // "ephemeral-storage"

    static NodeResources fromJson(const QJsonObject &object);

    bool operator==(const NodeResources &) const = default;
};

// The Ready condition, reduced: True -> Ready, False -> NotReady, Unknown
// (the node controller's "Kubelet stopped posting node status") or no Ready
// condition at all -> Unknown.
enum class NodeReadiness { Unknown, Ready, NotReady };

// What a Nodes pane colours a node by. Readiness and cordon are separate
// facts on Node (readiness, unschedulable); this combines them, worst first:
// a NotReady node is NotReady and an Unknown one Unknown whether cordoned or
// not; a Ready node that is cordoned (spec.unschedulable) is Cordoned.
// So every node has exactly one status, and counts per status add up to the
// number of nodes (the readiness timeline stacks them).
enum class NodeStatus { Ready, NotReady, Unknown, Cordoned };

// kubectl's AGE text for a duration in seconds (apimachinery
// util/duration.HumanDuration): "45s", "3m20s", "5h10m", "3d4h", "120d",
// "2y30d"; "0s" for up to a second in the future, "<invalid>" beyond.
QString humanDuration(qint64 seconds);

// A Node as the Nodes pane and `bramblectl nodes` show it.
//
// A plain value: copy it, compare it (== compares every field, so a MODIFIED
// event that changes nothing we keep compares equal), keep it in containers.
// Timestamps are UTC; callers compute ages from their own "now".
struct Node {
    // metadata
    QString name;
    QString uid;
    QString resourceVersion; // opaque: compare for equality only
    QDateTime creationTimestamp;
    QMap<QString, QString> labels;
    // Every annotation but kubectl.kubernetes.io/last-applied-configuration
    // (a copy of the whole object, useless here). Among the useful ones:
    // kubeadm.alpha.kubernetes.io/cri-socket, flannel.alpha.coreos.com/public-ip,
    // projectcalico.org/IPv4Address, k3s.io/*, node.alpha.kubernetes.io/ttl.
    QMap<QString, QString> annotations;

    // spec
    bool unschedulable = false; // cordoned
    QList<NodeTaint> taints; // server order
    QStringList podCIDRs; // spec.podCIDRs, else [spec.podCIDR]
    QString providerID;

    // status
    QList<NodeCondition> conditions; // every condition, server order
    NodeReadiness readiness = NodeReadiness::Unknown;
    QString readyReason; // of the Ready condition ("KubeletReady", "NodeStatusUnknown"...)
    QString readyMessage;
    QDateTime readySince; // the Ready condition's lastTransitionTime
    QList<NodeAddress> addresses; // server order
    QString internalIP; // the first address of each type
    QString externalIP;
    QString hostname;
    QString architecture; // status.nodeInfo.architecture, else the kubernetes.io/arch label
    QString operatingSystem;
    QString osImage;
    QString kernelVersion;
    QString kubeletVersion;
    QString kubeProxyVersion;
    QString containerRuntimeVersion; // "containerd://1.7.2"
    QString bootID; // changes on every reboot
    NodeResources capacity;
    NodeResources allocatable;

    // Derived from labels: node-role.kubernetes.io/<role> (any value) and the
    // legacy kubernetes.io/role=<role>; sorted, without duplicates (kubectl's
    // ROLES column).
    QStringList roles;

    // Reads a Node object (a watch event's object, or an item of a NodeList).
    // Never fails on wrong types or missing fields: they read as empty, zero,
    // false or Unknown. Fails only when metadata.name is missing or is not a
    // DNS subdomain (what the API server accepts as a node name), or when
    // "kind" is present and not "Node"; it then returns a Node with an empty
    // name and sets *error to "<JSON pointer>: <what is wrong>".
    static Node fromJson(const QJsonObject &object, QString *error = nullptr);

    // One object of `bramblectl nodes --json`:
    //   name, status (statusText()), ready ("True"|"False"|"Unknown"), reason,
    //   message, readySince, roles [..], internalIP, externalIP, hostname,
    //   arch, osImage, kernelVersion, kubeletVersion, containerRuntimeVersion,
    //   unschedulable (bool), taints [{key, value, effect}],
    //   conditions {type: status}, capacity {resource: quantity},
    //   allocatable {resource: quantity}, creationTimestamp.
    // Timestamps are RFC 3339 UTC strings, or null when unknown.
    QJsonObject toJson() const;
    // The same object written straight as JSON text, keys in the order
    // above, no QJsonObject built: what `bramblectl nodes --json` prints
    // for thousands of nodes.
    void writeJson(Core::JsonWriter &writer) const;

    bool isValid() const { return !name.isEmpty(); }

    // The Ready condition's status: "True", "False" or "Unknown" (also when
    // there is no Ready condition).
    QString readyStatus() const;
    NodeStatus displayStatus() const;

    // kubectl's STATUS column exactly: "Ready" when the Ready condition is
    // True, "NotReady" when it is False *or Unknown*, "Unknown" only when
    // there is no Ready condition; then ",SchedulingDisabled" when cordoned
    // ("Ready,SchedulingDisabled"). displayStatus() tells Unknown apart.
    QString statusText() const;

    // The condition of that type (the last one, as kubectl reads duplicates), or nullptr.
    const NodeCondition *condition(QStringView type) const;
    // Types of the conditions other than Ready that report a problem
    // (isProblem()), in server order: what the pane shows as badges.
    QStringList problemConditions() const;

    bool operator==(const Node &) const = default;
};

using Nodes = QList<Node>;

// One change to the set of nodes, as a watch reports it.
struct NodeEvent {
    WatchEvent::Type type = WatchEvent::Added;
    Node node; // for Deleted, the last state (only the name matters)

    // Reads the event's object with Node::fromJson; on error the node is
    // invalid (empty name) and *error says why.
    static NodeEvent fromWatchEvent(const WatchEvent &event, QString *error = nullptr);
};

using NodeEvents = QList<NodeEvent>;

} // namespace Bramble::Kube

Q_DECLARE_METATYPE(Bramble::Kube::Node)
