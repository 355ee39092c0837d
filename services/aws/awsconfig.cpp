#include "aws/awsconfig.h"

#include "aws/logging.h"

#include <QFile>

namespace Bramble::Aws {

using Core::Error;

namespace {

IniFile readIni(const QString &path, Core::Errors &errors)
{
    QFile file(path);
    if (!file.exists())
        return IniFile{path, {}, {}};
    if (!file.open(QIODevice::ReadOnly)) {
        errors.append(Error(QStringLiteral("cannot read: ") + file.errorString(), {path, 0, 0, {}}));
        return IniFile{path, {}, {}};
    }
    IniFile ini = parseIni(file.readAll(), path);
    errors += ini.errors;
    return ini;
}

// "[default]" and "[profile x]" name profiles in the config file;
// "[sso-session x]" and "[services x]" are other kinds of section.
QString profileNameFromConfigSection(const QString &section)
{
    if (section == u"default")
        return section;
    if (section.startsWith(QStringLiteral("profile ")) || section.startsWith(QStringLiteral("profile\t")))
        return section.mid(8).trimmed();
    return {};
}

AwsProfile *findProfile(QList<AwsProfile> &profiles, const QString &name)
{
    for (AwsProfile &p : profiles)
        if (p.name == name)
            return &p;
    return nullptr;
}

} // namespace

const AwsProfile *AwsSharedConfig::profile(const QString &name) const
{
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
    cfg.config = readIni(configPath, result.errors);
    cfg.credentials = readIni(credentialsPath, result.errors);

    for (const IniSection &section : std::as_const(cfg.config.sections)) {
        const QString name = profileNameFromConfigSection(section.name);
        if (name.isEmpty())
            continue;
        if (AwsProfile *existing = findProfile(cfg.profiles, name)) {
            // "[default]" and "[profile default]" both exist: the CLI prefers
            // the explicit "profile default" form.
            if (section.name.startsWith(QStringLiteral("profile"))) {
                existing->settings.insert(section.values);
                existing->region = existing->settings.value(QStringLiteral("region"));
            }
            continue;
        }
        AwsProfile p;
        p.name = name;
        p.settings = section.values;
        p.region = section.values.value(QStringLiteral("region"));
        p.sourceFile = configPath;
        p.files = QStringList{configPath};
        p.hasStaticCredentials = section.values.contains(QStringLiteral("aws_access_key_id"));
        p.origin = {configPath, section.line, 0, section.name};
        cfg.profiles.append(p);
    }
    for (const IniSection &section : std::as_const(cfg.credentials.sections)) {
        const bool hasKeys = section.values.contains(QStringLiteral("aws_access_key_id"));
        if (AwsProfile *existing = findProfile(cfg.profiles, section.name)) {
            existing->files.append(credentialsPath);
            existing->hasStaticCredentials = existing->hasStaticCredentials || hasKeys;
            continue;
        }
        AwsProfile p;
        p.name = section.name;
        p.sourceFile = credentialsPath;
        p.files = QStringList{credentialsPath};
        p.hasStaticCredentials = hasKeys;
        p.origin = {credentialsPath, section.line, 0, section.name};
        cfg.profiles.append(p);
    }
    qCDebug(lcAws) << "AWS profiles:" << cfg.profiles.size() << "from" << configPath << credentialsPath;
    return result;
}

AwsConfigLoadResult AwsConfigLoader::load(const Core::Environment &env)
{
    QString configPath = env.value(QStringLiteral("AWS_CONFIG_FILE"));
    if (configPath.isEmpty())
        configPath = env.homeDir() + QStringLiteral("/.aws/config");
    QString credentialsPath = env.value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    if (credentialsPath.isEmpty())
        credentialsPath = env.homeDir() + QStringLiteral("/.aws/credentials");
    return fromFiles(env.expandHome(configPath), env.expandHome(credentialsPath));
}

QString AwsConfigLoader::selectedProfile(const Core::Environment &env, const QString &cliProfile)
{
    if (!cliProfile.isEmpty())
        return cliProfile;
    for (const char *var : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
        const QString v = env.value(QString::fromLatin1(var));
        if (!v.isEmpty())
            return v;
    }
    return QStringLiteral("default");
}

QString AwsConfigLoader::selectedRegion(const Core::Environment &env, const AwsSharedConfig &config,
                                        const QString &profile, const QString &cliRegion)
{
    if (!cliRegion.isEmpty())
        return cliRegion;
    for (const char *var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        const QString v = env.value(QString::fromLatin1(var));
        if (!v.isEmpty())
            return v;
    }
    if (const AwsProfile *p = config.profile(profile))
        return p->region;
    return {};
}

} // namespace Bramble::Aws
