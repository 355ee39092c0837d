#include "aws/awsconfig.h"

#include "aws/logging.h"
#include "aws/shellsplit.h"

#include "core/boundedfile.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <optional>
#include <utility>

namespace Bramble::Aws {

using Core::Error;

namespace {

IniFile readIni(const QString &path, const QString &what, Core::Errors &errors)
{
    // Missing is fine (the aws CLI reads nothing then); anything else that is
    // not a small regular file (/dev/zero, a FIFO, 2 GB) is an error, at once.
    if (path.isEmpty() || !QFileInfo::exists(path))
        return IniFile { path, {}, {}, {} };
    Core::Result<QByteArray> text = Core::readBoundedFile(path, Core::FileLimit::AwsConfig, what);
    if (!text.ok()) {
        errors.append(text.error());
        return IniFile { path, {}, {}, {} };
    }
    IniFile ini = parseIni(text.value(), path);
    errors += ini.errors;
    return ini;
}

// botocore's build_profile_map: "[default]" is a profile, and so is a
// section starting with "profile" that shlex splits into exactly two words
// ("[profile x]", "[profile \"my name\"]"); "[sso-session x]", "[services x]"
// and anything else are other kinds of section.
QString profileNameFromConfigSection(const QString &section)
{
    if (section.startsWith(QStringLiteral("profile"))) {
        const std::optional<QStringList> parts = shellSplit(section);
        return parts && parts->size() == 2 ? parts->at(1) : QString();
    }
    if (section == u"default")
        return section;
    return {};
}

// Python's os.path.expandvars, which botocore applies to both file paths:
// $NAME and ${NAME} become the variable's value; unset ones stay as written.
QString expandVars(const QString &path, const Core::Environment &env)
{
    static const QRegularExpression var(QStringLiteral("\\$(\\w+|\\{[^}]*\\})"));
    QString out;
    qsizetype done = 0;
    for (auto it = var.globalMatch(path); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        QString name = m.captured(1);
        if (name.startsWith(u'{'))
            name = name.mid(1, name.size() - 2);
        out += QStringView(path).mid(done, m.capturedStart() - done);
        out += env.contains(name) ? env.value(name) : m.captured();
        done = m.capturedEnd();
    }
    return out + QStringView(path).mid(done);
}

// botocore's config_file / credentials_file: the variable when it is set,
// even to "" (then no file is read), else the default under the home.
QString sharedFilePath(const Core::Environment &env, const QString &variable, const QString &fallback)
{
    const QString path = env.contains(variable) ? env.value(variable) : fallback;
    return path.isEmpty() ? path : env.expandHome(expandVars(path, env));
}

AwsProfile *findProfile(AwsSharedConfig &cfg, const QString &name)
{
    const qsizetype i = cfg.profileIndex.value(name, -1);
    return i >= 0 ? &cfg.profiles[i] : nullptr;
}

void addProfile(AwsSharedConfig &cfg, AwsProfile p)
{
    cfg.profileIndex.insert(p.name, cfg.profiles.size());
    cfg.profiles.append(std::move(p));
}

} // namespace

const AwsProfile *AwsSharedConfig::profile(const QString &name) const
{
    if (profileIndex.size() == profiles.size()) {
        const qsizetype i = profileIndex.value(name, -1);
        return i >= 0 && profiles.at(i).name == name ? &profiles.at(i) : nullptr;
    }
    for (const AwsProfile &p : profiles)
        if (p.name == name)
            return &p;
    return nullptr;
}

AwsConfigLoadResult AwsConfigLoader::fromFiles(const QString &configPath, const QString &credentialsPath)
{
    AwsConfigLoadResult result;
    AwsSharedConfig &cfg = result.config;
    cfg.configFile = configPath;
    cfg.credentialsFile = credentialsPath;
    cfg.config = readIni(configPath, QStringLiteral("AWS config file"), result.errors);
    cfg.credentials = readIni(credentialsPath, QStringLiteral("AWS credentials file"), result.errors);

    for (const IniSection &section : std::as_const(cfg.config.sections)) {
        const QString name = profileNameFromConfigSection(section.name);
        if (name.isEmpty())
            continue;
        AwsProfile p;
        p.name = name;
        p.settings = section.values;
        p.region = section.values.value(QStringLiteral("region"));
        p.sourceFile = configPath;
        p.files = QStringList { configPath };
        p.hasStaticCredentials = section.values.contains(QStringLiteral("aws_access_key_id"));
        p.origin = { configPath, section.line, 0, section.name };
        // Two sections naming one profile ("[default]" and "[profile default]"):
        // the later section replaces the earlier one whole, keeping its place,
        // as botocore's dict assignment does.
        if (AwsProfile *existing = findProfile(cfg, name))
            *existing = std::move(p);
        else
            addProfile(cfg, std::move(p));
    }
    for (const IniSection &section : std::as_const(cfg.credentials.sections)) {
        const bool hasKeys = section.values.contains(QStringLiteral("aws_access_key_id"));
        const auto region = section.values.constFind(QStringLiteral("region"));
        if (AwsProfile *existing = findProfile(cfg, section.name)) {
            existing->files.append(credentialsPath);
            existing->hasStaticCredentials = existing->hasStaticCredentials || hasKeys;
            // botocore merges the credentials file's values over the config file's.
            if (region != section.values.cend())
                existing->region = *region;
            continue;
        }
        AwsProfile p;
        p.name = section.name;
        p.region = section.values.value(QStringLiteral("region"));
        p.sourceFile = credentialsPath;
        p.files = QStringList { credentialsPath };
        p.hasStaticCredentials = hasKeys;
        p.origin = { credentialsPath, section.line, 0, section.name };
        addProfile(cfg, std::move(p));
    }
    qCDebug(lcAws) << "AWS profiles:" << cfg.profiles.size() << "from" << configPath << credentialsPath;
    return result;
}

AwsConfigLoadResult AwsConfigLoader::load(const Core::Environment &env)
{
    const QString config = sharedFilePath(env, QStringLiteral("AWS_CONFIG_FILE"), QStringLiteral("~/.aws/config"));
    const QString credentials
        = sharedFilePath(env, QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), QStringLiteral("~/.aws/credentials"));
    return fromFiles(config, credentials);
}

QString AwsConfigLoader::selectedProfile(const Core::Environment &env, const QString &cliProfile)
{
    if (!cliProfile.isEmpty())
        return cliProfile;
    for (const char *var : { "AWS_DEFAULT_PROFILE", "AWS_PROFILE" }) {
        const QString v = env.value(QString::fromLatin1(var));
        if (!v.isEmpty())
            return v;
    }
    return QStringLiteral("default");
}

QString AwsConfigLoader::selectedRegion(
    const Core::Environment &env, const AwsSharedConfig &config, const QString &profile, const QString &cliRegion)
{
    if (!cliRegion.isEmpty())
        return cliRegion;
    for (const char *var : { "AWS_REGION", "AWS_DEFAULT_REGION" }) {
        const QString v = env.value(QString::fromLatin1(var));
        if (!v.isEmpty())
            return v;
    }
    if (const AwsProfile *p = config.profile(profile))
        return p->region;
    return {};
}

} // namespace Bramble::Aws
