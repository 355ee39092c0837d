#pragma once

#include "asl/execution.h"
#include "asl/jsonpathio.h"
#include "asl/retrycatch.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

// The interpreter's inside, shared by execution.cpp, scoperun.cpp and
// mapparallel.cpp. Not installed, not for other libraries.

namespace Bramble::LocalRuntime::Asl {

// How a scope (the top level, a Parallel branch, a Map iteration) ended.
struct Flow {
    bool ok = true;
    QJsonValue output;
    QString error;
    QString cause;
    qint64 last = 0; // the scope's last event id
};

// The item a Map iteration was made from, for $$.Map.Item in ItemSelector.
struct MapItem {
    int index = -1;
    QJsonValue value;
};

class ScopeRun;

// The children of a running Parallel (one per branch) or Map (one per item).
struct Container {
    bool isMap = false;
    QJsonArray items; // Map: the items; Parallel: the branches
    QJsonObject processor; // Map: {StartAt, States}
    QJsonValue childInput; // Parallel: the input of every branch
    std::vector<ScopeRun *> children; // owned through QObject parenting
    std::vector<bool> running;
    QJsonArray results;
    int next = 0;
    int active = 0;
    int done = 0;
    int failed = 0;
    int maxConcurrency = 0;
    double toleratedCount = -1;
    double toleratedPercent = -1;
    qint64 last = 0;
    bool over = false;
    bool pumping = false;
    bool again = false;

    void clear(); // for a new attempt: children deleted later, counters reset
};

// One execution's shared parts: the spec, the task runner, the history
// (ids, links, the 25,000-event cap) and how it ends.
class Engine {
public:
    Engine(Execution *q, ExecutionSpec spec, TaskRunner *runner);
    ~Engine();

    // Appends one event (the details member is named after the type, or
    // `detailsKey` when given) and returns its id. After the execution has
    // ended or halted, or when only the terminal event still fits, nothing
    // is written and the last id is returned.
    qint64 append(
        const QString &type, qint64 previous, const QJsonObject &details = {}, const QString &detailsKey = {});
    qint64 lastId() const { return m_nextId - 1; }
    bool halted() const { return m_halted; }

    void start();
    void stop(const QString &error, const QString &cause);
    void topDone(const Flow &flow);
    void checkpoint(const QString &state, const QJsonValue &input, const QJsonObject &variables);
    void retryPlanned(const QString &state, int retry, double delaySeconds);

    // The context object for a state of this execution.
    QJsonObject context(
        const QString &stateName, const QString &enteredTime, int retryCount, const std::optional<MapItem> &item) const;

    Execution *q;
    ExecutionSpec spec;
    TaskRunner *runner;
    QString region;
    bool running = false;

private:
    // Writes the terminal event (after `previous`, -1: the last event) and
    // signals finished() from the event loop.
    void end(const QString &type, const QJsonObject &details, const ExecutionEnd &end, qint64 previous = -1);
    void hitCap();

    qint64 m_nextId = 1;
    bool m_halted = false;
    bool m_ended = false;
    QJsonObject m_execution;
    QJsonObject m_stateMachine;
    ScopeRun *m_top = nullptr;
    QTimer m_timeout;
};

// Runs the states of one scope from a start state until it ends, one state
// at a time: synchronous states in a loop (no recursion, so long loops and
// big Maps cost no stack), Tasks, Waits, backoffs, Parallels and Maps
// asynchronously. `done` is called once, unless the run is cancelled.
class ScopeRun : public QObject {
public:
    using Done = std::function<void(const Flow &)>;

    ScopeRun(Engine *engine, QJsonObject states, QString start, QJsonValue input, qint64 previous,
        QJsonObject variables, bool top, Done done, QObject *parent = nullptr);
    ~ScopeRun() override;

    void start();
    // Stops what runs (tasks cancelled, timers stopped, children cancelled).
    // With writeAborted, the open Task/Wait/Parallel/Map gets its
    // *StateAborted event. `done` is not called.
    void cancel(bool writeAborted);
    qint64 last() const { return m_last; }

private:
    void run();
    void resume();
    void step();
    void enter();
    void leave(const QJsonValue &output, qint64 last, const QString &next, const QJsonObject &assigned);
    void finishState(const QJsonValue &result, qint64 last, const QJsonValue &assignInput);
    void failState(const QString &error, const QString &cause, qint64 last);
    void finishScope(const Flow &flow);
    QJsonObject assign(const QJsonValue &assignSpec, const QJsonValue &input);
    QJsonObject contextObject(const std::optional<MapItem> &item = std::nullopt) const;
    PathEnv env(const QJsonValue &input) const;
    QString stringOrIntrinsic(const QString &expr, const PathEnv &e, const QString &field);
    QString runtimeCause(const QString &cause) const;
    void wait(double seconds, std::function<void()> then);
    void armWait();

    void runPass();
    void runChoice();
    void runWait();
    void runTask();
    void startAttempt();
    void attemptEnded(
        bool ok, const QJsonValue &output, const QString &error, const QString &cause, const QString &failType);
    void retryOrFail(const QString &error, const QString &cause, qint64 last);
    void taskTimedOut();

    // mapparallel.cpp
    void runParallel();
    void runMap();
    void startContainer();
    void pumpMap();
    void childDone(int index, const Flow &flow);
    void containerFailed(const QString &error, const QString &cause, qint64 last, int except);
    void abortChildren(int except, bool writeAborted);
    void containerSucceeded();

    Engine *m_engine;
    QJsonObject m_states;
    bool m_top;
    Done m_done;
    QJsonObject m_vars;
    qint64 m_last;

    // The state being run.
    QString m_name;
    QJsonObject m_state;
    QString m_type;
    QJsonValue m_input; // raw state input
    QJsonValue m_effective; // after InputPath
    qint64 m_enteredId = 0;
    QString m_enteredTime;
    std::optional<RetryPolicy> m_retry;
    QString m_next; // the state to enter next, empty when the scope ends after this one

    bool m_looping = false;
    bool m_pending = false;
    bool m_finished = false;
    bool m_cancelled = false;
    bool m_open = false; // entered and not left yet
    std::function<void()> m_afterWait;
    qint64 m_waitLeftMs = 0; // of a wait longer than one QTimer interval

    // Task
    QPointer<TaskCall> m_job;
    QJsonValue m_parameters;
    int m_timeoutSeconds = 0;
    int m_heartbeatSeconds = 0; // accepted and reported; nothing sends heartbeats
    QString m_eventPrefix; // "Task", "LambdaFunction", "Activity"
    QJsonObject m_resourceDetails; // resourceType/resource for Task* events
    qint64 m_attemptLast = 0;
    QTimer m_timer;
    QTimer m_taskTimer;

    std::unique_ptr<Container> m_container;
};

} // namespace Bramble::LocalRuntime::Asl
