#pragma once

#include "core/error.h"
#include "core/job.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace Bramble::LocalRuntime {

class LocalTaskRunner;

// The local runtime (the embedded default): the Step Functions JSON 1.0 API
// (AWSStepFunctions.*) and the DynamoDB JSON 1.0 API (DynamoDB_20120810.*)
// on one loopback port, state machines, executions, histories and tables in
// SQLite under `dataDirectory`, executions run by asl/Execution with Task
// states on a LocalTaskRunner. Any SigV4-signed request is accepted
// (credentials are not checked, as Step Functions Local did). After a
// restart, executions that were running continue from their last checkpoint.
// Lives on the thread that creates it (the GUI thread in the app: all work is
// asynchronous and SQLite writes are small).
class Runtime : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString dataDirectory; // created when missing
        quint16 port = 0; // 0: a free port
        QString functionsFile; // empty: the seed sample's builtin bindings only
        QString mockConfigFile; // empty: none
        double timeScale = 1.0;
        QString region = QStringLiteral("us-east-1");
        QString account = QStringLiteral("123456789012");
    };

    explicit Runtime(QObject *parent = nullptr);
    ~Runtime() override;

    // Opens the data directory, resumes running executions and listens on
    // 127.0.0.1. Errors: the directory or database cannot be opened, the
    // functions/mock file is invalid, the port is taken.
    Core::Error start(const Options &options);
    void close();

    bool isListening() const;
    QUrl endpoint() const; // http://127.0.0.1:PORT
    const Options &options() const;
    LocalTaskRunner *taskRunner() const;

    // Deploys the seed sample (resources/sagas/seed-saga.asl.json as state
    // machine "seed-saga", table SagaTransactions, builtin functions) unless
    // a state machine of that name exists. Idempotent.
    Core::Error deploySeedSample();

Q_SIGNALS:
    // An execution started, changed status or ended (for views that follow).
    void executionChanged(const QString &executionArn);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace Bramble::LocalRuntime
