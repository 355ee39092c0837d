#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Bramble::Test {

// How a run of a built program ended.
struct CliRun {
    int exitCode = -1; // -1: crashed, or killed after the timeout
    QByteArray out;
    QByteArray err;

    QJsonArray array() const; // stdout as a JSON array (empty if it is not one)
    QJsonObject object() const; // stdout as a JSON object (empty if it is not one)
    // "exit 1, stderr: ..." for failure messages.
    QString describe() const;
};

// The first object of `array` whose "name" is `name`; empty if none. For
// bramblectl's JSON listings (nodes, pools, services...).
QJsonObject objectNamed(const QJsonArray &array, const QString &name);

// Runs build/bin/bramblectl with exactly `env` (nothing is inherited) while
// the event loop keeps running, so fakes served by the test's own thread
// answer it; killed after `timeoutMs`.
CliRun runBramblectl(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 60000);

} // namespace Bramble::Test
