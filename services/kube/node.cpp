#include "kube/node.h"

#include "core/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>
#include <limits>

namespace Bramble::Kube {

namespace {

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// --- JSON helpers: every read tolerates the wrong type ---

QDateTime readTime(const QJsonValue &value)
{
    const QString text = value.toString();
    // RFC 3339 only: a bare date would be read as local time.
    if (text.size() < 19 || text.at(10) != u'T')
        return {};
    QDateTime t = QDateTime::fromString(text, Qt::ISODate);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        return {};
    return t.toUTC();
}

QMap<QString, QString> readStringMap(const QJsonValue &value)
{
    QMap<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        if (it.value().isString())
            map.insert(it.key(), it.value().toString());
    return map;
}

QString readQuantityText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    // apimachinery also accepts a bare JSON number.
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return QString::number(qint64(d));
        if (std::isfinite(d))
            return QString::number(d, 'g', 17);
    }
    return {};
}

QString normalizedStatus(const QJsonValue &value)
{
    const QString s = value.toString();
    if (s == QLatin1String("True") || s == QLatin1String("False"))
        return s;
    return QStringLiteral("Unknown");
}

// RFC 1123 subdomain: dot-separated labels of [a-z0-9-], each starting and
// ending alphanumeric, 253 characters at most.
bool isDnsSubdomain(const QString &name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    qsizetype labelStart = 0;
    for (qsizetype i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name.at(i) == u'.') {
            if (i == labelStart)
                return false;
            const QChar first = name.at(labelStart), last = name.at(i - 1);
            if (first == u'-' || last == u'-')
                return false;
            labelStart = i + 1;
            continue;
        }
        const QChar c = name.at(i);
        if (!((c >= u'a' && c <= u'z') || isDigit(c) || c == u'-'))
            return false;
    }
    return true;
}

const QString kReady = QStringLiteral("Ready");

} // namespace

// --- conditions, taints, resources ---

bool NodeCondition::isProblem() const
{
    if (type == kReady)
        return status != QLatin1String("True");
    return status == QLatin1String("True");
}

QString NodeTaint::toString() const
{
    QString text = key;
    if (!value.isEmpty())
        text += u'=' + value;
    return text + u':' + effect;
}

NodeResources NodeResources::fromJson(const QJsonObject &object)
{
    NodeResources r;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString text = readQuantityText(it.value());
        if (!text.isEmpty())
            r.quantities.insert(it.key(), text);
    }
    const auto number = [&r](const QString &resource, int scale) -> qint64 {
        const auto it = r.quantities.constFind(resource);
        if (it == r.quantities.constEnd())
            return -1;
        const std::optional<Quantity> q = Quantity::parse(it.value());
        return q ? q->scaledValue(scale) : -1;
    };
    r.cpuMillis = number(QStringLiteral("cpu"), -3);
    r.memoryBytes = number(QStringLiteral("memory"), 0);
    r.pods = number(QStringLiteral("pods"), 0);
    r.ephemeralStorageBytes = number(QStringLiteral("ephemeral-storage"), 0);
    return r;
}

// --- durations ---

QString humanDuration(qint64 seconds)
{
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 60 * 2)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 10) {
        const qint64 s = seconds % 60;
        return s == 0 ? QStringLiteral("%1m").arg(minutes) : QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 60 * 3)
        return QStringLiteral("%1m").arg(minutes);
    const qint64 hours = seconds / 3600;
    if (hours < 8) {
        const qint64 m = minutes % 60;
        return m == 0 ? QStringLiteral("%1h").arg(hours) : QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 8) {
        const qint64 h = hours % 24;
        return h == 0 ? QStringLiteral("%1d").arg(hours / 24) : QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        const qint64 days = (hours / 24) % 365;
        return days == 0 ? QStringLiteral("%1y").arg(hours / 24 / 365)
                         : QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(days);
    }
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

// --- Node ---

Node Node::fromJson(const QJsonObject &object, QString *error)
{
    const QJsonValue kind = object.value(QLatin1String("kind"));
    if (!kind.isUndefined() && kind.toString() != QLatin1String("Node")) {
        setError(error,
            QStringLiteral("/kind: expected \"Node\", got %1")
                .arg(kind.isString() ? QStringLiteral("\"%1\"").arg(kind.toString()) : QStringLiteral("a non-string")));
        return {};
    }
    const QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    const QJsonValue nameValue = metadata.value(QLatin1String("name"));
    if (!nameValue.isString() || nameValue.toString().isEmpty()) {
        setError(error, QStringLiteral("/metadata/name: missing"));
        return {};
    }
    if (!isDnsSubdomain(nameValue.toString())) {
        setError(error,
            QStringLiteral("/metadata/name: \"%1\" is not a valid node name (a DNS subdomain: "
                           "lowercase letters, digits, '-' and '.', at most 253 characters)")
                .arg(nameValue.toString().left(300)));
        return {};
    }

    Node node;
    node.name = nameValue.toString();
    node.uid = metadata.value(QLatin1String("uid")).toString();
    node.resourceVersion = metadata.value(QLatin1String("resourceVersion")).toString();
    node.creationTimestamp = readTime(metadata.value(QLatin1String("creationTimestamp")));
    node.labels = readStringMap(metadata.value(QLatin1String("labels")));
    node.annotations = readStringMap(metadata.value(QLatin1String("annotations")));
    node.annotations.remove(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"));

    // Roles, as kubectl's findNodeRoles.
    static const QString rolePrefix = QStringLiteral("node-role.kubernetes.io/");
    static const QString legacyRole = QStringLiteral("kubernetes.io/role");
    for (auto it = node.labels.constBegin(); it != node.labels.constEnd(); ++it) {
        if (it.key().startsWith(rolePrefix)) {
            const QString role = it.key().mid(rolePrefix.size());
            if (!role.isEmpty())
                node.roles.append(role);
        } else if (it.key() == legacyRole && !it.value().isEmpty()) {
            node.roles.append(it.value());
        }
    }
    node.roles.sort();
    node.roles.removeDuplicates();

    const QJsonObject spec = object.value(QLatin1String("spec")).toObject();
    node.unschedulable = spec.value(QLatin1String("unschedulable")).toBool(false);
    node.providerID = spec.value(QLatin1String("providerID")).toString();
    for (const QJsonValue &cidr : spec.value(QLatin1String("podCIDRs")).toArray())
        if (cidr.isString())
            node.podCIDRs.append(cidr.toString());
    if (node.podCIDRs.isEmpty() && spec.value(QLatin1String("podCIDR")).isString())
        node.podCIDRs.append(spec.value(QLatin1String("podCIDR")).toString());
    const QJsonArray taints = spec.value(QLatin1String("taints")).toArray();
    node.taints.reserve(taints.size());
    for (const QJsonValue &value : taints) {
        const QJsonObject t = value.toObject();
        if (t.isEmpty())
            continue;
        node.taints.append({ t.value(QLatin1String("key")).toString(), t.value(QLatin1String("value")).toString(),
            t.value(QLatin1String("effect")).toString(), readTime(t.value(QLatin1String("timeAdded"))) });
    }

    const QJsonObject status = object.value(QLatin1String("status")).toObject();
    const QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
    node.conditions.reserve(conditions.size());
    for (const QJsonValue &value : conditions) {
        const QJsonObject c = value.toObject();
        const QString type = c.value(QLatin1String("type")).toString();
        if (type.isEmpty())
            continue;
        node.conditions.append(
            { type, normalizedStatus(c.value(QLatin1String("status"))), c.value(QLatin1String("reason")).toString(),
                c.value(QLatin1String("message")).toString(), readTime(c.value(QLatin1String("lastHeartbeatTime"))),
                readTime(c.value(QLatin1String("lastTransitionTime"))) });
    }
    if (const NodeCondition *ready = node.condition(kReady)) {
        node.readiness = ready->status == QLatin1String("True") ? NodeReadiness::Ready
            : ready->status == QLatin1String("False")           ? NodeReadiness::NotReady
                                                                : NodeReadiness::Unknown;
        node.readyReason = ready->reason;
        node.readyMessage = ready->message;
        node.readySince = ready->lastTransitionTime;
    }

    const QJsonArray addresses = status.value(QLatin1String("addresses")).toArray();
    node.addresses.reserve(addresses.size());
    for (const QJsonValue &value : addresses) {
        const QJsonObject a = value.toObject();
        NodeAddress address { a.value(QLatin1String("type")).toString(), a.value(QLatin1String("address")).toString() };
        if (address.type.isEmpty() || address.address.isEmpty())
            continue;
        if (address.type == QLatin1String("InternalIP") && node.internalIP.isEmpty())
            node.internalIP = address.address;
        else if (address.type == QLatin1String("ExternalIP") && node.externalIP.isEmpty())
            node.externalIP = address.address;
        else if (address.type == QLatin1String("Hostname") && node.hostname.isEmpty())
            node.hostname = address.address;
        node.addresses.append(std::move(address));
    }

    const QJsonObject info = status.value(QLatin1String("nodeInfo")).toObject();
    node.architecture = info.value(QLatin1String("architecture")).toString();
    if (node.architecture.isEmpty())
        node.architecture = node.labels.value(
            QStringLiteral("kubernetes.io/arch"), node.labels.value(QStringLiteral("beta.kubernetes.io/arch")));
    node.operatingSystem = info.value(QLatin1String("operatingSystem")).toString();
    if (node.operatingSystem.isEmpty())
        node.operatingSystem = node.labels.value(QStringLiteral("kubernetes.io/os"));
    node.osImage = info.value(QLatin1String("osImage")).toString();
    node.kernelVersion = info.value(QLatin1String("kernelVersion")).toString();
    node.kubeletVersion = info.value(QLatin1String("kubeletVersion")).toString();
    node.kubeProxyVersion = info.value(QLatin1String("kubeProxyVersion")).toString();
    node.containerRuntimeVersion = info.value(QLatin1String("containerRuntimeVersion")).toString();
    node.bootID = info.value(QLatin1String("bootID")).toString();

    node.capacity = NodeResources::fromJson(status.value(QLatin1String("capacity")).toObject());
    node.allocatable = NodeResources::fromJson(status.value(QLatin1String("allocatable")).toObject());
    return node;
}

void Node::writeJson(Core::JsonWriter &w) const
{
    auto time = [&w](QStringView key, const QDateTime &t) {
        w.key(key);
        if (t.isValid())
            w.value(t.toUTC().toString(Qt::ISODate));
        else
            w.null();
    };
    auto resources = [&w](QStringView key, const NodeResources &r) {
        w.key(key);
        w.beginObject();
        for (auto it = r.quantities.cbegin(); it != r.quantities.cend(); ++it)
            w.field(it.key(), it.value());
        w.endObject();
    };
    w.beginObject();
    w.field(u"name", name);
    w.field(u"status", statusText());
    w.field(u"ready", readyStatus());
    w.field(u"reason", readyReason);
    w.field(u"message", readyMessage);
    time(u"readySince", readySince);
    w.key(u"roles");
    w.beginArray();
    for (const QString &role : roles)
        w.value(role);
    w.endArray();
    w.field(u"internalIP", internalIP);
    w.field(u"externalIP", externalIP);
    w.field(u"hostname", hostname);
    w.field(u"arch", architecture);
    w.field(u"osImage", osImage);
    w.field(u"kernelVersion", kernelVersion);
    w.field(u"kubeletVersion", kubeletVersion);
    w.field(u"containerRuntimeVersion", containerRuntimeVersion);
    w.field(u"unschedulable", unschedulable);
    w.key(u"taints");
    w.beginArray();
    for (const NodeTaint &t : taints) {
        w.beginObject();
        w.field(u"key", t.key);
        w.field(u"value", t.value);
        w.field(u"effect", t.effect);
        w.endObject();
    }
    w.endArray();
    // type -> status; a type given twice keeps the last, as kubectl reads it
    QMap<QString, QString> conditionMap;
    for (const NodeCondition &c : conditions)
        conditionMap.insert(c.type, c.status);
    w.key(u"conditions");
    w.beginObject();
    for (auto it = conditionMap.cbegin(); it != conditionMap.cend(); ++it)
        w.field(it.key(), it.value());
    w.endObject();
    resources(u"capacity", capacity);
    resources(u"allocatable", allocatable);
    time(u"creationTimestamp", creationTimestamp);
    w.endObject();
}

QJsonObject Node::toJson() const
{
    Core::JsonWriter w;
    writeJson(w);
    return QJsonDocument::fromJson(w.bytes()).object();
}

QString Node::readyStatus() const
{
    switch (readiness) {
    case NodeReadiness::Ready:
        return QStringLiteral("True");
    case NodeReadiness::NotReady:
        return QStringLiteral("False");
    case NodeReadiness::Unknown:
        break;
    }
    return QStringLiteral("Unknown");
}

NodeStatus Node::displayStatus() const
{
    switch (readiness) {
    case NodeReadiness::Ready:
        return unschedulable ? NodeStatus::Cordoned : NodeStatus::Ready;
    case NodeReadiness::NotReady:
        return NodeStatus::NotReady;
    case NodeReadiness::Unknown:
        break;
    }
    return NodeStatus::Unknown;
}

QString Node::statusText() const
{
    QString text;
    if (readiness == NodeReadiness::Ready)
        text = QStringLiteral("Ready");
    else if (condition(kReady))
        text = QStringLiteral("NotReady");
    else
        text = QStringLiteral("Unknown");
    if (unschedulable)
        text += QStringLiteral(",SchedulingDisabled");
    return text;
}

const NodeCondition *Node::condition(QStringView type) const
{
    for (qsizetype i = conditions.size() - 1; i >= 0; --i)
        if (conditions.at(i).type == type)
            return &conditions.at(i);
    return nullptr;
}

QStringList Node::problemConditions() const
{
    QStringList types;
    for (const NodeCondition &c : conditions)
        if (c.type != kReady && c.isProblem())
            types.append(c.type);
    return types;
}

NodeEvent NodeEvent::fromWatchEvent(const WatchEvent &event, QString *error)
{
    return NodeEvent { event.type, Node::fromJson(event.object, error) };
}

} // namespace Bramble::Kube
