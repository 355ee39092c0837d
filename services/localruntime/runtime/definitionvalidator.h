#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Bramble::LocalRuntime {

// One finding, shaped as ValidateStateMachineDefinition's diagnostics.
struct DefinitionDiagnostic {
    QString severity; // ERROR | WARNING
    QString code; // INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET...
    QString message;
    QString location; // a JSON pointer, "/States/Fail/Error"; may be empty
};

// What CreateStateMachine, UpdateStateMachine and
// ValidateStateMachineDefinition need to know about a definition text.
struct DefinitionReport {
    QJsonObject definition; // the parsed document (empty when it is not JSON)
    QList<DefinitionDiagnostic> diagnostics;

    bool hasErrors() const;
    // "Invalid State Machine Definition: 'CODE: message at /pointer'" for the first error.
    QString invalidDefinitionMessage() const;
};

// Checks a definition as Step Functions does before creating a machine:
// JSON, the ASL structure and graph (services/saga/aslgraph's checks).
// Whether this runtime can run it is asl/definitioncheck's checkRunnable().
DefinitionReport validateDefinition(const QString &text);

} // namespace Bramble::LocalRuntime
