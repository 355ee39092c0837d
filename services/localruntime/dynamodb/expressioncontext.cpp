// ExpressionAttributeNames/Values of one request and document path text.
#include "dynamodb/expression.h"

namespace Bramble::LocalRuntime::Dynamo {

QString pathText(const Path &path)
{
    QString out;
    for (const PathElement &e : path) {
        if (e.index >= 0)
            out += QLatin1Char('[') + QString::number(e.index) + QLatin1Char(']');
        else
            out += (out.isEmpty() ? QString() : QStringLiteral(".")) + e.name;
    }
    return out;
}

ExpressionContext::ExpressionContext(QJsonObject names, QJsonObject values)
    : m_names(std::move(names))
    , m_values(std::move(values))
{
}

QString ExpressionContext::validatePlaceholders() const
{
    for (auto it = m_names.begin(); it != m_names.end(); ++it) {
        if (!it.key().startsWith(QLatin1Char('#')) || !it.value().isString())
            return QStringLiteral("ExpressionAttributeNames contains invalid key: Syntax error; key: \"%1\"")
                .arg(it.key());
    }
    for (auto it = m_values.begin(); it != m_values.end(); ++it) {
        if (!it.key().startsWith(QLatin1Char(':')))
            return QStringLiteral("ExpressionAttributeValues contains invalid key: Syntax error; key: \"%1\"")
                .arg(it.key());
        const QString error = validate(it.value());
        if (!error.isEmpty())
            return QStringLiteral("ExpressionAttributeValues contains invalid value: %1 for key %2")
                .arg(error, it.key());
    }
    return {};
}

QString ExpressionContext::unusedError() const
{
    for (auto it = m_names.begin(); it != m_names.end(); ++it) {
        if (!m_usedNames.contains(it.key()))
            return QStringLiteral("Value provided in ExpressionAttributeNames unused in expressions: keys: {%1}")
                .arg(it.key());
    }
    for (auto it = m_values.begin(); it != m_values.end(); ++it) {
        if (!m_usedValues.contains(it.key()))
            return QStringLiteral("Value provided in ExpressionAttributeValues unused in expressions: keys: {%1}")
                .arg(it.key());
    }
    return {};
}

std::optional<QString> ExpressionContext::name(const QString &placeholder)
{
    if (!m_names.contains(placeholder))
        return std::nullopt;
    m_usedNames.insert(placeholder);
    return m_names.value(placeholder).toString();
}

std::optional<AttributeValue> ExpressionContext::value(const QString &placeholder)
{
    if (!m_values.contains(placeholder))
        return std::nullopt;
    m_usedValues.insert(placeholder);
    return m_values.value(placeholder).toObject();
}

} // namespace Bramble::LocalRuntime::Dynamo
