// Reading each kind of MetalLB object from YAML: the legacy ConfigMap and
// its address pools, IPAddressPool, L2Advertisement and BGPAdvertisement.

#include "metallb/poolyamlreader_p.h"

namespace Bramble::MetalLB::detail {

void Reader::readLegacyBody(const YAML::Node &body)
{
    objectKind.clear();
    objectName.clear();
    if (body.IsNull())
        return;
    if (!mapping(body, QStringLiteral("config"),
            { QStringLiteral("peers"), QStringLiteral("bgp-communities"), QStringLiteral("address-pools"),
                QStringLiteral("bfd-profiles") }))
        return;
    const YAML::Node pools = body["address-pools"];
    if (!pools || pools.IsNull())
        return;
    if (!pools.IsSequence()) {
        error(pools, QStringLiteral("address-pools: expected a list"));
        return;
    }
    for (const YAML::Node &p : pools)
        readLegacyPool(p);
}

void Reader::readLegacyPool(const YAML::Node &p)
{
    objectKind.clear();
    objectName.clear();
    if (!p.IsMap()) {
        error(p, QStringLiteral("address-pools: expected a mapping"));
        return;
    }
    AddressPool pool;
    pool.source = PoolSource::ConfigMap;
    pool.origin = origin(p);
    if (const YAML::Node n = p["name"])
        pool.name = string(n, QStringLiteral("name")).value_or(QString());
    objectName = pool.name;
    mapping(p, QStringLiteral("address-pools"),
        { QStringLiteral("name"), QStringLiteral("protocol"), QStringLiteral("addresses"),
            QStringLiteral("auto-assign"), QStringLiteral("avoid-buggy-ips"), QStringLiteral("bgp-advertisements") });
    if (const YAML::Node n = p["protocol"])
        pool.protocol = string(n, QStringLiteral("protocol")).value_or(QString());
    if (const YAML::Node n = p["addresses"])
        pool.addresses = addresses(n, QStringLiteral("addresses"));
    if (const YAML::Node n = p["auto-assign"])
        pool.autoAssign = boolean(n, QStringLiteral("auto-assign")).value_or(true);
    if (const YAML::Node n = p["avoid-buggy-ips"])
        pool.avoidBuggyIPs = boolean(n, QStringLiteral("avoid-buggy-ips")).value_or(false);
    if (const YAML::Node ads = p["bgp-advertisements"]; ads && !ads.IsNull()) {
        if (!ads.IsSequence()) {
            error(ads, QStringLiteral("bgp-advertisements: expected a list"));
        } else {
            for (const YAML::Node &a : ads) {
                if (!mapping(a, QStringLiteral("bgp-advertisements"),
                        { QStringLiteral("aggregation-length"), QStringLiteral("aggregation-length-v6"),
                            QStringLiteral("localpref"), QStringLiteral("communities") }))
                    continue;
                LegacyBgpAdvertisement adv;
                adv.line = line(a);
                if (const YAML::Node n = a["aggregation-length"])
                    adv.aggregationLength = int32(n, QStringLiteral("aggregation-length"));
                if (const YAML::Node n = a["aggregation-length-v6"])
                    adv.aggregationLengthV6 = int32(n, QStringLiteral("aggregation-length-v6"));
                if (const YAML::Node n = a["localpref"])
                    adv.localPref = int32(n, QStringLiteral("localpref"));
                if (const YAML::Node n = a["communities"])
                    adv.communities = strings(n, QStringLiteral("communities"));
                pool.bgpAdvertisements << adv;
            }
        }
    }
    config->pools << pool;
}

void Reader::readMetadata(const YAML::Node &doc, QString *name, QString *ns)
{
    const YAML::Node md = doc["metadata"];
    if (!md || md.IsNull())
        return;
    if (!mapping(md, QStringLiteral("metadata")))
        return;
    if (const YAML::Node n = md["name"])
        *name = string(n, QStringLiteral("metadata.name")).value_or(QString());
    if (const YAML::Node n = md["namespace"])
        *ns = string(n, QStringLiteral("metadata.namespace")).value_or(QString());
}

QMap<QString, QString> Reader::stringMap(const YAML::Node &n, const QString &key)
{
    QMap<QString, QString> out;
    if (n.IsNull() || !mapping(n, key))
        return out;
    for (auto it = n.begin(); it != n.end(); ++it)
        if (isString(it->first, key))
            if (const auto v = string(it->second, key))
                out.insert(text(it->first), *v);
    return out;
}

QList<LabelSelector> Reader::selectors(const YAML::Node &n, const QString &key)
{
    QList<LabelSelector> out;
    if (n.IsNull())
        return out;
    if (!n.IsSequence()) {
        error(n, QStringLiteral("%1: expected a list of label selectors").arg(key));
        return out;
    }
    static const QStringList ops { QStringLiteral("In"), QStringLiteral("NotIn"), QStringLiteral("Exists"),
        QStringLiteral("DoesNotExist") };
    for (const YAML::Node &item : n) {
        if (!mapping(item, key, { QStringLiteral("matchLabels"), QStringLiteral("matchExpressions") }))
            continue;
        LabelSelector sel;
        if (const YAML::Node ml = item["matchLabels"])
            sel.matchLabels = stringMap(ml, key + QStringLiteral(".matchLabels"));
        const QString exprKey = key + QStringLiteral(".matchExpressions");
        if (const YAML::Node exprs = item["matchExpressions"]; exprs && !exprs.IsNull()) {
            if (!exprs.IsSequence()) {
                error(exprs, QStringLiteral("%1: expected a list").arg(exprKey));
            } else {
                for (const YAML::Node &e : exprs) {
                    if (!mapping(e, exprKey,
                            { QStringLiteral("key"), QStringLiteral("operator"), QStringLiteral("values") }))
                        continue;
                    LabelSelectorRequirement r;
                    if (const YAML::Node k = e["key"])
                        r.key = string(k, exprKey + QStringLiteral(".key")).value_or(QString());
                    if (const YAML::Node op = e["operator"])
                        r.op = string(op, exprKey + QStringLiteral(".operator")).value_or(QString());
                    if (const YAML::Node v = e["values"])
                        r.values = strings(v, exprKey + QStringLiteral(".values"));
                    if (!ops.contains(r.op))
                        error(e,
                            QStringLiteral("%1: unknown operator \"%2\" (In, NotIn, Exists, DoesNotExist)")
                                .arg(exprKey, r.op));
                    sel.matchExpressions << r;
                }
            }
        }
        out << sel;
    }
    return out;
}

void Reader::readConfigMap(const YAML::Node &doc, const std::string &text)
{
    QString name, ns;
    readMetadata(doc, &name, &ns);
    if (name != u"config")
        return; // not MetalLB's
    objectKind = QStringLiteral("ConfigMap");
    objectName = name;
    if (!ns.isEmpty() && ns != kMetalLBNamespace) {
        warning(doc,
            QStringLiteral("ConfigMap %1/config is not metallb-system/config: MetalLB does not read it; skipped")
                .arg(ns));
        return;
    }
    const YAML::Node data = doc["data"];
    if (!data || !data.IsMap() || !data["config"]) {
        warning(doc, QStringLiteral("ConfigMap config has no data.config key: no legacy MetalLB configuration in it"));
        return;
    }
    const YAML::Node body = data["config"];
    if (!isString(body, QStringLiteral("data.config")))
        return;
    // A block scalar ("config: |") starts on the line after its indicator.
    const YAML::Mark m = body.Mark();
    bool block = false;
    if (m.pos >= 0 && size_t(m.pos) < text.size())
        block = text[size_t(m.pos)] == '|' || text[size_t(m.pos)] == '>';
    Reader inner = *this;
    inner.lineBase = line(body) + (block ? 1 : 0);
    try {
        inner.readLegacyBody(YAML::Load(body.Scalar()));
    } catch (const YAML::Exception &e) {
        inner.objectKind = QStringLiteral("ConfigMap");
        inner.objectName = name;
        inner.errorAtLine(e.mark.line >= 0 ? inner.lineBase + e.mark.line : line(body),
            QStringLiteral("data.config: YAML does not parse: %1").arg(QString::fromStdString(e.msg)));
    }
}

void Reader::readIpAddressPool(const YAML::Node &doc)
{
    AddressPool pool;
    pool.source = PoolSource::Crd;
    pool.origin = origin(doc);
    objectKind.clear();
    readMetadata(doc, &pool.name, &pool.namespace_);
    objectName = pool.name;
    if (const YAML::Node md = doc["metadata"]; md && md.IsMap())
        if (const YAML::Node labels = md["labels"])
            pool.labels = stringMap(labels, QStringLiteral("metadata.labels"));
    mapping(doc, QStringLiteral("IPAddressPool"),
        { QStringLiteral("apiVersion"), QStringLiteral("kind"), QStringLiteral("metadata"), QStringLiteral("spec"),
            QStringLiteral("status") });
    const YAML::Node spec = doc["spec"];
    if (spec && !spec.IsNull()
        && mapping(spec, QStringLiteral("spec"),
            { QStringLiteral("addresses"), QStringLiteral("autoAssign"), QStringLiteral("avoidBuggyIPs"),
                QStringLiteral("serviceAllocation") })) {
        if (const YAML::Node n = spec["addresses"])
            pool.addresses = addresses(n, QStringLiteral("spec.addresses"));
        if (const YAML::Node n = spec["autoAssign"])
            pool.autoAssign = boolean(n, QStringLiteral("spec.autoAssign")).value_or(true);
        if (const YAML::Node n = spec["avoidBuggyIPs"])
            pool.avoidBuggyIPs = boolean(n, QStringLiteral("spec.avoidBuggyIPs")).value_or(false);
        if (const YAML::Node sa = spec["serviceAllocation"]; sa && !sa.IsNull()
            && mapping(sa, QStringLiteral("spec.serviceAllocation"),
                { QStringLiteral("priority"), QStringLiteral("namespaces"), QStringLiteral("namespaceSelectors"),
                    QStringLiteral("serviceSelectors") })) {
            ServiceAllocation alloc;
            if (const YAML::Node n = sa["priority"])
                alloc.priority = int32(n, QStringLiteral("spec.serviceAllocation.priority"));
            if (const YAML::Node n = sa["namespaces"])
                alloc.namespaces = strings(n, QStringLiteral("spec.serviceAllocation.namespaces"));
            alloc.hasNamespaceSelectors = bool(sa["namespaceSelectors"]);
            alloc.hasServiceSelectors = bool(sa["serviceSelectors"]);
            pool.serviceAllocation = alloc;
        }
    }
    if (const YAML::Node st = doc["status"]; st && !st.IsNull() && mapping(st, QStringLiteral("status"))) {
        PoolStatus status;
        const auto count = [&](const char *key, std::optional<qint64> *out) {
            if (const YAML::Node n = st[key])
                *out = integer(n, QStringLiteral("status.") + QLatin1String(key));
        };
        count("assignedIPv4", &status.assignedIPv4);
        count("assignedIPv6", &status.assignedIPv6);
        count("availableIPv4", &status.availableIPv4);
        count("availableIPv6", &status.availableIPv6);
        pool.status = status;
    }
    config->pools << pool;
}

void Reader::readAdvertisement(const YAML::Node &doc, Advertisement::Kind kind)
{
    Advertisement ad;
    ad.kind = kind;
    ad.origin = origin(doc);
    objectKind = kind == Advertisement::L2 ? QStringLiteral("L2Advertisement") : QStringLiteral("BGPAdvertisement");
    readMetadata(doc, &ad.name, &ad.namespace_);
    objectName = ad.name;
    mapping(doc, objectKind,
        { QStringLiteral("apiVersion"), QStringLiteral("kind"), QStringLiteral("metadata"), QStringLiteral("spec"),
            QStringLiteral("status") });
    const YAML::Node spec = doc["spec"];
    const QStringList allowed = kind == Advertisement::L2
        ? QStringList { QStringLiteral("ipAddressPools"), QStringLiteral("ipAddressPoolSelectors"),
              QStringLiteral("nodeSelectors"), QStringLiteral("interfaces") }
        : QStringList { QStringLiteral("aggregationLength"), QStringLiteral("aggregationLengthV6"),
              QStringLiteral("localPref"), QStringLiteral("communities"), QStringLiteral("ipAddressPools"),
              QStringLiteral("ipAddressPoolSelectors"), QStringLiteral("nodeSelectors"), QStringLiteral("peers") };
    if (spec && !spec.IsNull() && mapping(spec, QStringLiteral("spec"), allowed)) {
        if (const YAML::Node n = spec["ipAddressPools"])
            ad.ipAddressPools = strings(n, QStringLiteral("spec.ipAddressPools"));
        ad.hasPoolSelectors = bool(spec["ipAddressPoolSelectors"]);
        if (ad.hasPoolSelectors)
            ad.poolSelectors = selectors(spec["ipAddressPoolSelectors"], QStringLiteral("spec.ipAddressPoolSelectors"));
        if (kind == Advertisement::Bgp) {
            if (const YAML::Node n = spec["aggregationLength"]) {
                ad.aggregationLength = int32(n, QStringLiteral("spec.aggregationLength"));
                ad.aggregationLengthLine = line(n);
            }
            if (const YAML::Node n = spec["aggregationLengthV6"]) {
                ad.aggregationLengthV6 = int32(n, QStringLiteral("spec.aggregationLengthV6"));
                if (!ad.aggregationLengthLine)
                    ad.aggregationLengthLine = line(n);
            }
        }
    }
    config->advertisements << ad;
}

} // namespace Bramble::MetalLB::detail
