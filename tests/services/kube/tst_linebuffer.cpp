// LineBuffer: newline framing over chunks cut anywhere, as a watch or a
// followed pod log arrives.

#include "kube/linebuffer.h"

#include <QTest>

using Bramble::Kube::LineBuffer;

class TestLineBuffer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Every way of cutting the text into chunks gives the same lines.
    void plainTextAcrossChunkBoundaries_data()
    {
        QTest::addColumn<int>("chunkSize");
        for (int size : { 1, 2, 3, 5, 7, 13, 64, 1000 })
            QTest::newRow(qPrintable(QString::number(size))) << size;
    }

    void plainTextAcrossChunkBoundaries()
    {
        QFETCH(int, chunkSize);
        const QByteArray text = "2026-12-07T20:00:00.000000001Z starting\n"
                                "2026-12-07T20:00:01.5Z {\"not\": \"json\" here\r\n"
                                "\n"
                                "2026-12-07T20:00:02Z ünïcödé ✓ cut anywhere\n"
                                "2026-12-07T20:00:03Z the last line has no newline";
        LineBuffer buffer;
        QList<QByteArray> lines;
        for (qsizetype at = 0; at < text.size(); at += chunkSize)
            lines += buffer.append(QByteArrayView(text).sliced(at, std::min<qsizetype>(chunkSize, text.size() - at)));
        QCOMPARE(lines.size(), 4);
        QVERIFY(buffer.pending() > 0);
        lines += buffer.finish();
        const QList<QByteArray> expected
            = { "2026-12-07T20:00:00.000000001Z starting", "2026-12-07T20:00:01.5Z {\"not\": \"json\" here", "",
                  "2026-12-07T20:00:02Z ünïcödé ✓ cut anywhere", "2026-12-07T20:00:03Z the last line has no newline" };
        QCOMPARE(lines, expected);
        QCOMPARE(buffer.pending(), 0);
        QVERIFY(buffer.finish().isEmpty());
    }

    void finalNewlineLeavesNothing()
    {
        LineBuffer buffer;
        QCOMPARE(buffer.append("a\nb"), QList<QByteArray> { "a" });
        QCOMPARE(buffer.append("\n"), QList<QByteArray> { "b" });
        QVERIFY(buffer.finish().isEmpty());
    }

    void overflowIsReported()
    {
        LineBuffer buffer(8);
        QVERIFY(buffer.append("12345678").isEmpty());
        QVERIFY(!buffer.overflowed());
        QVERIFY(buffer.append("9").isEmpty());
        QVERIFY(buffer.overflowed());
        QCOMPARE(buffer.append("\nok\n"), (QList<QByteArray> { "123456789", "ok" }));
        QVERIFY(!buffer.overflowed());
    }
};

QTEST_GUILESS_MAIN(TestLineBuffer)
#include "tst_linebuffer.moc"
