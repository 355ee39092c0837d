// bramblectl pools check: the offline MetalLB linter as users script it.
// The cluster commands are in tst_bramblectl_poolscluster.

#include "support/clirun.h"
#include "support/testpaths.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

namespace {

using Run = Test::CliRun;

} // namespace

class TestBramblectlPools : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString file(const QString &name) const { return m_dir.filePath(name); }

    Run run(const QStringList &args) const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), file(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        return Test::runBramblectl(args, env);
    }

    static QByteArray pool(const char *name, const char *addresses)
    {
        return "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: " + QByteArray(name)
            + "\n  namespace: metallb-system\nspec:\n  addresses:\n" + QByteArray(addresses);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(Test::bramblectlPath()));
    }

    void validFilesExitZero()
    {
        const Run r = run(
            { QStringLiteral("pools"), QStringLiteral("check"), Test::testData(QStringLiteral("metallb/crds.yaml")),
                Test::testData(QStringLiteral("metallb/legacy-configmap.yaml")) });
        // The two files hold the same addresses under both forms: checked together, they overlap.
        QCOMPARE(r.exitCode, 1);
        const Run one = run(
            { QStringLiteral("pools"), QStringLiteral("check"), Test::testData(QStringLiteral("metallb/crds.yaml")) });
        QCOMPARE(one.exitCode, 0);
        QVERIFY2(one.err.isEmpty(), one.err.constData());
        QVERIFY(one.out.contains("2 pool(s), 2 advertisement(s) in 1 file(s): valid"));
    }

    void warningsDoNotFail()
    {
        const QString path = Test::writeFile(file(QStringLiteral("warn.yaml")), pool("lan", "  - 10.0.0.7/24\n"));
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), path });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err,
            QByteArray("bramblectl: warning: " + path.toUtf8()
                + ":8: document 1: pool \"lan\": entry \"10.0.0.7/24\": host bits set: MetalLB uses 10.0.0.0/24\n"));
    }

    void invalidFileOneErrorPerLine()
    {
        const QString path = Test::writeFile(file(QStringLiteral("bad.yaml")),
            pool("a", "  - 10.0.0.0/24\n  - 10.0.1.9-10.0.1.1\n") + "---\n" + pool("b", "  - 10.0.0.128 - 10.0.0.130\n")
                + "---\n" + "kind: [oops\n");
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), path });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QByteArray p = path.toUtf8();
        QCOMPARE(
            lines.at(0), "bramblectl: " + p + ":20: document 3: YAML does not parse: end of sequence flow not found");
        QCOMPARE(lines.at(1),
            "bramblectl: " + p
                + ":9: document 1: pool \"a\": entry \"10.0.1.9-10.0.1.1\": "
                  "invalid IP range: start IP 10.0.1.9 is after the end IP 10.0.1.1");
        QVERIFY2(lines.at(2).startsWith(QByteArray("bramblectl: " + p
                     + ":18: document 2: pool \"b\": entry \"10.0.0.128 - 10.0.0.130\": "
                       "overlaps entry \"10.0.0.0/24\" of pool \"a\"")),
            lines.at(2).constData());
    }

    void filesAreCheckedTogether()
    {
        const QString a = Test::writeFile(file(QStringLiteral("a.yaml")), pool("a", "  - fd00::/64\n"));
        const QString b = Test::writeFile(file(QStringLiteral("b.yaml")), pool("a", "  - fd00:1::/64\n"));
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), a, b });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(QByteArray(b.toUtf8() + ":1: document 1: pool \"a\": duplicate definition of pool \"a\"")),
            r.err.constData());
    }

    void missingFile()
    {
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), file(QStringLiteral("nope.yaml")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("nope.yaml: cannot read"));
    }

    // A device, a FIFO or a huge file is refused at once with one line naming it.
    void deviceIsRefusedFast()
    {
        QElapsedTimer clock;
        clock.start();
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), QStringLiteral("/dev/zero") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("/dev/zero"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(clock.elapsed() < 10000, "took too long");
    }

    // N copies of one CIDR overlap N-1 times, not N(N-1)/2, and are capped.
    void duplicateEntriesAreLinearAndCapped()
    {
        QByteArray addresses;
        for (int i = 0; i < 10000; ++i)
            addresses += "  - 10.0.0.0/24\n";
        const QString path = file(QStringLiteral("dupes.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(pool("a", addresses.constData()));
        f.close();
        QElapsedTimer clock;
        clock.start();
        const Run r = run({ QStringLiteral("pools"), QStringLiteral("check"), path });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.count('\n') <= 14, r.err.left(2000).constData());
        QVERIFY2(r.err.contains("and 9,989 more overlapping entries"), r.err.left(2000).constData());
        QVERIFY2(clock.elapsed() < 20000, "took too long");
    }

    void usageErrors()
    {
        const Run noFiles = run({ QStringLiteral("pools"), QStringLiteral("check") });
        QCOMPARE(noFiles.exitCode, 2);
        QVERIFY(noFiles.err.contains("at least one FILE"));
        const Run unknown = run({ QStringLiteral("pools"), QStringLiteral("frobnicate") });
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown pools command"), unknown.err.constData());
        const Run other = run({ QStringLiteral("pools"), QStringLiteral("apply") });
        QCOMPARE(other.exitCode, 2);
    }

    void listedInHelp()
    {
        const Run r = run({ QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("pools"));
    }
};

QTEST_GUILESS_MAIN(TestBramblectlPools)
#include "tst_bramblectl_pools.moc"
