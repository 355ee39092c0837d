// Core::Error: one line, always. Control bytes in values are escaped, long
// values are elided, and a remote error keeps its operation, reason, HTTP
// status and attempts.

#include "core/error.h"

#include <QTest>

using namespace Bramble::Core;

class TestError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void controlCharactersAreEscaped()
    {
        QCOMPARE(oneLine(u"a\nb\tc\rd"), QStringLiteral("a\\nb\\tc\\rd"));
        QCOMPARE(oneLine(QStringView(u"x\0y", 3)), QStringLiteral("x\\0y"));
        QCOMPARE(oneLine(u"\x1b[31m"), QStringLiteral("\\x1b[31m"));
        QCOMPARE(oneLine(u"caf\u00e9 \u2028"), QStringLiteral("caf\u00e9 \\x2028"));
    }

    void longValuesAreElidedKeepingBothEnds()
    {
        const QString ns = QStringLiteral("start") + QString(100000, u'n') + QStringLiteral("end");
        const QString cut = oneLine(ns, 200);
        QCOMPARE(cut.size(), 200);
        QVERIFY(cut.startsWith(QStringLiteral("start")));
        QVERIFY(cut.endsWith(QStringLiteral("end")));
        QVERIFY(cut.contains(u'…'));
    }

    void everyErrorIsOneBoundedLine()
    {
        Error e(Error::Kind::Input, QStringLiteral("namespace \"") + QString(100000, u'a') + QStringLiteral("\"\nbad"));
        e.where.file = QStringLiteral("evil\nname.yaml");
        e.where.line = 3;
        e.where.key = QStringLiteral("/") + QString(1000, u'k');
        const QString line = e.toString();
        QVERIFY(!line.contains(u'\n'));
        QVERIFY2(line.size() < 1500, qPrintable(QString::number(line.size())));
        QVERIFY(line.startsWith(QStringLiteral("evil\\nname.yaml:3: /k")));
    }

    void remoteErrorsSayWhatWasAsked()
    {
        Error e(Error::Kind::Throttled, QStringLiteral("Rate exceeded"));
        e.operation = QStringLiteral("ListStateMachines");
        e.reason = QStringLiteral("ThrottlingException");
        e.httpStatus = 400;
        e.attempts = 3;
        QCOMPARE(e.toString(),
            QStringLiteral("ListStateMachines: ThrottlingException: Rate exceeded (HTTP 400, 3 attempts)"));
        QCOMPARE(Error::kindName(e.kind), QStringLiteral("throttled"));
        QCOMPARE(Error::kindOfHttpStatus(403), Error::Kind::Auth);
        QCOMPARE(Error::kindOfHttpStatus(404), Error::Kind::NotFound);
        QCOMPARE(Error::kindOfHttpStatus(429), Error::Kind::Throttled);
        QCOMPARE(Error::kindOfHttpStatus(503), Error::Kind::Server);
    }

    void documentErrorsKeepTheirPlace()
    {
        const Error e(QStringLiteral("unknown field"),
            SourceLocation { QStringLiteral("pools.yaml"), 4, 7, QStringLiteral("spec.addresses[0]") });
        QCOMPARE(e.toString(), QStringLiteral("pools.yaml:4:7: spec.addresses[0]: unknown field"));
        QVERIFY(Error().isNull());
    }
};

QTEST_GUILESS_MAIN(TestError)
#include "tst_error.moc"
