// Proves FakeKubeApiServer against clients written by others: the real kubectl
// (list, Table output, -o json, paging, watch, cordon, token and client
// certificate authentication) and Qt's own HTTPS stack for the wire details
// kubectl hides (chunk framing, faults, 410, bookmarks).

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Bramble::Test::FakeKubeApiServer;
using Bramble::Test::TestPki;

namespace {

QSslConfiguration trusting(const TestPki &pki)
{
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setCaCertificates(QSslCertificate::fromData(pki.caCertPem, QSsl::Pem));
    return conf;
}

// One HTTP/1.1 request on its own TLS connection, with the response kept as
// raw bytes so a test can check the chunk framing itself.
class RawExchange {
public:
    RawExchange(const TestPki &pki, quint16 port, const QByteArray &target,
        const QByteArray &token = FakeKubeApiServer::defaultToken())
    {
        m_socket.setSslConfiguration(trusting(pki));
        QObject::connect(&m_socket, &QSslSocket::encrypted, &m_socket, [this, target, token] {
            m_socket.write("GET "_ba + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"_ba
                + "Authorization: Bearer "_ba + token + "\r\n\r\n"_ba);
        });
        QObject::connect(&m_socket, &QIODevice::readyRead, &m_socket, [this] {
            m_raw += m_socket.readAll();
            ++m_reads;
        });
        QObject::connect(&m_socket, &QAbstractSocket::disconnected, &m_socket, [this] { m_closed = true; });
        QObject::connect(&m_socket, &QSslSocket::sslErrors, &m_socket,
            [this](const QList<QSslError> &errors) { m_sslError = errors.value(0).errorString(); });
        m_socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
    }
    ~RawExchange() { m_socket.abort(); }

    bool closed() const { return m_closed; }
    int reads() const { return m_reads; }
    QString sslError() const { return m_sslError; }
    void close() { m_socket.abort(); }

    int status() const
    {
        const qsizetype end = m_raw.indexOf("\r\n\r\n");
        return end < 0 ? 0 : m_raw.left(end).split(' ').value(1).toInt();
    }
    QByteArray header(const QByteArray &name) const
    {
        const qsizetype end = m_raw.indexOf("\r\n\r\n");
        for (const QByteArray &line : m_raw.left(std::max<qsizetype>(0, end)).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }

    // Chunked body decoding, independent of the server's code.
    struct Body {
        QList<QByteArray> chunks; // complete chunk payloads
        bool terminated = false; // the zero-size last chunk arrived
        bool malformed = false;
        QByteArray data() const { return chunks.join(); }
        QList<QJsonObject> events() const
        {
            QList<QJsonObject> out;
            const QByteArray d = data();
            for (const QByteArray &line : d.left(d.lastIndexOf('\n') + 1).split('\n'))
                if (!line.isEmpty())
                    out << QJsonDocument::fromJson(line).object();
            return out;
        }
        QByteArray partialLine() const
        {
            const QByteArray d = data();
            return d.mid(d.lastIndexOf('\n') + 1);
        }
    };
    Body body() const
    {
        Body b;
        const qsizetype end = m_raw.indexOf("\r\n\r\n");
        if (end < 0)
            return b;
        if (header("transfer-encoding"_ba) != "chunked") {
            b.chunks << m_raw.mid(end + 4);
            return b;
        }
        qsizetype pos = end + 4;
        for (;;) {
            const qsizetype lineEnd = m_raw.indexOf("\r\n", pos);
            if (lineEnd < 0)
                break;
            bool ok = false;
            const qsizetype size = m_raw.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok) {
                b.malformed = true;
                break;
            }
            if (size == 0) {
                b.terminated = m_raw.mid(lineEnd, 4) == "\r\n\r\n";
                break;
            }
            if (m_raw.size() < lineEnd + 2 + size + 2)
                break;
            b.chunks << m_raw.mid(lineEnd + 2, size);
            b.malformed = b.malformed || m_raw.mid(lineEnd + 2 + size, 2) != "\r\n";
            pos = lineEnd + 2 + size + 2;
        }
        return b;
    }

private:
    QSslSocket m_socket;
    QByteArray m_raw;
    int m_reads = 0;
    bool m_closed = false;
    QString m_sslError;
};

struct HttpResult {
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray retryAfter;
    QByteArray contentType;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QStringList words(const QString &line)
{
    return line.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts);
}

QStringList outputLines(const QByteArray &out)
{
    return QString::fromUtf8(out).split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

class TestFakeKubeApiServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void kubectlGetNodesShowsStatuses();
    void kubectlJsonAndPagingMatchTheStore();
    void kubectlWatchShowsChanges();
    void kubectlAuthentication_data();
    void kubectlAuthentication();
    void kubectlCordonAndForbidden();
    void executableServesKubectl();

    void listPagesShareSnapshotAndExpire();
    void getNotFoundAndUnauthorized();
    void watchReplaysAfterResourceVersion();
    void watchFromZeroSendsAddedThenFollows();
    void watchExpired();
    void watchBookmarks();
    void watchChunkSplitting();
    void watchDrop_data();
    void watchDrop();
    void watchStall();
    void requestFaultsAndCounts();
    void patchFlavours();
    void fiveThousandNodes();

    void kubectlGetServicesPoolsAndConfigMap();
    void kubectlApplyPools();
    void kubectlWatchServices();
    void writesDryRunAndConflicts();
    void namespacedWatchFilters();

private:
    struct Run {
        int exitCode = -1;
        bool finished = false;
        QByteArray out, err;
    };
    QString writeKubeconfig(const QString &name, const QByteArray &yaml);
    void setUpKubectl(QProcess &p, const QString &kubeconfig, const QStringList &args);
    Run kubectl(const QString &kubeconfig, const QStringList &args);
    HttpResult http(const FakeKubeApiServer &server, const QByteArray &method, const QString &target,
        const QByteArray &body = {}, const QByteArray &contentType = {},
        const QByteArray &token = FakeKubeApiServer::defaultToken(), int transferTimeoutMs = 10000);

    QTemporaryDir m_tmp;
    TestPki m_pki;
    QString m_kubectl;
    QNetworkAccessManager m_nam;
};

void TestFakeKubeApiServer::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_kubectl = QStandardPaths::findExecutable(u"kubectl"_s);
    if (m_kubectl.isEmpty() && QFile::exists(u"/usr/bin/kubectl"_s))
        m_kubectl = u"/usr/bin/kubectl"_s;
    QVERIFY2(!m_kubectl.isEmpty(), "kubectl (1.32) is needed: not in PATH nor /usr/bin/kubectl");
    QString error;
    m_pki = TestPki::generate(m_tmp.filePath(u"pki"_s), &error);
    QVERIFY2(m_pki.isValid(), qPrintable(error));
    QVERIFY(QDir().mkpath(m_tmp.filePath(u"home"_s)));
}

QString TestFakeKubeApiServer::writeKubeconfig(const QString &name, const QByteArray &yaml)
{
    const QString path = m_tmp.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(yaml) != yaml.size())
        return {};
    return path;
}

void TestFakeKubeApiServer::setUpKubectl(QProcess &p, const QString &kubeconfig, const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"KUBECONFIG"_s);
    env.insert(u"HOME"_s, m_tmp.filePath(u"home"_s));
    p.setProcessEnvironment(env);
    p.setProgram(m_kubectl);
    p.setArguments(QStringList { u"--kubeconfig="_s + kubeconfig, u"--cache-dir="_s + m_tmp.filePath(u"cache"_s),
                       u"--request-timeout=10s"_s }
        + args);
}

// Runs kubectl while this thread's event loop keeps serving the fake.
TestFakeKubeApiServer::Run TestFakeKubeApiServer::kubectl(const QString &kubeconfig, const QStringList &args)
{
    QProcess p;
    setUpKubectl(p, kubeconfig, args);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start();
    Run run;
    run.finished = finished.wait(20000);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(2000);
    }
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

HttpResult TestFakeKubeApiServer::http(const FakeKubeApiServer &server, const QByteArray &method, const QString &target,
    const QByteArray &body, const QByteArray &contentType, const QByteArray &token, int transferTimeoutMs)
{
    QNetworkRequest request(QUrl(server.url() + target));
    request.setSslConfiguration(trusting(m_pki));
    request.setTransferTimeout(transferTimeoutMs);
    if (!token.isEmpty())
        request.setRawHeader("Authorization"_ba, "Bearer "_ba + token);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    HttpResult r;
    if (!reply->isFinished() && !finished.wait(20000)) {
        reply->abort();
        r.error = QNetworkReply::TimeoutError;
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        r.body = reply->readAll();
    r.error = reply->error() == QNetworkReply::NoError ? r.error : reply->error();
    r.retryAfter = reply->rawHeader("Retry-After"_ba);
    r.contentType = reply->rawHeader("Content-Type"_ba);
    reply->deleteLater();
    return r;
}

// ---------------------------------------------------------------------------
// kubectl

void TestFakeKubeApiServer::kubectlGetNodesShowsStatuses()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(4);
    QVERIFY(server.setReady(u"rpi-02"_s, u"False"_s));
    QVERIFY(server.setReady(u"rpi-03"_s, u"Unknown"_s));
    QVERIFY(server.setUnschedulable(u"rpi-04"_s, true));
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));

    const Run run = kubectl(kc, { u"get"_s, u"nodes"_s });
    QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
    const QStringList lines = outputLines(run.out);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(words(lines.at(0)), (QStringList { u"NAME"_s, u"STATUS"_s, u"ROLES"_s, u"AGE"_s, u"VERSION"_s }));
    // kubectl's printer says NotReady for both False and Unknown.
    const QList<QStringList> expected { { u"rpi-01"_s, u"Ready"_s, u"control-plane"_s },
        { u"rpi-02"_s, u"NotReady"_s, u"<none>"_s }, { u"rpi-03"_s, u"NotReady"_s, u"<none>"_s },
        { u"rpi-04"_s, u"Ready,SchedulingDisabled"_s, u"<none>"_s } };
    for (int i = 0; i < 4; ++i) {
        const QStringList w = words(lines.at(i + 1));
        QCOMPARE(w.mid(0, 3), expected.at(i));
        QCOMPARE(w.value(3), u"29d"_s);
        QCOMPARE(w.value(4), u"v1.32.4"_s);
    }
    const FakeKubeApiServer::Request list = server.lastRequest(FakeKubeApiServer::List);
    QVERIFY(list.header("accept"_ba).contains("as=Table"));
    QCOMPARE(list.queryValue(u"limit"_s), u"500"_s);
    QCOMPARE(list.user, FakeKubeApiServer::tokenUser());

    const Run wide = kubectl(kc, { u"get"_s, u"nodes"_s, u"-o"_s, u"wide"_s });
    QVERIFY2(wide.exitCode == 0, wide.err.constData());
    const QStringList first = words(outputLines(wide.out).value(1));
    QCOMPARE(first.value(5), u"10.42.0.11"_s);
    QCOMPARE(first.value(6), u"<none>"_s);
    QVERIFY(outputLines(wide.out).value(1).contains(u"Debian GNU/Linux 12 (bookworm)"_s));
    QCOMPARE(first.last(), u"containerd://1.7.24"_s);
}

void TestFakeKubeApiServer::kubectlJsonAndPagingMatchTheStore()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(5);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));

    for (const QStringList &extra : { QStringList {}, QStringList { u"--chunk-size=2"_s } }) {
        server.clearRequests();
        const Run run = kubectl(kc, QStringList { u"get"_s, u"nodes"_s, u"-o"_s, u"json"_s } + extra);
        QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
        const QJsonArray items = QJsonDocument::fromJson(run.out).object().value("items"_L1).toArray();
        QCOMPARE(items.size(), 5);
        for (const QJsonValue &item : items) {
            const QString name = item.toObject().value("metadata"_L1).toObject().value("name"_L1).toString();
            QCOMPARE(item.toObject(), server.node(name));
        }
        if (!extra.isEmpty()) {
            // Three pages: 2 + 2 + 1, each after the first with a continue token.
            QCOMPARE(server.requestCount(FakeKubeApiServer::List), 3);
            const auto &log = server.requests();
            QVERIFY(!log.at(log.size() - 3).hasQuery(u"continue"_s));
            QVERIFY(!log.at(log.size() - 2).queryValue(u"continue"_s).isEmpty());
            QCOMPARE(log.last().queryValue(u"limit"_s), u"2"_s);
        }
    }
}

void TestFakeKubeApiServer::kubectlWatchShowsChanges()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(3);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));

    QProcess watch;
    setUpKubectl(watch, kc, { u"get"_s, u"nodes"_s, u"--watch"_s });
    QSignalSpy finished(&watch, &QProcess::finished);
    QByteArray out;
    watch.start();
    QTRY_VERIFY_WITH_TIMEOUT((out += watch.readAllStandardOutput(), out.contains("rpi-03")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(server.activeWatchCount(), 1, 10000);
    const FakeKubeApiServer::Request w = server.lastRequest(FakeKubeApiServer::Watch);
    QCOMPARE(w.queryValue(u"resourceVersion"_s), QString::fromLatin1(server.resourceVersion()));

    QVERIFY(server.setReady(u"rpi-02"_s, u"False"_s));
    QVERIFY(server.setUnschedulable(u"rpi-03"_s, true));
    auto sawLine = [&](const QStringList &want) {
        out += watch.readAllStandardOutput();
        for (const QString &line : outputLines(out))
            if (words(line).mid(0, 2) == want)
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawLine({ u"rpi-02"_s, u"NotReady"_s }), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(sawLine({ u"rpi-03"_s, u"Ready,SchedulingDisabled"_s }), 10000);
    QCOMPARE(finished.size(), 0);
    watch.kill();
    QVERIFY(finished.wait(5000));
    QTRY_COMPARE(server.activeWatchCount(), 0);
}

void TestFakeKubeApiServer::kubectlAuthentication_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("user");
    QTest::newRow("token") << u"token"_s << true << FakeKubeApiServer::tokenUser();
    QTest::newRow("wrong token") << u"wrong"_s << false << QString();
    QTest::newRow("client certificate") << u"cert"_s << true << TestPki::clientCommonName();
    QTest::newRow("stranger's certificate") << u"stranger"_s << false << QString();
    QTest::newRow("token before rotation") << u"rotated-old"_s << false << QString();
    QTest::newRow("token after rotation") << u"rotated-new"_s << true << FakeKubeApiServer::tokenUser();
}

void TestFakeKubeApiServer::kubectlAuthentication()
{
    QFETCH(QString, credentials);
    QFETCH(bool, accepted);
    QFETCH(QString, user);
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    QVERIFY(server.listen());
    QByteArray yaml;
    if (credentials == u"token" || credentials == u"rotated-old")
        yaml = server.kubeconfigWithToken(FakeKubeApiServer::defaultToken());
    else if (credentials == u"wrong")
        yaml = server.kubeconfigWithToken("not-the-token"_ba);
    else if (credentials == u"cert")
        yaml = server.kubeconfigWithClientCertificate(m_pki.clientCertPem, m_pki.clientKeyPem);
    else if (credentials == u"stranger")
        yaml = server.kubeconfigWithClientCertificate(m_pki.strangerCertPem, m_pki.strangerKeyPem);
    else
        yaml = server.kubeconfigWithToken("rotated-token"_ba);
    if (credentials.startsWith(u"rotated"))
        server.setToken("rotated-token"_ba);

    const Run run = kubectl(writeKubeconfig(u"auth.kubeconfig"_s, yaml), { u"get"_s, u"nodes"_s, u"-o"_s, u"name"_s });
    QVERIFY(run.finished);
    if (accepted) {
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(outputLines(run.out), (QStringList { u"node/rpi-01"_s, u"node/rpi-02"_s }));
        QCOMPARE(server.lastRequest().user, user);
    } else {
        QVERIFY(run.exitCode != 0);
        // kubectl 1.32 fails in discovery, which reports 401 generically:
        // "(the server has asked for the client to provide credentials)".
        QVERIFY2(run.err.contains("error: You must be logged in to the server ("), run.err.constData());
        QCOMPARE(server.lastRequest().status, 401);
    }
}

void TestFakeKubeApiServer::kubectlCordonAndForbidden()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(3);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));
    const QByteArray rv = server.resourceVersion();

    Run run = kubectl(kc, { u"cordon"_s, u"rpi-02"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), "node/rpi-02 cordoned"_ba);
    QVERIFY(server.node(u"rpi-02"_s).value("spec"_L1).toObject().value("unschedulable"_L1).toBool());
    QVERIFY(server.resourceVersion() != rv);
    const FakeKubeApiServer::Request patch = server.lastRequest(FakeKubeApiServer::Patch);
    QCOMPARE(patch.header("content-type"_ba), "application/strategic-merge-patch+json"_ba);

    server.setForbidden(FakeKubeApiServer::Patch);
    run = kubectl(kc, { u"uncordon"_s, u"rpi-02"_s });
    // kubectl reports a node it could not change and still exits 0.
    QCOMPARE(server.lastRequest().status, 403);
    QVERIFY2(run.err.contains("error: unable to uncordon node \"rpi-02\": nodes \"rpi-02\" is forbidden: User "
                              "\"bramble-test-token-user\" cannot patch resource "
                              "\"nodes\""),
        run.err.constData());
    QVERIFY(server.node(u"rpi-02"_s).value("spec"_L1).toObject().value("unschedulable"_L1).toBool());

    server.setForbidden({});
    run = kubectl(kc, { u"uncordon"_s, u"rpi-02"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(!server.node(u"rpi-02"_s).value("spec"_L1).toObject().contains("unschedulable"_L1));
}

void TestFakeKubeApiServer::executableServesKubectl()
{
    for (const bool bySignal : { true, false }) {
        QProcess fake;
        fake.setProgram(QStringLiteral(BRAMBLE_FAKE_KUBE_APISERVER));
        const QString dir = m_tmp.filePath(bySignal ? u"exe-signal"_s : u"exe-eof"_s);
        fake.setArguments({ u"--nodes"_s, u"7"_s, u"--pki-dir"_s, dir });
        QSignalSpy finished(&fake, &QProcess::finished);
        fake.start(); // stdin stays an open pipe
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += fake.readAllStandardOutput(), out.contains('\n')), 15000);
        const QRegularExpressionMatch m
            = QRegularExpression(u"^READY https://127\\.0\\.0\\.1:(\\d+) KUBECONFIG=(\\S+)\\n$"_s)
                  .match(QString::fromUtf8(out));
        QVERIFY2(m.hasMatch(), out.constData());
        QCOMPARE(m.captured(2), dir + u"/kubeconfig"_s);
        QVERIFY(QFile::exists(dir + u"/ca.crt"_s));

        const QStringList kubeconfigs = bySignal ? QStringList { m.captured(2), dir + u"/kubeconfig-client-cert"_s }
                                                 : QStringList { m.captured(2) };
        for (const QString &kc : kubeconfigs) {
            const Run run = kubectl(kc, { u"get"_s, u"nodes"_s, u"--no-headers"_s });
            QVERIFY2(run.exitCode == 0, run.err.constData());
            const QStringList lines = outputLines(run.out);
            QCOMPARE(lines.size(), 7);
            QCOMPARE(words(lines.at(2)).mid(0, 3), (QStringList { u"rpi-03"_s, u"Ready"_s, u"control-plane"_s }));
            QCOMPARE(words(lines.at(6)).mid(0, 3), (QStringList { u"rpi-07"_s, u"Ready"_s, u"<none>"_s }));
        }
        if (bySignal)
            fake.terminate();
        else
            fake.closeWriteChannel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(fake.exitStatus(), QProcess::NormalExit);
        QCOMPARE(fake.exitCode(), 0);
    }
}

// ---------------------------------------------------------------------------
// The wire, through Qt's HTTPS stack and raw sockets

void TestFakeKubeApiServer::listPagesShareSnapshotAndExpire()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(5);
    QVERIFY(server.listen());

    HttpResult page = http(server, "GET"_ba, u"/api/v1/nodes?limit=2"_s);
    QCOMPARE(page.status, 200);
    QJsonObject meta = page.json().value("metadata"_L1).toObject();
    const QString rv = meta.value("resourceVersion"_L1).toString();
    QCOMPARE(page.json().value("kind"_L1).toString(), u"NodeList"_s);
    QCOMPARE(page.json().value("items"_L1).toArray().size(), 2);
    QCOMPARE(meta.value("remainingItemCount"_L1).toInt(), 3);
    const QString token = meta.value("continue"_L1).toString();
    QVERIFY(!token.isEmpty());

    // A change between pages is not visible: pages come from one snapshot.
    QVERIFY(server.setReady(u"rpi-03"_s, u"False"_s));
    page = http(server, "GET"_ba, u"/api/v1/nodes?limit=2&continue="_s + token);
    QCOMPARE(page.status, 200);
    meta = page.json().value("metadata"_L1).toObject();
    QCOMPARE(meta.value("resourceVersion"_L1).toString(), rv);
    const QJsonArray items = page.json().value("items"_L1).toArray();
    QCOMPARE(items.at(0).toObject().value("metadata"_L1).toObject().value("name"_L1).toString(), u"rpi-03"_s);
    QVERIFY(items.at(0).toObject().value("metadata"_L1).toObject().value("resourceVersion"_L1).toString()
        != QString::fromLatin1(server.resourceVersion()));
    for (const QJsonValue &c : items.at(0)["status"_L1]["conditions"_L1].toArray())
        if (c["type"_L1].toString() == u"Ready")
            QCOMPARE(c["status"_L1].toString(), u"True"_s); // as it was when the list began
    const QString token2 = meta.value("continue"_L1).toString();

    // Once the snapshot is compacted, the token is too old: 410 Expired.
    server.compactHistory();
    page = http(server, "GET"_ba, u"/api/v1/nodes?limit=2&continue="_s + token2);
    QCOMPARE(page.status, 410);
    QCOMPARE(page.json().value("kind"_L1).toString(), u"Status"_s);
    QCOMPARE(page.json().value("reason"_L1).toString(), u"Expired"_s);
    QCOMPARE(page.json().value("code"_L1).toInt(), 410);
    // ... with an inconsistent-continue token for the remainder, as the real server.
    const QString inconsistent = page.json().value("metadata"_L1).toObject().value("continue"_L1).toString();
    QVERIFY(!inconsistent.isEmpty());
    page = http(server, "GET"_ba, u"/api/v1/nodes?limit=2&continue="_s + inconsistent);
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json().value("items"_L1).toArray().size(), 1);

    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes?limit=2&continue=garbage"_s).status, 400);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes?limit=2&resourceVersion=5&continue="_s + token).status, 400);
    // A fresh full list has everything, at the current version.
    page = http(server, "GET"_ba, u"/api/v1/nodes"_s);
    QCOMPARE(page.json().value("items"_L1).toArray().size(), 5);
    QCOMPARE(page.json().value("metadata"_L1).toObject().value("resourceVersion"_L1).toString().toLatin1(),
        server.resourceVersion());
    QVERIFY(!page.json().value("metadata"_L1).toObject().contains("continue"_L1));
}

void TestFakeKubeApiServer::getNotFoundAndUnauthorized()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    QVERIFY(server.listen());

    HttpResult r = http(server, "GET"_ba, u"/api/v1/nodes/rpi-01"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json(), server.node(u"rpi-01"_s));
    QCOMPARE(r.contentType, "application/json"_ba);

    r = http(server, "GET"_ba, u"/api/v1/nodes/rpi-99"_s);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"NotFound"_s);
    QCOMPARE(r.json().value("message"_L1).toString(), u"nodes \"rpi-99\" not found"_s);

    for (const QByteArray &token : { QByteArray(), "nope"_ba }) {
        r = http(server, "GET"_ba, u"/api/v1/nodes"_s, {}, {}, token);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().value("kind"_L1).toString(), u"Status"_s);
        QCOMPARE(r.json().value("reason"_L1).toString(), u"Unauthorized"_s);
    }
    r = http(server, "GET"_ba, u"/api/v1/namespaces/default/pods"_s);
    QCOMPARE(r.status, 404);
}

void TestFakeKubeApiServer::watchReplaysAfterResourceVersion()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(3);
    QVERIFY(server.listen());
    const QByteArray from = server.resourceVersion();
    QVERIFY(server.setReady(u"rpi-02"_s, u"Unknown"_s));
    QVERIFY(server.addNode(FakeKubeApiServer::makeNode(u"rpi-04"_s)));
    QVERIFY(server.deleteNode(u"rpi-01"_s));

    RawExchange x(m_pki, server.port(),
        "/api/v1/nodes?allowWatchBookmarks=true&resourceVersion="_ba + from + "&timeoutSeconds=1&watch=true"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(x.body().terminated, 5000);
    QCOMPARE(x.status(), 200);
    QCOMPARE(x.header("transfer-encoding"_ba), "chunked"_ba);
    QCOMPARE(x.header("content-type"_ba), "application/json"_ba);
    const QList<QJsonObject> events = x.body().events();
    QCOMPARE(events.size(), 3);
    QCOMPARE(events.at(0).value("type"_L1).toString(), u"MODIFIED"_s);
    QCOMPARE(events.at(1).value("type"_L1).toString(), u"ADDED"_s);
    QCOMPARE(events.at(2).value("type"_L1).toString(), u"DELETED"_s);
    const QJsonObject modified = events.at(0).value("object"_L1).toObject();
    QCOMPARE(modified.value("metadata"_L1).toObject().value("name"_L1).toString(), u"rpi-02"_s);
    for (const QJsonValue &c : modified.value("status"_L1).toObject().value("conditions"_L1).toArray())
        QCOMPARE(c.toObject().value("status"_L1).toString(), u"Unknown"_s);
    QCOMPARE(events.at(2)
                 .value("object"_L1)
                 .toObject()
                 .value("metadata"_L1)
                 .toObject()
                 .value("resourceVersion"_L1)
                 .toString()
                 .toLatin1(),
        server.resourceVersion());
    const FakeKubeApiServer::Request w = server.lastRequest(FakeKubeApiServer::Watch);
    QCOMPARE(w.queryValue(u"resourceVersion"_s).toLatin1(), from);
    QCOMPARE(w.queryValue(u"timeoutSeconds"_s), u"1"_s);
    QCOMPARE(w.queryValue(u"allowWatchBookmarks"_s), u"true"_s);
}

void TestFakeKubeApiServer::watchFromZeroSendsAddedThenFollows()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(3);
    QVERIFY(server.listen());
    QSignalSpy started(&server, &FakeKubeApiServer::watchStarted);
    RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=1&resourceVersion=0"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(x.body().events().size(), 3, 5000);
    QCOMPARE(started.size(), 1);
    for (const QJsonObject &e : x.body().events())
        QCOMPARE(e.value("type"_L1).toString(), u"ADDED"_s);

    QVERIFY(server.setLabel(u"rpi-01"_s, u"bramble.dev/zone"_s, u"shelf-2"_s));
    QTRY_COMPARE_WITH_TIMEOUT(x.body().events().size(), 4, 5000);
    const QJsonObject e = x.body().events().last();
    QCOMPARE(e.value("type"_L1).toString(), u"MODIFIED"_s);
    QCOMPARE(e.value("object"_L1)["metadata"_L1]["labels"_L1]["bramble.dev/zone"_L1].toString(), u"shelf-2"_s);
    QCOMPARE(server.activeWatchCount(), 1);
    QSignalSpy ended(&server, &FakeKubeApiServer::watchEnded);
    server.closeWatches();
    QCOMPARE(ended.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(x.body().terminated, 5000);
}

void TestFakeKubeApiServer::watchExpired()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    QVERIFY(server.listen());
    const QByteArray old = server.resourceVersion();
    QVERIFY(server.setReady(u"rpi-01"_s, u"False"_s));
    server.compactHistory();

    // Default: a 200 stream with one ERROR event holding a 410 Status, then the end.
    {
        RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=true&resourceVersion="_ba + old);
        QTRY_VERIFY_WITH_TIMEOUT(x.body().terminated, 5000);
        QCOMPARE(x.status(), 200);
        const QList<QJsonObject> events = x.body().events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).value("type"_L1).toString(), u"ERROR"_s);
        const QJsonObject status = events.at(0).value("object"_L1).toObject();
        QCOMPARE(status.value("kind"_L1).toString(), u"Status"_s);
        QCOMPARE(status.value("code"_L1).toInt(), 410);
        QCOMPARE(status.value("reason"_L1).toString(), u"Expired"_s);
        QVERIFY(status.value("message"_L1).toString().startsWith(u"too old resource version: "_s));
    }
    // From the current version the watch works.
    {
        RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=true&resourceVersion="_ba + server.resourceVersion());
        QTRY_COMPARE_WITH_TIMEOUT(server.activeWatchCount(), 1, 5000);
        QVERIFY(server.setReady(u"rpi-02"_s, u"False"_s));
        QTRY_COMPARE_WITH_TIMEOUT(x.body().events().size(), 1, 5000);
        QCOMPARE(x.body().events().first().value("type"_L1).toString(), u"MODIFIED"_s);
    }
    server.setWatchExpiredAsHttpError(true);
    const HttpResult r
        = http(server, "GET"_ba, u"/api/v1/nodes?watch=true&resourceVersion="_s + QString::fromLatin1(old));
    QCOMPARE(r.status, 410);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"Expired"_s);
}

void TestFakeKubeApiServer::watchBookmarks()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(1);
    server.setBookmarkInterval(100);
    QVERIFY(server.listen());
    const QByteArray rv = server.resourceVersion();
    RawExchange with(m_pki, server.port(), "/api/v1/nodes?watch=1&allowWatchBookmarks=true&resourceVersion="_ba + rv);
    RawExchange without(m_pki, server.port(), "/api/v1/nodes?watch=1&resourceVersion="_ba + rv);
    QTRY_VERIFY_WITH_TIMEOUT(with.body().events().size() >= 2, 5000);
    const QJsonObject bookmark = with.body().events().first();
    QCOMPARE(bookmark.value("type"_L1).toString(), u"BOOKMARK"_s);
    const QJsonObject object = bookmark.value("object"_L1).toObject();
    QCOMPARE(object.value("kind"_L1).toString(), u"Node"_s);
    QCOMPARE(object.value("metadata"_L1).toObject().value("resourceVersion"_L1).toString().toLatin1(), rv);
    QVERIFY(!object.contains("spec"_L1) && !object.contains("status"_L1));

    // A bookmark carries the newest version once things change.
    QVERIFY(server.setReady(u"rpi-01"_s, u"False"_s));
    QTRY_VERIFY_WITH_TIMEOUT(
        with.body().events().last().value("object"_L1)["metadata"_L1]["resourceVersion"_L1].toString().toLatin1()
                == server.resourceVersion()
            && with.body().events().last().value("type"_L1).toString() == u"BOOKMARK",
        5000);
    // Not asked for, none sent (meanwhile `with` got several).
    server.closeWatches();
    QTRY_VERIFY_WITH_TIMEOUT(without.body().terminated, 5000);
    const QList<QJsonObject> events = without.body().events();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).value("type"_L1).toString(), u"MODIFIED"_s);
}

void TestFakeKubeApiServer::watchChunkSplitting()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(3);
    QVERIFY(server.listen());

    // Chunks of 700, 1 and 13 bytes, spaced out: boundaries land inside JSON.
    FakeKubeApiServer::WatchFault split;
    split.chunkSizes = { 700, 1, 13 };
    split.chunkIntervalMs = 2;
    server.injectWatchFault(split);
    {
        RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=1"_ba);
        QTRY_COMPARE_WITH_TIMEOUT(x.body().events().size(), 3, 10000);
        server.closeWatches();
        QTRY_VERIFY_WITH_TIMEOUT(x.body().terminated, 5000);
        const RawExchange::Body body = x.body();
        QVERIFY(!body.malformed);
        QVERIFY(body.chunks.size() > 10);
        // The sizes cycle over the stream; a chunk that ends an event may be shorter.
        for (qsizetype i = 0; i < body.chunks.size(); ++i) {
            const qsizetype want = QList<int> { 700, 1, 13 }.at(i % 3);
            QVERIFY(body.chunks.at(i).size() == want
                || (body.chunks.at(i).size() < want && body.chunks.at(i).endsWith('\n')));
        }
        QVERIFY(!body.chunks.first().contains('\n')); // the first event spans many chunks
        QVERIFY(x.reads() > 3);
        const QList<QJsonObject> events = body.events();
        QCOMPARE(events.size(), 3);
        for (const QJsonObject &e : events)
            QCOMPARE(e.value("type"_L1).toString(), u"ADDED"_s);
    }
    // Several events in one chunk; live events wait until three are there.
    FakeKubeApiServer::WatchFault grouped;
    grouped.eventsPerChunk = 3;
    server.injectWatchFault(grouped);
    {
        RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=1"_ba);
        QTRY_COMPARE_WITH_TIMEOUT(x.body().chunks.size(), 1, 5000);
        QCOMPARE(x.body().chunks.first().count('\n'), 3);
        QVERIFY(server.setReady(u"rpi-01"_s, u"False"_s));
        QVERIFY(server.setReady(u"rpi-02"_s, u"False"_s));
        QVERIFY(server.setReady(u"rpi-03"_s, u"False"_s));
        QTRY_COMPARE_WITH_TIMEOUT(x.body().chunks.size(), 2, 5000);
        QCOMPARE(x.body().chunks.at(1).count('\n'), 3);
        QCOMPARE(x.body().events().size(), 6);
    }
    // Faults apply to the next watch only.
    RawExchange plain(m_pki, server.port(), "/api/v1/nodes?watch=1"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(plain.body().chunks.size(), 3, 5000);
}

void TestFakeKubeApiServer::watchDrop_data()
{
    QTest::addColumn<int>("after");
    QTest::addColumn<bool>("midLine");
    QTest::newRow("after 2 events") << 2 << false;
    QTest::newRow("inside the 3rd event") << 2 << true;
    QTest::newRow("right after the headers") << 0 << false;
}

void TestFakeKubeApiServer::watchDrop()
{
    QFETCH(int, after);
    QFETCH(bool, midLine);
    FakeKubeApiServer server(m_pki);
    server.seedNodes(4);
    QVERIFY(server.listen());
    FakeKubeApiServer::WatchFault drop;
    drop.dropAfterEvents = after;
    drop.dropMidLine = midLine;
    server.injectWatchFault(drop);
    QSignalSpy ended(&server, &FakeKubeApiServer::watchEnded);

    RawExchange x(m_pki, server.port(), "/api/v1/nodes?watch=1&resourceVersion=0"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(x.closed(), 5000);
    QCOMPARE(x.status(), 200);
    const RawExchange::Body body = x.body();
    QVERIFY(!body.terminated); // no last chunk: the body ended early
    QCOMPARE(body.events().size(), after);
    QCOMPARE(body.partialLine().isEmpty(), !midLine);
    if (midLine)
        QVERIFY(body.partialLine().startsWith("{\"type\":\"ADDED\",\"object\":{"));
    QCOMPARE(ended.size(), 1);
    QCOMPARE(server.activeWatchCount(), 0);

    // The reconnect is served normally, and counted.
    RawExchange again(m_pki, server.port(), "/api/v1/nodes?watch=1&resourceVersion=0"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(again.body().events().size(), 4, 5000);
    QVERIFY(!again.closed());
    QCOMPARE(server.requestCount(FakeKubeApiServer::Watch), 2);
}

void TestFakeKubeApiServer::watchStall()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    server.setBookmarkInterval(50);
    QVERIFY(server.listen());
    FakeKubeApiServer::WatchFault stall;
    stall.stall = true;
    server.injectWatchFault(stall);

    RawExchange stalled(
        m_pki, server.port(), "/api/v1/nodes?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=0"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(stalled.status(), 200, 5000);
    // A healthy watch alongside gets its events, the change and bookmarks
    // (and, below, the end of its timeout); meanwhile the stalled one got
    // nothing: no events, no bookmarks, no end at its timeoutSeconds.
    RawExchange healthy(
        m_pki, server.port(), "/api/v1/nodes?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=0"_ba);
    QTRY_VERIFY_WITH_TIMEOUT(healthy.body().events().size() >= 2, 5000);
    QVERIFY(server.setReady(u"rpi-01"_s, u"False"_s));
    QTRY_VERIFY_WITH_TIMEOUT(healthy.body().terminated, 5000);
    bool sawChange = false;
    for (const QJsonObject &e : healthy.body().events())
        sawChange = sawChange || e.value("type"_L1).toString() == u"MODIFIED";
    QVERIFY(sawChange);
    QCOMPARE(healthy.body().events().last().value("type"_L1).toString(), u"BOOKMARK"_s);
    QCOMPARE(stalled.body().chunks.size(), 0);
    QVERIFY(!stalled.body().terminated);
    QVERIFY(!stalled.closed());
    QCOMPARE(server.activeWatchCount(), 1);
    stalled.close();
    QTRY_COMPARE_WITH_TIMEOUT(server.activeWatchCount(), 0, 5000);
}

void TestFakeKubeApiServer::requestFaultsAndCounts()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    QVERIFY(server.listen());

    QSignalSpy handled(&server, &FakeKubeApiServer::requestHandled);
    server.injectFault(FakeKubeApiServer::List, FakeKubeApiServer::Fault::tooManyRequests(3));
    HttpResult r = http(server, "GET"_ba, u"/api/v1/nodes"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.retryAfter, "3"_ba);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"TooManyRequests"_s);
    QCOMPARE(r.json()["details"_L1]["retryAfterSeconds"_L1].toInt(), 3);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes"_s).status, 200); // one shot

    server.injectFault(FakeKubeApiServer::Watch | FakeKubeApiServer::Get, FakeKubeApiServer::Fault::internalError(), 2);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes"_s).status, 200); // lists unaffected
    r = http(server, "GET"_ba, u"/api/v1/nodes/rpi-01"_s);
    QCOMPARE(r.status, 500);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"InternalError"_s);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes?watch=true"_s).status, 500);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/nodes/rpi-01"_s).status, 200);

    // (Raw, because QNAM silently resends a request whose connection closed unanswered.)
    server.injectFault(FakeKubeApiServer::List, FakeKubeApiServer::Fault::drop());
    {
        RawExchange x(m_pki, server.port(), "/api/v1/nodes"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(x.closed(), 5000);
        QCOMPARE(x.status(), 0);
    }

    server.injectFault(FakeKubeApiServer::List, FakeKubeApiServer::Fault::stall());
    r = http(server, "GET"_ba, u"/api/v1/nodes"_s, {}, {}, FakeKubeApiServer::defaultToken(), 300);
    QCOMPARE(r.error, QNetworkReply::OperationCanceledError); // QNAM's transfer timeout
    QCOMPARE(r.status, 0);

    QCOMPARE(server.requestCount(FakeKubeApiServer::List), 5);
    QCOMPARE(server.requestCount(FakeKubeApiServer::Get), 2);
    QCOMPARE(server.requestCount(FakeKubeApiServer::Watch), 1);
    QCOMPARE(server.requestCount(FakeKubeApiServer::List | FakeKubeApiServer::Watch), 6);
    QCOMPARE(server.requestCount(), 8);
    QCOMPARE(server.lastRequest(FakeKubeApiServer::Get).status, 200);
    QCOMPARE(handled.size(), 8);
    QCOMPARE(handled.first().at(0).value<FakeKubeApiServer::RequestKind>(), FakeKubeApiServer::List);
    QCOMPARE(handled.first().at(1).toInt(), 429);
    server.clearRequests();
    QCOMPARE(server.requestCount(), 0);
    QVERIFY(server.requests().isEmpty());
}

void TestFakeKubeApiServer::patchFlavours()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(2);
    QVERIFY(server.listen());
    const QString path = u"/api/v1/nodes/rpi-02"_s;
    const QByteArray before = server.resourceVersion();

    HttpResult r = http(server, "PATCH"_ba, path,
        "{\"spec\":{\"unschedulable\":true},\"metadata\":{\"labels\":{\"bramble.dev/shelf\":\"2\"}}}"_ba,
        "application/merge-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json()["spec"_L1]["unschedulable"_L1].toBool());
    QCOMPARE(r.json()["metadata"_L1]["labels"_L1]["bramble.dev/shelf"_L1].toString(), u"2"_s);
    QCOMPARE(r.json()["metadata"_L1]["labels"_L1]["kubernetes.io/arch"_L1].toString(), u"arm64"_s);
    QVERIFY(r.json()["metadata"_L1]["resourceVersion"_L1].toString().toLatin1() != before);
    QCOMPARE(r.json(), server.node(u"rpi-02"_s));

    r = http(server, "PATCH"_ba, path, "{\"spec\":{\"unschedulable\":null}}"_ba,
        "application/strategic-merge-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QVERIFY(!r.json()["spec"_L1].toObject().contains("unschedulable"_L1));
    // Strategic merge merges conditions by type instead of replacing the list.
    r = http(server, "PATCH"_ba, path,
        "{\"status\":{\"conditions\":[{\"type\":\"DiskPressure\",\"status\":\"True\"}]}}"_ba,
        "application/strategic-merge-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()["status"_L1]["conditions"_L1].toArray().size(), 4);

    r = http(server, "PATCH"_ba, path,
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/a~1b\",\"value\":\"c\"},"
        "{\"op\":\"remove\",\"path\":\"/metadata/labels/bramble.dev~1shelf\"}]"_ba,
        "application/json-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()["metadata"_L1]["labels"_L1]["a/b"_L1].toString(), u"c"_s);
    QVERIFY(!r.json()["metadata"_L1]["labels"_L1].toObject().contains("bramble.dev/shelf"_L1));

    // A no-op patch changes nothing, not even the resource version.
    const QByteArray rv = server.resourceVersion();
    QCOMPARE(http(server, "PATCH"_ba, path, "{}"_ba, "application/merge-patch+json"_ba).status, 200);
    QCOMPARE(server.resourceVersion(), rv);

    r = http(server, "PATCH"_ba, path, "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"x\":\"y\"}}}"_ba,
        "application/merge-patch+json"_ba);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"Conflict"_s);
    QCOMPARE(
        http(server, "PATCH"_ba, u"/api/v1/nodes/rpi-99"_s, "{}"_ba, "application/merge-patch+json"_ba).status, 404);
    QCOMPARE(http(server, "PATCH"_ba, path, "{}"_ba, "application/yaml"_ba).status, 415);
    QCOMPARE(http(server, "PATCH"_ba, path, "{nope"_ba, "application/merge-patch+json"_ba).status, 400);
    server.setForbidden(FakeKubeApiServer::Patch);
    r = http(server, "PATCH"_ba, path, "{}"_ba, "application/merge-patch+json"_ba);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json().value("reason"_L1).toString(), u"Forbidden"_s);
    QCOMPARE(server.requestCount(FakeKubeApiServer::Patch), 10);
}

void TestFakeKubeApiServer::fiveThousandNodes()
{
    FakeKubeApiServer server(m_pki);
    server.seedNodes(5000);
    QCOMPARE(server.nodeCount(), 5000);
    QCOMPARE(server.nodeNames().first(), u"rpi-0001"_s);
    QVERIFY(server.listen());
    for (int round = 0; round < 2; ++round) { // the second answer comes from the cache
        const HttpResult r = http(server, "GET"_ba, u"/api/v1/nodes"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.size() > 5000 * 1000);
        QCOMPARE(r.json().value("items"_L1).toArray().size(), 5000);
    }
    // Paging through all of it, as client-go's pager does.
    QString token;
    int items = 0, pages = 0;
    do {
        const HttpResult r = http(
            server, "GET"_ba, u"/api/v1/nodes?limit=500"_s + (token.isEmpty() ? QString() : u"&continue="_s + token));
        QCOMPARE(r.status, 200);
        items += int(r.json().value("items"_L1).toArray().size());
        token = r.json()["metadata"_L1]["continue"_L1].toString();
        ++pages;
    } while (!token.isEmpty() && pages < 20);
    QCOMPARE(items, 5000);
    QCOMPARE(pages, 10);
}

// ---------------------------------------------------------------------------
// Services, ConfigMaps and MetalLB's CRDs

namespace {

const QByteArray kLegacyConfig = "address-pools:\n- name: default\n  protocol: layer2\n  addresses:\n"
                                 "  - 192.168.1.240-192.168.1.250\n"_ba;

void seedMetalLB(FakeKubeApiServer &server)
{
    const QString pools = u"ipaddresspools"_s, services = u"services"_s;
    QVERIFY(server.putObject(
        pools, FakeKubeApiServer::makeIpAddressPool(u"lan-pool"_s, { u"192.168.1.240-192.168.1.250"_s })));
    QVERIFY(server.putObject(
        pools, FakeKubeApiServer::makeIpAddressPool(u"reserved"_s, { u"192.168.1.200/29"_s }, false, true)));
    QVERIFY(
        server.putObject(u"l2advertisements"_s, FakeKubeApiServer::makeL2Advertisement(u"lan"_s, { u"lan-pool"_s })));
    QVERIFY(server.putObject(u"configmaps"_s, FakeKubeApiServer::makeMetalLBConfigMap(kLegacyConfig)));
    QVERIFY(server.putObject(services,
        FakeKubeApiServer::makeLoadBalancerService(u"ingress-nginx"_s, u"ingress-nginx-controller"_s,
            { u"192.168.1.240"_s }, { { u"metallb.io/ip-allocated-from-pool"_s, u"lan-pool"_s } })));
    QVERIFY(server.putObject(
        services, FakeKubeApiServer::makeLoadBalancerService(u"home"_s, u"pihole-dns-tcp"_s, { u"192.168.1.243"_s })));
    QVERIFY(server.putObject(services, FakeKubeApiServer::makeLoadBalancerService(u"default"_s, u"legacy-nas"_s, {})));
}

QByteArray poolYaml(const QString &name, const QString &addresses, const QString &extra = {})
{
    return QString(u"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: "_s + name
        + u"\n  namespace: metallb-system\nspec:\n  addresses:\n  - "_s + addresses + u"\n"_s + extra)
        .toUtf8();
}

} // namespace

void TestFakeKubeApiServer::kubectlGetServicesPoolsAndConfigMap()
{
    FakeKubeApiServer server(m_pki);
    seedMetalLB(server);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));

    Run run = kubectl(kc, { u"get"_s, u"svc"_s, u"-A"_s });
    QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
    QStringList lines = outputLines(run.out);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(words(lines.at(0)),
        (QStringList {
            u"NAMESPACE"_s, u"NAME"_s, u"TYPE"_s, u"CLUSTER-IP"_s, u"EXTERNAL-IP"_s, u"PORT(S)"_s, u"AGE"_s }));
    // Sorted by namespace, then name, as etcd keys are.
    QCOMPARE(words(lines.at(1)).mid(0, 3), (QStringList { u"default"_s, u"legacy-nas"_s, u"LoadBalancer"_s }));
    QCOMPARE(words(lines.at(1)).value(4), u"<pending>"_s);
    QCOMPARE(words(lines.at(2)).value(1), u"pihole-dns-tcp"_s);
    QCOMPARE(words(lines.at(3)).value(1), u"ingress-nginx-controller"_s);
    QCOMPARE(words(lines.at(3)).value(4), u"192.168.1.240"_s);
    QVERIFY(words(lines.at(3)).value(5).startsWith(u"80:3"_s) && words(lines.at(3)).value(5).endsWith(u"/TCP"_s));
    QCOMPARE(words(lines.at(3)).value(6), u"12d"_s);

    run = kubectl(kc, { u"get"_s, u"services"_s, u"-n"_s, u"home"_s, u"-o"_s, u"name"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(outputLines(run.out), QStringList { u"service/pihole-dns-tcp"_s });
    QCOMPARE(server.lastRequest(FakeKubeApiServer::List).path, u"/api/v1/namespaces/home/services"_s);

    run = kubectl(kc, { u"get"_s, u"ipaddresspools"_s, u"-n"_s, u"metallb-system"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    lines = outputLines(run.out);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(words(lines.at(0)),
        (QStringList { u"NAME"_s, u"AUTO"_s, u"ASSIGN"_s, u"AVOID"_s, u"BUGGY"_s, u"IPS"_s, u"ADDRESSES"_s }));
    QCOMPARE(words(lines.at(1)),
        (QStringList { u"lan-pool"_s, u"true"_s, u"false"_s, u"[\"192.168.1.240-192.168.1.250\"]"_s }));
    QCOMPARE(words(lines.at(2)), (QStringList { u"reserved"_s, u"false"_s, u"true"_s, u"[\"192.168.1.200/29\"]"_s }));

    run = kubectl(kc, { u"get"_s, u"ipaddresspools"_s, u"-n"_s, u"metallb-system"_s, u"-o"_s, u"json"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonArray items = QJsonDocument::fromJson(run.out).object().value("items"_L1).toArray();
    QCOMPARE(items.size(), 2);
    for (const QJsonValue &item : items) {
        const QString name = item["metadata"_L1]["name"_L1].toString();
        QCOMPARE(item.toObject(), server.object(u"ipaddresspools"_s, u"metallb-system"_s, name));
    }
    QCOMPARE(items.at(0)["apiVersion"_L1].toString(), u"metallb.io/v1beta1"_s);

    run = kubectl(kc, { u"get"_s, u"l2advertisements"_s, u"-A"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(
        words(outputLines(run.out).value(1)), (QStringList { u"metallb-system"_s, u"lan"_s, u"[\"lan-pool\"]"_s }));

    run = kubectl(kc,
        { u"get"_s, u"configmap"_s, u"config"_s, u"-n"_s, u"metallb-system"_s, u"-o"_s, u"jsonpath={.data.config}"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, kLegacyConfig);
    run = kubectl(kc, { u"get"_s, u"cm"_s, u"-n"_s, u"metallb-system"_s });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(words(outputLines(run.out).value(0)), (QStringList { u"NAME"_s, u"DATA"_s, u"AGE"_s }));
    QCOMPARE(words(outputLines(run.out).value(1)).mid(0, 2), (QStringList { u"config"_s, u"1"_s }));

    run = kubectl(kc, { u"get"_s, u"svc"_s, u"nope"_s, u"-n"_s, u"home"_s });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("Error from server (NotFound): services \"nope\" not found"), run.err.constData());
}

void TestFakeKubeApiServer::kubectlApplyPools()
{
    FakeKubeApiServer server(m_pki);
    seedMetalLB(server);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));
    const QString file = writeKubeconfig(u"pool.yaml"_s, poolYaml(u"new-pool"_s, u"10.0.0.0/28"_s));
    auto pool = [&] { return server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"new-pool"_s); };
    auto addresses = [&] { return pool()["spec"_L1]["addresses"_L1].toArray().first().toString(); };

    // Client-side apply: GET (404), POST with the last-applied annotation, then GET and PATCH.
    Run run = kubectl(kc, { u"apply"_s, u"-f"_s, file });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), "ipaddresspool.metallb.io/new-pool created"_ba);
    QCOMPARE(addresses(), u"10.0.0.0/28"_s);
    QVERIFY(pool()["metadata"_L1]["annotations"_L1].toObject().contains(
        "kubectl.kubernetes.io/last-applied-configuration"_L1));
    QCOMPARE(server.lastRequest(FakeKubeApiServer::Create).status, 201);

    writeKubeconfig(u"pool.yaml"_s, poolYaml(u"new-pool"_s, u"10.0.0.16/28"_s));
    run = kubectl(kc, { u"apply"_s, u"-f"_s, file });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), "ipaddresspool.metallb.io/new-pool configured"_ba);
    QCOMPARE(addresses(), u"10.0.0.16/28"_s);
    QCOMPARE(server.lastRequest(FakeKubeApiServer::Patch).status, 200);

    // A server-side dry run changes nothing.
    const QByteArray rv = server.resourceVersion();
    const QJsonObject before = pool();
    writeKubeconfig(u"pool.yaml"_s, poolYaml(u"new-pool"_s, u"10.0.0.32/28"_s));
    run = kubectl(kc, { u"apply"_s, u"--dry-run=server"_s, u"-f"_s, file });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), "ipaddresspool.metallb.io/new-pool configured (server dry run)"_ba);
    QCOMPARE(server.lastRequest(FakeKubeApiServer::Patch).queryValue(u"dryRun"_s), u"All"_s);
    QCOMPARE(pool(), before);
    QCOMPARE(server.resourceVersion(), rv);

    // Server-side apply: one PATCH application/apply-patch+yaml, creating and then changing.
    const QString ssa = writeKubeconfig(u"ssa.yaml"_s, poolYaml(u"ssa-pool"_s, u"10.1.0.0/28"_s));
    run = kubectl(kc, { u"apply"_s, u"--server-side"_s, u"-f"_s, ssa });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed(), "ipaddresspool.metallb.io/ssa-pool serverside-applied"_ba);
    const FakeKubeApiServer::Request apply = server.lastRequest(FakeKubeApiServer::Patch);
    QCOMPARE(apply.header("content-type"_ba), "application/apply-patch+yaml"_ba);
    QCOMPARE(apply.queryValue(u"fieldManager"_s), u"kubectl"_s);
    QCOMPARE(apply.status, 201);
    writeKubeconfig(u"ssa.yaml"_s, poolYaml(u"ssa-pool"_s, u"10.1.0.16/28"_s, u"  autoAssign: false\n"_s));
    run = kubectl(kc, { u"apply"_s, u"--server-side"_s, u"-f"_s, ssa });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject ssaPool = server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"ssa-pool"_s);
    QCOMPARE(ssaPool["spec"_L1]["addresses"_L1].toArray(), QJsonArray { u"10.1.0.16/28"_s });
    QCOMPARE(ssaPool["spec"_L1]["autoAssign"_L1].toBool(true), false);

    // The admission webhook's denial, as kubectl shows it.
    server.setAdmission([](const QString &resource, const QJsonObject &object, bool) {
        return resource == u"ipaddresspools" && object["metadata"_L1]["name"_L1].toString() == u"overlap"
            ? u"CIDR \"192.168.1.240/28\" overlaps with already defined CIDR \"192.168.1.240-192.168.1.250\""_s
            : QString();
    });
    const QString bad = writeKubeconfig(u"bad.yaml"_s, poolYaml(u"overlap"_s, u"192.168.1.240/28"_s));
    for (const QString &mode : { u"--server-side"_s, u"--dry-run=server"_s, u"--validate=true"_s }) {
        run = kubectl(kc, { u"apply"_s, mode, u"-f"_s, bad });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("admission webhook \"ipaddresspoolvalidationwebhook.metallb.io\" denied the "
                                  "request: CIDR \"192.168.1.240/28\" overlaps with already defined CIDR"),
            run.err.constData());
        QVERIFY(server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"overlap"_s).isEmpty());
    }

    run = kubectl(kc, { u"delete"_s, u"-f"_s, file });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(pool().isEmpty());
}

void TestFakeKubeApiServer::kubectlWatchServices()
{
    FakeKubeApiServer server(m_pki);
    seedMetalLB(server);
    QVERIFY(server.listen());
    const QString kc = writeKubeconfig(u"token.kubeconfig"_s, server.kubeconfigWithToken(server.tokens().first()));

    QProcess watch;
    setUpKubectl(watch, kc, { u"get"_s, u"svc"_s, u"-A"_s, u"--watch-only"_s });
    QSignalSpy finished(&watch, &QProcess::finished);
    watch.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.activeWatchCount(), 1, 10000);
    QCOMPARE(server.lastRequest(FakeKubeApiServer::Watch).path, u"/api/v1/services"_s);
    QVERIFY(server.putObject(u"services"_s,
        FakeKubeApiServer::makeLoadBalancerService(u"openfaas"_s, u"gateway-external"_s, { u"192.168.1.241"_s })));
    QVERIFY(server.putObject(u"configmaps"_s, FakeKubeApiServer::makeMetalLBConfigMap("peers: []\n"_ba)));
    QByteArray out;
    auto sawLine = [&](const QStringList &want) {
        out += watch.readAllStandardOutput();
        for (const QString &line : outputLines(out))
            if (words(line).mid(0, 2) == want && words(line).value(4) == u"192.168.1.241")
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawLine({ u"openfaas"_s, u"gateway-external"_s }), 10000);
    QCOMPARE(outputLines(out).size(), 2); // --watch-only: no initial list, and no ConfigMap; a header
    QCOMPARE(words(outputLines(out).first()).mid(0, 2), (QStringList { u"NAMESPACE"_s, u"NAME"_s }));
    QCOMPARE(finished.size(), 0);
    watch.kill();
    QVERIFY(finished.wait(5000));
    QTRY_COMPARE(server.activeWatchCount(), 0);
}

void TestFakeKubeApiServer::writesDryRunAndConflicts()
{
    FakeKubeApiServer server(m_pki);
    seedMetalLB(server);
    QVERIFY(server.listen());
    const QString collection = u"/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools"_s;
    const QByteArray json = "application/json"_ba;
    const QByteArray body
        = "{\"apiVersion\":\"metallb.io/v1beta1\",\"kind\":\"IPAddressPool\",\"metadata\":{\"name\":\"p1\"},"
          "\"spec\":{\"addresses\":[\"10.0.0.0/28\"]}}"_ba;
    QList<bool> admissionDryRuns;
    server.setAdmission([&](const QString &, const QJsonObject &, bool dryRun) {
        admissionDryRuns << dryRun;
        return QString();
    });
    const QByteArray rv0 = server.resourceVersion();

    // Dry runs answer as the write would and store nothing.
    HttpResult r = http(server, "POST"_ba, collection + u"?dryRun=All"_s, body, json);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json()["metadata"_L1]["namespace"_L1].toString(), u"metallb-system"_s);
    QVERIFY(!r.json()["metadata"_L1]["uid"_L1].toString().isEmpty());
    QVERIFY(!r.json()["metadata"_L1].toObject().contains("resourceVersion"_L1));
    QVERIFY(server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p1"_s).isEmpty());
    QCOMPARE(server.resourceVersion(), rv0);
    QCOMPARE(admissionDryRuns, QList<bool> { true });
    r = http(server, "POST"_ba, collection + u"?dryRun=true"_s, body, json);
    QCOMPARE(r.status, 422);
    QCOMPARE(r.json()["reason"_L1].toString(), u"Invalid"_s);

    r = http(server, "POST"_ba, collection, body, json);
    QCOMPARE(r.status, 201);
    const QString rv1 = r.json()["metadata"_L1]["resourceVersion"_L1].toString();
    QCOMPARE(rv1.toLatin1(), server.resourceVersion());
    r = http(server, "POST"_ba, collection, body, json);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json()["reason"_L1].toString(), u"AlreadyExists"_s);
    QCOMPARE(r.json()["message"_L1].toString(), u"ipaddresspools.metallb.io \"p1\" already exists"_s);

    // PUT: optimistic concurrency on metadata.resourceVersion.
    QJsonObject pool = server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p1"_s);
    QJsonObject spec { { u"addresses"_s, QJsonArray { u"10.0.0.16/28"_s } } };
    pool[u"spec"_s] = spec;
    const QByteArray current = QJsonDocument(pool).toJson();
    QJsonObject staleMeta = pool["metadata"_L1].toObject();
    staleMeta[u"resourceVersion"_s] = QString::number(rv1.toLongLong() - 1);
    pool[u"metadata"_s] = staleMeta;
    r = http(server, "PUT"_ba, collection + u"/p1"_s, QJsonDocument(pool).toJson(), json);
    QCOMPARE(r.status, 409);
    QCOMPARE(r.json()["reason"_L1].toString(), u"Conflict"_s);
    QVERIFY(r.json()["message"_L1].toString().startsWith(
        u"Operation cannot be fulfilled on ipaddresspools.metallb.io \"p1\": the object has been modified"_s));
    r = http(server, "PUT"_ba, collection + u"/p1?dryRun=All"_s, current, json);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()["spec"_L1]["addresses"_L1].toArray().first().toString(), u"10.0.0.16/28"_s);
    QCOMPARE(r.json()["metadata"_L1]["resourceVersion"_L1].toString(), rv1);
    QCOMPARE(server.resourceVersion(), rv1.toLatin1());
    r = http(server, "PUT"_ba, collection + u"/p1"_s, current, json);
    QCOMPARE(r.status, 200);
    QVERIFY(server.resourceVersion() != rv1.toLatin1());
    QCOMPARE(r.json(), server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p1"_s));
    r = http(server, "PUT"_ba, collection + u"/p1"_s, current, json); // now stale
    QCOMPARE(r.status, 409);
    r = http(server, "PUT"_ba, collection + u"/p2"_s, QByteArray(current).replace("\"p1\"", "\"p2\""), json);
    QCOMPARE(r.status, 404);

    // PATCH flavours and server-side apply (YAML body).
    const QByteArray rv2 = server.resourceVersion();
    r = http(server, "PATCH"_ba, collection + u"/p1?dryRun=All"_s, "{\"spec\":{\"autoAssign\":false}}"_ba,
        "application/merge-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()["spec"_L1]["autoAssign"_L1].toBool(true), false);
    QCOMPARE(server.resourceVersion(), rv2);
    r = http(server, "PATCH"_ba, collection + u"/p1"_s,
        "[{\"op\":\"add\",\"path\":\"/spec/avoidBuggyIPs\",\"value\":true}]"_ba, "application/json-patch+json"_ba);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json()["spec"_L1]["avoidBuggyIPs"_L1].toBool());
    const QByteArray applyYaml = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p3\n"
                                 "  namespace: metallb-system\nspec:\n  addresses:\n  - \"10.0.1.0/28\"\n"
                                 "  autoAssign: false\n"_ba;
    const QByteArray applyType = "application/apply-patch+yaml"_ba;
    r = http(server, "PATCH"_ba, collection + u"/p3"_s, applyYaml, applyType);
    QCOMPARE(r.status, 422);
    QVERIFY(r.json()["message"_L1].toString().contains(u"fieldManager: Required value"_s));
    const QByteArray rv3 = server.resourceVersion();
    r = http(server, "PATCH"_ba, collection + u"/p3?fieldManager=bramble&dryRun=All"_s, applyYaml, applyType);
    QCOMPARE(r.status, 201);
    QCOMPARE(server.resourceVersion(), rv3);
    r = http(server, "PATCH"_ba, collection + u"/p3?fieldManager=bramble&force=true"_s, applyYaml, applyType);
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json()["spec"_L1]["autoAssign"_L1].toBool(true), false);
    QCOMPARE(r.json(), server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p3"_s));
    r = http(server, "PATCH"_ba, collection + u"/p3?fieldManager=bramble"_s,
        QByteArray(applyYaml).replace("false", "true"), applyType);
    QCOMPARE(r.status, 200);
    QVERIFY(r.json()["spec"_L1]["autoAssign"_L1].toBool(false));

    // DELETE: dry run keeps it; admission can refuse.
    r = http(server, "DELETE"_ba, collection + u"/p3?dryRun=All"_s);
    QCOMPARE(r.status, 200);
    QVERIFY(!server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p3"_s).isEmpty());
    server.setAdmission([](const QString &, const QJsonObject &, bool) { return u"pool in use"_s; });
    r = http(server, "DELETE"_ba, collection + u"/p3"_s);
    QCOMPARE(r.status, 403);
    QCOMPARE(r.json()["reason"_L1].toString(), u"Forbidden"_s);
    QCOMPARE(r.json()["message"_L1].toString(),
        u"admission webhook \"ipaddresspoolvalidationwebhook.metallb.io\" denied the request: pool in use"_s);
    server.setAdmission({});
    QCOMPARE(http(server, "DELETE"_ba, collection + u"/p3"_s).status, 200);
    QVERIFY(server.object(u"ipaddresspools"_s, u"metallb-system"_s, u"p3"_s).isEmpty());
    QCOMPARE(http(server, "DELETE"_ba, collection + u"/p3"_s).status, 404);
    QCOMPARE(admissionDryRuns.count(true), 5);

    // Namespaced objects need their namespace; cluster-scoped ones refuse one.
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/services/legacy-nas"_s).status, 404);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/namespaces/default/services/legacy-nas"_s).status, 200);
    QCOMPARE(http(server, "GET"_ba, u"/api/v1/namespaces/default/nodes"_s).status, 404);
    r = http(server, "GET"_ba, u"/api/v1/services?fieldSelector=metadata.namespace%3Dhome"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()["kind"_L1].toString(), u"ServiceList"_s);
    QCOMPARE(r.json()["items"_L1].toArray().size(), 1);
    r = http(server, "GET"_ba, u"/api/v1/namespaces/metallb-system/configmaps?labelSelector=app%3Dnope"_s);
    QCOMPARE(r.json()["items"_L1].toArray().size(), 0);
}

void TestFakeKubeApiServer::namespacedWatchFilters()
{
    FakeKubeApiServer server(m_pki);
    seedMetalLB(server);
    QVERIFY(server.listen());
    const QByteArray from = server.resourceVersion();
    RawExchange home(m_pki, server.port(),
        "/api/v1/namespaces/home/services?resourceVersion="_ba + from + "&timeoutSeconds=1&watch=1"_ba);
    RawExchange all(m_pki, server.port(), "/api/v1/watch/services?resourceVersion="_ba + from + "&timeoutSeconds=1"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(server.activeWatchCount(), 2, 5000);
    QVERIFY(server.putObject(u"services"_s,
        FakeKubeApiServer::makeLoadBalancerService(u"home"_s, u"pihole-dns-udp"_s, { u"192.168.1.243"_s })));
    QVERIFY(server.putObject(
        u"services"_s, FakeKubeApiServer::makeLoadBalancerService(u"default"_s, u"mqtt"_s, { u"192.168.1.244"_s })));
    QVERIFY(server.putObject(
        u"ipaddresspools"_s, FakeKubeApiServer::makeIpAddressPool(u"home"_s, { u"192.168.1.100/30"_s })));
    QVERIFY(server.deleteObject(u"services"_s, u"home"_s, u"pihole-dns-tcp"_s));
    QTRY_VERIFY_WITH_TIMEOUT(home.body().terminated && all.body().terminated, 5000);

    auto summary = [](const QList<QJsonObject> &events) {
        QStringList out;
        for (const QJsonObject &e : events)
            out << QString(e["type"_L1].toString() + u' ' + e["object"_L1]["metadata"_L1]["namespace"_L1].toString()
                + u'/' + e["object"_L1]["metadata"_L1]["name"_L1].toString());
        return out;
    };
    QCOMPARE(summary(home.body().events()),
        (QStringList { u"ADDED home/pihole-dns-udp"_s, u"DELETED home/pihole-dns-tcp"_s }));
    QCOMPARE(summary(all.body().events()),
        (QStringList { u"ADDED home/pihole-dns-udp"_s, u"ADDED default/mqtt"_s, u"DELETED home/pihole-dns-tcp"_s }));
    QCOMPARE(home.body().events().first()["object"_L1]["kind"_L1].toString(), u"Service"_s);
}

QTEST_GUILESS_MAIN(TestFakeKubeApiServer)
#include "tst_fakekubeapiserver.moc"
