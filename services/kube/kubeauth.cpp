#include "kube/kubeauth.h"

#include "core/boundedfile.h"
#include "kube/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace Bramble::Kube {

using Core::Error;

namespace {

Core::SourceLocation execWhere(const KubeUser &user, const QString &key = QStringLiteral("exec"))
{
    Core::SourceLocation where = user.origin;
    where.key = (where.key.isEmpty() ? QString() : where.key + u'.') + key;
    return where;
}

QString lastLines(const QByteArray &text, int lines = 3)
{
    QStringList all = QString::fromUtf8(text).trimmed().split(u'\n', Qt::SkipEmptyParts);
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    return all.join(QStringLiteral(" / "));
}

KubeAuthResult failure(Error error)
{
    KubeAuthResult r;
    r.error = std::move(error);
    return r;
}

} // namespace

KubeAuth::KubeAuth(KubeConnection connection, Core::Environment env, QObject *parent)
    : QObject(parent)
    , m_connection(std::move(connection))
    , m_env(std::move(env))
{
}

KubeAuth::~KubeAuth()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void KubeAuth::invalidate()
{
    m_fileReadAt = {};
    m_execValid = false;
}

KubeAuthResult KubeAuth::fromTokenFile()
{
    const KubeUser &user = m_connection.user;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_fileReadAt.isValid() && m_fileReadAt.msecsTo(now) < m_tokenFileRefreshMs && !m_fileToken.isEmpty()) {
        KubeAuthResult cached;
        cached.authorization = "Bearer " + m_fileToken;
        return cached;
    }
    KubeAuthResult r;
    const Core::Result<QByteArray> bytes
        = Core::readBoundedFile(user.tokenFile, Core::FileLimit::Small, QStringLiteral("token file"));
    if (!bytes.ok()) {
        r.error = Error(QStringLiteral("cannot read token file %1: %2").arg(user.tokenFile, bytes.error().message),
            execWhere(user, QStringLiteral("tokenFile")));
        return r;
    }
    const QByteArray token = bytes.value().trimmed();
    if (token.isEmpty() || token.contains('\n')) {
        r.error
            = Error(QStringLiteral("token file %1 %2")
                        .arg(user.tokenFile,
                            token.isEmpty() ? QStringLiteral("is empty") : QStringLiteral("holds more than one line")),
                execWhere(user, QStringLiteral("tokenFile")));
        return r;
    }
    m_fileToken = token;
    m_fileReadAt = now;
    r.authorization = "Bearer " + token;
    return r;
}

void KubeAuth::fetch(QObject *context, KubeAuthCallback done)
{
    const KubeUser &user = m_connection.user;
    if (user.exec) {
        if (m_execValid && (!m_execCached.expiry.isValid() || QDateTime::currentDateTimeUtc() < m_execCached.expiry)) {
            done(m_execCached);
            return;
        }
        m_waiters.append({ context, std::move(done) });
        if (!m_process)
            startExec();
        return;
    }
    KubeAuthResult r;
    if (!user.tokenFile.isEmpty()) {
        r = fromTokenFile();
    } else if (!user.token.isEmpty()) {
        r.authorization = "Bearer " + user.token.toUtf8();
    } else if (!user.username.isEmpty()) {
        r.authorization = "Basic " + (user.username + u':' + user.password).toUtf8().toBase64();
    } else if (!user.authProvider.isEmpty()) {
        r.error = Error(QStringLiteral("the auth-provider \"%1\" plugin was removed from kubectl in 1.26; "
                                       "use an exec credential plugin instead")
                            .arg(user.authProvider),
            execWhere(user, QStringLiteral("auth-provider")));
    }
    done(r);
}

QByteArray KubeAuth::execInfo() const
{
    const KubeExecConfig &exec = *m_connection.user.exec;
    QJsonObject spec { { QStringLiteral("interactive"), false } };
    if (exec.provideClusterInfo) {
        const KubeCluster &c = m_connection.cluster;
        QJsonObject cluster { { QStringLiteral("server"), c.server } };
        if (!c.tlsServerName.isEmpty())
            cluster.insert(QStringLiteral("tls-server-name"), c.tlsServerName);
        if (c.insecureSkipTlsVerify)
            cluster.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        QByteArray ca = c.certificateAuthorityData;
        if (ca.isEmpty() && !c.certificateAuthority.isEmpty()) {
            const Core::Result<QByteArray> bytes
                = Core::readBoundedFile(c.certificateAuthority, Core::FileLimit::Small);
            if (bytes.ok())
                ca = bytes.value();
        }
        if (!ca.isEmpty())
            cluster.insert(QStringLiteral("certificate-authority-data"), QString::fromLatin1(ca.toBase64()));
        if (!c.proxyUrl.isEmpty())
            cluster.insert(QStringLiteral("proxy-url"), c.proxyUrl);
        if (c.disableCompression)
            cluster.insert(QStringLiteral("disable-compression"), true);
        spec.insert(QStringLiteral("cluster"), cluster);
    }
    return QJsonDocument(
        QJsonObject { { QStringLiteral("apiVersion"), exec.apiVersion },
            { QStringLiteral("kind"), QStringLiteral("ExecCredential") }, { QStringLiteral("spec"), spec } })
        .toJson(QJsonDocument::Compact);
}

void KubeAuth::startExec()
{
    const KubeUser &user = m_connection.user;
    const KubeExecConfig &exec = *user.exec;
    if (exec.interactiveMode == u"Always") {
        finishExec(
            failure(Error(QStringLiteral("exec plugin \"%1\" needs an interactive terminal (interactiveMode: Always), "
                                         "which Bramble does not have; log in with it in a terminal first, or set "
                                         "interactiveMode to IfAvailable")
                              .arg(exec.command),
                execWhere(user, QStringLiteral("exec.interactiveMode")))));
        return;
    }
    const QString currentPath = m_env.value(QStringLiteral("PATH"));
    if (exec.command.contains(u'/')) {
        runPlugin(exec.command, currentPath);
        return;
    }
    const QString found = QStandardPaths::findExecutable(exec.command, currentPath.split(u':', Qt::SkipEmptyParts));
    if (!found.isEmpty() || !m_loginPath.isEmpty()) {
        runPlugin(found.isEmpty() ? exec.command : found,
            m_loginPath.isEmpty() ? currentPath : m_loginPath + u':' + currentPath);
        return;
    }
    // Not in our PATH: ask the user's login shell for its PATH, once.
    const QString shell = m_env.value(QStringLiteral("SHELL")).isEmpty() ? QStringLiteral("/bin/sh")
                                                                         : m_env.value(QStringLiteral("SHELL"));
    auto *probe = new QProcess(this);
    m_process = probe;
    probe->setProcessEnvironment(m_env.variables());
    probe->setStandardInputFile(QProcess::nullDevice());
    connect(probe, &QProcess::finished, this, [this, probe, currentPath] {
        probe->deleteLater();
        m_process = nullptr;
        const QByteArray out = probe->readAllStandardOutput();
        // The last line: profiles may print banners first.
        const QString loginPath = QString::fromLocal8Bit(out).trimmed().split(u'\n').constLast().trimmed();
        m_loginPath = loginPath.isEmpty() ? currentPath : loginPath;
        qCDebug(lcKube).noquote() << "login shell PATH:" << m_loginPath;
        runPlugin(m_connection.user.exec->command, m_loginPath + u':' + currentPath);
    });
    connect(probe, &QProcess::errorOccurred, this, [this, probe, currentPath](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        probe->deleteLater();
        m_process = nullptr;
        m_loginPath = currentPath;
        runPlugin(m_connection.user.exec->command, currentPath);
    });
    probe->start(shell, { QStringLiteral("-l"), QStringLiteral("-c"), QStringLiteral("printf '%s\\n' \"$PATH\"") });
    QTimer::singleShot(5000, probe, [probe] { probe->kill(); });
}

void KubeAuth::runPlugin(const QString &program, const QString &path)
{
    const KubeUser &user = m_connection.user;
    const KubeExecConfig &exec = *user.exec;
    QString resolved = program;
    if (!program.contains(u'/'))
        resolved = QStandardPaths::findExecutable(program, path.split(u':', Qt::SkipEmptyParts));
    if (resolved.isEmpty()) {
        QString message = QStringLiteral("exec plugin \"%1\" not found in PATH or the login shell's PATH").arg(program);
        if (!exec.installHint.isEmpty())
            message += QStringLiteral(": ") + exec.installHint.simplified();
        finishExec(failure(Error(message, execWhere(user, QStringLiteral("exec.command")))));
        return;
    }

    QProcessEnvironment env = m_env.variables();
    env.insert(QStringLiteral("PATH"), path);
    for (const KubeExecEnvVar &v : exec.env)
        env.insert(v.name, v.value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfo()));

    auto *process = new QProcess(this);
    m_process = process;
    ++m_execRuns;
    process->setProcessEnvironment(env);
    process->setStandardInputFile(QProcess::nullDevice()); // not a terminal: never interactive
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, process, [process] { process->kill(); });
    timer->start(m_execTimeoutMs);
    connect(
        process, &QProcess::finished, this, [this, process, timer, resolved](int code, QProcess::ExitStatus status) {
            process->deleteLater();
            m_process = nullptr;
            const QString apiVersion = m_connection.user.exec->apiVersion;
            const Core::SourceLocation where = execWhere(m_connection.user, QStringLiteral("exec"));
            const QByteArray out = process->readAllStandardOutput();
            const QByteArray err = process->readAllStandardError();
            KubeAuthResult r;
            if (!timer->isActive()) {
                r.error = Error(QStringLiteral("exec plugin %1 did not finish within %2 s")
                                    .arg(resolved)
                                    .arg(m_execTimeoutMs / 1000),
                    where);
            } else if (status != QProcess::NormalExit || code != 0) {
                r.error = Error(
                    QStringLiteral("exec plugin %1 failed (exit %2): %3").arg(resolved).arg(code).arg(lastLines(err)),
                    where);
            } else {
                QJsonParseError pe;
                const QJsonDocument doc = QJsonDocument::fromJson(out, &pe);
                const QJsonObject o = doc.object();
                const QJsonObject st = o.value(QStringLiteral("status")).toObject();
                const QString token = st.value(QStringLiteral("token")).toString();
                const QByteArray cert = st.value(QStringLiteral("clientCertificateData")).toString().toUtf8();
                const QByteArray key = st.value(QStringLiteral("clientKeyData")).toString().toUtf8();
                const QString expiry = st.value(QStringLiteral("expirationTimestamp")).toString();
                auto bad = [&](const QString &what) {
                    r.error = Error(QStringLiteral("exec plugin %1 printed %2").arg(resolved, what), where);
                };
                if (pe.error != QJsonParseError::NoError || !doc.isObject())
                    bad(QStringLiteral("no ExecCredential JSON (%1)").arg(pe.errorString()));
                else if (o.value(QStringLiteral("kind")).toString() != u"ExecCredential")
                    bad(QStringLiteral("kind \"%1\", not ExecCredential")
                            .arg(o.value(QStringLiteral("kind")).toString()));
                else if (o.value(QStringLiteral("apiVersion")).toString() != apiVersion)
                    bad(QStringLiteral("apiVersion \"%1\"; the kubeconfig asks for %2")
                            .arg(o.value(QStringLiteral("apiVersion")).toString(), apiVersion));
                else if (cert.isEmpty() != key.isEmpty())
                    bad(QStringLiteral("clientCertificateData without clientKeyData, or the reverse"));
                else if (token.isEmpty() && cert.isEmpty())
                    bad(QStringLiteral("neither status.token nor a client certificate"));
                else {
                    if (!token.isEmpty())
                        r.authorization = "Bearer " + token.toUtf8();
                    if (!cert.isEmpty()) {
                        const QList<QSslCertificate> certs = QSslCertificate::fromData(cert, QSsl::Pem);
                        r.clientKey = parsePrivateKey(key);
                        if (certs.isEmpty() || r.clientKey.isNull())
                            bad(QStringLiteral("a client certificate or key that is not PEM"));
                        else
                            r.clientCertificate = certs.first();
                    }
                    if (!expiry.isEmpty() && r.error.isNull()) {
                        r.expiry = QDateTime::fromString(expiry, Qt::ISODateWithMs);
                        if (!r.expiry.isValid())
                            bad(QStringLiteral("expirationTimestamp \"%1\", not RFC 3339").arg(expiry));
                    }
                }
            }
            finishExec(std::move(r));
        });
    connect(process, &QProcess::errorOccurred, this, [this, process, resolved](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        process->deleteLater();
        m_process = nullptr;
        finishExec(
            failure(Error(QStringLiteral("cannot start exec plugin %1: %2").arg(resolved, process->errorString()),
                execWhere(m_connection.user, QStringLiteral("exec.command")))));
    });
    qCDebug(lcKube).noquote() << "running exec plugin" << resolved << exec.args.join(u' ');
    process->start(resolved, exec.args);
}

void KubeAuth::finishExec(KubeAuthResult result)
{
    m_execCached = result;
    m_execValid = result.ok();
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters)
        if (w.context)
            w.done(result);
}

} // namespace Bramble::Kube
