// bramblectl pools: MetalLB address pools: what the cluster's pools hold
// ("pools"), an offline linter ("pools check FILE..."), applying pool files
// after a server-side dry run ("pools apply FILE [--dry-run]") and the CRD
// equivalent of a legacy ConfigMap ("pools migrate [FILE]").

#include "cli.h"
#include "output.h"
#include "wait.h"

#include "core/boundedfile.h"
#include "kube/kubeclient.h"
#include "metallb/allocation.h"
#include "metallb/poolapply.h"
#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"
#include "metallb/poolwatcher.h"

#include <QCommandLineParser>
#include <QEventLoop>

#include <functional>

namespace Bramble::Cli {

using namespace Qt::StringLiterals;

namespace {

// One issue per line on stderr; returns how many are errors.
int printIssues(const Invocation &inv, const MetalLB::Issues &issues)
{
    int errors = 0;
    for (const MetalLB::Issue &i : issues) {
        const bool warning = i.severity == MetalLB::Issue::Warning;
        inv.err << (warning ? "bramblectl: warning: " : "bramblectl: ") << i.toString() << Qt::endl;
        errors += warning ? 0 : 1;
    }
    return errors;
}

int runCheck(Invocation &inv, const QStringList &files)
{
    if (files.isEmpty())
        return inv.usage(QStringLiteral("pools check needs at least one FILE"));

    // Files are checked together: pools in one file may overlap pools in another.
    MetalLB::PoolConfig config;
    MetalLB::Issues issues;
    for (const QString &file : files) {
        const MetalLB::PoolConfigReadResult read = MetalLB::PoolConfigReader::readFile(file);
        config.append(read.config);
        issues += read.issues;
    }
    issues += MetalLB::PoolValidator::validate(config);

    if (printIssues(inv, issues) > 0)
        return ExitFailed;
    inv.out << QStringLiteral("%1 pool(s), %2 advertisement(s) in %3 file(s): valid\n")
                   .arg(config.pools.size())
                   .arg(config.advertisements.size())
                   .arg(files.size());
    return ExitOk;
}

// Reads everything once for the context: waits for every watch's first
// list, or for the first failure (the watcher would retry for ever; a
// command should not). Calls use() with what was read; ExitFailed after
// saying why when the cluster could not be read.
int readCluster(Invocation &inv, const std::function<int(const MetalLB::PoolWatcher &, const QString &context)> &use)
{
    std::unique_ptr<Kube::KubeClient> client = openKubeClient(inv);
    if (!client)
        return ExitFailed;
    MetalLB::PoolWatcher watcher(client.get());
    watcher.setBatchIntervalMs(0);
    QString failure;
    QEventLoop loop;
    QObject::connect(&watcher, &MetalLB::PoolWatcher::synced, &loop, &QEventLoop::quit);
    QObject::connect(&watcher, &MetalLB::PoolWatcher::statusChanged, &loop, [&](const Kube::ConnectionStatus &s) {
        if (s.state == Kube::ConnectionStatus::Failed || s.state == Kube::ConnectionStatus::Reconnecting) {
            failure = s.reason;
            loop.quit();
        }
    });
    watcher.start();
    loop.exec();
    watcher.stop();
    if (!failure.isEmpty() || !watcher.isSynced())
        return inv.fail(failure.isEmpty() ? QStringLiteral("the cluster could not be read") : failure);
    return use(watcher, client->connection().contextName);
}

void printReport(Invocation &inv, const MetalLB::AllocationReport &report, const QString &context)
{
    if (report.pools.isEmpty()) {
        inv.out << "No MetalLB address pools in context " << context << ".\n";
    } else {
        QList<QStringList> rows;
        for (const MetalLB::PoolUsage &p : report.pools) {
            rows << QStringList { p.name, p.source == MetalLB::PoolSource::Crd ? u"crd"_s : u"configmap"_s, p.protocol,
                p.addresses.join(u','), p.used.toString(), p.free.toString(), p.total.toString(),
                p.autoAssign ? u"yes"_s : u"no"_s };
        }
        printTable(inv.out,
            { u"NAME"_s, u"SOURCE"_s, u"PROTOCOL"_s, u"ADDRESSES"_s, u"USED"_s, u"FREE"_s, u"TOTAL"_s,
                u"AUTO-ASSIGN"_s },
            rows);
    }
    if (!report.services.isEmpty()) {
        inv.out << "\n";
        QList<QStringList> rows;
        for (const MetalLB::ServiceState &s : report.services) {
            rows << QStringList { s.namespace_, s.name, s.ips.isEmpty() ? u"<pending>"_s : s.ips.join(u','),
                s.pool.isEmpty() ? u"-"_s : s.pool, MetalLB::ServiceState::stateName(s.state), s.reason };
        }
        printTable(inv.out, { u"NAMESPACE"_s, u"SERVICE"_s, u"IPS"_s, u"POOL"_s, u"STATE"_s, u"REASON"_s }, rows);
    }
    if (!report.problems.isEmpty()) {
        inv.out << "\n";
        QList<QStringList> rows;
        for (const MetalLB::Problem &p : report.problems)
            rows << QStringList { MetalLB::Problem::severityName(p.severity), p.code, p.subject, p.message };
        printTable(inv.out, { u"SEVERITY"_s, u"PROBLEM"_s, u"SUBJECT"_s, u"MESSAGE"_s }, rows);
    }
    inv.out.flush();
}

int runList(Invocation &inv)
{
    return readCluster(inv, [&inv](const MetalLB::PoolWatcher &watcher, const QString &context) {
        if (inv.global.json)
            printJson(inv.out, watcher.report().toJson());
        else
            printReport(inv, watcher.report(), context);
        return ExitOk;
    });
}

int runApply(Invocation &inv, const QStringList &files)
{
    if (files.size() != 1)
        return inv.usage(QStringLiteral("pools apply needs exactly one FILE"));
    const QString file = files.constFirst();
    const Core::Result<QByteArray> bytes = Core::readBoundedFile(file, Core::FileLimit::Definition);
    if (!bytes.ok())
        return inv.fail(bytes.error().toString());
    const QByteArray &yaml = bytes.value();

    // The file on its own must be valid before the server sees it; what it
    // conflicts with in the cluster is the server's (MetalLB's webhook) call.
    const MetalLB::PoolConfigReadResult read = MetalLB::PoolConfigReader::readYaml(yaml, file);
    if (printIssues(inv, read.issues + MetalLB::PoolValidator::validate(read.config)) > 0)
        return ExitFailed;
    QString error;
    const QList<QJsonObject> objects = MetalLB::readApplyObjects(yaml, file, &error);
    if (objects.isEmpty())
        return inv.fail(error);

    std::unique_ptr<Kube::KubeClient> client = openKubeClient(inv);
    if (!client)
        return ExitFailed;
    const bool dryRun = inv.parser->isSet(QStringLiteral("dry-run"));
    const std::unique_ptr<MetalLB::PoolApplyJob> job
        = waitFor(MetalLB::PoolApplyJob::start(client.get(), objects, dryRun));
    const QList<MetalLB::ApplyResult> results = job->results();
    bool ok = results.size() == objects.size();
    for (const MetalLB::ApplyResult &r : std::as_const(results)) {
        if (r.ok) {
            inv.out << r.toString(dryRun) << "\n";
        } else {
            inv.err << "bramblectl: " << r.toString(dryRun) << Qt::endl;
            ok = false;
        }
    }
    inv.out.flush();
    return ok ? ExitOk : ExitFailed;
}

int runMigrate(Invocation &inv, const QStringList &files)
{
    if (files.size() > 1)
        return inv.usage(QStringLiteral("pools migrate takes at most one FILE"));
    MetalLB::PoolConfig config;
    if (files.isEmpty()) {
        const int read = readCluster(inv, [&config](const MetalLB::PoolWatcher &watcher, const QString &) {
            config = watcher.config();
            return ExitOk;
        });
        if (read != ExitOk)
            return read;
    } else {
        const MetalLB::PoolConfigReadResult read = MetalLB::PoolConfigReader::readFile(files.constFirst());
        if (printIssues(inv, read.issues) > 0)
            return ExitFailed;
        config = read.config;
    }
    const QByteArray yaml = MetalLB::migrationYaml(config);
    if (yaml.isEmpty())
        return inv.fail(QStringLiteral("no legacy ConfigMap pools to migrate"));
    printBytes(inv.out, yaml);
    return ExitOk;
}

int runPools(Invocation &inv)
{
    const QString sub = inv.arguments.value(0);
    if (sub.isEmpty())
        return runList(inv);
    if (sub == u"check")
        return runCheck(inv, inv.arguments.mid(1));
    if (sub == u"apply")
        return runApply(inv, inv.arguments.mid(1));
    if (sub == u"migrate")
        return runMigrate(inv, inv.arguments.mid(1));
    return inv.usage(
        QStringLiteral("unknown pools command \"%1\"; try pools, pools check, pools apply or pools migrate").arg(sub));
}

} // namespace

Command poolsCommand()
{
    Command c;
    c.name = QStringLiteral("pools");
    c.summary = QStringLiteral("MetalLB address pools: usage and problems, offline checks, apply, migration to CRDs.");
    c.synopsis = QStringLiteral("pools [--json]\n"
                                "       bramblectl pools check FILE...\n"
                                "       bramblectl pools apply FILE [--dry-run]\n"
                                "       bramblectl pools migrate [FILE]");
    c.options = { QCommandLineOption(QStringLiteral("dry-run"),
        QStringLiteral("With apply: a server-side dry run (admission webhooks run, nothing is stored).")) };
    c.run = runPools;
    return c;
}

} // namespace Bramble::Cli
