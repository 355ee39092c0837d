#include "models/inputsearch.h"

#include "saga/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace Bramble::Models {

namespace {

bool isScalar(const QJsonValue &v)
{
    return v.isString() || v.isDouble() || v.isBool();
}

bool equalsText(const QJsonValue &v, const QString &text)
{
    return isScalar(v) && scalarText(v).compare(text, Qt::CaseInsensitive) == 0;
}

// Visits every scalar leaf; `key` is the member name it sits under (empty in arrays and at the root).
template<typename Visit>
bool anyLeaf(const QJsonValue &v, const QString &key, const Visit &visit)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it)
            if (anyLeaf(it.value(), it.key(), visit))
                return true;
        return false;
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (const QJsonValue &item : a)
            if (anyLeaf(item, key, visit))
                return true;
        return false;
    }
    return visit(key, v);
}

} // namespace

QString scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17 - 2);
    }
    case QJsonValue::Array:
    case QJsonValue::Object:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

bool inputMatches(const QString &inputJson, const QString &query)
{
    if (inputJson.trimmed().isEmpty() || query.trimmed().isEmpty())
        return false;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(inputJson.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return false;
    return inputMatches(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), query);
}

bool inputMatches(const QJsonValue &input, const QString &query)
{
    const QString q = query.trimmed();
    if (q.isEmpty() || input.isUndefined())
        return false;
    const qsizetype eq = q.indexOf(u'=');
    if (eq > 0) {
        const QString key = q.left(eq).trimmed();
        const QString value = q.mid(eq + 1).trimmed();
        if (key.startsWith(u'$')) {
            const QJsonValue v = Saga::jsonPathValue(input, key);
            return !v.isUndefined() && equalsText(v, value);
        }
        return anyLeaf(input, QString(), [&](const QString &k, const QJsonValue &v) {
            return k.compare(key, Qt::CaseInsensitive) == 0 && equalsText(v, value);
        });
    }
    const bool partial = q.size() >= 3;
    return anyLeaf(input, QString(), [&](const QString &, const QJsonValue &v) {
        if (!isScalar(v))
            return false;
        const QString text = scalarText(v);
        return text.compare(q, Qt::CaseInsensitive) == 0 || (partial && text.contains(q, Qt::CaseInsensitive));
    });
}

} // namespace Bramble::Models
