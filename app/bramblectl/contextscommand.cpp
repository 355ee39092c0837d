// bramblectl contexts: the kube contexts and AWS profiles Bramble would offer.

#include "cli.h"
#include "output.h"

#include "aws/awsconfig.h"
#include "kube/kubeconfigloader.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Bramble::Cli {

namespace {

int runContexts(Invocation &inv)
{
    if (!inv.arguments.isEmpty())
        return inv.usage(QStringLiteral("contexts takes no arguments"));

    const Kube::KubeconfigLoadResult kube = Kube::KubeconfigLoader::load(inv.env, inv.global.kubeconfig);
    const Aws::AwsConfigLoadResult aws = Aws::AwsConfigLoader::load(inv.env);
    if (!kube.ok() || !aws.ok()) {
        for (const Core::Error &e : kube.errors + aws.errors)
            inv.err << "bramblectl: " << e.toString() << Qt::endl;
        return ExitFailed;
    }
    if (inv.global.verbose)
        for (const Core::Error &w : kube.warnings)
            inv.err << "bramblectl: warning: " << w.toString() << Qt::endl;

    const QString currentContext = inv.global.context.isEmpty() ? kube.config.currentContext : inv.global.context;
    if (!inv.global.context.isEmpty() && !kube.config.context(inv.global.context))
        return inv.fail(QStringLiteral("context \"%1\" not found in %2")
                            .arg(inv.global.context, kube.config.files.join(QStringLiteral(", "))));
    const QString currentProfile = Aws::AwsConfigLoader::selectedProfile(inv.env, inv.global.profile);

    if (inv.global.json) {
        QJsonArray contexts;
        for (const Kube::KubeContext &c : kube.config.contexts)
            contexts.append(QJsonObject {
                { QStringLiteral("name"), c.name },
                { QStringLiteral("cluster"), c.cluster },
                { QStringLiteral("user"), c.user },
                { QStringLiteral("namespace"), c.namespace_ },
                { QStringLiteral("current"), c.name == currentContext },
            });
        QJsonArray profiles;
        for (const Aws::AwsProfile &p : aws.config.profiles)
            profiles.append(QJsonObject {
                { QStringLiteral("name"), p.name },
                { QStringLiteral("region"), p.region },
                { QStringLiteral("sourceFile"), p.sourceFile },
                { QStringLiteral("current"), p.name == currentProfile },
            });
        printJson(inv.out,
            QJsonObject {
                { QStringLiteral("kubeconfigFiles"), QJsonArray::fromStringList(kube.config.files) },
                { QStringLiteral("currentContext"), currentContext },
                { QStringLiteral("contexts"), contexts },
                { QStringLiteral("awsConfigFile"), aws.config.configFile },
                { QStringLiteral("awsCredentialsFile"), aws.config.credentialsFile },
                { QStringLiteral("currentProfile"), currentProfile },
                { QStringLiteral("profiles"), profiles },
            });
        return ExitOk;
    }

    QList<QStringList> rows;
    for (const Kube::KubeContext &c : kube.config.contexts)
        rows << QStringList { c.name == currentContext ? QStringLiteral("*") : QString(), c.name, c.cluster, c.user,
            c.namespace_ };
    if (rows.isEmpty())
        inv.out << "No Kubernetes contexts in " << kube.config.files.join(QStringLiteral(", ")) << ".\n";
    else
        printTable(inv.out,
            { QStringLiteral("CURRENT"), QStringLiteral("NAME"), QStringLiteral("CLUSTER"), QStringLiteral("AUTHINFO"),
                QStringLiteral("NAMESPACE") },
            rows);
    inv.out << '\n';
    rows.clear();
    for (const Aws::AwsProfile &p : aws.config.profiles)
        rows << QStringList { p.name == currentProfile ? QStringLiteral("*") : QString(), p.name, p.region,
            p.sourceFile };
    if (rows.isEmpty())
        inv.out << "No AWS profiles in " << aws.config.configFile << " or " << aws.config.credentialsFile << ".\n";
    else
        printTable(inv.out,
            { QStringLiteral("CURRENT"), QStringLiteral("PROFILE"), QStringLiteral("REGION"),
                QStringLiteral("SOURCE") },
            rows);
    inv.out.flush();
    return ExitOk;
}

} // namespace

Command contextsCommand()
{
    Command c;
    c.name = QStringLiteral("contexts");
    c.summary
        = QStringLiteral("List Kubernetes contexts (from the kubeconfig) and AWS profiles (from the shared files).");
    c.synopsis = QStringLiteral("contexts [--kubeconfig FILE] [--json]");
    c.run = runContexts;
    return c;
}

} // namespace Bramble::Cli
