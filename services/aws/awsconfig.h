#pragma once

#include "aws/inifile.h"
#include "core/environment.h"
#include "core/error.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Bramble::Aws {

// A profile as the AWS CLI sees it: "[profile x]" (or "[default]") in the
// config file merged with "[x]" in the credentials file.
struct AwsProfile {
    QString name;
    QString region; // the credentials file's when it sets one (botocore merges it over
                    // the config file), else the config file's; empty when unset
    QString sourceFile; // the config file when it defines the profile, else the credentials file
    QStringList files; // every file that defines it
    QMap<QString, QString> settings; // config-file keys (no secrets live there by convention)
    bool hasStaticCredentials = false; // aws_access_key_id in either file
    Core::SourceLocation origin;
};

struct AwsSharedConfig {
    QString configFile; // path that was (or would have been) read
    QString credentialsFile;
    QList<AwsProfile> profiles; // config-file order, then credentials-only profiles
    IniFile config;
    IniFile credentials;
    // Profile name -> index in `profiles`, kept by AwsConfigLoader; profile()
    // falls back to a scan when `profiles` was changed without it.
    QHash<QString, qsizetype> profileIndex;

    const AwsProfile *profile(const QString &name) const;
};

struct AwsConfigLoadResult {
    AwsSharedConfig config;
    Core::Errors errors;

    bool ok() const { return errors.isEmpty(); }
};

// Reads the shared files the way the AWS CLI does: AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE ($VAR and ~ expanded; set but empty: no file),
// defaulting to ~/.aws/config and ~/.aws/credentials. Missing files are not
// errors; a file that does not parse is, naming the file and line.
// Synchronous, local files only.
class AwsConfigLoader {
public:
    static AwsConfigLoadResult load(const Core::Environment &env);
    static AwsConfigLoadResult fromFiles(const QString &configPath, const QString &credentialsPath);

    // The profile in force: --profile, else AWS_DEFAULT_PROFILE, else
    // AWS_PROFILE (botocore's order), else "default".
    static QString selectedProfile(const Core::Environment &env, const QString &cliProfile = {});

    // The region in force: --region, else AWS_REGION, else AWS_DEFAULT_REGION,
    // else the profile's region; empty when none is set.
    static QString selectedRegion(const Core::Environment &env, const AwsSharedConfig &config, const QString &profile,
        const QString &cliRegion = {});
};

} // namespace Bramble::Aws
