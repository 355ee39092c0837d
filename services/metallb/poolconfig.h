#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Bramble::MetalLB {

// Where an object came from: a file (or "cluster"), the 1-based document
// in that file (0 when not from a file) and a 1-based line (0 when unknown).
struct Origin {
    QString file;
    int document = 0;
    int line = 0;
};

// A problem found reading or validating MetalLB configuration.
struct Issue {
    enum Severity { Error, Warning };
    Severity severity = Error;
    Origin where;
    QString objectKind; // "pool" when empty; "L2Advertisement", "BGPAdvertisement"
    QString pool; // the pool (or advertisement) name, when known
    QString entry; // the address entry or field concerned, when any
    QString message;

    // "file:line: document N: pool "x": entry "...": message", empty parts left out.
    QString toString() const;
};

using Issues = QList<Issue>;

// One string of a pool's address list, with its line.
struct AddressText {
    QString text;
    int line = 0;
};

enum class PoolSource { ConfigMap, Crd };

// Legacy ConfigMap "bgp-advertisements" entry (the CRD form is BgpAdvertisement).
struct LegacyBgpAdvertisement {
    std::optional<int> aggregationLength;
    std::optional<int> aggregationLengthV6;
    std::optional<int> localPref;
    QStringList communities;
    int line = 0;
};

struct ServiceAllocation {
    std::optional<int> priority;
    QStringList namespaces;
    bool hasNamespaceSelectors = false;
    bool hasServiceSelectors = false;
};

// IPAddressPool status, as the controller reports it (all optional).
struct PoolStatus {
    std::optional<qint64> assignedIPv4;
    std::optional<qint64> assignedIPv6;
    std::optional<qint64> availableIPv4;
    std::optional<qint64> availableIPv6;
};

// An address pool from either form. Plain value; readers fill it, the
// validator checks it, nothing here parses YAML or JSON.
struct AddressPool {
    PoolSource source = PoolSource::Crd;
    QString name;
    QString namespace_; // CRD only; empty when the document gave none
    QString protocol; // ConfigMap only: "layer2" or "bgp"
    QMap<QString, QString> labels; // CRD only: metadata.labels
    QList<AddressText> addresses;
    bool autoAssign = true;
    bool avoidBuggyIPs = false;
    QList<LegacyBgpAdvertisement> bgpAdvertisements; // ConfigMap only
    std::optional<ServiceAllocation> serviceAllocation; // CRD only
    std::optional<PoolStatus> status; // CRD only
    Origin origin;
};

// One requirement of a Kubernetes label selector's matchExpressions.
struct LabelSelectorRequirement {
    QString key;
    QString op; // "In", "NotIn", "Exists", "DoesNotExist" (anything else matches nothing)
    QStringList values;
};

// A Kubernetes label selector (metav1.LabelSelector): every matchLabels pair
// and every requirement must hold; an empty selector matches everything.
struct LabelSelector {
    QMap<QString, QString> matchLabels;
    QList<LabelSelectorRequirement> matchExpressions;

    bool matches(const QMap<QString, QString> &labels) const;
};

// L2Advertisement and BGPAdvertisement (metallb.io/v1beta1).
struct Advertisement {
    enum Kind { L2, Bgp };
    Kind kind = L2;
    QString name;
    QString namespace_;
    QStringList ipAddressPools;
    bool hasPoolSelectors = false; // spec.ipAddressPoolSelectors is present
    QList<LabelSelector> poolSelectors; // spec.ipAddressPoolSelectors, as read
    std::optional<int> aggregationLength; // BGP only
    std::optional<int> aggregationLengthV6; // BGP only
    int aggregationLengthLine = 0;
    Origin origin;
};

// Whether the advertisement announces the pool, as MetalLB decides: the pool
// is named in ipAddressPools or matched by one of ipAddressPoolSelectors, or
// the advertisement has neither (then it announces every pool).
bool advertisementSelects(const Advertisement &ad, const AddressPool &pool);

struct PoolConfig {
    QList<AddressPool> pools;
    QList<Advertisement> advertisements;

    void append(const PoolConfig &other)
    {
        pools += other.pools;
        advertisements += other.advertisements;
    }
};

} // namespace Bramble::MetalLB
