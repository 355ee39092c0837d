#include "saga/aslgraph.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Bramble::Saga {

namespace {

constexpr qsizetype MaxDefinitionBytes = 1048576; // DescribeStateMachine "definition" max
constexpr int MaxNameLength = 80;
constexpr int MaxDepth = 64; // nested Parallel/Map scopes; real machines use a handful

const QString StatesAll = QStringLiteral("States.ALL");

struct Pending {
    int from;
    QString target;
    EdgeKind kind;
    QString pointer;
    QString label;
};

class Parser {
public:
    explicit Parser(QString file)
        : m_file(std::move(file))
    {
    }

    StateGraph run(const QJsonObject &root)
    {
        m_graph.comment = root.value(QStringLiteral("Comment")).toString();
        parseScope(root, QString(), -1, 0);
        resolve();
        checkReachable();
        return std::move(m_graph);
    }

    void error(const QString &pointer, const QString &message)
    {
        m_graph.errors.append(Core::Error(message, where(pointer)));
    }
    void warning(const QString &pointer, const QString &message)
    {
        m_graph.warnings.append(Core::Error(message, where(pointer)));
    }
    Core::SourceLocation where(const QString &pointer) const
    {
        Core::SourceLocation loc;
        loc.file = m_file;
        loc.key = pointer.isEmpty() ? QStringLiteral("/") : pointer;
        return loc;
    }

private:
    void parseScope(const QJsonObject &obj, const QString &pointer, int owner, int depth)
    {
        const int scope = int(m_graph.scopes.size());
        ScopeInfo info;
        info.owner = owner;
        info.pointer = pointer;
        m_graph.scopes.append(info);
        m_scopeNames.append(QHash<QString, int>());
        m_scopeStartNames.append(QString());
        if (owner >= 0)
            m_graph.nodes[owner].scopes.append(scope);

        const QJsonValue startAt = obj.value(QStringLiteral("StartAt"));
        if (startAt.isUndefined())
            error(pointer + QStringLiteral("/StartAt"), QStringLiteral("StartAt is missing"));
        else if (!startAt.isString() || startAt.toString().isEmpty())
            error(pointer + QStringLiteral("/StartAt"), QStringLiteral("StartAt must be a non-empty string"));
        else
            m_scopeStartNames[scope] = startAt.toString();

        const QJsonValue states = obj.value(QStringLiteral("States"));
        const QString statesPointer = pointer + QStringLiteral("/States");
        if (states.isUndefined()) {
            error(statesPointer, QStringLiteral("States is missing"));
            return;
        }
        if (!states.isObject()) {
            error(statesPointer, QStringLiteral("States must be an object"));
            return;
        }
        const QJsonObject map = states.toObject();
        if (map.isEmpty())
            error(statesPointer, QStringLiteral("States is empty"));
        for (auto it = map.begin(); it != map.end(); ++it)
            parseState(it.key(), it.value(), statesPointer + u'/' + jsonPointerToken(it.key()), scope, owner, depth);
    }

    void parseState(
        const QString &name, const QJsonValue &value, const QString &pointer, int scope, int owner, int depth)
    {
        if (name.isEmpty() || name.size() > MaxNameLength)
            error(pointer, QStringLiteral("state name must be 1 to %1 characters").arg(MaxNameLength));
        if (!value.isObject()) {
            error(pointer, QStringLiteral("state \"%1\" must be an object").arg(name));
            return;
        }
        const QJsonObject s = value.toObject();
        const int index = addNode(name, s, pointer, scope, owner);
        parseTransition(s, pointer, index);
        parseTypeFields(s, pointer, index, depth);
        parseErrorHandlers(s, pointer, index);
    }

    // The node itself: name, place and Type; registered under its name. Returns its index.
    int addNode(const QString &name, const QJsonObject &s, const QString &pointer, int scope, int owner)
    {
        StateNode node;
        node.name = name;
        node.pointer = pointer;
        node.scope = scope;
        node.parent = owner;

        const QJsonValue type = s.value(QStringLiteral("Type"));
        node.typeName = type.toString();
        node.type = stateTypeFromName(node.typeName);
        if (type.isUndefined())
            error(pointer + QStringLiteral("/Type"), QStringLiteral("Type is missing"));
        else if (node.type == StateType::Unknown)
            error(pointer + QStringLiteral("/Type"),
                QStringLiteral("unknown state type \"%1\"")
                    .arg(type.isString() ? node.typeName : QStringLiteral("(not a string)")));

        const int index = int(m_graph.nodes.size());
        if (m_graph.m_index.contains(name)) {
            const StateNode &first = m_graph.nodes.at(m_graph.m_index.value(name));
            error(pointer, QStringLiteral("duplicate state name \"%1\" (also at %2)").arg(name, first.pointer));
        } else {
            m_graph.m_index.insert(name, index);
        }
        m_scopeNames[scope].insert(name, index);
        m_graph.nodes.append(node);
        return index;
    }

    // Next / End, and which of them the state's type allows.
    void parseTransition(const QJsonObject &s, const QString &pointer, int index)
    {
        StateNode &node = m_graph.nodes[index];
        const QJsonValue next = s.value(QStringLiteral("Next"));
        const QJsonValue end = s.value(QStringLiteral("End"));
        if (!next.isUndefined() && (!next.isString() || next.toString().isEmpty()))
            error(pointer + QStringLiteral("/Next"), QStringLiteral("Next must be a non-empty string"));
        if (!end.isUndefined() && !end.isBool())
            error(pointer + QStringLiteral("/End"), QStringLiteral("End must be a boolean"));
        const bool hasNext = next.isString() && !next.toString().isEmpty();
        const bool isEnd = end.toBool(false);
        node.end = isEnd;
        if (hasNext) {
            node.next = next.toString();
            m_pending.append({ index, next.toString(), EdgeKind::Next, pointer + QStringLiteral("/Next"), QString() });
        }

        switch (node.type) {
        case StateType::Task:
        case StateType::Pass:
        case StateType::Wait:
        case StateType::Parallel:
        case StateType::Map:
            if (hasNext && isEnd)
                error(pointer, QStringLiteral("state \"%1\" has both Next and End").arg(node.name));
            else if (!hasNext && !isEnd)
                error(pointer, QStringLiteral("state \"%1\" needs Next or \"End\": true").arg(node.name));
            break;
        case StateType::Choice:
            if (isEnd)
                error(pointer + QStringLiteral("/End"), QStringLiteral("a Choice state cannot End"));
            if (hasNext)
                error(pointer + QStringLiteral("/Next"),
                    QStringLiteral("a Choice state has no Next; use Choices and Default"));
            break;
        case StateType::Succeed:
        case StateType::Fail:
            node.end = true;
            if (hasNext)
                error(pointer + QStringLiteral("/Next"),
                    QStringLiteral("a %1 state cannot have Next").arg(node.typeName));
            break;
        case StateType::Unknown:
            break;
        }
    }

    // What each type adds: Resource, Choices, the Wait field, Error/Cause, branches, the iterator.
    void parseTypeFields(const QJsonObject &s, const QString &pointer, int index, int depth)
    {
        switch (m_graph.nodes.at(index).type) {
        case StateType::Task: {
            const QJsonValue resource = s.value(QStringLiteral("Resource"));
            if (!resource.isString() || resource.toString().isEmpty())
                error(pointer + QStringLiteral("/Resource"), QStringLiteral("a Task state needs a Resource"));
            m_graph.nodes[index].resource = resource.toString();
            break;
        }
        case StateType::Choice:
            parseChoice(s, pointer, index);
            break;
        case StateType::Wait: {
            int n = 0;
            for (const char *key : { "Seconds", "SecondsPath", "Timestamp", "TimestampPath" })
                n += s.contains(QLatin1String(key)) ? 1 : 0;
            if (n != 1)
                error(pointer,
                    QStringLiteral("a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath"));
            break;
        }
        case StateType::Fail:
            m_graph.nodes[index].error = s.value(QStringLiteral("Error")).toString();
            m_graph.nodes[index].cause = s.value(QStringLiteral("Cause")).toString();
            if (s.contains(QStringLiteral("Error")) && s.contains(QStringLiteral("ErrorPath")))
                error(pointer, QStringLiteral("a Fail state takes Error or ErrorPath, not both"));
            if (s.contains(QStringLiteral("Cause")) && s.contains(QStringLiteral("CausePath")))
                error(pointer, QStringLiteral("a Fail state takes Cause or CausePath, not both"));
            break;
        case StateType::Parallel:
            parseBranches(s, pointer, index, depth);
            break;
        case StateType::Map:
            parseIterator(s, pointer, index, depth);
            break;
        default:
            break;
        }
    }

    void parseBranches(const QJsonObject &s, const QString &pointer, int index, int depth)
    {
        const QJsonValue branches = s.value(QStringLiteral("Branches"));
        const QString bp = pointer + QStringLiteral("/Branches");
        if (!branches.isArray() || branches.toArray().isEmpty()) {
            error(bp, QStringLiteral("a Parallel state needs a non-empty Branches array"));
            return;
        }
        const QJsonArray list = branches.toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            parseNested(
                list.at(i), bp + u'/' + QString::number(i), index, depth, QStringLiteral("branch %1").arg(i + 1));
    }

    void parseIterator(const QJsonObject &s, const QString &pointer, int index, int depth)
    {
        QString key = QStringLiteral("ItemProcessor");
        if (!s.contains(key) && s.contains(QStringLiteral("Iterator")))
            key = QStringLiteral("Iterator");
        if (!s.contains(key)) {
            error(pointer + QStringLiteral("/ItemProcessor"),
                QStringLiteral("a Map state needs an ItemProcessor (or Iterator)"));
            return;
        }
        parseNested(s.value(key), pointer + u'/' + key, index, depth, QStringLiteral("iterator"));
    }

    // Retry and Catch: only Task, Parallel and Map handle errors.
    void parseErrorHandlers(const QJsonObject &s, const QString &pointer, int index)
    {
        const StateType type = m_graph.nodes.at(index).type;
        const QString typeName = m_graph.nodes.at(index).typeName;
        const bool canHandleErrors = type == StateType::Task || type == StateType::Parallel || type == StateType::Map;
        for (const QString &key : { QStringLiteral("Retry"), QStringLiteral("Catch") }) {
            if (!s.contains(key))
                continue;
            if (!canHandleErrors && type != StateType::Unknown) {
                error(pointer + u'/' + key, QStringLiteral("a %1 state cannot have %2").arg(typeName, key));
                continue;
            }
            const QJsonValue v = s.value(key);
            if (!v.isArray()) {
                error(pointer + u'/' + key, QStringLiteral("%1 must be an array").arg(key));
                continue;
            }
            const QJsonArray list = v.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString ip = pointer + u'/' + key + u'/' + QString::number(i);
                if (key == QLatin1String("Retry"))
                    parseRetrier(list.at(i), ip, index, i == list.size() - 1);
                else
                    parseCatcher(list.at(i), ip, index, i == list.size() - 1);
            }
        }
    }

    void parseNested(const QJsonValue &value, const QString &pointer, int owner, int depth, const QString &label)
    {
        if (!value.isObject()) {
            error(pointer, QStringLiteral("must be an object with StartAt and States"));
            return;
        }
        if (depth + 1 > MaxDepth) {
            error(pointer, QStringLiteral("nested deeper than %1 levels").arg(MaxDepth));
            return;
        }
        const int scope = int(m_graph.scopes.size());
        parseScope(value.toObject(), pointer, owner, depth + 1);
        m_branchEdges.append({ owner, scope, label, pointer });
    }

    QStringList errorEquals(const QJsonObject &o, const QString &pointer, bool isLast)
    {
        const QJsonValue v = o.value(QStringLiteral("ErrorEquals"));
        QStringList out;
        if (!v.isArray() || v.toArray().isEmpty()) {
            error(pointer + QStringLiteral("/ErrorEquals"),
                QStringLiteral("ErrorEquals must be a non-empty array of error names"));
            return out;
        }
        const QJsonArray list = v.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (!list.at(i).isString() || list.at(i).toString().isEmpty())
                error(pointer + QStringLiteral("/ErrorEquals/") + QString::number(i),
                    QStringLiteral("error names must be non-empty strings"));
            else
                out.append(list.at(i).toString());
        }
        if (out.contains(StatesAll) && (out.size() != 1 || !isLast))
            error(pointer + QStringLiteral("/ErrorEquals"),
                QStringLiteral("States.ALL must appear alone and in the last entry"));
        return out;
    }

    void parseRetrier(const QJsonValue &value, const QString &pointer, int index, bool isLast)
    {
        if (!value.isObject()) {
            error(pointer, QStringLiteral("a retrier must be an object"));
            return;
        }
        const QJsonObject o = value.toObject();
        Retrier r;
        r.pointer = pointer;
        r.errorEquals = errorEquals(o, pointer, isLast);
        const QJsonValue attempts = o.value(QStringLiteral("MaxAttempts"));
        if (!attempts.isUndefined()) {
            const double d = attempts.toDouble(-1);
            if (!attempts.isDouble() || d < 0 || d != std::floor(d) || d > 99999999)
                error(pointer + QStringLiteral("/MaxAttempts"),
                    QStringLiteral("MaxAttempts must be an integer from 0 to 99999999"));
            else
                r.maxAttempts = int(d);
        }
        const QJsonValue interval = o.value(QStringLiteral("IntervalSeconds"));
        if (!interval.isUndefined()) {
            const double d = interval.toDouble(0);
            if (!interval.isDouble() || d < 1 || d != std::floor(d) || d > 99999999)
                error(pointer + QStringLiteral("/IntervalSeconds"),
                    QStringLiteral("IntervalSeconds must be an integer from 1 to 99999999"));
            else
                r.intervalSeconds = d;
        }
        const QJsonValue backoff = o.value(QStringLiteral("BackoffRate"));
        if (!backoff.isUndefined()) {
            const double d = backoff.toDouble(0);
            if (!backoff.isDouble() || !(d >= 1.0))
                error(pointer + QStringLiteral("/BackoffRate"),
                    QStringLiteral("BackoffRate must be a number of at least 1.0"));
            else
                r.backoffRate = d;
        }
        m_graph.nodes[index].retriers.append(r);
    }

    void parseCatcher(const QJsonValue &value, const QString &pointer, int index, bool isLast)
    {
        if (!value.isObject()) {
            error(pointer, QStringLiteral("a catcher must be an object"));
            return;
        }
        const QJsonObject o = value.toObject();
        Catcher c;
        c.pointer = pointer;
        c.errorEquals = errorEquals(o, pointer, isLast);
        c.resultPath = o.value(QStringLiteral("ResultPath")).toString();
        const QJsonValue next = o.value(QStringLiteral("Next"));
        if (!next.isString() || next.toString().isEmpty()) {
            error(pointer + QStringLiteral("/Next"), QStringLiteral("a catcher needs Next"));
        } else {
            c.next = next.toString();
            m_pending.append({ index, c.next, EdgeKind::Catch, pointer + QStringLiteral("/Next"),
                c.errorEquals.join(QStringLiteral(", ")) });
        }
        m_graph.nodes[index].catchers.append(c);
    }

    void parseChoice(const QJsonObject &s, const QString &pointer, int index)
    {
        const QJsonValue choices = s.value(QStringLiteral("Choices"));
        const QString cp = pointer + QStringLiteral("/Choices");
        if (!choices.isArray() || choices.toArray().isEmpty()) {
            error(cp, QStringLiteral("a Choice state needs a non-empty Choices array"));
        } else {
            const QJsonArray list = choices.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QString rp = cp + u'/' + QString::number(i);
                const QJsonValue next = list.at(i).toObject().value(QStringLiteral("Next"));
                if (!list.at(i).isObject())
                    error(rp, QStringLiteral("a choice rule must be an object"));
                else if (!next.isString() || next.toString().isEmpty())
                    error(rp + QStringLiteral("/Next"), QStringLiteral("a choice rule needs Next"));
                else {
                    m_graph.nodes[index].choiceNexts.append(next.toString());
                    m_pending.append({ index, next.toString(), EdgeKind::Choice, rp + QStringLiteral("/Next"),
                        QStringLiteral("rule %1").arg(i + 1) });
                }
            }
        }
        const QJsonValue def = s.value(QStringLiteral("Default"));
        if (!def.isUndefined()) {
            if (!def.isString() || def.toString().isEmpty()) {
                error(pointer + QStringLiteral("/Default"), QStringLiteral("Default must be a non-empty string"));
            } else {
                m_graph.nodes[index].defaultNext = def.toString();
                m_pending.append(
                    { index, def.toString(), EdgeKind::Default, pointer + QStringLiteral("/Default"), QString() });
            }
        }
    }

    void resolve()
    {
        for (qsizetype s = 0; s < m_graph.scopes.size(); ++s) {
            const QString &start = m_scopeStartNames.at(s);
            if (start.isEmpty())
                continue;
            const int idx = m_scopeNames.at(s).value(start, -1);
            if (idx < 0)
                error(m_graph.scopes.at(s).pointer + QStringLiteral("/StartAt"),
                    QStringLiteral("StartAt names a missing state \"%1\"").arg(start));
            m_graph.scopes[s].start = idx;
        }
        for (const BranchEdge &b : std::as_const(m_branchEdges)) {
            const int to = m_graph.scopes.at(b.scope).start;
            if (to >= 0)
                m_graph.edges.append({ b.owner, to, EdgeKind::Branch, b.pointer, b.label });
        }
        for (const Pending &p : std::as_const(m_pending)) {
            const int scope = m_graph.nodes.at(p.from).scope;
            const int to = m_scopeNames.at(scope).value(p.target, -1);
            if (to >= 0) {
                m_graph.edges.append({ p.from, to, p.kind, p.pointer, p.label });
            } else if (m_graph.m_index.contains(p.target)) {
                error(p.pointer,
                    QStringLiteral(
                        "\"%1\" is in another scope; transitions cannot leave a Parallel branch or Map iterator")
                        .arg(p.target));
            } else {
                error(p.pointer, QStringLiteral("names a missing state \"%1\"").arg(p.target));
            }
        }
    }

    void checkReachable()
    {
        QList<QList<int>> out(m_graph.nodes.size());
        for (const StateEdge &e : std::as_const(m_graph.edges))
            if (e.kind != EdgeKind::Branch)
                out[e.from].append(e.to);
        QList<bool> seen(m_graph.nodes.size(), false);
        QList<int> stack;
        for (const ScopeInfo &scope : std::as_const(m_graph.scopes))
            if (scope.start >= 0)
                stack.append(scope.start);
        while (!stack.isEmpty()) {
            const int n = stack.takeLast();
            if (seen.at(n))
                continue;
            seen[n] = true;
            for (int t : out.at(n))
                if (!seen.at(t))
                    stack.append(t);
        }
        for (qsizetype i = 0; i < m_graph.nodes.size(); ++i) {
            if (!seen.at(i)) {
                const StateNode &n = m_graph.nodes.at(i);
                // A state inside a scope that is itself never reached is reported once, at the scope's owner.
                const int owner = n.parent;
                if (owner >= 0 && !seen.at(owner))
                    continue;
                error(n.pointer, QStringLiteral("state \"%1\" is unreachable from StartAt").arg(n.name));
            }
        }
    }

    struct BranchEdge {
        int owner;
        int scope;
        QString label;
        QString pointer;
    };

    QString m_file;
    StateGraph m_graph;
    QList<QHash<QString, int>> m_scopeNames;
    QStringList m_scopeStartNames;
    QList<Pending> m_pending;
    QList<BranchEdge> m_branchEdges;
};

Core::SourceLocation offsetLocation(const QByteArray &json, qsizetype offset, const QString &file)
{
    Core::SourceLocation loc;
    loc.file = file;
    loc.line = 1;
    loc.column = 1;
    const qsizetype end = qBound<qsizetype>(0, offset, json.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (json.at(i) == '\n') {
            ++loc.line;
            loc.column = 1;
        } else {
            ++loc.column;
        }
    }
    return loc;
}

} // namespace

QString stateTypeName(StateType type)
{
    switch (type) {
    case StateType::Task:
        return QStringLiteral("Task");
    case StateType::Pass:
        return QStringLiteral("Pass");
    case StateType::Choice:
        return QStringLiteral("Choice");
    case StateType::Wait:
        return QStringLiteral("Wait");
    case StateType::Succeed:
        return QStringLiteral("Succeed");
    case StateType::Fail:
        return QStringLiteral("Fail");
    case StateType::Parallel:
        return QStringLiteral("Parallel");
    case StateType::Map:
        return QStringLiteral("Map");
    case StateType::Unknown:
        break;
    }
    return QString();
}

StateType stateTypeFromName(const QString &name)
{
    for (StateType t : { StateType::Task, StateType::Pass, StateType::Choice, StateType::Wait, StateType::Succeed,
             StateType::Fail, StateType::Parallel, StateType::Map })
        if (stateTypeName(t) == name)
            return t;
    return StateType::Unknown;
}

QString edgeKindName(EdgeKind kind)
{
    switch (kind) {
    case EdgeKind::Next:
        return QStringLiteral("next");
    case EdgeKind::Default:
        return QStringLiteral("default");
    case EdgeKind::Choice:
        return QStringLiteral("choice");
    case EdgeKind::Catch:
        return QStringLiteral("catch");
    case EdgeKind::Branch:
        return QStringLiteral("branch");
    }
    return QString();
}

QString jsonPointerToken(const QString &token)
{
    QString out = token;
    out.replace(u'~', QStringLiteral("~0"));
    out.replace(u'/', QStringLiteral("~1"));
    return out;
}

QList<int> StateGraph::successors(int node, std::initializer_list<EdgeKind> kinds) const
{
    QList<int> out;
    for (const StateEdge &e : edges)
        if (e.from == node && std::find(kinds.begin(), kinds.end(), e.kind) != kinds.end())
            out.append(e.to);
    return out;
}

StateGraph parseDefinition(const QJsonObject &definition, const QString &file)
{
    return Parser(file).run(definition);
}

StateGraph parseDefinition(const QByteArray &json, const QString &file)
{
    Parser fail(file);
    if (json.size() > MaxDefinitionBytes) {
        StateGraph g;
        g.errors.append(Core::Error(
            QStringLiteral("definition is %1 bytes; the limit is %2").arg(json.size()).arg(MaxDefinitionBytes),
            fail.where(QString())));
        return g;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        StateGraph g;
        g.errors.append(Core::Error(
            QStringLiteral("not valid JSON: %1").arg(pe.errorString()), offsetLocation(json, pe.offset, file)));
        return g;
    }
    if (!doc.isObject()) {
        StateGraph g;
        g.errors.append(
            Core::Error(QStringLiteral("a state machine definition must be a JSON object"), fail.where(QString())));
        return g;
    }
    return parseDefinition(doc.object(), file);
}

bool sameStates(const StateGraph &a, const StateGraph &b)
{
    if (a.nodes.size() != b.nodes.size() || a.edges.size() != b.edges.size() || a.scopes.size() != b.scopes.size())
        return false;
    for (qsizetype i = 0; i < a.nodes.size(); ++i) {
        const StateNode &x = a.nodes.at(i);
        const StateNode &y = b.nodes.at(i);
        if (x.name != y.name || x.type != y.type || x.scope != y.scope || x.parent != y.parent || x.end != y.end)
            return false;
    }
    for (qsizetype i = 0; i < a.edges.size(); ++i) {
        const StateEdge &x = a.edges.at(i);
        const StateEdge &y = b.edges.at(i);
        if (x.from != y.from || x.to != y.to || x.kind != y.kind || x.label != y.label)
            return false;
    }
    return true;
}

} // namespace Bramble::Saga
