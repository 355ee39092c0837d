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
    // The first state (or "" for the whole machine) written in JSONata, which
    // this runtime does not run; null when there is none.
    QString jsonataState;
    bool usesJsonata = false;

    bool hasErrors() const;
    // "Invalid State Machine Definition: 'CODE: message at /pointer'" for the first error.
    QString invalidDefinitionMessage() const;
};

// Checks a definition as Step Functions does before creating a machine:
// JSON, the ASL structure and graph (services/saga/aslgraph's checks), and
// whether this runtime can run it.
DefinitionReport validateDefinition(const QString &text);

} // namespace Bramble::LocalRuntime
