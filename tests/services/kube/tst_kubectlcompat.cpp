// KubeconfigLoader against the real kubectl. Every row is a set of
// kubeconfig files in a temporary home; kubectl and our loader read the same
// files with the same KUBECONFIG / --kubeconfig, and the results must agree:
//  - merge: `kubectl config view --raw -o json`, field by field;
//  - resolvedPaths: which file a relative path is resolved against. config
//    view prints paths as written, so this asks kubectl to use credentials
//    that do not exist and reads the absolute path from its "no such file"
//    error (client-go resolves them while loading, before any connection);
//  - brokenFiles: kubectl fails, and our loader fails naming the file.
// kubectl never sees the user's own environment or ~/.kube (see
// KubectlRunner). Without kubectl on PATH the test is skipped.

#include "core/environment.h"
#include "kube/kubeconfig.h"
#include "kube/kubeconfigloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <utility>

using namespace Bramble;
using Kube::Kubeconfig;
using Kube::KubeconfigLoader;
using Kube::KubeconfigLoadResult;

namespace {

using Files = QMap<QString, QByteArray>; // path relative to the home -> contents

const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

// A temporary home holding one scenario's files.
class Home {
public:
    QString path(const QString &relative = {}) const
    {
        return relative.isEmpty() ? m_dir.path() : QDir::cleanPath(m_dir.filePath(relative));
    }

    bool isValid() const { return m_dir.isValid(); }

    // "@HOME@" in the contents becomes the home's absolute path.
    bool write(const Files &files) const
    {
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QString file = path(it.key());
            QDir().mkpath(QFileInfo(file).absolutePath());
            QFile f(file);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return false;
            f.write(QByteArray(it.value()).replace("@HOME@", path().toUtf8()));
        }
        return true;
    }

    // KUBECONFIG made of home-relative entries; empty entries stay empty.
    QString list(const QStringList &entries) const
    {
        QStringList out;
        for (const QString &e : entries)
            out << (e.isEmpty() ? e : path(e));
        return out.join(QDir::listSeparator());
    }

private:
    QTemporaryDir m_dir;
};

struct KubectlRun {
    bool finished = false; // exited normally, with any exit code
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// One row: its files in a temporary home, the KUBECONFIG and --kubeconfig
// both sides get, and kubectl's answer once it has finished.
struct Scenario {
    Home home;
    bool written = false;
    QString kubeconfig; // absolute entries; null: KUBECONFIG unset
    QString explicitPath; // absolute; empty: no --kubeconfig
    bool done = false;
    KubectlRun run;

    // What our loader gets: the same KUBECONFIG and home.
    Core::Environment environment() const
    {
        QProcessEnvironment vars;
        if (!kubeconfig.isNull())
            vars.insert(QStringLiteral("KUBECONFIG"), kubeconfig);
        return Core::Environment(vars, home.path());
    }
};
using ScenarioPtr = std::shared_ptr<Scenario>;

// Runs kubectl for each row as soon as the _data function declares it, two
// at a time, so that a row mostly finds its answer waiting: kubectl needs
// about 0.1 s of CPU to start, and one after another the runs made this
// test take several seconds. kubectl sees only HOME (the scenario's home),
// KUBECONFIG when the scenario sets it, and GOMAXPROCS=1 (two
// single-threaded runs share two cores better than two that use both).
class KubectlRunner : public QObject {
public:
    ~KubectlRunner() override
    {
        // Rows left out on the command line leave runs behind.
        m_queue.clear();
        const QList<QProcess *> running = findChildren<QProcess *>();
        for (QProcess *process : running) {
            process->disconnect(this);
            process->kill();
            process->waitForFinished(5000);
        }
    }

    void setProgram(const QString &program) { m_program = program; }

    // Writes the files and queues `kubectl <args> [--kubeconfig <explicit>]`.
    ScenarioPtr add(const Files &files, const QStringList &kubeconfig, const QString &explicitFile, QStringList args)
    {
        auto s = std::make_shared<Scenario>();
        s->written = s->home.isValid() && s->home.write(files);
        s->kubeconfig = kubeconfig.isEmpty() ? QString() : s->home.list(kubeconfig);
        s->explicitPath = explicitFile.isEmpty() ? QString() : s->home.path(explicitFile);
        if (!s->explicitPath.isEmpty())
            args << QStringLiteral("--kubeconfig") << s->explicitPath;
        m_queue.append({ s, args });
        startMore();
        return s;
    }

    // Waits (running the event loop) until the scenario's kubectl has finished.
    static bool wait(const ScenarioPtr &s)
    {
        return QTest::qWaitFor([&] { return s->done; }, 30000);
    }

private:
    void startMore()
    {
        while (m_running < 2 && !m_queue.isEmpty()) {
            const auto [s, args] = m_queue.takeFirst();
            auto *process = new QProcess(this);
            QProcessEnvironment env;
            env.insert(QStringLiteral("HOME"), s->home.path());
            if (!s->kubeconfig.isNull())
                env.insert(QStringLiteral("KUBECONFIG"), s->kubeconfig);
            env.insert(QStringLiteral("GOMAXPROCS"), QStringLiteral("1"));
            process->setProcessEnvironment(env);
            process->setWorkingDirectory(s->home.path());
            connect(process, &QProcess::finished, this, [this, s, process](int code, QProcess::ExitStatus status) {
                s->run = { status == QProcess::NormalExit, code, process->readAllStandardOutput(),
                    process->readAllStandardError() };
                finish(s, process);
            });
            connect(process, &QProcess::errorOccurred, this, [this, s, process](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return; // finished() follows
                s->run.err = "cannot start kubectl: " + process->errorString().toUtf8();
                finish(s, process);
            });
            ++m_running;
            process->start(m_program, args);
        }
    }

    void finish(const ScenarioPtr &s, QProcess *process)
    {
        s->done = true;
        process->deleteLater();
        --m_running;
        startMore();
    }

    QString m_program;
    QList<std::pair<ScenarioPtr, QStringList>> m_queue;
    int m_running = 0;
};

QStringList viewArgs()
{
    return { QStringLiteral("config"), QStringLiteral("view"), QStringLiteral("--raw"), QStringLiteral("-o"),
        QStringLiteral("json") };
}

// A request: kubectl loads the client config (credentials included) first.
QStringList requestArgs()
{
    return { QStringLiteral("get"), QStringLiteral("--raw"), QStringLiteral("/version"),
        QStringLiteral("--request-timeout=5s") };
}

QString joinErrors(const Core::Errors &errors)
{
    QStringList lines;
    for (const Core::Error &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

// ------------------------------------------------ one line per field
//
// Both sides are reduced to sorted "kind name: field = value" lines. Empty
// strings and false are left out on both sides, as kubectl's omitempty does
// for most fields; every entry also gets a line of its own so that an empty
// entry still counts. -data fields are compared as base64 of the bytes.

class Lines {
public:
    void entry(const QString &kind, const QString &name) { m_lines << kind + u' ' + name; }

    void add(const QString &kind, const QString &name, const QString &field, const QString &value)
    {
        if (!value.isEmpty())
            m_lines << kind + u' ' + name + QStringLiteral(": ") + field + QStringLiteral(" = ") + value;
    }

    void add(const QString &kind, const QString &name, const QString &field, bool value)
    {
        if (value)
            add(kind, name, field, QStringLiteral("true"));
    }

    void add(const QString &kind, const QString &name, const QString &field, const QStringList &values)
    {
        if (!values.isEmpty())
            add(kind, name, field,
                QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact)));
    }

    void line(const QString &text) { m_lines << text; }

    QStringList sorted() const
    {
        QStringList out = m_lines;
        out.sort();
        return out;
    }

private:
    QStringList m_lines;
};

QString cluster()
{
    return QStringLiteral("cluster");
}
QString user()
{
    return QStringLiteral("user");
}
QString context()
{
    return QStringLiteral("context");
}

QStringList describeLoader(const Kubeconfig &c)
{
    Lines l;
    for (const Kube::KubeCluster &x : c.clusters) {
        l.entry(cluster(), x.name);
        l.add(cluster(), x.name, QStringLiteral("server"), x.server);
        l.add(cluster(), x.name, QStringLiteral("tls-server-name"), x.tlsServerName);
        l.add(cluster(), x.name, QStringLiteral("insecure-skip-tls-verify"), x.insecureSkipTlsVerify);
        l.add(cluster(), x.name, QStringLiteral("certificate-authority"), x.certificateAuthority);
        l.add(cluster(), x.name, QStringLiteral("certificate-authority-data"),
            QString::fromLatin1(x.certificateAuthorityData.toBase64()));
        l.add(cluster(), x.name, QStringLiteral("proxy-url"), x.proxyUrl);
        l.add(cluster(), x.name, QStringLiteral("disable-compression"), x.disableCompression);
    }
    for (const Kube::KubeUser &x : c.users) {
        l.entry(user(), x.name);
        l.add(user(), x.name, QStringLiteral("client-certificate"), x.clientCertificate);
        l.add(user(), x.name, QStringLiteral("client-certificate-data"),
            QString::fromLatin1(x.clientCertificateData.toBase64()));
        l.add(user(), x.name, QStringLiteral("client-key"), x.clientKey);
        l.add(user(), x.name, QStringLiteral("client-key-data"), QString::fromLatin1(x.clientKeyData.toBase64()));
        l.add(user(), x.name, QStringLiteral("token"), x.token);
        l.add(user(), x.name, QStringLiteral("tokenFile"), x.tokenFile);
        l.add(user(), x.name, QStringLiteral("as"), x.impersonate);
        l.add(user(), x.name, QStringLiteral("as-uid"), x.impersonateUid);
        l.add(user(), x.name, QStringLiteral("as-groups"), x.impersonateGroups);
        l.add(user(), x.name, QStringLiteral("username"), x.username);
        l.add(user(), x.name, QStringLiteral("password"), x.password);
        l.add(user(), x.name, QStringLiteral("auth-provider"), x.authProvider);
        if (const auto &e = x.exec) {
            l.add(user(), x.name, QStringLiteral("exec"), true);
            l.add(user(), x.name, QStringLiteral("exec.command"), e->command);
            l.add(user(), x.name, QStringLiteral("exec.args"), e->args);
            for (qsizetype i = 0; i < e->env.size(); ++i)
                l.add(user(), x.name, QStringLiteral("exec.env[%1]").arg(i),
                    e->env.at(i).name + u'=' + e->env.at(i).value);
            l.add(user(), x.name, QStringLiteral("exec.apiVersion"), e->apiVersion);
            l.add(user(), x.name, QStringLiteral("exec.installHint"), e->installHint);
            l.add(user(), x.name, QStringLiteral("exec.provideClusterInfo"), e->provideClusterInfo);
            // kubectl prints the v1beta1 default (SetDefaults_ExecConfig); the
            // loader keeps "unset" and validateContext applies the default.
            const bool defaulted = e->interactiveMode.isEmpty() && e->apiVersion == kV1beta1;
            l.add(user(), x.name, QStringLiteral("exec.interactiveMode"),
                defaulted ? QStringLiteral("IfAvailable") : e->interactiveMode);
        }
    }
    for (const Kube::KubeContext &x : c.contexts) {
        l.entry(context(), x.name);
        l.add(context(), x.name, QStringLiteral("cluster"), x.cluster);
        l.add(context(), x.name, QStringLiteral("user"), x.user);
        l.add(context(), x.name, QStringLiteral("namespace"), x.namespace_);
    }
    l.line(QStringLiteral("current-context = ") + c.currentContext);
    return l.sorted();
}

// kubectl prints paths as written. They are resolved here against the
// directory of the file our loader took the same entry from; that this is
// the directory kubectl uses is what resolvedPaths() proves, and every
// scenario writes different relative paths in different files, so a wrong
// winner still shows up as a different line.
QString resolved(const QString &path, const Core::SourceLocation &origin)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    if (origin.file.isEmpty())
        return QStringLiteral("(unresolved) ") + path;
    return QDir::cleanPath(QFileInfo(origin.file).absolutePath() + u'/' + path);
}

template<typename T>
Core::SourceLocation originOf(const QList<T> &list, const QString &name)
{
    for (const T &v : list)
        if (v.name == name)
            return v.origin;
    return {};
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

QStringList describeKubectl(const QJsonObject &root, const Kubeconfig &ours)
{
    Lines l;
    for (const QJsonValue &item : root.value(QStringLiteral("clusters")).toArray()) {
        const QString name = item[QStringLiteral("name")].toString();
        const QJsonObject x = item[QStringLiteral("cluster")].toObject();
        const Core::SourceLocation origin = originOf(ours.clusters, name);
        l.entry(cluster(), name);
        for (const char *field : { "server", "tls-server-name", "certificate-authority-data", "proxy-url" })
            l.add(cluster(), name, QLatin1String(field), x[QLatin1String(field)].toString());
        for (const char *field : { "insecure-skip-tls-verify", "disable-compression" })
            l.add(cluster(), name, QLatin1String(field), x[QLatin1String(field)].toBool());
        l.add(cluster(), name, QStringLiteral("certificate-authority"),
            resolved(x[QStringLiteral("certificate-authority")].toString(), origin));
    }
    for (const QJsonValue &item : root.value(QStringLiteral("users")).toArray()) {
        const QString name = item[QStringLiteral("name")].toString();
        const QJsonObject x = item[QStringLiteral("user")].toObject();
        const Core::SourceLocation origin = originOf(ours.users, name);
        l.entry(user(), name);
        for (const char *field :
            { "client-certificate-data", "client-key-data", "token", "as", "as-uid", "username", "password" })
            l.add(user(), name, QLatin1String(field), x[QLatin1String(field)].toString());
        for (const char *field : { "client-certificate", "client-key", "tokenFile" })
            l.add(user(), name, QLatin1String(field), resolved(x[QLatin1String(field)].toString(), origin));
        l.add(user(), name, QStringLiteral("as-groups"), stringList(x[QStringLiteral("as-groups")]));
        l.add(user(), name, QStringLiteral("auth-provider"),
            x[QStringLiteral("auth-provider")][QStringLiteral("name")].toString());
        if (x.contains(QStringLiteral("exec"))) {
            const QJsonObject e = x[QStringLiteral("exec")].toObject();
            l.add(user(), name, QStringLiteral("exec"), true);
            // Only a command with a path separator is a path (client-go ResolveLocalPaths).
            const QString command = e[QStringLiteral("command")].toString();
            l.add(user(), name, QStringLiteral("exec.command"),
                command.contains(u'/') ? resolved(command, origin) : command);
            l.add(user(), name, QStringLiteral("exec.args"), stringList(e[QStringLiteral("args")]));
            const QJsonArray env = e[QStringLiteral("env")].toArray();
            for (qsizetype i = 0; i < env.size(); ++i)
                l.add(user(), name, QStringLiteral("exec.env[%1]").arg(i),
                    env[i][QStringLiteral("name")].toString() + u'=' + env[i][QStringLiteral("value")].toString());
            for (const char *field : { "apiVersion", "installHint", "interactiveMode" })
                l.add(user(), name, QStringLiteral("exec.") + QLatin1String(field), e[QLatin1String(field)].toString());
            l.add(user(), name, QStringLiteral("exec.provideClusterInfo"),
                e[QStringLiteral("provideClusterInfo")].toBool());
        }
    }
    for (const QJsonValue &item : root.value(QStringLiteral("contexts")).toArray()) {
        const QString name = item[QStringLiteral("name")].toString();
        const QJsonObject x = item[QStringLiteral("context")].toObject();
        l.entry(context(), name);
        for (const char *field : { "cluster", "user", "namespace" })
            l.add(context(), name, QLatin1String(field), x[QLatin1String(field)].toString());
    }
    l.line(QStringLiteral("current-context = ") + root.value(QStringLiteral("current-context")).toString());
    return l.sorted();
}

// ------------------------------------------------ scenario files

QByteArray everyField()
{
    return "apiVersion: v1\n"
           "kind: Config\n"
           "preferences: {}\n"
           "clusters:\n"
           "- name: prod\n"
           "  cluster:\n"
           "    server: https://10.0.0.1:6443\n"
           "    tls-server-name: api.prod.internal\n"
           "    certificate-authority: pki/prod-ca.crt\n"
           "    proxy-url: socks5://127.0.0.1:1080\n"
           "    disable-compression: true\n"
           "    extensions:\n"
           "    - name: bramble\n"
           "      extension: {anything: 1}\n"
           "- name: inline\n"
           "  cluster:\n"
           "    server: https://inline.example:443\n"
           "    certificate-authority-data: aGVsbG8tcGVt\n"
           "    insecure-skip-tls-verify: false\n"
           "- name: absolute\n"
           "  cluster:\n"
           "    server: https://absolute.example\n"
           "    certificate-authority: @HOME@/elsewhere/ca.crt\n"
           "users:\n"
           "- name: cert\n"
           "  user:\n"
           "    client-certificate: pki/client.crt\n"
           "    client-key: ../keys/./client.key\n"
           "- name: cert-data\n"
           "  user:\n"
           "    client-certificate-data: Y2VydGlmaWNhdGU=\n"
           "    client-key-data: a2V5\n"
           "- name: token\n"
           "  user:\n"
           "    token: abc.def-ghi\n"
           "    as: admin\n"
           "    as-uid: \"1000\"\n"
           "    as-groups: [\"system:masters\", devs]\n"
           "- name: token-file\n"
           "  user:\n"
           "    tokenFile: secrets/token\n"
           "- name: basic\n"
           "  user: {username: bob, password: s3cret}\n"
           "- name: legacy\n"
           "  user:\n"
           "    auth-provider:\n"
           "      name: oidc\n"
           "      config: {client-id: bramble}\n"
           "contexts:\n"
           "- name: prod\n"
           "  context: {cluster: prod, user: cert, namespace: kube-system}\n"
           "- name: inline\n"
           "  context: {cluster: inline, user: token}\n"
           "- name: no-user\n"
           "  context:\n"
           "    cluster: absolute\n"
           "current-context: prod\n";
}

QByteArray execPlugins()
{
    return "users:\n"
           "- name: eks\n"
           "  user:\n"
           "    exec:\n"
           "      apiVersion: client.authentication.k8s.io/v1beta1\n"
           "      command: aws\n"
           "      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod]\n"
           "      env:\n"
           "      - name: AWS_PROFILE\n"
           "        value: prod\n"
           "      - {name: EMPTY, value: \"\"}\n"
           "      installHint: install the AWS CLI\n"
           "      provideClusterInfo: true\n"
           "- name: local-plugin\n"
           "  user:\n"
           "    exec:\n"
           "      apiVersion: client.authentication.k8s.io/v1\n"
           "      command: ./bin/get-token\n"
           "      interactiveMode: Never\n"
           "- name: gke\n"
           "  user:\n"
           "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin,\n"
           "           interactiveMode: Always}\n"
           "- name: absolute-plugin\n"
           "  user:\n"
           "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /usr/local/bin/plugin, args: []}\n"
           "contexts:\n"
           "- name: eks\n"
           "  context: {cluster: eks, user: eks}\n";
}

// go-yaml v2 (behind kubectl) resolves YAML 1.1 booleans.
QByteArray yamlBooleans()
{
    return "clusters:\n"
           "- {name: yes-lower, cluster: {server: https://a, insecure-skip-tls-verify: yes}}\n"
           "- {name: yes-upper, cluster: {server: https://a, insecure-skip-tls-verify: YES}}\n"
           "- {name: \"on\", cluster: {server: https://a, insecure-skip-tls-verify: On}}\n"
           "- {name: \"y\", cluster: {server: https://a, insecure-skip-tls-verify: y}}\n"
           "- {name: true-upper, cluster: {server: https://a, insecure-skip-tls-verify: TRUE}}\n"
           "- {name: \"off\", cluster: {server: https://a, insecure-skip-tls-verify: off, disable-compression: Y}}\n"
           "- {name: \"no\", cluster: {server: https://a, insecure-skip-tls-verify: NO, disable-compression: on}}\n"
           "- {name: \"n\", cluster: {server: https://a, insecure-skip-tls-verify: n}}\n"
           "users:\n"
           "- name: plugin\n"
           "  user:\n"
           "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x, provideClusterInfo: yes}\n";
}

// Plain scalars that YAML 1.1 could have read as something else but go-yaml
// keeps as strings (timestamps, base 60, numbers out of strconv's range),
// and quoted look-alikes.
QByteArray lookAlikeStrings()
{
    return "clusters:\n"
           "- name: \"yes\"\n"
           "  cluster: {server: \"https://a:6443\", tls-server-name: \"true\", proxy-url: \"\"}\n"
           "users:\n"
           "- name: \"123\"\n"
           "  user: {token: 12:30, username: 1.2.3, password: 0x1G, as: \"0755\", as-uid: ~}\n"
           "- name: dates\n"
           "  user: {token: 2001-12-14T10:00:00Z, username: 2001-12-14, password: _1, as: 1e}\n"
           "- name: out-of-range\n"
           "  user: {token: 1e400, username: 0x1FFFFFFFFFFFFFFFF, password: -0x8000000000000001, as: .5e400,\n"
           "         as-uid: +0xFFFFFFFFFFFFFFFF}\n"
           "contexts:\n"
           "- name: \"on\"\n"
           "  context: {cluster: \"yes\", user: \"123\", namespace: null}\n"
           "current-context: \"on\"\n";
}

// Anchors, merge keys, duplicate keys (the last wins), block scalars and
// entries without their inner mapping.
QByteArray yamlForms()
{
    return "base: &base\n"
           "  server: https://base:6443\n"
           "  tls-server-name: base.internal\n"
           "plugin: &plugin\n"
           "  apiVersion: client.authentication.k8s.io/v1beta1\n"
           "  command: aws\n"
           "clusters:\n"
           "- name: merged\n"
           "  cluster:\n"
           "    <<: *base\n"
           "    server: https://own:6443\n"
           "- name: dup-keys\n"
           "  cluster:\n"
           "    server: https://first\n"
           "    server: https://second\n"
           "- name: wrapped-data\n"
           "  cluster:\n"
           "    server: https://wrapped\n"
           "    certificate-authority-data: |\n"
           "      aGVs\n"
           "      bG8t\n"
           "      cGVt\n"
           "- name: bare\n"
           "users:\n"
           "- name: shared-plugin\n"
           "  user:\n"
           "    exec: *plugin\n"
           "- name: null-user\n"
           "  user: null\n"
           "contexts:\n"
           "- name: bare\n"
           "  context:\n"
           "current-context: >-\n"
           "  bare\n";
}

// Two files that define the same names, with different relative paths.
QByteArray firstFile()
{
    return "clusters:\n"
           "- name: shared\n"
           "  cluster: {server: https://one, certificate-authority: one-ca.crt}\n"
           "users:\n"
           "- name: shared\n"
           "  user: {tokenFile: one-token}\n"
           "contexts:\n"
           "- name: shared\n"
           "  context: {cluster: shared, user: shared, namespace: one}\n";
}

QByteArray secondFile()
{
    return "clusters:\n"
           "- name: shared\n"
           "  cluster: {server: https://two, certificate-authority: two-ca.crt, tls-server-name: two.internal}\n"
           "- name: only-two\n"
           "  cluster: {server: https://only-two, certificate-authority: ../pki/two-ca.crt}\n"
           "users:\n"
           "- name: shared\n"
           "  user: {token: two-token, username: two}\n"
           "- name: only-two\n"
           "  user: {client-certificate: certs/two.crt, client-key: certs/two.key}\n"
           "contexts:\n"
           "- name: shared\n"
           "  context: {cluster: only-two, user: only-two}\n"
           "- name: only-two\n"
           "  context: {cluster: only-two, user: shared, namespace: two}\n"
           "current-context: only-two\n";
}

// For resolvedPaths: every credential points at a file that does not exist.
QByteArray resolveFirst()
{
    return "clusters:\n"
           "- name: shared\n"
           "  cluster: {server: \"https://127.0.0.1:1\", certificate-authority: ca/ca.crt}\n"
           "- name: plain\n"
           "  cluster: {server: \"https://127.0.0.1:1\", insecure-skip-tls-verify: true}\n"
           "users:\n"
           "- name: shared-token\n"
           "  user: {tokenFile: token}\n"
           "contexts:\n"
           "- {name: ca-first, context: {cluster: shared}}\n"
           "- {name: token-first, context: {cluster: plain, user: shared-token}}\n";
}

QByteArray resolveSecond()
{
    return "clusters:\n"
           "- name: shared\n"
           "  cluster: {server: \"https://127.0.0.1:1\", certificate-authority: ca/ca.crt}\n"
           "- name: up\n"
           "  cluster: {server: \"https://127.0.0.1:1\", certificate-authority: ../pki/./ca.crt}\n"
           "users:\n"
           "- name: shared-token\n"
           "  user: {tokenFile: token}\n"
           "- name: cert\n"
           "  user: {client-certificate: certs/client.crt, client-key: certs/client.key}\n"
           "- name: plugin\n"
           "  user:\n"
           "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/credential-helper}\n"
           "contexts:\n"
           "- {name: ca-dotdot, context: {cluster: up}}\n"
           "- {name: cert, context: {cluster: plain, user: cert}}\n"
           "- {name: plugin, context: {cluster: plain, user: plugin}}\n";
}

QByteArray validFile()
{
    return "clusters:\n- name: ok\n  cluster: {server: https://ok}\ncurrent-context: ok\n";
}

// The path field of the cluster or user that a context uses.
QString loaderPath(const Kubeconfig &c, const QString &contextName, const QString &field)
{
    const Kube::KubeContext *ctx = c.context(contextName);
    if (!ctx)
        return QStringLiteral("(no context %1)").arg(contextName);
    if (field == u"certificate-authority") {
        const Kube::KubeCluster *cl = c.cluster(ctx->cluster);
        return cl ? cl->certificateAuthority : QString();
    }
    const Kube::KubeUser *u = c.user(ctx->user);
    if (!u)
        return {};
    if (field == u"tokenFile")
        return u->tokenFile;
    if (field == u"client-certificate")
        return u->clientCertificate;
    if (field == u"client-key")
        return u->clientKey;
    if (field == u"exec.command")
        return u->exec ? u->exec->command : QString();
    return QStringLiteral("(unknown field %1)").arg(field);
}

} // namespace

class tst_KubectlCompat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void merge_data();
    void merge();
    void resolvedPaths_data();
    void resolvedPaths();
    void brokenFiles_data();
    void brokenFiles();

private:
    KubectlRunner m_kubectl;
};

void tst_KubectlCompat::initTestCase()
{
    const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
    QVERIFY2(!kubectl.isEmpty(),
        "kubectl is not on PATH (installers/setup.sh installs it): this test compares "
        "our kubeconfig loader with the real kubectl");
    m_kubectl.setProgram(kubectl);
}

// ------------------------------------------------ merge

void tst_KubectlCompat::merge_data()
{
    QTest::addColumn<ScenarioPtr>("scenario");
    // kubeconfig: home-relative KUBECONFIG entries, empty for unset; explicitFile: --kubeconfig.
    auto row = [this](const char *name, const Files &files, const QStringList &kubeconfig,
                   const QString &explicitFile = {}) {
        QTest::newRow(name) << m_kubectl.add(files, kubeconfig, explicitFile, viewArgs());
    };

    const QStringList config { QStringLiteral("kube/config") };
    row("every field", { { QStringLiteral("kube/config"), everyField() } }, config);
    row("exec plugins", { { QStringLiteral("kube/config"), execPlugins() } }, config);
    row("YAML 1.1 booleans", { { QStringLiteral("kube/config"), yamlBooleans() } }, config);
    row("strings that look like other types", { { QStringLiteral("kube/config"), lookAlikeStrings() } }, config);
    row("anchors, merge keys, duplicate keys, block scalars, bare entries",
        { { QStringLiteral("kube/config"), yamlForms() } }, config);

    // The first file to define a name wins the whole entry; relative paths
    // belong to the directory of the file that won.
    const Files twoFiles { { QStringLiteral("one/config"), firstFile() },
        { QStringLiteral("two/config"), secondFile() } };
    row("first file wins per name", twoFiles, { QStringLiteral("one/config"), QStringLiteral("two/config") });
    row("first file wins, reversed", twoFiles, { QStringLiteral("two/config"), QStringLiteral("one/config") });

    // The first non-empty current-context wins, wherever it is.
    row("current-context from a later file",
        { { QStringLiteral("a"), firstFile() }, { QStringLiteral("b"), "current-context: \"\"\n" },
            { QStringLiteral("c"), "current-context: from-c\n" },
            { QStringLiteral("d"), "current-context: from-d\n" } },
        { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d") });

    // Missing files are skipped, empty and comment-only files are empty
    // configs, a repeated path is read once and empty entries are ignored.
    row("missing, empty, repeated and blank entries",
        { { QStringLiteral("empty"), QByteArray() }, { QStringLiteral("comments"), "# nothing here\n\n---\n" },
            { QStringLiteral("real"), validFile() }, { QStringLiteral("later"), secondFile() } },
        { QStringLiteral("missing"), QStringLiteral("empty"), QString(), QStringLiteral("comments"),
            QStringLiteral("real"), QStringLiteral("later"), QStringLiteral("real"), QString() });
    row("every file missing", {}, { QStringLiteral("nope-1"), QStringLiteral("nope-2") });

    row("default ~/.kube/config", { { QStringLiteral(".kube/config"), firstFile() } }, {});
    // KUBECONFIG wins over ~/.kube/config; a kubeconfig may be JSON.
    row("KUBECONFIG set: ~/.kube/config ignored",
        { { QStringLiteral(".kube/config"), firstFile() },
            { QStringLiteral("other.json"),
                "{\"apiVersion\": \"v1\", \"kind\": \"Config\",\n"
                " \"clusters\": [{\"name\": \"json\", \"cluster\": {\"server\": \"https://json\",\n"
                "                \"insecure-skip-tls-verify\": true}}],\n"
                " \"users\": [{\"name\": \"json\", \"user\": {\"token\": \"t\"}}],\n"
                " \"contexts\": [{\"name\": \"json\", \"context\": {\"cluster\": \"json\", \"user\": \"json\"}}],\n"
                " \"current-context\": \"json\"}\n" } },
        { QStringLiteral("other.json") });
    row("explicit --kubeconfig overrides KUBECONFIG",
        { { QStringLiteral("one/config"), firstFile() }, { QStringLiteral("two/config"), secondFile() },
            { QStringLiteral("explicit/config"), everyField() } },
        { QStringLiteral("one/config"), QStringLiteral("two/config") }, QStringLiteral("explicit/config"));

    // Known difference, see merge().
    row("entry without a name",
        { { QStringLiteral("config"),
            "clusters:\n- cluster: {server: https://nameless}\n- name: named\n  cluster: {server: https://named}\n" } },
        { QStringLiteral("config") });
}

void tst_KubectlCompat::merge()
{
    QFETCH(ScenarioPtr, scenario);
    QVERIFY(scenario->written);
    QVERIFY2(KubectlRunner::wait(scenario), "kubectl did not finish");
    const KubectlRun &run = scenario->run;
    QVERIFY2(run.finished && run.exitCode == 0, run.err.constData());
    QJsonParseError jsonError;
    const QJsonDocument json = QJsonDocument::fromJson(run.out, &jsonError);
    QVERIFY2(json.isObject(), qPrintable(jsonError.errorString()));

    const KubeconfigLoadResult r = KubeconfigLoader::load(scenario->environment(), scenario->explicitPath);
    QEXPECT_FAIL("entry without a name",
        "kubectl keeps a list entry without a name as the entry \"\"; the loader rejects the whole file "
        "(tst_kubeconfigloader brokenInput expects that)",
        Abort);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));

    QCOMPARE(describeLoader(r.config), describeKubectl(json.object(), r.config));
}

// ------------------------------------------------ resolved paths

void tst_KubectlCompat::resolvedPaths_data()
{
    QTest::addColumn<ScenarioPtr>("scenario");
    QTest::addColumn<QString>("context"); // empty: the current context
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected"); // home-relative

    // KUBECONFIG=one/config:two/config, or an explicit file.
    const Files files { { QStringLiteral("one/config"), resolveFirst() },
        { QStringLiteral("two/config"), resolveSecond() },
        { QStringLiteral("explicit/deep/config"),
            "clusters:\n- {name: c, cluster: {server: \"https://127.0.0.1:1\"}}\n"
            "users:\n- {name: u, user: {tokenFile: ../token}}\n"
            "contexts:\n- {name: c, context: {cluster: c, user: u}}\n"
            "current-context: c\n" } };
    const QStringList list { QStringLiteral("one/config"), QStringLiteral("two/config") };
    auto row = [&](const char *name, const QString &context, const char *field, const char *expected,
                   const QString &explicitFile = {}) {
        QStringList args = requestArgs();
        if (!context.isEmpty())
            args << QStringLiteral("--context") << context;
        QTest::newRow(name) << m_kubectl.add(files, list, explicitFile, args) << context << QString::fromLatin1(field)
                            << QString::fromLatin1(expected);
    };

    row("certificate-authority, entry from the first file", QStringLiteral("ca-first"), "certificate-authority",
        "one/ca/ca.crt");
    row("tokenFile, entry from the first file", QStringLiteral("token-first"), "tokenFile", "one/token");
    row("certificate-authority with .., second file", QStringLiteral("ca-dotdot"), "certificate-authority",
        "pki/ca.crt");
    row("client-certificate, second file", QStringLiteral("cert"), "client-certificate", "two/certs/client.crt");
    row("client-key, second file", QStringLiteral("cert"), "client-key", "two/certs/client.key");
    row("exec command, second file", QStringLiteral("plugin"), "exec.command", "two/bin/credential-helper");
    row("tokenFile, explicit file in a subdirectory", QString(), "tokenFile", "explicit/token",
        QStringLiteral("explicit/deep/config"));
}

void tst_KubectlCompat::resolvedPaths()
{
    QFETCH(ScenarioPtr, scenario);
    QFETCH(QString, context);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    QVERIFY(scenario->written);
    const QString expectedPath = scenario->home.path(expected);

    const KubeconfigLoadResult r = KubeconfigLoader::load(scenario->environment(), scenario->explicitPath);
    QVERIFY2(r.ok(), qPrintable(joinErrors(r.errors)));
    QCOMPARE(loaderPath(r.config, context.isEmpty() ? r.config.currentContext : context, field), expectedPath);

    // kubectl reads the credential while building the client and reports the
    // absolute path it tried; nothing listens on port 1 of the loopback.
    QVERIFY2(KubectlRunner::wait(scenario), "kubectl did not finish");
    const KubectlRun &run = scenario->run;
    QVERIFY2(run.finished && run.exitCode != 0, run.err.constData());
    const QByteArray notFound = expectedPath.toUtf8() + ": no such file or directory";
    QVERIFY2(run.err.contains(notFound),
        qPrintable(QStringLiteral("kubectl did not try %1:\n%2").arg(expectedPath, QString::fromUtf8(run.err))));
}

// ------------------------------------------------ broken files

void tst_KubectlCompat::brokenFiles_data()
{
    QTest::addColumn<ScenarioPtr>("scenario");
    QTest::addColumn<QString>("broken"); // home-relative; both sides must name it

    // KUBECONFIG=ok:broken
    auto row = [this](const char *name, const QByteArray &yaml) {
        QTest::newRow(name) << m_kubectl.add(
            { { QStringLiteral("ok"), validFile() }, { QStringLiteral("broken"), yaml } },
            { QStringLiteral("ok"), QStringLiteral("broken") }, {}, viewArgs())
                            << QStringLiteral("broken");
    };
    row("YAML syntax error", "clusters:\n- name: a\n  cluster: {server: https://a\n");
    row("tab indentation", "clusters:\n- name: a\n\tcluster: {}\n");
    row("duplicate name in one file",
        "clusters:\n- name: a\n  cluster: {server: https://x}\n- name: a\n  cluster: {server: https://y}\n");
    row("number where a string belongs", "clusters:\n- name: a\n  cluster: {server: 8443}\n");
    row("unquoted no as a token", "users:\n- name: a\n  user: {token: no}\n");
    row("quoted true as a bool",
        "clusters:\n- name: a\n  cluster: {server: https://a, insecure-skip-tls-verify: \"true\"}\n");
    row("invalid base64", "clusters:\n- name: a\n  cluster: {certificate-authority-data: \"abc\"}\n");
    row("clusters is a mapping", "clusters: {a: {server: https://a}}\n");
    row("YAML 1.1 bool as a name", "clusters:\n- name: on\n  cluster: {server: https://a}\n");
    // `kubectl config view` reads a missing --kubeconfig as an empty config
    // (PathOptions.GetStartingConfig); every other command fails on it, as
    // the loader does, so this row makes a request.
    QTest::newRow("explicit --kubeconfig missing") << m_kubectl.add(
        { { QStringLiteral("ok"), validFile() } }, { QStringLiteral("ok") }, QStringLiteral("missing"), requestArgs())
                                                   << QStringLiteral("missing");
}

void tst_KubectlCompat::brokenFiles()
{
    QFETCH(ScenarioPtr, scenario);
    QFETCH(QString, broken);
    QVERIFY(scenario->written);
    const QString brokenPath = scenario->home.path(broken);

    QVERIFY2(KubectlRunner::wait(scenario), "kubectl did not finish");
    const KubectlRun &run = scenario->run;
    QVERIFY2(run.finished, run.err.constData());
    QVERIFY2(run.exitCode != 0, run.out.constData());
    QVERIFY2(run.err.contains(brokenPath.toUtf8()), run.err.constData());

    const KubeconfigLoadResult r = KubeconfigLoader::load(scenario->environment(), scenario->explicitPath);
    QVERIFY2(!r.ok(), "the loader accepted a file kubectl rejects");
    const bool named = std::any_of(
        r.errors.cbegin(), r.errors.cend(), [&](const Core::Error &e) { return e.where.file == brokenPath; });
    QVERIFY2(named, qPrintable(joinErrors(r.errors)));
}

QTEST_GUILESS_MAIN(tst_KubectlCompat)
#include "tst_kubectlcompat.moc"
