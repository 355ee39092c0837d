#pragma once

#include "fakes/fakekubeapiserver.h"
#include "fakes/testpki.h"
#include "support/clirun.h"
#include "support/testpaths.h"

#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace Bramble::Test {

// What a test against the fake API server sets up: a PKI once per test
// binary (generatePki() in initTestCase), a fresh server per test function
// (start() in init, stop() in cleanup) and a kubeconfig file for it that
// authenticates with the default token. Header-only: the tests that use it
// link bramble_fakes and the test support library.
class FakeKubeFixture {
public:
    bool generatePki(QString *error)
    {
        m_pki = TestPki::generate(m_dir.filePath(QStringLiteral("pki")), error);
        return m_pki.isValid();
    }

    // A new server listening on a free port, its kubeconfig written; nullptr
    // (with *error) when it cannot listen.
    FakeKubeApiServer *start(QString *error)
    {
        m_server = std::make_unique<FakeKubeApiServer>(m_pki);
        if (!m_server->listen()) {
            *error = m_server->errorString();
            m_server.reset();
            return nullptr;
        }
        m_kubeconfig = writeFile(m_dir.filePath(QStringLiteral("kubeconfig")),
            m_server->kubeconfigWithToken(FakeKubeApiServer::defaultToken()));
        return m_server.get();
    }
    void stop() { m_server.reset(); }

    FakeKubeApiServer *server() const { return m_server.get(); }
    const TestPki &pki() const { return m_pki; }
    QString kubeconfigPath() const { return m_kubeconfig; }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // What bramblectl runs with: only HOME (a fresh directory) and PATH.
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        return env;
    }

    // bramblectl in environment(), with `--kubeconfig kubeconfigPath()`
    // appended when withKubeconfig, while this thread's event loop serves the fake.
    CliRun runBramblectl(QStringList args, bool withKubeconfig = true) const
    {
        if (withKubeconfig)
            args << QStringLiteral("--kubeconfig") << m_kubeconfig;
        return Test::runBramblectl(args, environment());
    }

private:
    QTemporaryDir m_dir;
    TestPki m_pki;
    std::unique_ptr<FakeKubeApiServer> m_server;
    QString m_kubeconfig;
};

} // namespace Bramble::Test
