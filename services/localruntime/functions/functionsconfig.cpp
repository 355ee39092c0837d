// FunctionsConfig (localtaskrunner.h): the functions file, read with yaml-cpp.
#include "functions/localtaskrunner.h"

#include "core/boundedfile.h"
#include "core/bytearraystreambuf.h"
#include "functions/seedsaga.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <istream>

namespace Bramble::LocalRuntime {

namespace {

using Core::Error;
using Core::SourceLocation;

// Thrown inside the parser only; converted to an Error at the boundary.
struct ParseFailure {
    Error error;
};

const QString BuiltinSeedSaga = QStringLiteral("seed-saga");

class Reader {
public:
    explicit Reader(QString file)
        : m_file(std::move(file))
    {
    }

    SourceLocation at(const YAML::Node &node, const QString &key) const
    {
        SourceLocation loc { m_file, 0, 0, key };
        if (node.IsDefined()) {
            const YAML::Mark mark = node.Mark();
            if (!mark.is_null()) {
                loc.line = mark.line + 1;
                loc.column = mark.column + 1;
            }
        }
        return loc;
    }

    [[noreturn]] void fail(const YAML::Node &node, const QString &key, const QString &message) const
    {
        throw ParseFailure { Error(Error::Kind::Input, message, at(node, key)) };
    }

    QString text(const YAML::Node &node, const QString &key, const QString &what) const
    {
        if (!node.IsDefined() || node.IsNull())
            fail(node, key, what + QStringLiteral(" is missing"));
        if (!node.IsScalar())
            fail(node, key, what + QStringLiteral(" must be a string"));
        const QString value = QString::fromStdString(node.Scalar());
        if (value.isEmpty())
            fail(node, key, what + QStringLiteral(" is empty"));
        return value;
    }

    // Rejects keys other than `allowed` in a mapping.
    void onlyKeys(const YAML::Node &map, const QString &key, const QStringList &allowed) const
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString name = QString::fromStdString(it->first.Scalar());
            if (!allowed.contains(name))
                fail(it->first, key.isEmpty() ? name : key + u'.' + name,
                    QStringLiteral("unknown key \"%1\" (expected %2)").arg(name, allowed.join(QStringLiteral(", "))));
        }
    }

    FunctionBinding binding(const YAML::Node &node, const QString &key) const
    {
        static const QStringList kinds { QStringLiteral("command"), QStringLiteral("http"), QStringLiteral("openfaas"),
            QStringLiteral("builtin") };
        if (!node.IsMap())
            fail(node, key,
                QStringLiteral("a function must be a mapping with one of %1").arg(kinds.join(QStringLiteral(", "))));
        onlyKeys(node, key, kinds);
        if (node.size() != 1)
            fail(node, key,
                QStringLiteral("a function has exactly one of %1, not %2")
                    .arg(kinds.join(QStringLiteral(", ")))
                    .arg(node.size()));
        const auto entry = node.begin();
        const QString kind = QString::fromStdString(entry->first.Scalar());
        const YAML::Node value = entry->second;
        const QString sub = key + u'.' + kind;
        FunctionBinding b;
        if (kind == u"command") {
            b.kind = FunctionBinding::Kind::Command;
            if (!value.IsSequence() || value.size() == 0)
                fail(value, sub, QStringLiteral("command must be a non-empty list of strings (argv, no shell)"));
            for (std::size_t i = 0; i < value.size(); ++i) {
                const YAML::Node arg = value[i];
                const QString argKey = sub + QStringLiteral("[%1]").arg(i);
                if (!arg.IsScalar())
                    fail(arg, argKey, QStringLiteral("command arguments must be strings"));
                b.argv << QString::fromStdString(arg.Scalar());
            }
            if (b.argv.first().isEmpty())
                fail(value[0], sub + QStringLiteral("[0]"), QStringLiteral("the program name is empty"));
        } else if (kind == u"http") {
            b.kind = FunctionBinding::Kind::Http;
            if (!value.IsMap())
                fail(value, sub, QStringLiteral("http must be a mapping with url"));
            onlyKeys(value, sub, { QStringLiteral("url") });
            if (!value["url"].IsDefined())
                fail(value, sub + QStringLiteral(".url"), QStringLiteral("url is missing"));
            const QString url = text(value["url"], sub + QStringLiteral(".url"), QStringLiteral("url"));
            b.url = QUrl(url, QUrl::StrictMode);
            if (!b.url.isValid() || (b.url.scheme() != u"http" && b.url.scheme() != u"https") || b.url.host().isEmpty())
                fail(value["url"], sub + QStringLiteral(".url"),
                    QStringLiteral("url must be an http:// or https:// URL with a host, not \"%1\"").arg(url));
        } else if (kind == u"openfaas") {
            b.kind = FunctionBinding::Kind::OpenFaas;
            if (!value.IsMap())
                fail(value, sub, QStringLiteral("openfaas must be a mapping with name and namespace"));
            onlyKeys(value, sub, { QStringLiteral("name"), QStringLiteral("namespace") });
            if (!value["name"].IsDefined())
                fail(value, sub + QStringLiteral(".name"), QStringLiteral("name is missing"));
            static const QRegularExpression faasName(QStringLiteral("^[-a-zA-Z_0-9.]+$"));
            b.openFaasName = text(value["name"], sub + QStringLiteral(".name"), QStringLiteral("name"));
            if (!faasName.match(b.openFaasName).hasMatch())
                fail(value["name"], sub + QStringLiteral(".name"),
                    QStringLiteral("an OpenFaaS function name has only letters, digits and -_. (\"%1\")")
                        .arg(b.openFaasName));
            if (value["namespace"].IsDefined()) {
                const QString nsKey = sub + QStringLiteral(".namespace");
                b.openFaasNamespace = text(value["namespace"], nsKey, QStringLiteral("namespace"));
                if (!faasName.match(b.openFaasNamespace).hasMatch())
                    fail(value["namespace"], nsKey,
                        QStringLiteral("a namespace has only letters, digits and -_. (\"%1\")")
                            .arg(b.openFaasNamespace));
            }
        } else {
            b.kind = FunctionBinding::Kind::Builtin;
            b.builtin = text(value, sub, QStringLiteral("builtin"));
            if (b.builtin != BuiltinSeedSaga)
                fail(
                    value, sub, QStringLiteral("unknown builtin \"%1\" (the one builtin is seed-saga)").arg(b.builtin));
        }
        return b;
    }

private:
    QString m_file;
};

bool validFunctionName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(name).hasMatch();
}

void emitText(YAML::Emitter &out, const QString &text)
{
    out << YAML::DoubleQuoted << text.toStdString();
}

} // namespace

const FunctionBinding *FunctionsConfig::find(const QString &functionName) const
{
    for (const auto &entry : functions) {
        if (entry.first == functionName)
            return &entry.second;
    }
    return nullptr;
}

Core::Result<FunctionsConfig> FunctionsConfig::load(const QString &path)
{
    Core::Result<QByteArray> bytes
        = Core::readBoundedFile(path, Core::FileLimit::Definition, QStringLiteral("functions file"));
    if (!bytes.ok())
        return bytes.error();
    return parse(bytes.value(), path);
}

Core::Result<FunctionsConfig> FunctionsConfig::parse(const QByteArray &yaml, const QString &file)
{
    FunctionsConfig config;
    const Reader r(file);
    try {
        Core::ByteArrayStreamBuf buffer(yaml);
        std::istream input(&buffer);
        const YAML::Node root = YAML::Load(input);
        if (!root.IsDefined() || root.IsNull())
            return config; // an empty file binds nothing
        if (!root.IsMap())
            r.fail(root, {}, QStringLiteral("a functions file is a mapping with the key functions"));
        r.onlyKeys(root, {}, { QStringLiteral("functions") });
        const YAML::Node functions = root["functions"];
        if (!functions.IsDefined() || functions.IsNull())
            return config;
        if (!functions.IsMap())
            r.fail(functions, QStringLiteral("functions"),
                QStringLiteral("functions must be a mapping from function name to its binding"));
        QSet<QString> seen;
        for (auto it = functions.begin(); it != functions.end(); ++it) {
            const QString name = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
            const QString key = QStringLiteral("functions.") + name;
            if (!validFunctionName(name))
                r.fail(it->first, key,
                    QStringLiteral("a function name has 1 to 64 letters, digits, - and _ (\"%1\")").arg(name));
            if (seen.contains(name))
                r.fail(it->first, key, QStringLiteral("function %1 is bound twice").arg(name));
            seen.insert(name);
            FunctionBinding binding = r.binding(it->second, key);
            if (binding.kind == FunctionBinding::Kind::Command && !file.isEmpty())
                binding.workingDirectory = QFileInfo(file).absolutePath();
            if (binding.kind == FunctionBinding::Kind::Builtin && !isSeedSagaFunction(name))
                r.fail(it->second, key + QStringLiteral(".builtin"),
                    QStringLiteral("builtin seed-saga serves the seed saga's functions (%1), not %2")
                        .arg(seedSagaFunctions().join(QStringLiteral(", ")), name));
            config.functions.append({ name, std::move(binding) });
        }
    } catch (const ParseFailure &failure) {
        return failure.error;
    } catch (const YAML::Exception &e) {
        SourceLocation loc { file, 0, 0, {} };
        if (!e.mark.is_null()) {
            loc.line = e.mark.line + 1;
            loc.column = e.mark.column + 1;
        }
        return Error(Error::Kind::Input, QStringLiteral("invalid YAML: ") + QString::fromStdString(e.msg), loc);
    }
    return config;
}

QByteArray FunctionsConfig::toYaml() const
{
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "functions" << YAML::Value;
    if (functions.isEmpty())
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
    else
        out << YAML::BeginMap;
    for (const auto &[name, b] : functions) {
        out << YAML::Key;
        if (name.compare(u"null", Qt::CaseInsensitive) == 0)
            emitText(out, name); // a plain null would read back as no name
        else
            out << name.toStdString();
        out << YAML::Value << YAML::Flow << YAML::BeginMap;
        switch (b.kind) {
        case FunctionBinding::Kind::Command:
            out << YAML::Key << "command" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const QString &arg : b.argv)
                emitText(out, arg);
            out << YAML::EndSeq;
            break;
        case FunctionBinding::Kind::Http:
            out << YAML::Key << "http" << YAML::Value << YAML::BeginMap << YAML::Key << "url" << YAML::Value;
            emitText(out, b.url.toString());
            out << YAML::EndMap;
            break;
        case FunctionBinding::Kind::OpenFaas:
            out << YAML::Key << "openfaas" << YAML::Value << YAML::BeginMap << YAML::Key << "name" << YAML::Value;
            emitText(out, b.openFaasName);
            out << YAML::Key << "namespace" << YAML::Value;
            emitText(out, b.openFaasNamespace);
            out << YAML::EndMap;
            break;
        case FunctionBinding::Kind::Builtin:
            out << YAML::Key << "builtin" << YAML::Value;
            emitText(out, b.builtin);
            break;
        }
        out << YAML::EndMap;
    }
    if (!functions.isEmpty())
        out << YAML::EndMap;
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

FunctionsConfig FunctionsConfig::seedSample()
{
    FunctionsConfig config;
    for (const QString &name : seedSagaFunctions()) {
        FunctionBinding b;
        b.kind = FunctionBinding::Kind::Builtin;
        b.builtin = BuiltinSeedSaga;
        config.functions.append({ name, b });
    }
    return config;
}

} // namespace Bramble::LocalRuntime
