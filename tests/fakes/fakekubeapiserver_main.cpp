// fake-kube-apiserver: FakeKubeApiServer as a process, for benchmarks and for
// clients that run out of process. See --help.

#include "fakes/fakekubeapiserver.h"
#include "fakes/fakeprocess.h"
#include "fakes/testpki.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using Bramble::Test::FakeKubeApiServer;
using Bramble::Test::TestPki;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // kubeconfigs hold credentials
    return f.write(bytes) == bytes.size();
}

int fail(const QString &message)
{
    std::fprintf(stderr, "fake-kube-apiserver: %s\n", qPrintable(message));
    return 1;
}

// --scenario nodes-demo: a cluster worth a screenshot of the Nodes pane.
// Twelve Pis, one cordoned, two with a storage role.
void seedNodesDemo(FakeKubeApiServer &server)
{
    server.seedNodes(12);
    server.setUnschedulable(QStringLiteral("rpi-10"), true);
    server.setLabel(QStringLiteral("rpi-08"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
    server.setLabel(QStringLiteral("rpi-09"), QStringLiteral("node-role.kubernetes.io/storage"), QString());
}

// Once the first watch opens, a short story, --step-ms apart, so the
// readiness timeline has steps: a node goes NotReady and comes back, one
// stops reporting, pressure conditions, a second cordon, a second NotReady.
QList<std::function<void(FakeKubeApiServer &)>> nodesDemoStory()
{
    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    return {
        [s](FakeKubeApiServer &f) {
            f.setReady(s("rpi-07"), s("False"), s("KubeletNotReady"),
                s("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                  "message:Network plugin returns error: cni plugin not initialized"));
        },
        [s](FakeKubeApiServer &f) { f.setReady(s("rpi-11"), s("Unknown")); },
        [s](FakeKubeApiServer &f) {
            f.setCondition(s("rpi-04"), s("MemoryPressure"), s("True"), s("KubeletHasInsufficientMemory"),
                s("kubelet has insufficient memory available"));
        },
        [s](FakeKubeApiServer &f) { f.setUnschedulable(s("rpi-12"), true); },
        [s](FakeKubeApiServer &f) {
            f.setReady(s("rpi-09"), s("False"), s("KubeletNotReady"),
                s("PLEG is not healthy: pleg was last seen active 3m4s ago"));
            f.setCondition(
                s("rpi-09"), s("DiskPressure"), s("True"), s("KubeletHasDiskPressure"), s("kubelet has disk pressure"));
        },
        [s](FakeKubeApiServer &f) { f.setReady(s("rpi-07"), s("True")); },
    };
}

// --lb-services N: a pool of 10.200.0.0/16 and N services holding its
// addresses in order (every 50th pending), for benchmarks.
void seedLoadBalancers(FakeKubeApiServer &server, int count)
{
    server.putObject(u"ipaddresspools"_s, FakeKubeApiServer::makeIpAddressPool(u"bench"_s, { u"10.200.0.0/16"_s }));
    server.putObject(u"l2advertisements"_s, FakeKubeApiServer::makeL2Advertisement(u"bench"_s, { u"bench"_s }));
    for (int i = 0; i < count; ++i) {
        QStringList ips;
        if (i % 50 != 49)
            ips << u"10.200.%1.%2"_s.arg((i + 1) / 256).arg((i + 1) % 256);
        server.putObject(u"services"_s,
            FakeKubeApiServer::makeLoadBalancerService(u"team-%1"_s.arg(i % 20, 2, 10, QChar(u'0')),
                u"svc-%1"_s.arg(i, 5, 10, QChar(u'0')), ips,
                { { u"metallb.io/ip-allocated-from-pool"_s, u"bench"_s } }));
    }
}

// --scenario metallb-demo: a Pi cluster worth a screenshot of the Load
// balancers pane. MetalLB 0.14 in layer 2 mode: pools, one never announced
// (no advertisement), services that got addresses (with the
// ip-allocated-from-pool annotation MetalLB sets), two sharing one, one
// pending on a missing pool, one with an address outside every pool, and a
// ClusterIP service that is not a load balancer at all.
void seedMetalLBDemo(FakeKubeApiServer &server)
{
    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    for (int i = 1; i <= 6; ++i) {
        FakeKubeApiServer::NodeOptions o;
        o.controlPlane = i == 1;
        o.internalIp = QStringLiteral("192.168.1.%1").arg(10 + i);
        o.created = QDateTime::currentDateTimeUtc().addDays(-90).addSecs(qint64(i) * 300);
        server.addNode(FakeKubeApiServer::makeNode(QStringLiteral("pi-node-%1").arg(i), o));
    }
    server.putObject(
        s("ipaddresspools"), FakeKubeApiServer::makeIpAddressPool(s("lan-pool"), { s("192.168.1.240-192.168.1.250") }));
    server.putObject(s("ipaddresspools"), FakeKubeApiServer::makeIpAddressPool(s("lan-v6"), { s("fd00:1:2::10/124") }));
    server.putObject(
        s("ipaddresspools"), FakeKubeApiServer::makeIpAddressPool(s("reserved"), { s("192.168.1.200/29") }, false));
    server.putObject(
        s("l2advertisements"), FakeKubeApiServer::makeL2Advertisement(s("lan"), { s("lan-pool"), s("lan-v6") }));

    const QString fromPool = s("metallb.io/ip-allocated-from-pool");
    const auto lb = [&](const char *ns, const char *name, const QStringList &ips, QMap<QString, QString> annotations) {
        if (!ips.isEmpty())
            annotations.insert(fromPool, ips.first().contains(u':') ? s("lan-v6") : s("lan-pool"));
        server.putObject(s("services"), FakeKubeApiServer::makeLoadBalancerService(s(ns), s(name), ips, annotations));
    };
    lb("ingress-nginx", "ingress-nginx-controller", { s("192.168.1.240") }, {});
    lb("openfaas", "gateway-external", { s("192.168.1.241") }, {});
    lb("monitoring", "grafana", { s("192.168.1.242") }, {});
    lb("default", "mqtt-broker", { s("192.168.1.244") }, {});
    lb("home", "pihole-dns-tcp", { s("192.168.1.243") }, { { s("metallb.universe.tf/allow-shared-ip"), s("pihole") } });
    lb("home", "pihole-dns-udp", { s("192.168.1.243") }, { { s("metallb.universe.tf/allow-shared-ip"), s("pihole") } });
    lb("home", "home-assistant-v6", { s("fd00:1:2::11") }, {});
    // Pending: asks for a pool that no longer exists.
    lb("default", "legacy-nas", {}, { { s("metallb.universe.tf/address-pool"), s("reserved-old") } });
    // Set by hand (status patched, or left over from another controller): in no pool.
    server.putObject(s("services"),
        FakeKubeApiServer::makeLoadBalancerService(s("default"), s("old-printer-proxy"), { s("192.168.1.99") }));

    // UDP for the second Pi-hole service, as a real split TCP/UDP pair.
    QJsonObject udp = server.object(s("services"), s("home"), s("pihole-dns-udp"));
    QJsonObject spec = udp.value(s("spec")).toObject();
    spec[s("ports")] = QJsonArray { QJsonObject { { s("name"), s("dns") }, { s("port"), 53 },
        { s("protocol"), s("UDP") }, { s("targetPort"), 53 }, { s("nodePort"), 31053 } } };
    udp[s("spec")] = spec;
    server.putObject(s("services"), udp);
    QJsonObject tcp = server.object(s("services"), s("home"), s("pihole-dns-tcp"));
    spec = tcp.value(s("spec")).toObject();
    spec[s("ports")] = QJsonArray { QJsonObject { { s("name"), s("dns-tcp") }, { s("port"), 53 },
        { s("protocol"), s("TCP") }, { s("targetPort"), 53 }, { s("nodePort"), 31054 } } };
    tcp[s("spec")] = spec;
    server.putObject(s("services"), tcp);

    // Not a load balancer: ignored by MetalLB and by the pane.
    QJsonObject clusterIp = FakeKubeApiServer::makeLoadBalancerService(s("monitoring"), s("prometheus"), {});
    spec = clusterIp.value(s("spec")).toObject();
    spec[s("type")] = s("ClusterIP");
    spec.remove(s("allocateLoadBalancerNodePorts"));
    spec.remove(s("externalTrafficPolicy"));
    QJsonArray ports = spec.value(s("ports")).toArray();
    QJsonObject port = ports.at(0).toObject();
    port.remove(s("nodePort"));
    port[s("port")] = 9090;
    port[s("targetPort")] = 9090;
    spec[s("ports")] = QJsonArray { port };
    clusterIp[s("spec")] = spec;
    clusterIp[s("status")] = QJsonObject { { s("loadBalancer"), QJsonObject {} } };
    server.putObject(s("services"), clusterIp);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"fake-kube-apiserver"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"A fake Kubernetes API server on 127.0.0.1 for tests and benchmarks: nodes, services,\n"
        u"configmaps and MetalLB's metallb.io/v1beta1 ipaddresspools, l2advertisements, bgpadvertisements.\n"
        u"Prints \"READY https://127.0.0.1:PORT KUBECONFIG=PATH\" on stdout once it listens.\n"
        u"Exits on SIGTERM or SIGINT, and when stdin is a pipe that reaches end of file\n"
        u"(so a parent that dies takes it along; a terminal or /dev/null stdin is ignored)."_s);
    parser.addHelpOption();
    const QCommandLineOption portOption(
        u"port"_s, u"Port to listen on; 0 picks a free one (default)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption nodesOption(
        u"nodes"_s, u"Seed N synthetic Raspberry Pi nodes rpi-01... (default 3)."_s, u"N"_s, u"3"_s);
    const QCommandLineOption pkiOption(u"pki-dir"_s,
        u"Directory for ca.crt, server/client certificates and keys, kubeconfig (bearer token) and "
        u"kubeconfig-client-cert. Default: a temporary directory removed at exit."_s,
        u"dir"_s);
    const QCommandLineOption tokenOption(u"token"_s, u"Accepted bearer token (default bramble-test-token)."_s,
        u"token"_s, QString::fromLatin1(FakeKubeApiServer::defaultToken()));
    const QCommandLineOption bookmarkOption(u"bookmark-interval"_s,
        u"Milliseconds between watch BOOKMARKs (default 60000; 0 = none)."_s, u"ms"_s, u"60000"_s);
    const QCommandLineOption historyOption(
        u"history"_s, u"Watch history kept for replay, in events (default 1000)."_s, u"events"_s, u"1000"_s);
    const QCommandLineOption scenarioOption(u"scenario"_s,
        u"\"nodes-demo\": twelve Pis (instead of --nodes) and, from the first watch on, a short story of "
        u"readiness changes, for screenshots of the Nodes pane. \"metallb-demo\": six Pis (instead of --nodes), "
        u"MetalLB pools (one never announced), LoadBalancer services (two sharing an IP, one pending on a "
        u"missing pool, one outside every pool) and a ClusterIP service, for the Load balancers pane."_s,
        u"name"_s);
    const QCommandLineOption lbServicesOption(u"lb-services"_s,
        u"Also serve N LoadBalancer services spread over 20 namespaces, holding addresses of one "
        u"IPAddressPool \"bench\" (10.200.0.0/16, announced by an L2Advertisement); every 50th "
        u"is pending. For benchmarks (default 0)."_s,
        u"N"_s, u"0"_s);
    const QCommandLineOption stepOption(u"step-ms"_s,
        u"With --scenario nodes-demo: milliseconds between story steps (default 700)."_s, u"ms"_s, u"700"_s);
    parser.addOptions({ portOption, nodesOption, pkiOption, tokenOption, bookmarkOption, historyOption, scenarioOption,
        stepOption, lbServicesOption });
    parser.process(app);

    bool portOk = false, nodesOk = false, bookmarkOk = false, historyOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const int nodes = parser.value(nodesOption).toInt(&nodesOk);
    const int bookmarkMs = parser.value(bookmarkOption).toInt(&bookmarkOk);
    const int history = parser.value(historyOption).toInt(&historyOk);
    if (!portOk || port > 65535 || !nodesOk || nodes < 0 || !bookmarkOk || bookmarkMs < 0 || !historyOk || history < 1)
        return fail(u"invalid --port, --nodes, --bookmark-interval or --history"_s);
    const QString scenario = parser.value(scenarioOption);
    bool stepOk = false;
    const int stepMs = parser.value(stepOption).toInt(&stepOk);
    if (!scenario.isEmpty() && scenario != u"nodes-demo" && scenario != u"metallb-demo")
        return fail(u"unknown --scenario \""_s + scenario + u"\"; the ones there are: nodes-demo, metallb-demo"_s);
    if (!stepOk || stepMs < 0)
        return fail(u"invalid --step-ms"_s);
    bool lbOk = false;
    const int lbServices = parser.value(lbServicesOption).toInt(&lbOk);
    if (!lbOk || lbServices < 0 || lbServices > 65000)
        return fail(u"invalid --lb-services (0..65000)"_s);

    std::unique_ptr<QTemporaryDir> temporary;
    QString dir = parser.value(pkiOption);
    if (dir.isEmpty()) {
        temporary = std::make_unique<QTemporaryDir>();
        if (!temporary->isValid())
            return fail(u"cannot create a temporary directory: "_s + temporary->errorString());
        dir = temporary->path();
    }
    dir = QDir(dir).absolutePath();
    QString error;
    const TestPki pki = TestPki::generate(dir, &error);
    if (!pki.isValid())
        return fail(error);

    FakeKubeApiServer server(pki);
    server.setToken(parser.value(tokenOption).toUtf8());
    server.setBookmarkInterval(bookmarkMs);
    server.setHistoryLimit(history);
    if (scenario == u"nodes-demo")
        seedNodesDemo(server);
    else if (scenario == u"metallb-demo")
        seedMetalLBDemo(server);
    else
        server.seedNodes(nodes);
    if (lbServices > 0)
        seedLoadBalancers(server, lbServices);
    if (!server.listen(quint16(port)))
        return fail(u"cannot listen on 127.0.0.1:"_s + QString::number(port) + u": "_s + server.errorString());

    const QString kubeconfig = dir + u"/kubeconfig"_s;
    if (!writeFile(kubeconfig, server.kubeconfigWithToken(parser.value(tokenOption).toUtf8()))
        || !writeFile(dir + u"/kubeconfig-client-cert"_s,
            server.kubeconfigWithClientCertificate(pki.clientCertPem, pki.clientKeyPem)))
        return fail(u"cannot write the kubeconfig files in "_s + dir);

    bool storyStarted = false;
    if (scenario == u"nodes-demo") {
        QObject::connect(&server, &FakeKubeApiServer::watchStarted, &app, [&] {
            if (std::exchange(storyStarted, true))
                return;
            const auto steps = nodesDemoStory();
            for (int i = 0; i < steps.size(); ++i)
                QTimer::singleShot(stepMs * (i + 1), &server, [&server, step = steps.at(i)] { step(server); });
        });
    }

    std::fprintf(stdout, "READY %s KUBECONFIG=%s\n", qPrintable(server.url()), qPrintable(kubeconfig));
    std::fflush(stdout);
    QString stopError;
    const int code = Bramble::Test::runUntilStopped(app, &stopError);
    if (!stopError.isEmpty())
        return fail(stopError);
    return code;
}
