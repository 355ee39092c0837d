// Node and Quantity: apimachinery's quantity grammar as a table, a realistic
// NodeList of three Raspberry Pis (tests/data/kube/nodes-pi.json), hostile
// objects (wrong types everywhere, bad names), the `bramblectl nodes --json`
// object and kubectl's STATUS, ROLES and AGE texts.

#include "kube/node.h"
#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace Bramble;
using Kube::Node;
using Kube::NodeReadiness;
using Kube::NodeStatus;
using Kube::Quantity;

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON does not parse: %s", qPrintable(error.errorString()));
    return doc.object();
}

QJsonArray piNodes()
{
    QFile file(Test::testData(QStringLiteral("kube/nodes-pi.json")));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return parseObject(file.readAll()).value(QLatin1String("items")).toArray();
}

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC();
}

// A minimal node whose Ready condition has this status ("" for none).
QJsonObject minimalNode(const QString &readyStatus, bool cordoned)
{
    QJsonObject node { { QStringLiteral("metadata"),
        QJsonObject { { QStringLiteral("name"), QStringLiteral("pi") } } } };
    if (cordoned)
        node.insert(QStringLiteral("spec"), QJsonObject { { QStringLiteral("unschedulable"), true } });
    if (!readyStatus.isEmpty()) {
        const QJsonArray conditions { QJsonObject {
            { QStringLiteral("type"), QStringLiteral("Ready") }, { QStringLiteral("status"), readyStatus } } };
        node.insert(QStringLiteral("status"), QJsonObject { { QStringLiteral("conditions"), conditions } });
    }
    return node;
}

// Every value inside a JSON tree, as a path of keys and indexes.
using Path = QList<QVariant>;

void collectPaths(const QJsonValue &value, Path &path, QList<Path> &out)
{
    out.append(path);
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            path.append(it.key());
            collectPaths(it.value(), path, out);
            path.removeLast();
        }
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            path.append(int(i));
            collectPaths(a.at(i), path, out);
            path.removeLast();
        }
    }
}

QJsonValue replaced(const QJsonValue &value, const Path &path, qsizetype depth, const QJsonValue &with)
{
    if (depth == path.size())
        return with;
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        const QString key = path.at(depth).toString();
        o.insert(key, replaced(o.value(key), path, depth + 1, with));
        return o;
    }
    QJsonArray a = value.toArray();
    const int i = path.at(depth).toInt();
    a.replace(i, replaced(a.at(i), path, depth + 1, with));
    return a;
}

} // namespace

class TestNode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quantity_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("value");
        QTest::addColumn<qint64>("milli");

        QTest::newRow("zero") << "0" << qint64(0) << qint64(0);
        QTest::newRow("zeros") << "0.000" << qint64(0) << qint64(0);
        QTest::newRow("minus zero") << "-0" << qint64(0) << qint64(0);
        QTest::newRow("cores") << "4" << qint64(4) << qint64(4000);
        QTest::newRow("leading zeros") << "00012" << qint64(12) << qint64(12000);
        QTest::newRow("millicores") << "3500m" << qint64(4) << qint64(3500);
        QTest::newRow("100m rounds up") << "100m" << qint64(1) << qint64(100);
        QTest::newRow("fraction") << "1.5" << qint64(2) << qint64(1500);
        QTest::newRow("leading dot") << ".5" << qint64(1) << qint64(500);
        QTest::newRow("trailing dot") << "5." << qint64(5) << qint64(5000);
        QTest::newRow("plus") << "+2" << qint64(2) << qint64(2000);
        QTest::newRow("nano") << "1n" << qint64(1) << qint64(1);
        QTest::newRow("micro rounds up") << "1500u" << qint64(1) << qint64(2);
        QTest::newRow("kilo") << "1k" << qint64(1000) << qint64(1000000);
        QTest::newRow("mega") << "2M" << qint64(2000000) << qint64(2000000000);
        QTest::newRow("giga") << "1.5G" << qint64(1500000000) << qint64(1500000000000);
        QTest::newRow("tera") << "1T" << qint64(1000000000000) << qint64(1000000000000000);
        QTest::newRow("peta") << "1P" << qint64(1000000000000000) << qint64(1000000000000000000);
        QTest::newRow("exa alone") << "1E" << qint64(1000000000000000000) << kMax;
        QTest::newRow("kibi") << "1Ki" << qint64(1024) << qint64(1024000);
        QTest::newRow("pi memory") << "7998488Ki" << qint64(8190451712) << qint64(8190451712000);
        QTest::newRow("mebi") << "512Mi" << qint64(536870912) << qint64(536870912000);
        QTest::newRow("gibi fraction") << "1.5Gi" << qint64(1610612736) << qint64(1610612736000);
        QTest::newRow("gibi odd fraction") << "0.9Gi" << qint64(966367642) << qint64(966367641600);
        QTest::newRow("tebi") << "1Ti" << qint64(1099511627776) << qint64(1099511627776000);
        QTest::newRow("pebi") << "1Pi" << qint64(1125899906842624) << qint64(1125899906842624000);
        QTest::newRow("exbi") << "1Ei" << qint64(1152921504606846976) << kMax;
        QTest::newRow("exbi saturates") << "8Ei" << kMax << kMax;
        QTest::newRow("exponent") << "1e3" << qint64(1000) << qint64(1000000);
        QTest::newRow("capital exponent") << "1E3" << qint64(1000) << qint64(1000000);
        QTest::newRow("exponent plus") << "12e+2" << qint64(1200) << qint64(1200000);
        QTest::newRow("exponent zero") << "5e0" << qint64(5) << qint64(5000);
        QTest::newRow("negative exponent") << "1e-3" << qint64(1) << qint64(1);
        QTest::newRow("fraction exponent") << "1.5e3" << qint64(1500) << qint64(1500000);
        QTest::newRow("tiny exponent") << "1e-999999999" << qint64(1) << qint64(1);
        QTest::newRow("huge exponent") << "1e999999999" << kMax << kMax;
        QTest::newRow("negative") << "-1" << qint64(-1) << qint64(-1000);
        QTest::newRow("negative rounds away") << "-1.5" << qint64(-2) << qint64(-1500);
        QTest::newRow("negative milli") << "-100m" << qint64(-1) << qint64(-100);
        QTest::newRow("int64 max") << "9223372036854775807" << kMax << kMax;
        QTest::newRow("past int64 max") << "9223372036854775808" << kMax << kMax;
        QTest::newRow("int64 min") << "-9223372036854775808" << kMin << kMin;
        QTest::newRow("many digits") << "1234567890123456789012" << kMax << kMax;
        QTest::newRow("many fraction digits") << "0.1234567890123456789012345" << qint64(1) << qint64(124);
        QTest::newRow("20th digit rounds up") << "1.00000000000000000001" << qint64(2) << qint64(1001);
        QTest::newRow("20th digit zero") << "1.000000000000000000000" << qint64(1) << qint64(1000);
        QTest::newRow("ephemeral storage") << "27945340170" << qint64(27945340170) << qint64(27945340170000);
    }

    void quantity()
    {
        QFETCH(QString, text);
        QFETCH(qint64, value);
        QFETCH(qint64, milli);
        QString error;
        const std::optional<Quantity> q = Quantity::parse(text, &error);
        QVERIFY2(q.has_value(), qPrintable(error));
        QCOMPARE(q->value(), value);
        QCOMPARE(q->milliValue(), milli);
        QCOMPARE(q->scaledValue(0), value);
    }

    void quantityGarbage_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("why");
        // (text, what the error says)
        // clang-format off
        const QList<QPair<const char *, const char *>> rows {
            { "", "empty" },
            { " 1", "no digits" },
            { "1 ", "unexpected ' '" },
            { "1K", "unknown suffix \"K\"" },
            { "1ki", "unknown suffix" },
            { "1mi", "unknown suffix" },
            { "1KiB", "unexpected 'B'" },
            { "1Gb", "unexpected 'b'" },
            { "abc", "no digits" },
            { "1.2.3", "unexpected '.' at offset 3" },
            { "--1", "no digits" },
            { "+-1", "no digits" },
            { "-", "no digits" },
            { ".", "no digits" },
            { "Ki", "no digits" },
            { "1e", "unknown suffix \"e\"" },
            { "1e+", "unknown suffix" },
            { "1ee3", "unknown suffix" },
            { "0x10", "unexpected 'x'" },
            { "1,5", "unexpected ','" },
            { "1e3.5", "unexpected '.'" },
            { "1e3m", "unexpected 'm'" },
            { "1Ki5", "unknown suffix \"Ki5\"" },
            { "1.5 Gi", "unexpected ' '" },
            { "NaN", "no digits" },
            { "1_000", "unexpected '_'" },
            { "1e1234567890", "unknown suffix" }, // more than nine exponent digits
            { "\u221e", "no digits" },
            { "\uff11", "no digits" }, // a full-width digit is not a digit
        };
        // clang-format on
        for (const auto &[text, why] : rows)
            QTest::addRow("%s", *text ? text : "(empty)") << QString::fromUtf8(text) << QString::fromUtf8(why);
    }

    void quantityGarbage()
    {
        QFETCH(QString, text);
        QFETCH(QString, why);
        QString error;
        QVERIFY(!Quantity::parse(text, &error).has_value());
        QVERIFY2(error.contains(why), qPrintable(error));
        QVERIFY2(error.contains(u'"' + text + u'"'), qPrintable(error));
    }

    void quantityEquality()
    {
        const auto q = [](const char *text) { return *Quantity::parse(QString::fromLatin1(text)); };
        QCOMPARE(q("1k"), q("1000"));
        QCOMPARE(q("1k"), q("1e3"));
        QCOMPARE(q("1Ki"), q("1024"));
        QCOMPARE(q("0.5"), q("500m"));
        QCOMPARE(q("1.5Gi"), q("1536Mi"));
        QCOMPARE(q("0"), q("-0"));
        QVERIFY(!(q("1Ki") == q("1k")));
        QVERIFY(!(q("-1") == q("1")));
        QVERIFY(q("-1").isNegative());
        QVERIFY(!q("-0").isNegative());
        QVERIFY(q("0.000").isZero());
        QCOMPARE(q("1.5Gi").toDouble(), 1610612736.0);
        QCOMPARE(q("250m").toDouble(), 0.25);
    }

    void realisticControlPlane()
    {
        QString error;
        const Node n = Node::fromJson(piNodes().at(0).toObject(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(n.name, QStringLiteral("pi-cp-0"));
        QCOMPARE(n.uid, QStringLiteral("5f0c6b1e-7a43-4a5e-9d8e-0b7c3f2d4e11"));
        QCOMPARE(n.resourceVersion, QStringLiteral("1842977"));
        QCOMPARE(n.creationTimestamp, utc("2024-02-11T09:14:27Z"));
        QCOMPARE(n.creationTimestamp.timeSpec(), Qt::UTC);
        QCOMPARE(n.roles, QStringList { QStringLiteral("control-plane") });
        QCOMPARE(n.readiness, NodeReadiness::Ready);
        QCOMPARE(n.readyStatus(), QStringLiteral("True"));
        QCOMPARE(n.readyReason, QStringLiteral("KubeletReady"));
        QCOMPARE(n.readyMessage, QStringLiteral("kubelet is posting ready status. AppArmor enabled"));
        QCOMPARE(n.readySince, utc("2024-02-11T09:16:05Z"));
        QCOMPARE(n.displayStatus(), NodeStatus::Ready);
        QCOMPARE(n.statusText(), QStringLiteral("Ready"));
        QCOMPARE(n.conditions.size(), 5);
        QStringList types;
        for (const Kube::NodeCondition &c : n.conditions)
            types << c.type;
        QCOMPARE(types,
            (QStringList { QStringLiteral("NetworkUnavailable"), QStringLiteral("MemoryPressure"),
                QStringLiteral("DiskPressure"), QStringLiteral("PIDPressure"), QStringLiteral("Ready") }));
        QCOMPARE(n.conditions.at(0).reason, QStringLiteral("FlannelIsUp"));
        QCOMPARE(n.conditions.at(1).lastHeartbeatTime, utc("2024-05-02T17:41:09Z"));
        QCOMPARE(n.conditions.at(1).lastTransitionTime, utc("2024-02-11T09:14:25Z"));
        QVERIFY(n.problemConditions().isEmpty());
        QCOMPARE(n.internalIP, QStringLiteral("192.168.1.50"));
        QCOMPARE(n.externalIP, QString());
        QCOMPARE(n.hostname, QStringLiteral("pi-cp-0"));
        QCOMPARE(n.architecture, QStringLiteral("arm64"));
        QCOMPARE(n.operatingSystem, QStringLiteral("linux"));
        QCOMPARE(n.osImage, QStringLiteral("Debian GNU/Linux 12 (bookworm)"));
        QCOMPARE(n.kernelVersion, QStringLiteral("6.1.0-rpi7-rpi-v8"));
        QCOMPARE(n.kubeletVersion, QStringLiteral("v1.28.2"));
        QCOMPARE(n.kubeProxyVersion, QStringLiteral("v1.28.2"));
        QCOMPARE(n.containerRuntimeVersion, QStringLiteral("containerd://1.6.20"));
        QCOMPARE(n.bootID, QStringLiteral("0c1d53a8-8d1c-4b43-a8f4-3b1f1f0b0e7a"));
        QCOMPARE(n.podCIDRs, QStringList { QStringLiteral("10.244.0.0/24") });
        QVERIFY(!n.unschedulable);
        QCOMPARE(n.taints.size(), 1);
        QCOMPARE(n.taints.at(0).toString(), QStringLiteral("node-role.kubernetes.io/control-plane:NoSchedule"));
        QCOMPARE(n.capacity.cpuMillis, qint64(4000));
        QCOMPARE(n.capacity.memoryBytes, qint64(3982932) * 1024);
        QCOMPARE(n.capacity.pods, qint64(110));
        QCOMPARE(n.capacity.ephemeralStorageBytes, qint64(61752572) * 1024);
        QCOMPARE(n.allocatable.memoryBytes, qint64(3880532) * 1024);
        QCOMPARE(n.allocatable.ephemeralStorageBytes, qint64(56911881737));
        QCOMPARE(n.capacity.quantities.value(QStringLiteral("hugepages-64Ki")), QStringLiteral("0"));
        QCOMPARE(n.capacity.quantities.size(), 8);
        QCOMPARE(n.labels.value(QStringLiteral("kubernetes.io/hostname")), QStringLiteral("pi-cp-0"));
        QCOMPARE(
            n.annotations.value(QStringLiteral("flannel.alpha.coreos.com/public-ip")), QStringLiteral("192.168.1.50"));
    }

    void realisticWorkerWithProblems()
    {
        const Node n = Node::fromJson(piNodes().at(1).toObject());
        QCOMPARE(n.name, QStringLiteral("pi-worker-1"));
        // node-role.kubernetes.io/worker and the legacy kubernetes.io/role=faas, sorted.
        QCOMPARE(n.roles, (QStringList { QStringLiteral("faas"), QStringLiteral("worker") }));
        QCOMPARE(n.displayStatus(), NodeStatus::Ready);
        // A custom node-problem-detector condition, kept in server order.
        QCOMPARE(n.conditions.size(), 7);
        QCOMPARE(n.conditions.last().type, QStringLiteral("CorruptSDCard"));
        QCOMPARE(
            n.problemConditions(), (QStringList { QStringLiteral("MemoryPressure"), QStringLiteral("CorruptSDCard") }));
        QCOMPARE(n.condition(u"MemoryPressure")->reason, QStringLiteral("KubeletHasInsufficientMemory"));
        QVERIFY(!n.condition(u"ReadonlyFilesystem")->isProblem());
        QVERIFY(!n.condition(u"KernelDeadlock"));
        // Dual stack: the first InternalIP; all addresses kept.
        QCOMPARE(n.internalIP, QStringLiteral("192.168.1.51"));
        QCOMPARE(n.externalIP, QStringLiteral("203.0.113.51"));
        QCOMPARE(n.addresses.size(), 4);
        QCOMPARE(n.addresses.at(1).address, QStringLiteral("fd00:1::51"));
        QCOMPARE(n.capacity.cpuMillis, qint64(4000));
        QCOMPARE(n.allocatable.cpuMillis, qint64(3500));
        QCOMPARE(n.capacity.memoryBytes, qint64(8190451712));
        QCOMPARE(n.capacity.quantities.value(QStringLiteral("memory")), QStringLiteral("7998488Ki"));
        QVERIFY(n.taints.isEmpty());
        // The last-applied copy of the object is dropped; the rest kept.
        QVERIFY(!n.annotations.contains(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration")));
        QCOMPARE(n.annotations.value(QStringLiteral("kubeadm.alpha.kubernetes.io/cri-socket")),
            QStringLiteral("unix:///var/run/containerd/containerd.sock"));
        QCOMPARE(n.annotations.size(), 7);
    }

    void realisticUnreachableCordoned()
    {
        const Node n = Node::fromJson(piNodes().at(2).toObject());
        QCOMPARE(n.name, QStringLiteral("pi-worker-2"));
        QVERIFY(n.roles.isEmpty());
        QVERIFY(n.unschedulable);
        QCOMPARE(n.readiness, NodeReadiness::Unknown);
        QCOMPARE(n.readyStatus(), QStringLiteral("Unknown"));
        QCOMPARE(n.readyReason, QStringLiteral("NodeStatusUnknown"));
        // kubectl: a Ready condition that is not True is "NotReady", Unknown included.
        QCOMPARE(n.statusText(), QStringLiteral("NotReady,SchedulingDisabled"));
        // Unknown wins over cordoned for colouring and counting.
        QCOMPARE(n.displayStatus(), NodeStatus::Unknown);
        // Unknown pressure conditions are not badges: Ready already says it.
        QVERIFY(n.problemConditions().isEmpty());
        QCOMPARE(n.taints.size(), 3);
        QCOMPARE(n.taints.at(1).toString(), QStringLiteral("node.kubernetes.io/unreachable:NoExecute"));
        QCOMPARE(n.taints.at(1).timeAdded, utc("2024-05-02T17:30:49Z"));
        // nodeInfo.architecture is empty: the kubernetes.io/arch label stands in.
        QCOMPARE(n.architecture, QStringLiteral("arm64"));
        QCOMPARE(n.kubeletVersion, QStringLiteral("v1.29.3"));
    }

    void statusTexts_data()
    {
        QTest::addColumn<QString>("ready");
        QTest::addColumn<bool>("cordoned");
        QTest::addColumn<QString>("text");
        QTest::addColumn<NodeStatus>("status");
        QTest::addColumn<QString>("json");

        QTest::newRow("ready") << "True" << false << "Ready" << NodeStatus::Ready << "True";
        QTest::newRow("not ready") << "False" << false << "NotReady" << NodeStatus::NotReady << "False";
        QTest::newRow("ready unknown") << "Unknown" << false << "NotReady" << NodeStatus::Unknown << "Unknown";
        QTest::newRow("no ready condition") << "" << false << "Unknown" << NodeStatus::Unknown << "Unknown";
        QTest::newRow("odd status") << "yes" << false << "NotReady" << NodeStatus::Unknown << "Unknown";
        QTest::newRow("ready cordoned") << "True" << true << "Ready,SchedulingDisabled" << NodeStatus::Cordoned
                                        << "True";
        QTest::newRow("not ready cordoned")
            << "False" << true << "NotReady,SchedulingDisabled" << NodeStatus::NotReady << "False";
        QTest::newRow("unknown cordoned")
            << "" << true << "Unknown,SchedulingDisabled" << NodeStatus::Unknown << "Unknown";
    }

    void statusTexts()
    {
        QFETCH(QString, ready);
        QFETCH(bool, cordoned);
        QFETCH(QString, text);
        QFETCH(NodeStatus, status);
        QFETCH(QString, json);
        const Node n = Node::fromJson(minimalNode(ready, cordoned));
        QCOMPARE(n.statusText(), text);
        QCOMPARE(n.displayStatus(), status);
        QCOMPARE(n.readyStatus(), json);
        QCOMPARE(n.unschedulable, cordoned);
        QCOMPARE(n.toJson().value(QLatin1String("ready")).toString(), json);
        QCOMPARE(n.toJson().value(QLatin1String("status")).toString(), text);
    }

    void duplicateReadyLastWins()
    {
        const Node n = Node::fromJson(parseObject("{\"metadata\":{\"name\":\"pi\"},\"status\":{\"conditions\":["
                                                  "{\"type\":\"Ready\",\"status\":\"False\"},{\"type\":\"Ready\","
                                                  "\"status\":\"True\",\"reason\":\"Later\"}]}}"));
        QCOMPARE(n.readiness, NodeReadiness::Ready);
        QCOMPARE(n.readyReason, QStringLiteral("Later"));
        QCOMPARE(n.conditions.size(), 2);
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: parses

        QTest::newRow("empty object") << QByteArray("{}") << "/metadata/name: missing";
        QTest::newRow("metadata is an array") << QByteArray("{\"metadata\":[]}") << "/metadata/name: missing";
        QTest::newRow("name is a number") << QByteArray("{\"metadata\":{\"name\":42}}") << "/metadata/name: missing";
        QTest::newRow("name is null") << QByteArray("{\"metadata\":{\"name\":null}}") << "/metadata/name: missing";
        QTest::newRow("name empty") << QByteArray("{\"metadata\":{\"name\":\"\"}}") << "/metadata/name: missing";
        QTest::newRow("upper case name") << QByteArray("{\"metadata\":{\"name\":\"Pi-Worker\"}}")
                                         << "/metadata/name: \"Pi-Worker\" is not a valid node name";
        QTest::newRow("empty label") << QByteArray("{\"metadata\":{\"name\":\"a..b\"}}") << "/metadata/name: \"a..b\"";
        QTest::newRow("leading dash") << QByteArray("{\"metadata\":{\"name\":\"-pi\"}}") << "/metadata/name: \"-pi\"";
        QTest::newRow("trailing dash") << QByteArray("{\"metadata\":{\"name\":\"pi-\"}}") << "/metadata/name: \"pi-\"";
        QTest::newRow("dash before dot") << QByteArray("{\"metadata\":{\"name\":\"pi-.lan\"}}")
                                         << "/metadata/name: \"pi-.lan\"";
        QTest::newRow("slash") << QByteArray("{\"metadata\":{\"name\":\"../etc\"}}") << "/metadata/name: \"../etc\"";
        QTest::newRow("newline") << QByteArray("{\"metadata\":{\"name\":\"pi\\n1\"}}") << "/metadata/name: \"pi\n1\"";
        QTest::newRow("too long") << ("{\"metadata\":{\"name\":\"" + QByteArray(254, 'a') + "\"}}")
                                  << "/metadata/name: \"aaaa";
        QTest::newRow("253 is fine") << ("{\"metadata\":{\"name\":\"" + QByteArray(253, 'a') + "\"}}") << "";
        QTest::newRow("dotted name") << QByteArray("{\"metadata\":{\"name\":\"pi-1.lan\"}}") << "";
        QTest::newRow("digits only") << QByteArray("{\"metadata\":{\"name\":\"10\"}}") << "";
        QTest::newRow("kind Pod") << QByteArray("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"pi\"}}")
                                  << "/kind: expected \"Node\", got \"Pod\"";
        QTest::newRow("kind number") << QByteArray("{\"kind\":1,\"metadata\":{\"name\":\"pi\"}}")
                                     << "/kind: expected \"Node\", got a non-string";
        QTest::newRow("everything the wrong type")
            << QByteArray("{\"metadata\":{\"name\":\"pi\",\"uid\":7,\"labels\":[],\"annotations\":\"x\","
                          "\"creationTimestamp\":12345},\"spec\":\"x\",\"status\":5}")
            << "";
        QTest::newRow("wrong types inside")
            << QByteArray("{\"metadata\":{\"name\":\"pi\",\"labels\":{\"a\":1,\"b\":null,\"c\":\"ok\"}},"
                          "\"spec\":{\"unschedulable\":\"true\",\"taints\":[1,null,\"x\",{}],\"podCIDRs\":{}},"
                          "\"status\":{\"conditions\":{\"type\":\"Ready\"},\"addresses\":[1,{\"type\":\"InternalIP\"},"
                          "{\"address\":\"1.2.3.4\"}],\"nodeInfo\":[],\"capacity\":[],\"allocatable\":\"4\"}}")
            << "";
        QTest::newRow("garbage conditions")
            << QByteArray("{\"metadata\":{\"name\":\"pi\"},\"status\":{\"conditions\":[1,\"x\",null,{},[],"
                          "{\"type\":5,\"status\":\"True\"},{\"type\":\"Ready\",\"status\":true,"
                          "\"lastTransitionTime\":\"yesterday\",\"lastHeartbeatTime\":\"2024-01-01\"}]}}")
            << "";
    }

    void hostile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString got = QStringLiteral("untouched");
        const Node n = Node::fromJson(parseObject(json), &got);
        if (error.isEmpty()) {
            QCOMPARE(got, QStringLiteral("untouched"));
            QVERIFY(n.isValid());
        } else {
            QVERIFY2(got.startsWith(error), qPrintable(got));
            QVERIFY(!n.isValid());
            QCOMPARE(n, Node());
        }
        // Whatever came in, the result prints.
        QVERIFY(n.toJson().contains(QLatin1String("conditions")));
    }

    void hostileDefaults()
    {
        Node n = Node::fromJson(parseObject(
            "{\"metadata\":{\"name\":\"pi\",\"labels\":{\"a\":1,\"b\":null,\"c\":\"ok\"}},"
            "\"spec\":{\"unschedulable\":\"true\",\"taints\":[1,null,\"x\",{}],\"podCIDRs\":{}},"
            "\"status\":{\"conditions\":{\"type\":\"Ready\"},\"addresses\":[1,{\"type\":\"InternalIP\"},"
            "{\"address\":\"1.2.3.4\"}],\"nodeInfo\":[],\"capacity\":{\"cpu\":2,\"memory\":\"lots\",\"pods\":null,"
            "\"ephemeral-storage\":1.5e10},\"allocatable\":\"4\"}}"));
        QCOMPARE(n.labels, (QMap<QString, QString> { { QStringLiteral("c"), QStringLiteral("ok") } }));
        QVERIFY(!n.unschedulable); // a string is not a bool
        QVERIFY(n.taints.isEmpty());
        QVERIFY(n.podCIDRs.isEmpty());
        QVERIFY(n.conditions.isEmpty());
        QCOMPARE(n.readiness, NodeReadiness::Unknown);
        QVERIFY(n.addresses.isEmpty());
        QVERIFY(n.internalIP.isEmpty());
        QVERIFY(n.architecture.isEmpty());
        // A bare number is a quantity too (apimachinery accepts it); a bad string keeps its text.
        QCOMPARE(n.capacity.quantities.value(QStringLiteral("cpu")), QStringLiteral("2"));
        QCOMPARE(n.capacity.cpuMillis, qint64(2000));
        QCOMPARE(n.capacity.quantities.value(QStringLiteral("memory")), QStringLiteral("lots"));
        QCOMPARE(n.capacity.memoryBytes, qint64(-1));
        QCOMPARE(n.capacity.pods, qint64(-1));
        QCOMPARE(n.capacity.ephemeralStorageBytes, qint64(15000000000));
        QVERIFY(n.allocatable.quantities.isEmpty());
        QCOMPARE(n.allocatable.cpuMillis, qint64(-1));

        n = Node::fromJson(parseObject(
            "{\"metadata\":{\"name\":\"pi\",\"creationTimestamp\":\"2024-01-01\"},\"status\":{\"conditions\":["
            "{\"type\":5,\"status\":\"True\"},{\"type\":\"Ready\",\"status\":true,"
            "\"lastTransitionTime\":\"yesterday\",\"lastHeartbeatTime\":12}]}}"));
        QVERIFY(!n.creationTimestamp.isValid()); // a bare date is not a timestamp
        QCOMPARE(n.conditions.size(), 1);
        QCOMPARE(n.conditions.at(0).status, QStringLiteral("Unknown"));
        QVERIFY(!n.conditions.at(0).lastTransitionTime.isValid());
        QVERIFY(!n.conditions.at(0).lastHeartbeatTime.isValid());
        QCOMPARE(n.statusText(), QStringLiteral("NotReady"));
        QCOMPARE(n.toJson().value(QLatin1String("readySince")), QJsonValue(QJsonValue::Null));
        QCOMPARE(n.toJson().value(QLatin1String("creationTimestamp")), QJsonValue(QJsonValue::Null));

        // Fractional seconds and offsets are read and kept in UTC.
        n = Node::fromJson(
            parseObject("{\"metadata\":{\"name\":\"pi\",\"creationTimestamp\":\"2024-01-01T02:00:00.123456+02:00\"}}"));
        QCOMPARE(n.creationTimestamp, QDateTime(QDate(2024, 1, 1), QTime(0, 0, 0, 123), Qt::UTC));
        QCOMPARE(n.creationTimestamp.timeSpec(), Qt::UTC);
    }

    // Every value of the realistic node replaced by every JSON type in turn:
    // fromJson never crashes, and only a broken name (or kind) is an error.
    void everyValueEveryType()
    {
        const QJsonObject original = piNodes().at(1).toObject();
        QList<Path> paths;
        Path path;
        collectPaths(original, path, paths);
        QVERIFY2(paths.size() > 100, qPrintable(QString::number(paths.size())));
        const QList<QJsonValue> values { QJsonValue(QJsonValue::Null), QJsonValue(true), QJsonValue(0),
            QJsonValue(-1.5e300), QJsonValue(QString()), QJsonValue(QStringLiteral("x")),
            QJsonValue(QJsonArray { 1, QStringLiteral("y") }), QJsonValue(QJsonObject {}) };
        int errors = 0;
        for (const Path &p : std::as_const(paths)) {
            for (const QJsonValue &v : values) {
                const QJsonObject mutated = replaced(original, p, 0, v).toObject();
                QString error;
                const Node n = Node::fromJson(mutated, &error);
                const bool touchesName = p.isEmpty()
                    || (p.first() == QStringLiteral("metadata") && (p.size() == 1 || p.at(1) == QStringLiteral("name")))
                    || p.first() == QStringLiteral("kind");
                if (!error.isEmpty()) {
                    ++errors;
                    QVERIFY2(touchesName, qPrintable(error));
                }
                (void)n.toJson();
                (void)n.statusText();
            }
        }
        QVERIFY(errors > 0);
    }

    void toJsonFieldSet()
    {
        const Node n = Node::fromJson(piNodes().at(1).toObject());
        const QJsonObject json = n.toJson();
        QStringList keys = json.keys();
        keys.sort();
        QStringList expected { QStringLiteral("allocatable"), QStringLiteral("arch"), QStringLiteral("capacity"),
            QStringLiteral("conditions"), QStringLiteral("containerRuntimeVersion"),
            QStringLiteral("creationTimestamp"), QStringLiteral("externalIP"), QStringLiteral("hostname"),
            QStringLiteral("internalIP"), QStringLiteral("kernelVersion"), QStringLiteral("kubeletVersion"),
            QStringLiteral("message"), QStringLiteral("name"), QStringLiteral("osImage"), QStringLiteral("readySince"),
            QStringLiteral("ready"), QStringLiteral("reason"), QStringLiteral("roles"), QStringLiteral("status"),
            QStringLiteral("taints"), QStringLiteral("unschedulable") };
        expected.sort();
        QCOMPARE(keys, expected);

        QCOMPARE(json.value(QLatin1String("name")).toString(), QStringLiteral("pi-worker-1"));
        QCOMPARE(json.value(QLatin1String("ready")).toString(), QStringLiteral("True"));
        QCOMPARE(json.value(QLatin1String("status")).toString(), QStringLiteral("Ready"));
        QCOMPARE(json.value(QLatin1String("reason")).toString(), QStringLiteral("KubeletReady"));
        QCOMPARE(json.value(QLatin1String("roles")).toArray(),
            (QJsonArray { QStringLiteral("faas"), QStringLiteral("worker") }));
        QCOMPARE(json.value(QLatin1String("internalIP")).toString(), QStringLiteral("192.168.1.51"));
        QCOMPARE(json.value(QLatin1String("externalIP")).toString(), QStringLiteral("203.0.113.51"));
        QCOMPARE(json.value(QLatin1String("arch")).toString(), QStringLiteral("arm64"));
        QCOMPARE(json.value(QLatin1String("kubeletVersion")).toString(), QStringLiteral("v1.28.2"));
        QCOMPARE(json.value(QLatin1String("osImage")).toString(), QStringLiteral("Debian GNU/Linux 12 (bookworm)"));
        QCOMPARE(json.value(QLatin1String("unschedulable")), QJsonValue(false));
        QCOMPARE(json.value(QLatin1String("readySince")).toString(), QStringLiteral("2024-02-11T10:04:01Z"));
        QCOMPARE(json.value(QLatin1String("creationTimestamp")).toString(), QStringLiteral("2024-02-11T10:02:51Z"));
        const QJsonObject conditions = json.value(QLatin1String("conditions")).toObject();
        QCOMPARE(conditions.size(), 7);
        QCOMPARE(conditions.value(QLatin1String("MemoryPressure")).toString(), QStringLiteral("True"));
        QCOMPARE(conditions.value(QLatin1String("CorruptSDCard")).toString(), QStringLiteral("True"));
        QCOMPARE(conditions.value(QLatin1String("Ready")).toString(), QStringLiteral("True"));
        const QJsonObject capacity = json.value(QLatin1String("capacity")).toObject();
        QCOMPARE(capacity.value(QLatin1String("cpu")).toString(), QStringLiteral("4"));
        QCOMPARE(capacity.value(QLatin1String("memory")).toString(), QStringLiteral("7998488Ki"));
        QCOMPARE(capacity.value(QLatin1String("pods")).toString(), QStringLiteral("110"));
        QCOMPARE(capacity.size(), 8);
        QCOMPARE(json.value(QLatin1String("allocatable")).toObject().value(QLatin1String("cpu")).toString(),
            QStringLiteral("3500m"));

        const QJsonObject cp = Node::fromJson(piNodes().at(2).toObject()).toJson();
        QCOMPARE(cp.value(QLatin1String("unschedulable")), QJsonValue(true));
        QCOMPARE(cp.value(QLatin1String("ready")).toString(), QStringLiteral("Unknown"));
        QCOMPARE(cp.value(QLatin1String("taints")).toArray().at(1).toObject(),
            (QJsonObject { { QStringLiteral("key"), QStringLiteral("node.kubernetes.io/unreachable") },
                { QStringLiteral("value"), QString() }, { QStringLiteral("effect"), QStringLiteral("NoExecute") } }));
        QCOMPARE(cp.value(QLatin1String("roles")).toArray(), QJsonArray());
    }

    void equality()
    {
        const QJsonObject object = piNodes().at(0).toObject();
        const Node a = Node::fromJson(object);
        QCOMPARE(Node::fromJson(object), a);

        // A heartbeat alone is a change.
        QJsonObject status = object.value(QLatin1String("status")).toObject();
        QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
        QJsonObject ready = conditions.at(4).toObject();
        ready.insert(QStringLiteral("lastHeartbeatTime"), QStringLiteral("2024-05-02T17:46:09Z"));
        conditions.replace(4, ready);
        status.insert(QStringLiteral("conditions"), conditions);
        QJsonObject changed = object;
        changed.insert(QStringLiteral("status"), status);
        QVERIFY(!(Node::fromJson(changed) == a));

        Node b = a;
        b.unschedulable = true;
        QVERIFY(!(b == a));
        b = a;
        b.labels.insert(QStringLiteral("x"), QStringLiteral("y"));
        QVERIFY(!(b == a));
    }

    void roles()
    {
        const Node n = Node::fromJson(
            parseObject("{\"metadata\":{\"name\":\"pi\",\"labels\":{\"node-role.kubernetes.io/\":\"\","
                        "\"node-role.kubernetes.io/worker\":\"\",\"node-role.kubernetes.io/ingress\":\"false\","
                        "\"kubernetes.io/role\":\"worker\",\"node-role.kubernetes.io.evil/x\":\"\"}}}"));
        // An empty suffix is no role; duplicates fold; any value counts.
        QCOMPARE(n.roles, (QStringList { QStringLiteral("ingress"), QStringLiteral("worker") }));
        const Node legacyEmpty
            = Node::fromJson(parseObject("{\"metadata\":{\"name\":\"pi\",\"labels\":{\"kubernetes.io/role\":\"\"}}}"));
        QVERIFY(legacyEmpty.roles.isEmpty());
    }

    void humanDuration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        const qint64 m = 60, h = 3600, d = 86400, y = 365 * d;
        QTest::newRow("future") << qint64(-5) << "<invalid>";
        QTest::newRow("clock skew") << qint64(-1) << "0s";
        QTest::newRow("zero") << qint64(0) << "0s";
        QTest::newRow("119s") << qint64(119) << "119s";
        QTest::newRow("2m") << 2 * m << "2m";
        QTest::newRow("3m20s") << 3 * m + 20 << "3m20s";
        QTest::newRow("10m") << 10 * m + 59 << "10m";
        QTest::newRow("179m") << 179 * m << "179m";
        QTest::newRow("3h") << 3 * h << "3h";
        QTest::newRow("5h10m") << 5 * h + 10 * m << "5h10m";
        QTest::newRow("8h") << 8 * h + 10 * m << "8h";
        QTest::newRow("47h") << 47 * h << "47h";
        QTest::newRow("2d") << 2 * d << "2d";
        QTest::newRow("3d4h") << 3 * d + 4 * h << "3d4h";
        QTest::newRow("8d") << 8 * d + 4 * h << "8d";
        QTest::newRow("729d") << 729 * d << "729d";
        QTest::newRow("2y") << 2 * y << "2y";
        QTest::newRow("2y30d") << 2 * y + 30 * d << "2y30d";
        QTest::newRow("9y") << 9 * y + 30 * d << "9y";
    }

    void humanDuration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(Kube::humanDuration(seconds), text);
    }

    void watchEvents()
    {
        QCOMPARE(Kube::WatchEvent::typeName(Kube::WatchEvent::Added), QStringLiteral("ADDED"));
        QCOMPARE(Kube::WatchEvent::typeName(Kube::WatchEvent::Modified), QStringLiteral("MODIFIED"));
        QCOMPARE(Kube::WatchEvent::typeName(Kube::WatchEvent::Deleted), QStringLiteral("DELETED"));

        QString error;
        Kube::NodeEvent e
            = Kube::NodeEvent::fromWatchEvent({ Kube::WatchEvent::Deleted, piNodes().at(2).toObject() }, &error);
        QVERIFY(error.isEmpty());
        QCOMPARE(e.type, Kube::WatchEvent::Deleted);
        QCOMPARE(e.node.name, QStringLiteral("pi-worker-2"));
        e = Kube::NodeEvent::fromWatchEvent({ Kube::WatchEvent::Modified, QJsonObject {} }, &error);
        QCOMPARE(error, QStringLiteral("/metadata/name: missing"));
        QVERIFY(!e.node.isValid());
    }
};

QTEST_GUILESS_MAIN(TestNode)
#include "tst_node.moc"
