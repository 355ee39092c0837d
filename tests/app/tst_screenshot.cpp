// bramble --screenshot: one PNG per pane, rendered without a display.

#include "support/testpaths.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Bramble;

class TestScreenshot : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    int runBramble(const QStringList &args, QByteArray *err = nullptr, const QString &awsEndpoint = {}) const
    {
        QProcessEnvironment env;
        if (!awsEndpoint.isEmpty())
            env.insert(QStringLiteral("AWS_ENDPOINT_URL"), awsEndpoint);
        env.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_dir.path());
        env.insert(QStringLiteral("KUBECONFIG"), Test::testData(QStringLiteral("screenshots/kubeconfig")));
        env.insert(QStringLiteral("AWS_CONFIG_FILE"), Test::testData(QStringLiteral("screenshots/aws-config")));
        env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"),
            Test::testData(QStringLiteral("screenshots/aws-credentials")));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(Test::bramblePath(), args);
        if (!p.waitForFinished(30000))
            return -1;
        if (err)
            *err = p.readAllStandardError();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void everyPane_data()
    {
        QTest::addColumn<QString>("pane");
        for (const char *p : { "nodes", "loadbalancers", "provision", "sagas", "logs" })
            QTest::newRow(p) << QString::fromLatin1(p);
    }

    void everyPane()
    {
        QFETCH(QString, pane);
        const QString png = m_dir.filePath(pane + QStringLiteral(".png"));
        QStringList args { QStringLiteral("--screenshot"), png, QStringLiteral("--pane"), pane,
            QStringLiteral("--size"), QStringLiteral("1000x640") };
        // The Sagas pane against the demo fake (its state machines and executions), as tests/screenshots.sh does.
        QProcess aws;
        QString endpoint;
        if (pane == QLatin1String("sagas")) {
            aws.start(Test::binDir() + QStringLiteral("/fake-aws-server"),
                { QStringLiteral("--scenario"), QStringLiteral("saga-demo") });
            QVERIFY2(aws.waitForStarted(10000), qPrintable(aws.errorString()));
            QVERIFY(QTest::qWaitFor([&] { return aws.canReadLine(); }, 30000));
            const QByteArray ready = aws.readLine().trimmed();
            QVERIFY2(ready.startsWith("READY"), ready.constData());
            endpoint = QString::fromUtf8(ready.mid(ready.indexOf("ENDPOINT=") + 9));
            args << QStringLiteral("--screenshot-delay") << QStringLiteral("4000");
            args[5] = QStringLiteral("1400x900"); // with data the pane needs the size tests/screenshots.sh uses
        }
        QCOMPARE(runBramble(args, nullptr, endpoint), 0);
        if (aws.state() != QProcess::NotRunning) {
            aws.kill();
            aws.waitForFinished(5000);
        }
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), pane == QLatin1String("sagas") ? QSize(1400, 900) : QSize(1000, 640));
        // Not a blank canvas: a rendered window has many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        if (pane == QLatin1String("sagas")) {
            // What only the real pane draws: the saga graph, whose compensation
            // states carry the theme's purple (light 0x8250df, dark 0xbc8cff);
            // an error or empty screen has none.
            int purple = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    for (const QColor target : { QColor(0x82, 0x50, 0xdf), QColor(0xbc, 0x8c, 0xff) })
                        if (qAbs(c.red() - target.red()) + qAbs(c.green() - target.green())
                                + qAbs(c.blue() - target.blue())
                            < 30)
                            ++purple;
                }
            QVERIFY2(purple > 100, qPrintable(QStringLiteral("%1 purple pixels").arg(purple)));
        }
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown pane") << QStringList { QStringLiteral("--pane"), QStringLiteral("graphs") }
                                      << QStringLiteral("unknown pane");
        QTest::newRow("bad size") << QStringList { QStringLiteral("--size"), QStringLiteral("big") }
                                  << QStringLiteral("--size");
        QTest::newRow("bad scheme") << QStringList { QStringLiteral("--color-scheme"), QStringLiteral("sepia") }
                                    << QStringLiteral("--color-scheme");
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QByteArray err;
        const QString png = m_dir.filePath(QStringLiteral("bad.png"));
        QCOMPARE(runBramble(QStringList { QStringLiteral("--screenshot"), png } + args, &err), 2);
        QVERIFY2(QString::fromUtf8(err).contains(message), err.constData());
        QVERIFY(!QFile::exists(png));
    }

    void darkSchemeIsDark()
    {
        const QString png = m_dir.filePath(QStringLiteral("dark.png"));
        QCOMPARE(runBramble(
                     { QStringLiteral("--screenshot"), png, QStringLiteral("--color-scheme"), QStringLiteral("dark") }),
            0);
        const QImage image(png);
        QVERIFY(!image.isNull());
        // The pane background, well away from any text.
        QVERIFY(QColor(image.pixel(image.width() - 40, image.height() / 2)).lightness() < 80);
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
