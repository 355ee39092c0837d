#include "kube/kubeconfigloader.h"

#include "core/boundedfile.h"
#include "core/bytearraystreambuf.h"
#include "kube/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QtNumeric>

#include <yaml-cpp/yaml.h>

#include <istream>
#include <limits>

namespace Bramble::Kube {

using Core::Error;
using Core::SourceLocation;

namespace {

// Thrown inside the parser only; converted to an Error at the boundary.
struct ParseFailure {
    Error error;
};

// YAML 1.1 booleans, as go-yaml v2 (behind sigs.k8s.io/yaml) resolves them.
std::optional<bool> yamlBool(const QString &text)
{
    static const QStringList truths { QStringLiteral("y"), QStringLiteral("Y"), QStringLiteral("yes"),
        QStringLiteral("Yes"), QStringLiteral("YES"), QStringLiteral("true"), QStringLiteral("True"),
        QStringLiteral("TRUE"), QStringLiteral("on"), QStringLiteral("On"), QStringLiteral("ON") };
    static const QStringList lies { QStringLiteral("n"), QStringLiteral("N"), QStringLiteral("no"),
        QStringLiteral("No"), QStringLiteral("NO"), QStringLiteral("false"), QStringLiteral("False"),
        QStringLiteral("FALSE"), QStringLiteral("off"), QStringLiteral("Off"), QStringLiteral("OFF") };
    if (truths.contains(text))
        return true;
    if (lies.contains(text))
        return false;
    return std::nullopt;
}

// What go-yaml v2 makes of an unquoted scalar other than a string: "bool",
// "number", or nullptr for a string.
const char *plainScalarType(const QString &text)
{
    if (yamlBool(text))
        return "bool";
    if (text.isEmpty())
        return nullptr;
    const QChar first = text.front();
    if (!first.isDigit() && first != u'-' && first != u'+' && first != u'.')
        return nullptr;
    static const QRegularExpression number(
        QStringLiteral("^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+" // integers (Go ParseInt, base 0)
                       "|(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?" // floats
                       "|\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"));
    QString plain = text;
    plain.remove(u'_');
    if (!number.match(plain).hasMatch())
        return nullptr;
    // strconv reports a range error for a number that does not fit, and
    // go-yaml then keeps the scalar as a string: "1e400", "0x1FFFFFFFFFFFFFFFF".
    const bool negative = plain.startsWith(u'-');
    const bool signed_ = negative || plain.startsWith(u'+');
    const QStringView body = QStringView(plain).mid(signed_ ? 1 : 0);
    if (body.size() > 2 && body[0] == u'0' && QStringView(u"xXoObB").contains(body[1])) {
        const QChar prefix = body[1].toLower();
        bool ok = false;
        const qulonglong magnitude = body.mid(2).toULongLong(&ok, prefix == u'x' ? 16 : prefix == u'o' ? 8 : 2);
        // ParseInt takes any sign within 64 bits; ParseUint a larger value, unsigned only.
        const qulonglong int64Max = qulonglong(std::numeric_limits<qint64>::max());
        const bool fits = ok && (negative ? magnitude <= int64Max + 1 : !signed_ || magnitude <= int64Max);
        return fits ? "number" : nullptr;
    }
    bool ok = false;
    const double value = QStringView(plain).toDouble(&ok); // ok is also false on underflow, which Go accepts
    return ok || !qIsInf(value) ? "number" : nullptr;
}

// m[key] the way go-yaml (behind kubectl) reads it: of duplicate keys the
// last one wins, and "<<: *anchor" merge keys supply keys the mapping does
// not set itself. An absent key (or m not a mapping) gives a null node.
YAML::Node field(const YAML::Node &m, const char *key, int depth = 0)
{
    std::optional<YAML::Node> found;
    std::optional<YAML::Node> merged;
    if (!m.IsDefined() || !m.IsMap())
        return YAML::Node();
    for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it->first.IsScalar())
            continue;
        if (it->first.Scalar() == key)
            found.emplace(it->second); // emplace, never Node::operator=, which rebinds the document
        else if (it->first.Scalar() == "<<" && it->first.Tag() == "?")
            merged.emplace(it->second);
    }
    if (found)
        return *found;
    if (merged && depth < 32) {
        if (merged->IsMap())
            return field(*merged, key, depth + 1);
        if (merged->IsSequence()) {
            for (std::size_t i = 0; i < merged->size(); ++i) {
                const YAML::Node value = field((*merged)[i], key, depth + 1);
                if (!value.IsNull())
                    return value;
            }
        }
    }
    return YAML::Node();
}

class DocumentReader {
public:
    explicit DocumentReader(QString file)
        : m_file(std::move(file))
        , m_dir(QFileInfo(m_file).absolutePath())
    {
    }

    SourceLocation at(const YAML::Node &node, const QString &key) const
    {
        SourceLocation loc { m_file, 0, 0, key };
        // A key that is absent yields an invalid node whose Mark() throws.
        if (!node.IsDefined())
            return loc;
        const YAML::Mark mark = node.Mark();
        if (!mark.is_null()) {
            loc.line = mark.line + 1;
            loc.column = mark.column + 1;
        }
        return loc;
    }

    [[noreturn]] void fail(const YAML::Node &node, const QString &key, const QString &message) const
    {
        throw ParseFailure { Error(message, at(node, key)) };
    }

    // kubectl turns YAML into JSON before decoding, so an unquoted 42, 1.5 or
    // yes is a number or a bool, never a string (and "true" in quotes is a
    // string, never a bool). Quoted and block scalars are always strings.
    static bool isPlain(const YAML::Node &node) { return node.Tag() == "?"; }

    QString string(const YAML::Node &node, const QString &key) const
    {
        if (!node || node.IsNull())
            return {};
        if (!node.IsScalar())
            fail(node, key, QStringLiteral("expected a string"));
        const QString text = QString::fromStdString(node.Scalar());
        if (isPlain(node)) {
            if (const char *type = plainScalarType(text))
                fail(node, key,
                    QStringLiteral("expected a string, got the %1 %2 (quote it)").arg(QLatin1String(type), text));
        }
        return text;
    }

    bool boolean(const YAML::Node &node, const QString &key) const
    {
        if (!node || node.IsNull())
            return false;
        if (node.IsScalar() && isPlain(node)) {
            const QString text = QString::fromStdString(node.Scalar());
            if (const std::optional<bool> value = yamlBool(text))
                return *value;
        }
        const QString shown
            = node.IsScalar() ? QString::fromStdString(node.Scalar()) : QStringLiteral("a mapping or list");
        fail(node, key, QStringLiteral("expected true or false, got \"%1\"").arg(shown));
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

    // Go's base64.StdEncoding as encoding/json uses it: CR and LF are
    // skipped (so a wrapped block scalar works), padding is required, and
    // anything outside the standard alphabet is an error.
    QByteArray base64(const YAML::Node &node, const QString &key) const
    {
        QString text = string(node, key);
        text.remove(u'\r');
        text.remove(u'\n');
        if (text.isEmpty())
            return {};
        bool latin1 = true;
        for (QChar c : std::as_const(text))
            latin1 = latin1 && c.unicode() < 0x80;
        auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!latin1 || text.size() % 4 != 0 || !decoded)
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
    c.server = r.string(field(n, "server"), key + QStringLiteral(".server"));
    c.tlsServerName = r.string(field(n, "tls-server-name"), key + QStringLiteral(".tls-server-name"));
    c.insecureSkipTlsVerify
        = r.boolean(field(n, "insecure-skip-tls-verify"), key + QStringLiteral(".insecure-skip-tls-verify"));
    c.certificateAuthority = r.path(field(n, "certificate-authority"), key + QStringLiteral(".certificate-authority"));
    c.certificateAuthorityData
        = r.base64(field(n, "certificate-authority-data"), key + QStringLiteral(".certificate-authority-data"));
    c.proxyUrl = r.string(field(n, "proxy-url"), key + QStringLiteral(".proxy-url"));
    c.disableCompression = r.boolean(field(n, "disable-compression"), key + QStringLiteral(".disable-compression"));
    return c;
}

KubeExecConfig readExec(const DocumentReader &r, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeExecConfig e;
    e.command = r.string(field(n, "command"), key + QStringLiteral(".command"));
    // A command with a path separator is relative to the kubeconfig's directory.
    if (e.command.contains(u'/'))
        e.command = r.path(field(n, "command"), key + QStringLiteral(".command"));
    e.args = r.stringList(field(n, "args"), key + QStringLiteral(".args"));
    const YAML::Node env = field(n, "env");
    if (env && !env.IsNull()) {
        if (!env.IsSequence())
            r.fail(env, key + QStringLiteral(".env"), QStringLiteral("expected a list of {name, value}"));
        for (std::size_t i = 0; i < env.size(); ++i) {
            const QString k = key + QStringLiteral(".env[") + QString::number(i) + u']';
            r.requireMap(env[i], k);
            e.env.append({ r.string(field(env[i], "name"), k + QStringLiteral(".name")),
                r.string(field(env[i], "value"), k + QStringLiteral(".value")) });
        }
    }
    e.apiVersion = r.string(field(n, "apiVersion"), key + QStringLiteral(".apiVersion"));
    e.installHint = r.string(field(n, "installHint"), key + QStringLiteral(".installHint"));
    e.provideClusterInfo = r.boolean(field(n, "provideClusterInfo"), key + QStringLiteral(".provideClusterInfo"));
    e.interactiveMode = r.string(field(n, "interactiveMode"), key + QStringLiteral(".interactiveMode"));
    return e;
}

KubeUser readUser(const DocumentReader &r, const QString &name, const YAML::Node &n, const QString &key)
{
    r.requireMap(n, key);
    KubeUser u;
    u.name = name;
    u.origin = r.at(n, key);
    u.clientCertificate = r.path(field(n, "client-certificate"), key + QStringLiteral(".client-certificate"));
    u.clientCertificateData
        = r.base64(field(n, "client-certificate-data"), key + QStringLiteral(".client-certificate-data"));
    u.clientKey = r.path(field(n, "client-key"), key + QStringLiteral(".client-key"));
    u.clientKeyData = r.base64(field(n, "client-key-data"), key + QStringLiteral(".client-key-data"));
    u.token = r.string(field(n, "token"), key + QStringLiteral(".token"));
    u.tokenFile = r.path(field(n, "tokenFile"), key + QStringLiteral(".tokenFile"));
    u.impersonate = r.string(field(n, "as"), key + QStringLiteral(".as"));
    u.impersonateUid = r.string(field(n, "as-uid"), key + QStringLiteral(".as-uid"));
    u.impersonateGroups = r.stringList(field(n, "as-groups"), key + QStringLiteral(".as-groups"));
    u.username = r.string(field(n, "username"), key + QStringLiteral(".username"));
    u.password = r.string(field(n, "password"), key + QStringLiteral(".password"));
    const YAML::Node provider = field(n, "auth-provider");
    if (provider && !provider.IsNull()) {
        r.requireMap(provider, key + QStringLiteral(".auth-provider"));
        u.authProvider = r.string(field(provider, "name"), key + QStringLiteral(".auth-provider.name"));
    }
    const YAML::Node exec = field(n, "exec");
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
    c.cluster = r.string(field(n, "cluster"), key + QStringLiteral(".cluster"));
    c.user = r.string(field(n, "user"), key + QStringLiteral(".user"));
    c.namespace_ = r.string(field(n, "namespace"), key + QStringLiteral(".namespace"));
    return c;
}

// Reads a named list ("clusters", "users", "contexts"): [{name, <inner>: {...}}].
// A name that appears twice in one file is an error, as in client-go's v1
// conversion ("duplicate name in list"). An entry without its inner mapping
// ("- name: x" alone) is an empty entry, as in kubectl.
template<typename T, typename ReadFn>
void readNamedList(const DocumentReader &r, const YAML::Node &root, const char *listKey, const char *innerKey,
    ReadFn read, QList<T> &out)
{
    const YAML::Node list = field(root, listKey);
    const QString listName = QString::fromLatin1(listKey);
    if (!list || list.IsNull())
        return;
    if (!list.IsSequence())
        r.fail(list, listName, QStringLiteral("expected a list"));
    // Names seen so far: searching out for each entry made this quadratic
    // (seconds for 10,000 contexts).
    QSet<QString> seen;
    seen.reserve(out.size() + qsizetype(list.size()));
    for (const T &v : std::as_const(out))
        seen.insert(v.name);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const QString key = listName + u'[' + QString::number(i) + u']';
        const YAML::Node item = list[i];
        if (!item || item.IsNull() || !item.IsMap())
            r.fail(item, key, QStringLiteral("expected a mapping with name and %1").arg(QLatin1String(innerKey)));
        const QString name = r.string(field(item, "name"), key + QStringLiteral(".name"));
        if (name.isEmpty())
            r.fail(item, key + QStringLiteral(".name"), QStringLiteral("missing name"));
        if (seen.contains(name))
            r.fail(field(item, "name"), key + QStringLiteral(".name"),
                QStringLiteral("duplicate name \"%1\" in %2").arg(name, listName));
        const QString innerName = key + u'.' + QString::fromLatin1(innerKey);
        const YAML::Node found = field(item, innerKey);
        // Absent and null inner mappings both read as an empty one, located at the item.
        const bool present = found.IsDefined() && !found.IsNull();
        T value = read(r, name, present ? found : YAML::Node(YAML::NodeType::Map), innerName);
        if (!present)
            value.origin = r.at(item, innerName);
        seen.insert(name);
        out.append(std::move(value));
    }
}

template<typename T>
void mergeFirstWins(QList<T> &into, const QList<T> &from)
{
    QSet<QString> present;
    present.reserve(into.size() + from.size());
    for (const T &e : std::as_const(into))
        present.insert(e.name);
    for (const T &v : from) {
        if (!present.contains(v.name)) {
            present.insert(v.name);
            into.append(v);
        }
    }
}

} // namespace

KubeconfigLoadResult KubeconfigLoader::parse(const QByteArray &yaml, const QString &fileName)
{
    KubeconfigLoadResult result;
    result.config.files = QStringList { fileName };
    DocumentReader r(fileName);
    try {
        Core::ByteArrayStreamBuf buffer(yaml);
        std::istream input(&buffer);
        const YAML::Node root = YAML::Load(input);
        if (!root || root.IsNull())
            return result; // an empty file is an empty config, as in kubectl
        if (!root.IsMap())
            r.fail(root, QString(), QStringLiteral("expected a kubeconfig mapping at the top level"));
        readNamedList(r, root, "clusters", "cluster", readCluster, result.config.clusters);
        readNamedList(r, root, "users", "user", readUser, result.config.users);
        readNamedList(r, root, "contexts", "context", readContext, result.config.contexts);
        result.config.currentContext = r.string(field(root, "current-context"), QStringLiteral("current-context"));
    } catch (const ParseFailure &failure) {
        result.errors.append(failure.error);
        result.config = Kubeconfig { QStringList { fileName }, {}, {}, {}, {} };
    } catch (const YAML::Exception &e) {
        SourceLocation loc { fileName, 0, 0, {} };
        if (!e.mark.is_null()) {
            loc.line = e.mark.line + 1;
            loc.column = e.mark.column + 1;
        }
        result.errors.append(Error(QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg), loc));
        result.config = Kubeconfig { QStringList { fileName }, {}, {}, {}, {} };
    } catch (const std::exception &e) {
        result.errors.append(Error(QStringLiteral("cannot read kubeconfig: ") + QString::fromLocal8Bit(e.what()),
            SourceLocation { fileName, 0, 0, {} }));
        result.config = Kubeconfig { QStringList { fileName }, {}, {}, {}, {} };
    }
    return result;
}

QStringList KubeconfigLoader::searchPaths(const Core::Environment &env, const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return { env.expandHome(explicitPath) };
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
    return { env.homeDir() + QStringLiteral("/.kube/config") };
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
                merged.errors.append(Error(QStringLiteral("kubeconfig file not found"), { path, 0, 0, {} }));
            continue;
        }
        // Bounded: a device (/dev/zero), a FIFO or a huge file is refused, fast.
        const Core::Result<QByteArray> bytes
            = Core::readBoundedFile(path, Core::FileLimit::Kubeconfig, QStringLiteral("kubeconfig"));
        if (!bytes.ok()) {
            merged.errors.append(bytes.error());
            continue;
        }
        KubeconfigLoadResult one = parse(bytes.value(), path);
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
