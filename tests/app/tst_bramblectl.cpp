// bramblectl as users script it: commands, JSON fields and exit codes.

#include "support/clirun.h"
#include "support/testpaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

namespace {

using Run = Test::CliRun;

} // namespace

class TestBramblectl : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString file(const QString &name) const { return m_dir.filePath(name); }

    // Runs bramblectl with a clean environment: a temp HOME and only the
    // variables given, so the user's real kubeconfig and AWS files are never read.
    Run run(const QStringList &args, const QMap<QString, QString> &vars = {}) const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), file(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("AWS_CONFIG_FILE"), file(QStringLiteral("aws-config")));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), file(QStringLiteral("aws-credentials")));
        for (auto it = vars.cbegin(); it != vars.cend(); ++it)
            env.insert(it.key(), it.value());
        return Test::runBramblectl(args, env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(Test::bramblectlPath()));
        QVERIFY(!Test::writeFile(file(QStringLiteral("kc")),
            "apiVersion: v1\nkind: Config\ncurrent-context: pi\n"
            "clusters:\n- name: pi\n  cluster: {server: https://10.0.0.2:6443}\n"
            "users:\n- name: admin\n  user: {token: t}\n"
            "contexts:\n- name: pi\n  context: {cluster: pi, user: admin}\n"
            "- name: faas\n  context: {cluster: pi, user: admin, namespace: openfaas-fn}\n")
                     .isEmpty());
        QVERIFY(!Test::writeFile(
            file(QStringLiteral("aws-config")), "[default]\nregion = eu-west-1\n\n[profile saga]\nregion = us-east-1\n")
                     .isEmpty());
        QVERIFY(!Test::writeFile(file(QStringLiteral("aws-credentials")),
            "[default]\naws_access_key_id = A\naws_secret_access_key = B\n[ci]\naws_access_key_id = C\n")
                     .isEmpty());
    }

    void version()
    {
        const Run r = run({ QStringLiteral("version") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("bramblectl "));
        const Run j = run({ QStringLiteral("version"), QStringLiteral("--json") });
        QCOMPARE(j.exitCode, 0);
        QVERIFY(!QJsonDocument::fromJson(j.out).object().value(QStringLiteral("version")).toString().isEmpty());
        // What the output layer prints: an indented object, keys sorted as
        // QJsonDocument sorts them, a newline at the end; the libraries
        // built with, each with its licence.
        QVERIFY(j.out.startsWith("{\n    \"gitDescribe\": "));
        const QByteArray tail
            = "    \"qt\": \"" + QByteArray(qVersion()) + "\",\n    \"version\": \"" BRAMBLE_VERSION "\"\n}\n";
        QVERIFY(j.out.endsWith(tail));
        const QJsonObject o = QJsonDocument::fromJson(j.out).object();
        QCOMPARE(o.keys(),
            (QStringList { QStringLiteral("gitDescribe"), QStringLiteral("libraries"), QStringLiteral("qt"),
                QStringLiteral("version") }));
        QStringList names;
        for (const QJsonValue &l : o.value(QStringLiteral("libraries")).toArray()) {
            QVERIFY(!l[QStringLiteral("version")].toString().isEmpty());
            QVERIFY(!l[QStringLiteral("license")].toString().isEmpty());
            names << l[QStringLiteral("name")].toString();
        }
        QCOMPARE(names, (QStringList { QStringLiteral("Qt"), QStringLiteral("yaml-cpp") }));
        QVERIFY(r.out.contains("yaml-cpp "));
    }

    void contextsJson()
    {
        const Run r = run({ QStringLiteral("contexts"), QStringLiteral("--json"), QStringLiteral("--kubeconfig"),
            file(QStringLiteral("kc")) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray contexts = o.value(QStringLiteral("contexts")).toArray();
        QCOMPARE(contexts.size(), 2);
        const QJsonObject pi = contexts.at(0).toObject();
        QCOMPARE(pi.value(QStringLiteral("name")).toString(), QStringLiteral("pi"));
        QCOMPARE(pi.value(QStringLiteral("cluster")).toString(), QStringLiteral("pi"));
        QCOMPARE(pi.value(QStringLiteral("user")).toString(), QStringLiteral("admin"));
        QCOMPARE(pi.value(QStringLiteral("namespace")).toString(), QString());
        QCOMPARE(pi.value(QStringLiteral("current")).toBool(), true);
        QCOMPARE(
            contexts.at(1).toObject().value(QStringLiteral("namespace")).toString(), QStringLiteral("openfaas-fn"));
        QCOMPARE(contexts.at(1).toObject().value(QStringLiteral("current")).toBool(), false);

        const QJsonArray profiles = o.value(QStringLiteral("profiles")).toArray();
        QCOMPARE(profiles.size(), 3);
        QCOMPARE(profiles.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("default"));
        QCOMPARE(profiles.at(0).toObject().value(QStringLiteral("region")).toString(), QStringLiteral("eu-west-1"));
        QCOMPARE(profiles.at(0).toObject().value(QStringLiteral("sourceFile")).toString(),
            file(QStringLiteral("aws-config")));
        QCOMPARE(profiles.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("saga"));
        QCOMPARE(profiles.at(2).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("ci"));
        QCOMPARE(profiles.at(2).toObject().value(QStringLiteral("sourceFile")).toString(),
            file(QStringLiteral("aws-credentials")));
        QVERIFY2(!r.out.contains("\"B\"") && !r.out.contains("aws_secret"), "secrets must not be printed");
    }

    void contextFlagAndProfileEnvironment()
    {
        const Run r = run({ QStringLiteral("--context"), QStringLiteral("faas"), QStringLiteral("contexts"),
                              QStringLiteral("--json"), QStringLiteral("--kubeconfig"), file(QStringLiteral("kc")) },
            { { QStringLiteral("AWS_PROFILE"), QStringLiteral("saga") } });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("currentContext")).toString(), QStringLiteral("faas"));
        QCOMPARE(o.value(QStringLiteral("currentProfile")).toString(), QStringLiteral("saga"));
    }

    void kubeconfigFromTheEnvironmentList()
    {
        QVERIFY(!Test::writeFile(file(QStringLiteral("kc2")),
            "current-context: other\ncontexts:\n- name: other\n  context: {cluster: x}\n"
            "- name: pi\n  context: {cluster: shadowed}\n")
                     .isEmpty());
        const Run r = run({ QStringLiteral("contexts"), QStringLiteral("--json") },
            { { QStringLiteral("KUBECONFIG"), file(QStringLiteral("kc")) + u':' + file(QStringLiteral("kc2")) } });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("currentContext")).toString(), QStringLiteral("pi")); // first file wins
        const QJsonArray contexts = o.value(QStringLiteral("contexts")).toArray();
        QCOMPARE(contexts.size(), 3);
        QCOMPARE(contexts.at(0).toObject().value(QStringLiteral("cluster")).toString(), QStringLiteral("pi"));
    }

    void table()
    {
        const Run r = run({ QStringLiteral("contexts"), QStringLiteral("--kubeconfig"), file(QStringLiteral("kc")) });
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(lines.at(0).startsWith("CURRENT   NAME"));
        QVERIFY(lines.at(1).startsWith("*         pi"));
        QVERIFY(r.out.contains("PROFILE"));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("kubeconfig");
        QTest::addColumn<QByteArray>("awsConfig");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrContains");
        const QByteArray goodKube = "contexts: []\n";
        const QByteArray goodAws = "[default]\n";
        const QStringList contexts { QStringLiteral("contexts") };
        QTest::newRow("broken kubeconfig") << contexts << QByteArray("contexts:\n- name: a\n  context: [\n") << goodAws
                                           << 1 << QStringLiteral("broken.yaml:");
        QTest::newRow("wrong type in kubeconfig")
            << contexts << QByteArray("contexts:\n- name: a\n  context: {cluster: [x]}\n") << goodAws << 1
            << QStringLiteral("broken.yaml:3:");
        QTest::newRow("broken AWS config") << contexts << goodKube << QByteArray("[default]\nregion eu-west-1\n") << 1
                                           << QStringLiteral("broken-aws:2:");
        QTest::newRow("AWS config before a section")
            << contexts << goodKube << QByteArray("region = x\n") << 1 << QStringLiteral("broken-aws:1:");
        QTest::newRow("unknown command") << QStringList { QStringLiteral("frobnicate") } << goodKube << goodAws << 2
                                         << QStringLiteral("unknown command");
        QTest::newRow("no command") << QStringList {} << goodKube << goodAws << 2 << QStringLiteral("no command");
        QTest::newRow("unknown option") << QStringList { QStringLiteral("contexts"), QStringLiteral("--frob") }
                                        << goodKube << goodAws << 2 << QStringLiteral("frob");
        QTest::newRow("option without value") << QStringList { QStringLiteral("contexts"), QStringLiteral("--context") }
                                              << goodKube << goodAws << 2 << QStringLiteral("context");
        QTest::newRow("stray argument") << QStringList { QStringLiteral("contexts"), QStringLiteral("extra") }
                                        << goodKube << goodAws << 2 << QStringLiteral("no arguments");
        QTest::newRow("unknown context") << QStringList { QStringLiteral("contexts"), QStringLiteral("--context"),
            QStringLiteral("nope") } << goodKube
                                         << goodAws << 1 << QStringLiteral("\"nope\" not found");
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, kubeconfig);
        QFETCH(QByteArray, awsConfig);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrContains);
        const QString kube = Test::writeFile(file(QStringLiteral("broken.yaml")), kubeconfig);
        const QString aws = Test::writeFile(file(QStringLiteral("broken-aws")), awsConfig);
        if (args.value(0) == u"contexts")
            args << QStringLiteral("--kubeconfig") << kube;
        const Run r = run(args, { { QStringLiteral("AWS_CONFIG_FILE"), aws } });
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(stderrContains), qPrintable(err));
        QCOMPARE(err.trimmed().count(u'\n'), 0); // one line
        QVERIFY(err.startsWith(QStringLiteral("bramblectl: ")));
    }

    void missingExplicitKubeconfigFails()
    {
        const Run r = run(
            { QStringLiteral("contexts"), QStringLiteral("--kubeconfig"), file(QStringLiteral("does-not-exist")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("does-not-exist"));
    }

    void help()
    {
        const Run r = run({ QStringLiteral("--help") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("contexts"));
        QVERIFY(r.out.contains("--endpoint-url"));
        const Run c = run({ QStringLiteral("contexts"), QStringLiteral("--help") });
        QCOMPARE(c.exitCode, 0);
        QVERIFY(c.out.startsWith("Usage: bramblectl contexts"));
    }
};

QTEST_GUILESS_MAIN(TestBramblectl)
#include "tst_bramblectl.moc"
