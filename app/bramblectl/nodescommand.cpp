// bramblectl nodes: list, watch, cordon and uncordon the cluster's nodes.

#include "cli.h"
#include "output.h"
#include "stopsignals.h"
#include "wait.h"

#include "core/jsonwriter.h"
#include "kube/kubeclient.h"
#include "kube/kubelist.h"
#include "kube/nodeservice.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSocketNotifier>

#include <memory>
#include <unistd.h>

namespace Bramble::Cli {

namespace {

using Kube::Node;

QString age(const QDateTime &created, const QDateTime &now)
{
    return created.isValid() ? Kube::humanDuration(created.secsTo(now)) : QStringLiteral("<unknown>");
}

QStringList tableRow(const Node &n, const QDateTime &now)
{
    return { n.name, n.statusText(), n.roles.isEmpty() ? QStringLiteral("<none>") : n.roles.join(u','),
        age(n.creationTimestamp, now), n.kubeletVersion,
        n.internalIP.isEmpty() ? QStringLiteral("<none>") : n.internalIP, n.architecture, n.osImage };
}

const QStringList tableHeaders = { QStringLiteral("NAME"), QStringLiteral("STATUS"), QStringLiteral("ROLES"),
    QStringLiteral("AGE"), QStringLiteral("VERSION"), QStringLiteral("INTERNAL-IP"), QStringLiteral("ARCH"),
    QStringLiteral("OS-IMAGE") };

void printNodes(QTextStream &out, const QList<Node> &nodes)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<QStringList> rows;
    rows.reserve(nodes.size());
    for (const Node &n : nodes)
        rows << tableRow(n, now);
    printTable(out, tableHeaders, rows);
}

int listNodes(Invocation &inv, Kube::KubeClient *client)
{
    // Each page becomes Node values as it arrives, so only one page of JSON
    // is alive at a time (5,000 nodes are about 15 MB of it).
    Kube::KubeList *list = Kube::KubeList::start(client, QString::fromUtf16(Kube::nodesPath));
    list->setCollectItems(false);
    QList<Node> nodes;
    QObject::connect(list, &Kube::KubeList::pageReceived, list, [&](const QList<QJsonObject> &items) {
        for (const QJsonObject &o : items) {
            QString problem;
            Node n = Node::fromJson(o, &problem);
            if (!n.isValid()) {
                inv.err << "bramblectl: warning: skipping an item that is not a node: " << problem << Qt::endl;
                continue;
            }
            nodes.append(std::move(n));
        }
    });
    QObject::connect(list, &Kube::KubeList::restarted, list, [&] { nodes.clear(); });
    const std::unique_ptr<Kube::KubeList> done = waitFor(list);
    if (!done->ok())
        return inv.fail(done->error().toString());
    std::sort(nodes.begin(), nodes.end(), [](const Node &a, const Node &b) { return a.name < b.name; });

    if (inv.global.json) {
        Core::JsonWriter w(4);
        w.beginArray();
        for (const Node &n : std::as_const(nodes))
            n.writeJson(w);
        w.endArray();
        printBytes(inv.out, w.take() + '\n');
        return ExitOk;
    }
    if (nodes.isEmpty()) {
        inv.out << "No nodes in context " << client->connection().contextName << ".\n";
        inv.out.flush();
        return ExitOk;
    }
    printNodes(inv.out, nodes);
    inv.out.flush();
    return ExitOk;
}

int watchNodes(Invocation &inv, Kube::KubeClient *client)
{
    Kube::NodeWatcher watcher(client);
    QMap<QString, Node> current; // for the live table
    const bool tty = !inv.global.json && ::isatty(STDOUT_FILENO);
    QEventLoop loop;

    QObject::connect(&watcher, &Kube::NodeWatcher::nodeEvents, &loop, [&](const Kube::NodeEvents &events) {
        if (inv.global.json) {
            Core::JsonWriter w; // JSON Lines: one event a line
            for (const Kube::NodeEvent &e : events) {
                w.beginObject();
                w.field(u"type", Kube::WatchEvent::typeName(e.type));
                w.key(u"node");
                e.node.writeJson(w);
                w.endObject();
                printBytes(inv.out, w.take() + '\n');
            }
            return;
        }
        for (const Kube::NodeEvent &e : events) {
            if (e.type == Kube::WatchEvent::Deleted)
                current.remove(e.node.name);
            else
                current.insert(e.node.name, e.node);
        }
        if (tty) {
            inv.out << "\x1b[H\x1b[2J"; // home, clear: a live table
            printNodes(inv.out, current.values());
        } else {
            // Not a terminal: one row per change, kubectl --watch style.
            const QDateTime now = QDateTime::currentDateTimeUtc();
            QList<QStringList> rows;
            for (const Kube::NodeEvent &e : events)
                rows << QStringList { Kube::WatchEvent::typeName(e.type) } + tableRow(e.node, now);
            printTable(inv.out, QStringList { QStringLiteral("EVENT") } + tableHeaders, rows);
        }
        inv.out.flush();
    });
    QObject::connect(&watcher, &Kube::NodeWatcher::statusChanged, &loop, [&](const Kube::ConnectionStatus &s) {
        // Scripts read stdout; people see the connection on stderr.
        if (s.state == Kube::ConnectionStatus::Reconnecting || s.state == Kube::ConnectionStatus::Failed)
            inv.err << "bramblectl: " << Kube::ConnectionStatus::stateName(s.state) << ": " << s.reason << Qt::endl;
        else if (s.state == Kube::ConnectionStatus::Live && inv.global.verbose)
            inv.err << "bramblectl: live" << Qt::endl;
    });

    // SIGINT / SIGTERM end the watch cleanly, with exit 0 (it was asked for).
    StopSignals stop;
    if (!stop.isValid())
        return inv.fail(QStringLiteral("cannot create a pipe for signals"));
    QObject::connect(stop.notifier(), &QSocketNotifier::activated, &loop, &QEventLoop::quit);

    watcher.start();
    loop.exec();
    watcher.stop();
    return ExitOk;
}

int cordonNode(Invocation &inv, Kube::KubeClient *client, const QString &name, bool cordon)
{
    const std::unique_ptr<Kube::CordonJob> job = waitFor(Kube::CordonJob::start(client, name, cordon));
    const Kube::CordonJob::Outcome outcome = job->outcome();
    const QString error = job->errorString();
    const QString verb = cordon ? QStringLiteral("cordoned") : QStringLiteral("uncordoned");
    switch (outcome) {
    case Kube::CordonJob::Outcome::Changed:
        inv.out << "node/" << name << ' ' << verb << '\n';
        break;
    case Kube::CordonJob::Outcome::AlreadyDone:
        inv.out << "node/" << name << " already " << verb << '\n';
        break;
    case Kube::CordonJob::Outcome::Failed:
    case Kube::CordonJob::Outcome::Cancelled:
        return inv.fail(error);
    }
    inv.out.flush();
    return ExitOk;
}

int runNodes(Invocation &inv)
{
    const bool watch = inv.parser->isSet(QStringLiteral("watch"));
    const QString sub = inv.arguments.value(0);
    if (!sub.isEmpty() && sub != u"cordon" && sub != u"uncordon")
        return inv.usage(QStringLiteral("nodes: unknown subcommand \"%1\"; try 'nodes', 'nodes cordon NAME' or "
                                        "'nodes uncordon NAME'")
                             .arg(sub));
    if (!sub.isEmpty()) {
        if (inv.arguments.size() != 2)
            return inv.usage(QStringLiteral("nodes %1 takes exactly one node name").arg(sub));
        if (watch)
            return inv.usage(QStringLiteral("--watch does not go with nodes %1").arg(sub));
    }
    std::unique_ptr<Kube::KubeClient> client = openKubeClient(inv);
    if (!client)
        return ExitFailed;
    if (!sub.isEmpty())
        return cordonNode(inv, client.get(), inv.arguments.at(1), sub == u"cordon");
    return watch ? watchNodes(inv, client.get()) : listNodes(inv, client.get());
}

} // namespace

Command nodesCommand()
{
    Command c;
    c.name = QStringLiteral("nodes");
    c.summary = QStringLiteral("List, watch, cordon or uncordon the cluster's nodes.");
    c.synopsis = QStringLiteral("nodes [--watch] [--kubeconfig F] [--context C] [--json]\n"
                                "       bramblectl nodes cordon NAME | uncordon NAME");
    c.options = { QCommandLineOption(QStringList { QStringLiteral("w"), QStringLiteral("watch") },
        QStringLiteral("Keep running: print each change (with --json, one JSON object a line).")) };
    c.run = runNodes;
    return c;
}

} // namespace Bramble::Cli
