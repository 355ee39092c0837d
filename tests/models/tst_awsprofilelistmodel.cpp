#include "aws/awsconfig.h"
#include "models/awsprofilelistmodel.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;
using Models::AwsProfileListModel;

class TestAwsProfileListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kinds_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QByteArray>("credentials");
        QTest::addColumn<QString>("kind");
        QTest::newRow("static keys") << QByteArray("[default]\nregion = eu-west-1\n")
                                     << QByteArray("[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
                                     << QStringLiteral("static keys");
        QTest::newRow("assume role") << QByteArray("[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n")
                                     << QByteArray() << QStringLiteral("assume role");
        QTest::newRow("sso session") << QByteArray("[default]\nsso_session = corp\n") << QByteArray()
                                     << QStringLiteral("SSO");
        QTest::newRow("legacy sso") << QByteArray("[default]\nsso_start_url = https://x\n") << QByteArray()
                                    << QStringLiteral("SSO");
        QTest::newRow("credential process") << QByteArray("[default]\ncredential_process = /bin/creds\n")
                                            << QByteArray() << QStringLiteral("credential process");
        QTest::newRow("settings only") << QByteArray("[default]\nregion = us-east-1\n") << QByteArray()
                                       << QStringLiteral("settings only");
    }

    void kinds()
    {
        QFETCH(QByteArray, config);
        QFETCH(QByteArray, credentials);
        QFETCH(QString, kind);
        QTemporaryDir dir;
        QFile c(dir.filePath(QStringLiteral("config")));
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write(config);
        c.close();
        QFile k(dir.filePath(QStringLiteral("credentials")));
        QVERIFY(k.open(QIODevice::WriteOnly));
        k.write(credentials);
        k.close();
        const auto loaded = Aws::AwsConfigLoader::fromFiles(c.fileName(), k.fileName());
        QVERIFY(loaded.ok());

        AwsProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProfiles(loaded.config.profiles);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(AwsProfileListModel::KindRole).toString(), kind);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("default"));
        QCOMPARE(model.index(0).data(AwsProfileListModel::SourceFileRole).toString(), c.fileName());
    }

    void regionAndLookup()
    {
        Aws::AwsProfile a;
        a.name = QStringLiteral("a");
        a.region = QStringLiteral("eu-north-1");
        Aws::AwsProfile b;
        b.name = QStringLiteral("b");
        AwsProfileListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProfiles({ a, b });
        QCOMPARE(model.rowOf(QStringLiteral("b")), 1);
        QCOMPARE(model.index(0).data(AwsProfileListModel::RegionRole).toString(), QStringLiteral("eu-north-1"));
        QVERIFY(model.index(1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("not set")));
    }
};

QTEST_GUILESS_MAIN(TestAwsProfileListModel)
#include "tst_awsprofilelistmodel.moc"
