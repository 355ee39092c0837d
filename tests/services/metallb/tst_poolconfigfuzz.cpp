// Bad input never crashes the readers: thousands of mutated and truncated
// variants of real files, from a fixed seed so a failure reproduces.

#include "metallb/poolconfigreader.h"
#include "metallb/poolvalidator.h"

#include "support/testpaths.h"

#include <QFile>
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

} // namespace

class TestPoolConfigFuzz : public QObject
{
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
        int withErrors = 0, withPools = 0;
        const int rounds = 4000;
        for (int i = 0; i < rounds; ++i) {
            const QByteArray input = mutate(seeds.at(i % seeds.size()), rng);
            const PoolConfigReadResult r = PoolConfigReader::readYaml(input, QStringLiteral("fuzz.yaml"));
            const Issues issues = PoolValidator::validate(r.config);
            // Every issue says something and names the file.
            for (const Issue &issue : r.issues + issues) {
                QVERIFY2(!issue.message.isEmpty(), input.constData());
                QCOMPARE(issue.where.file, QStringLiteral("fuzz.yaml"));
                QVERIFY(issue.where.line >= 0);
            }
            if (!r.ok())
                ++withErrors;
            if (!r.config.pools.isEmpty())
                ++withPools;
        }
        // The mutations reach both outcomes, so the loop tested something.
        QVERIFY(withErrors > rounds / 20);
        QVERIFY(withPools > rounds / 4);
    }

    void truncatedAtEveryByte()
    {
        const QByteArray seed = readAll(Test::testData(QStringLiteral("metallb/legacy-configmap.yaml")));
        for (qsizetype n = 0; n <= seed.size(); ++n) {
            const PoolConfigReadResult r = PoolConfigReader::readYaml(seed.left(n), QStringLiteral("t.yaml"));
            PoolValidator::validate(r.config);
        }
    }

    void deepNesting()
    {
        const QByteArray deep = QByteArray(5000, '[') + QByteArray(5000, ']');
        const PoolConfigReadResult r = PoolConfigReader::readYaml(deep, QStringLiteral("deep.yaml"));
        QVERIFY(!r.ok());
    }
};

QTEST_GUILESS_MAIN(TestPoolConfigFuzz)
#include "tst_poolconfigfuzz.moc"
