#pragma once

#include "metallb/poolconfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Bramble::MetalLB {

struct PoolConfigReadResult {
    PoolConfig config;
    Issues issues; // YAML that does not parse, wrong types, unknown keys
    int documents = 0; // non-empty YAML documents seen

    bool ok() const
    {
        for (const Issue &i : issues)
            if (i.severity == Issue::Error)
                return false;
        return true;
    }
};

// Reads MetalLB configuration from YAML: multi-document files holding the
// legacy ConfigMap metallb-system/config (its "config" key parsed strictly,
// as MetalLB does), metallb.io/v1beta1 IPAddressPool, L2Advertisement and
// BGPAdvertisement objects, "kind: List" wrappers, or a bare legacy config
// body (a document with "address-pools"). Other objects are skipped.
// Never throws; a document that does not parse becomes an Issue and the
// other documents are still read. Reading does not validate addresses: see
// PoolValidator. Thread-safe (no shared state).
class PoolConfigReader {
public:
    static PoolConfigReadResult readFile(const QString &path);
    // fileName only labels the issues.
    static PoolConfigReadResult readYaml(const QByteArray &yaml, const QString &fileName);
    // The objects as the API server returns them: the ConfigMap
    // metallb-system/config (other ConfigMaps are skipped), IPAddressPools,
    // L2Advertisements and BGPAdvertisements. Each object must carry kind and
    // apiVersion (a list's items do not: set them). Read as readYaml reads a
    // document; issues have Origin.file = label, document 0, and a line only
    // for the ConfigMap (the line within data.config); messages of issues
    // not naming a pool start with the object's kind and "namespace/name".
    static PoolConfigReadResult readObjects(
        const QList<QJsonObject> &objects, const QString &label = QStringLiteral("cluster"));
};

} // namespace Bramble::MetalLB
