#include "aws/credentialplan.h"

#include "aws/shellsplit.h"

#include <QDateTime>

#include <optional>

namespace Bramble::Aws {

using Core::Error;
using Core::SourceLocation;

namespace {

const QString AccessKeyId = QStringLiteral("aws_access_key_id");
const QString SecretAccessKey = QStringLiteral("aws_secret_access_key");
const QString RoleArn = QStringLiteral("role_arn");
const QString SourceProfile = QStringLiteral("source_profile");
const QString CredentialSource = QStringLiteral("credential_source");
const QString WebIdentityTokenFile = QStringLiteral("web_identity_token_file");

// One profile as botocore's full_config sees it: the config file's section
// with the credentials file's section of the same name laid over it.
class ProfileView {
public:
    ProfileView(const AwsSharedConfig &config, const QString &name)
        : m_cfg(config)
        , m_name(name)
    {
        const AwsProfile *p = config.profile(name);
        if (p && p->origin.file == config.configFile && !p->origin.key.isEmpty())
            m_config = config.config.section(p->origin.key);
        m_credentials = config.credentials.section(name);
    }

    const QString &name() const { return m_name; }
    bool exists() const { return m_config || m_credentials; }
    const IniSection *configSection() const { return m_config; }
    const IniSection *credentialsSection() const { return m_credentials; }

    bool has(const QString &key) const
    {
        return (m_credentials && m_credentials->values.contains(key)) || (m_config && m_config->values.contains(key));
    }
    QString value(const QString &key) const
    {
        if (m_credentials && m_credentials->values.contains(key))
            return m_credentials->values.value(key);
        return m_config ? m_config->values.value(key) : QString();
    }
    bool hasStaticCredentials() const { return has(AccessKeyId) || has(SecretAccessKey); }
    // botocore's _has_assume_role_config_vars.
    bool hasRole() const { return has(RoleArn) && !has(WebIdentityTokenFile); }

    // Where `key` is set (the file that wins), else the profile's header.
    SourceLocation where(const QString &key) const
    {
        if (m_credentials && m_credentials->values.contains(key))
            return at(m_credentials, m_cfg.credentialsFile, key);
        if (m_config && m_config->values.contains(key))
            return at(m_config, m_cfg.configFile, key);
        return where();
    }
    SourceLocation where() const
    {
        if (m_config)
            return { m_cfg.configFile, m_config->line, 0, QStringLiteral("[%1]").arg(m_config->name) };
        if (m_credentials)
            return { m_cfg.credentialsFile, m_credentials->line, 0, QStringLiteral("[%1]").arg(m_credentials->name) };
        return {};
    }
    static SourceLocation at(const IniSection *section, const QString &file, const QString &key)
    {
        return { file, section->lines.value(key), 0, QStringLiteral("[%1] %2").arg(section->name, key) };
    }

private:
    const AwsSharedConfig &m_cfg;
    QString m_name;
    const IniSection *m_config = nullptr;
    const IniSection *m_credentials = nullptr;
};

struct Outcome {
    bool found = false; // false and no error: this provider has nothing, try the next
    CredentialPlan plan;
    Error error;

    static Outcome failed(QString message, SourceLocation where = {})
    {
        Outcome o;
        o.error = Error(std::move(message), std::move(where));
        return o;
    }
    static Outcome ready(AwsCredentials credentials)
    {
        Outcome o;
        o.found = true;
        o.plan.base.credentials = std::move(credentials);
        return o;
    }
};

class Planner {
public:
    Planner(const Core::Environment &env, const AwsSharedConfig &config)
        : m_env(env)
        , m_cfg(config)
    {
    }

    Outcome top(const QString &profile, bool fromCli, bool explicitProfile) const
    {
        const ProfileView view(m_cfg, profile);
        if (explicitProfile && !view.exists())
            return Outcome::failed(QStringLiteral("profile \"%1\" not found in %2 or %3")
                                       .arg(profile, m_cfg.configFile, m_cfg.credentialsFile));
        if (!fromCli) {
            Outcome env = environment();
            if (env.found || !env.error.isNull())
                return env;
        }
        if (view.exists() && view.hasRole()) {
            QStringList visited { profile };
            return assumeRole(profile, visited);
        }
        Outcome o = profileChain(profile, fromCli);
        if (o.found || !o.error.isNull())
            return o;
        if (!view.exists())
            return Outcome::failed(QStringLiteral("no AWS credentials: AWS_ACCESS_KEY_ID is not set and there is no "
                                                  "profile \"%1\" in %2 or %3")
                                       .arg(profile, m_cfg.configFile, m_cfg.credentialsFile));
        return Outcome::failed(
            QStringLiteral("no AWS credentials for profile %1: %2no aws_access_key_id, role_arn, "
                           "sso_* or credential_process in %3 or %4")
                .arg(profile, fromCli ? QString() : QStringLiteral("AWS_ACCESS_KEY_ID is not set and "),
                    m_cfg.credentialsFile, m_cfg.configFile),
            view.where());
    }

private:
    // botocore's EnvProvider.
    Outcome environment() const
    {
        const QString key = m_env.value(QStringLiteral("AWS_ACCESS_KEY_ID"));
        if (key.isEmpty())
            return {};
        AwsCredentials c;
        c.accessKeyId = key;
        c.secretAccessKey = m_env.value(QStringLiteral("AWS_SECRET_ACCESS_KEY"));
        if (c.secretAccessKey.isEmpty())
            return Outcome::failed(QStringLiteral("partial credentials in the environment: AWS_ACCESS_KEY_ID is set "
                                                  "but AWS_SECRET_ACCESS_KEY is not"));
        // botocore's order: the older AWS_SECURITY_TOKEN first.
        c.sessionToken = m_env.value(QStringLiteral("AWS_SECURITY_TOKEN"));
        if (c.sessionToken.isEmpty())
            c.sessionToken = m_env.value(QStringLiteral("AWS_SESSION_TOKEN"));
        const QString expiry = m_env.value(QStringLiteral("AWS_CREDENTIAL_EXPIRATION"));
        if (!expiry.isEmpty()) {
            c.expiration = parseAwsTimestamp(expiry);
            if (!c.expiration.isValid())
                return Outcome::failed(
                    QStringLiteral("AWS_CREDENTIAL_EXPIRATION in the environment is not an ISO 8601 time: \"%1\"")
                        .arg(expiry));
            if (c.expiration <= QDateTime::currentDateTimeUtc())
                return Outcome::failed(
                    QStringLiteral("the credentials in the environment expired at %1 (AWS_CREDENTIAL_EXPIRATION)")
                        .arg(c.expiration.toString(Qt::ISODate)));
        }
        c.source = QStringLiteral("environment variables");
        return Outcome::ready(c);
    }

    // botocore's AssumeRoleProvider._load_creds_via_assume_role, planned.
    Outcome assumeRole(const QString &profile, QStringList &visited) const
    {
        const ProfileView view(m_cfg, profile);
        const bool hasSource = view.has(SourceProfile);
        const bool hasCredentialSource = view.has(CredentialSource);
        if (hasSource && hasCredentialSource)
            return Outcome::failed(
                QStringLiteral("profile %1 has both source_profile and credential_source; use one").arg(profile),
                view.where(CredentialSource));
        if (!hasSource && !hasCredentialSource)
            return Outcome::failed(
                QStringLiteral("profile %1 has role_arn but neither source_profile nor credential_source").arg(profile),
                view.where(RoleArn));

        Outcome o;
        if (hasCredentialSource) {
            const QString source = view.value(CredentialSource);
            const SourceLocation where = view.where(CredentialSource);
            // Validated case-sensitively, as botocore's is_supported does.
            if (source == u"Ec2InstanceMetadata" || source == u"EcsContainer")
                return Outcome::failed(QStringLiteral("profile %1: credential_source %2 is not supported by Bramble "
                                                      "(only Environment is)")
                                           .arg(profile, source),
                    where);
            if (source != u"Environment")
                return Outcome::failed(QStringLiteral("profile %1: credential_source \"%2\" is not valid (Environment, "
                                                      "Ec2InstanceMetadata or EcsContainer)")
                                           .arg(profile, source),
                    where);
            // The environment is a valid source even under --profile.
            o = environment();
            if (!o.error.isNull()) {
                o.error.where = where;
                return o;
            }
            if (!o.found)
                return Outcome::failed(QStringLiteral("profile %1: credential_source is Environment but "
                                                      "AWS_ACCESS_KEY_ID is not set")
                                           .arg(profile),
                    where);
            o.plan.base.credentials.source
                = QStringLiteral("environment variables (credential_source of profile %1)").arg(profile);
        } else {
            const QString source = view.value(SourceProfile);
            const SourceLocation where = view.where(SourceProfile);
            const ProfileView sourceView(m_cfg, source);
            if (!sourceView.exists())
                return Outcome::failed(QStringLiteral("the source_profile \"%1\" of profile %2 is not in %3 or %4")
                                           .arg(source, profile, m_cfg.configFile, m_cfg.credentialsFile),
                    where);
            // A profile may name itself to take its own static keys
            // (botocore allows exactly that); any other revisit is a loop.
            if (visited.contains(source) && (source != profile || !sourceView.hasStaticCredentials()))
                return Outcome::failed(
                    QStringLiteral("source_profile cycle: %1 -> %2").arg(visited.join(QStringLiteral(" -> ")), source),
                    where);
            visited.append(source);
            // Static keys win over a role in a source profile.
            if (sourceView.hasStaticCredentials() || !sourceView.hasRole()) {
                o = profileChain(source, true);
                if (!o.error.isNull())
                    return o;
                if (!o.found)
                    return Outcome::failed(QStringLiteral("the source_profile \"%1\" of profile %2 has no credentials "
                                                          "(no aws_access_key_id, sso_* or credential_process)")
                                               .arg(source, profile),
                        where);
            } else {
                o = assumeRole(source, visited);
                if (!o.error.isNull())
                    return o;
            }
        }

        RoleStep step;
        step.profile = profile;
        step.roleArn = view.value(RoleArn).trimmed();
        step.sessionName = view.value(QStringLiteral("role_session_name")).trimmed();
        step.externalId = view.value(QStringLiteral("external_id")).trimmed();
        step.mfaSerial = view.value(QStringLiteral("mfa_serial")).trimmed();
        // botocore ignores a duration_seconds that is not an integer.
        bool ok = false;
        const int duration = view.value(QStringLiteral("duration_seconds")).trimmed().toInt(&ok);
        step.durationSeconds = ok && duration > 0 ? duration : 0;
        step.where = view.where(RoleArn);
        step.mfaWhere = view.where(QStringLiteral("mfa_serial"));
        if (step.roleArn.isEmpty())
            return Outcome::failed(QStringLiteral("profile %1: role_arn is empty").arg(profile), step.where);
        o.plan.roles.append(step);
        return o;
    }

    // botocore's ProfileProviderBuilder.providers: web identity, SSO, the
    // credentials file, login, credential_process, the config file.
    Outcome profileChain(const QString &profile, bool disableEnv) const
    {
        const ProfileView view(m_cfg, profile);
        const bool envWebIdentity
            = !disableEnv && !m_env.value(QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE")).isEmpty();
        if (envWebIdentity || view.has(WebIdentityTokenFile))
            return Outcome::failed(
                QStringLiteral("profile %1: web identity credentials (%2) are not supported by "
                               "Bramble")
                    .arg(
                        profile, envWebIdentity ? QStringLiteral("AWS_WEB_IDENTITY_TOKEN_FILE") : WebIdentityTokenFile),
                envWebIdentity ? SourceLocation {} : view.where(WebIdentityTokenFile));

        if (view.has(QStringLiteral("sso_role_name")) || view.has(QStringLiteral("sso_account_id")))
            return sso(view);

        if (const IniSection *s = view.credentialsSection(); s && s->values.contains(AccessKeyId))
            return staticKeys(profile, s, m_cfg.credentialsFile);

        if (view.has(QStringLiteral("login_session")))
            return Outcome::failed(
                QStringLiteral("profile %1: login_session (aws login) is not supported by Bramble").arg(profile),
                view.where(QStringLiteral("login_session")));

        if (view.has(QStringLiteral("credential_process"))) {
            Outcome o;
            o.found = true;
            o.plan.base.kind = CredentialBase::Process;
            CredentialProcessRequest &r = o.plan.base.process;
            r.commandLine = view.value(QStringLiteral("credential_process"));
            r.profile = profile;
            r.where = view.where(QStringLiteral("credential_process"));
            r.environment = m_env.variables();
            return o;
        }

        if (const IniSection *s = view.configSection(); s && s->values.contains(AccessKeyId))
            return staticKeys(profile, s, m_cfg.configFile);
        return {};
    }

    static Outcome staticKeys(const QString &profile, const IniSection *section, const QString &file)
    {
        AwsCredentials c;
        c.accessKeyId = section->values.value(AccessKeyId).trimmed();
        if (c.accessKeyId.isEmpty())
            return Outcome::failed(QStringLiteral("profile %1: aws_access_key_id is empty").arg(profile),
                ProfileView::at(section, file, AccessKeyId));
        if (!section->values.contains(SecretAccessKey) || section->values.value(SecretAccessKey).trimmed().isEmpty())
            return Outcome::failed(QStringLiteral("profile %1: partial credentials, aws_access_key_id without "
                                                  "aws_secret_access_key")
                                       .arg(profile),
                ProfileView::at(section, file, AccessKeyId));
        c.secretAccessKey = section->values.value(SecretAccessKey).trimmed();
        for (const char *token : { "aws_security_token", "aws_session_token" }) {
            if (section->values.contains(QLatin1String(token))) {
                c.sessionToken = section->values.value(QLatin1String(token)).trimmed();
                break;
            }
        }
        c.source = QStringLiteral("profile %1 (static keys in %2)").arg(profile, file);
        return Outcome::ready(c);
    }

    // botocore's SSOProvider._load_sso_config.
    Outcome sso(const ProfileView &view) const
    {
        const QString &profile = view.name();
        QMap<QString, QString> values;
        for (const QString &key : { QStringLiteral("sso_start_url"), QStringLiteral("sso_region"),
                 QStringLiteral("sso_role_name"), QStringLiteral("sso_account_id"), QStringLiteral("sso_session") })
            if (view.has(key))
                values.insert(key, view.value(key).trimmed());

        SsoSettings s;
        s.profile = profile;
        if (values.contains(QStringLiteral("sso_session"))) {
            s.sessionName = values.value(QStringLiteral("sso_session"));
            s.where = view.where(QStringLiteral("sso_session"));
            const IniSection *session = nullptr;
            for (const IniSection &section : m_cfg.config.sections) {
                if (!section.name.startsWith(QStringLiteral("sso-session")))
                    continue;
                const std::optional<QStringList> parts = shellSplit(section.name);
                if (parts && parts->size() == 2 && parts->at(1) == s.sessionName)
                    session = &section;
            }
            if (!session)
                return Outcome::failed(QStringLiteral("profile %1: the sso-session \"%2\" is not in %3")
                                           .arg(profile, s.sessionName, m_cfg.configFile),
                    s.where);
            for (auto it = session->values.cbegin(); it != session->values.cend(); ++it) {
                const QString mine = values.value(it.key());
                if (values.contains(it.key()) && mine != it.value().trimmed())
                    return Outcome::failed(QStringLiteral("profile %1: %2 is \"%3\" in the profile but \"%4\" in "
                                                          "[%5]")
                                               .arg(profile, it.key(), mine, it.value().trimmed(), session->name),
                        view.where(it.key()));
                values.insert(it.key(), it.value().trimmed());
            }
        } else {
            s.where = view.has(QStringLiteral("sso_start_url")) ? view.where(QStringLiteral("sso_start_url"))
                                                                : view.where(QStringLiteral("sso_role_name"));
        }
        QStringList missing;
        for (const QString &key : { QStringLiteral("sso_role_name"), QStringLiteral("sso_account_id"),
                 QStringLiteral("sso_start_url"), QStringLiteral("sso_region") })
            if (values.value(key).isEmpty())
                missing.append(key);
        if (!missing.isEmpty())
            return Outcome::failed(QStringLiteral("profile %1 is configured for SSO but is missing %2")
                                       .arg(profile, missing.join(QStringLiteral(", "))),
                view.where());
        s.startUrl = values.value(QStringLiteral("sso_start_url"));
        s.region = values.value(QStringLiteral("sso_region"));
        s.roleName = values.value(QStringLiteral("sso_role_name"));
        s.accountId = values.value(QStringLiteral("sso_account_id"));
        Outcome o;
        o.found = true;
        o.plan.base.kind = CredentialBase::Sso;
        o.plan.base.sso = s;
        return o;
    }

    const Core::Environment &m_env;
    const AwsSharedConfig &m_cfg;
};

} // namespace

CredentialPlanResult planCredentials(const Core::Environment &env, const AwsSharedConfig &config,
    const QString &profile, bool profileFromCli, bool profileExplicit)
{
    Outcome o = Planner(env, config).top(profile, profileFromCli, profileExplicit);
    return CredentialPlanResult { std::move(o.plan), std::move(o.error) };
}

} // namespace Bramble::Aws
