#include "aws/credentialchain.h"

#include "aws/awstransport.h"
#include "aws/credentialplan.h"
#include "aws/credentialprocess.h"
#include "aws/endpoints.h"
#include "aws/logging.h"
#include "aws/stsclient.h"

#include "core/boundedfile.h"
#include <QCryptographicHash>

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QUrl>

#include <memory>
#include <utility>
#include <vector>

namespace Bramble::Aws {

using Core::Error;
using Core::SourceLocation;

namespace {

QString loginHint(const QString &profile)
{
    return QStringLiteral("run `aws sso login --profile %1`").arg(profile);
}

} // namespace

// The resolution in flight: the plan, how far it got, and the objects it
// runs (credential_process jobs, transports for STS and the SSO portal).
struct ProfileCredentialsProvider::Run : QObject {
    explicit Run(QObject *parent)
        : QObject(parent)
    {
    }
    ~Run() override
    {
        // Transports before the credentials providers they point at.
        const QObjectList kids = children();
        qDeleteAll(kids);
    }

    CredentialPlan plan;
    qsizetype step = 0;
    AwsCredentials current;
    std::vector<std::unique_ptr<StaticCredentialsProvider>> sources;
    StaticCredentialsProvider none { AwsCredentials {} }; // for unsigned requests
};

ProfileCredentialsProvider::ProfileCredentialsProvider(Core::Environment env, AwsSharedConfig config,
    QString cliProfile, QNetworkAccessManager *network, QString region, QObject *parent)
    : QObject(parent)
    , m_env(std::move(env))
    , m_config(std::move(config))
    , m_network(network)
    , m_region(std::move(region))
{
    m_profile = AwsConfigLoader::selectedProfile(m_env, cliProfile);
    m_profileFromCli = !cliProfile.isEmpty();
    m_profileExplicit = m_profileFromCli || !m_env.value(QStringLiteral("AWS_DEFAULT_PROFILE")).isEmpty()
        || !m_env.value(QStringLiteral("AWS_PROFILE")).isEmpty();
}

ProfileCredentialsProvider::~ProfileCredentialsProvider()
{
    delete m_run;
    m_run = nullptr;
    const QList<QPointer<CredentialsJob>> waiters = std::exchange(m_waiters, {});
    for (const QPointer<CredentialsJob> &job : waiters)
        answer(job,
            CredentialsResult { {},
                Error(Error::Kind::Cancelled,
                    QStringLiteral("profile %1: the session was closed before credentials were resolved")
                        .arg(m_profile)) });
}

void ProfileCredentialsProvider::request(CredentialsJob *job)
{
    if (m_cached.isValid() && !m_cached.expiresWithin(AdvisoryRefreshSeconds)) {
        answer(job, CredentialsResult { m_cached, {} });
        return;
    }
    m_waiters.append(job);
    if (!m_run)
        startRun();
}

void ProfileCredentialsProvider::withdraw(CredentialsJob *job)
{
    m_waiters.removeAll(job);
}

void ProfileCredentialsProvider::invalidate()
{
    m_cached = {};
}

void ProfileCredentialsProvider::startRun()
{
    CredentialPlanResult o = planCredentials(m_env, m_config, m_profile, m_profileFromCli, m_profileExplicit);
    if (!o.ok()) {
        fail(o.error);
        return;
    }
    m_run = new Run(this);
    m_run->plan = std::move(o.plan);
    runBase();
}

void ProfileCredentialsProvider::runBase()
{
    switch (m_run->plan.base.kind) {
    case CredentialBase::Ready:
        m_run->current = m_run->plan.base.credentials;
        nextRole();
        return;
    case CredentialBase::Process:
        runProcess();
        return;
    case CredentialBase::Sso:
        runSso();
        return;
    }
}

void ProfileCredentialsProvider::runProcess()
{
    CredentialProcessRequest request = m_run->plan.base.process;
    request.timeoutMs = m_processTimeoutMs;
    auto *job = new CredentialProcessJob(std::move(request), m_run);
    connect(job, &CredentialProcessJob::finished, m_run, [this, job] {
        if (!job->ok()) {
            fail(job->error());
            return;
        }
        m_run->current = job->value();
        nextRole();
    });
    job->start();
}

void ProfileCredentialsProvider::runSso()
{
    const SsoSettings s = m_run->plan.base.sso;
    const QString key = s.sessionName.isEmpty() ? s.startUrl : s.sessionName;
    const QString cacheFile = m_env.homeDir() + QStringLiteral("/.aws/sso/cache/")
        + QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex())
        + QStringLiteral(".json");
    const QString tokenFor = s.sessionName.isEmpty() ? QStringLiteral("start URL ") + s.startUrl
                                                     : QStringLiteral("sso-session ") + s.sessionName;

    if (!QFileInfo::exists(cacheFile)) {
        fail(Error(Error::Kind::Auth,
            QStringLiteral("profile %1: no cached SSO token for %2 (%3): %4")
                .arg(s.profile, tokenFor, cacheFile, loginHint(s.profile)),
            s.where));
        return;
    }
    // A device, a FIFO or a huge file in the cache is refused at once.
    const Core::Result<QByteArray> bytes
        = Core::readBoundedFile(cacheFile, Core::FileLimit::AwsConfig, QStringLiteral("SSO token cache"));
    if (!bytes.ok()) {
        fail(Error(Error::Kind::Auth,
            QStringLiteral("profile %1: cannot read the SSO token cache: %2").arg(s.profile, bytes.error().toString()),
            s.where));
        return;
    }
    QJsonParseError parseError;
    const QJsonObject token = QJsonDocument::fromJson(bytes.value(), &parseError).object();
    const QString accessToken = token.value(QStringLiteral("accessToken")).toString();
    const QString expiresAtText = token.value(QStringLiteral("expiresAt")).toString();
    if (parseError.error != QJsonParseError::NoError || accessToken.isEmpty() || expiresAtText.isEmpty()) {
        fail(Error(QStringLiteral("profile %1: the SSO token cache %2 is not valid (no accessToken or expiresAt): %3")
                       .arg(s.profile, cacheFile, loginHint(s.profile)),
            s.where));
        return;
    }
    const QDateTime expiresAt = parseAwsTimestamp(expiresAtText);
    if (!expiresAt.isValid() || expiresAt <= QDateTime::currentDateTimeUtc()) {
        fail(Error(QStringLiteral("profile %1: the SSO token for %2 expired at %3: %4")
                       .arg(s.profile, tokenFor, expiresAtText, loginHint(s.profile)),
            s.where));
        return;
    }

    const EndpointResolution endpoint = resolveEndpoint(ServiceInfo::sso(), s.region, m_env, m_config, m_profile, {});
    if (!endpoint.error.isEmpty()) {
        fail(Error(QStringLiteral("profile %1: SSO portal endpoint: %2").arg(s.profile, endpoint.error), s.where));
        return;
    }
    auto *transport = new AwsTransport(m_network, &m_run->none, s.region, m_run);
    transport->setEndpoint(ServiceInfo::sso(), endpoint.url);
    transport->setTimeoutMs(m_requestTimeoutMs);

    AwsRequest request;
    request.service = &ServiceInfo::sso();
    request.operation = QStringLiteral("GetRoleCredentials");
    request.method = "GET";
    // botocore's member order: role_name, then account_id.
    request.target = "/federation/credentials?role_name=" + QUrl::toPercentEncoding(s.roleName)
        + "&account_id=" + QUrl::toPercentEncoding(s.accountId);
    request.headers = { { QByteArrayLiteral("x-amz-sso_bearer_token"), accessToken.toUtf8() } };
    request.sign = false;
    AwsCall *call = transport->send(std::move(request));
    qCDebug(lcAws).noquote() << "GetRoleCredentials for profile" << s.profile << "at" << endpoint.url.toString();
    connect(call, &AwsCall::finished, m_run, [this, call, s] {
        const AwsResponse &response = call->response();
        if (!response.ok()) {
            const bool unauthorized = response.httpStatus == 401 || response.error.reason == u"UnauthorizedException";
            QString message = QStringLiteral("profile %1: SSO GetRoleCredentials for role %2 in account %3 failed: %4")
                                  .arg(s.profile, s.roleName, s.accountId, response.error.toString());
            if (unauthorized)
                message += QStringLiteral("; the SSO session has expired or is invalid: ") + loginHint(s.profile);
            fail(Error(message, s.where));
            return;
        }
        const QJsonObject rc = response.json.value(QStringLiteral("roleCredentials")).toObject();
        AwsCredentials c;
        c.accessKeyId = rc.value(QStringLiteral("accessKeyId")).toString();
        c.secretAccessKey = rc.value(QStringLiteral("secretAccessKey")).toString();
        c.sessionToken = rc.value(QStringLiteral("sessionToken")).toString();
        // Milliseconds since the epoch.
        const QJsonValue expiration = rc.value(QStringLiteral("expiration"));
        if (expiration.isDouble())
            c.expiration = QDateTime::fromMSecsSinceEpoch(qint64(expiration.toDouble()), Qt::UTC);
        c.source = QStringLiteral("profile %1 (SSO role %2 in account %3)").arg(s.profile, s.roleName, s.accountId);
        if (!c.isValid()) {
            fail(Error(
                QStringLiteral("profile %1: the SSO GetRoleCredentials answer has no roleCredentials").arg(s.profile),
                s.where));
            return;
        }
        m_run->current = c;
        nextRole();
    });
}

void ProfileCredentialsProvider::nextRole()
{
    if (m_run->step >= m_run->plan.roles.size()) {
        succeed(m_run->current);
        return;
    }
    const RoleStep &step = m_run->plan.roles.at(m_run->step);
    if (step.mfaSerial.isEmpty()) {
        callAssumeRole({});
        return;
    }
    if (!m_mfaPrompt) {
        fail(Error(QStringLiteral("profile %1: assuming %2 needs an MFA code for %3 (mfa_serial), and nothing here "
                                  "can ask for one")
                       .arg(step.profile, step.roleArn, step.mfaSerial),
            step.mfaWhere));
        return;
    }
    QPointer<ProfileCredentialsProvider> self(this);
    QPointer<Run> run(m_run);
    auto answered = std::make_shared<bool>(false);
    const QString serial = step.mfaSerial;
    const QString profile = step.profile;
    const SourceLocation where = step.mfaWhere;
    qCDebug(lcAws).noquote() << "asking for the MFA code of" << serial << "for profile" << profile;
    m_mfaPrompt(serial, [self, run, answered, serial, profile, where](const QString &code) {
        if (*answered)
            return;
        *answered = true;
        if (!self || !run || self->m_run != run)
            return;
        if (code.trimmed().isEmpty()) {
            self->fail(Error(QStringLiteral("profile %1: no MFA code given for %2").arg(profile, serial), where));
            return;
        }
        self->callAssumeRole(code.trimmed());
    });
}

void ProfileCredentialsProvider::callAssumeRole(const QString &tokenCode)
{
    const RoleStep step = m_run->plan.roles.at(m_run->step);
    const QString signingRegion = m_region.isEmpty() ? QStringLiteral("us-east-1") : m_region;
    EndpointResolution endpoint = resolveEndpoint(ServiceInfo::sts(), signingRegion, m_env, m_config, m_profile, {});
    if (!endpoint.error.isEmpty()) {
        fail(Error(QStringLiteral("profile %1: STS endpoint: %2").arg(step.profile, endpoint.error), step.where));
        return;
    }
    // No region at all: botocore's STS client falls back to the global endpoint.
    if (m_region.isEmpty() && endpoint.source == u"default")
        endpoint.url = QUrl(QStringLiteral("https://sts.amazonaws.com"));

    m_run->sources.push_back(std::make_unique<StaticCredentialsProvider>(m_run->current));
    auto *transport = new AwsTransport(m_network, m_run->sources.back().get(), signingRegion, m_run);
    transport->setEndpoint(ServiceInfo::sts(), endpoint.url);
    transport->setTimeoutMs(m_requestTimeoutMs);

    AssumeRoleRequest request;
    request.roleArn = step.roleArn;
    request.sessionName = step.sessionName.isEmpty()
        ? QStringLiteral("botocore-session-%1").arg(QDateTime::currentSecsSinceEpoch())
        : step.sessionName;
    request.externalId = step.externalId;
    request.serialNumber = step.mfaSerial;
    request.tokenCode = tokenCode;
    request.durationSeconds = step.durationSeconds;
    qCDebug(lcAws).noquote() << "AssumeRole" << step.roleArn << "for profile" << step.profile << "with"
                             << m_run->current.describe() << "at" << endpoint.url.toString();
    AwsCall *call = StsClient(transport).assumeRole(request);
    connect(call, &AwsCall::finished, m_run, [this, call, step] {
        const AwsResponse &response = call->response();
        if (!response.ok()) {
            fail(Error(QStringLiteral("profile %1: AssumeRole %2 failed: %3")
                           .arg(step.profile, step.roleArn, response.error.toString()),
                step.where));
            return;
        }
        AwsCredentials c = StsClient::assumedCredentials(
            response, QStringLiteral("assume role %1 via %2").arg(step.roleArn, m_run->current.source));
        if (!c.isValid()) {
            fail(Error(QStringLiteral("profile %1: the AssumeRole %2 answer has no credentials")
                           .arg(step.profile, step.roleArn),
                step.where));
            return;
        }
        m_run->current = c;
        ++m_run->step;
        nextRole();
    });
}

void ProfileCredentialsProvider::succeed(AwsCredentials credentials)
{
    m_cached = credentials;
    qCDebug(lcAws).noquote() << "credentials for profile" << m_profile << ":" << credentials.describe();
    deliver(CredentialsResult { std::move(credentials), {} });
}

void ProfileCredentialsProvider::fail(Error error)
{
    // botocore's advisory refresh: a failed refresh keeps credentials that
    // are not yet in the mandatory window.
    if (m_cached.isValid() && !m_cached.expiresWithin(MandatoryRefreshSeconds)) {
        qCWarning(lcAws).noquote() << "refreshing credentials failed, keeping the current ones:" << error.toString();
        deliver(CredentialsResult { m_cached, {} });
        return;
    }
    m_cached = {};
    qCDebug(lcAws).noquote() << "no credentials for profile" << m_profile << ":" << error.toString();
    deliver(CredentialsResult { {}, std::move(error) });
}

void ProfileCredentialsProvider::deliver(const CredentialsResult &result)
{
    if (m_run) {
        // We may be inside a signal of one of its children.
        m_run->deleteLater();
        m_run = nullptr;
    }
    const QList<QPointer<CredentialsJob>> waiters = std::exchange(m_waiters, {});
    for (const QPointer<CredentialsJob> &job : waiters)
        answer(job, result);
}

} // namespace Bramble::Aws
