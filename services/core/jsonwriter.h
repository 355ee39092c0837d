#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QStringView>

#include <utility>

namespace Bramble::Core {

// The one JSON writer of the project: every JSON document and JSON Lines
// line that Bramble prints goes through it. Writes JSON text straight into
// bytes, keys in the order given: also for output too large to build as a
// QJsonDocument first (5,000 nodes are ~7 MB).
//
//     JsonWriter w(4);
//     w.beginObject();
//     w.key(u"name"); w.value(u"rpi-01");
//     w.endObject();
//     out.write(w.bytes());
//
// indent 0 writes one line (JSON Lines); otherwise that many spaces a level,
// laid out as QJsonDocument::Indented does. The caller keeps it well formed
// (keys only inside objects, begin/end paired).
class JsonWriter {
public:
    explicit JsonWriter(int indent = 0)
        : m_indent(indent)
    {
    }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(QStringView name);
    void value(QStringView text);
    void value(const QString &text) { value(QStringView(text)); }
    void value(bool b);
    void value(qint64 n);
    void value(int n) { value(qint64(n)); }
    // Integral values as integers, others in the shortest form that reads back
    // exactly; NaN and infinities (not JSON) as null, as QJsonDocument does.
    void value(double d);
    // A whole QJsonValue: objects with their keys in QJsonObject's (sorted)
    // order, so output matches QJsonDocument's byte for byte.
    void value(const QJsonValue &v);
    void null();

    // key + value in one call
    template<typename T>
    void field(QStringView name, const T &v)
    {
        key(name);
        value(v);
    }

    const QByteArray &bytes() const { return m_out; }
    QByteArray take() { return std::exchange(m_out, {}); }

private:
    void open(char bracket);
    void close(char bracket);
    void beforeValue();
    void newline();
    void string(QStringView text);

    QByteArray m_out;
    QList<int> m_counts; // values written so far at each open level
    int m_indent;
    bool m_afterKey = false;
};

} // namespace Bramble::Core
