#include "functions/localtaskrunner.h"
#include "functions/seedsaga.h"
#include "support/testpaths.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using namespace Bramble::LocalRuntime;

namespace {
QString S(const char *text)
{
    return QString::fromUtf8(text);
}
QStringList L(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *t : texts)
        out << S(t);
    return out;
}
} // namespace

class TestFunctionsConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryKind()
    {
        const QByteArray yaml = "functions:\n"
                                "  ProcessRecords: {command: [python3, /path/process.py, --flag]}\n"
                                "  TransformRecords: {http: {url: \"http://127.0.0.1:9000/transform\"}}\n"
                                "  CommitRecords: {openfaas: {name: commit-records, namespace: team-fn}}\n"
                                "  saga-CommitRecordsRollback: {builtin: seed-saga}\n"
                                "  Defaulted:\n"
                                "    openfaas:\n"
                                "      name: other\n";
        const Core::Result<FunctionsConfig> r = FunctionsConfig::parse(yaml, QStringLiteral("f.yaml"));
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        const FunctionsConfig &c = r.value();
        QCOMPARE(c.functions.size(), 5);
        QCOMPARE(c.functions.at(0).first, QStringLiteral("ProcessRecords")); // file order
        QCOMPARE(c.functions.at(4).first, QStringLiteral("Defaulted"));
        const FunctionBinding *p = c.find(QStringLiteral("ProcessRecords"));
        QVERIFY(p);
        QCOMPARE(p->kind, FunctionBinding::Kind::Command);
        QCOMPARE(p->argv, L({ "python3", "/path/process.py", "--flag" }));
        const FunctionBinding *t = c.find(QStringLiteral("TransformRecords"));
        QCOMPARE(t->kind, FunctionBinding::Kind::Http);
        QCOMPARE(t->url, QUrl(QStringLiteral("http://127.0.0.1:9000/transform")));
        const FunctionBinding *o = c.find(QStringLiteral("CommitRecords"));
        QCOMPARE(o->kind, FunctionBinding::Kind::OpenFaas);
        QCOMPARE(o->openFaasName, QStringLiteral("commit-records"));
        QCOMPARE(o->openFaasNamespace, QStringLiteral("team-fn"));
        QCOMPARE(c.find(QStringLiteral("Defaulted"))->openFaasNamespace, QStringLiteral("openfaas-fn"));
        const FunctionBinding *b = c.find(QStringLiteral("saga-CommitRecordsRollback"));
        QCOMPARE(b->kind, FunctionBinding::Kind::Builtin);
        QCOMPARE(b->builtin, QStringLiteral("seed-saga"));
        QVERIFY(!c.find(QStringLiteral("processrecords"))); // names are case-sensitive
    }

    void emptyFilesBindNothing_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("comment") << QByteArray("# nothing yet\n");
        QTest::newRow("null functions") << QByteArray("functions:\n");
        QTest::newRow("empty map") << QByteArray("functions: {}\n");
    }
    void emptyFilesBindNothing()
    {
        QFETCH(QByteArray, yaml);
        const Core::Result<FunctionsConfig> r = FunctionsConfig::parse(yaml);
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QVERIFY(r.value().functions.isEmpty());
    }

    void errorsNameLineAndKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");

        QTest::newRow("bad yaml") << QByteArray("functions:\n  A: {command: [x\n") << 3 << QString()
                                  << S("invalid YAML");
        QTest::newRow("top level list") << QByteArray("- a\n") << 1 << QString() << S("mapping with the key functions");
        QTest::newRow("unknown top key") << QByteArray("functions: {}\nfunctoins: {}\n") << 2 << S("functoins")
                                         << S("unknown key \"functoins\"");
        QTest::newRow("functions list") << QByteArray("functions:\n  - a\n") << 2 << S("functions")
                                        << S("mapping from");
        QTest::newRow("bad name") << QByteArray("functions:\n  \"a b\": {builtin: seed-saga}\n") << 2
                                  << S("functions.a b") << S("1 to 64 letters");
        QTest::newRow("duplicate") << QByteArray("functions:\n  A: {command: [x]}\n  A: {command: [y]}\n") << 3
                                   << S("functions.A") << S("bound twice");
        QTest::newRow("not a map") << QByteArray("functions:\n  A: python3\n") << 2 << S("functions.A")
                                   << S("must be a mapping with one of");
        QTest::newRow("no kind") << QByteArray("functions:\n  A: {}\n") << 2 << S("functions.A") << S("exactly one of");
        QTest::newRow("two kinds") << QByteArray("functions:\n  A:\n    command: [x]\n    builtin: seed-saga\n") << 3
                                   << S("functions.A") << S("exactly one of");
        QTest::newRow("unknown kind") << QByteArray("functions:\n  A:\n    lambda: x\n") << 3 << S("functions.A.lambda")
                                      << S("unknown key \"lambda\"");
        QTest::newRow("command string") << QByteArray("functions:\n  A:\n    command: python3 x.py\n") << 3
                                        << S("functions.A.command") << S("non-empty list");
        QTest::newRow("command empty") << QByteArray("functions:\n  A: {command: []}\n") << 2
                                       << S("functions.A.command") << S("non-empty list");
        QTest::newRow("command nested") << QByteArray("functions:\n  A:\n    command:\n      - x\n      - [y]\n") << 5
                                        << S("functions.A.command[1]") << S("must be strings");
        QTest::newRow("command empty program") << QByteArray("functions:\n  A: {command: [\"\", x]}\n") << 2
                                               << S("functions.A.command[0]") << S("program name is empty");
        QTest::newRow("http no url") << QByteArray("functions:\n  A:\n    http: {}\n") << 3 << S("functions.A.http.url")
                                     << S("url is missing");
        QTest::newRow("http scheme") << QByteArray("functions:\n  A:\n    http:\n      url: ftp://h/x\n") << 4
                                     << S("functions.A.http.url") << S("http:// or https://");
        QTest::newRow("http no host") << QByteArray("functions:\n  A: {http: {url: \"http:///x\"}}\n") << 2
                                      << S("functions.A.http.url") << S("with a host");
        QTest::newRow("http extra") << QByteArray("functions:\n  A:\n    http:\n      url: http://h\n      verb: GET\n")
                                    << 5 << S("functions.A.http.verb") << S("unknown key \"verb\"");
        QTest::newRow("openfaas no name") << QByteArray("functions:\n  A:\n    openfaas: {namespace: x}\n") << 3
                                          << S("functions.A.openfaas.name") << S("name is missing");
        QTest::newRow("openfaas bad name") << QByteArray("functions:\n  A:\n    openfaas:\n      name: a/b\n") << 4
                                           << S("functions.A.openfaas.name") << S("only letters");
        QTest::newRow("openfaas bad ns") << QByteArray("functions:\n  A: {openfaas: {name: a, namespace: \"x y\"}}\n")
                                         << 2 << S("functions.A.openfaas.namespace") << S("only letters");
        QTest::newRow("unknown builtin") << QByteArray("functions:\n  A:\n    builtin: hello\n") << 3
                                         << S("functions.A.builtin") << S("unknown builtin \"hello\"");
        QTest::newRow("builtin elsewhere") << QByteArray("functions:\n  saga-Other:\n    builtin: seed-saga\n") << 3
                                           << S("functions.saga-Other.builtin") << S("seed saga's functions");
    }
    void errorsNameLineAndKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const Core::Result<FunctionsConfig> r = FunctionsConfig::parse(yaml, QStringLiteral("functions.yaml"));
        QVERIFY(!r.ok());
        const Core::Error &e = r.error();
        QCOMPARE(e.kind, Core::Error::Kind::Input);
        QCOMPARE(e.where.file, QStringLiteral("functions.yaml"));
        QCOMPARE(e.where.line, line);
        QCOMPARE(e.where.key, key);
        QVERIFY2(e.message.contains(message), qPrintable(e.message));
    }

    void roundTrips()
    {
        FunctionsConfig c;
        FunctionBinding cmd;
        cmd.kind = FunctionBinding::Kind::Command;
        cmd.argv = L({ "python3", "/tmp/a b.py", "--x=1", "true", "null", "#not a comment", "say \"hi\"" });
        c.functions.append({ QStringLiteral("ProcessRecords"), cmd });
        FunctionBinding http;
        http.kind = FunctionBinding::Kind::Http;
        http.url = QUrl(QStringLiteral("https://example.com:8443/fn?x=1&y=2"));
        c.functions.append({ QStringLiteral("null"), http });
        FunctionBinding faas;
        faas.kind = FunctionBinding::Kind::OpenFaas;
        faas.openFaasName = QStringLiteral("commit-records");
        c.functions.append({ QStringLiteral("CommitRecords"), faas });
        FunctionBinding builtin;
        builtin.kind = FunctionBinding::Kind::Builtin;
        builtin.builtin = QStringLiteral("seed-saga");
        c.functions.append({ QStringLiteral("saga-ProcessRecords"), builtin });

        const QByteArray yaml = c.toYaml();
        const Core::Result<FunctionsConfig> back = FunctionsConfig::parse(yaml);
        QVERIFY2(back.ok(), qPrintable(back.error().toString() + u'\n' + QString::fromUtf8(yaml)));
        QCOMPARE(back.value().functions.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const auto &[name, b] = back.value().functions.at(i);
            QCOMPARE(name, c.functions.at(i).first);
            QCOMPARE(b.kind, c.functions.at(i).second.kind);
            QCOMPARE(b.argv, c.functions.at(i).second.argv);
            QCOMPARE(b.url, c.functions.at(i).second.url);
            QCOMPARE(b.openFaasName, c.functions.at(i).second.openFaasName);
            QCOMPARE(b.openFaasNamespace, c.functions.at(i).second.openFaasNamespace);
            QCOMPARE(b.builtin, c.functions.at(i).second.builtin);
        }
        QVERIFY(FunctionsConfig::parse(FunctionsConfig().toYaml()).ok());
    }

    void seedSampleBindsTheSeedFunctions()
    {
        const FunctionsConfig c = FunctionsConfig::seedSample();
        QStringList names;
        for (const auto &[name, b] : c.functions) {
            names << name;
            QCOMPARE(b.kind, FunctionBinding::Kind::Builtin);
            QCOMPARE(b.builtin, QStringLiteral("seed-saga"));
        }
        // The seed saga's Lambda function ARNs name these (resources/sagas/seed-saga.asl.json).
        QCOMPARE(names,
            L({ "saga-ProcessRecords", "saga-TransformRecords", "saga-CommitRecords", "saga-CommitRecordsRollback",
                "saga-TransformRecordsRollback", "saga-ProcessRecordsRollback" }));
        const Core::Result<FunctionsConfig> back = FunctionsConfig::parse(c.toYaml());
        QVERIFY(back.ok());
        QCOMPARE(back.value().functions.size(), 6);
    }

    void loadReadsBoundedFiles()
    {
        QTemporaryDir dir;
        const QString path = Test::writeFile(dir.filePath(QStringLiteral("functions.yaml")),
            "functions:\n  A: {command: [echo]}\n  B: {builtin: nope}\n");
        const Core::Result<FunctionsConfig> r = FunctionsConfig::load(path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where.file, path);
        QCOMPARE(r.error().where.line, 3);
        QVERIFY(!FunctionsConfig::load(dir.filePath(QStringLiteral("missing.yaml"))).ok());
        QVERIFY(!FunctionsConfig::load(dir.path()).ok()); // a directory
        Test::writeFile(path, FunctionsConfig::seedSample().toYaml());
        const Core::Result<FunctionsConfig> ok = FunctionsConfig::load(path);
        QVERIFY(ok.ok());
        QCOMPARE(ok.value().functions.size(), 6);
    }
};

QTEST_GUILESS_MAIN(TestFunctionsConfig)
#include "tst_functionsconfig.moc"
