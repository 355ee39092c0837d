#include "metallb/poolapply.h"

#include "kube/kubeclient.h"
#include "metallb/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <yaml-cpp/yaml.h>

namespace Bramble::MetalLB {

namespace {

constexpr auto kGroupVersion = u"metallb.io/v1beta1";

// A plain YAML scalar as YAML 1.2's core schema types it (what the API
// server's YAML decoder does); a quoted one is always a string.
QJsonValue scalarToJson(const YAML::Node &node)
{
    const QString text = QString::fromStdString(node.Scalar());
    if (node.Tag() == "!")
        return text;
    if (text.isEmpty() || text == u"~" || text.compare(u"null", Qt::CaseInsensitive) == 0)
        return QJsonValue::Null;
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    bool ok = false;
    const qlonglong i = text.toLongLong(&ok, 10);
    if (ok)
        return i;
    const double d = text.toDouble(&ok);
    if (ok && !text.startsWith(u'.') && !text.endsWith(u'.'))
        return d;
    return text;
}

QJsonValue yamlToJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &kv : node)
            o.insert(QString::fromStdString(kv.first.as<std::string>()), yamlToJson(kv.second));
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const auto &item : node)
            a.append(yamlToJson(item));
        return a;
    }
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    default:
        return QJsonValue::Null;
    }
}

QString pluralOf(const QString &kind)
{
    return kind.toLower() + u's';
}

QString objectPath(const QJsonObject &object)
{
    const QJsonObject meta = object.value(u"metadata").toObject();
    return QStringLiteral("/apis/metallb.io/v1beta1/namespaces/%1/%2/%3")
        .arg(meta.value(u"namespace").toString(), pluralOf(object.value(u"kind").toString()),
            meta.value(u"name").toString());
}

void appendYamlList(QByteArray &out, const char *indent, const QString &key, const QStringList &values)
{
    out += indent + key.toUtf8() + ":\n";
    for (const QString &v : values)
        out += QByteArray(indent) + "  - "
            + QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact).mid(1).chopped(1) + '\n';
}

} // namespace

QString ApplyResult::toString(bool dryRun) const
{
    const QString subject = QStringLiteral("%1.metallb.io/%2").arg(kind.toLower(), name);
    if (!ok)
        return QStringLiteral("%1: %2").arg(subject, message);
    return dryRun ? QStringLiteral("%1 %2 (server dry run)").arg(subject, message) : subject + u' ' + message;
}

QList<QJsonObject> readApplyObjects(const QByteArray &yaml, const QString &fileName, QString *error)
{
    QList<QJsonObject> out;
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("%1:%2: YAML does not parse: %3")
                     .arg(fileName)
                     .arg(e.mark.line >= 0 ? e.mark.line + 1 : 0)
                     .arg(QString::fromStdString(e.msg));
        return {};
    }
    int index = 0;
    for (const YAML::Node &doc : docs) {
        ++index;
        if (!doc || doc.IsNull())
            continue;
        const QJsonValue value = yamlToJson(doc);
        QJsonObject object = value.toObject();
        const QString where = QStringLiteral("%1: document %2").arg(fileName).arg(index);
        if (object.value(u"kind").toString() == u"List") {
            *error = where + u": kind List: apply its items as separate documents";
            return {};
        }
        const QString kind = object.value(u"kind").toString();
        const QJsonObject meta = object.value(u"metadata").toObject();
        if (kind == u"ConfigMap" && meta.value(u"name").toString() == u"config") {
            *error = where
                + u": the legacy ConfigMap metallb-system/config is not applied by Bramble: "
                  u"migrate it to metallb.io CRDs first (`bramblectl pools migrate FILE` prints them)";
            return {};
        }
        if (object.value(u"apiVersion").toString() != kGroupVersion
            || (kind != u"IPAddressPool" && kind != u"L2Advertisement" && kind != u"BGPAdvertisement")) {
            *error = QStringLiteral("%1: %2 %3 is not a metallb.io/v1beta1 IPAddressPool, L2Advertisement or "
                                    "BGPAdvertisement")
                         .arg(where, object.value(u"apiVersion").toString(), kind);
            return {};
        }
        if (meta.value(u"name").toString().isEmpty()) {
            *error = where + u": metadata.name is missing";
            return {};
        }
        if (meta.value(u"namespace").toString().isEmpty()) {
            QJsonObject m = meta;
            m.insert(u"namespace", QStringLiteral("metallb-system"));
            object.insert(u"metadata", m);
        }
        out.append(object);
    }
    if (out.isEmpty())
        *error = fileName + u": no objects to apply";
    return out;
}

QJsonObject poolWithAddresses(const QJsonObject &pool, const QStringList &addresses)
{
    QJsonObject out = pool;
    out.remove(u"status");
    QJsonObject meta = out.value(u"metadata").toObject();
    for (const auto key : { u"managedFields", u"resourceVersion", u"uid", u"creationTimestamp", u"generation" })
        meta.remove(QString::fromUtf16(key));
    QJsonObject annotations = meta.value(u"annotations").toObject();
    annotations.remove(u"kubectl.kubernetes.io/last-applied-configuration");
    if (annotations.isEmpty())
        meta.remove(u"annotations");
    else
        meta.insert(u"annotations", annotations);
    out.insert(u"metadata", meta);
    out.insert(u"apiVersion", QString::fromUtf16(kGroupVersion));
    out.insert(u"kind", QStringLiteral("IPAddressPool"));
    QJsonObject spec = out.value(u"spec").toObject();
    spec.insert(u"addresses", QJsonArray::fromStringList(addresses));
    out.insert(u"spec", spec);
    return out;
}

QByteArray migrationYaml(const PoolConfig &legacy)
{
    QByteArray out;
    const auto header = [&out](const char *kind, const QString &name) {
        if (!out.isEmpty())
            out += "---\n";
        out += QByteArray("apiVersion: metallb.io/v1beta1\nkind: ") + kind + "\nmetadata:\n  name: " + name.toUtf8()
            + "\n  namespace: metallb-system\nspec:\n";
    };
    for (const AddressPool &p : legacy.pools) {
        if (p.source != PoolSource::ConfigMap)
            continue;
        QStringList addresses;
        for (const AddressText &a : p.addresses)
            addresses << a.text;
        header("IPAddressPool", p.name);
        appendYamlList(out, "  ", QStringLiteral("addresses"), addresses);
        if (!p.autoAssign)
            out += "  autoAssign: false\n";
        if (p.avoidBuggyIPs)
            out += "  avoidBuggyIPs: true\n";
        if (p.protocol != u"bgp") {
            header("L2Advertisement", p.name);
            appendYamlList(out, "  ", QStringLiteral("ipAddressPools"), { p.name });
            continue;
        }
        const QList<LegacyBgpAdvertisement> ads
            = p.bgpAdvertisements.isEmpty() ? QList<LegacyBgpAdvertisement> { {} } : p.bgpAdvertisements;
        for (qsizetype i = 0; i < ads.size(); ++i) {
            const LegacyBgpAdvertisement &ad = ads.at(i);
            header("BGPAdvertisement", ads.size() == 1 ? p.name : QStringLiteral("%1-%2").arg(p.name).arg(i + 1));
            appendYamlList(out, "  ", QStringLiteral("ipAddressPools"), { p.name });
            if (ad.aggregationLength)
                out += "  aggregationLength: " + QByteArray::number(*ad.aggregationLength) + '\n';
            if (ad.aggregationLengthV6)
                out += "  aggregationLengthV6: " + QByteArray::number(*ad.aggregationLengthV6) + '\n';
            if (ad.localPref)
                out += "  localPref: " + QByteArray::number(*ad.localPref) + '\n';
            if (!ad.communities.isEmpty())
                appendYamlList(out, "  ", QStringLiteral("communities"), ad.communities);
        }
    }
    return out;
}

PoolApplyJob *PoolApplyJob::start(
    Kube::KubeClient *client, const QList<QJsonObject> &objects, bool dryRun, QObject *parent)
{
    auto *job = new PoolApplyJob(client, objects, dryRun, parent);
    job->Core::Job::start();
    return job;
}

PoolApplyJob::PoolApplyJob(Kube::KubeClient *client, const QList<QJsonObject> &objects, bool dryRun, QObject *parent)
    : Core::Job(parent ? parent : client)
    , m_client(client)
    , m_objects(objects)
    , m_dryRun(dryRun)
{
}

bool PoolApplyJob::allOk() const
{
    return m_results.size() == m_objects.size()
        && std::all_of(m_results.cbegin(), m_results.cend(), [](const ApplyResult &r) { return r.ok; });
}

void PoolApplyJob::abort()
{
    if (m_call) {
        m_call->disconnect(this);
        m_call->cancel();
        m_call = nullptr;
    }
}

// Per object: GET (to tell created / configured / unchanged apart, as
// kubectl apply does), then the apply PATCH.
void PoolApplyJob::next()
{
    if (isEnding())
        return;
    reportProgress(m_results.size(), m_objects.size());
    if (!m_client) {
        fail(Core::Error(Core::Error::Kind::Cancelled, QStringLiteral("the client is gone")));
        return;
    }
    if (m_results.size() == m_objects.size()) {
        const qsizetype failed
            = std::count_if(m_results.cbegin(), m_results.cend(), [](const ApplyResult &r) { return !r.ok; });
        if (failed == 0)
            succeed();
        else
            fail(Core::Error(Core::Error::Kind::Server,
                QStringLiteral("%1 of %2 object(s) not applied").arg(failed).arg(m_objects.size())));
        return;
    }
    const QJsonObject object = m_objects.at(m_results.size());
    const QJsonObject meta = object.value(u"metadata").toObject();
    ApplyResult result;
    result.kind = object.value(u"kind").toString();
    result.namespace_ = meta.value(u"namespace").toString();
    result.name = meta.value(u"name").toString();
    const QString path = objectPath(object);

    m_call = m_client->get(path);
    connect(m_call, &Kube::KubeCall::finished, this, [this, object, path, result, call = m_call]() mutable {
        if (!call->ok() && call->httpStatus() != 404) {
            result.message = call->error().toString();
            m_results.append(result);
            next();
            return;
        }
        const bool existed = call->ok();
        const QJsonValue before = call->json().value(u"spec");
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("fieldManager"), QStringLiteral("bramble"));
        query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
        if (m_dryRun)
            query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
        const QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
        m_call = m_client->send("PATCH", path, query, body, "application/apply-patch+yaml");
        connect(m_call, &Kube::KubeCall::finished, this, [this, existed, before, result, call = m_call]() mutable {
            if (call->ok()) {
                result.ok = true;
                const bool same = existed && call->json().value(u"spec") == before;
                result.message = !existed ? QStringLiteral("created")
                    : same                ? QStringLiteral("unchanged")
                                          : QStringLiteral("configured");
            } else {
                // The server's own words (an admission webhook's denial, a
                // conflict), without the request line the call puts in front.
                const Core::Error &e = call->error();
                result.message
                    = e.httpStatus > 0 ? QStringLiteral("%1 (HTTP %2)").arg(e.message).arg(e.httpStatus) : e.toString();
            }
            qCInfo(lcMetalLB).noquote() << "apply" << (m_dryRun ? "(dry run)" : "") << result.toString(m_dryRun);
            m_results.append(result);
            next();
        });
    });
}

} // namespace Bramble::MetalLB
