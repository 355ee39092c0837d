// JsonWriter: what it writes must read back, with QJsonDocument, as the
// value meant, in both layouts, whatever the strings hold.

#include "core/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using Bramble::Core::JsonWriter;

class TestJsonWriter : public QObject {
    Q_OBJECT

private:
    static void writeSample(JsonWriter &w, const QString &text)
    {
        w.beginObject();
        w.field(u"name", text);
        w.field(u"ok", true);
        w.field(u"count", qint64(-9007199254740993LL));
        w.key(u"nothing");
        w.null();
        w.key(u"empty object");
        w.beginObject();
        w.endObject();
        w.key(u"empty array");
        w.beginArray();
        w.endArray();
        w.key(u"list");
        w.beginArray();
        w.value(u"a");
        w.beginObject();
        w.field(u"k", 1);
        w.endObject();
        w.value(false);
        w.endArray();
        w.endObject();
    }

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("indent");
        const QString awkward = QStringLiteral("quote \" backslash \\ newline \n tab \t cr \r bell \a nul ") + QChar(0)
            + QStringLiteral(" del \x7f é 🍓 \u2028");
        for (int indent : { 0, 2, 4 }) {
            QTest::addRow("plain, indent %d", indent) << QStringLiteral("rpi-01") << indent;
            QTest::addRow("awkward, indent %d", indent) << awkward << indent;
            QTest::addRow("empty, indent %d", indent) << QString() << indent;
        }
    }

    void roundTrip()
    {
        QFETCH(QString, text);
        QFETCH(int, indent);
        JsonWriter w(indent);
        writeSample(w, text);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(w.bytes(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError,
            qPrintable(error.errorString() + u'\n' + QString::fromUtf8(w.bytes())));
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("name")).toString(), text);
        QCOMPARE(o.value(QStringLiteral("ok")), QJsonValue(true));
        QCOMPARE(o.value(QStringLiteral("count")).toInteger(), -9007199254740993LL);
        QVERIFY(o.value(QStringLiteral("nothing")).isNull());
        QVERIFY(o.value(QStringLiteral("empty object")).toObject().isEmpty());
        QVERIFY(o.value(QStringLiteral("empty array")).toArray().isEmpty());
        const QJsonArray list = o.value(QStringLiteral("list")).toArray();
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("k")).toInt(), 1);
        QCOMPARE(w.bytes().contains('\n'), indent > 0); // compact is one line: JSON Lines
    }

    void keepsKeyOrderAndLayout()
    {
        JsonWriter w(4);
        w.beginArray();
        w.beginObject();
        w.field(u"z", 1);
        w.field(u"a", 2);
        w.endObject();
        w.endArray();
        QCOMPARE(w.bytes(), QByteArray("[\n    {\n        \"z\": 1,\n        \"a\": 2\n    }\n]"));
        JsonWriter c;
        c.beginObject();
        c.field(u"type", QStringLiteral("ADDED"));
        c.key(u"node");
        c.beginObject();
        c.endObject();
        c.endObject();
        QCOMPARE(c.take(), QByteArray("{\"type\":\"ADDED\",\"node\":{}}"));
        QVERIFY(c.bytes().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
