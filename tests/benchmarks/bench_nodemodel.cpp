// Watch events applied to NodeModel with a sorted view attached.
//
//   bench_nodemodel [--nodes N] [--events E] [--batch B] [--flip-every F]
//                   [--paint-ms M] [--target T] [--no-fromjson]
//
// Builds N realistic Raspberry Pi nodes (Node::fromJson of a kubelet-shaped
// object), shows them in a QTableView behind a QSortFilterProxyModel sorted
// by the Status column's SortRole (dynamic sorting on, as the Nodes pane
// does), then applies E MODIFIED events in batches of B, as a watch burst
// delivers them: mostly heartbeats (a new resourceVersion and
// lastHeartbeatTime), and one in F (default 50) flips Ready to NotReady or
// back, which moves the row in the sorted view (a layoutChanged, so a full
// repaint). After a batch, the event loop runs (and the view repaints what
// changed) if M ms have passed since it last ran: the default 16 is a 60 Hz
// display; 0 repaints after every batch. The time measured includes the
// repaints.
//
// Prints JSON figure lines for tests/benchmarks/run.py (bench_nodemodel.py):
//   nodemodel-apply-N[-paint-every-batch]     events/s through applyEvents, proxy and view,
//                                             with target ">= T" (default 50000; 0: none)
//   nodemodel-fromjson-N[-paint-every-batch]  the same, each event also read by Node::fromJson
//                                             (no target: it shows what reading JSON adds)
// and checks the model against the events it sent (exit status 1 if it differs).

#include "kube/node.h"
#include "models/nodemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <cstdio>

using namespace Bramble;

namespace {

struct Options {
    int nodes = 1000;
    int events = 200000;
    int batch = 100;
    int flipEvery = 50;
    int paintMs = 16;
    int target = 50000;
    bool fromJson = true;
};

QJsonObject condition(const char *type, const char *status, const char *reason, const QString &heartbeat)
{
    return QJsonObject { { QStringLiteral("type"), QLatin1String(type) },
        { QStringLiteral("status"), QLatin1String(status) }, { QStringLiteral("reason"), QLatin1String(reason) },
        { QStringLiteral("message"), QStringLiteral("kubelet reports %1").arg(QLatin1String(reason)) },
        { QStringLiteral("lastHeartbeatTime"), heartbeat },
        { QStringLiteral("lastTransitionTime"), QStringLiteral("2024-02-11T10:04:01Z") } };
}

QJsonObject resources(bool allocatable)
{
    return QJsonObject { { QStringLiteral("cpu"), allocatable ? QStringLiteral("3500m") : QStringLiteral("4") },
        { QStringLiteral("memory"), allocatable ? QStringLiteral("7896088Ki") : QStringLiteral("7998488Ki") },
        { QStringLiteral("pods"), QStringLiteral("110") },
        { QStringLiteral("ephemeral-storage"),
            allocatable ? QStringLiteral("27945340170") : QStringLiteral("30322460Ki") },
        { QStringLiteral("hugepages-1Gi"), QStringLiteral("0") },
        { QStringLiteral("hugepages-2Mi"), QStringLiteral("0") },
        { QStringLiteral("hugepages-32Mi"), QStringLiteral("0") },
        { QStringLiteral("hugepages-64Ki"), QStringLiteral("0") } };
}

// Node i as the API server would send it; serial makes resourceVersion and
// the heartbeat unique, ready picks the Ready condition's status.
QJsonObject nodeJson(int i, qint64 serial, bool ready)
{
    const QString name = QStringLiteral("pi-%1").arg(i, 4, 10, QLatin1Char('0'));
    const QString heartbeat
        = QDateTime(QDate(2024, 5, 2), QTime(0, 0), Qt::UTC).addSecs(serial % 86400).toString(Qt::ISODate);
    const QString ip = QStringLiteral("10.%1.%2.%3").arg(i >> 16 & 255).arg(i >> 8 & 255).arg(i & 255);
    QJsonObject labels { { QStringLiteral("kubernetes.io/arch"), QStringLiteral("arm64") },
        { QStringLiteral("kubernetes.io/os"), QStringLiteral("linux") },
        { QStringLiteral("kubernetes.io/hostname"), name },
        { QStringLiteral("beta.kubernetes.io/arch"), QStringLiteral("arm64") },
        { QStringLiteral("beta.kubernetes.io/os"), QStringLiteral("linux") } };
    labels.insert(i % 10 == 0 ? QStringLiteral("node-role.kubernetes.io/control-plane")
                              : QStringLiteral("node-role.kubernetes.io/worker"),
        QString());
    const QJsonObject metadata {
        { QStringLiteral("name"), name },
        { QStringLiteral("uid"), QStringLiteral("00000000-0000-4000-8000-%1").arg(i, 12, 10, QLatin1Char('0')) },
        { QStringLiteral("resourceVersion"), QString::number(1000000 + serial) },
        { QStringLiteral("creationTimestamp"), QStringLiteral("2024-02-11T10:02:51Z") },
        { QStringLiteral("labels"), labels },
        { QStringLiteral("annotations"),
            QJsonObject { { QStringLiteral("kubeadm.alpha.kubernetes.io/cri-socket"),
                              QStringLiteral("unix:///var/run/containerd/containerd.sock") },
                { QStringLiteral("node.alpha.kubernetes.io/ttl"), QStringLiteral("0") },
                { QStringLiteral("flannel.alpha.coreos.com/public-ip"), ip } } },
    };
    const QJsonArray conditions {
        condition("NetworkUnavailable", "False", "FlannelIsUp", QStringLiteral("2024-02-11T10:03:40Z")),
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", heartbeat),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", heartbeat),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", heartbeat),
        condition("Ready", ready ? "True" : "False", ready ? "KubeletReady" : "KubeletNotReady", heartbeat),
    };
    const QJsonObject status {
        { QStringLiteral("conditions"), conditions },
        { QStringLiteral("addresses"),
            QJsonArray { QJsonObject { { QStringLiteral("type"), QStringLiteral("InternalIP") },
                             { QStringLiteral("address"), ip } },
                QJsonObject {
                    { QStringLiteral("type"), QStringLiteral("Hostname") }, { QStringLiteral("address"), name } } } },
        { QStringLiteral("capacity"), resources(false) },
        { QStringLiteral("allocatable"), resources(true) },
        { QStringLiteral("nodeInfo"),
            QJsonObject { { QStringLiteral("architecture"), QStringLiteral("arm64") },
                { QStringLiteral("bootID"), QStringLiteral("9b3e1f2a-54c6-4d7e-8a9b-0c1d2e3f4a5b") },
                { QStringLiteral("containerRuntimeVersion"), QStringLiteral("containerd://1.6.20") },
                { QStringLiteral("kernelVersion"), QStringLiteral("6.1.0-rpi7-rpi-v8") },
                { QStringLiteral("kubeProxyVersion"), QStringLiteral("v1.28.2") },
                { QStringLiteral("kubeletVersion"), QStringLiteral("v1.28.2") },
                { QStringLiteral("operatingSystem"), QStringLiteral("linux") },
                { QStringLiteral("osImage"), QStringLiteral("Debian GNU/Linux 12 (bookworm)") } } },
    };
    return QJsonObject { { QStringLiteral("kind"), QStringLiteral("Node") },
        { QStringLiteral("apiVersion"), QStringLiteral("v1") }, { QStringLiteral("metadata"), metadata },
        { QStringLiteral("spec"), QJsonObject { { QStringLiteral("podCIDR"), QStringLiteral("10.244.0.0/24") } } },
        { QStringLiteral("status"), status } };
}

// The watch stream: which node each event is for and whether it is Ready
// afterwards; the same sequence for both figures.
struct Stream {
    QList<int> node;
    QList<bool> ready;
};

Stream makeStream(const Options &o)
{
    QRandomGenerator rng(42);
    QList<bool> ready(o.nodes, true);
    Stream s;
    s.node.reserve(o.events);
    s.ready.reserve(o.events);
    for (int e = 0; e < o.events; ++e) {
        const int i = int(rng.bounded(o.nodes));
        if (rng.bounded(o.flipEvery) == 0)
            ready[i] = !ready[i];
        s.node.append(i);
        s.ready.append(ready[i]);
    }
    return s;
}

struct Result {
    double eventsPerSecond = 0;
    bool ok = false;
};

// Applies the stream; fromJson decides whether each event is read from JSON
// inside the timed part or taken from nodes prebuilt before it.
Result run(const Options &o, const Stream &stream, bool fromJson)
{
    Models::NodeModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(Models::NodeModel::SortRole);
    proxy.setDynamicSortFilter(true);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(Models::NodeModel::StatusColumn, Qt::AscendingOrder);
    view.horizontalHeader()->setStretchLastSection(true);
    view.resize(1280, 800);
    view.show();

    QList<Kube::Node> initial;
    initial.reserve(o.nodes);
    for (int i = 0; i < o.nodes; ++i)
        initial.append(Kube::Node::fromJson(nodeJson(i, 0, true)));
    model.reset(initial);
    QApplication::processEvents();

    // Prebuilt events: the JSON objects (or their nodes) each event carries,
    // two alternating heartbeats per node and readiness.
    QList<QJsonObject> json[2][2];
    QList<Kube::Node> nodes[2][2];
    for (int ready = 0; ready < 2; ++ready)
        for (int phase = 0; phase < 2; ++phase)
            for (int i = 0; i < o.nodes; ++i) {
                if (fromJson)
                    json[ready][phase].append(nodeJson(i, 1 + phase, ready == 1));
                else
                    nodes[ready][phase].append(Kube::Node::fromJson(nodeJson(i, 1 + phase, ready == 1)));
            }
    QList<int> phaseOf(o.nodes, 0);
    QList<bool> readyOf(o.nodes, true);

    QList<Kube::NodeEvent> batch;
    batch.reserve(o.batch);
    QElapsedTimer timer;
    QElapsedTimer sincePaint;
    sincePaint.start();
    qint64 elapsedNs = 0;
    for (int start = 0; start < o.events; start += o.batch) {
        const int end = std::min(o.events, start + o.batch);
        batch.clear();
        timer.start();
        for (int e = start; e < end; ++e) {
            const int i = stream.node.at(e);
            const int ready = stream.ready.at(e) ? 1 : 0;
            const int phase = phaseOf[i] = 1 - phaseOf[i]; // every event is a real change
            readyOf[i] = ready == 1;
            if (fromJson)
                batch.append({ Kube::WatchEvent::Modified, Kube::Node::fromJson(json[ready][phase].at(i)) });
            else
                batch.append({ Kube::WatchEvent::Modified, nodes[ready][phase].at(i) });
        }
        if (!fromJson)
            elapsedNs -= timer.nsecsElapsed(); // copying prebuilt nodes is not the model's work
        model.applyEvents(batch);
        if (sincePaint.elapsed() >= o.paintMs) {
            QApplication::processEvents();
            sincePaint.restart();
        }
        elapsedNs += timer.nsecsElapsed();
    }
    QApplication::processEvents();

    Result r;
    r.eventsPerSecond = elapsedNs > 0 ? double(o.events) * 1e9 / double(elapsedNs) : 0;
    // The model holds exactly the last state sent for every node.
    r.ok = model.rowCount() == o.nodes && proxy.rowCount() == o.nodes;
    int notReady = 0;
    for (int i = 0; i < o.nodes && r.ok; ++i) {
        const int row = model.rowOf(QStringLiteral("pi-%1").arg(i, 4, 10, QLatin1Char('0')));
        const int ready = readyOf[i] ? 1 : 0;
        const Kube::Node expected
            = fromJson ? Kube::Node::fromJson(json[ready][phaseOf[i]].at(i)) : nodes[ready][phaseOf[i]].at(i);
        r.ok = row >= 0 && model.node(row) == expected;
        notReady += readyOf[i] ? 0 : 1;
    }
    r.ok = r.ok && model.counts().notReady == notReady && model.counts().ready == o.nodes - notReady;
    // Sorted worst first: the NotReady rows lead the view.
    if (r.ok && notReady > 0)
        r.ok = proxy.index(0, 0).data(Models::NodeModel::StatusRole).toInt() == int(Kube::NodeStatus::NotReady);
    return r;
}

bool parseArgs(const QStringList &args, Options *o)
{
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--no-fromjson")) {
            o->fromJson = false;
            continue;
        }
        int *target = a == QLatin1String("--nodes") ? &o->nodes
            : a == QLatin1String("--events")        ? &o->events
            : a == QLatin1String("--batch")         ? &o->batch
            : a == QLatin1String("--flip-every")    ? &o->flipEvery
            : a == QLatin1String("--paint-ms")      ? &o->paintMs
            : a == QLatin1String("--target")        ? &o->target
                                                    : nullptr;
        if (!target || i + 1 >= args.size())
            return false;
        bool ok = false;
        *target = args.at(++i).toInt(&ok);
        if (!ok || *target < (target == &o->paintMs || target == &o->target ? 0 : 1))
            return false;
    }
    return o->nodes <= 9999;
}

void figure(const char *name, const Options &o, double value, int target)
{
    std::printf("{\"name\": \"%s-%d%s\", \"value\": %.0f, \"unit\": \"events/s\"", name, o.nodes,
        o.paintMs == 0 ? "-paint-every-batch" : "", value);
    if (target > 0)
        std::printf(", \"target\": \">= %d\"", target);
    std::printf("}\n");
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    Options o;
    if (!parseArgs(QApplication::arguments(), &o)) {
        std::fprintf(stderr,
            "usage: bench_nodemodel [--nodes N<=9999] [--events E] [--batch B] [--flip-every F] "
            "[--paint-ms M] [--target T] [--no-fromjson]\n");
        return 2;
    }
    const Stream stream = makeStream(o);
    std::fprintf(stderr, "%d nodes, %d MODIFIED events in batches of %d, 1 in %d flips readiness, repaint %s\n",
        o.nodes, o.events, o.batch, o.flipEvery,
        o.paintMs == 0 ? "after every batch" : qPrintable(QStringLiteral("at most every %1 ms").arg(o.paintMs)));

    const Result applied = run(o, stream, false);
    figure("nodemodel-apply", o, applied.eventsPerSecond, o.target);
    std::fflush(stdout);
    const Result parsed = o.fromJson ? run(o, stream, true) : Result { 0, true };
    if (o.fromJson)
        figure("nodemodel-fromjson", o, parsed.eventsPerSecond, 0);
    std::fflush(stdout);
    if (!applied.ok || !parsed.ok) {
        std::fprintf(stderr, "bench_nodemodel: the model does not match the events sent\n");
        return 1;
    }
    return 0;
}
