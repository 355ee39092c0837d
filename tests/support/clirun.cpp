#include "support/clirun.h"

#include "support/testpaths.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>

namespace Bramble::Test {

QJsonArray CliRun::array() const
{
    return QJsonDocument::fromJson(out).array();
}

QJsonObject CliRun::object() const
{
    return QJsonDocument::fromJson(out).object();
}

QJsonObject objectNamed(const QJsonArray &array, const QString &name)
{
    for (const QJsonValue &v : array) {
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

QString CliRun::describe() const
{
    return QStringLiteral("exit %1, stderr: %2").arg(exitCode).arg(QString::fromUtf8(err));
}

CliRun runBramblectl(const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(bramblectlPath(), args);
    if (!finished.wait(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

} // namespace Bramble::Test
