#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Bramble::Saga {

// Amazon States Language (https://states-language.net/spec.html) turned into
// a graph of states and typed transitions. Pure functions on JSON already in
// memory: no I/O, safe on any thread, never throws or crashes on hostile input
// (bad input becomes Errors that name the JSON pointer of the offending field).

enum class StateType { Unknown, Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map };

QString stateTypeName(StateType type);
StateType stateTypeFromName(const QString &name); // Unknown for anything else

enum class EdgeKind {
    Next, // "Next" of a state
    Default, // "Default" of a Choice state
    Choice, // "Choices[i].Next"
    Catch, // "Catch[i].Next"
    Branch, // containment: a Parallel/Map state to the StartAt of one of its scopes
};

QString edgeKindName(EdgeKind kind); // "next", "default", "choice", "catch", "branch"

struct Retrier {
    QStringList errorEquals;
    double intervalSeconds = 1;
    int maxAttempts = 3;
    double backoffRate = 2.0;
    QString pointer;
};

struct Catcher {
    QStringList errorEquals;
    QString next;
    QString resultPath;
    QString pointer;
};

struct StateNode {
    QString name;
    StateType type = StateType::Unknown;
    QString typeName; // as written, for Unknown types
    QString pointer; // JSON pointer of the state object, "/States/ProcessRecords"
    int scope = 0; // 0: the top level; each Parallel branch / Map processor has its own
    int parent = -1; // node index of the enclosing Parallel/Map, -1 at the top level
    bool end = false; // "End": true, or a Succeed/Fail state
    QString next;
    QString defaultNext;
    QStringList choiceNexts;
    QList<Catcher> catchers;
    QList<Retrier> retriers;
    QString resource; // Task
    QString error; // Fail: "Error"
    QString cause; // Fail: "Cause"
    QList<int> scopes; // Parallel/Map: the scope ids it contains, in branch order

    bool isTerminal() const { return end || type == StateType::Succeed || type == StateType::Fail; }
    // Task, Parallel and Map do work (and may have side effects to compensate).
    bool isWork() const { return type == StateType::Task || type == StateType::Parallel || type == StateType::Map; }
};

struct StateEdge {
    int from = -1;
    int to = -1;
    EdgeKind kind = EdgeKind::Next;
    QString pointer; // JSON pointer of the field that makes the edge
    QString label; // Catch: ErrorEquals joined with ", "; Branch: "branch 1" / "iterator"
};

struct ScopeInfo {
    int start = -1; // node index of its StartAt, -1 when missing or unknown
    int owner = -1; // the Parallel/Map node that contains it, -1 for the top level
    QString pointer; // JSON pointer of the object holding StartAt/States ("" for the top level)
};

struct StateGraph {
    QList<StateNode> nodes;
    QList<StateEdge> edges;
    QList<ScopeInfo> scopes; // scopes[0] is the top level
    QString comment;
    Core::Errors errors; // the definition is invalid when not empty
    Core::Errors warnings;

    bool isValid() const { return errors.isEmpty() && !nodes.isEmpty(); }
    int start() const { return scopes.isEmpty() ? -1 : scopes.first().start; }
    // Index of the state called name, -1 when there is none (names are unique per definition).
    int indexOf(const QString &name) const { return m_index.value(name, -1); }
    QList<int> successors(int node, std::initializer_list<EdgeKind> kinds) const;

    QHash<QString, int> m_index;
};

// Parses a definition document. Size above 1 MiB (the AWS limit), malformed
// JSON and a non-object top level are errors; the graph keeps whatever could
// be read so a broken definition can still be drawn.
StateGraph parseDefinition(const QByteArray &json, const QString &file = {});
StateGraph parseDefinition(const QJsonObject &definition, const QString &file = {});

// The same states (name, type, nesting) and transitions (ends, kind, label),
// in the same order: what a drawing of the graph depends on.
bool sameStates(const StateGraph &a, const StateGraph &b);

// RFC 6901 escaping of one reference token ("a/b" -> "a~1b").
QString jsonPointerToken(const QString &token);

} // namespace Bramble::Saga
