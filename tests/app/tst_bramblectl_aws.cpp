// bramblectl's AWS commands against moto, as users script them: aws whoami,
// sagas list, logs groups; --profile, --region, --endpoint-url and the
// shared files; JSON fields and exit codes.

#include "aws/awstransport.h"
#include "aws/credentialsprovider.h"
#include "aws/endpoints.h"
#include "support/clirun.h"
#include "support/loopback.h"
#include "support/motoserver.h"
#include "support/testpaths.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

namespace {

using Run = Test::CliRun;

const QByteArray passMachine = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";

QSet<QString> names(const QJsonArray &array, const QString &key)
{
    QSet<QString> set;
    for (const QJsonValue &v : array)
        set.insert(v.toObject().value(key).toString());
    return set;
}

} // namespace

class TestBramblectlAws : public QObject {
    Q_OBJECT

private:
    Test::MotoServer m_moto;
    QTemporaryDir m_dir;
    QNetworkAccessManager m_network;
    Aws::StaticCredentialsProvider m_credentials { Aws::AwsCredentials {
        QStringLiteral("testing"), QStringLiteral("testing"), {}, {}, QStringLiteral("test") } };

    QString file(const QString &name) const { return m_dir.filePath(name); }
    QString endpoint() const { return m_moto.endpoint().toString(); }

    // bramblectl with moto's client environment (testing keys, us-east-1,
    // empty shared files, no other AWS_* variable) plus `vars`.
    Run run(const QStringList &args, const QMap<QString, QString> &vars = {}) const
    {
        QProcessEnvironment env = m_moto.clientEnvironment();
        env.insert(QStringLiteral("HOME"), file(QStringLiteral("home")));
        for (auto it = vars.cbegin(); it != vars.cend(); ++it) {
            if (it.value().isNull())
                env.remove(it.key());
            else
                env.insert(it.key(), it.value());
        }
        return Test::runBramblectl(args, env);
    }

    // One call to moto in `region`, for setting up what the commands list.
    bool seed(
        const QString &region, const Aws::ServiceInfo &service, const QString &operation, const QJsonObject &input)
    {
        Aws::AwsTransport transport(&m_network, &m_credentials, region);
        transport.setEndpoint(service, m_moto.endpoint());
        Aws::AwsCall *call = transport.callJson(service, operation, input);
        bool ok = false;
        QString error;
        connect(call, &Aws::AwsCall::finished, this, [&] {
            ok = call->response().ok();
            error = call->response().error.toString();
        });
        QSignalSpy spy(call, &Aws::AwsCall::finished);
        if (!spy.wait(10000))
            return false;
        if (!ok)
            qWarning("%s", qPrintable(error));
        return ok;
    }

    bool createMachine(const QString &region, const QString &name)
    {
        return seed(region, Aws::ServiceInfo::stepFunctions(), QStringLiteral("CreateStateMachine"),
            { { QStringLiteral("name"), name }, { QStringLiteral("definition"), QString::fromUtf8(passMachine) },
                { QStringLiteral("roleArn"), QStringLiteral("arn:aws:iam::123456789012:role/saga") } });
    }

    bool createLogGroup(const QString &name, int retentionDays = 0)
    {
        if (!seed(QStringLiteral("us-east-1"), Aws::ServiceInfo::cloudWatchLogs(), QStringLiteral("CreateLogGroup"),
                { { QStringLiteral("logGroupName"), name } }))
            return false;
        return retentionDays == 0
            || seed(QStringLiteral("us-east-1"), Aws::ServiceInfo::cloudWatchLogs(),
                QStringLiteral("PutRetentionPolicy"),
                { { QStringLiteral("logGroupName"), name }, { QStringLiteral("retentionInDays"), retentionDays } });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(Test::bramblectlPath()));
        QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
    }

    void init() { QVERIFY2(m_moto.reset(), qPrintable(m_moto.errorString())); }

    void whoami()
    {
        const Run j = run({ QStringLiteral("aws"), QStringLiteral("whoami"), QStringLiteral("--json"),
            QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(j.exitCode == 0, qPrintable(j.describe()));
        const QJsonObject o = j.object();
        QCOMPARE(o.value(QStringLiteral("account")).toString(), QStringLiteral("123456789012"));
        QVERIFY(o.value(QStringLiteral("arn")).toString().startsWith(QStringLiteral("arn:aws:sts::123456789012:")));
        QVERIFY(!o.value(QStringLiteral("userId")).toString().isEmpty());
        QCOMPARE(o.value(QStringLiteral("profile")).toString(), QStringLiteral("default"));
        QCOMPARE(o.value(QStringLiteral("region")).toString(), QStringLiteral("us-east-1"));
        QVERIFY(o.value(QStringLiteral("credentialSource")).toString().contains(QStringLiteral("environment")));
        // The fields are an interface: exactly these.
        QCOMPARE(o.keys(),
            (QStringList { QStringLiteral("account"), QStringLiteral("arn"), QStringLiteral("credentialSource"),
                QStringLiteral("profile"), QStringLiteral("region"), QStringLiteral("userId") }));

        const Run t
            = run({ QStringLiteral("aws"), QStringLiteral("whoami"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(t.exitCode == 0, qPrintable(t.describe()));
        QVERIFY(t.out.contains("Account:      123456789012\n"));
        QVERIFY(!t.out.contains("testing")); // never the secret, nor the whole key id
    }

    void sagasListJson()
    {
        QVERIFY(createMachine(QStringLiteral("us-east-1"), QStringLiteral("ProcessRecords")));
        QVERIFY(createMachine(QStringLiteral("us-east-1"), QStringLiteral("Orders")));
        QVERIFY(createMachine(QStringLiteral("eu-west-1"), QStringLiteral("Elsewhere")));
        const QDateTime now = QDateTime::currentDateTimeUtc();

        const Run r = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json"),
            QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray machines = r.array();
        QCOMPARE(names(machines, QStringLiteral("name")),
            (QSet<QString> { QStringLiteral("ProcessRecords"), QStringLiteral("Orders") }));
        for (const QJsonValue &v : machines) {
            const QJsonObject m = v.toObject();
            QCOMPARE(m.value(QStringLiteral("stateMachineArn")).toString(),
                QStringLiteral("arn:aws:states:us-east-1:123456789012:stateMachine:")
                    + m.value(QStringLiteral("name")).toString());
            const QDateTime created
                = QDateTime::fromString(m.value(QStringLiteral("creationDate")).toString(), Qt::ISODateWithMs);
            QVERIFY2(created.isValid(), qPrintable(m.value(QStringLiteral("creationDate")).toString()));
            QVERIFY(qAbs(created.secsTo(now)) < 120);
            // moto leaves type out of ListStateMachines: null, never a guess.
            QVERIFY(m.contains(QStringLiteral("type")));
            const QJsonValue type = m.value(QStringLiteral("type"));
            QVERIFY(type.isNull() || type.toString() == u"STANDARD" || type.toString() == u"EXPRESS");
        }

        const Run eu = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json"),
            QStringLiteral("--region"), QStringLiteral("eu-west-1"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(eu.exitCode == 0, qPrintable(eu.describe()));
        QCOMPARE(names(eu.array(), QStringLiteral("name")), QSet<QString> { QStringLiteral("Elsewhere") });
    }

    void sagasListTable()
    {
        const Run empty
            = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(empty.exitCode == 0, qPrintable(empty.describe()));
        QCOMPARE(empty.out, QByteArray("No state machines in us-east-1 (profile default).\n"));
        const Run emptyJson = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json"),
            QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(emptyJson.exitCode == 0, qPrintable(emptyJson.describe()));
        QVERIFY(QJsonDocument::fromJson(emptyJson.out).isArray());
        QVERIFY(emptyJson.array().isEmpty());

        QVERIFY(createMachine(QStringLiteral("us-east-1"), QStringLiteral("ProcessRecords")));
        const Run r
            = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).startsWith("NAME "));
        QVERIFY(lines.at(0).contains("ARN"));
        QVERIFY(lines.at(1).startsWith("ProcessRecords "));
        QVERIFY(lines.at(1).endsWith("arn:aws:states:us-east-1:123456789012:stateMachine:ProcessRecords"));
    }

    // Region and endpoint from a profile of the shared files, chosen by
    // --profile or AWS_PROFILE; AWS_ENDPOINT_URL_SFN for one service only.
    void profileRegionAndEndpoint()
    {
        QVERIFY(createMachine(QStringLiteral("eu-west-1"), QStringLiteral("Dublin")));
        QVERIFY(createMachine(QStringLiteral("us-east-1"), QStringLiteral("Virginia")));
        QVERIFY(!Test::writeFile(file(QStringLiteral("config")),
            "[profile dev]\nregion = eu-west-1\nendpoint_url = " + endpoint().toUtf8() + "\n")
                     .isEmpty());
        QVERIFY(!Test::writeFile(file(QStringLiteral("credentials")),
            "[dev]\naws_access_key_id = devkey\naws_secret_access_key = devsecret\n")
                     .isEmpty());
        const QMap<QString, QString> files {
            { QStringLiteral("AWS_CONFIG_FILE"), file(QStringLiteral("config")) },
            { QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), file(QStringLiteral("credentials")) },
            { QStringLiteral("AWS_DEFAULT_REGION"), QString() }, // unset: the profile's region applies
        };

        const Run byFlag = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json"),
                                   QStringLiteral("--profile"), QStringLiteral("dev") },
            files);
        QVERIFY2(byFlag.exitCode == 0, qPrintable(byFlag.describe()));
        QCOMPARE(names(byFlag.array(), QStringLiteral("name")), QSet<QString> { QStringLiteral("Dublin") });

        QMap<QString, QString> env = files;
        env.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("dev"));
        // --profile skips the environment's keys; AWS_PROFILE does not: drop them
        env.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QString());
        env.insert(QStringLiteral("AWS_SECRET_ACCESS_KEY"), QString());
        const Run who = run({ QStringLiteral("aws"), QStringLiteral("whoami"), QStringLiteral("--json") }, env);
        QVERIFY2(who.exitCode == 0, qPrintable(who.describe()));
        QCOMPARE(who.object().value(QStringLiteral("profile")).toString(), QStringLiteral("dev"));
        QCOMPARE(who.object().value(QStringLiteral("region")).toString(), QStringLiteral("eu-west-1"));
        QVERIFY(
            who.object().value(QStringLiteral("credentialSource")).toString().contains(QStringLiteral("credentials")));

        // --region beats the profile's region.
        const Run us = run(
            { QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--profile"),
                QStringLiteral("dev"), QStringLiteral("--region"), QStringLiteral("us-east-1") },
            files);
        QVERIFY2(us.exitCode == 0, qPrintable(us.describe()));
        QCOMPARE(names(us.array(), QStringLiteral("name")), QSet<QString> { QStringLiteral("Virginia") });

        // The service-specific variable reaches Step Functions only.
        const Run sfnOnly = run({ QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--json") },
            { { QStringLiteral("AWS_ENDPOINT_URL_SFN"), endpoint() } });
        QVERIFY2(sfnOnly.exitCode == 0, qPrintable(sfnOnly.describe()));
        QCOMPARE(names(sfnOnly.array(), QStringLiteral("name")), QSet<QString> { QStringLiteral("Virginia") });
    }

    void logGroups()
    {
        QVERIFY(createLogGroup(QStringLiteral("/app/orders"), 7));
        QVERIFY(createLogGroup(QStringLiteral("/app/records")));
        QVERIFY(createLogGroup(QStringLiteral("/other")));

        const Run all = run({ QStringLiteral("logs"), QStringLiteral("groups"), QStringLiteral("--json"),
            QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(all.exitCode == 0, qPrintable(all.describe()));
        QCOMPARE(all.array().size(), 3);

        const Run app = run({ QStringLiteral("logs"), QStringLiteral("groups"), QStringLiteral("--prefix"),
            QStringLiteral("/app/"), QStringLiteral("--json"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(app.exitCode == 0, qPrintable(app.describe()));
        const QJsonArray groups = app.array();
        QCOMPARE(names(groups, QStringLiteral("logGroupName")),
            (QSet<QString> { QStringLiteral("/app/orders"), QStringLiteral("/app/records") }));
        for (const QJsonValue &v : groups) {
            const QJsonObject g = v.toObject();
            const bool orders = g.value(QStringLiteral("logGroupName")).toString() == u"/app/orders";
            QCOMPARE(g.value(QStringLiteral("retentionInDays")), orders ? QJsonValue(7) : QJsonValue());
            QVERIFY(g.value(QStringLiteral("arn"))
                        .toString()
                        .startsWith(QStringLiteral("arn:aws:logs:us-east-1:123456789012:log-group:")));
            QVERIFY(
                QDateTime::fromString(g.value(QStringLiteral("creationTime")).toString(), Qt::ISODateWithMs).isValid());
            QVERIFY(g.value(QStringLiteral("storedBytes")).isDouble());
            QCOMPARE(g.keys(),
                (QStringList { QStringLiteral("arn"), QStringLiteral("creationTime"), QStringLiteral("logGroupName"),
                    QStringLiteral("retentionInDays"), QStringLiteral("storedBytes") }));
        }

        const Run table = run({ QStringLiteral("logs"), QStringLiteral("groups"), QStringLiteral("--prefix"),
            QStringLiteral("/app/"), QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY(table.out.startsWith("NAME "));
        QVERIFY(table.out.contains("/app/orders"));
        QVERIFY(table.out.contains("7 days"));
        QVERIFY(table.out.contains("never expire"));
        QVERIFY(!table.out.contains("/other"));

        const Run none = run({ QStringLiteral("logs"), QStringLiteral("groups"), QStringLiteral("--prefix"),
            QStringLiteral("/zz"), QStringLiteral("--endpoint-url"), endpoint() });
        QCOMPARE(none.exitCode, 0);
        QCOMPARE(none.out, QByteArray("No log groups starting with \"/zz\" in us-east-1 (profile default).\n"));
    }

    // DescribeLogGroups answers 50 at a time: the command follows nextToken.
    void logGroupsFollowPages()
    {
        for (int i = 0; i < 57; ++i)
            QVERIFY(createLogGroup(QStringLiteral("/bulk/%1").arg(i, 3, 10, QLatin1Char('0'))));
        const Run r = run({ QStringLiteral("logs"), QStringLiteral("groups"), QStringLiteral("--json"),
            QStringLiteral("--endpoint-url"), endpoint() });
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(names(r.array(), QStringLiteral("logGroupName")).size(), 57);
    }

    // A shared file that is a device or a FIFO: exit 1 at once (a FIFO is
    // never opened), one line naming the file.
    void unreadableSharedFiles_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("kind");
        const QStringList whoami { QStringLiteral("aws"), QStringLiteral("whoami") };
        QTest::newRow("whoami, config /dev/zero")
            << whoami << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("device");
        QTest::newRow("whoami, config fifo") << whoami << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("fifo");
        QTest::newRow("sagas list, credentials /dev/zero")
            << QStringList { QStringLiteral("sagas"), QStringLiteral("list") }
            << QStringLiteral("AWS_SHARED_CREDENTIALS_FILE") << QStringLiteral("device");
        QTest::newRow("contexts, config fifo") << QStringList { QStringLiteral("contexts") }
                                               << QStringLiteral("AWS_CONFIG_FILE") << QStringLiteral("fifo");
    }

    void unreadableSharedFiles()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, variable);
        QFETCH(QString, kind);
        QString path = QStringLiteral("/dev/zero");
        if (kind == u"fifo") {
            path = file(QStringLiteral("fifo-%1")
                            .arg(QString::fromUtf8(QTest::currentDataTag()))
                            .replace(u' ', u'-')
                            .replace(u',', u'-'));
            QFile::remove(path);
            QCOMPARE(QProcess::execute(QStringLiteral("mkfifo"), { path }), 0);
        }
        QString kubeconfig = file(QStringLiteral("kubeconfig"));
        QFile k(kubeconfig);
        QVERIFY(k.open(QIODevice::WriteOnly | QIODevice::Truncate));
        k.write("apiVersion: v1\nkind: Config\n");
        k.close();
        const Run r = Test::runBramblectl(
            args + QStringList { QStringLiteral("--kubeconfig"), kubeconfig },
            [&] {
                QProcessEnvironment env = m_moto.clientEnvironment();
                env.insert(QStringLiteral("HOME"), file(QStringLiteral("home")));
                env.insert(variable, path);
                return env;
            }(),
            20000);
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe())); // -1: it hung and was killed
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(err.count(u'\n'), 1);
        QVERIFY2(err.startsWith(QStringLiteral("bramblectl: ") + path + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(err.contains(kind == u"fifo" ? QStringLiteral("FIFO") : QStringLiteral("device")), qPrintable(err));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("unsetVar");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrHas");

        const QString closed = QStringLiteral("http://127.0.0.1:%1").arg(Test::freeLoopbackPort());
        QTest::newRow("no region") << QStringList { QStringLiteral("sagas"), QStringLiteral("list") }
                                   << QStringLiteral("AWS_DEFAULT_REGION") << 1
                                   << QStringLiteral("no AWS region for profile \"default\"");
        QTest::newRow("unknown profile") << QStringList { QStringLiteral("logs"), QStringLiteral("groups"),
            QStringLiteral("--profile"), QStringLiteral("nope") }
                                         << QString() << 1 << QStringLiteral("\"nope\"");
        QTest::newRow("nothing listening")
            << QStringList { QStringLiteral("sagas"), QStringLiteral("list"), QStringLiteral("--endpoint-url"), closed }
            << QString() << 1 << QStringLiteral("ListStateMachines: ");
        QTest::newRow("not http") << QStringList { QStringLiteral("aws"), QStringLiteral("whoami"),
            QStringLiteral("--endpoint-url"), QStringLiteral("ftp://127.0.0.1/") }
                                  << QString() << 1 << QStringLiteral("not an http(s) URL");
        QTest::newRow("no subcommand") << QStringList { QStringLiteral("sagas") } << QString() << 2
                                       << QStringLiteral("missing subcommand");
        QTest::newRow("bad subcommand") << QStringList { QStringLiteral("aws"), QStringLiteral("whoareyou") }
                                        << QString() << 2 << QStringLiteral("unknown subcommand \"whoareyou\"");
        QTest::newRow("extra argument") << QStringList { QStringLiteral("logs"), QStringLiteral("groups"),
            QStringLiteral("x") } << QString()
                                        << 2 << QStringLiteral("takes no arguments");
        QTest::newRow("prefix on sagas") << QStringList { QStringLiteral("sagas"), QStringLiteral("list"),
            QStringLiteral("--prefix"), QStringLiteral("a") }
                                         << QString() << 2 << QStringLiteral("prefix");
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, unsetVar);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrHas);
        QMap<QString, QString> vars;
        if (!unsetVar.isEmpty())
            vars.insert(unsetVar, QString());
        const Run r = run(args, vars);
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(stderrHas), qPrintable(err));
        QVERIFY2(err.startsWith(QStringLiteral("bramblectl: ")), qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1); // one line
    }
};

QTEST_GUILESS_MAIN(TestBramblectlAws)
#include "tst_bramblectl_aws.moc"
