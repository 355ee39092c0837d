#pragma once

#include <QByteArray>
#include <QString>

namespace Bramble::Test {

// A throw-away PKI for TLS peers in tests and benchmarks, made at run time with
// the `openssl` command line tool (looked up in PATH), never checked in:
//
// - a CA (CN=bramble-fake-ca, CA:TRUE, keyCertSign),
// - a server certificate signed by it for 127.0.0.1 and localhost (serverAuth),
// - a client certificate signed by it, CN=clientCommonName(), O=system:masters
//   (clientAuth), as kubeadm's admin.conf would carry,
// - a "stranger" client certificate from another, self-signed CA, which a
//   server trusting only our CA must refuse.
//
// Keys are EC P-256 (fast to make; Go, OpenSSL and Qt all accept them), PEM.
struct TestPki {
    QString directory; // absolute

    QString caCertPath, caKeyPath;
    QString serverCertPath, serverKeyPath;
    QString clientCertPath, clientKeyPath;
    QString strangerCertPath, strangerKeyPath;

    QByteArray caCertPem;
    QByteArray serverCertPem, serverKeyPem;
    QByteArray clientCertPem, clientKeyPem;
    QByteArray strangerCertPem, strangerKeyPem;

    bool isValid() const { return !caCertPem.isEmpty() && !serverKeyPem.isEmpty(); }

    // Writes every file into directory (created if missing; existing files of
    // the same names are overwritten) and returns the result. Blocks while
    // openssl runs (a few hundred milliseconds in all, bounded by a timeout per
    // call), so call it before starting servers the test thread serves. On
    // failure returns an invalid TestPki and sets *error to the failing command
    // and its output; a missing openssl is an error, not a skip.
    static TestPki generate(const QString &directory, QString *error = nullptr);

    // CN of the client certificate: the user name an API server derives from it.
    static QString clientCommonName();
};

} // namespace Bramble::Test
