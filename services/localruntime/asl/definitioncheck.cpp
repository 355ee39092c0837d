#include "asl/definitioncheck.h"

#include "saga/aslgraph.h"

#include <QJsonArray>

namespace Bramble::LocalRuntime {

namespace {

// The first state (depth first, in document order) that asks for JSONata,
// as its JSON pointer and name.
bool findJsonata(const QJsonObject &scope, const QString &pointer, QString *where, QString *state)
{
    const QJsonObject states = scope.value(u"States").toObject();
    for (auto it = states.begin(); it != states.end(); ++it) {
        const QJsonObject s = it.value().toObject();
        const QString here = pointer + QStringLiteral("/States/") + Saga::jsonPointerToken(it.key());
        if (s.value(u"QueryLanguage").toString() == u"JSONata") {
            *where = here + QStringLiteral("/QueryLanguage");
            *state = it.key();
            return true;
        }
        const QJsonArray branches = s.value(u"Branches").toArray();
        for (qsizetype i = 0; i < branches.size(); ++i)
            if (findJsonata(branches.at(i).toObject(), here + QStringLiteral("/Branches/%1").arg(i), where, state))
                return true;
        for (const QString &key : { QStringLiteral("ItemProcessor"), QStringLiteral("Iterator") })
            if (s.value(key).isObject() && findJsonata(s.value(key).toObject(), here + u'/' + key, where, state))
                return true;
    }
    return false;
}

} // namespace

Core::Error checkRunnable(const QJsonObject &definition)
{
    const Saga::StateGraph graph = Saga::parseDefinition(definition);
    if (!graph.errors.isEmpty())
        return graph.errors.first();
    if (!graph.isValid())
        return Core::Error(QStringLiteral("the definition has no states"));
    if (definition.value(u"QueryLanguage").toString() == u"JSONata")
        return Core::Error(QStringLiteral("the local runtime runs JSONPath definitions only; this one sets "
                                          "\"QueryLanguage\": \"JSONata\""),
            Core::SourceLocation { {}, 0, 0, QStringLiteral("/QueryLanguage") });
    QString where;
    QString state;
    if (findJsonata(definition, QString(), &where, &state))
        return Core::Error(QStringLiteral("the local runtime runs JSONPath definitions only; state \"%1\" sets "
                                          "\"QueryLanguage\": \"JSONata\"")
                               .arg(state),
            Core::SourceLocation { {}, 0, 0, where });
    return {};
}

} // namespace Bramble::LocalRuntime
