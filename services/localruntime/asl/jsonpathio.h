#pragma once

#include "core/jsontext.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <optional>

namespace Bramble::LocalRuntime::Asl {

// What a path or a template can read: the state's input (`$`), the context
// object (`$$`, built only when a path asks for it) and the workflow
// variables in force (`$name`). Internal to bramble_localasl.
struct PathEnv {
    QJsonValue input;
    const QJsonObject *variables = nullptr;
    std::function<QJsonObject()> context;

    // The context object, built once per environment.
    const QJsonObject &contextObject() const
    {
        if (!contextCache)
            contextCache = context ? context() : QJsonObject();
        return *contextCache;
    }
    mutable std::optional<QJsonObject> contextCache;
};

// Any JSON value as compact text (Core::jsonText), and JSON text (scalars
// too) back; the parser returns an undefined value when the text is not one
// JSON value.
using Core::jsonText;
QJsonValue parseJsonText(const QString &text);

// Reads `$...`, `$$...` or `$name...` (the reference subset: .name,
// ['name'], [index]). Undefined when it leads nowhere; throws StatesFault
// (States.Runtime) when the syntax is wrong.
QJsonValue readPath(const QString &path, const PathEnv &env);
// readPath that throws States.Runtime, naming `field`, when nothing is there.
QJsonValue requirePath(const QString &path, const PathEnv &env, const QString &field);

// `root` with `value` written at `path` ("$" replaces). Objects are created
// along the way; an array index must exist. Throws StatesFault
// (States.ResultPathMatchFailure) when the path cannot be written.
QJsonValue writePath(const QJsonValue &root, const QString &path, const QJsonValue &value);

// InputPath / OutputPath of `state` (absent: all, null: {}). Throws States.Runtime.
QJsonValue applyFilterPath(const QJsonObject &state, const QString &field, const PathEnv &env);
// ResultPath of `holder` (a state or a catcher): absent or "$" gives the
// result, null the raw input, a path merges the result into the raw input.
QJsonValue applyResultPath(const QJsonObject &holder, const QJsonValue &rawInput, const QJsonValue &result);

// A Parameters / ResultSelector / ItemSelector / Assign template: "key.$"
// members take a path's value or an intrinsic function's result (the ".$" is
// dropped), everything else is copied (nested objects and arrays evaluated).
// Throws States.ParameterPathFailure / States.IntrinsicFailure.
QJsonValue evalTemplate(const QJsonValue &tmpl, const PathEnv &env);

} // namespace Bramble::LocalRuntime::Asl
