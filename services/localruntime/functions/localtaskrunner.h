#pragma once

#include "asl/taskrunner.h"
#include "core/error.h"
#include "core/job.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace Bramble::LocalRuntime {

class TableStore;

// One function of the functions file (local-runtime.md, issue 16):
//   functions:
//     ProcessRecords: {command: [python3, /path/process.py, --flag]}   # argv, no shell
//     TransformRecords: {http: {url: "http://127.0.0.1:9000/transform"}}
//     CommitRecords: {openfaas: {name: commit-records, namespace: openfaas-fn}}
//     SampleStep: {builtin: seed-saga}
struct FunctionBinding {
    enum class Kind { Command, Http, OpenFaas, Builtin };
    Kind kind = Kind::Builtin;
    QStringList argv; // Command
    // Command: where it runs, so that relative paths in argv are relative to
    // the functions file (parse() sets the file's directory; empty: ours).
    QString workingDirectory;
    QUrl url; // Http
    QString openFaasName; // OpenFaas
    QString openFaasNamespace = QStringLiteral("openfaas-fn");
    QString builtin; // Builtin: "seed-saga"
};

// The functions file: function name -> binding, in file order.
struct FunctionsConfig {
    QList<QPair<QString, FunctionBinding>> functions;

    const FunctionBinding *find(const QString &functionName) const;
    // Reads and checks a functions file (bounded read, yaml-cpp); errors name
    // file, line and key.
    static Core::Result<FunctionsConfig> load(const QString &path);
    static Core::Result<FunctionsConfig> parse(const QByteArray &yaml, const QString &file = {});
    QByteArray toYaml() const;
    // The seed sample's bindings: every saga-<State> function on builtin seed-saga.
    static FunctionsConfig seedSample();
};

// Step Functions Local's MockConfigFile (local-runtime.md §1.1), checked as
// LocalStack's parser checks it.
class MockConfig {
public:
    static Core::Result<MockConfig> load(const QString &path);
    static Core::Result<MockConfig> parse(const QByteArray &json, const QString &file = {});
    bool hasTestCase(const QString &stateMachineName, const QString &testCase) const;
    // The mocked outcome of the `invocation`-th call (0-based) of `state` in
    // that test case; nullopt when the state is not mocked (it runs for real).
    // An invocation past the last entry fails the task.
    std::optional<TaskOutcome> outcome(
        const QString &stateMachineName, const QString &testCase, const QString &state, int invocation) const;

private:
    QJsonObject m_machines;
    QJsonObject m_responses;
};

// Reaches an OpenFaaS function: the runtime gives a factory that, from the
// function's name and namespace and the event, makes a job answering with
// the HTTP status and body (through the Kubernetes API server's service
// proxy in the app; a plain URL in tests).
struct HttpAnswer {
    int status = 0;
    QByteArray body;
};
using OpenFaasInvoker
    = std::function<Core::ValueJob<HttpAnswer> *(const QString &name, const QString &ns, const QByteArray &event)>;

// Runs Task states locally: Lambda resources (`arn:aws:states:::lambda:invoke`,
// shaped {"ExecutedVersion", "Payload", "StatusCode", ...}; plain function
// ARNs, the payload itself) by function name through the functions config;
// `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem` against
// the TableStore (errors DynamoDB.<Code>), and `aws-sdk:dynamodb:<action>`
// for the store's operations (errors DynamoDb.<Code>); mock config test cases
// first.
// An unknown function fails with Lambda.ResourceNotFoundException.
class LocalTaskRunner : public TaskRunner {
public:
    LocalTaskRunner(FunctionsConfig functions, TableStore *tables);
    ~LocalTaskRunner() override;

    void setFunctions(FunctionsConfig functions);
    const FunctionsConfig &functions() const;
    void setMockConfig(std::optional<MockConfig> mocks);
    void setOpenFaasInvoker(OpenFaasInvoker invoker);
    // The manager http bindings post through (not owned; it must outlive the
    // runner's jobs). Without one the runner makes its own on first use.
    void setNetworkAccessManager(QNetworkAccessManager *network);
    // Drops the mock invocation counts of an execution that ended.
    void forgetExecution(const QString &executionArn);

    // Returns at once a job that is not started (see TaskRunner). Mocked
    // states (request.testCase, "Case" or "ARN#Case") answer from the mock
    // config, counting invocations per (executionArn, stateName). Lambda
    // tasks run their function's binding as it is at this call: a later
    // setFunctions() does not change a task already made. Function failures
    // follow functions/lambdaresource.h; a resource the runtime does not run
    // (activities, other services, .sync, .waitForTaskToken) fails with
    // States.Runtime naming it.
    TaskCall *call(const TaskRequest &request) override;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Bramble::LocalRuntime
