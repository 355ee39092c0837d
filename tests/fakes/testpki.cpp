#include "fakes/testpki.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace Bramble::Test {

namespace {

// One openssl configuration for every certificate: the request section keeps
// openssl from reading the system openssl.cnf (whose defaults differ between
// distributions), the *_ext sections are picked with -extensions.
const char *const kConfig = "[req]\n"
                            "distinguished_name = dn\n"
                            "prompt = no\n"
                            "[dn]\n"
                            "CN = unused\n"
                            "[ca_ext]\n"
                            "basicConstraints = critical,CA:TRUE\n"
                            "keyUsage = critical,keyCertSign,cRLSign,digitalSignature\n"
                            "subjectKeyIdentifier = hash\n"
                            "[server_ext]\n"
                            "basicConstraints = critical,CA:FALSE\n"
                            "keyUsage = critical,digitalSignature,keyEncipherment\n"
                            "extendedKeyUsage = serverAuth\n"
                            "subjectAltName = IP:127.0.0.1,DNS:localhost\n"
                            "subjectKeyIdentifier = hash\n"
                            "authorityKeyIdentifier = keyid\n"
                            "[client_ext]\n"
                            "basicConstraints = critical,CA:FALSE\n"
                            "keyUsage = critical,digitalSignature,keyEncipherment\n"
                            "extendedKeyUsage = clientAuth\n"
                            "subjectKeyIdentifier = hash\n"
                            "authorityKeyIdentifier = keyid\n";

class OpenSsl {
public:
    OpenSsl(QString directory, QString *error)
        : m_dir(std::move(directory))
        , m_error(error)
    {
        m_program = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (m_program.isEmpty())
            fail(QStringLiteral("openssl was not found in PATH"));
    }

    bool ok() const { return m_ok; }
    QString path(const QString &name) const { return m_dir + QLatin1Char('/') + name; }

    void run(const QStringList &arguments)
    {
        if (!m_ok)
            return;
        QProcess p;
        p.setWorkingDirectory(m_dir);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(m_program, arguments);
        const bool finished = p.waitForStarted(10000) && p.waitForFinished(20000);
        if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            if (!finished)
                p.kill();
            fail(QStringLiteral("openssl %1 failed: %2")
                     .arg(arguments.join(QLatin1Char(' ')),
                         finished ? QString::fromLocal8Bit(p.readAll()).trimmed() : p.errorString()));
        }
    }

    void newKey(const QString &name)
    {
        run({ QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-out"), path(name) });
    }

    // A certificate for key `key` signed by caCert/caKey with extension section `ext`.
    void signedCert(const QString &name, const QString &key, const QString &subject, const QString &ext,
        const QString &caCert, const QString &caKey, int serial)
    {
        const QString csr = path(name + QStringLiteral(".csr"));
        run({ QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-config"),
            path(QStringLiteral("openssl.cnf")), QStringLiteral("-key"), path(key), QStringLiteral("-subj"), subject,
            QStringLiteral("-out"), csr });
        run({ QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr, QStringLiteral("-CA"),
            path(caCert), QStringLiteral("-CAkey"), path(caKey), QStringLiteral("-set_serial"), QString::number(serial),
            QStringLiteral("-days"), QStringLiteral("825"), QStringLiteral("-sha256"), QStringLiteral("-extfile"),
            path(QStringLiteral("openssl.cnf")), QStringLiteral("-extensions"), ext, QStringLiteral("-out"),
            path(name) });
        QFile::remove(csr);
    }

    void selfSigned(const QString &name, const QString &key, const QString &subject, const QString &ext)
    {
        run({ QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-new"), QStringLiteral("-config"),
            path(QStringLiteral("openssl.cnf")), QStringLiteral("-extensions"), ext, QStringLiteral("-key"), path(key),
            QStringLiteral("-subj"), subject, QStringLiteral("-days"), QStringLiteral("3650"),
            QStringLiteral("-sha256"), QStringLiteral("-out"), path(name) });
    }

    QByteArray read(const QString &name)
    {
        if (!m_ok)
            return {};
        QFile f(path(name));
        if (!f.open(QIODevice::ReadOnly)) {
            fail(QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
            return {};
        }
        return f.readAll();
    }

    void fail(const QString &message)
    {
        if (m_ok && m_error)
            *m_error = message;
        m_ok = false;
    }

private:
    QString m_dir;
    QString m_program;
    QString *m_error;
    bool m_ok = true;
};

} // namespace

QString TestPki::clientCommonName()
{
    return QStringLiteral("bramble-test-admin");
}

TestPki TestPki::generate(const QString &directory, QString *error)
{
    const QString dir = QDir(directory).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(dir);
        return {};
    }
    OpenSsl ssl(dir, error);
    {
        QFile cnf(ssl.path(QStringLiteral("openssl.cnf")));
        if (!cnf.open(QIODevice::WriteOnly | QIODevice::Truncate) || cnf.write(kConfig) < 0)
            ssl.fail(QStringLiteral("cannot write %1: %2").arg(cnf.fileName(), cnf.errorString()));
    }
    const QString ca = QStringLiteral("ca.crt"), caKey = QStringLiteral("ca.key");
    ssl.newKey(caKey);
    ssl.selfSigned(ca, caKey, QStringLiteral("/CN=bramble-fake-ca"), QStringLiteral("ca_ext"));
    ssl.newKey(QStringLiteral("server.key"));
    ssl.signedCert(QStringLiteral("server.crt"), QStringLiteral("server.key"), QStringLiteral("/CN=kube-apiserver"),
        QStringLiteral("server_ext"), ca, caKey, 1001);
    ssl.newKey(QStringLiteral("client.key"));
    ssl.signedCert(QStringLiteral("client.crt"), QStringLiteral("client.key"),
        QStringLiteral("/O=system:masters/CN=") + clientCommonName(), QStringLiteral("client_ext"), ca, caKey, 1002);
    // The stranger's certificate is its own CA: it chains to nothing we trust.
    ssl.newKey(QStringLiteral("stranger.key"));
    ssl.selfSigned(QStringLiteral("stranger.crt"), QStringLiteral("stranger.key"),
        QStringLiteral("/O=system:masters/CN=bramble-stranger"), QStringLiteral("client_ext"));

    TestPki pki;
    pki.directory = dir;
    pki.caCertPath = ssl.path(ca);
    pki.caKeyPath = ssl.path(caKey);
    pki.serverCertPath = ssl.path(QStringLiteral("server.crt"));
    pki.serverKeyPath = ssl.path(QStringLiteral("server.key"));
    pki.clientCertPath = ssl.path(QStringLiteral("client.crt"));
    pki.clientKeyPath = ssl.path(QStringLiteral("client.key"));
    pki.strangerCertPath = ssl.path(QStringLiteral("stranger.crt"));
    pki.strangerKeyPath = ssl.path(QStringLiteral("stranger.key"));
    pki.caCertPem = ssl.read(ca);
    pki.serverCertPem = ssl.read(QStringLiteral("server.crt"));
    pki.serverKeyPem = ssl.read(QStringLiteral("server.key"));
    pki.clientCertPem = ssl.read(QStringLiteral("client.crt"));
    pki.clientKeyPem = ssl.read(QStringLiteral("client.key"));
    pki.strangerCertPem = ssl.read(QStringLiteral("stranger.crt"));
    pki.strangerKeyPem = ssl.read(QStringLiteral("stranger.key"));
    if (!ssl.ok())
        return {};
    return pki;
}

} // namespace Bramble::Test
