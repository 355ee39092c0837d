#include "runtime/definitionvalidator.h"

#include "saga/aslgraph.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace Bramble::LocalRuntime {

namespace {

QString codeFor(const Core::Error &error)
{
    const QString text = error.message.toLower();
    if (text.contains(QLatin1String("unknown state")) || text.contains(QLatin1String("does not exist"))
        || text.contains(QLatin1String("no state named")))
        return QStringLiteral("MISSING_TRANSITION_TARGET");
    if (text.contains(QLatin1String("duplicate")) || text.contains(QLatin1String("more than once")))
        return QStringLiteral("DUPLICATE_STATE_NAME");
    if (text.contains(QLatin1String("terminal")) || text.contains(QLatin1String("no end")))
        return QStringLiteral("MISSING_END_STATE");
    return QStringLiteral("SCHEMA_VALIDATION_FAILED");
}

} // namespace

bool DefinitionReport::hasErrors() const
{
    for (const DefinitionDiagnostic &d : diagnostics) {
        if (d.severity == QLatin1String("ERROR"))
            return true;
    }
    return false;
}

QString DefinitionReport::invalidDefinitionMessage() const
{
    for (const DefinitionDiagnostic &d : diagnostics) {
        if (d.severity != QLatin1String("ERROR"))
            continue;
        QString text = d.code + QStringLiteral(": ") + d.message;
        if (!d.location.isEmpty())
            text += QStringLiteral(" at ") + d.location;
        return QStringLiteral("Invalid State Machine Definition: '%1'").arg(text);
    }
    return {};
}

DefinitionReport validateDefinition(const QString &text)
{
    DefinitionReport report;
    if (text.trimmed().isEmpty()) {
        report.diagnostics.append({ QStringLiteral("ERROR"), QStringLiteral("MISSING_DESCRIPTION"),
            QStringLiteral("The definition is empty"), {} });
        return report;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString why = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("the definition is not a JSON object");
        report.diagnostics.append({ QStringLiteral("ERROR"), QStringLiteral("INVALID_JSON_DESCRIPTION"), why, {} });
        return report;
    }
    report.definition = document.object();

    const Saga::StateGraph graph = Saga::parseDefinition(report.definition);
    for (const Core::Error &error : graph.errors)
        report.diagnostics.append({ QStringLiteral("ERROR"), codeFor(error), error.message, error.where.key });
    if (graph.errors.isEmpty() && graph.nodes.isEmpty())
        report.diagnostics.append({ QStringLiteral("ERROR"), QStringLiteral("SCHEMA_VALIDATION_FAILED"),
            QStringLiteral("The definition has no states"), QStringLiteral("/States") });
    for (const Core::Error &warning : graph.warnings)
        report.diagnostics.append({ QStringLiteral("WARNING"), QStringLiteral("SCHEMA_VALIDATION_FAILED"),
            warning.message, warning.where.key });
    return report;
}

} // namespace Bramble::LocalRuntime
