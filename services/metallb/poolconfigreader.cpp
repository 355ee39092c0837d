#include "metallb/poolconfigreader.h"

#include "metallb/logging.h"

#include "core/boundedfile.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <optional>

namespace Bramble::MetalLB {

namespace {

const QString kMetalLBNamespace = QStringLiteral("metallb-system");

// One YAML document of a file: its text and the file line of its first line.
struct Segment {
    std::string text;
    int firstLine = 1;
};

bool isBlank(const std::string &text)
{
    bool lineStart = true, inComment = false;
    for (char c : text) {
        if (c == '\n') {
            lineStart = true;
            inComment = false;
            continue;
        }
        if (inComment || c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == '#' && lineStart) {
            inComment = true;
            continue;
        }
        if (c == '#') {
            inComment = true;
            continue;
        }
        return false;
    }
    return true;
}

// Splits at "---" and "..." lines so a document that does not parse costs
// only itself, and each document keeps its own line numbers.
QList<Segment> splitDocuments(const QByteArray &bytes)
{
    QList<Segment> segments;
    Segment cur;
    int lineNo = 0;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        qsizetype nl = bytes.indexOf('\n', pos);
        if (nl < 0)
            nl = bytes.size();
        ++lineNo;
        QByteArray line = bytes.mid(pos, nl - pos);
        pos = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        const bool start = line == "---" || line.startsWith("--- ") || line.startsWith("---\t");
        const bool end = line == "..." || line.startsWith("... ");
        if (start || end) {
            segments << cur;
            cur = Segment { {}, lineNo };
            if (start && line.size() > 4) {
                cur.text = std::string(4, ' ') + line.mid(4).toStdString() + '\n';
            } else {
                cur.text = "\n"; // keeps line numbers aligned with firstLine
            }
            continue;
        }
        cur.text += line.toStdString();
        cur.text += '\n';
    }
    segments << cur;
    return segments;
}

// Reading state for one document.
struct Reader {
    QString file;
    int document = 0;
    int lineBase = 0; // file line of the document's line 0 (yaml-cpp lines are 0-based)
    Issues *issues = nullptr;
    PoolConfig *config = nullptr;

    // Set while reading one object, so issues name it.
    QString objectKind;
    QString objectName;

    int line(const YAML::Node &n) const
    {
        const YAML::Mark m = n.Mark();
        return m.line >= 0 ? lineBase + m.line : 0;
    }
    Origin origin(const YAML::Node &n) const { return { file, document, line(n) }; }

    void error(const YAML::Node &n, const QString &message, const QString &entry = {})
    {
        *issues << Issue { Issue::Error, origin(n), objectKind, objectName, entry, message };
    }
    void errorAtLine(int atLine, const QString &message)
    {
        *issues << Issue { Issue::Error, { file, document, atLine }, objectKind, objectName, {}, message };
    }
    void warning(const YAML::Node &n, const QString &message)
    {
        *issues << Issue { Issue::Warning, origin(n), objectKind, objectName, {}, message };
    }

    static QString text(const YAML::Node &n) { return QString::fromStdString(n.Scalar()); }

    bool isString(const YAML::Node &n, const QString &key)
    {
        if (n.IsScalar())
            return true;
        error(n, QStringLiteral("%1: expected a string").arg(key));
        return false;
    }

    std::optional<QString> string(const YAML::Node &n, const QString &key)
    {
        if (n.IsNull())
            return QString();
        if (!isString(n, key))
            return std::nullopt;
        return text(n);
    }

    // YAML 1.1 booleans, as go-yaml v2 (behind sigs.k8s.io/yaml) reads them.
    std::optional<bool> boolean(const YAML::Node &n, const QString &key)
    {
        static const QSet<QString> truths { QStringLiteral("y"), QStringLiteral("Y"), QStringLiteral("yes"),
            QStringLiteral("Yes"), QStringLiteral("YES"), QStringLiteral("true"), QStringLiteral("True"),
            QStringLiteral("TRUE"), QStringLiteral("on"), QStringLiteral("On"), QStringLiteral("ON") };
        static const QSet<QString> lies { QStringLiteral("n"), QStringLiteral("N"), QStringLiteral("no"),
            QStringLiteral("No"), QStringLiteral("NO"), QStringLiteral("false"), QStringLiteral("False"),
            QStringLiteral("FALSE"), QStringLiteral("off"), QStringLiteral("Off"), QStringLiteral("OFF") };
        if (n.IsScalar() && n.Tag() != "!") {
            const QString t = text(n);
            if (truths.contains(t))
                return true;
            if (lies.contains(t))
                return false;
        }
        error(n, QStringLiteral("%1: expected true or false").arg(key));
        return std::nullopt;
    }

    std::optional<qint64> integer(const YAML::Node &n, const QString &key)
    {
        if (n.IsScalar() && n.Tag() != "!") {
            bool ok = false;
            const qint64 v = text(n).toLongLong(&ok, 10);
            if (ok && v >= -2147483648LL && v <= 2147483647LL)
                return v;
        }
        error(n, QStringLiteral("%1: expected an integer").arg(key));
        return std::nullopt;
    }

    std::optional<int> int32(const YAML::Node &n, const QString &key)
    {
        const auto v = integer(n, key);
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }

    QStringList strings(const YAML::Node &n, const QString &key)
    {
        QStringList out;
        if (n.IsNull())
            return out;
        if (!n.IsSequence()) {
            error(n, QStringLiteral("%1: expected a list of strings").arg(key));
            return out;
        }
        for (const YAML::Node &item : n)
            if (isString(item, key))
                out << text(item);
        return out;
    }

    QList<AddressText> addresses(const YAML::Node &n, const QString &key)
    {
        QList<AddressText> out;
        if (n.IsNull())
            return out;
        if (!n.IsSequence()) {
            error(n, QStringLiteral("%1: expected a list of CIDRs or ranges").arg(key));
            return out;
        }
        for (const YAML::Node &item : n)
            if (isString(item, key))
                out << AddressText { text(item), line(item) };
        return out;
    }

    // Checks that n is a mapping; reports keys outside allowed (when given).
    bool mapping(const YAML::Node &n, const QString &key, const QStringList &allowed = {})
    {
        if (!n.IsMap()) {
            error(n, QStringLiteral("%1: expected a mapping").arg(key));
            return false;
        }
        if (!allowed.isEmpty())
            for (auto it = n.begin(); it != n.end(); ++it) {
                const QString k = it->first.IsScalar() ? text(it->first) : QStringLiteral("?");
                if (!allowed.contains(k))
                    error(it->first, QStringLiteral("%1: unknown field \"%2\"").arg(key, k));
            }
        return true;
    }

    void readLegacyBody(const YAML::Node &body);
    void readLegacyPool(const YAML::Node &p);
    void readObject(const YAML::Node &doc);
    void readConfigMap(const YAML::Node &doc, const std::string &segmentText);
    void readIpAddressPool(const YAML::Node &doc);
    void readAdvertisement(const YAML::Node &doc, Advertisement::Kind kind);
    // metadata.name and metadata.namespace
    void readMetadata(const YAML::Node &doc, QString *name, QString *ns);
    QMap<QString, QString> stringMap(const YAML::Node &n, const QString &key);
    QList<LabelSelector> selectors(const YAML::Node &n, const QString &key);

    const std::string *segmentText = nullptr;
};

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

void Reader::readObject(const YAML::Node &doc)
{
    objectKind.clear();
    objectName.clear();
    if (doc.IsNull())
        return;
    if (!doc.IsMap()) {
        error(doc, QStringLiteral("expected a Kubernetes object or a MetalLB config (a mapping)"));
        return;
    }
    const YAML::Node kindNode = doc["kind"];
    const YAML::Node apiNode = doc["apiVersion"];
    const QString kind = kindNode && kindNode.IsScalar() ? text(kindNode) : QString();
    const QString api = apiNode && apiNode.IsScalar() ? text(apiNode) : QString();
    if (kind.isEmpty()) {
        if (doc["address-pools"] || doc["peers"] || doc["bgp-communities"] || doc["bfd-profiles"])
            readLegacyBody(doc);
        else
            error(doc, QStringLiteral("neither a Kubernetes object (no kind) nor a MetalLB config (no address-pools)"));
        return;
    }
    if (kind == u"List") {
        const YAML::Node items = doc["items"];
        if (items && items.IsSequence())
            for (const YAML::Node &item : items)
                readObject(item);
        else if (items && !items.IsNull())
            error(items, QStringLiteral("items: expected a list"));
        return;
    }
    if (kind == u"ConfigMap" && api == u"v1") {
        readConfigMap(doc, *segmentText);
        return;
    }
    const bool known = kind == u"IPAddressPool" || kind == u"L2Advertisement" || kind == u"BGPAdvertisement";
    if (!known)
        return; // Services, Deployments, BGPPeers...: not ours to check
    if (api != u"metallb.io/v1beta1") {
        objectKind = kind;
        error(doc, QStringLiteral("apiVersion \"%1\" is not metallb.io/v1beta1").arg(api));
        return;
    }
    if (kind == u"IPAddressPool")
        readIpAddressPool(doc);
    else
        readAdvertisement(doc, kind == u"L2Advertisement" ? Advertisement::L2 : Advertisement::Bgp);
}

Reader reader(const QString &file, int document, int lineBase, const std::string *text, PoolConfigReadResult &result)
{
    Reader r;
    r.file = file;
    r.document = document;
    r.lineBase = lineBase;
    r.issues = &result.issues;
    r.config = &result.config;
    r.segmentText = text;
    return r;
}

struct ParseFailure {
    QString message;
    int line = -1; // 0-based line in the text, -1 when unknown
};

// Reads one document; nullopt when it parsed (its problems are then issues).
std::optional<ParseFailure> readDocument(Reader &r, const std::string &text)
{
    try {
        r.readObject(YAML::Load(text));
    } catch (const YAML::Exception &e) {
        return ParseFailure { QString::fromStdString(e.msg), e.mark.line };
    } catch (const std::exception &e) {
        return ParseFailure { QString::fromUtf8(e.what()), -1 };
    }
    return std::nullopt;
}

} // namespace

PoolConfigReadResult PoolConfigReader::readFile(const QString &path)
{
    // Bounded: a device (/dev/zero), a FIFO or a huge file is refused, fast.
    const Core::Result<QByteArray> bytes = Core::readBoundedFile(path, Core::FileLimit::Definition);
    if (!bytes.ok()) {
        PoolConfigReadResult r;
        r.issues << Issue { Issue::Error, { path, 0, 0 }, {}, {}, {},
            QStringLiteral("cannot read: %1").arg(bytes.error().message) };
        return r;
    }
    return readYaml(bytes.value(), path);
}

PoolConfigReadResult PoolConfigReader::readYaml(const QByteArray &yaml, const QString &fileName)
{
    PoolConfigReadResult result;
    for (const Segment &segment : splitDocuments(yaml)) {
        if (isBlank(segment.text))
            continue;
        ++result.documents;
        Reader r = reader(fileName, result.documents, segment.firstLine, &segment.text, result);
        if (const auto failure = readDocument(r, segment.text)) {
            // yaml-cpp reports an unclosed flow or quote at the end of input:
            // keep the line inside the document.
            const int lastLine
                = segment.firstLine + int(std::count(segment.text.begin(), segment.text.end(), '\n')) - 1;
            const int errorLine
                = failure->line >= 0 ? std::min(segment.firstLine + failure->line, lastLine) : segment.firstLine;
            result.issues << Issue { Issue::Error, { fileName, result.documents, errorLine }, {}, {}, {},
                QStringLiteral("YAML does not parse: %1").arg(failure->message) };
        }
    }
    qCDebug(lcMetalLB) << "read" << fileName << result.documents << "documents," << result.config.pools.size()
                       << "pools";
    return result;
}

PoolConfigReadResult PoolConfigReader::readObjects(const QList<QJsonObject> &objects, const QString &label)
{
    PoolConfigReadResult result;
    for (const QJsonObject &object : objects) {
        const QString kind = object.value(u"kind").toString();
        const QJsonObject md = object.value(u"metadata").toObject();
        const QString ns = md.value(u"namespace").toString();
        const QString name = md.value(u"name").toString();
        // Many applications have a ConfigMap named "config": only MetalLB's is ours.
        if (kind == u"ConfigMap" && (ns != kMetalLBNamespace || name != u"config"))
            continue;
        ++result.documents;
        const qsizetype firstIssue = result.issues.size();
        const qsizetype firstPool = result.config.pools.size();
        const qsizetype firstAd = result.config.advertisements.size();
        // JSON is YAML, so the document reader does the work. On one line:
        // the lines of data.config, counted from 1, are then the only ones
        // the reader reports, and the only ones that mean something.
        const std::string text = QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
        Reader r = reader(label, 0, 1, &text, result);
        if (const auto failure = readDocument(r, text))
            result.issues << Issue { Issue::Error, { label, 0, 0 }, kind, {}, {},
                QStringLiteral("does not read: %1").arg(failure->message) };
        const bool configMap = kind == u"ConfigMap";
        const QString id = ns.isEmpty() ? name : QString(ns + u'/' + name);
        for (qsizetype i = firstIssue; i < result.issues.size(); ++i) {
            Issue &issue = result.issues[i];
            if (!configMap)
                issue.where.line = 0;
            if (issue.pool.isEmpty())
                issue.message = QStringLiteral("%1 %2: %3")
                                    .arg(kind.isEmpty() ? QStringLiteral("object") : kind,
                                        id.isEmpty() ? QStringLiteral("(no name)") : id, issue.message);
        }
        for (qsizetype i = firstPool; i < result.config.pools.size(); ++i)
            if (!configMap)
                result.config.pools[i].origin.line = 0;
        for (qsizetype i = firstAd; i < result.config.advertisements.size(); ++i)
            result.config.advertisements[i].origin.line = 0;
    }
    qCDebug(lcMetalLB) << "read" << objects.size() << "objects from" << label << "," << result.config.pools.size()
                       << "pools";
    return result;
}

} // namespace Bramble::MetalLB
