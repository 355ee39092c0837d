// Bad input never crashes the readers: thousands of mutated and truncated
// variants of real files, from a fixed seed so a failure reproduces.

#include "metallb/allocation.h"
#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include "support/testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Bramble;
using namespace Bramble::MetalLB;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Characters that matter to YAML and to address parsing.
const char kInteresting[] = "-:/.,[]{}#&*!|>'\"%@` \t\n0129afF";

QByteArray mutate(QByteArray in, QRandomGenerator &rng)
{
    const int edits = 1 + int(rng.bounded(8));
    for (int e = 0; e < edits; ++e) {
        if (in.isEmpty())
            in = "a";
        const qsizetype pos = rng.bounded(int(in.size()));
        switch (rng.bounded(7)) {
        case 0: // truncate
            in.truncate(pos);
            break;
        case 1: // flip a byte
            in[pos] = char(rng.bounded(256));
            break;
        case 2: // insert an interesting character
            in.insert(pos, kInteresting[rng.bounded(int(sizeof kInteresting - 1))]);
            break;
        case 3: // delete a run
            in.remove(pos, 1 + rng.bounded(16));
            break;
        case 4: { // duplicate a run (repeats keys, documents, list items)
            const qsizetype len = 1 + rng.bounded(64);
            in.insert(pos, in.mid(pos, len));
            break;
        }
        case 5: // a document separator somewhere
            in.insert(pos, "\n---\n");
            break;
        default: // swap an address for a nasty one
            in.insert(pos,
                QByteArrayList { "::/0", "0.0.0.0/0", "1.2.3.4-::1", "ffff::-::", "255.255.255.255/32",
                    "::ffff:1.2.3.4/200", "9-9", "10.0.0.0/24-", " - " }
                    .at(rng.bounded(9)));
            break;
        }
    }
    return in;
}

// One line for people: names the file, no line break, bounded.
bool isGoodIssue(const Issue &issue, const QString &file)
{
    const QString text = issue.toString();
    return !issue.message.isEmpty() && issue.where.file == file && issue.where.line >= 0 && text.startsWith(file + u':')
        && !text.contains(u'\n') && !text.contains(u'\r') && text.size() <= 2000;
}

// What a run of rounds reached; every issue must say something and name its source.
struct Tally {
    int withErrors = 0;
    int withPools = 0;

    bool check(const PoolConfigReadResult &r, const Issues &validation, const QString &file)
    {
        for (const Issue &issue : r.issues + validation)
            if (!isGoodIssue(issue, file)) {
                qWarning("bad issue: %s", qPrintable(issue.toString()));
                return false;
            }
        withErrors += r.ok() ? 0 : 1;
        withPools += r.config.pools.isEmpty() ? 0 : 1;
        return true;
    }
    // The mutations reach both outcomes, so the loop tested something.
    bool reachedBoth(int rounds) const { return withErrors > rounds / 20 && withPools > rounds / 4; }
};

const QStringList kKeys { QStringLiteral("apiVersion"), QStringLiteral("kind"), QStringLiteral("metadata"),
    QStringLiteral("spec"), QStringLiteral("data"), QStringLiteral("config"), QStringLiteral("addresses"),
    QStringLiteral("labels"), QStringLiteral("ipAddressPools"), QStringLiteral("ipAddressPoolSelectors"),
    QStringLiteral("matchLabels"), QStringLiteral("matchExpressions"), QStringLiteral("operator"),
    QStringLiteral("values"), QStringLiteral("autoAssign"), QStringLiteral("aggregationLength"),
    QStringLiteral("items"), QStringLiteral("name"), QStringLiteral("namespace") };

const QStringList kStrings { QStringLiteral("ConfigMap"), QStringLiteral("IPAddressPool"),
    QStringLiteral("L2Advertisement"), QStringLiteral("BGPAdvertisement"), QStringLiteral("List"), QStringLiteral("v1"),
    QStringLiteral("metallb.io/v1beta1"), QStringLiteral("metallb-system"), QStringLiteral("config"),
    QStringLiteral("10.0.0.0/24"), QStringLiteral("::/0"), QStringLiteral("1.2.3.4-::1"), QStringLiteral("In"),
    QStringLiteral("- \"[{&*!|>"), QStringLiteral("\u0000\t\n"), QString(QChar(0xfeff)), QString() };

QJsonValue randomJson(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 3 ? 5 : 7)) {
    case 0:
        return QJsonValue();
    case 1:
        return rng.bounded(2) == 1;
    case 2:
        return double(int(rng.bounded(100000)) - 50000) / (rng.bounded(2) ? 1 : 7);
    case 3:
    case 4:
        return kStrings.at(rng.bounded(int(kStrings.size())));
    case 5: {
        QJsonArray a;
        for (int n = int(rng.bounded(4)); n > 0; --n)
            a << randomJson(rng, depth + 1);
        return a;
    }
    default: {
        QJsonObject o;
        for (int n = int(rng.bounded(4)); n > 0; --n)
            o.insert(kKeys.at(rng.bounded(int(kKeys.size()))), randomJson(rng, depth + 1));
        return o;
    }
    }
}

// Replaces, drops and adds values anywhere in the tree; a string may be
// mutated as bytes (data.config is YAML inside JSON).
QJsonValue mutateJson(const QJsonValue &v, QRandomGenerator &rng, int depth = 0)
{
    if (rng.bounded(12) == 0)
        return randomJson(rng, depth);
    if (v.isString() && rng.bounded(4) == 0)
        return QString::fromUtf8(mutate(v.toString().toUtf8(), rng));
    if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (const QString &key : o.keys()) {
            if (rng.bounded(16) == 0)
                o.remove(key);
            else
                o.insert(key, mutateJson(o.value(key), rng, depth + 1));
        }
        if (rng.bounded(8) == 0)
            o.insert(kKeys.at(rng.bounded(int(kKeys.size()))), randomJson(rng, depth + 1));
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = mutateJson(a.at(i), rng, depth + 1);
        if (rng.bounded(8) == 0)
            a << randomJson(rng, depth + 1);
        return a;
    }
    return v;
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}

} // namespace

class TestPoolConfigFuzz : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mutatedInputsNeverCrash()
    {
        QList<QByteArray> seeds;
        for (const char *name : { "metallb/legacy-configmap.yaml", "metallb/crds.yaml", "metallb/invalid.yaml" }) {
            seeds << readAll(Test::testData(QString::fromLatin1(name)));
            QVERIFY(!seeds.constLast().isEmpty());
        }
        QRandomGenerator rng(20261123);
        Tally tally;
        const int rounds = 4000;
        for (int i = 0; i < rounds; ++i) {
            const QByteArray input = mutate(seeds.at(i % seeds.size()), rng);
            const PoolConfigReadResult r = PoolConfigReader::readYaml(input, QStringLiteral("fuzz.yaml"));
            QVERIFY2(tally.check(r, PoolValidator::validate(r.config), QStringLiteral("fuzz.yaml")), input.constData());
        }
        // The mutations reach both outcomes, so the loop tested something.
        QVERIFY(tally.reachedBoth(rounds));
    }

    void truncatedAtEveryByte()
    {
        const QByteArray seed = readAll(Test::testData(QStringLiteral("metallb/legacy-configmap.yaml")));
        QVERIFY(!seed.isEmpty());
        Tally tally;
        for (qsizetype n = 0; n <= seed.size(); ++n) {
            const PoolConfigReadResult r = PoolConfigReader::readYaml(seed.left(n), QStringLiteral("t.yaml"));
            QVERIFY2(tally.check(r, PoolValidator::validate(r.config), QStringLiteral("t.yaml")),
                qPrintable(QStringLiteral("cut at byte %1").arg(n)));
        }
        // The whole file is the valid one it was.
        const PoolConfigReadResult whole = PoolConfigReader::readYaml(seed, QStringLiteral("t.yaml"));
        QVERIFY(whole.ok());
        QVERIFY(!whole.config.pools.isEmpty());
    }

    // Valid files stay valid under changes that do not change their meaning.
    void validInputsStayValid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("crds") << QStringLiteral("metallb/crds.yaml");
        QTest::newRow("legacy") << QStringLiteral("metallb/legacy-configmap.yaml");
    }

    void validInputsStayValid()
    {
        QFETCH(QString, file);
        const QByteArray seed = readAll(Test::testData(file));
        QVERIFY(!seed.isEmpty());
        const auto errors = [](const QByteArray &yaml) {
            const PoolConfigReadResult r = PoolConfigReader::readYaml(yaml, QStringLiteral("v.yaml"));
            QStringList out;
            for (const Issue &issue : r.issues + PoolValidator::validate(r.config))
                if (issue.severity == Issue::Error)
                    out << issue.toString();
            return out;
        };
        QCOMPARE(errors(seed), QStringList());
        QCOMPARE(errors("# a comment first\n" + seed), QStringList());
        QCOMPARE(errors(seed + "\n\n# and one last\n"), QStringList());
        QCOMPARE(errors(QByteArray(seed).replace("\n", "\r\n")), QStringList());
    }

    void mutatedObjectsNeverCrash()
    {
        QByteArray legacy = readAll(Test::testData(QStringLiteral("metallb/legacy-configmap.yaml")));
        QVERIFY(!legacy.isEmpty());
        const QList<QJsonObject> seeds {
            json("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\":"
                 " {\"namespace\": \"metallb-system\", \"name\": \"config\"},"
                 " \"data\": {\"config\": \"address-pools:\\n- name: a\\n"
                 "  protocol: layer2\\n  addresses: [10.0.0.0/24, 10.1.0.1-10.1.0.9]\\n\"}}"),
            json("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"IPAddressPool\", \"metadata\":"
                 " {\"namespace\": \"metallb-system\", \"name\": \"p\", \"labels\": {\"t\": \"x\"}},"
                 " \"spec\": {\"addresses\": [\"10.2.0.0/24\", \"fd00::/64\"], \"autoAssign\": true,"
                 " \"avoidBuggyIPs\": true}}"),
            json("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"L2Advertisement\", \"metadata\":"
                 " {\"namespace\": \"metallb-system\", \"name\": \"l2\"}, \"spec\": {\"ipAddressPoolSelectors\":"
                 " [{\"matchLabels\": {\"t\": \"x\"}, \"matchExpressions\": [{\"key\": \"t\","
                 " \"operator\": \"In\", \"values\": [\"x\"]}]}]}}"),
            json("{\"apiVersion\": \"metallb.io/v1beta1\", \"kind\": \"BGPAdvertisement\", \"metadata\":"
                 " {\"namespace\": \"metallb-system\", \"name\": \"b\"}, \"spec\": {\"ipAddressPools\": [\"p\"],"
                 " \"aggregationLength\": 24}}")
        };
        for (const QJsonObject &seed : seeds)
            QVERIFY(!seed.isEmpty());
        QJsonObject legacyMap = seeds.at(0);
        legacyMap.insert(
            QStringLiteral("data"), QJsonObject { { QStringLiteral("config"), QString::fromUtf8(legacy) } });
        const QList<LbService> services { { QStringLiteral("a"), QStringLiteral("b"), { QStringLiteral("10.2.0.1") } },
            { QStringLiteral("a"), QStringLiteral("c"), { QStringLiteral("10.2.0.1"), QStringLiteral("x") } },
            { QStringLiteral("a"), QStringLiteral("d"), {}, {}, QStringLiteral("p") } };
        QRandomGenerator rng(20261124);
        Tally tally;
        const int rounds = 3000;
        for (int i = 0; i < rounds; ++i) {
            QList<QJsonObject> objects;
            for (const QJsonObject &seed : seeds + QList<QJsonObject> { legacyMap })
                if (rng.bounded(3) != 0)
                    objects << mutateJson(seed, rng).toObject();
            const PoolConfigReadResult r = PoolConfigReader::readObjects(objects, QStringLiteral("fuzz"));
            const Issues issues = PoolValidator::validate(r.config);
            QVERIFY(tally.check(r, issues, QStringLiteral("fuzz")));
            const AllocationReport report = analyzeAllocation(r.config, r.issues + issues, services,
                { NodeAddress { QStringLiteral("n"), QStringLiteral("10.2.0.5") } });
            QVERIFY(report.problems.size() >= r.issues.size() + issues.size());
            report.toJson();
        }
        QVERIFY(tally.reachedBoth(rounds));
    }

    void deepNesting()
    {
        const QByteArray deep = QByteArray(5000, '[') + QByteArray(5000, ']');
        const PoolConfigReadResult r = PoolConfigReader::readYaml(deep, QStringLiteral("deep.yaml"));
        QVERIFY(!r.ok());
        for (const Issue &issue : r.issues)
            QVERIFY2(isGoodIssue(issue, QStringLiteral("deep.yaml")), qPrintable(issue.toString()));
    }
};

QTEST_GUILESS_MAIN(TestPoolConfigFuzz)
#include "tst_poolconfigfuzz.moc"
