#include "asl/jsonpathio.h"

#include "asl/intrinsics.h"
#include "asl/jsonpathquery.h"
#include "asl/statesfault.h"
#include "saga/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <variant>

namespace Bramble::LocalRuntime::Asl {

namespace {

using Step = std::variant<QString, int>;

// The steps of a path already checked by Saga::isValidJsonPath.
QList<Step> stepsOf(const QString &path)
{
    QList<Step> steps;
    qsizetype i = 1;
    const qsizetype n = path.size();
    while (i < n) {
        if (path.at(i) == u'.') {
            qsizetype j = ++i;
            while (j < n && path.at(j) != u'.' && path.at(j) != u'[')
                ++j;
            steps.append(path.mid(i, j - i));
            i = j;
        } else {
            ++i;
            if (path.at(i) == u'\'' || path.at(i) == u'"') {
                const qsizetype close = path.indexOf(path.at(i), i + 1);
                steps.append(path.mid(i + 1, close - i - 1));
                i = close + 2;
            } else {
                const qsizetype close = path.indexOf(u']', i);
                steps.append(path.mid(i, close - i).toInt());
                i = close + 1;
            }
        }
    }
    return steps;
}

QJsonValue writeSteps(
    const QJsonValue &node, const QList<Step> &steps, qsizetype at, const QJsonValue &value, const QString &path)
{
    if (at == steps.size())
        return value;
    if (const QString *name = std::get_if<QString>(&steps.at(at))) {
        if (!node.isObject() && !node.isUndefined() && !node.isNull())
            throw StatesFault { QStringLiteral("States.ResultPathMatchFailure"),
                QStringLiteral("Unable to apply ResultPath \"%1\": \"%2\" is inside a value that is not an object")
                    .arg(path, *name) };
        QJsonObject o = node.toObject();
        o.insert(*name, writeSteps(o.value(*name), steps, at + 1, value, path));
        return o;
    }
    const int index = std::get<int>(steps.at(at));
    if (!node.isArray() || index >= node.toArray().size())
        throw StatesFault { QStringLiteral("States.ResultPathMatchFailure"),
            QStringLiteral("Unable to apply ResultPath \"%1\": element %2 does not exist").arg(path).arg(index) };
    QJsonArray a = node.toArray();
    a.replace(index, writeSteps(a.at(index), steps, at + 1, value, path));
    return a;
}

// A path of the reference subset (Saga::jsonPathValue: one value or
// nothing) or, failing its syntax, a query that selects many values (an
// array of the matches). Throws States.Runtime when neither syntax fits.
QJsonValue lookup(const QJsonValue &root, const QString &path, const QString &shown)
{
    if (Saga::isValidJsonPath(path))
        return Saga::jsonPathValue(root, path);
    QString error;
    const std::optional<QJsonArray> all = selectAll(root, path, &error);
    if (!all)
        throw runtimeFault(QStringLiteral("Invalid path \"%1\": %2").arg(shown, error));
    return *all;
}

} // namespace

QJsonValue parseJsonText(const QString &text)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray('[' + text.toUtf8() + ']'), &e);
    if (e.error != QJsonParseError::NoError || d.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return d.array().first();
}

QJsonValue readPath(const QString &rawPath, const PathEnv &env)
{
    const QString path = rawPath.trimmed();
    if (path.startsWith(u"$$"))
        return lookup(env.contextObject(), path.mid(1), path);
    if (path.size() > 1 && path.at(0) == u'$' && path.at(1) != u'.' && path.at(1) != u'[') {
        qsizetype end = 1;
        while (end < path.size() && path.at(end) != u'.' && path.at(end) != u'[')
            ++end;
        const QString name = path.mid(1, end - 1);
        if (!env.variables || !env.variables->contains(name))
            throw runtimeFault(QStringLiteral("The variable \"$%1\" is not defined").arg(name));
        return lookup(env.variables->value(name), u'$' + path.mid(end), path);
    }
    return lookup(env.input, path, path);
}

QJsonValue requirePath(const QString &path, const PathEnv &env, const QString &field)
{
    const QJsonValue v = readPath(path, env);
    if (v.isUndefined())
        throw runtimeFault(QStringLiteral("Invalid path '%1' : No results for path in %2: input %3")
                               .arg(path, field, jsonText(env.input)));
    return v;
}

QJsonValue writePath(const QJsonValue &root, const QString &rawPath, const QJsonValue &value)
{
    const QString path = rawPath.trimmed();
    QString error;
    if (!Saga::isValidJsonPath(path, &error))
        throw StatesFault { QStringLiteral("States.ResultPathMatchFailure"),
            QStringLiteral("Invalid ResultPath \"%1\": %2").arg(path, error) };
    const QList<Step> steps = stepsOf(path);
    if (!steps.isEmpty() && !root.isObject() && !root.isArray())
        throw StatesFault { QStringLiteral("States.ResultPathMatchFailure"),
            QStringLiteral("Unable to apply ResultPath \"%1\" to input %2").arg(path, jsonText(root)) };
    return writeSteps(root, steps, 0, value, path);
}

QJsonValue applyFilterPath(const QJsonObject &state, const QString &field, const PathEnv &env)
{
    const auto it = state.constFind(field);
    if (it == state.constEnd())
        return env.input;
    if (it->isNull())
        return QJsonObject();
    return requirePath(it->toString(), env, field);
}

QJsonValue applyResultPath(const QJsonObject &holder, const QJsonValue &rawInput, const QJsonValue &result)
{
    const auto it = holder.constFind(QLatin1String("ResultPath"));
    if (it == holder.constEnd())
        return result;
    if (it->isNull())
        return rawInput;
    return writePath(rawInput, it->toString(), result);
}

QJsonValue evalTemplate(const QJsonValue &tmpl, const PathEnv &env)
{
    if (tmpl.isArray()) {
        QJsonArray out;
        const QJsonArray in = tmpl.toArray();
        for (const QJsonValue &v : in)
            out.append(evalTemplate(v, env));
        return out;
    }
    if (!tmpl.isObject())
        return tmpl;
    QJsonObject out;
    const QJsonObject o = tmpl.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.key().endsWith(u".$")) {
            out.insert(it.key(), evalTemplate(it.value(), env));
            continue;
        }
        const QString expr = it.value().toString().trimmed();
        const QString key = it.key().chopped(2);
        if (expr.startsWith(u"States.")) {
            out.insert(key, evalIntrinsic(expr, env));
            continue;
        }
        if (!expr.startsWith(u'$'))
            throw runtimeFault(QStringLiteral("The value of \"%1\" is neither a path nor an intrinsic function: %2")
                                   .arg(it.key(), jsonText(it.value())));
        QJsonValue v;
        try {
            v = readPath(expr, env);
        } catch (const StatesFault &f) {
            throw runtimeFault(f.cause);
        }
        if (v.isUndefined())
            // As AWS: States.Runtime, which no Retry or Catch takes (not the
            // States.ParameterPathFailure the language spec names).
            throw runtimeFault(
                QStringLiteral("The JSONPath '%1' specified for the field '%2' could not be found in the input '%3'")
                    .arg(expr, it.key(), jsonText(env.input)));
        out.insert(key, v);
    }
    return out;
}

} // namespace Bramble::LocalRuntime::Asl
