// The AWS credential chain against real peers: temporary config and
// credentials files, real credential_process scripts, moto's STS for
// AssumeRole, and a small in-process IAM Identity Center portal (proven with
// botocore itself). The order of the chain is checked against botocore.

#include "aws/awsconfig.h"
#include "aws/awstransport.h"
#include "aws/credentialchain.h"
#include "aws/credentialprocess.h"
#include "aws/shellsplit.h"
#include "aws/stsclient.h"
#include "core/environment.h"
#include "support/loopback.h"
#include "support/motoserver.h"
#include "support/testpaths.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

using namespace Bramble;
using namespace Bramble::Aws;
using Bramble::Test::MotoServer;

namespace {

constexpr int FetchTimeoutMs = 8000;

// One fetch() job and what came of it.
struct Fetch {
    bool done = false;
    bool synchronous = false; // answered inside start(): served from the cache (or local files)
    int calls = 0; // finished() signals
    CredentialsResult result;
};

std::shared_ptr<Fetch> startFetch(CredentialsProvider &provider, QObject *context)
{
    auto f = std::make_shared<Fetch>();
    CredentialsJob *job = provider.fetch(context);
    QObject::connect(job, &CredentialsJob::finished, job, [f, job] {
        ++f->calls;
        f->done = true;
        f->result = job->result();
    });
    job->start();
    // The value is there at once; finished() still comes from the event loop.
    f->synchronous = job->answeredAtStart();
    if (f->synchronous) {
        f->done = true;
        f->result = job->result();
    }
    return f;
}

bool waitFor(const std::shared_ptr<Fetch> &f, int timeoutMs = FetchTimeoutMs)
{
    return QTest::qWaitFor([&] { return f->done; }, timeoutMs);
}

QString describe(const CredentialsResult &r)
{
    return r.ok() ? QStringLiteral("ok: ") + r.credentials.describe() : QStringLiteral("error: ") + r.error.toString();
}

// IAM Identity Center's portal, GetRoleCredentials only, as botocore's sso
// model describes it: GET /federation/credentials?role_name=&account_id= with
// the token in x-amz-sso_bearer_token; 401 UnauthorizedException for an
// unknown token. One request per connection (Connection: close).
class FakeSsoPortal {
public:
    struct Request {
        QByteArray method;
        QByteArray target;
        QByteArray bearer;
    };

    FakeSsoPortal()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onReadable(socket); });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

    QByteArray token = "portal-token";
    QByteArray roleName = "Admin";
    QByteArray accountId = "111122223333";
    qint64 expirationMs = 0;
    QList<Request> requests;

private:
    void onReadable(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        m_buffers.remove(socket);
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        Request request { requestLine.value(0), requestLine.value(1), {} };
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].left(colon).trimmed().toLower() == "x-amz-sso_bearer_token")
                request.bearer = lines[i].mid(colon + 1).trimmed();
        }
        requests.append(request);

        const QUrl url(QString::fromLatin1(request.target));
        const QUrlQuery query(url);
        QByteArray status = "200 OK";
        QByteArray type;
        QByteArray body;
        if (request.method != "GET" || url.path() != u"/federation/credentials") {
            status = "404 Not Found";
            body = "{\"message\":\"no such operation\"}";
        } else if (request.bearer.isEmpty() || request.bearer != token) {
            status = "401 Unauthorized";
            type = "UnauthorizedException";
            body = "{\"message\":\"Session token not found or invalid\"}";
        } else if (query.queryItemValue(QStringLiteral("role_name")).toUtf8() != roleName
            || query.queryItemValue(QStringLiteral("account_id")).toUtf8() != accountId) {
            status = "403 Forbidden";
            type = "ForbiddenException";
            body = "{\"message\":\"No access\"}";
        } else {
            const QJsonObject credentials {
                { QStringLiteral("accessKeyId"), QStringLiteral("ASIASSOPORTAL0000001") },
                { QStringLiteral("secretAccessKey"), QStringLiteral("sso-secret") },
                { QStringLiteral("sessionToken"), QStringLiteral("sso-session-token") },
                { QStringLiteral("expiration"), double(expirationMs) },
            };
            body = QJsonDocument(QJsonObject { { QStringLiteral("roleCredentials"), credentials } })
                       .toJson(QJsonDocument::Compact);
        }
        QByteArray response = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n";
        if (!type.isEmpty())
            response
                += "x-amzn-ErrorType: " + type + ":http://internal.amazon.com/coral/com.amazon.switchboard.portal/\r\n";
        socket->write(response + "\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class TestCredentialChain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void environmentKeys();
    void environmentPartialKeys();
    void environmentVersusProfile_data();
    void environmentVersusProfile();
    void staticKeysInCredentialsFile();
    void staticKeysInConfigFile();
    void credentialsFileBeatsConfigFile();
    void credentialProcessBeforeConfigFileKeys();
    void orderMatchesBotocore();
    void credentialProcess();
    void credentialProcessFailures_data();
    void credentialProcessFailures();
    void credentialProcessTimeoutAndCancel();
    void advisoryRefreshKeepsCredentialsOnFailure();
    void shellSplitMatchesShlex();
    void assumeRoleWithSourceProfile();
    void chainedRoles();
    void sourceProfileCycle();
    void sourceProfileMayNameItself();
    void credentialSourceEnvironment();
    void externalIdReachesSts();
    void mfaPrompt();
    void ssoWithCachedToken_data();
    void ssoWithCachedToken();
    void ssoPortalProvenWithBotocore();
    void ssoWithoutUsableToken_data();
    void ssoWithoutUsableToken();
    void profileNotFound();
    void noCredentialsAtAll();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void writeConfig(const QByteArray &text)
    {
        QVERIFY(!Test::writeFile(path(QStringLiteral("config")), text).isEmpty());
    }
    void writeCredentials(const QByteArray &text)
    {
        QVERIFY(!Test::writeFile(path(QStringLiteral("credentials")), text).isEmpty());
    }
    QString writeScript(const QString &name, const QByteArray &body);
    // HOME is the temporary directory; the files are config and credentials there.
    Core::Environment environment(const QList<QPair<QString, QString>> &vars = {}) const;
    std::unique_ptr<ProfileCredentialsProvider> provider(const Core::Environment &env, const QString &cliProfile = {},
        const QString &region = QStringLiteral("us-east-1"));
    QString stsEndpointVar() const { return m_moto.endpoint().toString(); }
    // The assumed credentials' identity as moto's STS sees it.
    QString callerArn(const AwsCredentials &credentials);
    QJsonArray motoAssumedRoles();
    void writeSsoToken(const QString &key, const QString &accessToken, const QDateTime &expiresAt);

    MotoServer m_moto;
    QNetworkAccessManager m_network;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QObject> m_context;
};

void TestCredentialChain::initTestCase()
{
    QVERIFY2(m_moto.start(), qPrintable(m_moto.errorString()));
}

void TestCredentialChain::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_context = std::make_unique<QObject>();
    writeConfig({});
    writeCredentials({});
}

void TestCredentialChain::cleanup()
{
    m_context.reset();
    m_dir.reset();
}

QString TestCredentialChain::writeScript(const QString &name, const QByteArray &body)
{
    const QString file = Test::writeFile(path(name), "#!/bin/sh\n" + body);
    if (!file.isEmpty())
        QFile::setPermissions(file, QFile::permissions(file) | QFile::ExeOwner | QFile::ReadOwner);
    return file;
}

Core::Environment TestCredentialChain::environment(const QList<QPair<QString, QString>> &vars) const
{
    QProcessEnvironment e;
    e.insert(QStringLiteral("PATH"), QProcessEnvironment::systemEnvironment().value(QStringLiteral("PATH")));
    e.insert(QStringLiteral("HOME"), m_dir->path());
    e.insert(QStringLiteral("AWS_CONFIG_FILE"), path(QStringLiteral("config")));
    e.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), path(QStringLiteral("credentials")));
    for (const auto &v : vars)
        e.insert(v.first, v.second);
    return Core::Environment(e, m_dir->path());
}

std::unique_ptr<ProfileCredentialsProvider> TestCredentialChain::provider(
    const Core::Environment &env, const QString &cliProfile, const QString &region)
{
    const AwsConfigLoadResult loaded = AwsConfigLoader::load(env);
    if (!loaded.ok())
        qWarning("config does not load: %s", qPrintable(loaded.errors.first().toString()));
    return std::make_unique<ProfileCredentialsProvider>(env, loaded.config, cliProfile, &m_network, region);
}

QString TestCredentialChain::callerArn(const AwsCredentials &credentials)
{
    StaticCredentialsProvider source(credentials);
    AwsTransport transport(&m_network, &source, QStringLiteral("us-east-1"));
    transport.setEndpoint(ServiceInfo::sts(), m_moto.endpoint());
    AwsCall *call = StsClient(&transport).getCallerIdentity();
    QString arn;
    bool done = false;
    QObject::connect(call, &AwsCall::finished, m_context.get(), [&] {
        arn = call->response().ok() ? StsClient::callerIdentity(call->response()).arn
                                    : QStringLiteral("error: ") + call->response().error.toString();
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, FetchTimeoutMs))
        return QStringLiteral("GetCallerIdentity did not finish");
    return arn;
}

QJsonArray TestCredentialChain::motoAssumedRoles()
{
    const Test::LoopbackHttpReply reply = Test::loopbackHttpRequest(m_moto.port(), "GET", "/moto-api/data.json");
    return QJsonDocument::fromJson(reply.body)
        .object()
        .value(QStringLiteral("sts"))
        .toObject()
        .value(QStringLiteral("AssumedRole"))
        .toArray();
}

void TestCredentialChain::writeSsoToken(const QString &key, const QString &accessToken, const QDateTime &expiresAt)
{
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex());
    const QJsonObject token { { QStringLiteral("startUrl"), QStringLiteral("https://example.awsapps.com/start") },
        { QStringLiteral("region"), QStringLiteral("eu-west-1") }, { QStringLiteral("accessToken"), accessToken },
        { QStringLiteral("expiresAt"), expiresAt.toUTC().toString(Qt::ISODate) } };
    QVERIFY(!Test::writeFile(
        path(QStringLiteral(".aws/sso/cache/") + hash + QStringLiteral(".json")), QJsonDocument(token).toJson())
                 .isEmpty());
}

// ---------------------------------------------------------------- local sources

void TestCredentialChain::environmentKeys()
{
    writeConfig("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n");
    auto p = provider(environment({ { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") },
        { QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret") },
        { QStringLiteral("AWS_SESSION_TOKEN"), QStringLiteral("session") },
        { QStringLiteral("AWS_SECURITY_TOKEN"), QStringLiteral("security") } }));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(f->synchronous);
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDENV"));
    QCOMPARE(f->result.credentials.secretAccessKey, QStringLiteral("env-secret"));
    // botocore reads the older AWS_SECURITY_TOKEN first.
    QCOMPARE(f->result.credentials.sessionToken, QStringLiteral("security"));
    QCOMPARE(f->result.credentials.source, QStringLiteral("environment variables"));
    QCOMPARE(p->profileName(), QStringLiteral("default"));
}

void TestCredentialChain::environmentPartialKeys()
{
    auto p = provider(environment({ { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") } }));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("AWS_SECRET_ACCESS_KEY")),
        qPrintable(f->result.error.toString()));
}

void TestCredentialChain::environmentVersusProfile_data()
{
    QTest::addColumn<QString>("cliProfile");
    QTest::addColumn<QString>("awsProfile");
    QTest::addColumn<QString>("expectedKey");
    QTest::addColumn<QString>("expectedProfile");
    // Only --profile switches the environment's keys off (botocore's
    // disable_env_vars); AWS_PROFILE selects the profile but the keys win.
    QTest::newRow("no profile") << QString() << QString() << QStringLiteral("AKIDENV") << QStringLiteral("default");
    QTest::newRow("--profile") << QStringLiteral("dev") << QString() << QStringLiteral("AKIDDEV")
                               << QStringLiteral("dev");
    QTest::newRow("AWS_PROFILE") << QString() << QStringLiteral("dev") << QStringLiteral("AKIDENV")
                                 << QStringLiteral("dev");
    QTest::newRow("--profile over AWS_PROFILE")
        << QStringLiteral("dev") << QStringLiteral("default") << QStringLiteral("AKIDDEV") << QStringLiteral("dev");
}

void TestCredentialChain::environmentVersusProfile()
{
    QFETCH(QString, cliProfile);
    QFETCH(QString, awsProfile);
    QFETCH(QString, expectedKey);
    QFETCH(QString, expectedProfile);
    writeCredentials("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n"
                     "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n");
    QList<QPair<QString, QString>> vars { { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") },
        { QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret") } };
    if (!awsProfile.isEmpty())
        vars.append({ QStringLiteral("AWS_PROFILE"), awsProfile });
    auto p = provider(environment(vars), cliProfile);
    QCOMPARE(p->profileName(), expectedProfile);
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, expectedKey);
}

void TestCredentialChain::staticKeysInCredentialsFile()
{
    writeCredentials("[dev]\naws_access_key_id = AKIDCRED\naws_secret_access_key = cred-secret\n"
                     "aws_session_token = cred-token\n");
    auto p = provider(environment(), QStringLiteral("dev"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(f->synchronous);
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDCRED"));
    QCOMPARE(f->result.credentials.secretAccessKey, QStringLiteral("cred-secret"));
    QCOMPARE(f->result.credentials.sessionToken, QStringLiteral("cred-token"));
    QVERIFY(!f->result.credentials.expiration.isValid());
    QCOMPARE(f->result.credentials.source,
        QStringLiteral("profile dev (static keys in %1)").arg(path(QStringLiteral("credentials"))));

    // A key id without its secret is an error at that line.
    writeCredentials("[dev]\n# comment\naws_access_key_id = AKIDCRED\n");
    p = provider(environment(), QStringLiteral("dev"));
    f = startFetch(*p, m_context.get());
    QVERIFY(!f->result.ok());
    QCOMPARE(f->result.error.where.file, path(QStringLiteral("credentials")));
    QCOMPARE(f->result.error.where.line, 3);
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("aws_secret_access_key")),
        qPrintable(f->result.error.toString()));
}

void TestCredentialChain::staticKeysInConfigFile()
{
    writeConfig(
        "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDCONF\naws_secret_access_key = conf-secret\n");
    auto p = provider(environment(), QStringLiteral("dev"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(f->synchronous);
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDCONF"));
    QVERIFY(f->result.credentials.sessionToken.isEmpty());
    QCOMPARE(f->result.credentials.source,
        QStringLiteral("profile dev (static keys in %1)").arg(path(QStringLiteral("config"))));
}

void TestCredentialChain::credentialsFileBeatsConfigFile()
{
    writeConfig("[profile dev]\naws_access_key_id = AKIDCONF\naws_secret_access_key = conf-secret\n");
    writeCredentials("[dev]\naws_access_key_id = AKIDCRED\naws_secret_access_key = cred-secret\n"
                     // "[profile x]" in the credentials file is a profile named "profile dev", not dev.
                     "[profile dev]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong\n");
    auto p = provider(environment(), QStringLiteral("dev"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDCRED"));
    QCOMPARE(f->result.credentials.secretAccessKey, QStringLiteral("cred-secret"));
}

void TestCredentialChain::credentialProcessBeforeConfigFileKeys()
{
    // botocore: credentials file, then credential_process, then the config
    // file's keys; the process runs even though the config has keys.
    const QString script = writeScript(QStringLiteral("proc.sh"),
        "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret\"}'\n");
    writeConfig("[profile dev]\naws_access_key_id = AKIDCONF\naws_secret_access_key = conf-secret\n"
                "credential_process = "
        + script.toUtf8() + "\n");
    auto p = provider(environment(), QStringLiteral("dev"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(!f->synchronous);
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDPROC"));
    QCOMPARE(f->result.credentials.source, QStringLiteral("profile dev (credential_process)"));
}

// The same files and environments through botocore's own resolver: the
// access key each case ends with must match.
void TestCredentialChain::orderMatchesBotocore()
{
    const QString script = writeScript(QStringLiteral("proc.sh"),
        "echo \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"$1\\\", \\\"SecretAccessKey\\\": \\\"x\\\"}\"\n");
    writeConfig("[default]\naws_access_key_id = AKIDCFGDEFAULT\naws_secret_access_key = s\n"
                "[profile both]\naws_access_key_id = AKIDCFGBOTH\naws_secret_access_key = s\n"
                "[profile proc]\naws_access_key_id = AKIDCFGPROC\naws_secret_access_key = s\n"
                "credential_process = "
        + script.toUtf8()
        + " AKIDPROC\n"
          "[profile procincreds]\naws_access_key_id = AKIDCFGPIC\naws_secret_access_key = s\n"
          "[profile \"spaced name\"]\naws_access_key_id = AKIDSPACED\naws_secret_access_key = s\n");
    writeCredentials("[both]\naws_access_key_id = AKIDCREDBOTH\naws_secret_access_key = s\n"
                     "[credonly]\naws_access_key_id = AKIDCREDONLY\naws_secret_access_key = s\n"
                     "[procincreds]\ncredential_process = "
        + script.toUtf8() + " AKIDPROCINCREDS\n");

    struct Case {
        QString name;
        QString cliProfile;
        QList<QPair<QString, QString>> env;
    };
    const QPair<QString, QString> envKey { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") };
    const QPair<QString, QString> envSecret { QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s") };
    const QList<Case> cases {
        { QStringLiteral("default"), {}, {} },
        { QStringLiteral("env"), {}, { envKey, envSecret } },
        { QStringLiteral("env+AWS_PROFILE"), {},
            { envKey, envSecret, { QStringLiteral("AWS_PROFILE"), QStringLiteral("both") } } },
        { QStringLiteral("env+--profile"), QStringLiteral("both"), { envKey, envSecret } },
        { QStringLiteral("both"), QStringLiteral("both"), {} },
        { QStringLiteral("proc"), QStringLiteral("proc"), {} },
        { QStringLiteral("procincreds"), QStringLiteral("procincreds"), {} },
        { QStringLiteral("credonly"), QStringLiteral("credonly"), {} },
        { QStringLiteral("spaced"), QStringLiteral("spaced name"), {} },
        { QStringLiteral("AWS_DEFAULT_PROFILE first"), {},
            { { QStringLiteral("AWS_DEFAULT_PROFILE"), QStringLiteral("credonly") },
                { QStringLiteral("AWS_PROFILE"), QStringLiteral("both") } } },
    };

    QJsonArray botoCases;
    for (const Case &c : cases) {
        QJsonObject env;
        for (const auto &v : c.env)
            env.insert(v.first, v.second);
        botoCases.append(QJsonObject { { QStringLiteral("profile"), c.cliProfile }, { QStringLiteral("env"), env } });
    }
    const QString casesFile = Test::writeFile(path(QStringLiteral("cases.json")), QJsonDocument(botoCases).toJson());
    const QString oracle = Test::writeFile(path(QStringLiteral("oracle.py")),
        "import json, os, sys\n"
        "import botocore.session\n"
        "base = dict(os.environ)\n"
        "out = []\n"
        "for case in json.load(open(sys.argv[1])):\n"
        "    os.environ.clear(); os.environ.update(base); os.environ.update(case['env'])\n"
        "    s = botocore.session.Session(profile=case['profile'] or None)\n"
        "    c = s.get_credentials()\n"
        "    out.append(c.get_frozen_credentials().access_key if c else None)\n"
        "print(json.dumps(out))\n");

    QProcessEnvironment botoEnv = environment().variables();
    botoEnv.insert(QStringLiteral("AWS_EC2_METADATA_DISABLED"), QStringLiteral("true"));
    QProcess python;
    python.setProcessEnvironment(botoEnv);
    python.start(QStringLiteral("python3"), { oracle, casesFile });
    QVERIFY2(python.waitForStarted(), qPrintable(python.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(python.state() == QProcess::NotRunning, 20000);
    const QByteArray err = python.readAllStandardError();
    QVERIFY2(python.exitCode() == 0, err.constData());
    const QJsonArray expected = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
    QCOMPARE(expected.size(), cases.size());

    for (qsizetype i = 0; i < cases.size(); ++i) {
        const Case &c = cases.at(i);
        auto p = provider(environment(c.env), c.cliProfile);
        auto f = startFetch(*p, m_context.get());
        QVERIFY2(waitFor(f), qPrintable(c.name));
        QVERIFY2(f->result.ok(), qPrintable(c.name + QStringLiteral(": ") + describe(f->result)));
        QVERIFY2(f->result.credentials.accessKeyId == expected.at(i).toString(),
            qPrintable(QStringLiteral("%1: ours %2, botocore %3")
                           .arg(c.name, f->result.credentials.accessKeyId, expected.at(i).toString())));
    }
}

// ---------------------------------------------------------------- credential_process

void TestCredentialChain::credentialProcess()
{
    // A directory with a space, an argument with a space: split like shlex,
    // run without a shell. Each run is counted.
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("with space")));
    const QString script = writeScript(QStringLiteral("with space/creds.sh"),
        "echo run >> \"$(dirname \"$0\")/count\"\n"
        "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
        "\"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"%s\", "
        "\"Expiration\": \"%s\"}' \"$1\" \"$2\"\n");
    const QDateTime expires = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch() + 3600, Qt::UTC);
    writeConfig("[profile p]\ncredential_process = \"" + script.toUtf8() + "\" 'token with spaces' "
        + expires.toString(Qt::ISODate).toUtf8() + "\n");
    auto p = provider(environment(), QStringLiteral("p"));

    // Two fetches while the command runs share one run.
    auto first = startFetch(*p, m_context.get());
    auto second = startFetch(*p, m_context.get());
    QVERIFY(p->isFetching());
    QVERIFY(waitFor(first));
    QVERIFY(waitFor(second));
    QVERIFY2(first->result.ok(), qPrintable(describe(first->result)));
    QCOMPARE(first->calls, 1);
    QCOMPARE(second->result.credentials.accessKeyId, QStringLiteral("AKIDPROC"));
    QCOMPARE(first->result.credentials.sessionToken, QStringLiteral("token with spaces"));
    QCOMPARE(first->result.credentials.expiration, expires);

    // Fresh for an hour: the next fetch is answered from the cache at once.
    auto third = startFetch(*p, m_context.get());
    QVERIFY(third->synchronous);
    QCOMPARE(third->result.credentials.accessKeyId, QStringLiteral("AKIDPROC"));
    QFile count(path(QStringLiteral("with space/count")));
    QVERIFY(count.open(QIODevice::ReadOnly));
    QCOMPARE(count.readAll(), QByteArray("run\n"));
    count.close();

    // invalidate() drops the cache: the command runs again.
    p->invalidate();
    auto fourth = startFetch(*p, m_context.get());
    QVERIFY(!fourth->synchronous);
    QVERIFY(waitFor(fourth));
    QVERIFY(count.open(QIODevice::ReadOnly));
    QCOMPARE(count.readAll(), QByteArray("run\nrun\n"));

    // A context destroyed while waiting: its callback is dropped.
    p->invalidate();
    auto orphan = std::make_unique<QObject>();
    auto dropped = startFetch(*p, orphan.get());
    auto kept = startFetch(*p, m_context.get());
    orphan.reset();
    QVERIFY(waitFor(kept));
    QVERIFY(!dropped->done);

    // A cancelled job ends as cancelled; the one run still answers the other.
    p->invalidate();
    CredentialsJob *cancelled = p->fetch(m_context.get());
    cancelled->setAutoDelete(false);
    QSignalSpy cancelledDone(cancelled, &CredentialsJob::finished);
    cancelled->start();
    auto other = startFetch(*p, m_context.get());
    QVERIFY(p->isFetching());
    cancelled->cancel();
    QVERIFY(waitFor(other));
    QVERIFY2(other->result.ok(), qPrintable(describe(other->result)));
    QCOMPARE(cancelledDone.size(), 1);
    QVERIFY(cancelled->error().is(Core::Error::Kind::Cancelled));
    delete cancelled;
}

void TestCredentialChain::credentialProcessFailures_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QString>("arguments");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("exit code and stderr")
        << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\"}'\n"
                      "echo '  sso session expired  ' >&2\nexit 3\n")
        << QString() << QStringList { QStringLiteral("exited with code 3: sso session expired") };
    QTest::newRow("bad JSON") << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"SECRETVALUE\"'\n") << QString()
                              << QStringList { QStringLiteral("invalid JSON") };
    QTest::newRow("Version 2") << QByteArray(
        "echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\"}'\n")
                               << QString() << QStringList { QStringLiteral("unsupported Version 2") };
    QTest::newRow("Version as a string") << QByteArray(
        "echo '{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\"}'\n")
                                         << QString() << QStringList { QStringLiteral("unsupported Version \"1\"") };
    QTest::newRow("no Version") << QByteArray("echo '{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\"}'\n")
                                << QString() << QStringList { QStringLiteral("no Version") };
    QTest::newRow("no secret") << QByteArray("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n") << QString()
                               << QStringList { QStringLiteral("SecretAccessKey") };
    QTest::newRow("expired") << QByteArray(
        "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\", "
        "\"Expiration\": \"2020-01-02T03:04:05Z\"}'\n")
                             << QString() << QStringList { QStringLiteral("expired at 2020-01-02T03:04:05Z") };
    QTest::newRow("bad Expiration") << QByteArray(
        "echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETVALUE\", "
        "\"Expiration\": \"tomorrow\"}'\n")
                                    << QString() << QStringList { QStringLiteral("not an ISO 8601 time") };
    QTest::newRow("killed") << QByteArray("kill -9 $$\n") << QString() << QStringList { QStringLiteral("crashed") };
    QTest::newRow("command not found") << QByteArray() << QStringLiteral("bramble-no-such-credential-helper --x")
                                       << QStringList { QStringLiteral(
                                              "command not found: bramble-no-such-credential-helper") };
    QTest::newRow("unclosed quote") << QByteArray() << QStringLiteral("helper 'open")
                                    << QStringList { QStringLiteral("unclosed quote") };
}

void TestCredentialChain::credentialProcessFailures()
{
    QFETCH(QByteArray, script);
    QFETCH(QString, arguments);
    QFETCH(QStringList, expected);
    QByteArray command = arguments.toUtf8();
    if (!script.isEmpty())
        command = writeScript(QStringLiteral("fail.sh"), script).toUtf8();
    writeConfig("[default]\nregion = us-east-1\n\n[profile broken]\nregion = eu-west-1\ncredential_process = " + command
        + "\n");
    auto p = provider(environment(), QStringLiteral("broken"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    const QString error = f->result.error.toString();
    for (const QString &part : expected)
        QVERIFY2(error.contains(part), qPrintable(error));
    // Names the profile, the file and the line; never echoes the secret.
    QVERIFY2(error.contains(QStringLiteral("profile broken")), qPrintable(error));
    QCOMPARE(f->result.error.where.file, path(QStringLiteral("config")));
    QCOMPARE(f->result.error.where.line, 6);
    QVERIFY2(
        error.startsWith(path(QStringLiteral("config")) + QStringLiteral(":6: [profile broken] credential_process: ")),
        qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("SECRETVALUE")), qPrintable(error));
}

void TestCredentialChain::credentialProcessTimeoutAndCancel()
{
    const QString script = writeScript(QStringLiteral("slow.sh"), "echo waiting >&2\nexec sleep 30\n");
    writeConfig("[profile slow]\ncredential_process = " + script.toUtf8() + "\n");
    auto p = provider(environment(), QStringLiteral("slow"));
    p->setProcessTimeoutMs(300);
    QElapsedTimer timer;
    timer.start();
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("did not finish within 0.3 s: waiting")),
        qPrintable(f->result.error.toString()));

    // The job alone: cancel() ends it with an error, finished() comes once.
    CredentialProcessRequest request;
    request.commandLine = script;
    request.profile = QStringLiteral("slow");
    request.environment = environment().variables();
    CredentialProcessJob job(request);
    job.setAutoDelete(false);
    QSignalSpy finished(&job, &CredentialProcessJob::finished);
    job.start();
    job.cancel();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(job.error().is(Core::Error::Kind::Cancelled));
    QVERIFY(job.error().toString().contains(QStringLiteral("cancelled")));
    QVERIFY(!job.ok());
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
}

// botocore's windows: credentials with less than 15 minutes left are
// refreshed; if that fails while more than 10 minutes are left, the old ones
// are still served, and after that it is an error.
void TestCredentialChain::advisoryRefreshKeepsCredentialsOnFailure()
{
    const QString script = writeScript(QStringLiteral("expiring.sh"),
        "if [ -e \"$(dirname \"$0\")/fail\" ]; then echo 'no more' >&2; exit 1; fi\n"
        "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDEXP\", "
        "\"SecretAccessKey\": \"s\", \"Expiration\": \"%s\"}' \"$1\"\n");
    const auto configure = [&](qint64 secondsLeft) {
        const QDateTime expires = QDateTime::currentDateTimeUtc().addSecs(secondsLeft);
        writeConfig("[profile exp]\ncredential_process = " + script.toUtf8() + ' '
            + expires.toString(Qt::ISODate).toUtf8() + "\n");
    };
    const QString failFlag = path(QStringLiteral("fail"));

    configure(12 * 60); // inside the advisory window, outside the mandatory one
    auto p = provider(environment(), QStringLiteral("exp"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QVERIFY(!Test::writeFile(failFlag, "1").isEmpty());
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("refreshing credentials failed, keeping the current ones: .*no more")));
    f = startFetch(*p, m_context.get());
    QVERIFY(!f->synchronous); // a refresh was attempted
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("AKIDEXP"));

    QVERIFY(QFile::remove(failFlag));
    configure(5 * 60); // inside the mandatory window
    p = provider(environment(), QStringLiteral("exp"));
    f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QVERIFY(!Test::writeFile(failFlag, "1").isEmpty());
    f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("exited with code 1: no more")),
        qPrintable(f->result.error.toString()));
}

// The shared shellSplit (credential_process, "[profile x]" names) against
// Python's shlex.split, which botocore uses.
void TestCredentialChain::shellSplitMatchesShlex()
{
    const QStringList inputs {
        QStringLiteral("a b  c"),
        QStringLiteral("'a b' \"c d\""),
        QStringLiteral("a\\ b c"),
        QStringLiteral("\"x\\$y\" \"q\\\"q\" \"b\\\\s\""),
        QStringLiteral("a '' \"\" b"),
        QStringLiteral("it's"),
        QStringLiteral("x#y # z"),
        QStringLiteral("pre'mid dle'post"),
        QStringLiteral("tab\there\nnl"),
        QStringLiteral("'a\\b'"),
        QStringLiteral("\"open"),
        QStringLiteral("trailing\\"),
        QStringLiteral("profile \"my name\""),
    };
    QJsonArray json;
    for (const QString &s : inputs)
        json.append(s);
    const QString file = Test::writeFile(path(QStringLiteral("split.json")), QJsonDocument(json).toJson());
    QProcess python;
    python.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import json, shlex, sys\n"
                           "out = []\n"
                           "for s in json.load(open(sys.argv[1])):\n"
                           "    try: out.append(shlex.split(s))\n"
                           "    except ValueError: out.append(None)\n"
                           "print(json.dumps(out))\n"),
            file });
    QVERIFY2(python.waitForStarted(), qPrintable(python.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(python.state() == QProcess::NotRunning, 10000);
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const QJsonArray expected = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
    QCOMPARE(expected.size(), inputs.size());
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const std::optional<QStringList> ours = shellSplit(inputs.at(i));
        const QJsonValue theirs = expected.at(i);
        if (theirs.isNull()) {
            QVERIFY2(!ours, qPrintable(inputs.at(i)));
            continue;
        }
        QStringList words;
        for (const QJsonValue &w : theirs.toArray())
            words.append(w.toString());
        QVERIFY2(ours.has_value(), qPrintable(inputs.at(i)));
        QCOMPARE(*ours, words);
    }
}

// ---------------------------------------------------------------- assume role (moto)

void TestCredentialChain::assumeRoleWithSourceProfile()
{
    writeConfig("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n"
                "role_session_name = bramble-test\nduration_seconds = 1800\n"
                "[profile base]\nregion = us-east-1\n");
    writeCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    auto p = provider(
        environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } }), QStringLiteral("deploy"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(!f->synchronous);
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    const AwsCredentials c = f->result.credentials;
    QVERIFY2(c.accessKeyId.startsWith(QStringLiteral("ASIA")), qPrintable(c.accessKeyId));
    QVERIFY(!c.sessionToken.isEmpty());
    // duration_seconds reached STS: moto sets the expiry from it.
    const qint64 lifetime = QDateTime::currentDateTimeUtc().secsTo(c.expiration);
    QVERIFY2(lifetime > 1700 && lifetime <= 1800, qPrintable(QString::number(lifetime)));
    QCOMPARE(c.source,
        QStringLiteral("assume role arn:aws:iam::123456789012:role/deployer via profile base (static "
                       "keys in %1)")
            .arg(path(QStringLiteral("credentials"))));
    // The credentials work, as the role and with the session name given.
    QCOMPARE(callerArn(c), QStringLiteral("arn:aws:sts::123456789012:assumed-role/deployer/bramble-test"));

    // Served from the cache: at once, the same keys.
    auto again = startFetch(*p, m_context.get());
    QVERIFY(again->synchronous);
    QCOMPARE(again->result.credentials.accessKeyId, c.accessKeyId);

    // After invalidate(), STS is asked again and gives new keys.
    p->invalidate();
    auto fresh = startFetch(*p, m_context.get());
    QVERIFY(!fresh->synchronous);
    QVERIFY(waitFor(fresh));
    QVERIFY2(fresh->result.ok(), qPrintable(describe(fresh->result)));
    QVERIFY(fresh->result.credentials.accessKeyId != c.accessKeyId);
}

void TestCredentialChain::chainedRoles()
{
    // top -> middle -> base; the STS endpoint comes from the selected
    // profile's endpoint_url this time.
    writeConfig("[profile top]\nrole_arn = arn:aws:iam::222222222222:role/top-role\nsource_profile = middle\n"
                "endpoint_url = "
        + stsEndpointVar().toUtf8()
        + "\n"
          "[profile middle]\nrole_arn = arn:aws:iam::111111111111:role/middle-role\nsource_profile = base\n");
    writeCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    auto p = provider(environment(), QStringLiteral("top"), QString());
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QVERIFY(f->result.credentials.source.startsWith(
        QStringLiteral("assume role arn:aws:iam::222222222222:role/top-role via assume role "
                       "arn:aws:iam::111111111111:role/middle-role via profile base")));
    QVERIFY2(callerArn(f->result.credentials)
                 .startsWith(QStringLiteral("arn:aws:sts::222222222222:assumed-role/top-role/botocore-session-")),
        qPrintable(callerArn(f->result.credentials)));
}

void TestCredentialChain::sourceProfileCycle()
{
    writeConfig("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
                "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\n"
                "source_profile = a\n");
    auto p
        = provider(environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } }), QStringLiteral("a"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(f->synchronous); // decided from the files alone
    QVERIFY(!f->result.ok());
    const QString error = f->result.error.toString();
    QVERIFY2(error.contains(QStringLiteral("source_profile cycle: a -> b -> a")), qPrintable(error));
    QCOMPARE(f->result.error.where.file, path(QStringLiteral("config")));
    QCOMPARE(f->result.error.where.line, 6);
    QCOMPARE(f->result.error.where.key, QStringLiteral("[profile b] source_profile"));

    // A source_profile that does not exist.
    writeConfig("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = ghost\n");
    p = provider(environment(), QStringLiteral("a"));
    f = startFetch(*p, m_context.get());
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("\"ghost\" of profile a is not in")),
        qPrintable(f->result.error.toString()));
    QCOMPARE(f->result.error.where.line, 3);
}

void TestCredentialChain::sourceProfileMayNameItself()
{
    // botocore allows a role profile to take its own static keys.
    writeCredentials("[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n"
                     "role_arn = arn:aws:iam::123456789012:role/selfish\nsource_profile = self\n");
    auto p = provider(
        environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } }), QStringLiteral("self"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QVERIFY(f->result.credentials.accessKeyId.startsWith(QStringLiteral("ASIA")));
    QVERIFY2(f->result.credentials.source.contains(QStringLiteral("role/selfish via profile self")),
        qPrintable(f->result.credentials.source));
}

void TestCredentialChain::credentialSourceEnvironment()
{
    writeConfig("[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\ncredential_source = Environment\n");
    // --profile turns the environment provider off, not credential_source.
    auto p = provider(environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() },
                          { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") },
                          { QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("env-secret") } }),
        QStringLiteral("ci"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.source,
        QStringLiteral("assume role arn:aws:iam::123456789012:role/ci via environment variables "
                       "(credential_source of profile ci)"));

    // Without keys in the environment.
    p = provider(environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } }), QStringLiteral("ci"));
    f = startFetch(*p, m_context.get());
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("AWS_ACCESS_KEY_ID is not set")),
        qPrintable(f->result.error.toString()));
    QCOMPARE(f->result.error.where.line, 3);

    // Other sources are not implemented; unknown ones are invalid.
    writeConfig("[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\ncredential_source = Ec2InstanceMetadata\n"
                "[profile typo]\nrole_arn = arn:aws:iam::123456789012:role/ci\ncredential_source = environment\n");
    p = provider(environment(), QStringLiteral("ci"));
    f = startFetch(*p, m_context.get());
    QVERIFY2(
        f->result.error.toString().contains(QStringLiteral("not supported")), qPrintable(f->result.error.toString()));
    p = provider(environment(), QStringLiteral("typo"));
    f = startFetch(*p, m_context.get());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("\"environment\" is not valid")),
        qPrintable(f->result.error.toString()));
}

void TestCredentialChain::externalIdReachesSts()
{
    writeConfig("[profile partner]\nrole_arn = arn:aws:iam::444455556666:role/partner\nsource_profile = base\n"
                "external_id = bramble-ext-4711\n");
    writeCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    auto p = provider(
        environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } }), QStringLiteral("partner"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    // moto does not check it, but it keeps it: find our session in its state.
    bool seen = false;
    for (const QJsonValue &role : motoAssumedRoles()) {
        const QJsonObject r = role.toObject();
        if (r.value(QStringLiteral("access_key_id")).toString() == f->result.credentials.accessKeyId) {
            QCOMPARE(r.value(QStringLiteral("external_id")).toString(), QStringLiteral("bramble-ext-4711"));
            seen = true;
        }
    }
    QVERIFY(seen);
}

void TestCredentialChain::mfaPrompt()
{
    writeConfig("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
    writeCredentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    const Core::Environment env = environment({ { QStringLiteral("AWS_ENDPOINT_URL_STS"), stsEndpointVar() } });

    // No prompt: an error naming the device, at the mfa_serial line.
    auto p = provider(env, QStringLiteral("admin"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(
                 QStringLiteral("needs an MFA code for arn:aws:iam::123456789012:mfa/alice")),
        qPrintable(f->result.error.toString()));
    QCOMPARE(f->result.error.where.line, 4);

    // A prompt that answers later, as a dialog would.
    QStringList asked;
    p->setMfaPrompt([&](const QString &serial, ProfileCredentialsProvider::MfaAnswer answer) {
        asked.append(serial);
        QTimer::singleShot(10, m_context.get(), [answer] {
            answer(QStringLiteral("123456"));
            answer(QStringLiteral("654321")); // a second answer is ignored
        });
    });
    f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(asked, QStringList { QStringLiteral("arn:aws:iam::123456789012:mfa/alice") });
    QVERIFY(f->result.credentials.accessKeyId.startsWith(QStringLiteral("ASIA")));

    // The user cancels.
    p->invalidate();
    p->setMfaPrompt([](const QString &, ProfileCredentialsProvider::MfaAnswer answer) { answer(QString()); });
    f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("no MFA code given")),
        qPrintable(f->result.error.toString()));
}

// ---------------------------------------------------------------- SSO

void TestCredentialChain::ssoWithCachedToken_data()
{
    QTest::addColumn<bool>("legacy");
    QTest::newRow("sso-session") << false;
    QTest::newRow("legacy sso_start_url") << true;
}

void TestCredentialChain::ssoWithCachedToken()
{
    QFETCH(bool, legacy);
    FakeSsoPortal portal;
    QVERIFY(portal.listen());
    portal.expirationMs = QDateTime::currentDateTimeUtc().addSecs(3600).toMSecsSinceEpoch() / 1000 * 1000;
    if (legacy) {
        writeConfig("[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
                    "sso_account_id = 111122223333\nsso_role_name = Admin\n");
        writeSsoToken(QStringLiteral("https://example.awsapps.com/start"), QStringLiteral("portal-token"),
            QDateTime::currentDateTimeUtc().addSecs(600));
    } else {
        writeConfig("[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
                    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
                    "sso_registration_scopes = sso:account:access\n");
        writeSsoToken(
            QStringLiteral("corp"), QStringLiteral("portal-token"), QDateTime::currentDateTimeUtc().addSecs(600));
    }
    auto p = provider(environment({ { QStringLiteral("AWS_ENDPOINT_URL_SSO"), portal.url() } }), QStringLiteral("sso"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY2(f->result.ok(), qPrintable(describe(f->result)));
    QCOMPARE(f->result.credentials.accessKeyId, QStringLiteral("ASIASSOPORTAL0000001"));
    QCOMPARE(f->result.credentials.sessionToken, QStringLiteral("sso-session-token"));
    QCOMPARE(f->result.credentials.expiration.toMSecsSinceEpoch(), portal.expirationMs);
    QCOMPARE(f->result.credentials.source, QStringLiteral("profile sso (SSO role Admin in account 111122223333)"));
    QCOMPARE(portal.requests.size(), 1);
    QCOMPARE(portal.requests.first().method, QByteArray("GET"));
    QCOMPARE(
        portal.requests.first().target, QByteArray("/federation/credentials?role_name=Admin&account_id=111122223333"));
    QCOMPARE(portal.requests.first().bearer, QByteArray("portal-token"));

    auto cached = startFetch(*p, m_context.get());
    QVERIFY(cached->synchronous);
    QCOMPARE(portal.requests.size(), 1);

    // The portal refuses the token: the error says how to log in again.
    portal.token = "another-token";
    p->invalidate();
    f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("aws sso login --profile sso")),
        qPrintable(f->result.error.toString()));
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("UnauthorizedException")),
        qPrintable(f->result.error.toString()));
}

// The fake portal and the token cache file, as the real client reads them:
// botocore resolves the same profile through them.
void TestCredentialChain::ssoPortalProvenWithBotocore()
{
    FakeSsoPortal portal;
    QVERIFY(portal.listen());
    portal.expirationMs = QDateTime::currentDateTimeUtc().addSecs(3600).toMSecsSinceEpoch();
    writeConfig("[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
                "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n");
    writeSsoToken(
        QStringLiteral("corp"), QStringLiteral("portal-token"), QDateTime::currentDateTimeUtc().addSecs(3600));

    QProcess python;
    QProcessEnvironment env = environment({ { QStringLiteral("AWS_ENDPOINT_URL_SSO"), portal.url() } }).variables();
    python.setProcessEnvironment(env);
    python.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QStringLiteral("import botocore.session\n"
                           "c = botocore.session.Session(profile='sso').get_credentials().get_frozen_credentials()\n"
                           "print(c.access_key, c.token)\n") });
    QVERIFY2(python.waitForStarted(), qPrintable(python.errorString()));
    // The portal runs on this thread's event loop: wait, do not block.
    QTRY_VERIFY_WITH_TIMEOUT(python.state() == QProcess::NotRunning, 20000);
    const QByteArray err = python.readAllStandardError();
    QVERIFY2(python.exitCode() == 0, err.constData());
    QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("ASIASSOPORTAL0000001 sso-session-token"));
    QCOMPARE(portal.requests.size(), 1);
    QCOMPARE(portal.requests.first().bearer, QByteArray("portal-token"));

    // And the same with curl, for the wire format alone.
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-sS"), QStringLiteral("-H"), QStringLiteral("x-amz-sso_bearer_token: portal-token"),
            portal.url() + QStringLiteral("/federation/credentials?role_name=Admin&account_id=111122223333") });
    QVERIFY2(curl.waitForStarted(), qPrintable(curl.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(curl.state() == QProcess::NotRunning, 10000);
    QVERIFY(curl.readAllStandardOutput().contains("\"accessKeyId\":\"ASIASSOPORTAL0000001\""));
}

void TestCredentialChain::ssoWithoutUsableToken_data()
{
    QTest::addColumn<int>("tokenAgeSeconds"); // -1: no token file
    QTest::addColumn<QString>("expected");
    QTest::newRow("no cached token") << -1 << QStringLiteral("no cached SSO token for sso-session corp");
    QTest::newRow("expired token") << 60 << QStringLiteral("the SSO token for sso-session corp expired at");
}

void TestCredentialChain::ssoWithoutUsableToken()
{
    QFETCH(int, tokenAgeSeconds);
    QFETCH(QString, expected);
    writeConfig("[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
                "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n");
    if (tokenAgeSeconds >= 0)
        writeSsoToken(
            QStringLiteral("corp"), QStringLiteral("old"), QDateTime::currentDateTimeUtc().addSecs(-tokenAgeSeconds));
    auto p = provider(environment({ { QStringLiteral("AWS_ENDPOINT_URL_SSO"), QStringLiteral("http://127.0.0.1:9") } }),
        QStringLiteral("sso"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(waitFor(f));
    QVERIFY(!f->result.ok());
    const QString error = f->result.error.toString();
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("run `aws sso login --profile sso`")), qPrintable(error));
    QVERIFY2(error.startsWith(path(QStringLiteral("config")) + QStringLiteral(":2: [profile sso] sso_session")),
        qPrintable(error));

    // A profile half configured for SSO.
    writeConfig("[profile half]\nsso_account_id = 111122223333\n");
    p = provider(environment(), QStringLiteral("half"));
    f = startFetch(*p, m_context.get());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("missing sso_role_name, sso_start_url, sso_region")),
        qPrintable(f->result.error.toString()));
}

// ---------------------------------------------------------------- nothing there

void TestCredentialChain::profileNotFound()
{
    writeConfig("[profile dev]\nregion = eu-west-1\n");
    auto p = provider(environment(), QStringLiteral("nope"));
    auto f = startFetch(*p, m_context.get());
    QVERIFY(!f->result.ok());
    QString error = f->result.error.toString();
    QVERIFY2(error.contains(QStringLiteral("profile \"nope\" not found")), qPrintable(error));
    QVERIFY2(error.contains(path(QStringLiteral("config"))), qPrintable(error));
    QVERIFY2(error.contains(path(QStringLiteral("credentials"))), qPrintable(error));

    // Named by AWS_PROFILE: still an error, even with keys in the environment
    // (botocore's ProfileNotFound comes first).
    p = provider(environment({ { QStringLiteral("AWS_PROFILE"), QStringLiteral("nope") },
        { QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIDENV") },
        { QStringLiteral("AWS_SECRET_ACCESS_KEY"), QStringLiteral("s") } }));
    f = startFetch(*p, m_context.get());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("profile \"nope\" not found")),
        qPrintable(describe(f->result)));
}

void TestCredentialChain::noCredentialsAtAll()
{
    // The implicit default profile may be missing; then there is nothing.
    auto p = provider(environment());
    auto f = startFetch(*p, m_context.get());
    QVERIFY(!f->result.ok());
    QVERIFY2(f->result.error.toString().contains(QStringLiteral("no AWS credentials")),
        qPrintable(f->result.error.toString()));

    // A profile with only a region.
    writeConfig("[profile dev]\nregion = eu-west-1\n");
    p = provider(environment(), QStringLiteral("dev"));
    f = startFetch(*p, m_context.get());
    const QString error = f->result.error.toString();
    QVERIFY2(error.contains(QStringLiteral("no AWS credentials for profile dev")), qPrintable(error));
    QVERIFY2(error.startsWith(path(QStringLiteral("config")) + QStringLiteral(":1: [profile dev]")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestCredentialChain)
#include "tst_credentialchain.moc"
