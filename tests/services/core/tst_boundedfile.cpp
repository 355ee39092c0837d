// readBoundedFile(): the one way a reader takes a whole file. A device, a
// FIFO, a directory or an oversized file is refused with one line naming
// it, before anything large is read (the fuzzing of issue 13 grew to 2-6 GB
// on /dev/zero).

#include "core/boundedfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Bramble::Core;

class TestBoundedFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsARegularFileWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc\n");
        f.close();
        const auto r = readBoundedFile(path, 4, QStringLiteral("kubeconfig"));
        QVERIFY(r.ok());
        QCOMPARE(r.value(), QByteArray("abc\n"));
    }

    void refusesAFileOverTheLimitNamingIt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(2048, 'x'));
        f.close();
        const auto r = readBoundedFile(path, 1024, QStringLiteral("history"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().is(Error::Kind::Input));
        const QString line = r.error().toString();
        QVERIFY2(line.startsWith(path + QStringLiteral(": history: larger than 1 KiB")), qPrintable(line));
        QVERIFY(!line.contains(u'\n'));
    }

    void refusesDevicesFifosAndDirectories()
    {
        const auto zero = readBoundedFile(QStringLiteral("/dev/zero"), FileLimit::Definition, QStringLiteral("ASL"));
        QVERIFY(!zero.ok());
        QVERIFY2(zero.error().toString().contains(QStringLiteral("/dev/zero: ASL: is a device")),
            qPrintable(zero.error().toString()));

        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("pipe"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const auto p = readBoundedFile(fifo, 1024); // must not block on open()
        QVERIFY(!p.ok());
        QVERIFY2(p.error().message.contains(QStringLiteral("FIFO")), qPrintable(p.error().message));

        const auto d = readBoundedFile(dir.path(), 1024);
        QVERIFY(!d.ok());
        QVERIFY(d.error().message.contains(QStringLiteral("directory")));

        const auto missing = readBoundedFile(dir.filePath(QStringLiteral("nope")), 1024);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().message, QStringLiteral("no such file"));
    }

    void byteCountsReadWell()
    {
        QCOMPARE(byteCount(512), QStringLiteral("512 bytes"));
        QCOMPARE(byteCount(64ll << 20), QStringLiteral("64 MiB"));
        QCOMPARE(byteCount(3ll << 29), QStringLiteral("1.5 GiB"));
    }
};

QTEST_GUILESS_MAIN(TestBoundedFile)
#include "tst_boundedfile.moc"
