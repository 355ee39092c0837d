// KubeconfigLoader and Kubeconfig: parsing every field, kubectl's merge
// rules, search paths, broken input and validateContext. Every test builds
// its own Environment with a temporary home; the real ~/.kube is never read.

#include "core/environment.h"
#include "kube/kubeconfig.h"
#include "kube/kubeconfigloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using Kube::Kubeconfig;
using Kube::KubeconfigLoader;
using Kube::KubeconfigLoadResult;

namespace {

// A temporary home with helpers to write kubeconfig files into it.
class Home {
public:
    Home() { QVERIFY(m_dir.isValid()); }

    QString path(const QString &relative = {}) const
    {
        return relative.isEmpty() ? m_dir.path() : m_dir.filePath(relative);
    }

    // Writes bytes to <home>/<relative>; "@DIR@" in the text becomes the home path.
    QString write(const QString &relative, QByteArray text) const
    {
        const QString file = path(relative);
        QDir().mkpath(QFileInfo(file).absolutePath());
        text.replace("@DIR@", path().toUtf8());
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file));
        f.write(text);
        return file;
    }

    // An environment with only the variables given, and this home.
    Core::Environment env(const QList<QPair<QString, QString>> &vars = {}) const
    {
        QProcessEnvironment e;
        for (const auto &[name, value] : vars)
            e.insert(name, value);
        return Core::Environment(e, path());
    }

private:
    QTemporaryDir m_dir;
};

QString fileName(const QString &path)
{
    return QFileInfo(path).fileName();
}

// A compact, ordered picture of a merged config: which entries exist, which
// file each came from, and the fields that show which definition won.
QStringList describe(const Kubeconfig &c)
{
    QStringList out;
    for (const auto &cl : c.clusters)
        out << QStringLiteral("cluster %1 %2 @%3").arg(cl.name, cl.server, fileName(cl.origin.file));
    for (const auto &u : c.users)
        out << QStringLiteral("user %1 token=%2 username=%3 @%4")
                   .arg(u.name, u.token, u.username, fileName(u.origin.file));
    for (const auto &ctx : c.contexts)
        out << QStringLiteral("context %1 %2/%3 ns=%4 @%5")
                   .arg(ctx.name, ctx.cluster, ctx.user, ctx.namespace_, fileName(ctx.origin.file));
    out << QStringLiteral("current=") + c.currentContext;
    return out;
}

QString joinErrors(const Core::Errors &errors)
{
    QStringList lines;
    for (const auto &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

QStringList fileNames(const QStringList &paths)
{
    QStringList out;
    for (const QString &p : paths)
        out << fileName(p);
    return out;
}

// A file with everything validateContext needs; rows override parts of it.
const QByteArray kValidBase = R"(
clusters:
- name: c
  cluster:
    server: https://10.0.0.1:6443
users:
- name: u
  user:
    token: abc
contexts:
- name: ctx
  context: {cluster: c, user: u}
)";

} // namespace

class tst_KubeconfigLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Fields
    void clusterFields();
    void userFields();
    void execFields();
    void contextFields();
    void entryWithoutInnerMapping();
    void booleans_data();
    void booleans();
    void base64Fields_data();
    void base64Fields();
    void relativePaths_data();
    void relativePaths();
    void scalarTypes_data();
    void scalarTypes();
    void duplicateMapKeysLastWins();
    void mergeKeys();
    void emptyDocuments_data();
    void emptyDocuments();

    // Broken input
    void brokenInput_data();
    void brokenInput();
    void brokenFileInList();

    // Search paths and merging
    void searchPaths_data();
    void searchPaths();
    void merge_data();
    void merge();
    void explicitPath_data();
    void explicitPath();
    void missingFiles_data();
    void missingFiles();
    void duplicateListEntriesReadOnce();
    void defaultHomeConfig();

    // Validation
    void validateContext_data();
    void validateContext();
    void validationLocations();
    void authSummary_data();
    void authSummary();
};

// ---------------------------------------------------------------- fields

void tst_KubeconfigLoader::clusterFields()
{
    const Home home;
    const QString file = home.write(QStringLiteral("kube/config"), R"(
apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: pi
  cluster:
    server: https://192.168.1.10:6443
    tls-server-name: kubernetes.default
    insecure-skip-tls-verify: false
    certificate-authority: ca.crt
    certificate-authority-data: aGVsbG8tcGVt
    proxy-url: socks5://127.0.0.1:1080
    disable-compression: true
    extensions:
    - name: bramble
      extension: {anything: 1}
)");
    const KubeconfigLoadResult r = KubeconfigLoader::loadFiles({ file }, true);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.files, QStringList { file });
    QCOMPARE(r.config.clusters.size(), 1);
    const Kube::KubeCluster *c = r.config.cluster(QStringLiteral("pi"));
    QVERIFY(c);
    QCOMPARE(c->name, QStringLiteral("pi"));
    QCOMPARE(c->server, QStringLiteral("https://192.168.1.10:6443"));
    QCOMPARE(c->tlsServerName, QStringLiteral("kubernetes.default"));
    QCOMPARE(c->insecureSkipTlsVerify, false);
    QCOMPARE(c->certificateAuthority, home.path(QStringLiteral("kube/ca.crt")));
    QCOMPARE(c->certificateAuthorityData, QByteArray("hello-pem"));
    QCOMPARE(c->proxyUrl, QStringLiteral("socks5://127.0.0.1:1080"));
    QCOMPARE(c->disableCompression, true);
    QCOMPARE(c->origin.file, file);
    QCOMPARE(c->origin.line, 8); // a block mapping starts at its first key
    QCOMPARE(c->origin.key, QStringLiteral("clusters[0].cluster"));
    QVERIFY(!r.config.cluster(QStringLiteral("other")));
}

void tst_KubeconfigLoader::userFields()
{
    const Home home;
    const QString file = home.write(QStringLiteral("config"), R"(
users:
- name: admin
  user:
    client-certificate: certs/admin.crt
    client-certificate-data: Y2VydA==
    client-key: /etc/keys/admin.key
    client-key-data: a2V5
    token: t0k3n
    tokenFile: token.txt
    as: jane
    as-uid: "1000"
    as-groups: [devs, ops]
    as-user-extra: {reason: [test]}
    username: bob
    password: s3cret
    auth-provider:
      name: oidc
      config: {idp-issuer-url: https://issuer}
)");
    const KubeconfigLoadResult r = KubeconfigLoader::loadFiles({ file }, true);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    const Kube::KubeUser *u = r.config.user(QStringLiteral("admin"));
    QVERIFY(u);
    QCOMPARE(u->clientCertificate, home.path(QStringLiteral("certs/admin.crt")));
    QCOMPARE(u->clientCertificateData, QByteArray("cert"));
    QCOMPARE(u->clientKey, QStringLiteral("/etc/keys/admin.key"));
    QCOMPARE(u->clientKeyData, QByteArray("key"));
    QCOMPARE(u->token, QStringLiteral("t0k3n"));
    QCOMPARE(u->tokenFile, home.path(QStringLiteral("token.txt")));
    QCOMPARE(u->impersonate, QStringLiteral("jane"));
    QCOMPARE(u->impersonateUid, QStringLiteral("1000"));
    QCOMPARE(u->impersonateGroups, (QStringList { QStringLiteral("devs"), QStringLiteral("ops") }));
    QCOMPARE(u->username, QStringLiteral("bob"));
    QCOMPARE(u->password, QStringLiteral("s3cret"));
    QCOMPARE(u->authProvider, QStringLiteral("oidc"));
    QVERIFY(!u->exec);
    QCOMPARE(u->origin.file, file);
    QCOMPARE(u->origin.line, 5);
    QCOMPARE(u->origin.key, QStringLiteral("users[0].user"));
}

void tst_KubeconfigLoader::execFields()
{
    const Home home;
    const QString file = home.write(QStringLiteral("config"), R"(
users:
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, pi]
      env:
      - name: AWS_PROFILE
        value: lab
      - name: EMPTY
      installHint: install the AWS CLI
      provideClusterInfo: true
      interactiveMode: Never
)");
    const KubeconfigLoadResult r = KubeconfigLoader::loadFiles({ file }, true);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    const Kube::KubeUser *u = r.config.user(QStringLiteral("eks"));
    QVERIFY(u);
    QVERIFY(u->exec);
    const Kube::KubeExecConfig &e = *u->exec;
    QCOMPARE(e.apiVersion, QStringLiteral("client.authentication.k8s.io/v1beta1"));
    QCOMPARE(e.command, QStringLiteral("aws")); // no '/': looked up on PATH, not resolved
    QCOMPARE(e.args,
        (QStringList { QStringLiteral("eks"), QStringLiteral("get-token"), QStringLiteral("--cluster-name"),
            QStringLiteral("pi") }));
    QCOMPARE(e.env.size(), 2);
    QCOMPARE(e.env.at(0).name, QStringLiteral("AWS_PROFILE"));
    QCOMPARE(e.env.at(0).value, QStringLiteral("lab"));
    QCOMPARE(e.env.at(1).name, QStringLiteral("EMPTY"));
    QCOMPARE(e.env.at(1).value, QString());
    QCOMPARE(e.installHint, QStringLiteral("install the AWS CLI"));
    QCOMPARE(e.provideClusterInfo, true);
    QCOMPARE(e.interactiveMode, QStringLiteral("Never"));
}

void tst_KubeconfigLoader::contextFields()
{
    const Home home;
    const QString file = home.write(QStringLiteral("config"), R"(
contexts:
- name: pi-admin
  context:
    cluster: pi
    user: admin
    namespace: kube-system
    extensions: []
- name: bare
  context: {}
current-context: pi-admin
)");
    const KubeconfigLoadResult r = KubeconfigLoader::loadFiles({ file }, true);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.currentContext, QStringLiteral("pi-admin"));
    QCOMPARE(r.config.contexts.size(), 2);
    const Kube::KubeContext *c = r.config.context(QStringLiteral("pi-admin"));
    QVERIFY(c);
    QCOMPARE(c->cluster, QStringLiteral("pi"));
    QCOMPARE(c->user, QStringLiteral("admin"));
    QCOMPARE(c->namespace_, QStringLiteral("kube-system"));
    QCOMPARE(c->origin.file, file);
    QCOMPARE(c->origin.line, 5);
    QCOMPARE(c->origin.key, QStringLiteral("contexts[0].context"));
    const Kube::KubeContext *bare = r.config.context(QStringLiteral("bare"));
    QVERIFY(bare);
    QVERIFY(bare->cluster.isEmpty() && bare->user.isEmpty() && bare->namespace_.isEmpty());
    QCOMPARE(bare->origin.key, QStringLiteral("contexts[1].context"));
}

// kubectl accepts "- name: x" without its inner mapping (an empty entry);
// it used to throw yaml-cpp's InvalidNode here.
void tst_KubeconfigLoader::entryWithoutInnerMapping()
{
    const KubeconfigLoadResult r = KubeconfigLoader::parse(R"(clusters:
- name: a
- name: b
  cluster:
users:
- name: u
contexts:
- name: c
  context: ~
)",
        QStringLiteral("/k/config"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.clusters.size(), 2);
    QCOMPARE(r.config.clusters.at(0).name, QStringLiteral("a"));
    QVERIFY(r.config.clusters.at(0).server.isEmpty());
    QCOMPARE(r.config.clusters.at(0).origin.line, 2); // located at the list item
    QCOMPARE(r.config.clusters.at(0).origin.key, QStringLiteral("clusters[0].cluster"));
    QCOMPARE(r.config.clusters.at(1).name, QStringLiteral("b"));
    QCOMPARE(r.config.users.size(), 1);
    QVERIFY(!r.config.users.at(0).exec);
    QCOMPARE(r.config.contexts.size(), 1);
    QCOMPARE(r.config.contexts.at(0).origin.line, 8);
}

void tst_KubeconfigLoader::booleans_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("expected");

    // YAML 1.1 booleans, as go-yaml v2 (kubectl) reads unquoted scalars.
    for (const char *t : { "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON" })
        QTest::addRow("true: %s", t) << QByteArray(t) << true << true;
    for (const char *f : { "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF" })
        QTest::addRow("false: %s", f) << QByteArray(f) << true << false;
    QTest::newRow("null") << QByteArray("null") << true << false;
    QTest::newRow("tilde") << QByteArray("~") << true << false;
    QTest::newRow("empty") << QByteArray("") << true << false;
    // kubectl: "cannot unmarshal string/number/array into ... of type bool".
    QTest::newRow("double-quoted true") << QByteArray("\"true\"") << false << false;
    QTest::newRow("single-quoted yes") << QByteArray("'yes'") << false << false;
    QTest::newRow("mixed case") << QByteArray("tRue") << false << false;
    QTest::newRow("number") << QByteArray("1") << false << false;
    QTest::newRow("word") << QByteArray("enabled") << false << false;
    QTest::newRow("list") << QByteArray("[true]") << false << false;
    QTest::newRow("mapping") << QByteArray("{a: true}") << false << false;
}

void tst_KubeconfigLoader::booleans()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, ok);
    QFETCH(bool, expected);

    for (const char *field : { "insecure-skip-tls-verify", "disable-compression" }) {
        const QByteArray yaml
            = "clusters:\n- name: c\n  cluster:\n    server: https://s\n    " + QByteArray(field) + ": " + value + "\n";
        const KubeconfigLoadResult r = KubeconfigLoader::parse(yaml, QStringLiteral("/k/bool.yaml"));
        QCOMPARE(r.ok(), ok);
        if (!ok) {
            QCOMPARE(r.errors.size(), 1);
            const Core::Error &e = r.errors.first();
            QCOMPARE(e.where.file, QStringLiteral("/k/bool.yaml"));
            QCOMPARE(e.where.line, 5);
            QCOMPARE(e.where.key, QStringLiteral("clusters[0].cluster.") + QLatin1String(field));
            QVERIFY2(e.message.startsWith(QStringLiteral("expected true or false")), qPrintable(e.message));
            QVERIFY(r.config.clusters.isEmpty());
            continue;
        }
        const Kube::KubeCluster &c = r.config.clusters.at(0);
        QCOMPARE(
            QByteArray(field) == "insecure-skip-tls-verify" ? c.insecureSkipTlsVerify : c.disableCompression, expected);
    }
    // The exec boolean follows the same rules.
    const QByteArray yaml
        = "users:\n- name: u\n  user:\n    exec:\n      command: x\n      provideClusterInfo: " + value + "\n";
    const KubeconfigLoadResult r = KubeconfigLoader::parse(yaml, QStringLiteral("/k/bool.yaml"));
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(r.config.users.at(0).exec->provideClusterInfo, expected);
    else
        QCOMPARE(r.errors.first().where.key, QStringLiteral("users[0].user.exec.provideClusterInfo"));
}

void tst_KubeconfigLoader::base64Fields_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("decoded");

    QTest::newRow("plain") << QByteArray("aGVsbG8tcGVt") << true << QByteArray("hello-pem");
    QTest::newRow("padded") << QByteArray("aGVsbG8=") << true << QByteArray("hello");
    QTest::newRow("quoted") << QByteArray("\"aGVsbG8=\"") << true << QByteArray("hello");
    // Go's decoder skips CR and LF, so wrapped base64 works in kubectl.
    QTest::newRow("wrapped block scalar")
        << QByteArray("|\n      aGVs\n      bG8tcGVt") << true << QByteArray("hello-pem");
    QTest::newRow("escaped newline") << QByteArray("\"aGVs\\nbG8tcGVt\"") << true << QByteArray("hello-pem");
    QTest::newRow("escaped CRLF") << QByteArray("\"aGVs\\r\\nbG8tcGVt\"") << true << QByteArray("hello-pem");
    QTest::newRow("trailing newline") << QByteArray("\"aGVsbG8tcGVt\\n\"") << true << QByteArray("hello-pem");
    QTest::newRow("empty") << QByteArray("\"\"") << true << QByteArray();
    QTest::newRow("null") << QByteArray("null") << true << QByteArray();
    // Errors in kubectl: "illegal base64 data at input byte N".
    QTest::newRow("missing padding") << QByteArray("aGVsbG8") << false << QByteArray();
    QTest::newRow("too much padding") << QByteArray("aGVsbG8==") << false << QByteArray();
    QTest::newRow("url alphabet") << QByteArray("aGVs_G8tcGVt") << false << QByteArray();
    QTest::newRow("inner space") << QByteArray("\"aGVs bG8tcGVt\"") << false << QByteArray();
    QTest::newRow("tab") << QByteArray("\"aGVsbG8tcGV0\\t\"") << false << QByteArray();
    QTest::newRow("punctuation") << QByteArray("\"!!!!\"") << false << QByteArray();
    QTest::newRow("non-ascii") << QByteArray("\"aGVsbG8t\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"") << false << QByteArray();
    QTest::newRow("a list") << QByteArray("[aGVsbG8=]") << false << QByteArray();
}

void tst_KubeconfigLoader::base64Fields()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, ok);
    QFETCH(QByteArray, decoded);

    struct Where {
        const char *list;
        const char *inner;
        const char *field;
    };
    for (const Where w : { Where { "clusters", "cluster", "certificate-authority-data" },
             Where { "users", "user", "client-certificate-data" }, Where { "users", "user", "client-key-data" } }) {
        const QByteArray yaml
            = QByteArray(w.list) + ":\n- name: x\n  " + w.inner + ":\n    " + w.field + ": " + value + "\n";
        const KubeconfigLoadResult r = KubeconfigLoader::parse(yaml, QStringLiteral("/k/b64.yaml"));
        QCOMPARE(r.ok(), ok);
        if (!ok) {
            QCOMPARE(r.errors.size(), 1);
            QCOMPARE(r.errors.first().where.file, QStringLiteral("/k/b64.yaml"));
            QCOMPARE(r.errors.first().where.line, 4);
            QCOMPARE(r.errors.first().where.key,
                QStringLiteral("%1[0].%2.%3")
                    .arg(QLatin1String(w.list), QLatin1String(w.inner), QLatin1String(w.field)));
            continue;
        }
        QByteArray got;
        if (QByteArray(w.field) == "certificate-authority-data")
            got = r.config.clusters.at(0).certificateAuthorityData;
        else if (QByteArray(w.field) == "client-certificate-data")
            got = r.config.users.at(0).clientCertificateData;
        else
            got = r.config.users.at(0).clientKeyData;
        QCOMPARE(got, decoded);
    }
}

void tst_KubeconfigLoader::relativePaths_data()
{
    QTest::addColumn<QByteArray>("stanza"); // a users[0] or clusters[0] entry
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected"); // "@DIR@" is the home; the file lives in @DIR@/kube

    QTest::newRow("ca relative") << QByteArray("clusters:\n- name: x\n  cluster: {certificate-authority: ca.crt}")
                                 << QStringLiteral("ca") << QStringLiteral("@DIR@/kube/ca.crt");
    QTest::newRow("ca subdir") << QByteArray("clusters:\n- name: x\n  cluster: {certificate-authority: pki/ca.crt}")
                               << QStringLiteral("ca") << QStringLiteral("@DIR@/kube/pki/ca.crt");
    QTest::newRow("ca parent") << QByteArray("clusters:\n- name: x\n  cluster: {certificate-authority: ../ca.crt}")
                               << QStringLiteral("ca") << QStringLiteral("@DIR@/ca.crt");
    QTest::newRow("ca dot") << QByteArray("clusters:\n- name: x\n  cluster: {certificate-authority: ./ca.crt}")
                            << QStringLiteral("ca") << QStringLiteral("@DIR@/kube/ca.crt");
    QTest::newRow("ca absolute") << QByteArray(
        "clusters:\n- name: x\n  cluster: {certificate-authority: /etc/k/ca.crt}")
                                 << QStringLiteral("ca") << QStringLiteral("/etc/k/ca.crt");
    // client-go does not expand "~" in paths inside the file.
    QTest::newRow("ca tilde") << QByteArray("clusters:\n- name: x\n  cluster: {certificate-authority: ~/ca.crt}")
                              << QStringLiteral("ca") << QStringLiteral("@DIR@/kube/~/ca.crt");
    QTest::newRow("client cert") << QByteArray("users:\n- name: x\n  user: {client-certificate: c.crt}")
                                 << QStringLiteral("cert") << QStringLiteral("@DIR@/kube/c.crt");
    QTest::newRow("client key") << QByteArray("users:\n- name: x\n  user: {client-key: keys/c.key}")
                                << QStringLiteral("key") << QStringLiteral("@DIR@/kube/keys/c.key");
    QTest::newRow("token file") << QByteArray("users:\n- name: x\n  user: {tokenFile: token}")
                                << QStringLiteral("tokenFile") << QStringLiteral("@DIR@/kube/token");
    QTest::newRow("exec with slash") << QByteArray("users:\n- name: x\n  user: {exec: {command: ./bin/auth}}")
                                     << QStringLiteral("exec") << QStringLiteral("@DIR@/kube/bin/auth");
    QTest::newRow("exec relative dir") << QByteArray("users:\n- name: x\n  user: {exec: {command: bin/auth}}")
                                       << QStringLiteral("exec") << QStringLiteral("@DIR@/kube/bin/auth");
    QTest::newRow("exec absolute") << QByteArray("users:\n- name: x\n  user: {exec: {command: /usr/bin/auth}}")
                                   << QStringLiteral("exec") << QStringLiteral("/usr/bin/auth");
    QTest::newRow("exec on PATH") << QByteArray("users:\n- name: x\n  user: {exec: {command: gke-gcloud-auth-plugin}}")
                                  << QStringLiteral("exec") << QStringLiteral("gke-gcloud-auth-plugin");
    // Paths that are not file references stay as written.
    QTest::newRow("proxy url untouched") << QByteArray("clusters:\n- name: x\n  cluster: {proxy-url: proxy:3128}")
                                         << QStringLiteral("proxy") << QStringLiteral("proxy:3128");
}

void tst_KubeconfigLoader::relativePaths()
{
    QFETCH(QByteArray, stanza);
    QFETCH(QString, field);
    QFETCH(QString, expected);

    const Home home;
    const QString file = home.write(QStringLiteral("kube/config"), stanza + '\n');
    expected.replace(QStringLiteral("@DIR@"), home.path());
    // Loaded through KUBECONFIG with a relative entry, from another directory.
    const QString oldCwd = QDir::currentPath();
    QVERIFY(QDir::setCurrent(home.path()));
    const KubeconfigLoadResult r
        = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), QStringLiteral("kube/config") } }));
    QVERIFY(QDir::setCurrent(oldCwd));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.files, QStringList { QStringLiteral("kube/config") });

    QString got;
    if (field == u"ca")
        got = r.config.clusters.at(0).certificateAuthority;
    else if (field == u"proxy")
        got = r.config.clusters.at(0).proxyUrl;
    else if (field == u"cert")
        got = r.config.users.at(0).clientCertificate;
    else if (field == u"key")
        got = r.config.users.at(0).clientKey;
    else if (field == u"tokenFile")
        got = r.config.users.at(0).tokenFile;
    else
        got = r.config.users.at(0).exec->command;
    QCOMPARE(got, expected);

    // parse() resolves against the directory of the name it is given.
    const KubeconfigLoadResult p = KubeconfigLoader::parse(stanza, file);
    QVERIFY(p.ok());
}

void tst_KubeconfigLoader::scalarTypes_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    const QString noKey;
    // Strings that look like other things but are strings to go-yaml too.
    QTest::newRow("quoted number") << QByteArray("clusters:\n- name: c\n  cluster: {server: '123'}") << true << 0
                                   << noKey << QString();
    QTest::newRow("tagged number") << QByteArray("clusters:\n- name: c\n  cluster: {server: !!str 123}") << true << 0
                                   << noKey << QString();
    QTest::newRow("version string") << QByteArray("clusters:\n- name: c\n  cluster: {server: 1.2.3}") << true << 0
                                    << noKey << QString();
    QTest::newRow("dash") << QByteArray("clusters:\n- name: '-'\n  cluster: {server: -}") << true << 0 << noKey
                          << QString();
    QTest::newRow("ipv4") << QByteArray("clusters:\n- name: c\n  cluster: {server: 10.0.0.1}") << true << 0 << noKey
                          << QString();
    QTest::newRow("date") << QByteArray("contexts:\n- name: c\n  context: {namespace: 2024-01-01}") << true << 0
                          << noKey << QString();
    QTest::newRow("v1 word") << QByteArray("contexts:\n- name: c\n  context: {namespace: v1}") << true << 0 << noKey
                             << QString();
    QTest::newRow("block literal digits")
        << QByteArray("users:\n- name: u\n  user:\n    token: |-\n      123") << true << 0 << noKey << QString();

    // Numbers and bools where a string belongs: kubectl "cannot unmarshal number/bool into ... string".
    QTest::newRow("int server") << QByteArray("clusters:\n- name: c\n  cluster:\n    server: 123") << false << 4
                                << QStringLiteral("clusters[0].cluster.server") << QStringLiteral("number");
    QTest::newRow("float server") << QByteArray("clusters:\n- name: c\n  cluster:\n    server: 1.5") << false << 4
                                  << QStringLiteral("clusters[0].cluster.server") << QStringLiteral("number");
    QTest::newRow("hex token") << QByteArray("users:\n- name: u\n  user:\n    token: 0x1F") << false << 4
                               << QStringLiteral("users[0].user.token") << QStringLiteral("number");
    QTest::newRow("underscored int") << QByteArray("users:\n- name: u\n  user:\n    password: 1_000") << false << 4
                                     << QStringLiteral("users[0].user.password") << QStringLiteral("number");
    QTest::newRow("exponent") << QByteArray("users:\n- name: u\n  user:\n    password: 1e3") << false << 4
                              << QStringLiteral("users[0].user.password") << QStringLiteral("number");
    QTest::newRow("negative") << QByteArray("users:\n- name: u\n  user:\n    as-uid: -5") << false << 4
                              << QStringLiteral("users[0].user.as-uid") << QStringLiteral("number");
    QTest::newRow("infinity") << QByteArray("users:\n- name: u\n  user:\n    token: .inf") << false << 4
                              << QStringLiteral("users[0].user.token") << QStringLiteral("number");
    QTest::newRow("bool server") << QByteArray("clusters:\n- name: c\n  cluster:\n    server: true") << false << 4
                                 << QStringLiteral("clusters[0].cluster.server") << QStringLiteral("bool");
    QTest::newRow("yes namespace") << QByteArray("contexts:\n- name: c\n  context:\n    namespace: yes") << false << 4
                                   << QStringLiteral("contexts[0].context.namespace") << QStringLiteral("bool");
    QTest::newRow("int name") << QByteArray("clusters:\n- name: 123\n  cluster: {}") << false << 2
                              << QStringLiteral("clusters[0].name") << QStringLiteral("number");
    QTest::newRow("int current-context") << QByteArray("current-context: 5") << false << 1
                                         << QStringLiteral("current-context") << QStringLiteral("number");
    QTest::newRow("int in args") << QByteArray("users:\n- name: u\n  user:\n    exec:\n      args: [a, 2]") << false
                                 << 5 << QStringLiteral("users[0].user.exec.args[1]") << QStringLiteral("number");
    QTest::newRow("int in as-groups") << QByteArray("users:\n- name: u\n  user:\n    as-groups:\n    - 7") << false << 5
                                      << QStringLiteral("users[0].user.as-groups[0]") << QStringLiteral("number");

    // Collections where a scalar or a particular collection belongs.
    QTest::newRow("list server") << QByteArray("clusters:\n- name: c\n  cluster:\n    server: [a, b]") << false << 4
                                 << QStringLiteral("clusters[0].cluster.server") << QStringLiteral("expected a string");
    QTest::newRow("map server") << QByteArray("clusters:\n- name: c\n  cluster:\n    server: {a: b}") << false << 4
                                << QStringLiteral("clusters[0].cluster.server") << QStringLiteral("expected a string");
    QTest::newRow("list current-context") << QByteArray("current-context: [a]") << false << 1
                                          << QStringLiteral("current-context") << QStringLiteral("expected a string");
    QTest::newRow("map name") << QByteArray("users:\n- name: {a: 1}\n  user: {}") << false << 2
                              << QStringLiteral("users[0].name") << QStringLiteral("expected a string");
    QTest::newRow("cluster is a string") << QByteArray("clusters:\n- name: c\n  cluster: https://x") << false << 3
                                         << QStringLiteral("clusters[0].cluster")
                                         << QStringLiteral("expected a mapping");
    QTest::newRow("user is a list") << QByteArray("users:\n- name: u\n  user: [a]") << false << 3
                                    << QStringLiteral("users[0].user") << QStringLiteral("expected a mapping");
    QTest::newRow("context is a string") << QByteArray("contexts:\n- name: c\n  context: pi") << false << 3
                                         << QStringLiteral("contexts[0].context")
                                         << QStringLiteral("expected a mapping");
    QTest::newRow("as-groups scalar") << QByteArray("users:\n- name: u\n  user:\n    as-groups: devs") << false << 4
                                      << QStringLiteral("users[0].user.as-groups") << QStringLiteral("expected a list");
    QTest::newRow("args mapping") << QByteArray("users:\n- name: u\n  user:\n    exec:\n      args: {a: b}") << false
                                  << 5 << QStringLiteral("users[0].user.exec.args")
                                  << QStringLiteral("expected a list");
    QTest::newRow("exec scalar") << QByteArray("users:\n- name: u\n  user:\n    exec: aws") << false << 4
                                 << QStringLiteral("users[0].user.exec") << QStringLiteral("expected a mapping");
    QTest::newRow("env scalar") << QByteArray("users:\n- name: u\n  user:\n    exec:\n      env: A=B") << false << 5
                                << QStringLiteral("users[0].user.exec.env") << QStringLiteral("expected a list");
    QTest::newRow("env item scalar") << QByteArray("users:\n- name: u\n  user:\n    exec:\n      env:\n      - A=B")
                                     << false << 6 << QStringLiteral("users[0].user.exec.env[0]")
                                     << QStringLiteral("expected a mapping");
    QTest::newRow("env value list") << QByteArray(
        "users:\n- name: u\n  user:\n    exec:\n      env:\n      - {name: A, value: [1]}")
                                    << false << 6 << QStringLiteral("users[0].user.exec.env[0].value")
                                    << QStringLiteral("expected a string");
    QTest::newRow("auth-provider scalar")
        << QByteArray("users:\n- name: u\n  user:\n    auth-provider: oidc") << false << 4
        << QStringLiteral("users[0].user.auth-provider") << QStringLiteral("expected a mapping");
}

void tst_KubeconfigLoader::scalarTypes()
{
    QFETCH(QByteArray, yaml);
    QFETCH(bool, ok);
    QFETCH(int, line);
    QFETCH(QString, key);
    QFETCH(QString, message);

    const KubeconfigLoadResult r = KubeconfigLoader::parse(yaml, QStringLiteral("/k/types.yaml"));
    QCOMPARE(r.ok(), ok);
    if (ok)
        return;
    QCOMPARE(r.errors.size(), 1);
    const Core::Error &e = r.errors.first();
    QCOMPARE(e.where.file, QStringLiteral("/k/types.yaml"));
    QCOMPARE(e.where.line, line);
    QVERIFY(e.where.column > 0);
    QCOMPARE(e.where.key, key);
    QVERIFY2(e.message.contains(message), qPrintable(e.message));
    // A failed parse leaves nothing half-read behind.
    QVERIFY(r.config.clusters.isEmpty() && r.config.users.isEmpty() && r.config.contexts.isEmpty());
    QVERIFY(r.config.currentContext.isEmpty());
}

// go-yaml keeps the last of duplicate mapping keys (kubectl shows "b" here).
void tst_KubeconfigLoader::duplicateMapKeysLastWins()
{
    const KubeconfigLoadResult r = KubeconfigLoader::parse(R"(current-context: a
clusters:
- name: c
  cluster:
    server: https://first
    server: https://second
current-context: b
)",
        QStringLiteral("/k/dup-keys.yaml"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.currentContext, QStringLiteral("b"));
    QCOMPARE(r.config.clusters.at(0).server, QStringLiteral("https://second"));
}

// YAML merge keys, which go-yaml (and so kubectl) honours.
void tst_KubeconfigLoader::mergeKeys()
{
    const KubeconfigLoadResult r = KubeconfigLoader::parse(R"(
defaults: &defaults
  server: https://shared:6443
  insecure-skip-tls-verify: true
clusters:
- name: a
  cluster:
    <<: *defaults
- name: b
  cluster:
    <<: *defaults
    server: https://own
)",
        QStringLiteral("/k/merge.yaml"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.cluster(QStringLiteral("a"))->server, QStringLiteral("https://shared:6443"));
    QCOMPARE(r.config.cluster(QStringLiteral("a"))->insecureSkipTlsVerify, true);
    QCOMPARE(r.config.cluster(QStringLiteral("b"))->server, QStringLiteral("https://own"));
    QCOMPARE(r.config.cluster(QStringLiteral("b"))->insecureSkipTlsVerify, true);
}

void tst_KubeconfigLoader::emptyDocuments_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("empty file") << QByteArray();
    QTest::newRow("whitespace") << QByteArray("  \n\n");
    QTest::newRow("comment only") << QByteArray("# nothing here\n");
    QTest::newRow("null document") << QByteArray("~\n");
    QTest::newRow("empty mapping") << QByteArray("{}\n");
    QTest::newRow("null lists") << QByteArray("clusters:\nusers: ~\ncontexts: null\ncurrent-context:\n");
    QTest::newRow("empty lists") << QByteArray("clusters: []\nusers: []\ncontexts: []\ncurrent-context: \"\"\n");
    QTest::newRow("header only") << QByteArray("apiVersion: v1\nkind: Config\npreferences: {}\n");
    QTest::newRow("document marker") << QByteArray("---\n");
}

void tst_KubeconfigLoader::emptyDocuments()
{
    QFETCH(QByteArray, yaml);
    const KubeconfigLoadResult r = KubeconfigLoader::parse(yaml, QStringLiteral("/k/empty"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QVERIFY(r.warnings.isEmpty());
    QCOMPARE(r.config.files, QStringList { QStringLiteral("/k/empty") });
    QVERIFY(r.config.clusters.isEmpty() && r.config.users.isEmpty() && r.config.contexts.isEmpty());
    QVERIFY(r.config.currentContext.isEmpty());
}

// ---------------------------------------------------------------- broken input

void tst_KubeconfigLoader::brokenInput_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column"); // 0: not checked
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("message");

    const QString noKey;
    // YAML syntax errors: yaml-cpp's message and mark, no key.
    QTest::newRow("unclosed flow mapping") << QByteArray("clusters:\n- name: a\n  cluster: {server: \"x\"\n") << 4 << 0
                                           << noKey << QStringLiteral("invalid YAML");
    QTest::newRow("bad indentation") << QByteArray(
        "clusters:\n- name: a\n  cluster:\n    server: x\n   tls-server-name: y\n")
                                     << 5 << 0 << noKey << QStringLiteral("invalid YAML");
    QTest::newRow("key without value on list")
        << QByteArray("clusters:\n- name: a\n  - cluster: {}\n") << 3 << 0 << noKey << QStringLiteral("invalid YAML");
    QTest::newRow("unknown alias") << QByteArray("clusters:\n- name: a\n  cluster: *nope\n") << 3 << 0 << noKey
                                   << QStringLiteral("invalid YAML");
    QTest::newRow("unclosed flow sequence")
        << QByteArray("users: [\n") << 2 << 0 << noKey << QStringLiteral("invalid YAML");

    // Shape errors: file, line, column and key path.
    QTest::newRow("top-level list") << QByteArray("- a\n- b\n") << 1 << 1 << noKey
                                    << QStringLiteral("expected a kubeconfig mapping");
    QTest::newRow("top-level scalar") << QByteArray("just a string\n") << 1 << 1 << noKey
                                      << QStringLiteral("expected a kubeconfig mapping");
    QTest::newRow("clusters is a mapping") << QByteArray("apiVersion: v1\nclusters: {}\n") << 2 << 11
                                           << QStringLiteral("clusters") << QStringLiteral("expected a list");
    QTest::newRow("users is a scalar") << QByteArray("users: admin\n") << 1 << 8 << QStringLiteral("users")
                                       << QStringLiteral("expected a list");
    QTest::newRow("contexts is a mapping") << QByteArray("contexts:\n  a: {cluster: b}\n") << 2 << 3
                                           << QStringLiteral("contexts") << QStringLiteral("expected a list");
    QTest::newRow("list item scalar") << QByteArray("clusters:\n- foo\n") << 2 << 3 << QStringLiteral("clusters[0]")
                                      << QStringLiteral("expected a mapping");
    // yaml-cpp gives an empty node the mark of the token after it, so the line is the next item's.
    QTest::newRow("list item null") << QByteArray("clusters:\n- name: a\n-\n- name: b\n") << 4 << 0
                                    << QStringLiteral("clusters[1]") << QStringLiteral("expected a mapping");
    QTest::newRow("list item list") << QByteArray("users:\n- [a, b]\n") << 2 << 3 << QStringLiteral("users[0]")
                                    << QStringLiteral("expected a mapping");
    QTest::newRow("item without name") << QByteArray("clusters:\n- name: a\n- cluster: {server: https://x}\n") << 3 << 3
                                       << QStringLiteral("clusters[1].name") << QStringLiteral("missing name");
    QTest::newRow("item with empty name") << QByteArray("contexts:\n- name: \"\"\n  context: {}\n") << 2 << 3
                                          << QStringLiteral("contexts[0].name") << QStringLiteral("missing name");
    QTest::newRow("item with null name") << QByteArray("users:\n- name: ~\n  user: {}\n") << 2 << 3
                                         << QStringLiteral("users[0].name") << QStringLiteral("missing name");
    // client-go: "duplicate name \"x\" in list" within one file.
    QTest::newRow("duplicate cluster name")
        << QByteArray(
               "clusters:\n- name: x\n  cluster: {server: https://one}\n- name: x\n  cluster: {server: https://two}\n")
        << 4 << 9 << QStringLiteral("clusters[1].name") << QStringLiteral("duplicate name \"x\"");
    QTest::newRow("duplicate user name") << QByteArray("users:\n- name: u\n- name: v\n- name: u\n") << 4 << 9
                                         << QStringLiteral("users[2].name") << QStringLiteral("duplicate name \"u\"");
    QTest::newRow("duplicate context name")
        << QByteArray("contexts:\n- {name: c}\n- {name: c}\n") << 3 << 10 << QStringLiteral("contexts[1].name")
        << QStringLiteral("duplicate name \"c\"");
    QTest::newRow("bad bool") << QByteArray("clusters:\n- name: a\n  cluster:\n    insecure-skip-tls-verify: maybe\n")
                              << 4 << 31 << QStringLiteral("clusters[0].cluster.insecure-skip-tls-verify")
                              << QStringLiteral("expected true or false, got \"maybe\"");
    QTest::newRow("bad bool keeps case") << QByteArray(
        "clusters:\n- name: a\n  cluster:\n    disable-compression: Maybe\n")
                                         << 4 << 26 << QStringLiteral("clusters[0].cluster.disable-compression")
                                         << QStringLiteral("got \"Maybe\"");
    QTest::newRow("bad base64") << QByteArray("users:\n- name: a\n  user:\n    client-key-data: not*base64\n") << 4
                                << 22 << QStringLiteral("users[0].user.client-key-data")
                                << QStringLiteral("not valid base64");
    QTest::newRow("bad base64 in second item")
        << QByteArray(
               "clusters:\n- name: a\n  cluster: {}\n- name: b\n  cluster:\n    certificate-authority-data: \"%%%%\"\n")
        << 6 << 33 << QStringLiteral("clusters[1].cluster.certificate-authority-data")
        << QStringLiteral("not valid base64");
    QTest::newRow("error after valid lists")
        << QByteArray("clusters:\n- name: a\nusers:\n- name: u\ncurrent-context: {x: 1}\n") << 5 << 18
        << QStringLiteral("current-context") << QStringLiteral("expected a string");

    // Hostile input must fail cleanly, not crash.
    QTest::newRow("deep nesting") << (QByteArray(5000, '[') + QByteArray(5000, ']')) << -1 << 0 << noKey << QString();
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff\xfe: [\x00", 9) << -1 << 0 << noKey << QString();
    QTest::newRow("tab indentation") << QByteArray("clusters:\n\t- name: a\n") << -1 << 0 << noKey << QString();
}

void tst_KubeconfigLoader::brokenInput()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, key);
    QFETCH(QString, message);

    // Through the file loader, so the error names the real file.
    const Home home;
    const QString file = home.write(QStringLiteral("broken.yaml"), yaml);
    const KubeconfigLoadResult r = KubeconfigLoader::load(home.env(), file);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    const Core::Error &e = r.errors.first();
    QCOMPARE(e.where.file, file);
    QVERIFY2(e.toString().startsWith(file + u':'), qPrintable(e.toString()));
    if (line < 0) { // only: it failed, with a location in the file
        QVERIFY(e.where.line >= 1);
    } else {
        QCOMPARE(e.where.line, line);
        if (column > 0)
            QCOMPARE(e.where.column, column);
        QCOMPARE(e.where.key, key);
        QVERIFY2(e.message.contains(message), qPrintable(e.message));
    }
    QVERIFY(r.config.clusters.isEmpty() && r.config.users.isEmpty() && r.config.contexts.isEmpty());
    QVERIFY(r.config.currentContext.isEmpty());
}

// A broken file in KUBECONFIG is an error naming that file; the others still load.
void tst_KubeconfigLoader::brokenFileInList()
{
    const Home home;
    const QString a = home.write(
        QStringLiteral("a"), "clusters:\n- name: a\n  cluster: {server: https://a}\ncurrent-context: \"\"\n");
    const QString b = home.write(QStringLiteral("b"), "clusters:\n- name: b\n  cluster: {server: [oops]}\n");
    const QString c
        = home.write(QStringLiteral("c"), "clusters:\n- name: c\n  cluster: {server: https://c}\ncurrent-context: c\n");
    const KubeconfigLoadResult r
        = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), a + u':' + b + u':' + c } }));
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.first().where.file, b);
    QCOMPARE(r.errors.first().where.line, 3);
    QCOMPARE(r.errors.first().where.key, QStringLiteral("clusters[0].cluster.server"));
    QCOMPARE(r.config.files, (QStringList { a, b, c }));
    QCOMPARE(describe(r.config),
        (QStringList { QStringLiteral("cluster a https://a @a"), QStringLiteral("cluster c https://c @c"),
            QStringLiteral("current=c") }));
}

// ---------------------------------------------------------------- search paths and merging

void tst_KubeconfigLoader::searchPaths_data()
{
    QTest::addColumn<bool>("setKubeconfig");
    QTest::addColumn<QString>("kubeconfig"); // "@H@" is the home
    QTest::addColumn<QString>("explicitPath");
    QTest::addColumn<QStringList>("expected");

    const QString home = QStringLiteral("@H@/.kube/config");
    QTest::newRow("unset") << false << QString() << QString() << QStringList { home };
    QTest::newRow("empty") << true << QString() << QString() << QStringList { home };
    QTest::newRow("only separators") << true << QStringLiteral(":") << QString() << QStringList { home };
    QTest::newRow("one file") << true << QStringLiteral("/k/a") << QString() << QStringList { QStringLiteral("/k/a") };
    QTest::newRow("three files in order")
        << true << QStringLiteral("/k/c:/k/a:/k/b") << QString()
        << QStringList { QStringLiteral("/k/c"), QStringLiteral("/k/a"), QStringLiteral("/k/b") };
    QTest::newRow("duplicates removed, first kept")
        << true << QStringLiteral("/k/a:/k/b:/k/a:/k/b:/k/c") << QString()
        << QStringList { QStringLiteral("/k/a"), QStringLiteral("/k/b"), QStringLiteral("/k/c") };
    QTest::newRow("empty entries skipped") << true << QStringLiteral("::/k/a::/k/b:") << QString()
                                           << QStringList { QStringLiteral("/k/a"), QStringLiteral("/k/b") };
    QTest::newRow("relative kept relative") << true << QStringLiteral("a.yaml:dir/b.yaml") << QString()
                                            << QStringList { QStringLiteral("a.yaml"), QStringLiteral("dir/b.yaml") };
    QTest::newRow("tilde expanded") << true << QStringLiteral("~/k1:~/k1") << QString()
                                    << QStringList { QStringLiteral("@H@/k1") };
    QTest::newRow("explicit wins over KUBECONFIG")
        << true << QStringLiteral("/k/a:/k/b") << QStringLiteral("/k/x") << QStringList { QStringLiteral("/k/x") };
    QTest::newRow("explicit without KUBECONFIG")
        << false << QString() << QStringLiteral("/k/x") << QStringList { QStringLiteral("/k/x") };
    QTest::newRow("explicit tilde") << false << QString() << QStringLiteral("~/x")
                                    << QStringList { QStringLiteral("@H@/x") };
    QTest::newRow("explicit with separator is one path")
        << false << QString() << QStringLiteral("/k/a:/k/b") << QStringList { QStringLiteral("/k/a:/k/b") };
}

void tst_KubeconfigLoader::searchPaths()
{
    QFETCH(bool, setKubeconfig);
    QFETCH(QString, kubeconfig);
    QFETCH(QString, explicitPath);
    QFETCH(QStringList, expected);

    const Home home;
    QList<QPair<QString, QString>> vars;
    if (setKubeconfig)
        vars.append({ QStringLiteral("KUBECONFIG"), kubeconfig });
    for (QString &p : expected)
        p.replace(QStringLiteral("@H@"), home.path());
    QCOMPARE(KubeconfigLoader::searchPaths(home.env(vars), explicitPath), expected);
}

void tst_KubeconfigLoader::merge_data()
{
    QTest::addColumn<QList<QByteArray>>("files"); // written as f1, f2, f3 and listed in KUBECONFIG in that order
    QTest::addColumn<QStringList>("expected");

    const QByteArray redA = R"(
clusters:
- name: red
  cluster: {server: https://a:6443}
users:
- name: red
  user: {token: tok-a}
contexts:
- name: red
  context: {cluster: red, user: red}
)";
    const QByteArray redB = R"(
clusters:
- name: red
  cluster: {server: https://b:6443, insecure-skip-tls-verify: true}
- name: blue
  cluster: {server: https://blue}
users:
- name: red
  user: {username: bob, password: pw, token: tok-b}
contexts:
- name: blue
  context: {cluster: blue, user: red, namespace: ns-b}
current-context: blue
)";
    const QByteArray redC = R"(
contexts:
- name: red
  context: {cluster: blue}
- name: green
  context: {cluster: red}
current-context: red
)";

    QTest::newRow("one file") << QList<QByteArray> { redA }
                              << QStringList { QStringLiteral("cluster red https://a:6443 @f1"),
                                     QStringLiteral("user red token=tok-a username= @f1"),
                                     QStringLiteral("context red red/red ns= @f1"), QStringLiteral("current=") };
    // The first file to define a name wins the whole entry: red's username
    // from f2 is dropped even though f1 never set one.
    QTest::newRow("first wins, whole entry")
        << QList<QByteArray> { redA, redB }
        << QStringList { QStringLiteral("cluster red https://a:6443 @f1"),
               QStringLiteral("cluster blue https://blue @f2"), QStringLiteral("user red token=tok-a username= @f1"),
               QStringLiteral("context red red/red ns= @f1"), QStringLiteral("context blue blue/red ns=ns-b @f2"),
               QStringLiteral("current=blue") };
    QTest::newRow("reversed order") << QList<QByteArray> { redB, redA }
                                    << QStringList { QStringLiteral("cluster red https://b:6443 @f1"),
                                           QStringLiteral("cluster blue https://blue @f1"),
                                           QStringLiteral("user red token=tok-b username=bob @f1"),
                                           QStringLiteral("context blue blue/red ns=ns-b @f1"),
                                           QStringLiteral("context red red/red ns= @f2"),
                                           QStringLiteral("current=blue") };
    // current-context: the first non-empty value wins (f1 has none, f2 "blue", f3 "red").
    QTest::newRow("three files") << QList<QByteArray> { redA, redB, redC }
                                 << QStringList { QStringLiteral("cluster red https://a:6443 @f1"),
                                        QStringLiteral("cluster blue https://blue @f2"),
                                        QStringLiteral("user red token=tok-a username= @f1"),
                                        QStringLiteral("context red red/red ns= @f1"),
                                        QStringLiteral("context blue blue/red ns=ns-b @f2"),
                                        QStringLiteral("context green red/ ns= @f3"), QStringLiteral("current=blue") };
    QTest::newRow("current-context from the last file")
        << QList<QByteArray> { redA, "current-context: \"\"\n", redC }
        << QStringList { QStringLiteral("cluster red https://a:6443 @f1"),
               QStringLiteral("user red token=tok-a username= @f1"), QStringLiteral("context red red/red ns= @f1"),
               QStringLiteral("context green red/ ns= @f3"), QStringLiteral("current=red") };
    QTest::newRow("current-context first file wins")
        << QList<QByteArray> { "current-context: one\n", "current-context: two\n", "current-context: three\n" }
        << QStringList { QStringLiteral("current=one") };
    QTest::newRow("current-context names a context from a later file")
        << QList<QByteArray> { "current-context: green\n", redC }
        << QStringList { QStringLiteral("context red blue/ ns= @f2"), QStringLiteral("context green red/ ns= @f2"),
               QStringLiteral("current=green") };
    QTest::newRow("empty file in the middle")
        << QList<QByteArray> { redC, "", redA }
        << QStringList { QStringLiteral("cluster red https://a:6443 @f3"),
               QStringLiteral("user red token=tok-a username= @f3"), QStringLiteral("context red blue/ ns= @f1"),
               QStringLiteral("context green red/ ns= @f1"), QStringLiteral("current=red") };
    QTest::newRow("disjoint names concatenate")
        << QList<QByteArray> { "clusters:\n- {name: z, cluster: {server: https://z}}\n",
               "clusters:\n- {name: a, cluster: {server: https://a}}\n- {name: m, cluster: {server: https://m}}\n" }
        << QStringList { QStringLiteral("cluster z https://z @f1"), QStringLiteral("cluster a https://a @f2"),
               QStringLiteral("cluster m https://m @f2"), QStringLiteral("current=") };
    QTest::newRow("empty entry still wins")
        << QList<QByteArray> { "users:\n- name: red\n", "users:\n- name: red\n  user: {token: later}\n" }
        << QStringList { QStringLiteral("user red token= username= @f1"), QStringLiteral("current=") };
}

void tst_KubeconfigLoader::merge()
{
    QFETCH(QList<QByteArray>, files);
    QFETCH(QStringList, expected);

    const Home home;
    QStringList paths;
    for (qsizetype i = 0; i < files.size(); ++i)
        paths << home.write(QStringLiteral("f%1").arg(i + 1), files.at(i));
    const KubeconfigLoadResult r
        = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), paths.join(u':') } }));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(joinErrors(r.warnings)));
    QCOMPARE(r.config.files, paths);
    QCOMPARE(describe(r.config), expected);

    // loadFiles() with the same list merges the same way.
    QCOMPARE(describe(KubeconfigLoader::loadFiles(paths, false).config), expected);
}

void tst_KubeconfigLoader::explicitPath_data()
{
    QTest::addColumn<QString>("explicitPath"); // relative to the home, or "~/..."
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("explicit file alone") << QStringLiteral("explicit.yaml") << true
                                         << QStringList { QStringLiteral("context only-explicit / ns= @explicit.yaml"),
                                                QStringLiteral("current=only-explicit") };
    QTest::newRow("explicit tilde") << QStringLiteral("~/explicit.yaml") << true
                                    << QStringList { QStringLiteral("context only-explicit / ns= @explicit.yaml"),
                                           QStringLiteral("current=only-explicit") };
    QTest::newRow("explicit missing is an error")
        << QStringLiteral("missing.yaml") << false << QStringList { QStringLiteral("current=") };
    QTest::newRow("explicit names a KUBECONFIG file") << QStringLiteral(
        "k1") << true << QStringList { QStringLiteral("context from-k1 / ns= @k1"), QStringLiteral("current=from-k1") };
}

void tst_KubeconfigLoader::explicitPath()
{
    QFETCH(QString, explicitPath);
    QFETCH(bool, ok);
    QFETCH(QStringList, expected);

    const Home home;
    home.write(QStringLiteral(".kube/config"), "contexts:\n- name: from-home\ncurrent-context: from-home\n");
    const QString k1 = home.write(QStringLiteral("k1"), "contexts:\n- name: from-k1\ncurrent-context: from-k1\n");
    const QString k2 = home.write(QStringLiteral("k2"), "contexts:\n- name: from-k2\n");
    home.write(QStringLiteral("explicit.yaml"), "contexts:\n- name: only-explicit\ncurrent-context: only-explicit\n");

    const QString arg = explicitPath.startsWith(u'~') ? explicitPath : home.path(explicitPath);
    const QString resolved = home.path(explicitPath.startsWith(u'~') ? explicitPath.mid(2) : explicitPath);
    const KubeconfigLoadResult r
        = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), k1 + u':' + k2 } }), arg);
    QCOMPARE(r.ok(), ok);
    QCOMPARE(describe(r.config), expected);
    if (ok) {
        QCOMPARE(r.config.files, QStringList { resolved });
    } else {
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.errors.first().where.file, resolved);
        QVERIFY2(r.errors.first().message.contains(QStringLiteral("not found")), qPrintable(r.errors.first().message));
        QVERIFY(r.config.files.isEmpty());
    }
}

void tst_KubeconfigLoader::missingFiles_data()
{
    QTest::addColumn<QStringList>("list"); // names in the home; "-" marks ones that are not created
    QTest::addColumn<QStringList>("readFiles");
    QTest::addColumn<QStringList>("contexts");
    QTest::addColumn<int>("warnings");

    QTest::newRow("missing first") << QStringList { QStringLiteral("-m1"), QStringLiteral("a"), QStringLiteral("b") }
                                   << QStringList { QStringLiteral("a"), QStringLiteral("b") }
                                   << QStringList { QStringLiteral("ctx-a"), QStringLiteral("ctx-b") } << 0;
    QTest::newRow("missing middle") << QStringList { QStringLiteral("a"), QStringLiteral("-m1"), QStringLiteral("b") }
                                    << QStringList { QStringLiteral("a"), QStringLiteral("b") }
                                    << QStringList { QStringLiteral("ctx-a"), QStringLiteral("ctx-b") } << 0;
    QTest::newRow("missing last") << QStringList { QStringLiteral("b"), QStringLiteral("-m1") }
                                  << QStringList { QStringLiteral("b") } << QStringList { QStringLiteral("ctx-b") }
                                  << 0;
    QTest::newRow("missing directory") << QStringList { QStringLiteral("-nodir/x"), QStringLiteral("a") }
                                       << QStringList { QStringLiteral("a") } << QStringList { QStringLiteral("ctx-a") }
                                       << 0;
    QTest::newRow("all missing") << QStringList { QStringLiteral("-m1"), QStringLiteral("-m2") } << QStringList {}
                                 << QStringList {} << 1;
    QTest::newRow("single missing") << QStringList { QStringLiteral("-m1") } << QStringList {} << QStringList {} << 0;
}

void tst_KubeconfigLoader::missingFiles()
{
    QFETCH(QStringList, list);
    QFETCH(QStringList, readFiles);
    QFETCH(QStringList, contexts);
    QFETCH(int, warnings);

    const Home home;
    QStringList paths;
    for (const QString &entry : std::as_const(list)) {
        if (entry.startsWith(u'-')) {
            paths << home.path(entry.mid(1));
        } else {
            paths << home.write(entry, QStringLiteral("contexts:\n- name: ctx-%1\n").arg(entry).toUtf8());
        }
    }
    // A ~/.kube/config exists but must not be read when KUBECONFIG is set.
    home.write(QStringLiteral(".kube/config"), "contexts:\n- name: from-home\n");
    const KubeconfigLoadResult r
        = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), paths.join(u':') } }));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(fileNames(r.config.files), readFiles);
    QStringList names;
    for (const auto &c : r.config.contexts)
        names << c.name;
    QCOMPARE(names, contexts);
    QCOMPARE(r.warnings.size(), warnings);
}

void tst_KubeconfigLoader::duplicateListEntriesReadOnce()
{
    const Home home;
    const QString a = home.write(QStringLiteral("a"), "contexts:\n- name: a\ncurrent-context: a\n");
    const QString b = home.write(QStringLiteral("b"), "contexts:\n- name: b\ncurrent-context: b\n");
    const KubeconfigLoadResult r = KubeconfigLoader::load(
        home.env({ { QStringLiteral("KUBECONFIG"), QStringList { a, b, a, b, a }.join(u':') } }));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.files, (QStringList { a, b }));
    QCOMPARE(describe(r.config),
        (QStringList {
            QStringLiteral("context a / ns= @a"), QStringLiteral("context b / ns= @b"), QStringLiteral("current=a") }));
}

void tst_KubeconfigLoader::defaultHomeConfig()
{
    const Home home;
    const QString config
        = home.write(QStringLiteral(".kube/config"), "contexts:\n- name: home\ncurrent-context: home\n");
    KubeconfigLoadResult r = KubeconfigLoader::load(home.env());
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(r.config.files, QStringList { config });
    QCOMPARE(r.config.currentContext, QStringLiteral("home"));

    // No ~/.kube/config at all: an empty config, no error, no warning (kubectl prints nothing either).
    const Home empty;
    r = KubeconfigLoader::load(empty.env());
    QVERIFY(r.ok());
    QVERIFY(r.warnings.isEmpty());
    QVERIFY(r.config.files.isEmpty());
    QVERIFY(r.config.contexts.isEmpty());
}

// ---------------------------------------------------------------- validation

void tst_KubeconfigLoader::validateContext_data()
{
    QTest::addColumn<QByteArray>("yaml"); // replaces kValidBase when not empty
    QTest::addColumn<QString>("context");
    QTest::addColumn<QStringList>("errors"); // substrings, one per expected error, in order
    QTest::addColumn<QStringList>("warnings"); // likewise

    auto base = [](const QByteArray &cluster, const QByteArray &user,
                    const QByteArray &context = "{cluster: c, user: u}") -> QByteArray {
        return "clusters:\n- name: c\n  cluster: " + cluster + "\nusers:\n- name: u\n  user: " + user
            + "\ncontexts:\n- name: ctx\n  context: " + context + "\n";
    };
    const QByteArray server = "{server: https://s}";
    const QString ctx = QStringLiteral("ctx");
    const QStringList none;

    QTest::newRow("valid") << QByteArray() << ctx << none << none;
    QTest::newRow("no such context") << QByteArray() << QStringLiteral("nope")
                                     << QStringList { QStringLiteral("\"nope\" does not exist") } << none;
    QTest::newRow("empty context name") << QByteArray() << QString() << QStringList { QStringLiteral("does not exist") }
                                        << none;
    // Context references
    QTest::newRow("missing cluster") << base(server, "{}", "{cluster: gone, user: u}") << ctx
                                     << QStringList { QStringLiteral("cluster \"gone\", which does not exist") }
                                     << none;
    QTest::newRow("no cluster named") << base(server, "{}", "{user: u}") << ctx
                                      << QStringList { QStringLiteral("names no cluster") } << none;
    QTest::newRow("missing user") << base(server, "{}", "{cluster: c, user: gone}") << ctx
                                  << QStringList { QStringLiteral("user \"gone\", which does not exist") } << none;
    QTest::newRow("no user is fine") << base(server, "{}", "{cluster: c}") << ctx << none << none;
    QTest::newRow("missing both") << base(server, "{}", "{cluster: x, user: z}") << ctx
                                  << QStringList { QStringLiteral("cluster \"x\""), QStringLiteral("user \"z\"") }
                                  << none;
    // Namespace: RFC 1123 DNS label
    QTest::newRow("namespace valid") << base(server, "{}", "{cluster: c, user: u, namespace: kube-system}") << ctx
                                     << none << none;
    QTest::newRow("namespace digits") << base(server, "{}", "{cluster: c, user: u, namespace: '42'}") << ctx << none
                                      << none;
    QTest::newRow("namespace 63 chars") << base(
        server, "{}", "{cluster: c, user: u, namespace: " + QByteArray(63, 'a') + "}")
                                        << ctx << none << none;
    QTest::newRow("namespace 64 chars") << base(
        server, "{}", "{cluster: c, user: u, namespace: " + QByteArray(64, 'a') + "}")
                                        << ctx << QStringList { QStringLiteral("not a valid DNS label") } << none;
    QTest::newRow("namespace upper case")
        << base(server, "{}", "{cluster: c, user: u, namespace: Prod}") << ctx
        << QStringList { QStringLiteral("\"Prod\" is not a valid DNS label") } << none;
    QTest::newRow("namespace underscore") << base(server, "{}", "{cluster: c, user: u, namespace: my_ns}") << ctx
                                          << QStringList { QStringLiteral("not a valid DNS label") } << none;
    QTest::newRow("namespace dot") << base(server, "{}", "{cluster: c, user: u, namespace: a.b}") << ctx
                                   << QStringList { QStringLiteral("not a valid DNS label") } << none;
    QTest::newRow("namespace leading dash") << base(server, "{}", "{cluster: c, user: u, namespace: -ns}") << ctx
                                            << QStringList { QStringLiteral("not a valid DNS label") } << none;
    QTest::newRow("namespace trailing dash") << base(server, "{}", "{cluster: c, user: u, namespace: ns-}") << ctx
                                             << QStringList { QStringLiteral("not a valid DNS label") } << none;
    // Cluster
    QTest::newRow("no server") << base("{tls-server-name: x}", "{}") << ctx
                               << QStringList { QStringLiteral("has no server") } << none;
    QTest::newRow("empty cluster") << base("{}", "{}") << ctx << QStringList { QStringLiteral("has no server") }
                                   << none;
    QTest::newRow("insecure alone warns") << base("{server: https://s, insecure-skip-tls-verify: true}", "{}") << ctx
                                          << none << QStringList { QStringLiteral("skips TLS verification") };
    QTest::newRow("ca path with insecure")
        << base("{server: https://s, certificate-authority: /ca, insecure-skip-tls-verify: true}", "{}") << ctx
        << QStringList { QStringLiteral("certificate authority together with insecure") }
        << QStringList { QStringLiteral("skips TLS verification") };
    QTest::newRow("ca data with insecure")
        << base("{server: https://s, certificate-authority-data: Y2E=, insecure-skip-tls-verify: true}", "{}") << ctx
        << QStringList { QStringLiteral("certificate authority together with insecure") }
        << QStringList { QStringLiteral("skips TLS verification") };
    QTest::newRow("ca path alone") << base("{server: https://s, certificate-authority: /ca}", "{}") << ctx << none
                                   << none;
    QTest::newRow("ca path and data warn")
        << base("{server: https://s, certificate-authority: /ca, certificate-authority-data: Y2E=}", "{}") << ctx
        << none << QStringList { QStringLiteral("both certificate-authority and certificate-authority-data") };
    QTest::newRow("proxy http") << base("{server: https://s, proxy-url: 'http://proxy:3128'}", "{}") << ctx << none
                                << none;
    QTest::newRow("proxy socks5") << base("{server: https://s, proxy-url: 'socks5://127.0.0.1:1080'}", "{}") << ctx
                                  << none << none;
    QTest::newRow("proxy ftp") << base("{server: https://s, proxy-url: 'ftp://proxy'}", "{}") << ctx
                               << QStringList { QStringLiteral("must use http, https or socks5") } << none;
    QTest::newRow("proxy no scheme") << base("{server: https://s, proxy-url: proxy}", "{}") << ctx
                                     << QStringList { QStringLiteral("proxy-url \"proxy\"") } << none;
    // User: client certificates
    QTest::newRow("cert and key files") << base(server, "{client-certificate: c.crt, client-key: c.key}") << ctx << none
                                        << none;
    QTest::newRow("cert and key data") << base(server, "{client-certificate-data: Y2VydA==, client-key-data: a2V5}")
                                       << ctx << none << none;
    QTest::newRow("cert file, key data") << base(server, "{client-certificate: c.crt, client-key-data: a2V5}") << ctx
                                         << none << none;
    QTest::newRow("cert without key") << base(server, "{client-certificate: c.crt}") << ctx
                                      << QStringList { QStringLiteral("client certificate without a key") } << none;
    QTest::newRow("cert data without key")
        << base(server, "{client-certificate-data: Y2VydA==}") << ctx
        << QStringList { QStringLiteral("client certificate without a key") } << none;
    QTest::newRow("key without cert warns") << base(server, "{client-key: c.key}") << ctx << none
                                            << QStringList { QStringLiteral("client key without a certificate") };
    QTest::newRow("cert path and data warn")
        << base(server, "{client-certificate: c.crt, client-certificate-data: Y2VydA==, client-key: k}") << ctx << none
        << QStringList { QStringLiteral("both client-certificate and client-certificate-data") };
    QTest::newRow("key path and data warn")
        << base(server, "{client-certificate: c.crt, client-key: k, client-key-data: a2V5}") << ctx << none
        << QStringList { QStringLiteral("both client-key and client-key-data") };
    // User: one authentication method
    QTest::newRow("token alone") << base(server, "{token: t}") << ctx << none << none;
    QTest::newRow("basic alone") << base(server, "{username: u, password: p}") << ctx << none << none;
    QTest::newRow("token and username") << base(server, "{token: t, username: u, password: p}") << ctx
                                        << QStringList { QStringLiteral("more than one authentication method") }
                                        << none;
    QTest::newRow("token and password only")
        << base(server, "{token: t, password: p}") << ctx
        << QStringList { QStringLiteral("more than one authentication method") } << none;
    QTest::newRow("token file and username")
        << base(server, "{tokenFile: /t, username: u}") << ctx
        << QStringList { QStringLiteral("more than one authentication method") } << none;
    QTest::newRow("token and cert") << base(server, "{token: t, client-certificate: c, client-key: k}") << ctx << none
                                    << none;
    // Impersonation
    QTest::newRow("as with groups") << base(server, "{token: t, as: jane, as-groups: [devs], as-uid: '1'}") << ctx
                                    << none << none;
    QTest::newRow("groups without as") << base(server, "{token: t, as-groups: [devs]}") << ctx
                                       << QStringList { QStringLiteral("as-uid or as-groups without as") } << none;
    QTest::newRow("uid without as") << base(server, "{token: t, as-uid: '1'}") << ctx
                                    << QStringList { QStringLiteral("as-uid or as-groups without as") } << none;
    // auth-provider and exec
    QTest::newRow("auth-provider alone") << base(server, "{auth-provider: {name: oidc}}") << ctx << none << none;
    QTest::newRow("auth-provider and exec") << base(
        server, "{auth-provider: {name: oidc}, exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1}}")
                                            << ctx << QStringList { QStringLiteral("both auth-provider and exec") }
                                            << none;
    QTest::newRow("exec v1beta1 minimal")
        << base(server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1}}") << ctx << none
        << none;
    QTest::newRow("exec v1 with mode") << base(
        server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}}")
                                       << ctx << none << none;
    QTest::newRow("exec IfAvailable") << base(
        server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: IfAvailable}}")
                                      << ctx << none << none;
    QTest::newRow("exec Always") << base(
        server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always}}")
                                 << ctx << none << none;
    QTest::newRow("exec v1 without mode")
        << base(server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1}}") << ctx
        << QStringList { QStringLiteral("interactiveMode must be set") } << none;
    QTest::newRow("exec no command") << base(server, "{exec: {apiVersion: client.authentication.k8s.io/v1beta1}}")
                                     << ctx << QStringList { QStringLiteral("exec has no command") } << none;
    QTest::newRow("exec no apiVersion") << base(server, "{exec: {command: x, interactiveMode: Never}}") << ctx
                                        << QStringList { QStringLiteral("exec has no apiVersion") } << none;
    QTest::newRow("exec empty") << base(server, "{exec: {}}") << ctx
                                << QStringList { QStringLiteral("no command"), QStringLiteral("no apiVersion") }
                                << none;
    QTest::newRow("exec v1alpha1")
        << base(server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}}") << ctx
        << QStringList { QStringLiteral("apiVersion \"client.authentication.k8s.io/v1alpha1\" is not") } << none;
    QTest::newRow("exec bad mode") << base(
        server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Sometimes}}")
                                   << ctx
                                   << QStringList { QStringLiteral("interactiveMode \"Sometimes\" is not Never") }
                                   << none;
    QTest::newRow("exec mode case matters")
        << base(
               server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1, interactiveMode: never}}")
        << ctx << QStringList { QStringLiteral("interactiveMode \"never\"") } << none;
    QTest::newRow("exec env without name")
        << base(server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1, env: [{value: v}]}}")
        << ctx << QStringList { QStringLiteral("env entry has no name") } << none;
    QTest::newRow("exec env valid") << base(
        server, "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1, env: [{name: A, value: ''}]}}")
                                    << ctx << none << none;
    // Several problems at once are all reported.
    QTest::newRow("many problems") << base("{certificate-authority: /ca, insecure-skip-tls-verify: true}",
        "{client-certificate: c, token: t, username: u}", "{cluster: c, user: u, namespace: Bad}")
                                   << ctx
                                   << QStringList { QStringLiteral("not a valid DNS label"),
                                          QStringLiteral("has no server"), QStringLiteral("together with insecure"),
                                          QStringLiteral("without a key"),
                                          QStringLiteral("more than one authentication method") }
                                   << QStringList { QStringLiteral("skips TLS verification") };
}

void tst_KubeconfigLoader::validateContext()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, context);
    QFETCH(QStringList, errors);
    QFETCH(QStringList, warnings);

    const KubeconfigLoadResult r
        = KubeconfigLoader::parse(yaml.isEmpty() ? kValidBase : yaml, QStringLiteral("/k/v.yaml"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));

    Core::Errors gotWarnings;
    const Core::Errors got = r.config.validateContext(context, &gotWarnings);
    QVERIFY2(got.size() == errors.size(), qPrintable(joinErrors(got)));
    for (qsizetype i = 0; i < errors.size(); ++i)
        QVERIFY2(got.at(i).message.contains(errors.at(i)), qPrintable(got.at(i).message));
    QVERIFY2(gotWarnings.size() == warnings.size(), qPrintable(joinErrors(gotWarnings)));
    for (qsizetype i = 0; i < warnings.size(); ++i)
        QVERIFY2(gotWarnings.at(i).message.contains(warnings.at(i)), qPrintable(gotWarnings.at(i).message));

    // Without a warnings list the errors are the same.
    QCOMPARE(r.config.validateContext(context).size(), errors.size());
}

// Validation errors point at the stanza that caused them.
void tst_KubeconfigLoader::validationLocations()
{
    const Home home;
    const QString a = home.write(
        QStringLiteral("a.yaml"), "contexts:\n- name: ctx\n  context: {cluster: c, user: u, namespace: BAD}\n");
    const QString b = home.write(QStringLiteral("b.yaml"),
        "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: true}\n"
        "users:\n- name: u\n  user:\n    client-certificate: x\n");
    const KubeconfigLoadResult r = KubeconfigLoader::load(home.env({ { QStringLiteral("KUBECONFIG"), a + u':' + b } }));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    Core::Errors warnings;
    const Core::Errors errors = r.config.validateContext(QStringLiteral("ctx"), &warnings);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors.at(0).where.file, a); // namespace: the context
    QCOMPARE(errors.at(0).where.line, 3);
    QCOMPARE(errors.at(0).where.key, QStringLiteral("contexts[0].context"));
    QCOMPARE(errors.at(1).where.file, b); // no server: the cluster
    QCOMPARE(errors.at(1).where.line, 3);
    QCOMPARE(errors.at(1).where.key, QStringLiteral("clusters[0].cluster"));
    QCOMPARE(errors.at(2).where.file, b); // cert without key: the user
    QCOMPARE(errors.at(2).where.line, 7);
    QCOMPARE(errors.at(2).where.key, QStringLiteral("users[0].user"));
    QCOMPARE(warnings.size(), 1);
    QCOMPARE(warnings.at(0).where.file, b);
    QVERIFY(errors.at(0).toString().startsWith(a + QStringLiteral(":3:")));
}

void tst_KubeconfigLoader::authSummary_data()
{
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << QByteArray("{}") << QStringLiteral("none");
    QTest::newRow("exec") << QByteArray("{exec: {command: /usr/local/bin/aws-iam-authenticator}, token: t}")
                          << QStringLiteral("exec: aws-iam-authenticator");
    QTest::newRow("auth-provider") << QByteArray("{auth-provider: {name: gcp}, token: t}")
                                   << QStringLiteral("auth-provider: gcp");
    QTest::newRow("client cert") << QByteArray("{client-certificate-data: Y2VydA==, client-key-data: a2V5, token: t}")
                                 << QStringLiteral("client certificate");
    QTest::newRow("token file") << QByteArray("{tokenFile: /t, token: secret}") << QStringLiteral("token file");
    QTest::newRow("token") << QByteArray("{token: secret}") << QStringLiteral("token");
    QTest::newRow("basic") << QByteArray("{username: bob, password: secret}") << QStringLiteral("basic auth");
}

void tst_KubeconfigLoader::authSummary()
{
    QFETCH(QByteArray, user);
    QFETCH(QString, expected);
    const KubeconfigLoadResult r
        = KubeconfigLoader::parse("users:\n- name: u\n  user: " + user + "\n", QStringLiteral("/k/u"));
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    const QString summary = r.config.users.at(0).authSummary();
    QCOMPARE(summary, expected);
    QVERIFY(!summary.contains(QStringLiteral("secret")));
}

QTEST_GUILESS_MAIN(tst_KubeconfigLoader)
#include "tst_kubeconfigloader.moc"
