// KubeConnection and KubeAuth: how a kubeconfig user becomes request
// credentials. Exec plugins are real scripts run by /bin/sh; certificates are
// made with openssl at test time.

#include "core/environment.h"
#include "kube/kubeauth.h"
#include "kube/kubeconfigloader.h"
#include "kube/kubeconnection.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Bramble;
using namespace Bramble::Kube;

Q_DECLARE_METATYPE(std::optional<QString>)

namespace {

KubeAuthResult fetchNow(KubeAuth &auth, bool *answered = nullptr)
{
    KubeAuthResult result;
    bool done = false;
    QEventLoop loop;
    auth.fetch(&loop, [&](const KubeAuthResult &r) {
        result = r;
        done = true;
        loop.quit();
    });
    if (!done) {
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (answered)
        *answered = done;
    return result;
}

} // namespace

class TestKubeAuth : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_certPem;
    QByteArray m_keyPem;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString write(const QString &name, const QByteArray &text, bool executable = false) const
    {
        const QString file = path(name);
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file));
        f.write(text);
        f.close();
        if (executable)
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return file;
    }

    Core::Environment env(const QMap<QString, QString> &extra = {}) const
    {
        QProcessEnvironment e;
        e.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        e.insert(QStringLiteral("SHELL"), QStringLiteral("/bin/sh"));
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            e.insert(it.key(), it.value());
        return Core::Environment(e, m_dir.path());
    }

    // A kubeconfig with one context "c" whose user is `userYaml` (indented
    // under "user:"), resolved to a connection.
    std::optional<KubeConnection> resolveUser(
        const QByteArray &userYaml, const QByteArray &clusterExtra = {}, Core::Errors *errorsOut = nullptr)
    {
        const QByteArray yaml = "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                "clusters:\n- name: k\n  cluster:\n    server: https://10.0.0.2:6443\n"
            + clusterExtra + "users:\n- name: u\n  user:\n" + userYaml
            + "contexts:\n- name: c\n  context: {cluster: k, user: u}\n";
        const QString file = write(QStringLiteral("kubeconfig"), yaml);
        const KubeconfigLoadResult loaded = KubeconfigLoader::loadFiles({ file }, true);
        if (!loaded.ok()) {
            if (errorsOut)
                *errorsOut = loaded.errors;
            else
                qWarning("%s", qPrintable(loaded.errors.first().toString()));
            return std::nullopt;
        }
        Core::Errors errors;
        auto c = KubeConnection::resolve(loaded.config, {}, env(), &errors);
        if (errorsOut)
            *errorsOut = errors;
        else if (!errors.isEmpty())
            qWarning("%s", qPrintable(errors.first().toString()));
        return c;
    }

    // An exec plugin script: `body` is shell that runs before printing `output`.
    QByteArray execUser(const QString &script, const QByteArray &extra = {},
        const QByteArray &apiVersion = "client.authentication.k8s.io/v1") const
    {
        return "    exec:\n      apiVersion: " + apiVersion + "\n      command: " + script.toUtf8()
            + "\n      interactiveMode: Never\n" + extra;
    }

    QString plugin(const QString &name, const QByteArray &body) const
    {
        return write(name, "#!/bin/sh\n" + body, true);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QProcess openssl;
        openssl.setWorkingDirectory(m_dir.path());
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-keyout"), QStringLiteral("client.key"), QStringLiteral("-out"),
                QStringLiteral("client.crt"), QStringLiteral("-subj"), QStringLiteral("/CN=pi-admin"),
                QStringLiteral("-days"), QStringLiteral("1") });
        QVERIFY2(openssl.waitForFinished(20000) && openssl.exitCode() == 0, openssl.readAllStandardError().constData());
        QFile c(path(QStringLiteral("client.crt"))), k(path(QStringLiteral("client.key")));
        QVERIFY(c.open(QIODevice::ReadOnly) && k.open(QIODevice::ReadOnly));
        m_certPem = c.readAll();
        m_keyPem = k.readAll();
        QVERIFY(!parsePrivateKey(m_keyPem).isNull());
    }

    void staticToken()
    {
        auto c = resolveUser("    token: abc.def\n");
        QVERIFY(c);
        KubeAuth auth(*c, env());
        bool answeredAtOnce = false;
        const KubeAuthResult r = fetchNow(auth, &answeredAtOnce);
        QVERIFY(answeredAtOnce);
        QVERIFY(r.ok());
        QCOMPARE(r.authorization, QByteArray("Bearer abc.def"));
    }

    void basicAuth()
    {
        auto c = resolveUser("    username: pi\n    password: \"s3cret:x\"\n");
        QVERIFY(c);
        KubeAuth auth(*c, env());
        QCOMPARE(fetchNow(auth).authorization, "Basic " + QByteArray("pi:s3cret:x").toBase64());
    }

    void tokenFileIsReadAgain()
    {
        const QString file = write(QStringLiteral("token"), "first\n");
        auto c = resolveUser("    tokenFile: " + file.toUtf8() + "\n    token: ignored\n");
        QVERIFY(c);
        KubeAuth auth(*c, env());
        QCOMPARE(fetchNow(auth).authorization, QByteArray("Bearer first"));
        write(QStringLiteral("token"), "second\n");
        // Within the minute: the value read last.
        QCOMPARE(fetchNow(auth).authorization, QByteArray("Bearer first"));
        // After a 401, at once.
        auth.invalidate();
        QCOMPARE(fetchNow(auth).authorization, QByteArray("Bearer second"));
        write(QStringLiteral("token"), "third");
        auth.setTokenFileRefreshMs(0);
        QCOMPARE(fetchNow(auth).authorization, QByteArray("Bearer third"));

        QFile::remove(file);
        const KubeAuthResult gone = fetchNow(auth);
        QVERIFY(!gone.ok());
        QVERIFY2(gone.error.toString().contains(file), qPrintable(gone.error.toString()));
        QVERIFY2(gone.error.toString().contains(QStringLiteral("tokenFile")), qPrintable(gone.error.toString()));
    }

    void execTokenCachedUntilExpiry()
    {
        const QString runs = path(QStringLiteral("runs"));
        QFile::remove(runs);
        const QString script = plugin(QStringLiteral("token-plugin"),
            "echo run >> '" + runs.toUtf8()
                + "'\n"
                  "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                  "\"status\":{\"token\":\"from-plugin\",\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}'\n");
        auto c = resolveUser(execUser(script));
        QVERIFY(c);
        KubeAuth auth(*c, env());
        KubeAuthResult r = fetchNow(auth);
        QVERIFY2(r.ok(), qPrintable(r.error.toString()));
        QCOMPARE(r.authorization, QByteArray("Bearer from-plugin"));
        QCOMPARE(r.expiry, QDateTime(QDate(2099, 1, 1), QTime(0, 0), Qt::UTC));
        bool atOnce = false;
        r = fetchNow(auth, &atOnce);
        QVERIFY(atOnce); // cached: the plugin did not run again
        QCOMPARE(auth.execRuns(), 1);
        auth.invalidate(); // a 401
        QVERIFY(fetchNow(auth).ok());
        QCOMPARE(auth.execRuns(), 2);
    }

    void execExpiredRunsAgain()
    {
        const QString script = plugin(QStringLiteral("expired-plugin"),
            "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"2001-01-01T00:00:00Z\"}}'\n");
        auto c = resolveUser(execUser(script, {}, "client.authentication.k8s.io/v1beta1"));
        QVERIFY(c);
        KubeAuth auth(*c, env());
        QVERIFY(fetchNow(auth).ok());
        QVERIFY(fetchNow(auth).ok());
        QCOMPARE(auth.execRuns(), 2);
    }

    void execSharesOneRun()
    {
        const QString script = plugin(QStringLiteral("slow-plugin"),
            "sleep 0.3\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"t\"}}'\n");
        auto c = resolveUser(execUser(script));
        QVERIFY(c);
        KubeAuth auth(*c, env());
        int answers = 0;
        QEventLoop loop;
        for (int i = 0; i < 3; ++i)
            auth.fetch(&loop, [&](const KubeAuthResult &r) {
                QVERIFY(r.ok());
                if (++answers == 3)
                    loop.quit();
            });
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        QCOMPARE(answers, 3);
        QCOMPARE(auth.execRuns(), 1);
    }

    void execInputs()
    {
        const QString seen = path(QStringLiteral("seen.json"));
        const QString script = plugin(QStringLiteral("echo-plugin"),
            "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '" + seen.toUtf8()
                + "'\n"
                  "echo \"$1 $2 $REGION\" > '"
                + seen.toUtf8()
                + ".args'\n"
                  "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                  "\"status\":{\"token\":\"t\"}}'\n");
        auto c = resolveUser(execUser(script,
            "      args: [eks, get-token]\n      env:\n      - {name: REGION, value: eu-west-1}\n"
            "      provideClusterInfo: true\n"));
        QVERIFY(c);
        KubeAuth auth(*c, env());
        QVERIFY(fetchNow(auth).ok());
        QFile f(seen), a(seen + QStringLiteral(".args"));
        QVERIFY(f.open(QIODevice::ReadOnly) && a.open(QIODevice::ReadOnly));
        const QJsonObject info = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(
            info.value(QStringLiteral("apiVersion")).toString(), QStringLiteral("client.authentication.k8s.io/v1"));
        QCOMPARE(info.value(QStringLiteral("kind")).toString(), QStringLiteral("ExecCredential"));
        const QJsonObject spec = info.value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("interactive")), QJsonValue(false));
        QCOMPARE(spec.value(QStringLiteral("cluster")).toObject().value(QStringLiteral("server")).toString(),
            QStringLiteral("https://10.0.0.2:6443"));
        QCOMPARE(a.readAll().trimmed(), QByteArray("eks get-token eu-west-1"));
    }

    void execClientCertificate()
    {
        QJsonObject status { { QStringLiteral("clientCertificateData"), QString::fromUtf8(m_certPem) },
            { QStringLiteral("clientKeyData"), QString::fromUtf8(m_keyPem) } };
        const QByteArray json = QJsonDocument(
            QJsonObject { { QStringLiteral("apiVersion"), QStringLiteral("client.authentication.k8s.io/v1") },
                { QStringLiteral("kind"), QStringLiteral("ExecCredential") },
                { QStringLiteral("status"),
                    status } }).toJson(QJsonDocument::Compact);
        write(QStringLiteral("cred.json"), json);
        const QString script
            = plugin(QStringLiteral("cert-plugin"), "cat '" + path(QStringLiteral("cred.json")).toUtf8() + "'\n");
        auto c = resolveUser(execUser(script));
        QVERIFY(c);
        KubeAuth auth(*c, env());
        const KubeAuthResult r = fetchNow(auth);
        QVERIFY2(r.ok(), qPrintable(r.error.toString()));
        QVERIFY(r.authorization.isEmpty());
        QCOMPARE(r.clientCertificate.subjectInfo(QSslCertificate::CommonName).value(0), QStringLiteral("pi-admin"));
        QVERIFY(!r.clientKey.isNull());
    }

    void execLoginShellPath()
    {
        // A desktop launcher's PATH lacks the plugin; the login shell's has it.
        plugin(QStringLiteral("login-bin/cloud-auth"),
            "echo "
            "'{\"apiVersion\":\"client.authentication.k8s.io/"
            "v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"via-login\"}}'\n");
        const QString shell = write(QStringLiteral("fake-shell"),
            "#!/bin/sh\n[ \"$1\" = -l ] || exit 3\necho 'Welcome banner'\necho '"
                + path(QStringLiteral("login-bin")).toUtf8() + ":/usr/bin:/bin'\n",
            true);
        auto c = resolveUser(execUser(QStringLiteral("cloud-auth")));
        QVERIFY(c);
        KubeAuth auth(*c, env({ { QStringLiteral("SHELL"), shell } }));
        const KubeAuthResult r = fetchNow(auth);
        QVERIFY2(r.ok(), qPrintable(r.error.toString()));
        QCOMPARE(r.authorization, QByteArray("Bearer via-login"));
    }

    void execErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("expected");
        const QByteArray ok = "\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\"";
        QTest::newRow("fails") << QByteArray("echo 'token expired, run aws sso login' >&2\nexit 4\n") << QByteArray()
                               << QStringLiteral("failed (exit 4): token expired, run aws sso login");
        QTest::newRow("not json") << QByteArray("echo hello\n") << QByteArray()
                                  << QStringLiteral("no ExecCredential JSON");
        QTest::newRow("other apiVersion")
            << QByteArray("echo "
                          "'{\"apiVersion\":\"client.authentication.k8s.io/"
                          "v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}'\n")
            << QByteArray() << QStringLiteral("the kubeconfig asks for client.authentication.k8s.io/v1");
        QTest::newRow("cert without key")
            << QByteArray("echo '{" + ok + ",\"status\":{\"clientCertificateData\":\"x\"}}'\n") << QByteArray()
            << QStringLiteral("without clientKeyData");
        QTest::newRow("nothing") << QByteArray("echo '{" + ok + ",\"status\":{}}'\n") << QByteArray()
                                 << QStringLiteral("neither status.token nor a client certificate");
        QTest::newRow("bad expiry") << QByteArray(
            "echo '{" + ok + ",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"tomorrow\"}}'\n")
                                    << QByteArray() << QStringLiteral("expirationTimestamp \"tomorrow\"");
        QTest::newRow("interactive") << QByteArray("echo never runs\n") << QByteArray("      interactiveMode: Always\n")
                                     << QStringLiteral("needs an interactive terminal");
    }

    void execErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, extra);
        QFETCH(QString, expected);
        const QString script = plugin(QStringLiteral("bad-plugin"), body);
        QByteArray user = execUser(script);
        if (!extra.isEmpty())
            user.replace("      interactiveMode: Never\n", extra);
        auto c = resolveUser(user);
        QVERIFY(c);
        KubeAuth auth(*c, env());
        const KubeAuthResult r = fetchNow(auth);
        QVERIFY(!r.ok());
        const QString text = r.error.toString();
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY2(text.contains(path(QStringLiteral("kubeconfig"))), qPrintable(text)); // names the file
    }

    void execNotFoundShowsInstallHint()
    {
        const QString shell = write(QStringLiteral("plain-shell"), "#!/bin/sh\necho /usr/bin:/bin\n", true);
        auto c = resolveUser(execUser(
            QStringLiteral("no-such-plugin-xyz"), "      installHint: \"Install the aws CLI: apt install awscli\"\n"));
        QVERIFY(c);
        KubeAuth auth(*c, env({ { QStringLiteral("SHELL"), shell } }));
        const KubeAuthResult r = fetchNow(auth);
        QVERIFY(!r.ok());
        QVERIFY2(r.error.toString().contains(QStringLiteral("\"no-such-plugin-xyz\" not found")),
            qPrintable(r.error.toString()));
        QVERIFY2(r.error.toString().contains(QStringLiteral("Install the aws CLI")), qPrintable(r.error.toString()));
    }

    void connectionMaterial()
    {
        const QString crt = write(QStringLiteral("c.crt"), m_certPem);
        const QString key = write(QStringLiteral("c.key"), m_keyPem);
        auto c = resolveUser("    client-certificate: " + crt.toUtf8() + "\n    client-key: " + key.toUtf8() + "\n",
            "    certificate-authority-data: " + m_certPem.toBase64() + "\n    tls-server-name: pi.lan\n");
        QVERIFY(c);
        QCOMPARE(c->caCertificates.size(), 1);
        QVERIFY(!c->clientCertificate.isNull());
        QVERIFY(!c->clientKey.isNull());
        QCOMPARE(c->peerVerifyName, QStringLiteral("pi.lan"));
        QCOMPARE(c->sslConfiguration().peerVerifyMode(), QSslSocket::VerifyPeer);
        QCOMPARE(c->namespace_, QStringLiteral("default"));

        Core::Errors errors;
        QVERIFY(!resolveUser("    token: t\n",
            "    certificate-authority-data: " + QByteArray("not a cert").toBase64() + "\n", &errors));
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().toString().contains(QStringLiteral("certificate-authority-data")),
            qPrintable(errors.first().toString()));

        errors.clear();
        QVERIFY(!resolveUser(
            "    client-certificate: " + crt.toUtf8() + "\n    client-key: /nonexistent/k.key\n", {}, &errors));
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().toString().contains(QStringLiteral("/nonexistent/k.key")),
            qPrintable(errors.first().toString()));

        errors.clear();
        QVERIFY(!resolveUser("    token: t\n", "    proxy-url: ftp://proxy:21\n", &errors));
        QVERIFY2(!errors.isEmpty() && errors.first().toString().contains(QStringLiteral("proxy-url")),
            qPrintable(errors.value(0).toString()));

        auto insecure = resolveUser("    token: t\n", "    insecure-skip-tls-verify: true\n");
        QVERIFY(insecure);
        QCOMPARE(insecure->sslConfiguration().peerVerifyMode(), QSslSocket::VerifyNone);
    }

    void proxyFromTheEnvironment_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("httpsProxy");
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<std::optional<QString>>("expected"); // proxy host, or none

        const QString p = QStringLiteral("http://proxy.corp:3128");
        QTest::newRow("none set") << "https://pi.lan:6443" << QString() << QString() << std::optional<QString>();
        QTest::newRow("used") << "https://pi.lan:6443" << p << QString()
                              << std::optional<QString>(QStringLiteral("proxy.corp"));
        QTest::newRow("no scheme") << "https://pi.lan:6443" << QStringLiteral("proxy.corp:3128") << QString()
                                   << std::optional<QString>(QStringLiteral("proxy.corp"));
        QTest::newRow("loopback never") << "https://127.0.0.1:6443" << p << QString() << std::optional<QString>();
        QTest::newRow("localhost never") << "https://localhost:6443" << p << QString() << std::optional<QString>();
        QTest::newRow("no_proxy domain") << "https://pi.lan:6443" << p << QStringLiteral("example.com, .lan")
                                         << std::optional<QString>();
        QTest::newRow("no_proxy suffix without dot")
            << "https://k8s.pi.lan:6443" << p << QStringLiteral("pi.lan") << std::optional<QString>();
        QTest::newRow("no_proxy not a suffix") << "https://mypi.lan:6443" << p << QStringLiteral("pi.lan")
                                               << std::optional<QString>(QStringLiteral("proxy.corp"));
        QTest::newRow("no_proxy cidr") << "https://10.0.0.2:6443" << p << QStringLiteral("10.0.0.0/8")
                                       << std::optional<QString>();
        QTest::newRow("no_proxy star") << "https://10.0.0.2:6443" << p << QStringLiteral("*")
                                       << std::optional<QString>();
        QTest::newRow("no_proxy other port") << "https://pi.lan:6443" << p << QStringLiteral("pi.lan:443")
                                             << std::optional<QString>(QStringLiteral("proxy.corp"));
        QTest::newRow("no_proxy same port")
            << "https://pi.lan:6443" << p << QStringLiteral("pi.lan:6443") << std::optional<QString>();
    }

    void proxyFromTheEnvironment()
    {
        QFETCH(QString, url);
        QFETCH(QString, httpsProxy);
        QFETCH(QString, noProxy);
        QFETCH(std::optional<QString>, expected);
        QMap<QString, QString> vars;
        if (!httpsProxy.isEmpty())
            vars.insert(QStringLiteral("https_proxy"), httpsProxy);
        if (!noProxy.isEmpty())
            vars.insert(QStringLiteral("NO_PROXY"), noProxy);
        const auto proxy = proxyFromEnvironment(QUrl(url), env(vars));
        QCOMPARE(proxy.has_value(), expected.has_value());
        if (proxy) {
            QCOMPARE(proxy->hostName(), *expected);
            QCOMPARE(proxy->port(), quint16(3128));
            QCOMPARE(proxy->type(), QNetworkProxy::HttpProxy);
        }
    }

    void proxyUrls()
    {
        QString error;
        auto socks = parseProxyUrl(QStringLiteral("socks5://user:pw@10.1.1.1:1080"), &error);
        QVERIFY(socks);
        QCOMPARE(socks->type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(socks->user(), QStringLiteral("user"));
        QCOMPARE(socks->password(), QStringLiteral("pw"));
        QVERIFY(!parseProxyUrl(QStringLiteral("ftp://x:1"), &error));
        QVERIFY(error.contains(QStringLiteral("http, https or socks5")));
    }
};

QTEST_GUILESS_MAIN(TestKubeAuth)
#include "tst_kubeauth.moc"
