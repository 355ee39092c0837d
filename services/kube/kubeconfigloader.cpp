#include "kube/kubeconfigloader.h"

#include "kube/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace Bramble::Kube {

using Core::Error;
using Core::SourceLocation;

namespace {

// Thrown inside the parser only; converted to an Error at the boundary.
struct ParseFailure
{
    Error error;
};

class DocumentReader
{
public:
    explicit DocumentReader(QString file) : m_file(std::move(file)), m_dir(QFileInfo(m_file).absolutePath()) { }

    SourceLocation at(const YAML::Node &node, const QString &key) const
    {
        SourceLocation loc{m_file, 0, 0, key};
        const YAML::Mark mark = node.Mark();
        if (!mark.is_null()) {
            loc.line = mark.line + 1;
            loc.column = mark.column + 1;
        }
        return loc;
    }

    [[noreturn]] void fail(const YAML::Node &node, const QString &key, const QString &message) const
    {
        throw ParseFailure{Error(message, at(node, key))};
    }

    QString string(const YAML::Node &node, const QString &key) const
    {
        if (!node || node.IsNull())
            return {};
        if (!node.IsScalar())
            fail(node, key, QStringLiteral("expected a string"));
        return QString::fromStdString(node.Scalar());
    }

    bool boolean(const YAML::Node &node, const QString &key) const
    {
        if (!node || node.IsNull())
            return false;
        const QString text = string(node, key).toLower();
        if (text == u"true" || text == u"yes" || text == u"on")
            return true;
        if (text == u"false" || text == u"no" || text == u"off")
            return false;
        fail(node, key, QStringLiteral("expected true or false, got \"%1\"").arg(text));
    }

    QStringList stringList(const YAML::Node &node, const QString &key) const
    {
        QStringList out;
        if (!node || node.IsNull())
            return out;
        if (!node.IsSequence())
            fail(node, key, QStringLiteral("expected a list of strings"));
        for (std::size_t i = 0; i < node.size(); ++i)
            out << string(node[i], key + u'[' + QString::number(i) + u']');
        return out;
    }

    QByteArray base64(const YAML::Node &node, const QString &key) const
    {
        const QString text = string(node, key);
        if (text.isEmpty())
            return {};
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            fail(node, key, QStringLiteral("is not valid base64"));
        return *decoded;
    }

    void requireMap(const YAML::Node &node, const QString &key) const
    {
        if (node && !node.IsNull() && !node.IsMap())
            fail(node, key, QStringLiteral("expected a mapping"));
    }

    // Relative paths are resolved against the kubeconfig's directory (ResolveLocalPaths).
    QString path(const YAML::Node &node, const QString &key) const
    {
        const QString p = string(node, key);
        if (p.isEmpty() || QDir::isAbsolutePath(p))
            return p;
        return QDir::cleanPath(m_dir + u'/' + p);
    }

    const QString &file() const { return m_file; }

private:
    QString m_file;
    QString m_dir;
};

KubeCluster readCluster(const DocumentReader &r, const QString &name, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeCluster c;
    c.name = name;
    c.origin = r.at(n, key);
    c.server = r.string(n["server"], key + QStringLiteral(".server"));
    c.tlsServerName = r.string(n["tls-server-name"], key + QStringLiteral(".tls-server-name"));
    c.insecureSkipTlsVerify = r.boolean(n["insecure-skip-tls-verify"], key + QStringLiteral(".insecure-skip-tls-verify"));
    c.certificateAuthority = r.path(n["certificate-authority"], key + QStringLiteral(".certificate-authority"));
    c.certificateAuthorityData = r.base64(n["certificate-authority-data"], key + QStringLiteral(".certificate-authority-data"));
    c.proxyUrl = r.string(n["proxy-url"], key + QStringLiteral(".proxy-url"));
    c.disableCompression = r.boolean(n["disable-compression"], key + QStringLiteral(".disable-compression"));
    return c;
}

KubeExecConfig readExec(const DocumentReader &r, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeExecConfig e;
    e.command = r.string(n["command"], key + QStringLiteral(".command"));
    // A command with a path separator is relative to the kubeconfig's directory.
    if (e.command.contains(u'/'))
        e.command = r.path(n["command"], key + QStringLiteral(".command"));
    e.args = r.stringList(n["args"], key + QStringLiteral(".args"));
    const YAML::Node env = n["env"];
    if (env && !env.IsNull()) {
        if (!env.IsSequence())
            r.fail(env, key + QStringLiteral(".env"), QStringLiteral("expected a list of {name, value}"));
        for (std::size_t i = 0; i < env.size(); ++i) {
            const QString k = key + QStringLiteral(".env[") + QString::number(i) + u']';
            r.requireMap(env[i], k);
            e.env.append({r.string(env[i]["name"], k + QStringLiteral(".name")),
                          r.string(env[i]["value"], k + QStringLiteral(".value"))});
        }
    }
    e.apiVersion = r.string(n["apiVersion"], key + QStringLiteral(".apiVersion"));
    e.installHint = r.string(n["installHint"], key + QStringLiteral(".installHint"));
    e.provideClusterInfo = r.boolean(n["provideClusterInfo"], key + QStringLiteral(".provideClusterInfo"));
    e.interactiveMode = r.string(n["interactiveMode"], key + QStringLiteral(".interactiveMode"));
    return e;
}

KubeUser readUser(const DocumentReader &r, const QString &name, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeUser u;
    u.name = name;
    u.origin = r.at(n, key);
    u.clientCertificate = r.path(n["client-certificate"], key + QStringLiteral(".client-certificate"));
    u.clientCertificateData = r.base64(n["client-certificate-data"], key + QStringLiteral(".client-certificate-data"));
    u.clientKey = r.path(n["client-key"], key + QStringLiteral(".client-key"));
    u.clientKeyData = r.base64(n["client-key-data"], key + QStringLiteral(".client-key-data"));
    u.token = r.string(n["token"], key + QStringLiteral(".token"));
    u.tokenFile = r.path(n["tokenFile"], key + QStringLiteral(".tokenFile"));
    u.impersonate = r.string(n["as"], key + QStringLiteral(".as"));
    u.impersonateUid = r.string(n["as-uid"], key + QStringLiteral(".as-uid"));
    u.impersonateGroups = r.stringList(n["as-groups"], key + QStringLiteral(".as-groups"));
    u.username = r.string(n["username"], key + QStringLiteral(".username"));
    u.password = r.string(n["password"], key + QStringLiteral(".password"));
    const YAML::Node provider = n["auth-provider"];
    if (provider && !provider.IsNull()) {
        r.requireMap(provider, key + QStringLiteral(".auth-provider"));
        u.authProvider = r.string(provider["name"], key + QStringLiteral(".auth-provider.name"));
    }
    const YAML::Node exec = n["exec"];
    if (exec && !exec.IsNull())
        u.exec = readExec(r, exec, key + QStringLiteral(".exec"));
    return u;
}

KubeContext readContext(const DocumentReader &r, const QString &name, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeContext c;
    c.name = name;
    c.origin = r.at(n, key);
    c.cluster = r.string(n["cluster"], key + QStringLiteral(".cluster"));
    c.user = r.string(n["user"], key + QStringLiteral(".user"));
    c.namespace_ = r.string(n["namespace"], key + QStringLiteral(".namespace"));
    return c;
}

// Reads a named list ("clusters", "users", "contexts"): [{name, <inner>: {...}}].
// Within one file a later duplicate replaces the earlier one, as client-go's
// v1 conversion does; the duplicate is reported as a warning.
template<typename T, typename ReadFn>
void readNamedList(const DocumentReader &r, const YAML::Node &root, const char *listKey, const char *innerKey,
                   ReadFn read, QList<T> &out, Core::Errors &warnings)
{
    const YAML::Node list = root[listKey];
    const QString listName = QString::fromLatin1(listKey);
    if (!list || list.IsNull())
        return;
    if (!list.IsSequence())
        r.fail(list, listName, QStringLiteral("expected a list"));
    for (std::size_t i = 0; i < list.size(); ++i) {
        const QString key = listName + u'[' + QString::number(i) + u']';
        const YAML::Node item = list[i];
        r.requireMap(item, key);
        const QString name = r.string(item["name"], key + QStringLiteral(".name"));
        if (name.isEmpty())
            r.fail(item, key + QStringLiteral(".name"), QStringLiteral("missing name"));
        const QString innerName = key + u'.' + QString::fromLatin1(innerKey);
        T value = read(r, name, item[innerKey], innerName);
        auto existing = std::find_if(out.begin(), out.end(), [&](const T &v) { return v.name == name; });
        if (existing != out.end()) {
            warnings.append(Error(QStringLiteral("duplicate name \"%1\"; the later entry is used").arg(name),
                                  r.at(item, key)));
            *existing = std::move(value);
        } else {
            out.append(std::move(value));
        }
    }
}

template<typename T>
void mergeFirstWins(QList<T> &into, const QList<T> &from)
{
    for (const T &v : from) {
        const bool present = std::any_of(into.cbegin(), into.cend(), [&](const T &e) { return e.name == v.name; });
        if (!present)
            into.append(v);
    }
}

} // namespace

KubeconfigLoadResult KubeconfigLoader::parse(const QByteArray &yaml, const QString &fileName)
{
    KubeconfigLoadResult result;
    result.config.files = QStringList{fileName};
    DocumentReader r(fileName);
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root || root.IsNull())
            return result; // an empty file is an empty config, as in kubectl
        if (!root.IsMap())
            r.fail(root, QString(), QStringLiteral("expected a kubeconfig mapping at the top level"));
        readNamedList(r, root, "clusters", "cluster", readCluster, result.config.clusters, result.warnings);
        readNamedList(r, root, "users", "user", readUser, result.config.users, result.warnings);
        readNamedList(r, root, "contexts", "context", readContext, result.config.contexts, result.warnings);
        result.config.currentContext = r.string(root["current-context"], QStringLiteral("current-context"));
    } catch (const ParseFailure &failure) {
        result.errors.append(failure.error);
        result.config = Kubeconfig{QStringList{fileName}, {}, {}, {}, {}};
    } catch (const YAML::Exception &e) {
        SourceLocation loc{fileName, 0, 0, {}};
        if (!e.mark.is_null()) {
            loc.line = e.mark.line + 1;
            loc.column = e.mark.column + 1;
        }
        result.errors.append(Error(QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg), loc));
        result.config = Kubeconfig{QStringList{fileName}, {}, {}, {}, {}};
    }
    return result;
}

QStringList KubeconfigLoader::searchPaths(const Core::Environment &env, const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return {env.expandHome(explicitPath)};
    const QString list = env.value(QStringLiteral("KUBECONFIG"));
    if (!list.isEmpty()) {
        QStringList paths;
        for (const QString &p : list.split(QDir::listSeparator(), Qt::SkipEmptyParts)) {
            const QString expanded = env.expandHome(p);
            if (!paths.contains(expanded))
                paths.append(expanded);
        }
        if (!paths.isEmpty())
            return paths;
    }
    return {env.homeDir() + QStringLiteral("/.kube/config")};
}

KubeconfigLoadResult KubeconfigLoader::loadFiles(const QStringList &paths, bool explicitFile)
{
    KubeconfigLoadResult merged;
    int missing = 0;
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.exists()) {
            ++missing;
            if (explicitFile)
                merged.errors.append(Error(QStringLiteral("kubeconfig file not found"), {path, 0, 0, {}}));
            continue;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            merged.errors.append(Error(QStringLiteral("cannot read kubeconfig: ") + file.errorString(), {path, 0, 0, {}}));
            continue;
        }
        KubeconfigLoadResult one = parse(file.readAll(), path);
        merged.errors += one.errors;
        merged.warnings += one.warnings;
        merged.config.files.append(path);
        if (!one.ok())
            continue;
        mergeFirstWins(merged.config.clusters, one.config.clusters);
        mergeFirstWins(merged.config.users, one.config.users);
        mergeFirstWins(merged.config.contexts, one.config.contexts);
        if (merged.config.currentContext.isEmpty())
            merged.config.currentContext = one.config.currentContext;
    }
    if (!explicitFile && missing == paths.size() && paths.size() > 1)
        merged.warnings.append(Error(QStringLiteral("none of the files in KUBECONFIG exist")));
    qCDebug(lcKube) << "kubeconfig loaded from" << merged.config.files << "contexts:" << merged.config.contexts.size();
    return merged;
}

KubeconfigLoadResult KubeconfigLoader::load(const Core::Environment &env, const QString &explicitPath)
{
    return loadFiles(searchPaths(env, explicitPath), !explicitPath.isEmpty());
}

} // namespace Bramble::Kube
