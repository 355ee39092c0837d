#include "session/connectioncatalog.h"
#include "support/testpaths.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using Session::ConnectionCatalog;

namespace {

QByteArray kubeconfig(const QString &current, const QStringList &contexts)
{
    QByteArray y = "clusters:\n- name: c\n  cluster: {server: https://127.0.0.1:6443}\ncontexts:\n";
    for (const QString &c : contexts)
        y += "- name: " + c.toUtf8() + "\n  context: {cluster: c}\n";
    y += "current-context: " + current.toUtf8() + "\n";
    return y;
}

} // namespace

class TestConnectionCatalog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    Core::Environment env() const
    {
        Core::Environment e(QProcessEnvironment(), m_home.path());
        e.insert(QStringLiteral("KUBECONFIG"),
            m_home.filePath(QStringLiteral("kube/a")) + u':' + m_home.filePath(QStringLiteral("kube/b")));
        e.insert(QStringLiteral("AWS_CONFIG_FILE"), m_home.filePath(QStringLiteral("aws/config")));
        e.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home.filePath(QStringLiteral("aws/credentials")));
        return e;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("kube/a")),
            kubeconfig(QStringLiteral("one"), { QStringLiteral("one"), QStringLiteral("two") }))
                     .isEmpty());
        QFile::remove(m_home.filePath(QStringLiteral("kube/b")));
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("aws/config")),
            "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n")
                     .isEmpty());
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("aws/credentials")), "[ci]\naws_access_key_id = x\n")
                     .isEmpty());
    }

    void defaultsFollowTheFiles()
    {
        ConnectionCatalog catalog(env());
        QCOMPARE(catalog.currentContext(), QStringLiteral("one"));
        QCOMPARE(catalog.currentProfile(), QStringLiteral("default"));
        QCOMPARE(catalog.currentRegion(), QStringLiteral("eu-west-1"));
        QCOMPARE(catalog.kube().config.contexts.size(), 2);
        QCOMPARE(catalog.aws().config.profiles.size(), 3);
    }

    void choicesAndFallbacks()
    {
        ConnectionCatalog catalog(env());
        QSignalSpy contextSpy(&catalog, &ConnectionCatalog::currentContextChanged);
        QSignalSpy regionSpy(&catalog, &ConnectionCatalog::currentRegionChanged);
        catalog.setCurrentContext(QStringLiteral("two"));
        QCOMPARE(catalog.currentContext(), QStringLiteral("two"));
        QCOMPARE(contextSpy.count(), 1);
        // A choice that does not exist falls back to current-context.
        catalog.setCurrentContext(QStringLiteral("gone"));
        QCOMPARE(catalog.currentContext(), QStringLiteral("one"));
        QCOMPARE(catalog.chosenContext(), QStringLiteral("gone"));

        // The profile's region follows the profile unless a region was chosen.
        catalog.setCurrentProfile(QStringLiteral("dev"));
        QCOMPARE(catalog.currentRegion(), QStringLiteral("us-east-2"));
        QCOMPARE(regionSpy.count(), 1);
        catalog.setCurrentRegion(QStringLiteral("ap-south-1"));
        catalog.setCurrentProfile(QStringLiteral("default"));
        QCOMPARE(catalog.currentRegion(), QStringLiteral("ap-south-1"));
        catalog.setCurrentRegion(QString());
        QCOMPARE(catalog.currentRegion(), QStringLiteral("eu-west-1"));
    }

    void environmentOverridesProfileRegion()
    {
        Core::Environment e = env();
        e.insert(QStringLiteral("AWS_PROFILE"), QStringLiteral("dev"));
        e.insert(QStringLiteral("AWS_REGION"), QStringLiteral("sa-east-1"));
        ConnectionCatalog catalog(e);
        QCOMPARE(catalog.currentProfile(), QStringLiteral("dev"));
        QCOMPARE(catalog.currentRegion(), QStringLiteral("sa-east-1"));
    }

    void externalChangesAreNoticed()
    {
        ConnectionCatalog catalog(env());
        QSignalSpy reloaded(&catalog, &ConnectionCatalog::reloaded);
        QSignalSpy contextSpy(&catalog, &ConnectionCatalog::currentContextChanged);
        // `kubectl config use-context two`, done by another program.
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("kube/a")),
            kubeconfig(QStringLiteral("two"), { QStringLiteral("one"), QStringLiteral("two") }))
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(catalog.currentContext(), QStringLiteral("two"), 10000);
        QVERIFY(reloaded.count() >= 1);
        QCOMPARE(contextSpy.count(), 1);
        // A file of the KUBECONFIG list that appears later is noticed too.
        QVERIFY(!Test::writeFile(
            m_home.filePath(QStringLiteral("kube/b")), kubeconfig(QString(), { QStringLiteral("three") }))
                     .isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(catalog.kube().config.contexts.size(), qsizetype(3), 10000);
    }

    void brokenFilesAreReportedNotFatal()
    {
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("kube/a")), "contexts: [\n").isEmpty());
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("aws/config")), "region = x\n").isEmpty());
        ConnectionCatalog catalog(env());
        QVERIFY(!catalog.kube().ok());
        QVERIFY(
            catalog.kube().errors.constFirst().toString().startsWith(m_home.filePath(QStringLiteral("kube/a")) + u':'));
        QVERIFY(!catalog.aws().ok());
        QCOMPARE(catalog.aws().errors.constFirst().where.line, 1);
        QCOMPARE(catalog.currentContext(), QString());
    }

    void kubeconfigOverride()
    {
        const QString other = Test::writeFile(
            m_home.filePath(QStringLiteral("other")), kubeconfig(QStringLiteral("x"), { QStringLiteral("x") }));
        ConnectionCatalog catalog(env());
        QSignalSpy contextSpy(&catalog, &ConnectionCatalog::currentContextChanged);
        catalog.setKubeconfigOverride(other);
        QCOMPARE(catalog.kube().config.files, QStringList { other });
        QCOMPARE(catalog.currentContext(), QStringLiteral("x"));
        QCOMPARE(contextSpy.count(), 1);
        catalog.setKubeconfigOverride(m_home.filePath(QStringLiteral("missing")));
        QVERIFY(!catalog.kube().ok());
    }
};

QTEST_GUILESS_MAIN(TestConnectionCatalog)
#include "tst_connectioncatalog.moc"
