// bramblectl pools: MetalLB address pools. This build has the offline
// linter only ("pools check FILE..."); the cluster view is not built yet.

#include "cli.h"

#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

namespace Bramble::Cli {

namespace {

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

    int errors = 0;
    for (const MetalLB::Issue &i : issues) {
        if (i.severity == MetalLB::Issue::Warning) {
            inv.err << "bramblectl: warning: " << i.toString() << Qt::endl;
        } else {
            inv.err << "bramblectl: " << i.toString() << Qt::endl;
            ++errors;
        }
    }
    if (errors > 0)
        return ExitFailed;
    inv.out << QStringLiteral("%1 pool(s), %2 advertisement(s) in %3 file(s): valid\n")
                   .arg(config.pools.size())
                   .arg(config.advertisements.size())
                   .arg(files.size());
    return ExitOk;
}

int runPools(Invocation &inv)
{
    if (inv.arguments.isEmpty() || inv.arguments.constFirst() != u"check")
        return inv.usage(QStringLiteral("only \"pools check FILE...\" is available in this build; "
                                        "the cluster view (\"pools\" without check) is not implemented yet"));
    return runCheck(inv, inv.arguments.mid(1));
}

} // namespace

Command poolsCommand()
{
    return Command {
        QStringLiteral("pools"),
        QStringLiteral("Validate MetalLB address pool files offline (ConfigMap or metallb.io CRD YAML)."),
        QStringLiteral("pools check FILE..."),
        {},
        runPools,
    };
}

} // namespace Bramble::Cli
