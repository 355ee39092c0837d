#include "fakes/fakekubeapiserver.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Bramble::Test {

namespace {

constexpr qint64 kHighWater = 512 * 1024; // bytes we let the socket buffer before waiting for it to drain
constexpr qint64 kSlice = 256 * 1024;
constexpr int kMaxRequests = 10000;
constexpr int kMaxSnapshots = 16;
constexpr qsizetype kMaxHeader = 64 * 1024;
constexpr qsizetype kMaxBody = 8 * 1024 * 1024;

// A chunked request body (kubectl create --raw sends one) that starts at
// `from`: the bytes it takes (body set), 0 while incomplete, -1 when malformed
// or over kMaxBody.
qsizetype dechunk(const QByteArray &data, qsizetype from, QByteArray *body)
{
    body->clear();
    qsizetype at = from;
    for (;;) {
        const qsizetype eol = data.indexOf("\r\n", at);
        if (eol < 0)
            return data.size() - at > 32 ? -1 : 0;
        bool ok = false;
        const qsizetype size = data.mid(at, eol - at).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || body->size() + size > kMaxBody)
            return -1;
        if (data.size() < eol + 2 + size + 2)
            return 0;
        if (size == 0) {
            // No trailers: the last chunk, then an empty line.
            return data.mid(eol + 2, 2) == "\r\n" ? eol + 4 - from : -1;
        }
        body->append(data.mid(eol + 2, size));
        if (data.mid(eol + 2 + size, 2) != "\r\n")
            return -1;
        at = eol + 2 + size + 2;
    }
}

const QByteArray kJsonType = "application/json"_ba;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK"_ba;
    case 201:
        return "Created"_ba;
    case 400:
        return "Bad Request"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 403:
        return "Forbidden"_ba;
    case 404:
        return "Not Found"_ba;
    case 405:
        return "Method Not Allowed"_ba;
    case 409:
        return "Conflict"_ba;
    case 410:
        return "Gone"_ba;
    case 411:
        return "Length Required"_ba;
    case 413:
        return "Request Entity Too Large"_ba;
    case 415:
        return "Unsupported Media Type"_ba;
    case 422:
        return "Unprocessable Entity"_ba;
    case 429:
        return "Too Many Requests"_ba;
    case 431:
        return "Request Header Fields Too Large"_ba;
    case 500:
        return "Internal Server Error"_ba;
    case 503:
        return "Service Unavailable"_ba;
    case 504:
        return "Gateway Timeout"_ba;
    default:
        return "Status"_ba;
    }
}

// The Status reason metav1 uses for a code (k8s.io/apimachinery StatusReason).
QByteArray statusReason(int code)
{
    switch (code) {
    case 400:
        return "BadRequest"_ba;
    case 401:
        return "Unauthorized"_ba;
    case 403:
        return "Forbidden"_ba;
    case 404:
        return "NotFound"_ba;
    case 405:
        return "MethodNotAllowed"_ba;
    case 409:
        return "Conflict"_ba;
    case 410:
        return "Expired"_ba;
    case 415:
        return "UnsupportedMediaType"_ba;
    case 422:
        return "Invalid"_ba;
    case 429:
        return "TooManyRequests"_ba;
    case 500:
        return "InternalError"_ba;
    case 503:
        return "ServiceUnavailable"_ba;
    case 504:
        return "Timeout"_ba;
    default:
        return {};
    }
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// API timestamps have whole seconds.
QDateTime nowSeconds()
{
    const QDateTime t = QDateTime::currentDateTimeUtc();
    return t.addMSecs(-t.time().msec());
}

QString rfc3339(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QByteArray httpDate()
{
    return QLocale::c().toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
}

QJsonObject statusObject(int code, const QByteArray &reason, const QString &message, const QJsonObject &details = {},
    const QJsonObject &metadata = {})
{
    QJsonObject s { { u"kind"_s, u"Status"_s }, { u"apiVersion"_s, u"v1"_s }, { u"metadata"_s, metadata },
        { u"status"_s, u"Failure"_s }, { u"message"_s, message }, { u"code"_s, code } };
    if (!reason.isEmpty())
        s[u"reason"_s] = QString::fromLatin1(reason);
    if (!details.isEmpty())
        s[u"details"_s] = details;
    return s;
}

// strconv.ParseBool, which the API server's query decoding uses.
bool isTrue(const QString &v)
{
    return v == u"1" || v == u"t" || v == u"T" || v == u"true" || v == u"TRUE" || v == u"True";
}

// duration.HumanDuration from k8s.io/apimachinery, as kubectl's AGE column shows it.
QString humanDuration(qint64 seconds)
{
    if (seconds < -1)
        return u"<invalid>"_s;
    if (seconds < 0)
        return u"0s"_s;
    if (seconds < 120)
        return QString::number(seconds) + u's';
    const qint64 minutes = seconds / 60;
    if (minutes < 10) {
        const qint64 s = seconds % 60;
        return s == 0 ? QString::number(minutes) + u'm' : QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 180)
        return QString::number(minutes) + u'm';
    const qint64 hours = seconds / 3600;
    if (hours < 8) {
        const qint64 m = minutes % 60;
        return m == 0 ? QString::number(hours) + u'h' : QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QString::number(hours) + u'h';
    if (hours < 24 * 8) {
        const qint64 h = hours % 24;
        return h == 0 ? QString::number(hours / 24) + u'd' : QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QString::number(hours / 24) + u'd';
    if (hours < 24 * 365 * 8) {
        const qint64 d = (hours / 24) % 365;
        return d == 0 ? QString::number(hours / 24 / 365) + u'y'
                      : QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(d);
    }
    return QString::number(hours / 24 / 365) + u'y';
}

// --- nodes as kubectl prints them (pkg/printers/internalversion printNode) ---

QJsonObject column(const QString &name, const QString &description, int priority = 0, const QString &format = {});

QJsonArray nodeColumns()
{
    return { column(u"Name"_s, u"Name must be unique within a namespace."_s, 0, u"name"_s),
        column(u"Status"_s, u"The status of the node"_s, 0), column(u"Roles"_s, u"The roles of the node"_s, 0),
        column(u"Age"_s, u"CreationTimestamp is when this object was created."_s, 0),
        column(u"Version"_s, u"Kubelet Version reported by the node."_s, 0),
        column(u"Internal-IP"_s, u"List of addresses reachable to the node. Internal IP."_s, 1),
        column(u"External-IP"_s, u"List of addresses reachable to the node. External IP."_s, 1),
        column(u"OS-Image"_s, u"OS Image reported by the node from /etc/os-release."_s, 1),
        column(u"Kernel-Version"_s, u"Kernel Version reported by the node."_s, 1),
        column(u"Container-Runtime"_s, u"ContainerRuntime Version reported by the node."_s, 1) };
}

QString firstAddress(const QJsonObject &status, const QString &type)
{
    for (const QJsonValue &a : status.value("addresses"_L1).toArray())
        if (a.toObject().value("type"_L1).toString() == type)
            return a.toObject().value("address"_L1).toString();
    return u"<none>"_s;
}

QStringList nodeCells(const QJsonObject &node, const QDateTime &now)
{
    const QJsonObject meta = node.value("metadata"_L1).toObject();
    const QJsonObject spec = node.value("spec"_L1).toObject();
    const QJsonObject status = node.value("status"_L1).toObject();
    const QJsonObject info = status.value("nodeInfo"_L1).toObject();

    QStringList state;
    for (const QJsonValue &c : status.value("conditions"_L1).toArray()) {
        const QJsonObject cond = c.toObject();
        if (cond.value("type"_L1).toString() == u"Ready") {
            state << (cond.value("status"_L1).toString() == u"True" ? u"Ready"_s : u"NotReady"_s);
            break;
        }
    }
    if (state.isEmpty())
        state << u"Unknown"_s;
    if (spec.value("unschedulable"_L1).toBool())
        state << u"SchedulingDisabled"_s;

    QStringList roles;
    const QJsonObject labels = meta.value("labels"_L1).toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.key().startsWith(u"node-role.kubernetes.io/")) {
            const QString role = it.key().mid(24);
            if (!role.isEmpty())
                roles << role;
        } else if (it.key() == u"kubernetes.io/role" && !it.value().toString().isEmpty()) {
            roles << it.value().toString();
        }
    }
    roles.sort();
    roles.removeDuplicates();

    const QDateTime created = QDateTime::fromString(meta.value("creationTimestamp"_L1).toString(), Qt::ISODate);
    auto orUnknown = [](const QString &s) { return s.isEmpty() ? u"<unknown>"_s : s; };
    return { meta.value("name"_L1).toString(), state.join(u','), roles.isEmpty() ? u"<none>"_s : roles.join(u','),
        created.isValid() ? humanDuration(created.secsTo(now)) : u"<unknown>"_s,
        info.value("kubeletVersion"_L1).toString(), firstAddress(status, u"InternalIP"_s),
        firstAddress(status, u"ExternalIP"_s), orUnknown(info.value("osImage"_L1).toString()),
        orUnknown(info.value("kernelVersion"_L1).toString()),
        orUnknown(info.value("containerRuntimeVersion"_L1).toString()) };
}

// --- the other resources as kubectl prints them ---

QJsonObject column(const QString &name, const QString &description, int priority, const QString &format)
{
    return QJsonObject { { u"name"_s, name }, { u"type"_s, u"string"_s }, { u"format"_s, format },
        { u"description"_s, description }, { u"priority"_s, priority } };
}

QJsonObject nameColumn()
{
    return column(u"Name"_s, u"Name must be unique within a namespace."_s, 0, u"name"_s);
}

QJsonObject ageColumn()
{
    return column(u"Age"_s, u"CreationTimestamp is when this object was created."_s);
}

QString age(const QJsonObject &object, const QDateTime &now)
{
    const QDateTime created = QDateTime::fromString(
        object.value("metadata"_L1).toObject().value("creationTimestamp"_L1).toString(), Qt::ISODate);
    return created.isValid() ? humanDuration(created.secsTo(now)) : u"<unknown>"_s;
}

QString nameOf(const QJsonObject &object)
{
    return object.value("metadata"_L1).toObject().value("name"_L1).toString();
}

// pkg/printers/internalversion printService.
QJsonArray serviceColumns()
{
    return { nameColumn(), column(u"Type"_s, u"The type of the service."_s),
        column(u"Cluster-IP"_s, u"The cluster IP of the service."_s),
        column(u"External-IP"_s, u"The external IPs of the service."_s),
        column(u"Port(s)"_s, u"The ports of the service."_s), ageColumn(),
        column(u"Selector"_s, u"The label selector of the service."_s, 1) };
}

QStringList serviceCells(const QJsonObject &svc, const QDateTime &now)
{
    const QJsonObject spec = svc.value("spec"_L1).toObject();
    const QString type = spec.value("type"_L1).toString(u"ClusterIP"_s);
    QStringList external;
    for (const QJsonValue &ip : spec.value("externalIPs"_L1).toArray())
        external << ip.toString();
    if (type == u"LoadBalancer") {
        QStringList ingress;
        const QJsonObject lb = svc.value("status"_L1).toObject().value("loadBalancer"_L1).toObject();
        for (const QJsonValue &i : lb.value("ingress"_L1).toArray()) {
            const QJsonObject o = i.toObject();
            ingress << (o.contains("ip"_L1) ? o.value("ip"_L1).toString() : o.value("hostname"_L1).toString());
        }
        external = ingress + external;
        if (external.isEmpty())
            external << u"<pending>"_s;
    } else if (type == u"ExternalName") {
        external = QStringList { spec.value("externalName"_L1).toString() };
    }
    QStringList ports;
    for (const QJsonValue &p : spec.value("ports"_L1).toArray()) {
        const QJsonObject port = p.toObject();
        const QString protocol = port.value("protocol"_L1).toString(u"TCP"_s);
        const int nodePort = port.value("nodePort"_L1).toInt();
        ports << (nodePort > 0
                ? QStringLiteral("%1:%2/%3").arg(port.value("port"_L1).toInt()).arg(nodePort).arg(protocol)
                : QStringLiteral("%1/%2").arg(port.value("port"_L1).toInt()).arg(protocol));
    }
    QStringList selector;
    const QJsonObject sel = spec.value("selector"_L1).toObject();
    for (auto it = sel.begin(); it != sel.end(); ++it)
        selector << QString(it.key() + u'=' + it.value().toString());
    auto orNone = [](const QStringList &l) { return l.isEmpty() ? u"<none>"_s : l.join(u','); };
    return { nameOf(svc), type, spec.value("clusterIP"_L1).toString(u"<none>"_s), orNone(external), orNone(ports),
        age(svc, now), orNone(selector) };
}

QJsonArray namespaceColumns()
{
    return { nameColumn(), column(u"Status"_s, u"The status of the namespace"_s), ageColumn() };
}

QStringList namespaceCells(const QJsonObject &ns, const QDateTime &now)
{
    return { nameOf(ns), ns.value("status"_L1).toObject().value("phase"_L1).toString(), age(ns, now) };
}

QJsonObject makeNamespace(const QString &name)
{
    return { { u"kind"_s, u"Namespace"_s }, { u"apiVersion"_s, u"v1"_s },
        { u"metadata"_s,
            QJsonObject { { u"name"_s, name }, { u"uid"_s, QUuid::createUuid().toString(QUuid::WithoutBraces) },
                { u"creationTimestamp"_s, rfc3339(nowSeconds()) },
                { u"labels"_s, QJsonObject { { u"kubernetes.io/metadata.name"_s, name } } } } },
        { u"spec"_s, QJsonObject { { u"finalizers"_s, QJsonArray { u"kubernetes"_s } } } },
        { u"status"_s, QJsonObject { { u"phase"_s, u"Active"_s } } } };
}

QJsonArray configMapColumns()
{
    return { nameColumn(), column(u"Data"_s, u"The number of data entries."_s), ageColumn() };
}

QStringList configMapCells(const QJsonObject &cm, const QDateTime &now)
{
    const qsizetype n = cm.value("data"_L1).toObject().size() + cm.value("binaryData"_L1).toObject().size();
    return { nameOf(cm), QString::number(n), age(cm, now) };
}

QJsonArray secretColumns()
{
    return { nameColumn(), column(u"Type"_s, u"The type of the secret"_s),
        column(u"Data"_s, u"The number of data entries."_s), ageColumn() };
}

QStringList secretCells(const QJsonObject &secret, const QDateTime &now)
{
    const qsizetype n = secret.value("data"_L1).toObject().size();
    return { nameOf(secret), secret.value("type"_L1).toString(), QString::number(n), age(secret, now) };
}

// A CRD's additionalPrinterColumns cell: JSON for lists, as the API server's jsonpath printer gives.
QString specCell(const QJsonObject &object, const QString &field)
{
    const QJsonValue v = object.value("spec"_L1).toObject().value(field);
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    return v.toString();
}

// The printer columns of MetalLB 0.14's CRDs (config/crd/bases).
QJsonArray poolColumns()
{
    return { nameColumn(), column(u"Auto Assign"_s, {}), column(u"Avoid Buggy IPs"_s, {}), column(u"Addresses"_s, {}) };
}

QStringList poolCells(const QJsonObject &pool, const QDateTime &)
{
    const QJsonObject spec = pool.value("spec"_L1).toObject();
    return { nameOf(pool), spec.value("autoAssign"_L1).toBool(true) ? u"true"_s : u"false"_s,
        spec.value("avoidBuggyIPs"_L1).toBool(false) ? u"true"_s : u"false"_s, specCell(pool, u"addresses"_s) };
}

// The advertisements' columns: the third is spec.interfaces (L2) or spec.peers (BGP).
QJsonArray advertisementColumns(const QString &field)
{
    return { nameColumn(), column(u"IPAddressPools"_s, {}), column(u"IPAddressPool Selectors"_s, {}),
        column(QString(field.left(1).toUpper() + field.mid(1)), {}), column(u"Node Selectors"_s, {}, 10) };
}

QStringList advertisementCells(const QJsonObject &adv, const QString &field)
{
    return { nameOf(adv), specCell(adv, u"ipAddressPools"_s), specCell(adv, u"ipAddressPoolSelectors"_s),
        specCell(adv, field), specCell(adv, u"nodeSelectors"_s) };
}

// YAML (one document) as JSON, with the YAML 1.1 scalars Kubernetes' sigs.k8s.io/yaml gives.
QJsonValue yamlToJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &kv : node)
            o[QString::fromStdString(kv.first.as<std::string>())] = yamlToJson(kv.second);
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const auto &item : node)
            a.append(yamlToJson(item));
        return a;
    }
    case YAML::NodeType::Scalar: {
        const QString s = QString::fromStdString(node.Scalar());
        if (node.Tag() == "!") // quoted
            return s;
        if (s == u"true" || s == u"True" || s == u"TRUE")
            return true;
        if (s == u"false" || s == u"False" || s == u"FALSE")
            return false;
        if (s == u"null" || s == u"~" || s.isEmpty())
            return QJsonValue();
        bool ok = false;
        const qint64 i = s.toLongLong(&ok);
        if (ok)
            return i;
        const double d = s.toDouble(&ok);
        return ok ? QJsonValue(d) : QJsonValue(s);
    }
    default:
        return QJsonValue();
    }
}

// A request body that must be one object: JSON, or YAML where allowed.
std::optional<QJsonObject> bodyObject(const QByteArray &body, bool yamlAllowed, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject())
        return doc.object();
    *error
        = parseError.error == QJsonParseError::NoError ? u"the body is not a JSON object"_s : parseError.errorString();
    if (!yamlAllowed)
        return std::nullopt;
    try {
        const QJsonValue v = yamlToJson(YAML::Load(body.toStdString()));
        if (v.isObject())
            return v.toObject();
        *error = u"the body is not a YAML mapping"_s;
    } catch (const YAML::Exception &e) {
        *error = QString::fromStdString(e.what());
    }
    return std::nullopt;
}

// --- conditions and taints, as the kubelet and the node lifecycle controller write them ---

struct ConditionText {
    const char16_t *type;
    const char16_t *healthyStatus;
    const char16_t *reason;
    const char16_t *message;
};

const ConditionText kHealthy[] = {
    { u"MemoryPressure", u"False", u"KubeletHasSufficientMemory", u"kubelet has sufficient memory available" },
    { u"DiskPressure", u"False", u"KubeletHasNoDiskPressure", u"kubelet has no disk pressure" },
    { u"PIDPressure", u"False", u"KubeletHasSufficientPID", u"kubelet has sufficient PID available" },
    { u"Ready", u"True", u"KubeletReady", u"kubelet is posting ready status" },
};

void setConditionIn(QJsonObject &node, const QString &type, const QString &status, const QString &reason,
    const QString &message, const QDateTime &now)
{
    QJsonObject st = node.value("status"_L1).toObject();
    QJsonArray conds = st.value("conditions"_L1).toArray();
    qsizetype index = -1;
    for (qsizetype i = 0; i < conds.size(); ++i)
        if (conds.at(i).toObject().value("type"_L1).toString() == type)
            index = i;
    QJsonObject c = index >= 0 ? conds.at(index).toObject() : QJsonObject { { u"type"_s, type } };
    if (c.value("status"_L1).toString() != status || !c.contains("lastTransitionTime"_L1))
        c[u"lastTransitionTime"_s] = rfc3339(now);
    // The controller that marks a node Unknown does not touch the heartbeat.
    if (status != u"Unknown" || !c.contains("lastHeartbeatTime"_L1))
        c[u"lastHeartbeatTime"_s] = rfc3339(now);
    c[u"status"_s] = status;
    c[u"reason"_s] = reason;
    c[u"message"_s] = message;
    if (index >= 0)
        conds[index] = c;
    else
        conds.append(c);
    st[u"conditions"_s] = conds;
    node[u"status"_s] = st;
}

void setTaints(QJsonObject &node, const QStringList &removeKeys, const QJsonArray &add)
{
    QJsonObject spec = node.value("spec"_L1).toObject();
    QJsonArray taints;
    for (const QJsonValue &t : spec.value("taints"_L1).toArray())
        if (!removeKeys.contains(t.toObject().value("key"_L1).toString()))
            taints.append(t);
    for (const QJsonValue &t : add)
        taints.append(t);
    if (taints.isEmpty())
        spec.remove("taints"_L1);
    else
        spec[u"taints"_s] = taints;
    node[u"spec"_s] = spec;
}

QJsonObject taint(const QString &key, const QString &effect, const QDateTime &added = {})
{
    QJsonObject t { { u"key"_s, key }, { u"effect"_s, effect } };
    if (added.isValid())
        t[u"timeAdded"_s] = rfc3339(added);
    return t;
}

void applyReady(QJsonObject &node, const QString &status, const QString &reason, const QString &message)
{
    const QDateTime now = nowSeconds();
    const QString notReady = u"node.kubernetes.io/not-ready"_s, unreachable = u"node.kubernetes.io/unreachable"_s;
    if (status == u"Unknown") {
        for (const ConditionText &c : kHealthy) {
            const bool ready = QStringView(c.type) == u"Ready";
            setConditionIn(node, QString::fromUtf16(c.type), u"Unknown"_s,
                ready && !reason.isEmpty() ? reason : u"NodeStatusUnknown"_s,
                ready && !message.isEmpty() ? message : u"Kubelet stopped posting node status."_s, now);
        }
        setTaints(node, { notReady, unreachable },
            { taint(unreachable, u"NoSchedule"_s), taint(unreachable, u"NoExecute"_s, now) });
        return;
    }
    // A kubelet that posts status again restores the pressure conditions.
    for (const ConditionText &c : kHealthy) {
        if (QStringView(c.type) == u"Ready")
            continue;
        setConditionIn(node, QString::fromUtf16(c.type), QString::fromUtf16(c.healthyStatus),
            QString::fromUtf16(c.reason), QString::fromUtf16(c.message), now);
    }
    if (status == u"True") {
        setConditionIn(node, u"Ready"_s, status, reason.isEmpty() ? u"KubeletReady"_s : reason,
            message.isEmpty() ? u"kubelet is posting ready status"_s : message, now);
        setTaints(node, { notReady, unreachable }, {});
    } else {
        setConditionIn(node, u"Ready"_s, status, reason.isEmpty() ? u"KubeletNotReady"_s : reason,
            message.isEmpty() ? u"container runtime network not ready: NetworkReady=false "
                                u"reason:NetworkPluginNotReady message:Network plugin returns error: "
                                u"cni plugin not initialized"_s
                              : message,
            now);
        setTaints(node, { notReady, unreachable },
            { taint(notReady, u"NoSchedule"_s), taint(notReady, u"NoExecute"_s, now) });
    }
}

void applyUnschedulable(QJsonObject &node, bool unschedulable)
{
    QJsonObject spec = node.value("spec"_L1).toObject();
    if (unschedulable)
        spec[u"unschedulable"_s] = true;
    else
        spec.remove("unschedulable"_L1);
    node[u"spec"_s] = spec;
    const QString key = u"node.kubernetes.io/unschedulable"_s;
    setTaints(node, { key }, unschedulable ? QJsonArray { taint(key, u"NoSchedule"_s, nowSeconds()) } : QJsonArray {});
}

// --- patches ---

QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch) // RFC 7386
{
    if (!patch.isObject())
        return patch;
    QJsonObject t = target.isObject() ? target.toObject() : QJsonObject {};
    const QJsonObject p = patch.toObject();
    for (auto it = p.begin(); it != p.end(); ++it) {
        if (it.value().isNull())
            t.remove(it.key());
        else
            t[it.key()] = mergePatch(t.value(it.key()), it.value());
    }
    return t;
}

// The list fields of Node whose strategic-merge strategy is "merge" (patchMergeKey).
QString mergeKeyFor(const QString &path)
{
    if (path == u"status.conditions" || path == u"status.addresses")
        return u"type"_s;
    if (path == u"status.volumesAttached")
        return u"name"_s;
    return {};
}

QJsonObject withoutDirectives(QJsonObject o)
{
    for (const QString &k : o.keys())
        if (k.startsWith(u'$'))
            o.remove(k);
    return o;
}

QJsonValue strategicMerge(const QJsonValue &target, const QJsonValue &patch, const QString &path)
{
    if (!patch.isObject())
        return patch;
    const QJsonObject raw = patch.toObject();
    const QJsonObject p = withoutDirectives(raw);
    if (raw.value("$patch"_L1).toString() == u"replace")
        return p;
    QJsonObject t = target.isObject() ? target.toObject() : QJsonObject {};
    for (auto it = p.begin(); it != p.end(); ++it) {
        const QString childPath = path.isEmpty() ? it.key() : path + u'.' + it.key();
        const QJsonValue v = it.value();
        if (v.isNull() || (v.isObject() && v.toObject().value("$patch"_L1).toString() == u"delete")) {
            t.remove(it.key());
        } else if (v.isObject()) {
            t[it.key()] = strategicMerge(t.value(it.key()), v, childPath);
        } else if (const QString key = mergeKeyFor(childPath); v.isArray() && !key.isEmpty()) {
            QJsonArray list = t.value(it.key()).toArray();
            for (const QJsonValue &e : v.toArray()) {
                const QJsonObject elem = e.toObject();
                const QJsonValue id = elem.value(key);
                qsizetype found = -1;
                for (qsizetype i = 0; i < list.size(); ++i)
                    if (list.at(i).toObject().value(key) == id)
                        found = i;
                if (elem.value("$patch"_L1).toString() == u"delete") {
                    if (found >= 0)
                        list.removeAt(found);
                } else if (found >= 0) {
                    list[found] = strategicMerge(list.at(found), elem, childPath);
                } else {
                    list.append(withoutDirectives(elem));
                }
            }
            t[it.key()] = list;
        } else {
            t[it.key()] = v;
        }
    }
    return t;
}

enum class PointerOp { Add, Replace, Remove };

std::optional<QStringList> pointerTokens(const QString &pointer)
{
    if (pointer.isEmpty())
        return QStringList {};
    if (!pointer.startsWith(u'/'))
        return std::nullopt;
    QStringList tokens = pointer.mid(1).split(u'/');
    for (QString &t : tokens)
        t.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
    return tokens;
}

std::optional<QJsonValue> pointerGet(QJsonValue node, const QStringList &tokens)
{
    for (const QString &t : tokens) {
        if (node.isObject()) {
            if (!node.toObject().contains(t))
                return std::nullopt;
            node = node.toObject().value(t);
        } else if (node.isArray()) {
            bool ok = false;
            const qsizetype i = t.toLongLong(&ok);
            if (!ok || i < 0 || i >= node.toArray().size())
                return std::nullopt;
            node = node.toArray().at(i);
        } else {
            return std::nullopt;
        }
    }
    return node;
}

bool pointerApply(QJsonValue &node, const QStringList &tokens, qsizetype depth, PointerOp op, const QJsonValue &value)
{
    const QString &key = tokens.at(depth);
    const bool last = depth == tokens.size() - 1;
    if (node.isObject()) {
        QJsonObject o = node.toObject();
        if (last) {
            if (op != PointerOp::Add && !o.contains(key))
                return false;
            if (op == PointerOp::Remove)
                o.remove(key);
            else
                o[key] = value;
        } else {
            if (!o.contains(key))
                return false;
            QJsonValue child = o.value(key);
            if (!pointerApply(child, tokens, depth + 1, op, value))
                return false;
            o[key] = child;
        }
        node = o;
        return true;
    }
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        bool ok = key == u"-";
        const qsizetype i = ok ? a.size() : key.toLongLong(&ok);
        if (!ok || i < 0)
            return false;
        if (last && op == PointerOp::Add) {
            if (i > a.size())
                return false;
            a.insert(i, value);
        } else if (i >= a.size()) {
            return false;
        } else if (last) {
            if (op == PointerOp::Remove)
                a.removeAt(i);
            else
                a[i] = value;
        } else {
            QJsonValue child = a.at(i);
            if (!pointerApply(child, tokens, depth + 1, op, value))
                return false;
            a[i] = child;
        }
        node = a;
        return true;
    }
    return false;
}

// RFC 6902. Returns an empty string on success, else what failed.
QString jsonPatch(QJsonValue &doc, const QJsonArray &ops)
{
    for (qsizetype n = 0; n < ops.size(); ++n) {
        const QJsonObject op = ops.at(n).toObject();
        const QString name = op.value("op"_L1).toString();
        const auto path = pointerTokens(op.value("path"_L1).toString());
        const QString where = QStringLiteral("operation %1 (%2 %3)").arg(n).arg(name, op.value("path"_L1).toString());
        if (!path)
            return where + u": invalid path"_s;
        auto put = [&](PointerOp kind, const QJsonValue &value) {
            if (path->isEmpty()) {
                doc = kind == PointerOp::Remove ? QJsonValue() : value;
                return true;
            }
            return pointerApply(doc, *path, 0, kind, value);
        };
        bool ok = false;
        if (name == u"add") {
            ok = op.contains("value"_L1) && put(PointerOp::Add, op.value("value"_L1));
        } else if (name == u"replace") {
            ok = op.contains("value"_L1) && put(PointerOp::Replace, op.value("value"_L1));
        } else if (name == u"remove") {
            ok = put(PointerOp::Remove, {});
        } else if (name == u"test") {
            const auto current = pointerGet(doc, *path);
            ok = current && *current == op.value("value"_L1);
        } else if (name == u"copy" || name == u"move") {
            const auto from = pointerTokens(op.value("from"_L1).toString());
            const auto value = from ? pointerGet(doc, *from) : std::nullopt;
            ok = value.has_value();
            if (ok && name == u"move")
                ok = !from->isEmpty() && pointerApply(doc, *from, 0, PointerOp::Remove, {});
            ok = ok && put(PointerOp::Add, *value);
        } else {
            return where + u": unknown op"_s;
        }
        if (!ok)
            return where + u" failed"_s;
    }
    return {};
}

QString mediaType(const QByteArray &contentType)
{
    return QString::fromLatin1(contentType.split(';').value(0).trimmed().toLower());
}

// The Accept header asks for meta.k8s.io Table output (kubectl get does).
QByteArray tableVersionAccepted(const QByteArray &accept)
{
    for (const QByteArray &range : accept.split(',')) {
        const QByteArray r = range.toLower();
        if (r.contains("as=table") && r.contains("g=meta.k8s.io"))
            return r.contains("v=v1beta1") ? "v1beta1"_ba : "v1"_ba;
    }
    return {};
}

// Continue tokens have the shape of the real ones (base64 JSON naming the
// snapshot's resource version and the key to start from); clients treat them
// as opaque. rv -1 is the server's "inconsistent continue" after a 410.
QString continueToken(qint64 rv, const QString &lastName)
{
    const QJsonObject t { { u"v"_s, u"meta.k8s.io/v1"_s }, { u"rv"_s, rv },
        { u"start"_s, QString(lastName + QChar(0)) } };
    return QString::fromLatin1(compact(t).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool parseContinue(const QString &token, qint64 *rv, QString *start)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        token.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QJsonObject t = parseObject(*decoded);
    if (t.value("v"_L1).toString() != u"meta.k8s.io/v1" || !t.value("rv"_L1).isDouble()
        || !t.value("start"_L1).isString())
        return false;
    *rv = qint64(t.value("rv"_L1).toDouble());
    *start = t.value("start"_L1).toString();
    return true;
}

QByteArray kubeconfig(const QString &url, const QByteArray &caPem, const QByteArray &userBlock)
{
    return "apiVersion: v1\n"
           "kind: Config\n"
           "clusters:\n"
           "- name: bramble-fake\n"
           "  cluster:\n"
           "    server: "_ba
        + url.toUtf8()
        + "\n"
          "    certificate-authority-data: "_ba
        + caPem.toBase64()
        + "\n"
          "users:\n"
          "- name: bramble-fake-user\n"
          "  user:\n"_ba
        + userBlock
        + "contexts:\n"
          "- name: bramble-fake\n"
          "  context:\n"
          "    cluster: bramble-fake\n"
          "    user: bramble-fake-user\n"
          "current-context: bramble-fake\n"_ba;
}

} // namespace

// ---------------------------------------------------------------------------

struct FakeKubeResource {
    QString plural, singular, kind, group, version;
    bool namespaced = true;
    QStringList shortNames;
    QJsonArray (*columns)() = nullptr;
    QStringList (*cells)(const QJsonObject &, const QDateTime &) = nullptr;

    QString groupVersion() const { return group.isEmpty() ? version : QString(group + u'/' + version); }
    QString qualified() const
    {
        return group.isEmpty() ? plural : QString(plural + u'.' + group);
    } // as messages name it
    QString key(const QString &ns, const QString &name) const { return namespaced ? QString(ns + u'/' + name) : name; }
    QString webhook() const
    {
        return singular + u"validationwebhook."_s + (group.isEmpty() ? u"bramble.test"_s : group);
    }

    QJsonObject apiGroup() const // an APIGroupList entry
    {
        const QJsonObject v { { u"groupVersion"_s, groupVersion() }, { u"version"_s, version } };
        return { { u"name"_s, group }, { u"versions"_s, QJsonArray { v } }, { u"preferredVersion"_s, v } };
    }
    QString storageVersionHash() const // the real ones for core types
    {
        if (plural == u"nodes")
            return u"XwShjMxG9Fs="_s;
        if (plural == u"services")
            return u"0/CO1lhkEBI="_s;
        if (plural == u"configmaps")
            return u"qFsyl6wFWjQ="_s;
        if (plural == u"secrets")
            return u"S6u1pOWzb84="_s;
        return QString::fromLatin1(
            QCryptographicHash::hash(qualified().toUtf8(), QCryptographicHash::Sha256).left(8).toBase64());
    }

    static const QList<FakeKubeResource> &all()
    {
        static const QList<FakeKubeResource> table {
            { u"nodes"_s, u"node"_s, u"Node"_s, {}, u"v1"_s, false, { u"no"_s }, nodeColumns, nodeCells },
            { u"namespaces"_s, u"namespace"_s, u"Namespace"_s, {}, u"v1"_s, false, { u"ns"_s }, namespaceColumns,
                namespaceCells },
            { u"services"_s, u"service"_s, u"Service"_s, {}, u"v1"_s, true, { u"svc"_s }, serviceColumns,
                serviceCells },
            { u"configmaps"_s, u"configmap"_s, u"ConfigMap"_s, {}, u"v1"_s, true, { u"cm"_s }, configMapColumns,
                configMapCells },
            { u"secrets"_s, u"secret"_s, u"Secret"_s, {}, u"v1"_s, true, {}, secretColumns, secretCells },
            { u"ipaddresspools"_s, u"ipaddresspool"_s, u"IPAddressPool"_s, u"metallb.io"_s, u"v1beta1"_s, true, {},
                poolColumns, poolCells },
            { u"l2advertisements"_s, u"l2advertisement"_s, u"L2Advertisement"_s, u"metallb.io"_s, u"v1beta1"_s, true,
                {}, [] { return advertisementColumns(u"interfaces"_s); },
                [](const QJsonObject &o, const QDateTime &) { return advertisementCells(o, u"interfaces"_s); } },
            { u"bgpadvertisements"_s, u"bgpadvertisement"_s, u"BGPAdvertisement"_s, u"metallb.io"_s, u"v1beta1"_s, true,
                {}, [] { return advertisementColumns(u"peers"_s); },
                [](const QJsonObject &o, const QDateTime &) { return advertisementCells(o, u"peers"_s); } },
        };
        return table;
    }
    static const FakeKubeResource *find(const QString &plural, const QString &groupVersion = {})
    {
        for (const FakeKubeResource &r : all())
            if (r.plural == plural && (groupVersion.isEmpty() || r.groupVersion() == groupVersion))
                return &r;
        return nullptr;
    }
    static const FakeKubeResource &nodes() { return all().first(); }
};

struct FakeKubeApiServer::Target {
    const FakeKubeResource *resource = nullptr;
    QString ns;
    QString name;
    bool watchPath = false; // the legacy /watch/ form
    bool subresource = false; // more path after the name (nodes/NAME/status...)

    QString key() const { return resource->key(ns, name); }
    // A namespaced object named without its namespace (/api/v1/services/NAME): 404.
    bool unscopedName() const { return resource->namespaced && ns.isEmpty() && !name.isEmpty(); }
    QString subject() const // as Status messages name the object
    {
        return name.isEmpty() ? resource->qualified() : QStringLiteral("%1 \"%2\"").arg(resource->qualified(), name);
    }
    QJsonObject details() const
    {
        QJsonObject d { { u"kind"_s, resource->plural } };
        if (!name.isEmpty())
            d[u"name"_s] = name;
        if (!resource->group.isEmpty())
            d[u"group"_s] = resource->group;
        return d;
    }

    // /api/v1[/watch][/namespaces/NS]/PLURAL[/NAME[/...]] and /apis/GROUP/VERSION/...
    static Target parse(const QString &path)
    {
        const QStringList seg = path.split(u'/', Qt::SkipEmptyParts);
        Target t;
        QString groupVersion;
        qsizetype i = 0;
        if (seg.value(0) == u"api" && seg.value(1) == u"v1") {
            groupVersion = u"v1"_s;
            i = 2;
        } else if (seg.value(0) == u"apis" && seg.size() > 3) {
            groupVersion = seg.at(1) + u'/' + seg.at(2);
            i = 3;
        } else {
            return t;
        }
        if (seg.value(i) == u"watch") {
            t.watchPath = true;
            ++i;
        }
        if (seg.value(i) == u"namespaces" && seg.size() > i + 2) {
            t.ns = seg.at(i + 1);
            i += 2;
        }
        const FakeKubeResource *r = FakeKubeResource::find(seg.value(i), groupVersion);
        if (!r || (!r->namespaced && !t.ns.isEmpty()))
            return t;
        t.resource = r;
        t.name = seg.value(i + 1);
        t.subresource = seg.size() > i + 2;
        return t;
    }
};

struct FakeKubeApiServer::Selector {
    struct Requirement {
        enum Op { Exists, NotExists, Equals, NotEquals, In, NotIn };
        QString key;
        Op op = Exists;
        QStringList values;

        bool matches(const std::optional<QString> &value) const
        {
            switch (op) {
            case Exists:
                return value.has_value();
            case NotExists:
                return !value.has_value();
            case Equals:
            case In:
                return value && values.contains(*value);
            case NotEquals:
            case NotIn:
                return !value || !values.contains(*value);
            }
            return false;
        }
    };
    QList<Requirement> labels;
    QList<Requirement> fields; // metadata.name, metadata.namespace, spec.unschedulable

    bool isEmpty() const { return labels.isEmpty() && fields.isEmpty(); }

    bool parse(const QString &labelSelector, const QString &fieldSelector, QString *error)
    {
        // Terms split on commas outside "in (a,b)" value sets.
        QStringList terms;
        int depth = 0;
        QString term;
        for (const QChar ch : labelSelector) {
            if (ch == u'(')
                ++depth;
            else if (ch == u')')
                --depth;
            if (ch == u',' && depth == 0) {
                terms << term.trimmed();
                term.clear();
            } else {
                term += ch;
            }
        }
        if (!term.trimmed().isEmpty())
            terms << term.trimmed();
        for (const QString &t : std::as_const(terms)) {
            Requirement r;
            auto setValues = [&](qsizetype at, qsizetype opLength) {
                r.key = t.left(at).trimmed();
                QString rest = t.mid(at + opLength).trimmed();
                if (!rest.startsWith(u'(') || !rest.endsWith(u')'))
                    return false;
                for (const QString &v : rest.mid(1, rest.size() - 2).split(u','))
                    r.values << v.trimmed();
                return true;
            };
            bool ok = true;
            if (t.startsWith(u'!')) {
                r.op = Requirement::NotExists;
                r.key = t.mid(1).trimmed();
            } else if (const qsizetype i = t.indexOf(u" notin "_s); i > 0) {
                r.op = Requirement::NotIn;
                ok = setValues(i, 7);
            } else if (const qsizetype j = t.indexOf(u" in "_s); j > 0) {
                r.op = Requirement::In;
                ok = setValues(j, 4);
            } else if (const qsizetype k = t.indexOf(u"!="_s); k > 0) {
                r.op = Requirement::NotEquals;
                r.key = t.left(k).trimmed();
                r.values << t.mid(k + 2).trimmed();
            } else if (const qsizetype m = t.indexOf(u'='); m > 0) {
                r.op = Requirement::Equals;
                r.key = t.left(m).trimmed();
                r.values << t.mid(m + (t.mid(m, 2) == u"==" ? 2 : 1)).trimmed();
            } else {
                r.key = t;
            }
            if (!ok || r.key.isEmpty() || r.key.contains(u' ')) {
                *error = QStringLiteral("unable to parse requirement: %1").arg(t);
                return false;
            }
            labels << r;
        }
        for (const QString &raw : fieldSelector.split(u',', Qt::SkipEmptyParts)) {
            const QString t = raw.trimmed();
            Requirement r;
            const qsizetype ne = t.indexOf(u"!="_s), eq = t.indexOf(u'=');
            if (ne > 0) {
                r.op = Requirement::NotEquals;
                r.key = t.left(ne);
                r.values << t.mid(ne + 2);
            } else if (eq > 0) {
                r.op = Requirement::Equals;
                r.key = t.left(eq);
                r.values << t.mid(eq + (t.mid(eq, 2) == u"==" ? 2 : 1));
            } else {
                *error = QStringLiteral("invalid selector: '%1'; can't understand '%2'").arg(fieldSelector, t);
                return false;
            }
            if (r.key != u"metadata.name" && r.key != u"metadata.namespace" && r.key != u"spec.unschedulable") {
                *error = QStringLiteral("field label not supported: %1").arg(r.key);
                return false;
            }
            fields << r;
        }
        return true;
    }

    // key: the store key, "namespace/name" or name.
    bool matches(const QString &key, const QByteArray &json) const
    {
        const qsizetype slash = key.indexOf(u'/');
        QJsonObject node;
        bool parsed = false;
        auto object = [&]() -> const QJsonObject & {
            if (!parsed) {
                node = parseObject(json);
                parsed = true;
            }
            return node;
        };
        for (const Requirement &r : fields) {
            QString value;
            if (r.key == u"metadata.name")
                value = key.mid(slash + 1);
            else if (r.key == u"metadata.namespace")
                value = key.left(std::max<qsizetype>(0, slash));
            else
                value
                    = object().value("spec"_L1).toObject().value("unschedulable"_L1).toBool() ? u"true"_s : u"false"_s;
            if (!r.matches(value))
                return false;
        }
        if (labels.isEmpty())
            return true;
        const QJsonObject l = object().value("metadata"_L1).toObject().value("labels"_L1).toObject();
        for (const Requirement &r : labels) {
            const auto value = l.contains(r.key) ? std::optional<QString>(l.value(r.key).toString()) : std::nullopt;
            if (!r.matches(value))
                return false;
        }
        return true;
    }
};

struct FakeKubeApiServer::WatchStream {
    enum State { Streaming, Stalled, Ending, Dropping };
    Connection *connection = nullptr;
    const FakeKubeResource *resource = nullptr;
    QString ns; // empty: all namespaces
    State state = Streaming;
    Selector selector;
    QByteArray tableVersion; // non-empty: events carry Tables
    QString includeObject;
    bool columnsSent = false;
    bool bookmarks = false;
    quint64 minRv = 0; // only events after this
    WatchFault fault;
    int events = 0;
    QList<QByteArray> pending; // lines waiting for eventsPerChunk
    int chunkIndex = 0;
    QList<QByteArray> paced; // framed chunks waiting for the pace timer
    QTimer *paceTimer = nullptr;
    QTimer *bookmarkTimer = nullptr;
    QTimer *timeoutTimer = nullptr;

    ~WatchStream()
    {
        // deleteLater: a stream may end inside one of its own timers' timeout().
        for (QTimer *t : { paceTimer, bookmarkTimer, timeoutTimer }) {
            if (t) {
                t->stop();
                t->deleteLater();
            }
        }
    }
};

struct FakeKubeApiServer::Connection {
    struct Pending {
        QByteArray data;
        qsizetype offset = 0;
    };
    QSslSocket *socket = nullptr;
    QByteArray in;
    QString certUser; // CN of a client certificate that chains to our CA
    QList<Pending> out;
    bool keepAlive = true;
    bool busy = false; // a watch or a stall owns the connection: parse nothing more
    bool closeWhenDrained = false;
    bool closed = false;
    std::unique_ptr<WatchStream> watch;
    QPointer<QNetworkReply> upstream; // a proxied request under way (the connection is busy)

    void write(const QByteArray &bytes)
    {
        if (closed || bytes.isEmpty())
            return;
        out.append({ bytes, 0 });
        pump();
    }

    // Feeds the socket in slices so a 15 MB list never sits in its buffers twice.
    void pump()
    {
        while (!closed && !out.isEmpty() && socket->bytesToWrite() + socket->encryptedBytesToWrite() < kHighWater) {
            Pending &p = out.first();
            const qint64 n = std::min<qint64>(kSlice, p.data.size() - p.offset);
            if (p.offset == 0 && n == p.data.size())
                socket->write(p.data);
            else
                socket->write(p.data.constData() + p.offset, n);
            p.offset += n;
            if (p.offset >= p.data.size())
                out.removeFirst();
        }
        if (!closed && out.isEmpty() && closeWhenDrained) {
            closed = true;
            socket->disconnectFromHost();
        }
    }
};

// ---------------------------------------------------------------------------

QByteArray FakeKubeApiServer::Request::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

FakeKubeApiServer::Fault FakeKubeApiServer::Fault::tooManyRequests(int retryAfterSeconds)
{
    Fault f;
    f.status = 429;
    f.retryAfterSeconds = retryAfterSeconds;
    f.message = u"Too many requests, please try again later."_s;
    return f;
}

FakeKubeApiServer::Fault FakeKubeApiServer::Fault::internalError()
{
    return httpStatus(500, u"Internal error occurred: injected fault"_s);
}

FakeKubeApiServer::Fault FakeKubeApiServer::Fault::httpStatus(int code, const QString &message)
{
    Fault f;
    f.status = code;
    f.message = message.isEmpty() ? QString::fromLatin1(reasonPhrase(code)) : message;
    return f;
}

FakeKubeApiServer::Fault FakeKubeApiServer::Fault::drop()
{
    Fault f;
    f.kind = Drop;
    return f;
}

FakeKubeApiServer::Fault FakeKubeApiServer::Fault::stall()
{
    Fault f;
    f.kind = Stall;
    return f;
}

FakeKubeApiServer::FakeKubeApiServer(const TestPki &pki, QObject *parent)
    : QObject(parent)
    , m_server(new QSslServer(this))
    , m_pki(pki)
    , m_tokens { defaultToken() }
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeKubeApiServer::onNewConnection);
    // Qt 6.4's QSslServer emits newConnection when the TCP connection arrives,
    // before the handshake, and nothing when the socket becomes available after
    // it: pick sockets up when their handshake is done.
    connect(m_server, &QSslServer::startedEncryptionHandshake, this, [this](QSslSocket *socket) {
        connect(socket, &QSslSocket::encrypted, this, &FakeKubeApiServer::onNewConnection, Qt::QueuedConnection);
    });
}

FakeKubeApiServer::~FakeKubeApiServer()
{
    m_watches.clear();
    for (Connection *c : std::as_const(m_connections)) {
        if (QNetworkReply *upstream = c->upstream) {
            upstream->disconnect(this);
            upstream->abort();
        }
        c->socket->disconnect(this);
        c->socket->abort();
        c->watch.reset();
        delete c->socket;
        delete c;
    }
}

QByteArray FakeKubeApiServer::defaultToken()
{
    return "bramble-test-token"_ba;
}

QString FakeKubeApiServer::tokenUser()
{
    return u"bramble-test-token-user"_s;
}

bool FakeKubeApiServer::listen(quint16 port)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromData(m_pki.serverCertPem, QSsl::Pem);
    const QList<QSslCertificate> ca = QSslCertificate::fromData(m_pki.caCertPem, QSsl::Pem);
    const QSslKey key(m_pki.serverKeyPem, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty() || ca.isEmpty() || key.isNull()) {
        m_error = u"the TestPki has no usable server certificate, key or CA"_s;
        return false;
    }
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificate(chain.first());
    conf.setPrivateKey(key);
    conf.setCaCertificates(ca);
    // Ask for a client certificate without requiring one; onNewConnection
    // decides whether it authenticates.
    conf.setPeerVerifyMode(QSslSocket::QueryPeer);
    conf.setProtocol(QSsl::TlsV1_2OrLater);
    conf.setAllowedNextProtocols({ QByteArray(QSslConfiguration::NextProtocolHttp1_1) });
    m_server->setSslConfiguration(conf);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        m_error = m_server->errorString();
        return false;
    }
    return true;
}

quint16 FakeKubeApiServer::port() const
{
    return m_server->serverPort();
}

QString FakeKubeApiServer::url() const
{
    return u"https://127.0.0.1:"_s + QString::number(port());
}

QString FakeKubeApiServer::errorString() const
{
    return m_error;
}

QByteArray FakeKubeApiServer::kubeconfigWithToken(const QByteArray &token) const
{
    return kubeconfig(url(), m_pki.caCertPem, "    token: \""_ba + token + "\"\n"_ba);
}

QByteArray FakeKubeApiServer::kubeconfigWithClientCertificate(const QByteArray &certPem, const QByteArray &keyPem) const
{
    return kubeconfig(url(), m_pki.caCertPem,
        "    client-certificate-data: "_ba + certPem.toBase64() + "\n    client-key-data: "_ba + keyPem.toBase64()
            + "\n"_ba);
}

void FakeKubeApiServer::setTokens(const QByteArrayList &tokens)
{
    m_tokens = tokens;
}

// ---------------------------------------------------------------------------
// The store

QJsonObject FakeKubeApiServer::makeNode(const QString &name, const NodeOptions &o)
{
    qsizetype digits = name.size();
    while (digits > 0 && name.at(digits - 1).isDigit())
        --digits;
    const int n = digits < name.size() ? name.mid(digits).toInt() : int(qHash(name) % 4000);
    const QDateTime now = nowSeconds();
    const QDateTime created = o.created.isValid() ? o.created : now.addDays(-3);
    const QString ip
        = o.internalIp.isEmpty() ? QStringLiteral("10.42.%1.%2").arg(n / 200).arg(10 + n % 200) : o.internalIp;
    const QByteArray digest = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Md5).toHex();

    QJsonObject labels { { u"beta.kubernetes.io/arch"_s, u"arm64"_s }, { u"beta.kubernetes.io/os"_s, u"linux"_s },
        { u"kubernetes.io/arch"_s, u"arm64"_s }, { u"kubernetes.io/hostname"_s, name },
        { u"kubernetes.io/os"_s, u"linux"_s } };
    if (o.controlPlane) {
        labels[u"node-role.kubernetes.io/control-plane"_s] = u""_s;
        labels[u"node.kubernetes.io/exclude-from-external-load-balancers"_s] = u""_s;
    }
    for (auto it = o.extraLabels.begin(); it != o.extraLabels.end(); ++it)
        labels[it.key()] = it.value();

    const QJsonObject metadata { { u"name"_s, name }, { u"creationTimestamp"_s, rfc3339(created) },
        { u"labels"_s, labels },
        { u"annotations"_s,
            QJsonObject { { u"flannel.alpha.coreos.com/backend-type"_s, u"vxlan"_s },
                { u"flannel.alpha.coreos.com/public-ip"_s, ip },
                { u"kubeadm.alpha.kubernetes.io/cri-socket"_s, u"unix:///var/run/containerd/containerd.sock"_s },
                { u"node.alpha.kubernetes.io/ttl"_s, u"0"_s },
                { u"volumes.kubernetes.io/controller-managed-attach-detach"_s, u"true"_s } } } };

    const QString podCidr = QStringLiteral("10.244.%1.0/24").arg(n % 256);
    QJsonObject spec { { u"podCIDR"_s, podCidr }, { u"podCIDRs"_s, QJsonArray { podCidr } } };
    if (o.controlPlane)
        spec[u"taints"_s] = QJsonArray { taint(u"node-role.kubernetes.io/control-plane"_s, u"NoSchedule"_s) };

    const QString memory = QString::number(o.memoryKi) + u"Ki"_s;
    const QJsonObject hugepages { { u"hugepages-1Gi"_s, u"0"_s }, { u"hugepages-2Mi"_s, u"0"_s },
        { u"hugepages-32Mi"_s, u"0"_s }, { u"hugepages-64Ki"_s, u"0"_s } };
    QJsonObject capacity = hugepages, allocatable = hugepages;
    capacity[u"cpu"_s] = QString::number(o.cpus);
    capacity[u"ephemeral-storage"_s] = u"60600300Ki"_s;
    capacity[u"memory"_s] = memory;
    capacity[u"pods"_s] = QString::number(o.pods);
    allocatable[u"cpu"_s] = QString::number(o.cpus);
    allocatable[u"ephemeral-storage"_s] = u"55848049097"_s;
    allocatable[u"memory"_s] = QString(QString::number(o.memoryKi - 102400) + u"Ki"_s);
    allocatable[u"pods"_s] = QString::number(o.pods);

    QJsonArray conditions;
    for (const ConditionText &c : kHealthy)
        conditions.append(QJsonObject { { u"type"_s, QString::fromUtf16(c.type) },
            { u"status"_s, QString::fromUtf16(c.healthyStatus) }, { u"lastHeartbeatTime"_s, rfc3339(now) },
            { u"lastTransitionTime"_s, rfc3339(created.addSecs(40)) }, { u"reason"_s, QString::fromUtf16(c.reason) },
            { u"message"_s, QString::fromUtf16(c.message) } });

    auto image = [](const QString &ref, const QString &digestRef, qint64 size) {
        return QJsonObject { { u"names"_s, QJsonArray { digestRef, ref } }, { u"sizeBytes"_s, size } };
    };
    QJsonArray images {
        image(u"registry.k8s.io/kube-proxy:v1.32.4"_s,
            u"registry.k8s.io/kube-proxy@sha256:152638222ecaf4f3a6ab1e4c4d1f5b0d1d3eb7e2c2a7b4c6e9a3c0f3f6b4d8e1"_s,
            27591523),
        image(u"docker.io/flannel/flannel:v0.26.4"_s,
            u"docker.io/flannel/flannel@sha256:8f4a2c1b6e3d5a7c9b0e2f4d6a8c0e1b3d5f7a9c1e3b5d7f9a0c2e4b6d8f0a1c"_s,
            30877405),
        image(u"quay.io/metallb/speaker:v0.14.9"_s,
            u"quay.io/metallb/speaker@sha256:3d5b7f9a1c3e5a7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b"_s,
            53512344),
        image(u"registry.k8s.io/pause:3.10"_s,
            u"registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a"_s, 268051)
    };
    if (o.controlPlane) {
        images.append(image(u"registry.k8s.io/etcd:3.5.16-0"_s,
            u"registry.k8s.io/etcd@sha256:c6a9d11cc5c04b114ccdef39a9265eeef818e3d02f5359be035ae784097fdec5"_s,
            56109364));
        images.append(image(u"registry.k8s.io/kube-apiserver:v1.32.4"_s,
            u"registry.k8s.io/kube-apiserver@sha256:631c6cc78b2862be4fed7df3384a643ef7297eebadae22e8ef9cbe2e19b6386f"_s,
            26216568));
    }

    const QJsonObject status { { u"capacity"_s, capacity }, { u"allocatable"_s, allocatable },
        { u"conditions"_s, conditions },
        { u"addresses"_s,
            QJsonArray { QJsonObject { { u"type"_s, u"InternalIP"_s }, { u"address"_s, ip } },
                QJsonObject { { u"type"_s, u"Hostname"_s }, { u"address"_s, name } } } },
        { u"daemonEndpoints"_s, QJsonObject { { u"kubeletEndpoint"_s, QJsonObject { { u"Port"_s, 10250 } } } } },
        { u"nodeInfo"_s,
            QJsonObject { { u"machineID"_s, QString::fromLatin1(digest) },
                { u"systemUUID"_s, QString::fromLatin1(digest) },
                { u"bootID"_s, QUuid::createUuid().toString(QUuid::WithoutBraces) },
                { u"kernelVersion"_s, o.kernelVersion }, { u"osImage"_s, u"Debian GNU/Linux 12 (bookworm)"_s },
                { u"containerRuntimeVersion"_s, o.containerRuntimeVersion }, { u"kubeletVersion"_s, o.kubeletVersion },
                { u"kubeProxyVersion"_s, o.kubeletVersion }, { u"operatingSystem"_s, u"linux"_s },
                { u"architecture"_s, u"arm64"_s } } },
        { u"images"_s, images } };

    QJsonObject node { { u"kind"_s, u"Node"_s }, { u"apiVersion"_s, u"v1"_s }, { u"metadata"_s, metadata },
        { u"spec"_s, spec }, { u"status"_s, status } };
    if (o.ready != u"True")
        applyReady(node, o.ready, {}, {});
    if (o.unschedulable)
        applyUnschedulable(node, true);
    return node;
}

QJsonObject FakeKubeApiServer::makeNode(const QString &name)
{
    return makeNode(name, NodeOptions());
}

void FakeKubeApiServer::seedNodes(int count)
{
    const int width = std::max(2, int(QString::number(count).size()));
    const QDateTime now = nowSeconds();
    for (int i = 1; i <= count; ++i) {
        NodeOptions o;
        o.controlPlane = i <= (count >= 5 ? 3 : 1);
        o.created = now.addDays(-30).addSecs(qint64(i) * 60);
        if (i % 3 == 0) { // a Raspberry Pi 5 with its 16K-page kernel
            o.kernelVersion = u"6.6.62+rpt-rpi-2712"_s;
        }
        if (i % 4 == 0)
            o.memoryKi = 3884428; // 4 GB
        addNode(makeNode(QStringLiteral("rpi-%1").arg(i, width, 10, QLatin1Char('0')), o));
    }
}

bool FakeKubeApiServer::addNode(const QJsonObject &node)
{
    return storeObject(FakeKubeResource::nodes(), node, true, false);
}

bool FakeKubeApiServer::updateNode(const QJsonObject &node)
{
    return storeObject(FakeKubeResource::nodes(), node, false, true);
}

bool FakeKubeApiServer::deleteNode(const QString &name)
{
    return deleteObject(u"nodes"_s, {}, name);
}

bool FakeKubeApiServer::setReady(
    const QString &name, const QString &status, const QString &reason, const QString &message)
{
    return modifyNode(name, [&](QJsonObject &n) { applyReady(n, status, reason, message); });
}

bool FakeKubeApiServer::setCondition(
    const QString &name, const QString &type, const QString &status, const QString &reason, const QString &message)
{
    return modifyNode(name, [&](QJsonObject &n) { setConditionIn(n, type, status, reason, message, nowSeconds()); });
}

bool FakeKubeApiServer::setUnschedulable(const QString &name, bool unschedulable)
{
    return modifyNode(name, [&](QJsonObject &n) { applyUnschedulable(n, unschedulable); });
}

bool FakeKubeApiServer::setLabel(const QString &name, const QString &key, const QString &value)
{
    return modifyNode(name, [&](QJsonObject &n) {
        QJsonObject meta = n.value("metadata"_L1).toObject();
        QJsonObject labels = meta.value("labels"_L1).toObject();
        labels[key] = value;
        meta[u"labels"_s] = labels;
        n[u"metadata"_s] = meta;
    });
}

bool FakeKubeApiServer::removeLabel(const QString &name, const QString &key)
{
    return modifyNode(name, [&](QJsonObject &n) {
        QJsonObject meta = n.value("metadata"_L1).toObject();
        QJsonObject labels = meta.value("labels"_L1).toObject();
        labels.remove(key);
        meta[u"labels"_s] = labels;
        n[u"metadata"_s] = meta;
    });
}

bool FakeKubeApiServer::modifyNode(const QString &name, const std::function<void(QJsonObject &)> &change)
{
    const FakeKubeResource &r = FakeKubeResource::nodes();
    const auto it = nodeStore().constFind(name);
    if (it == nodeStore().cend())
        return false;
    const QJsonObject before = parseObject(it.value());
    QJsonObject after = before;
    change(after);
    if (after != before) // an update that changes nothing is no event, as in etcd
        commit(r, "MODIFIED"_ba, name, after);
    return true;
}

const FakeKubeApiServer::Store &FakeKubeApiServer::nodeStore() const
{
    static const Store empty;
    const auto it = m_stores.constFind(&FakeKubeResource::nodes());
    return it == m_stores.cend() ? empty : it.value();
}

QJsonObject FakeKubeApiServer::node(const QString &name) const
{
    return parseObject(nodeStore().value(name));
}

QStringList FakeKubeApiServer::nodeNames() const
{
    return nodeStore().keys();
}

int FakeKubeApiServer::nodeCount() const
{
    return int(nodeStore().size());
}

QByteArray FakeKubeApiServer::resourceVersion() const
{
    return QByteArray::number(m_rv);
}

bool FakeKubeApiServer::putObject(const QString &resource, const QJsonObject &object)
{
    const FakeKubeResource *r = FakeKubeResource::find(resource);
    return r && storeObject(*r, object, true, true);
}

bool FakeKubeApiServer::deleteObject(const QString &resource, const QString &ns, const QString &name)
{
    const FakeKubeResource *r = FakeKubeResource::find(resource);
    if (!r)
        return false;
    const QString key = r->key(ns, name);
    const auto it = store(*r).constFind(key);
    if (it == store(*r).cend())
        return false;
    commit(*r, "DELETED"_ba, key, parseObject(it.value()));
    return true;
}

QJsonObject FakeKubeApiServer::object(const QString &resource, const QString &ns, const QString &name) const
{
    const FakeKubeResource *r = FakeKubeResource::find(resource);
    return r ? parseObject(m_stores.value(r).value(r->key(ns, name))) : QJsonObject {};
}

QList<QJsonObject> FakeKubeApiServer::objects(const QString &resource, const QString &ns) const
{
    QList<QJsonObject> out;
    const FakeKubeResource *r = FakeKubeResource::find(resource);
    if (!r)
        return out;
    const Store s = m_stores.value(r);
    for (auto it = s.cbegin(); it != s.cend(); ++it)
        if (ns.isEmpty() || !r->namespaced || it.key().startsWith(QString(ns + u'/')))
            out << parseObject(it.value());
    return out;
}

QStringList FakeKubeApiServer::resources()
{
    QStringList names;
    for (const FakeKubeResource &r : FakeKubeResource::all())
        names << r.plural;
    return names;
}

// add: create when missing; replace: replace when present (uid and creationTimestamp kept).
bool FakeKubeApiServer::storeObject(const FakeKubeResource &r, const QJsonObject &object, bool add, bool replace)
{
    QJsonObject o = object;
    QJsonObject meta = o.value("metadata"_L1).toObject();
    const QString name = meta.value("name"_L1).toString();
    if (name.isEmpty())
        return false;
    const QString ns = r.namespaced ? meta.value("namespace"_L1).toString(u"default"_s) : QString();
    if (r.namespaced)
        meta[u"namespace"_s] = ns;
    const QString key = r.key(ns, name);
    const auto it = store(r).constFind(key);
    const bool exists = it != store(r).cend();
    if (exists ? !replace : !add)
        return false;
    const QJsonObject before = exists ? parseObject(it.value()) : QJsonObject {};
    if (exists) {
        const QJsonObject old = before.value("metadata"_L1).toObject();
        for (const QString &k : { u"uid"_s, u"creationTimestamp"_s, u"resourceVersion"_s })
            meta[k] = old.value(k);
    } else {
        if (!meta.contains("uid"_L1))
            meta[u"uid"_s] = QUuid::createUuid().toString(QUuid::WithoutBraces);
        if (!meta.contains("creationTimestamp"_L1))
            meta[u"creationTimestamp"_s] = rfc3339(nowSeconds());
    }
    o[u"metadata"_s] = meta;
    o[u"kind"_s] = r.kind;
    o[u"apiVersion"_s] = r.groupVersion();
    if (exists && o == before) // no event for no change, as in etcd
        return true;
    commit(r, exists ? "MODIFIED"_ba : "ADDED"_ba, key, o);
    return true;
}

QJsonObject FakeKubeApiServer::makeLoadBalancerService(
    const QString &ns, const QString &name, const QStringList &ingressIps, const QMap<QString, QString> &annotations)
{
    const uint h = qHash(QString(ns + u'/' + name));
    QJsonObject annotationObject;
    for (auto it = annotations.begin(); it != annotations.end(); ++it)
        annotationObject[it.key()] = it.value();
    QJsonObject meta { { u"name"_s, name }, { u"namespace"_s, ns },
        { u"labels"_s, QJsonObject { { u"app.kubernetes.io/name"_s, name } } },
        { u"creationTimestamp"_s, rfc3339(nowSeconds().addDays(-12).addSecs(-qint64(h % 86400))) } };
    if (!annotationObject.isEmpty())
        meta[u"annotations"_s] = annotationObject;
    const bool v6 = !ingressIps.isEmpty() && ingressIps.first().contains(u':');
    const QString clusterIp = v6 ? QStringLiteral("fd00:43::%1").arg(h % 65000 + 2, 0, 16)
                                 : QStringLiteral("10.43.%1.%2").arg(h % 250).arg(2 + (h / 250) % 250);
    QJsonArray ingress;
    for (const QString &ip : ingressIps)
        ingress.append(QJsonObject { { u"ip"_s, ip }, { u"ipMode"_s, u"VIP"_s } });
    return { { u"kind"_s, u"Service"_s }, { u"apiVersion"_s, u"v1"_s }, { u"metadata"_s, meta },
        { u"spec"_s,
            QJsonObject { { u"type"_s, u"LoadBalancer"_s }, { u"clusterIP"_s, clusterIp },
                { u"clusterIPs"_s, QJsonArray { clusterIp } }, { u"externalTrafficPolicy"_s, u"Cluster"_s },
                { u"internalTrafficPolicy"_s, u"Cluster"_s },
                { u"ipFamilies"_s, QJsonArray { v6 ? u"IPv6"_s : u"IPv4"_s } },
                { u"ipFamilyPolicy"_s, u"SingleStack"_s }, { u"allocateLoadBalancerNodePorts"_s, true },
                { u"sessionAffinity"_s, u"None"_s },
                { u"selector"_s, QJsonObject { { u"app.kubernetes.io/name"_s, name } } },
                { u"ports"_s,
                    QJsonArray { QJsonObject { { u"name"_s, u"http"_s }, { u"port"_s, 80 }, { u"protocol"_s, u"TCP"_s },
                        { u"targetPort"_s, 80 }, { u"nodePort"_s, int(30000 + h % 2768) } } } } } },
        { u"status"_s,
            QJsonObject { { u"loadBalancer"_s,
                ingress.isEmpty() ? QJsonObject {} : QJsonObject { { u"ingress"_s, ingress } } } } } };
}

namespace {

QJsonObject metallbObject(const QString &kind, const QString &name, const QJsonObject &spec)
{
    return { { u"kind"_s, kind }, { u"apiVersion"_s, u"metallb.io/v1beta1"_s },
        { u"metadata"_s, QJsonObject { { u"name"_s, name }, { u"namespace"_s, u"metallb-system"_s } } },
        { u"spec"_s, spec } };
}

} // namespace

QJsonObject FakeKubeApiServer::makeIpAddressPool(
    const QString &name, const QStringList &addresses, bool autoAssign, bool avoidBuggyIPs)
{
    return metallbObject(u"IPAddressPool"_s, name,
        { { u"addresses"_s, QJsonArray::fromStringList(addresses) }, { u"autoAssign"_s, autoAssign },
            { u"avoidBuggyIPs"_s, avoidBuggyIPs } });
}

QJsonObject FakeKubeApiServer::makeL2Advertisement(const QString &name, const QStringList &pools)
{
    return metallbObject(u"L2Advertisement"_s, name, { { u"ipAddressPools"_s, QJsonArray::fromStringList(pools) } });
}

QJsonObject FakeKubeApiServer::makeMetalLBConfigMap(const QByteArray &configYaml)
{
    return { { u"kind"_s, u"ConfigMap"_s }, { u"apiVersion"_s, u"v1"_s },
        { u"metadata"_s, QJsonObject { { u"name"_s, u"config"_s }, { u"namespace"_s, u"metallb-system"_s } } },
        { u"data"_s, QJsonObject { { u"config"_s, QString::fromUtf8(configYaml) } } } };
}

QJsonObject FakeKubeApiServer::makeSecret(const QString &ns, const QString &name, const QMap<QString, QByteArray> &data)
{
    QJsonObject encoded;
    for (auto it = data.begin(); it != data.end(); ++it)
        encoded[it.key()] = QString::fromLatin1(it.value().toBase64());
    return { { u"kind"_s, u"Secret"_s }, { u"apiVersion"_s, u"v1"_s },
        { u"metadata"_s, QJsonObject { { u"name"_s, name }, { u"namespace"_s, ns } } }, { u"type"_s, u"Opaque"_s },
        { u"data"_s, encoded } };
}

void FakeKubeApiServer::setServiceUpstream(
    const QString &ns, const QString &service, const QString &port, const QUrl &upstream)
{
    const QString key = ns + u'/' + service + u':' + port;
    if (upstream.isEmpty())
        m_upstreams.remove(key);
    else
        m_upstreams.insert(key, upstream);
    const FakeKubeResource &services = *FakeKubeResource::find(u"services"_s);
    if (store(services).contains(services.key(ns, service)))
        return;
    bool numeric = false;
    const int number = port.toInt(&numeric);
    QJsonObject servicePort { { u"name"_s, numeric || port.isEmpty() ? u"http"_s : port },
        { u"port"_s, numeric ? number : 8080 }, { u"protocol"_s, u"TCP"_s },
        { u"targetPort"_s, numeric ? number : 8080 } };
    const QString clusterIp = QStringLiteral("10.43.%1.%2").arg(qHash(key) % 250).arg(2 + qHash(key) / 250 % 250);
    putObject(u"services"_s,
        { { u"metadata"_s, QJsonObject { { u"name"_s, service }, { u"namespace"_s, ns } } },
            { u"spec"_s,
                QJsonObject { { u"type"_s, u"ClusterIP"_s }, { u"clusterIP"_s, clusterIp },
                    { u"clusterIPs"_s, QJsonArray { clusterIp } }, { u"ports"_s, QJsonArray { servicePort } },
                    { u"selector"_s, QJsonObject { { u"app"_s, service } } } } } });
}

// /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy[/PATH]
void FakeKubeApiServer::serveProxy(Connection *c, Request &req, const QString &path)
{
    const QString ns = path.section(u'/', 4, 4);
    QStringList id = path.section(u'/', 6, 6).split(u':');
    if (id.size() == 3 || (id.size() == 2 && (id.first() == u"http" || id.first() == u"https")))
        id.removeFirst(); // the scheme
    const QString service = id.value(0);
    const QString port = id.value(1);
    const FakeKubeResource &services = *FakeKubeResource::find(u"services"_s);
    if (!store(services).contains(services.key(ns, service))) {
        answerStatus(c, req, 404, "NotFound"_ba, QStringLiteral("services \"%1\" not found").arg(service),
            QJsonObject { { u"name"_s, service }, { u"kind"_s, u"services"_s } });
        return;
    }
    const QUrl base = m_upstreams.value(ns + u'/' + service + u':' + port);
    if (base.isEmpty()) {
        answerStatus(c, req, 503, "ServiceUnavailable"_ba,
            QStringLiteral("no endpoints available for service \"%1\"").arg(path.section(u'/', 6, 6)));
        return;
    }
    QUrl url = base;
    QString rest = path.section(u'/', 8);
    url.setPath(url.path() + u'/' + rest);
    url.setQuery(req.query);
    QNetworkRequest forward(url);
    static const QList<QByteArray> dropped { "authorization"_ba, "host"_ba, "content-length"_ba, "connection"_ba,
        "accept-encoding"_ba, "transfer-encoding"_ba, "expect"_ba };
    for (const auto &[name, value] : std::as_const(req.headers))
        if (!dropped.contains(name.toLower()))
            forward.setRawHeader(name, value);
    forward.setRawHeader("X-Forwarded-Uri", path.toUtf8());
    forward.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!m_proxyNetwork) {
        m_proxyNetwork = new QNetworkAccessManager(this);
        m_proxyNetwork->setProxy(QNetworkProxy::NoProxy);
    }
    QNetworkReply *reply = m_proxyNetwork->sendCustomRequest(forward, req.method, req.body);
    c->upstream = reply;
    c->busy = true;
    m_recorded = true; // recorded when answered
    connect(reply, &QNetworkReply::finished, this, [this, c, reply, req]() mutable {
        reply->deleteLater();
        if (!m_connections.contains(c) || c->upstream != reply)
            return;
        c->upstream = nullptr;
        c->busy = false;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            answerStatus(c, req, 503, "ServiceUnavailable"_ba,
                QStringLiteral("error trying to reach service: %1").arg(reply->errorString()));
        } else {
            Headers headers;
            QByteArray contentType = "text/plain; charset=utf-8"_ba;
            static const QList<QByteArray> hopByHop { "content-length"_ba, "connection"_ba, "transfer-encoding"_ba,
                "keep-alive"_ba, "date"_ba };
            for (const auto &[name, value] : reply->rawHeaderPairs()) {
                if (name.toLower() == "content-type")
                    contentType = value;
                else if (!hopByHop.contains(name.toLower()))
                    headers.append({ name, value });
            }
            answer(c, req, status.toInt(), reply->readAll(), contentType, headers);
        }
        processInput(c);
    });
}

void FakeKubeApiServer::commit(
    const FakeKubeResource &r, const QByteArray &type, const QString &key, QJsonObject object)
{
    // The namespace of a new object springs into existence (a real server
    // would refuse the object): kubectl looks namespaces up after a 404.
    if (r.namespaced && type == "ADDED") {
        const QString ns = key.section(u'/', 0, 0);
        const FakeKubeResource &namespaces = *FakeKubeResource::find(u"namespaces"_s);
        if (!store(namespaces).contains(ns))
            commit(namespaces, "ADDED"_ba, ns, makeNamespace(ns));
    }
    ++m_rv;
    QJsonObject meta = object.value("metadata"_L1).toObject();
    meta[u"resourceVersion"_s] = QString::number(m_rv);
    object[u"metadata"_s] = meta;
    const QByteArray json = compact(object);
    Store &s = store(r);
    const QByteArray previous = s.value(key);
    if (type == "DELETED")
        s.remove(key);
    else
        s.insert(key, json);
    m_history.append({ &r, type, m_rv, key, json, previous });
    trimHistory();
    const Event e = m_history.last(); // a test slot reacting to watchEnded may compact the history
    for (WatchStream *w : QList<WatchStream *>(m_watches)) // a delivery may end (drop) its stream
        if (m_watches.contains(w))
            deliver(w, e);
}

void FakeKubeApiServer::setHistoryLimit(int events)
{
    m_historyLimit = std::max(1, events);
    trimHistory();
}

void FakeKubeApiServer::trimHistory()
{
    while (m_history.size() > m_historyLimit) {
        m_compactedRv = m_history.first().rv;
        m_history.removeFirst();
    }
    while (!m_snapshots.isEmpty() && m_snapshots.firstKey() < m_compactedRv)
        m_snapshots.erase(m_snapshots.begin());
}

void FakeKubeApiServer::compactHistory()
{
    m_compactedRv = m_rv;
    m_history.clear();
    trimHistory();
}

void FakeKubeApiServer::keepSnapshot(quint64 rv, const Stores &stores)
{
    if (m_snapshots.contains(rv))
        return;
    m_snapshots.insert(rv, stores); // implicitly shared: copies only when a store changes
    while (m_snapshots.size() > kMaxSnapshots)
        m_snapshots.erase(m_snapshots.begin());
}

// ---------------------------------------------------------------------------
// Connections and HTTP

void FakeKubeApiServer::onNewConnection()
{
    while (QTcpSocket *tcp = m_server->nextPendingConnection()) {
        auto *socket = qobject_cast<QSslSocket *>(tcp);
        if (!socket) {
            tcp->abort();
            tcp->deleteLater();
            continue;
        }
        auto *c = new Connection;
        c->socket = socket;
        socket->setParent(this);
        const QSslCertificate peer = socket->peerCertificate();
        // QueryPeer lets the handshake finish whatever the certificate; it
        // authenticates only if OpenSSL verified it against our CA alone.
        if (m_certAuth && !peer.isNull() && socket->sslHandshakeErrors().isEmpty())
            c->certUser = peer.subjectInfo(QSslCertificate::CommonName).value(0);
        m_connections.insert(c);
        connect(socket, &QIODevice::readyRead, this, [this, c] {
            c->in += c->socket->readAll();
            processInput(c);
        });
        connect(socket, &QIODevice::bytesWritten, this, [c] { c->pump(); });
        connect(socket, &QSslSocket::encryptedBytesWritten, this, [c] { c->pump(); });
        connect(socket, &QAbstractSocket::disconnected, this, [c] { c->closed = true; });
        // Cleanup runs from the event loop, never inside a write that noticed the close.
        connect(
            socket, &QAbstractSocket::disconnected, this, [this, c] { onDisconnected(c); }, Qt::QueuedConnection);
        if (socket->bytesAvailable() > 0) {
            c->in += socket->readAll();
            processInput(c);
        }
    }
}

void FakeKubeApiServer::onDisconnected(Connection *c)
{
    if (!m_connections.contains(c))
        return;
    m_connections.remove(c);
    c->socket->disconnect(this);
    if (QNetworkReply *upstream = c->upstream) {
        upstream->disconnect(this);
        upstream->abort();
        upstream->deleteLater();
    }
    if (c->watch && m_watches.removeOne(c->watch.get()))
        Q_EMIT watchEnded();
    c->watch.reset();
    c->socket->deleteLater();
    delete c;
}

void FakeKubeApiServer::processInput(Connection *c)
{
    while (!c->busy && !c->closed && !c->closeWhenDrained) {
        const qsizetype end = c->in.indexOf("\r\n\r\n");
        if (end < 0 && c->in.size() <= kMaxHeader)
            return;
        Request req;
        if (end < 0 || end > kMaxHeader) {
            c->in.clear();
            c->keepAlive = false;
            answerStatus(c, req, 431, "BadRequest"_ba, u"request header too large"_s);
            return;
        }
        const QList<QByteArray> lines = c->in.left(end).split('\n');
        const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
        qsizetype length = 0;
        bool chunked = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = lines.at(i).left(colon).trimmed();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            req.headers.append({ name, value });
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
            else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
                chunked = value.toLower().contains("chunked");
        }
        if (start.size() != 3 || !start.at(2).startsWith("HTTP/1.") || length < 0 || length > kMaxBody) {
            c->in.clear();
            c->keepAlive = false;
            const int code = length > kMaxBody ? 413 : 400;
            answerStatus(c, req, code, statusReason(code), QString::fromLatin1(reasonPhrase(code)));
            return;
        }
        qsizetype taken = length;
        if (chunked) {
            taken = dechunk(c->in, end + 4, &req.body);
            if (taken == 0)
                return;
            if (taken < 0) {
                c->in.clear();
                c->keepAlive = false;
                answerStatus(c, req, 400, statusReason(400), u"malformed chunked request body"_s);
                return;
            }
        } else {
            if (c->in.size() < end + 4 + length)
                return;
            req.body = c->in.mid(end + 4, length);
        }
        req.method = start.at(0);
        c->in.remove(0, end + 4 + taken);
        const QByteArray &target = start.at(1);
        const qsizetype q = target.indexOf('?');
        req.path = QUrl::fromPercentEncoding(q < 0 ? target : target.left(q));
        QByteArray rawQuery = q < 0 ? QByteArray() : target.mid(q + 1);
        rawQuery.replace('+', "%20"); // Go's url.Values encodes spaces as '+'
        req.query = QUrlQuery(QString::fromLatin1(rawQuery));
        c->keepAlive = start.at(2) == "HTTP/1.1" && req.header("connection"_ba).toLower() != "close";
        handleRequest(c, req);
    }
}

void FakeKubeApiServer::handleRequest(Connection *c, Request &req)
{
    m_recorded = false;
    QString path = req.path;
    while (path.size() > 1 && path.endsWith(u'/'))
        path.chop(1);
    const Target target = Target::parse(path);
    const QString &name = target.name;
    const bool isGet = req.method == "GET";
    // A path that names a resource (and can take some method): 405 for the others.
    const bool resourcePath = target.resource && !target.subresource && !target.unscopedName();

    if (resourcePath) {
        const bool scoped = !target.resource->namespaced || !target.ns.isEmpty();
        if (isGet && (target.watchPath || isTrue(req.queryValue(u"watch"_s))))
            req.kind = Watch;
        else if (target.watchPath)
            req.kind = Other;
        else if (isGet)
            req.kind = name.isEmpty() ? List : Get;
        else if (req.method == "POST" && name.isEmpty() && scoped)
            req.kind = Create;
        else if (req.method == "PUT" && !name.isEmpty())
            req.kind = Update;
        else if (req.method == "PATCH" && !name.isEmpty())
            req.kind = Patch;
        else if (req.method == "DELETE" && !name.isEmpty())
            req.kind = Delete;
    } else if (target.resource && target.resource->plural == u"services" && !target.ns.isEmpty()
        && path.section(u'/', 7, 7) == u"proxy") {
        req.kind = Proxy;
    } else if (isGet
        && (path == u"/version" || path == u"/api" || path == u"/apis" || path == u"/api/v1" || path == u"/healthz"
            || path == u"/livez" || path == u"/readyz" || path.startsWith(u"/openapi/")
            || path.startsWith(u"/apis/"))) {
        req.kind = Discovery;
    }
    ++m_counts[req.kind];

    // Authentication: a verified client certificate, else a bearer token.
    req.user = c->certUser;
    if (req.user.isEmpty()) {
        const QByteArray auth = req.header("authorization"_ba);
        const qsizetype space = auth.indexOf(' ');
        if (space > 0 && auth.left(space).toLower() == "bearer" && m_tokens.contains(auth.mid(space + 1).trimmed()))
            req.user = tokenUser();
    }
    if (req.user.isEmpty()) {
        answerStatus(c, req, 401, "Unauthorized"_ba, u"Unauthorized"_s);
        return;
    }

    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        if (!(m_faults.at(i).kinds & req.kind))
            continue;
        const Fault f = m_faults.at(i).fault;
        if (--m_faults[i].remaining <= 0)
            m_faults.removeAt(i);
        if (f.kind == Fault::Drop) {
            c->closed = true;
            c->socket->abort();
            finishRecord(req);
        } else if (f.kind == Fault::Stall) {
            c->busy = true;
            finishRecord(req);
        } else {
            QList<QPair<QByteArray, QByteArray>> extra;
            QJsonObject details;
            if (f.retryAfterSeconds >= 0) {
                extra.append({ "Retry-After"_ba, QByteArray::number(f.retryAfterSeconds) });
                details[u"retryAfterSeconds"_s] = f.retryAfterSeconds;
            }
            answerStatus(c, req, f.status, statusReason(f.status), f.message, details, extra);
        }
        return;
    }

    if ((m_forbidden & req.kind) && req.kind == Proxy) {
        static const QHash<QByteArray, QString> verbs { { "GET"_ba, u"get"_s }, { "POST"_ba, u"create"_s },
            { "PUT"_ba, u"update"_s }, { "PATCH"_ba, u"patch"_s }, { "DELETE"_ba, u"delete"_s } };
        answerStatus(c, req, 403, "Forbidden"_ba,
            QStringLiteral("services \"%1\" is forbidden: User \"%2\" cannot %3 resource \"services/proxy\" in API "
                           "group \"\" in the namespace \"%4\"")
                .arg(target.name, req.user, verbs.value(req.method, u"get"_s), target.ns),
            QJsonObject { { u"name"_s, target.name }, { u"kind"_s, u"services"_s } });
        return;
    }
    if (m_forbidden & req.kind) {
        static const QHash<int, QString> verbs { { List, u"list"_s }, { Watch, u"watch"_s }, { Get, u"get"_s },
            { Patch, u"patch"_s }, { Delete, u"delete"_s }, { Create, u"create"_s }, { Update, u"update"_s },
            { Discovery, u"get"_s }, { Other, u"get"_s } };
        Target t = target;
        if (!t.resource) // discovery and unknown paths: as the nodes code always said
            t = Target { &FakeKubeResource::nodes(), {}, {} };
        const QString scope
            = t.ns.isEmpty() ? u"at the cluster scope"_s : QStringLiteral("in the namespace \"%1\"").arg(t.ns);
        answerStatus(c, req, 403, "Forbidden"_ba,
            QStringLiteral("%1 is forbidden: User \"%2\" cannot %3 resource \"%4\" in API group \"%5\" %6")
                .arg(t.subject(), req.user, verbs.value(req.kind), t.resource->plural, t.resource->group, scope),
            t.details());
        return;
    }

    // Write options, as ValidateCreateOptions & co check them: 422 Invalid.
    if (req.kind & (Create | Update | Patch | Delete)) {
        static const QHash<int, QString> options { { Create, u"CreateOptions"_s }, { Update, u"UpdateOptions"_s },
            { Patch, u"PatchOptions"_s }, { Delete, u"DeleteOptions"_s } };
        QString invalid;
        const QStringList dryRun = req.query.allQueryItemValues(u"dryRun"_s);
        if (!dryRun.isEmpty() && (dryRun.size() > 1 || dryRun.first() != u"All"))
            invalid = QStringLiteral("dryRun: Unsupported value: []string{\"%1\"}: supported values: \"All\"")
                          .arg(dryRun.join(u"\", \""_s));
        else if (req.kind == Patch && mediaType(req.header("content-type"_ba)) == u"application/apply-patch+yaml"
            && req.queryValue(u"fieldManager"_s).isEmpty())
            invalid = u"fieldManager: Required value: is required for apply patch"_s;
        if (!invalid.isEmpty()) {
            answerStatus(c, req, 422, "Invalid"_ba,
                QStringLiteral("%1.meta.k8s.io \"\" is invalid: %2").arg(options.value(req.kind), invalid),
                { { u"group"_s, u"meta.k8s.io"_s }, { u"kind"_s, options.value(req.kind) },
                    { u"causes"_s,
                        QJsonArray { QJsonObject { { u"reason"_s, u"FieldValueInvalid"_s },
                            { u"message"_s, invalid.section(u": "_s, 1) },
                            { u"field"_s, invalid.section(u':', 0, 0) } } } } });
            return;
        }
    }

    switch (req.kind) {
    case Discovery:
        serveDiscovery(c, req, path);
        break;
    case List:
        serveList(c, req, target);
        break;
    case Get:
        serveGet(c, req, target);
        break;
    case Watch:
        serveWatch(c, req, target);
        break;
    case Create:
        serveCreate(c, req, target);
        break;
    case Update:
        serveUpdate(c, req, target);
        break;
    case Patch:
        servePatch(c, req, target);
        break;
    case Delete:
        serveDelete(c, req, target);
        break;
    case Proxy:
        serveProxy(c, req, req.path);
        break;
    default:
        if (resourcePath)
            answerStatus(c, req, 405, "MethodNotAllowed"_ba,
                QStringLiteral("the server does not allow this method on the requested resource"));
        else
            answerStatus(c, req, 404, "NotFound"_ba, u"the server could not find the requested resource"_s);
    }
    if (!m_recorded)
        finishRecord(req);
}

void FakeKubeApiServer::finishRecord(const Request &req)
{
    m_recorded = true;
    m_requests.append(req);
    if (m_requests.size() > kMaxRequests)
        m_requests.removeFirst();
    Q_EMIT requestHandled(req.kind, req.status);
}

void FakeKubeApiServer::answer(Connection *c, Request &req, int status, const QByteArray &body,
    const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &extra)
{
    QByteArray head = "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\nAudit-Id: "_ba
        + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "\r\nCache-Control: no-cache, private\r\nContent-Type: "_ba + contentType + "\r\nDate: "_ba + httpDate()
        + "\r\n"_ba;
    for (const auto &h : extra)
        head += h.first + ": "_ba + h.second + "\r\n"_ba;
    head += "Content-Length: "_ba + QByteArray::number(body.size()) + "\r\n"_ba;
    if (!c->keepAlive)
        head += "Connection: close\r\n"_ba;
    head += "\r\n"_ba;
    c->write(head);
    c->write(body);
    if (!c->keepAlive) {
        c->closeWhenDrained = true;
        c->pump();
    }
    req.status = status;
    finishRecord(req);
}

void FakeKubeApiServer::answerStatus(Connection *c, Request &req, int code, const QByteArray &reason,
    const QString &message, const QJsonObject &details, const QList<QPair<QByteArray, QByteArray>> &extra)
{
    answer(c, req, code, compact(statusObject(code, reason, message, details)), kJsonType, extra);
}

void FakeKubeApiServer::serveDiscovery(Connection *c, Request &req, const QString &path)
{
    QJsonObject body;
    if (path == u"/version") {
        body = { { u"major"_s, u"1"_s }, { u"minor"_s, u"32"_s }, { u"gitVersion"_s, u"v1.32.4"_s },
            { u"gitCommit"_s, u"59526cd4867447956156ae3a602fcbac10a2c335"_s }, { u"gitTreeState"_s, u"clean"_s },
            { u"buildDate"_s, u"2025-04-22T16:02:27Z"_s }, { u"goVersion"_s, u"go1.23.6"_s },
            { u"compiler"_s, u"gc"_s }, { u"platform"_s, u"linux/arm64"_s } };
    } else if (path == u"/api") {
        // Plain APIVersions: clients asking for aggregated discovery
        // (apidiscovery.k8s.io/v2) fall back to it by its Content-Type.
        body = { { u"kind"_s, u"APIVersions"_s }, { u"versions"_s, QJsonArray { u"v1"_s } },
            { u"serverAddressByClientCIDRs"_s,
                QJsonArray { QJsonObject { { u"clientCIDR"_s, u"0.0.0.0/0"_s },
                    { u"serverAddress"_s, QString(u"127.0.0.1:"_s + QString::number(port())) } } } } };
    } else if (path == u"/apis") {
        // Plain APIGroupList: aggregated discovery falls back to it, as for /api.
        QJsonArray groups;
        for (const FakeKubeResource &r : FakeKubeResource::all())
            if (!r.group.isEmpty() && (groups.isEmpty() || groups.last()[u"name"_s] != r.group))
                groups.append(r.apiGroup());
        body = { { u"kind"_s, u"APIGroupList"_s }, { u"apiVersion"_s, u"v1"_s }, { u"groups"_s, groups } };
    } else if (const QStringList seg = path.split(u'/', Qt::SkipEmptyParts);
               seg.value(0) == u"apis" && seg.size() == 2 && seg.at(1) == u"metallb.io") {
        body = FakeKubeResource::find(u"ipaddresspools"_s)->apiGroup();
        body[u"kind"_s] = u"APIGroup"_s;
        body[u"apiVersion"_s] = u"v1"_s;
    } else if (path == u"/api/v1" || (seg.value(0) == u"apis" && seg.size() == 3)) {
        const QString groupVersion = path == u"/api/v1" ? u"v1"_s : QString(seg.at(1) + u'/' + seg.at(2));
        const QJsonArray allVerbs { u"create"_s, u"delete"_s, u"deletecollection"_s, u"get"_s, u"list"_s, u"patch"_s,
            u"update"_s, u"watch"_s };
        QJsonArray resources;
        for (const FakeKubeResource &r : FakeKubeResource::all()) {
            if (r.groupVersion() != groupVersion)
                continue;
            QJsonObject o { { u"name"_s, r.plural }, { u"singularName"_s, r.singular },
                { u"namespaced"_s, r.namespaced }, { u"kind"_s, r.kind }, { u"verbs"_s, allVerbs } };
            if (!r.shortNames.isEmpty())
                o[u"shortNames"_s] = QJsonArray::fromStringList(r.shortNames);
            o[u"storageVersionHash"_s] = r.storageVersionHash();
            resources.append(o);
            if (r.plural == u"nodes" || r.plural == u"services")
                resources.append(QJsonObject { { u"name"_s, QString(r.plural + u"/status"_s) },
                    { u"singularName"_s, u""_s }, { u"namespaced"_s, r.namespaced }, { u"kind"_s, r.kind },
                    { u"verbs"_s, QJsonArray { u"get"_s, u"patch"_s, u"update"_s } } });
        }
        if (resources.isEmpty()) {
            answerStatus(c, req, 404, "NotFound"_ba, u"the server could not find the requested resource"_s);
            return;
        }
        body = { { u"kind"_s, u"APIResourceList"_s }, { u"groupVersion"_s, groupVersion },
            { u"resources"_s, resources } };
        if (groupVersion != u"v1")
            body[u"apiVersion"_s] = u"v1"_s;
    } else if (path == u"/openapi/v3") {
        QJsonObject paths;
        for (const FakeKubeResource &r : FakeKubeResource::all()) {
            const QString gv = r.group.isEmpty() ? u"api/v1"_s : QString(u"apis/"_s + r.groupVersion());
            paths[gv] = QJsonObject { { u"serverRelativeURL"_s,
                QString(u"/openapi/v3/"_s + gv + u"?hash="_s + QString::number(qHash(gv), 16).toUpper()) } };
        }
        body = { { u"paths"_s, paths } };
    } else if (path.startsWith(u"/openapi/v3/")) {
        // Just enough OpenAPI v3 for kubectl to see that PATCH takes
        // fieldValidation, so it validates on the server (and does without
        // schemas) instead of downloading OpenAPI v2.
        const QString gv = path.mid(12);
        QJsonObject paths;
        for (const FakeKubeResource &r : FakeKubeResource::all()) {
            if ((r.group.isEmpty() ? u"api/v1"_s : QString(u"apis/"_s + r.groupVersion())) != gv)
                continue;
            QJsonArray parameters;
            for (const QString &name : { u"dryRun"_s, u"fieldManager"_s, u"fieldValidation"_s, u"force"_s })
                parameters.append(QJsonObject { { u"name"_s, name }, { u"in"_s, u"query"_s },
                    { u"schema"_s, QJsonObject { { u"type"_s, name == u"force" ? u"boolean"_s : u"string"_s } } } });
            const QJsonObject operation { { u"operationId"_s, QString(u"patch"_s + r.kind) },
                { u"parameters"_s, parameters }, { u"x-kubernetes-action"_s, u"patch"_s },
                { u"x-kubernetes-group-version-kind"_s,
                    QJsonObject { { u"group"_s, r.group }, { u"version"_s, r.version }, { u"kind"_s, r.kind } } },
                { u"responses"_s, QJsonObject { { u"200"_s, QJsonObject { { u"description"_s, u"OK"_s } } } } } };
            const QString prefix = u'/' + gv + (r.namespaced ? u"/namespaces/{namespace}/"_s : u"/"_s);
            paths[QString(prefix + r.plural + u"/{name}"_s)] = QJsonObject { { u"patch"_s, operation } };
        }
        if (paths.isEmpty()) {
            answerStatus(c, req, 404, "NotFound"_ba, u"the server could not find the requested resource"_s);
            return;
        }
        body = { { u"openapi"_s, u"3.0.0"_s },
            { u"info"_s, QJsonObject { { u"title"_s, u"Kubernetes"_s }, { u"version"_s, u"v1.32.4"_s } } },
            { u"paths"_s, paths }, { u"components"_s, QJsonObject { { u"schemas"_s, QJsonObject {} } } } };
    } else if (path == u"/healthz" || path == u"/livez" || path == u"/readyz") {
        answer(c, req, 200, "ok"_ba, "text/plain; charset=utf-8"_ba);
        return;
    } else {
        answerStatus(c, req, 404, "NotFound"_ba, u"the server could not find the requested resource"_s);
        return;
    }
    answer(c, req, 200, compact(body));
}

QByteArray FakeKubeApiServer::tableFor(const FakeKubeResource &r, const QList<QByteArray> &objects,
    const QJsonObject &listMeta, bool withColumns, const QString &includeObject, const QByteArray &version) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray rows;
    for (const QByteArray &json : objects) {
        const QJsonObject object = parseObject(json);
        QJsonObject row { { u"cells"_s, QJsonArray::fromStringList(r.cells(object, now)) } };
        if (includeObject == u"Object")
            row[u"object"_s] = object;
        else if (includeObject != u"None")
            row[u"object"_s] = QJsonObject { { u"kind"_s, u"PartialObjectMetadata"_s },
                { u"apiVersion"_s, QString(u"meta.k8s.io/"_s + QString::fromLatin1(version)) },
                { u"metadata"_s, object.value("metadata"_L1) } };
        rows.append(row);
    }
    return compact(QJsonObject { { u"kind"_s, u"Table"_s },
        { u"apiVersion"_s, QString(u"meta.k8s.io/"_s + QString::fromLatin1(version)) }, { u"metadata"_s, listMeta },
        { u"columnDefinitions"_s, withColumns ? QJsonValue(r.columns()) : QJsonValue() }, { u"rows"_s, rows } });
}

void FakeKubeApiServer::answerNotFound(Connection *c, Request &req, const Target &t)
{
    answerStatus(c, req, 404, "NotFound"_ba, QStringLiteral("%1 not found").arg(t.subject()), t.details());
}

void FakeKubeApiServer::serveList(Connection *c, Request &req, const Target &t)
{
    Selector selector;
    QString error;
    if (!selector.parse(req.queryValue(u"labelSelector"_s), req.queryValue(u"fieldSelector"_s), &error)) {
        answerStatus(c, req, 400, "BadRequest"_ba, error);
        return;
    }
    const FakeKubeResource &r = *t.resource;
    const QByteArray tableVersion = tableVersionAccepted(req.header("accept"_ba));
    bool limitOk = true;
    const qint64 limit = req.hasQuery(u"limit"_s) ? req.queryValue(u"limit"_s).toLongLong(&limitOk) : 0;
    const QString cont = req.queryValue(u"continue"_s);
    const QString rvParam = req.queryValue(u"resourceVersion"_s);
    const QString match = req.queryValue(u"resourceVersionMatch"_s);
    if (!limitOk || limit < 0) {
        answerStatus(c, req, 400, "BadRequest"_ba, u"limit: Invalid value"_s);
        return;
    }

    Stores snapshot = m_stores;
    quint64 snapshotRv = m_rv;
    QString start;
    if (!cont.isEmpty()) {
        if (!rvParam.isEmpty() && rvParam != u"0") {
            answerStatus(
                c, req, 400, "BadRequest"_ba, u"specifying resource version is not allowed when using continue"_s);
            return;
        }
        qint64 rv = 0;
        if (!parseContinue(cont, &rv, &start)) {
            answerStatus(c, req, 400, "BadRequest"_ba, u"continue key is not valid: invalid continue token"_s);
            return;
        }
        if (rv >= 0) {
            if (quint64(rv) < m_compactedRv || !m_snapshots.contains(quint64(rv))) {
                QString last = start;
                if (last.endsWith(QChar(0)))
                    last.chop(1);
                const QJsonObject meta { { u"continue"_s, continueToken(-1, last) } };
                answer(c, req, 410,
                    compact(statusObject(410, "Expired"_ba,
                        u"The provided continue parameter is too old to display a consistent list result. You "
                        u"can start a new list without the continue parameter, or use the continue token in this "
                        u"response to retrieve the remainder of the results. Continuing with the provided token "
                        u"results in an inconsistent list - objects that were created, modified, or deleted "
                        u"between the time the first chunk was returned and now may show up in the list."_s,
                        {}, meta)),
                    kJsonType);
                return;
            }
            snapshot = m_snapshots.value(quint64(rv));
            snapshotRv = quint64(rv);
        }
    } else if (!rvParam.isEmpty() && rvParam != u"0") {
        bool ok = false;
        const quint64 rv = rvParam.toULongLong(&ok);
        if (!ok) {
            answerStatus(c, req, 400, "BadRequest"_ba, QStringLiteral("invalid resource version: %1").arg(rvParam));
            return;
        }
        if (rv > m_rv) {
            answerStatus(c, req, 504, "Timeout"_ba,
                QStringLiteral("Too large resource version: %1, current: %2").arg(rv).arg(m_rv),
                QJsonObject { { u"causes"_s,
                                  QJsonArray { QJsonObject { { u"reason"_s, u"ResourceVersionTooLarge"_s },
                                      { u"message"_s, u"Too large resource version"_s } } } },
                    { u"retryAfterSeconds"_s, 1 } });
            return;
        }
        const bool exact = match == u"Exact" || (match.isEmpty() && limit > 0);
        if (exact && rv != m_rv) {
            if (rv < m_compactedRv || !m_snapshots.contains(rv)) {
                answerStatus(
                    c, req, 410, "Expired"_ba, QStringLiteral("The resourceVersion for the provided list is too old."));
                return;
            }
            snapshot = m_snapshots.value(rv);
            snapshotRv = rv;
        }
    }

    const QString includeObject = req.queryValue(u"includeObject"_s);
    QJsonObject meta { { u"resourceVersion"_s, QString::number(snapshotRv) } };
    const Store items = snapshot.value(&r);
    // One namespace is the key range [ns/, ns0): '0' follows '/'.
    const QString prefix = t.ns.isEmpty() ? QString() : QString(t.ns + u'/');
    const auto end = t.ns.isEmpty() ? items.cend() : items.lowerBound(QString(t.ns + u'0'));
    const QByteArray listHead = "{\"kind\":\""_ba + r.kind.toLatin1() + "List\",\"apiVersion\":\""_ba
        + r.groupVersion().toLatin1() + "\",\"metadata\":"_ba;
    if (limit == 0 && start.isEmpty() && selector.isEmpty() && tableVersion.isEmpty() && snapshotRv == m_rv) {
        // The whole collection, as it is now: serialize once per version.
        const QString cacheKey = r.plural + u'/' + t.ns;
        if (m_listCacheRv != m_rv || m_listCache.isEmpty() || m_listCacheKey != cacheKey) {
            QByteArray body = listHead + "{\"resourceVersion\":\""_ba + QByteArray::number(m_rv) + "\"},\"items\":["_ba;
            qsizetype size = body.size() + 2;
            for (auto it = items.lowerBound(prefix); it != end; ++it)
                size += it.value().size() + 1;
            body.reserve(size);
            bool first = true;
            for (auto it = items.lowerBound(prefix); it != end; ++it) {
                if (!first)
                    body += ',';
                body += it.value();
                first = false;
            }
            body += "]}"_ba;
            m_listCache = body;
            m_listCacheRv = m_rv;
            m_listCacheKey = cacheKey;
        }
        answer(c, req, 200, m_listCache);
        return;
    }

    auto it = items.lowerBound(std::max(start, prefix));
    QList<QByteArray> found;
    QString last;
    for (; it != end && (limit == 0 || found.size() < limit); ++it) {
        last = it.key();
        if (selector.isEmpty() || selector.matches(it.key(), it.value()))
            found.append(it.value());
    }
    if (it != end) {
        meta[u"continue"_s] = continueToken(qint64(snapshotRv), last);
        if (selector.isEmpty())
            meta[u"remainingItemCount"_s] = qint64(std::distance(it, end));
        keepSnapshot(snapshotRv, snapshot);
    }

    if (!tableVersion.isEmpty()) {
        answer(c, req, 200, tableFor(r, found, meta, true, includeObject, tableVersion),
            "application/json;as=Table;v="_ba + tableVersion + ";g=meta.k8s.io"_ba);
        return;
    }
    answer(c, req, 200, listHead + compact(meta) + ",\"items\":["_ba + found.join(',') + "]}"_ba);
}

void FakeKubeApiServer::serveGet(Connection *c, Request &req, const Target &t)
{
    const Store &s = store(*t.resource);
    const auto it = s.constFind(t.key());
    if (it == s.cend()) {
        answerNotFound(c, req, t);
        return;
    }
    const QByteArray tableVersion = tableVersionAccepted(req.header("accept"_ba));
    if (!tableVersion.isEmpty()) {
        const QJsonObject meta { { u"resourceVersion"_s, QString::number(m_rv) } };
        answer(c, req, 200,
            tableFor(*t.resource, { it.value() }, meta, true, req.queryValue(u"includeObject"_s), tableVersion),
            "application/json;as=Table;v="_ba + tableVersion + ";g=meta.k8s.io"_ba);
        return;
    }
    answer(c, req, 200, it.value());
}

namespace {

// The body of a create or update: one object of the resource's kind, in the
// request's namespace. Returns an error message (400) or empty.
QString checkBody(const QJsonObject &o, const QString &kind, const QString &groupVersion, const QString &ns)
{
    const QString apiVersion = o.value("apiVersion"_L1).toString();
    if (!apiVersion.isEmpty() && apiVersion != groupVersion)
        return QStringLiteral("the API version in the data (%1) does not match the expected API version (%2)")
            .arg(apiVersion, groupVersion);
    const QString k = o.value("kind"_L1).toString();
    if (!k.isEmpty() && k != kind)
        return QStringLiteral("the kind in the data (%1) does not match the expected kind (%2)").arg(k, kind);
    const QString objectNs = o.value("metadata"_L1).toObject().value("namespace"_L1).toString();
    if (!objectNs.isEmpty() && objectNs != ns)
        return u"the namespace of the provided object does not match the namespace sent on the request"_s;
    return {};
}

// A create or update body as checkBody wants it; nullopt with *error (a 400) if not.
std::optional<QJsonObject> objectBody(
    const QByteArray &body, const FakeKubeResource &r, const QString &ns, QString *error)
{
    const auto object = bodyObject(body, false, error);
    if (!object)
        *error = u"error decoding the body: "_s + *error;
    else if (*error = checkBody(*object, r.kind, r.groupVersion(), ns); error->isEmpty())
        return object;
    return std::nullopt;
}

QString conflictMessage(const QString &subject)
{
    return QStringLiteral("Operation cannot be fulfilled on %1: the object has been modified; please apply your "
                          "changes to the latest version and try again")
        .arg(subject);
}

} // namespace

void FakeKubeApiServer::serveCreate(Connection *c, Request &req, const Target &collection)
{
    const FakeKubeResource &r = *collection.resource;
    QString error;
    const auto body = objectBody(req.body, r, collection.ns, &error);
    if (!body)
        return answerStatus(c, req, 400, "BadRequest"_ba, error);
    QJsonObject object = *body;
    QJsonObject meta = object.value("metadata"_L1).toObject();
    if (meta.value("name"_L1).toString().isEmpty() && !meta.value("generateName"_L1).toString().isEmpty())
        meta[u"name"_s]
            = QString(meta.value("generateName"_L1).toString() + QUuid::createUuid().toString(QUuid::Id128).left(5));
    Target t = collection;
    t.name = meta.value("name"_L1).toString();
    if (t.name.isEmpty()) {
        answerStatus(c, req, 422, "Invalid"_ba,
            QStringLiteral("%1 \"\" is invalid: metadata.name: Required value: name or generateName is required")
                .arg(r.kind),
            { { u"kind"_s, r.kind }, { u"group"_s, r.group } });
        return;
    }
    if (store(r).contains(t.key())) {
        answerStatus(
            c, req, 409, "AlreadyExists"_ba, QStringLiteral("%1 already exists").arg(t.subject()), t.details());
        return;
    }
    meta.remove("resourceVersion"_L1);
    meta[u"uid"_s] = QUuid::createUuid().toString(QUuid::WithoutBraces);
    meta[u"creationTimestamp"_s] = rfc3339(nowSeconds());
    if (r.namespaced)
        meta[u"namespace"_s] = t.ns;
    object[u"metadata"_s] = meta;
    completeWrite(c, req, t, object, {});
}

void FakeKubeApiServer::serveUpdate(Connection *c, Request &req, const Target &t)
{
    const FakeKubeResource &r = *t.resource;
    QString error;
    const auto body = objectBody(req.body, r, t.ns, &error);
    if (!body)
        return answerStatus(c, req, 400, "BadRequest"_ba, error);
    QJsonObject after = *body;
    QJsonObject meta = after.value("metadata"_L1).toObject();
    if (meta.value("name"_L1).toString() != t.name) {
        answerStatus(c, req, 400, "BadRequest"_ba,
            QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                .arg(meta.value("name"_L1).toString(), t.name));
        return;
    }
    const QByteArray before = store(r).value(t.key());
    if (before.isEmpty()) {
        answerNotFound(c, req, t);
        return;
    }
    const QJsonObject oldMeta = parseObject(before).value("metadata"_L1).toObject();
    if (meta.value("resourceVersion"_L1).toString().isEmpty()) {
        answerStatus(c, req, 422, "Invalid"_ba,
            QStringLiteral("%1 \"%2\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified "
                           "for an update")
                .arg(r.kind, t.name),
            t.details());
        return;
    }
    if (meta.value("resourceVersion"_L1) != oldMeta.value("resourceVersion"_L1)) {
        answerStatus(c, req, 409, "Conflict"_ba, conflictMessage(t.subject()), t.details());
        return;
    }
    meta[u"uid"_s] = oldMeta.value("uid"_L1);
    meta[u"creationTimestamp"_s] = oldMeta.value("creationTimestamp"_L1);
    if (r.namespaced)
        meta[u"namespace"_s] = t.ns;
    after[u"metadata"_s] = meta;
    completeWrite(c, req, t, after, before);
}

void FakeKubeApiServer::servePatch(Connection *c, Request &req, const Target &t)
{
    const QString type = mediaType(req.header("content-type"_ba));
    const bool merge = type == u"application/merge-patch+json";
    const bool strategic = type == u"application/strategic-merge-patch+json";
    const bool json = type == u"application/json-patch+json";
    const bool apply = type == u"application/apply-patch+yaml";
    if (!merge && !strategic && !json && !apply) {
        answerStatus(c, req, 415, "UnsupportedMediaType"_ba,
            QStringLiteral("the body of the request was in an unknown format - accepted media types "
                           "include: application/json-patch+json, application/merge-patch+json, "
                           "application/apply-patch+yaml, application/strategic-merge-patch+json"));
        return;
    }
    const FakeKubeResource &r = *t.resource;
    const QByteArray existing = store(r).value(t.key());
    if (existing.isEmpty() && !apply) {
        answerNotFound(c, req, t);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument patch = QJsonDocument::fromJson(req.body, &parseError);
    QString error;
    const auto applied = apply ? bodyObject(req.body, true, &error) : std::nullopt;
    if (apply ? !applied
              : parseError.error != QJsonParseError::NoError || (json ? !patch.isArray() : !patch.isObject())) {
        answerStatus(c, req, 400, "BadRequest"_ba,
            QStringLiteral("error decoding patch: %1").arg(apply ? error : parseError.errorString()));
        return;
    }
    const QJsonObject before = parseObject(existing);
    QJsonValue result = before;
    if (apply) {
        // Server-side apply, simplified: the applied configuration merged in
        // (no managedFields: fields other managers set are never removed).
        if (const QString e = checkBody(*applied, r.kind, r.groupVersion(), t.ns); !e.isEmpty()) {
            answerStatus(c, req, 400, "BadRequest"_ba, e);
            return;
        }
        result = mergePatch(before, *applied);
    } else if (merge) {
        result = mergePatch(before, patch.object());
    } else if (strategic) {
        result = strategicMerge(before, patch.object(), {});
    } else if (const QString failure = jsonPatch(result, patch.array()); !failure.isEmpty()) {
        answerStatus(c, req, 422, "Invalid"_ba, QStringLiteral("the server rejected our request: %1").arg(failure));
        return;
    }
    QJsonObject after = result.toObject();
    QJsonObject meta = after.value("metadata"_L1).toObject();
    const QJsonObject oldMeta = before.value("metadata"_L1).toObject();
    if (!result.isObject() || meta.value("name"_L1).toString() != t.name) {
        answerStatus(c, req, 400, "BadRequest"_ba,
            QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                .arg(meta.value("name"_L1).toString(), t.name));
        return;
    }
    // Optimistic concurrency: a patch that names a resourceVersion must name the current one.
    if (meta.value("resourceVersion"_L1) != oldMeta.value("resourceVersion"_L1)) {
        if (existing.isEmpty())
            answerNotFound(c, req, t); // an apply that expects an object that is not there
        else
            answerStatus(c, req, 409, "Conflict"_ba, conflictMessage(t.subject()), t.details());
        return;
    }
    if (existing.isEmpty()) { // apply creates
        meta[u"uid"_s] = QUuid::createUuid().toString(QUuid::WithoutBraces);
        meta[u"creationTimestamp"_s] = rfc3339(nowSeconds());
    } else {
        meta[u"uid"_s] = oldMeta.value("uid"_L1);
        meta[u"creationTimestamp"_s] = oldMeta.value("creationTimestamp"_L1);
    }
    if (r.namespaced)
        meta[u"namespace"_s] = t.ns;
    after[u"metadata"_s] = meta;
    completeWrite(c, req, t, after, existing);
}

void FakeKubeApiServer::completeWrite(
    Connection *c, Request &req, const Target &t, QJsonObject after, const QByteArray &before)
{
    const FakeKubeResource &r = *t.resource;
    const bool dryRun = req.hasQuery(u"dryRun"_s);
    after[u"kind"_s] = r.kind;
    after[u"apiVersion"_s] = r.groupVersion();
    if (m_admission) {
        if (const QString denial = m_admission(r.plural, after, dryRun); !denial.isEmpty()) {
            answerStatus(c, req, 403, "Forbidden"_ba,
                QStringLiteral("admission webhook \"%1\" denied the request: %2").arg(r.webhook(), denial));
            return;
        }
    }
    if (before.isEmpty()) {
        QJsonObject meta = after.value("metadata"_L1).toObject();
        meta.remove("resourceVersion"_L1);
        after[u"metadata"_s] = meta;
    } else if (after == parseObject(before)) { // no change: no new resource version, no event
        answer(c, req, 200, before);
        return;
    }
    const int status = before.isEmpty() ? 201 : 200;
    if (dryRun) {
        answer(c, req, status, compact(after));
        return;
    }
    commit(r, before.isEmpty() ? "ADDED"_ba : "MODIFIED"_ba, t.key(), after);
    answer(c, req, status, store(r).value(t.key()));
}

void FakeKubeApiServer::serveDelete(Connection *c, Request &req, const Target &t)
{
    const FakeKubeResource &r = *t.resource;
    const QByteArray existing = store(r).value(t.key());
    if (existing.isEmpty()) {
        answerNotFound(c, req, t);
        return;
    }
    const QJsonObject object = parseObject(existing);
    const bool dryRun = req.hasQuery(u"dryRun"_s);
    if (m_admission) {
        if (const QString denial = m_admission(r.plural, object, dryRun); !denial.isEmpty()) {
            answerStatus(c, req, 403, "Forbidden"_ba,
                QStringLiteral("admission webhook \"%1\" denied the request: %2").arg(r.webhook(), denial));
            return;
        }
    }
    QJsonObject details = t.details();
    details[u"uid"_s] = object.value("metadata"_L1).toObject().value("uid"_L1);
    if (!dryRun)
        commit(r, "DELETED"_ba, t.key(), object);
    QJsonObject status { { u"kind"_s, u"Status"_s }, { u"apiVersion"_s, u"v1"_s }, { u"metadata"_s, QJsonObject {} },
        { u"status"_s, u"Success"_s }, { u"details"_s, details } };
    answer(c, req, 200, compact(status));
}

// ---------------------------------------------------------------------------
// Watch

void FakeKubeApiServer::serveWatch(Connection *c, Request &req, const Target &t)
{
    auto w = std::make_unique<WatchStream>();
    QString error;
    QString fieldSelector = req.queryValue(u"fieldSelector"_s);
    if (!t.name.isEmpty())
        fieldSelector += (fieldSelector.isEmpty() ? u""_s : u","_s) + u"metadata.name="_s + t.name;
    if (!w->selector.parse(req.queryValue(u"labelSelector"_s), fieldSelector, &error)) {
        answerStatus(c, req, 400, "BadRequest"_ba, error);
        return;
    }
    const QString rvParam = req.queryValue(u"resourceVersion"_s);
    const bool sendInitial = isTrue(req.queryValue(u"sendInitialEvents"_s));
    bool initial = rvParam.isEmpty() || rvParam == u"0" || sendInitial;
    quint64 fromRv = 0;
    bool expired = false;
    if (!initial) {
        bool ok = false;
        fromRv = rvParam.toULongLong(&ok);
        if (!ok) {
            answerStatus(c, req, 400, "BadRequest"_ba, QStringLiteral("invalid resource version: %1").arg(rvParam));
            return;
        }
        expired = fromRv < m_compactedRv;
    }
    const QString expiredMessage = QStringLiteral("too old resource version: %1 (%2)").arg(fromRv).arg(m_compactedRv);
    if (expired && m_expiredAsHttp) {
        answerStatus(c, req, 410, "Expired"_ba, expiredMessage);
        return;
    }
    if (!m_watchFaults.isEmpty()) {
        w->fault = m_watchFaults.first().first;
        if (--m_watchFaults.first().second <= 0)
            m_watchFaults.removeFirst();
    }
    w->connection = c;
    w->resource = t.resource;
    w->ns = t.ns;
    w->tableVersion = tableVersionAccepted(req.header("accept"_ba));
    w->includeObject = req.queryValue(u"includeObject"_s);
    w->bookmarks = isTrue(req.queryValue(u"allowWatchBookmarks"_s));
    w->minRv = fromRv;
    WatchStream *stream = w.get();
    c->watch = std::move(w);
    c->busy = true;
    m_watches.append(stream);

    const QByteArray contentType = stream->tableVersion.isEmpty()
        ? kJsonType
        : "application/json;as=Table;v="_ba + stream->tableVersion + ";g=meta.k8s.io"_ba;
    c->write("HTTP/1.1 200 OK\r\nAudit-Id: "_ba + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "\r\nCache-Control: no-cache, private\r\nContent-Type: "_ba + contentType + "\r\nDate: "_ba + httpDate()
        + "\r\nTransfer-Encoding: chunked\r\n\r\n"_ba);
    req.status = 200;
    finishRecord(req);
    Q_EMIT watchStarted();

    if (stream->fault.stall) {
        stream->state = WatchStream::Stalled;
        return;
    }
    if (expired) {
        const QJsonObject status = statusObject(410, "Expired"_ba, expiredMessage);
        writeEventLine(stream, "{\"type\":\"ERROR\",\"object\":"_ba + compact(status) + "}\n"_ba, false);
        endWatch(stream, true);
        return;
    }
    if (stream->fault.dropAfterEvents == 0 && !stream->fault.dropMidLine) {
        endWatch(stream, false);
        return;
    }
    // Synthetic ADDED events for the current state, or the history after fromRv.
    if (initial) {
        const Store items = store(*t.resource); // a drop fault may end the stream mid-way
        for (auto it = items.cbegin(); it != items.cend(); ++it)
            if (!deliver(stream, { t.resource, "ADDED"_ba, m_rv, it.key(), it.value(), {} }))
                return;
        if (sendInitial && stream->bookmarks)
            sendBookmark(stream, true);
    } else {
        const QList<Event> replay = m_history; // a drop fault may end the stream mid-replay
        for (const Event &e : replay)
            if (e.rv > fromRv && !deliver(stream, e))
                return;
    }
    flushWatch(stream);

    if (stream->bookmarks && m_bookmarkIntervalMs > 0) {
        stream->bookmarkTimer = new QTimer;
        stream->bookmarkTimer->setInterval(m_bookmarkIntervalMs);
        connect(stream->bookmarkTimer, &QTimer::timeout, this, [this, stream] { sendBookmark(stream); });
        stream->bookmarkTimer->start();
    }
    const int timeout = req.queryValue(u"timeoutSeconds"_s).toInt();
    if (timeout > 0) {
        stream->timeoutTimer = new QTimer;
        stream->timeoutTimer->setSingleShot(true);
        connect(stream->timeoutTimer, &QTimer::timeout, this, [this, stream] { endWatch(stream, true); });
        stream->timeoutTimer->start(timeout * 1000);
    }
}

bool FakeKubeApiServer::deliver(WatchStream *w, const Event &e)
{
    if (w->state != WatchStream::Streaming || e.rv <= w->minRv || e.resource != w->resource
        || (!w->ns.isEmpty() && !e.name.startsWith(QString(w->ns + u'/'))))
        return true;
    const QByteArray &type = e.type;
    const QString &name = e.name;
    const QByteArray &object = e.object;
    const QByteArray &previous = e.previous;
    const quint64 rv = e.rv;
    QByteArray sent = type;
    if (!w->selector.isEmpty()) {
        // As the watch cache does: an object entering the selection is ADDED,
        // one leaving it is DELETED.
        const bool now = type != "DELETED" && w->selector.matches(name, object);
        const bool before = !previous.isEmpty() && w->selector.matches(name, previous);
        if (type == "DELETED")
            sent = before || w->selector.matches(name, object) ? "DELETED"_ba : QByteArray();
        else if (now && !before)
            sent = "ADDED"_ba;
        else if (!now && before)
            sent = "DELETED"_ba;
        else if (!now)
            sent.clear();
        if (sent.isEmpty())
            return true;
    }
    QByteArray body = object;
    if (!w->tableVersion.isEmpty()) {
        const QJsonObject meta { { u"resourceVersion"_s, QString::number(rv) } };
        body = tableFor(*w->resource, { object }, meta, !w->columnsSent, w->includeObject, w->tableVersion);
        w->columnsSent = true;
    }
    return writeEventLine(w, "{\"type\":\""_ba + sent + "\",\"object\":"_ba + body + "}\n"_ba, true);
}

void FakeKubeApiServer::sendBookmark(WatchStream *w, bool initialEventsEnd)
{
    if (w->state != WatchStream::Streaming)
        return;
    QJsonObject meta { { u"resourceVersion"_s, QString::number(m_rv) } };
    if (initialEventsEnd)
        meta[u"annotations"_s] = QJsonObject { { u"k8s.io/initial-events-end"_s, u"true"_s } };
    QJsonObject object;
    if (w->tableVersion.isEmpty()) {
        meta[u"creationTimestamp"_s] = QJsonValue();
        object = { { u"kind"_s, w->resource->kind }, { u"apiVersion"_s, w->resource->groupVersion() },
            { u"metadata"_s, meta } };
    } else {
        object = { { u"kind"_s, u"Table"_s },
            { u"apiVersion"_s, QString(u"meta.k8s.io/"_s + QString::fromLatin1(w->tableVersion)) },
            { u"metadata"_s, meta }, { u"columnDefinitions"_s, QJsonValue() }, { u"rows"_s, QJsonValue() } };
    }
    writeEventLine(w, "{\"type\":\"BOOKMARK\",\"object\":"_ba + compact(object) + "}\n"_ba, false);
    flushWatch(w);
}

bool FakeKubeApiServer::writeEventLine(WatchStream *w, const QByteArray &line, bool countsAsEvent)
{
    const WatchFault &f = w->fault;
    if (countsAsEvent && f.dropAfterEvents >= 0 && w->events >= f.dropAfterEvents) {
        // Only reached with dropMidLine: cut this event's line in two.
        flushWatch(w);
        queueChunks(w, line.left(std::max<qsizetype>(1, line.size() / 2)));
        endWatch(w, false);
        return false;
    }
    w->pending.append(line);
    if (countsAsEvent)
        ++w->events;
    if (!countsAsEvent || w->pending.size() >= std::max(1, f.eventsPerChunk))
        flushWatch(w);
    if (countsAsEvent && f.dropAfterEvents >= 0 && w->events == f.dropAfterEvents && !f.dropMidLine) {
        endWatch(w, false);
        return false;
    }
    return true;
}

void FakeKubeApiServer::flushWatch(WatchStream *w)
{
    if (w->pending.isEmpty())
        return;
    const QByteArray payload = w->pending.join();
    w->pending.clear();
    queueChunks(w, payload);
}

void FakeKubeApiServer::queueChunks(WatchStream *w, const QByteArray &payload)
{
    QList<QByteArray> pieces;
    const QList<int> &sizes = w->fault.chunkSizes;
    if (sizes.isEmpty()) {
        pieces << payload;
    } else {
        for (qsizetype at = 0; at < payload.size();) {
            const qsizetype n = std::max(1, sizes.at(w->chunkIndex++ % sizes.size()));
            pieces << payload.mid(at, n);
            at += n;
        }
    }
    for (const QByteArray &p : std::as_const(pieces)) {
        const QByteArray chunk = QByteArray::number(p.size(), 16) + "\r\n"_ba + p + "\r\n"_ba;
        if (w->fault.chunkIntervalMs > 0) {
            w->paced << chunk;
        } else {
            w->connection->write(chunk);
            if (!sizes.isEmpty())
                w->connection->socket->flush(); // one TLS record per chunk
        }
    }
    if (!w->paced.isEmpty() && !w->paceTimer) {
        w->paceTimer = new QTimer;
        w->paceTimer->setInterval(w->fault.chunkIntervalMs);
        connect(w->paceTimer, &QTimer::timeout, this, [this, w] {
            if (!w->paced.isEmpty()) {
                w->connection->write(w->paced.takeFirst());
                w->connection->socket->flush();
            }
            if (w->paced.isEmpty()) {
                w->paceTimer->stop();
                if (w->state == WatchStream::Ending || w->state == WatchStream::Dropping)
                    finishWatch(w);
            }
        });
    }
    if (!w->paced.isEmpty() && !w->paceTimer->isActive())
        w->paceTimer->start();
}

void FakeKubeApiServer::endWatch(WatchStream *w, bool gracefully)
{
    if (w->state == WatchStream::Ending || w->state == WatchStream::Dropping)
        return;
    const bool wasActive = m_watches.removeOne(w);
    for (QTimer *t : { w->bookmarkTimer, w->timeoutTimer })
        if (t)
            t->stop();
    if (gracefully && w->state == WatchStream::Streaming)
        flushWatch(w);
    w->state = gracefully ? WatchStream::Ending : WatchStream::Dropping;
    if (w->paced.isEmpty())
        finishWatch(w);
    if (wasActive)
        Q_EMIT watchEnded();
}

void FakeKubeApiServer::finishWatch(WatchStream *w)
{
    Connection *c = w->connection;
    if (w->state == WatchStream::Dropping) {
        // No terminating chunk: the body ends early, as when a proxy or the
        // server goes away. Queued bytes go out first.
        c->closeWhenDrained = true;
        c->pump();
        c->watch.reset();
        return;
    }
    c->write("0\r\n\r\n"_ba);
    c->watch.reset();
    c->busy = false;
    if (!c->keepAlive) {
        c->closeWhenDrained = true;
        c->pump();
        return;
    }
    // The client may already have sent its next request on this connection.
    QTimer::singleShot(0, c->socket, [this, c] {
        if (m_connections.contains(c))
            processInput(c);
    });
}

void FakeKubeApiServer::closeWatches()
{
    for (WatchStream *w : QList<WatchStream *>(m_watches))
        if (w->state == WatchStream::Streaming)
            endWatch(w, true);
}

void FakeKubeApiServer::dropConnections()
{
    for (Connection *c : QList<Connection *>(m_connections.values())) {
        if (c->watch && m_watches.removeOne(c->watch.get()))
            Q_EMIT watchEnded();
        c->closed = true;
        c->socket->abort();
    }
}

void FakeKubeApiServer::injectFault(RequestKinds kinds, const Fault &fault, int count)
{
    if (count > 0)
        m_faults.append({ kinds, fault, count });
}

void FakeKubeApiServer::injectWatchFault(const WatchFault &fault, int count)
{
    if (count > 0)
        m_watchFaults.append({ fault, count });
}

void FakeKubeApiServer::clearFaults()
{
    m_faults.clear();
    m_watchFaults.clear();
}

FakeKubeApiServer::Request FakeKubeApiServer::lastRequest(RequestKinds kinds) const
{
    for (auto it = m_requests.crbegin(); it != m_requests.crend(); ++it)
        if (kinds & it->kind)
            return *it;
    return {};
}

int FakeKubeApiServer::requestCount(RequestKinds kinds) const
{
    int n = 0;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        if (kinds & RequestKind(it.key()))
            n += it.value();
    return n;
}

void FakeKubeApiServer::clearRequests()
{
    m_requests.clear();
    m_counts.clear();
}

} // namespace Bramble::Test
