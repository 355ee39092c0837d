#include "core/jsonwriter.h"

#include <QJsonArray>
#include <QJsonObject>

#include <QLocale>

#include <cmath>
#include <limits>

namespace Bramble::Core {

void JsonWriter::newline()
{
    if (m_indent == 0)
        return;
    m_out += '\n';
    m_out.append(qsizetype(m_counts.size()) * m_indent, ' ');
}

void JsonWriter::beforeValue()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_counts.isEmpty())
        return;
    if (m_counts.last()++ > 0)
        m_out += ',';
    newline();
}

void JsonWriter::open(char bracket)
{
    beforeValue();
    m_out += bracket;
    m_counts.append(0);
}

void JsonWriter::close(char bracket)
{
    const int count = m_counts.takeLast();
    if (count > 0 || m_indent > 0)
        newline();
    m_out += bracket;
}

void JsonWriter::key(QStringView name)
{
    beforeValue();
    string(name);
    m_out += m_indent > 0 ? ": " : ":";
    m_afterKey = true;
}

void JsonWriter::value(QStringView text)
{
    beforeValue();
    string(text);
}

void JsonWriter::value(bool b)
{
    beforeValue();
    m_out += b ? "true" : "false";
}

void JsonWriter::value(qint64 n)
{
    beforeValue();
    m_out += QByteArray::number(n);
}

void JsonWriter::value(double d)
{
    beforeValue();
    if (!std::isfinite(d))
        m_out += "null";
    else if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
        m_out += QByteArray::number(qint64(d));
    else
        m_out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
}

void JsonWriter::value(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        null();
        break;
    case QJsonValue::Bool:
        value(v.toBool());
        break;
    case QJsonValue::Double:
        if (v.isDouble() && v.toInteger(std::numeric_limits<qint64>::min()) != std::numeric_limits<qint64>::min()
            && double(v.toInteger()) == v.toDouble())
            value(v.toInteger());
        else
            value(v.toDouble());
        break;
    case QJsonValue::String:
        value(QStringView(v.toString()));
        break;
    case QJsonValue::Array: {
        beginArray();
        const QJsonArray array = v.toArray();
        for (const QJsonValue &item : array)
            value(item);
        endArray();
        break;
    }
    case QJsonValue::Object: {
        beginObject();
        const QJsonObject object = v.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            key(it.key());
            value(it.value());
        }
        endObject();
        break;
    }
    }
}

void JsonWriter::null()
{
    beforeValue();
    m_out += "null";
}

void JsonWriter::string(QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    m_out.reserve(m_out.size() + utf8.size() + 2);
    m_out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            m_out += "\\\"";
            break;
        case '\\':
            m_out += "\\\\";
            break;
        case '\n':
            m_out += "\\n";
            break;
        case '\r':
            m_out += "\\r";
            break;
        case '\t':
            m_out += "\\t";
            break;
        case '\b':
            m_out += "\\b";
            break;
        case '\f':
            m_out += "\\f";
            break;
        default:
            if (c < 0x20) {
                m_out += "\\u00";
                m_out += hex[c >> 4];
                m_out += hex[c & 15];
            } else {
                m_out += ch;
            }
        }
    }
    m_out += '"';
}

} // namespace Bramble::Core
