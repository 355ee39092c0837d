// The local runtime as an AWS profile: the default when the user has no AWS
// profile and nothing chosen, never otherwise; its session reaches the
// runtime (started on first use) with the seed sample deployed and its two
// sample executions run.

#include "aws/awspager.h"
#include "aws/awssession.h"
#include "aws/stepfunctionsclient.h"
#include "session/awssessions.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"
#include "session/workspace.h"
#include "support/testpaths.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

class TestLocalProfile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

    Core::Environment env() const
    {
        Core::Environment e(QProcessEnvironment(), m_home.path());
        e.insert(QStringLiteral("KUBECONFIG"), m_home.filePath(QStringLiteral("kube/config")));
        e.insert(QStringLiteral("AWS_CONFIG_FILE"), m_home.filePath(QStringLiteral("aws/config")));
        e.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"), m_home.filePath(QStringLiteral("aws/credentials")));
        return e;
    }

    Session::WorkspaceOptions withLocal(const QString &name) const
    {
        Session::WorkspaceOptions o;
        o.localDataDirectory = m_home.filePath(name);
        return o;
    }

    // Every item of a pager, waiting for it.
    static QJsonArray all(Aws::AwsPager *pager)
    {
        QSignalSpy done(pager, &Core::Job::finished);
        pager->setAutoDelete(false);
        pager->start();
        if (!done.wait(20000))
            return {};
        const QJsonArray items = pager->items();
        delete pager;
        return items;
    }

private Q_SLOTS:
    void localIsTheDefaultWithoutProfiles()
    {
        QFile::remove(m_home.filePath(QStringLiteral("aws/config")));
        Session::Workspace workspace(env(), withLocal(QStringLiteral("one")));
        QCOMPARE(workspace.catalog()->currentProfile(), Session::localProfileName());
        QCOMPARE(workspace.catalog()->currentRegion(), Session::LocalRuntimeHost::region());
        QVERIFY(!workspace.local()->isRunning()); // started on first use only

        // Without a data directory there is no local runtime, and the aws CLI's rule holds.
        Session::Workspace without(env());
        QCOMPARE(without.catalog()->currentProfile(), QStringLiteral("default"));
    }

    void aProfileOrKeysWinOverLocal()
    {
        QVERIFY(!Test::writeFile(m_home.filePath(QStringLiteral("aws/config")), "[default]\nregion = eu-west-1\n")
                     .isEmpty());
        Session::Workspace withDefault(env(), withLocal(QStringLiteral("two")));
        QCOMPARE(withDefault.catalog()->currentProfile(), QStringLiteral("default"));
        QFile::remove(m_home.filePath(QStringLiteral("aws/config")));

        Core::Environment keys = env();
        keys.insert(QStringLiteral("AWS_ACCESS_KEY_ID"), QStringLiteral("AKIA"));
        Session::Workspace withKeys(keys, withLocal(QStringLiteral("two")));
        QCOMPARE(withKeys.catalog()->currentProfile(), QStringLiteral("default"));

        // Chosen by name, it is there all the same.
        withKeys.catalog()->setCurrentProfile(Session::localProfileName());
        QCOMPARE(withKeys.catalog()->currentProfile(), Session::localProfileName());
    }

    void theLocalSessionReachesTheSample()
    {
        QFile::remove(m_home.filePath(QStringLiteral("aws/config")));
        Session::Workspace workspace(env(), withLocal(QStringLiteral("three")));
        Aws::AwsSession *session = workspace.aws()->current();
        QVERIFY2(session->isValid(), qPrintable(session->errors().value(0).toString()));
        QVERIFY(workspace.local()->isRunning());
        QCOMPARE(workspace.aws()->session(Session::localProfileName(), QStringLiteral("eu-west-1")), session);

        Aws::StepFunctionsClient sfn(session->transport());
        const QJsonArray machines = all(sfn.listStateMachines());
        QCOMPARE(machines.size(), 1);
        const QString arn = machines.first()[u"stateMachineArn"].toString();
        QVERIFY2(arn.endsWith(u":stateMachine:seed-saga"), qPrintable(arn));

        // The two sample executions end as their inputs say.
        QHash<QString, QString> status;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                status.clear();
                for (const QJsonValue &e : all(sfn.listExecutions(arn)))
                    status.insert(e[u"name"].toString(), e[u"status"].toString());
                return status.value(u"sample-committed"_qs) == u"SUCCEEDED"
                    && status.value(u"sample-rolled-back"_qs) == u"FAILED";
            }(),
            30000);
    }
};

QTEST_GUILESS_MAIN(TestLocalProfile)
#include "tst_localprofile.moc"
