#include "metallb/poolconfigreader.h"

#include "metallb/logging.h"
#include "metallb/poolyamlreader_p.h"

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

using detail::kMetalLBNamespace;
using detail::Reader;

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

} // namespace

// The dispatch by kind; each kind is read in poolconfigobjects.cpp.
void detail::Reader::readObject(const YAML::Node &doc)
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

namespace {

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
