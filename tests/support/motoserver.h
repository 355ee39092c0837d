#pragma once

#include "peerprocess.h"

#include <QProcessEnvironment>
#include <QUrl>

namespace Bramble::Test {

// moto's server (AWS emulation: Step Functions, CloudWatch Logs, DynamoDB,
// Secrets Manager, STS) on a free port of 127.0.0.1.
//
//     MotoServer moto;
//     QVERIFY2(moto.start(), qPrintable(moto.errorString()));
//     QVERIFY2(moto.enableStateMachineExecution(), qPrintable(moto.errorString()));
//     client.setEndpoint(moto.endpoint());
//
// Runs `moto_server -H 127.0.0.1 -p PORT` (found in PATH; `python3 -m moto.server`
// if there is no moto_server), with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
// "testing" and AWS_DEFAULT_REGION us-east-1 and no other AWS_* variable of the
// test's environment. Ready when GET /moto-api/ answers 200 (about 1-2 s).
// A fresh port is picked for every start attempt: read port() after start().
//
// moto's state lives in the process: each MotoServer starts empty, reset() empties
// it again. moto routes a request by its SigV4 credential scope (an unsigned
// request lands in its S3 emulation), so clients must sign.
class MotoServer : public PeerProcess {
public:
    MotoServer();

    quint16 port() const; // 0 before start()
    QUrl endpoint() const; // http://127.0.0.1:PORT (no trailing slash)

    // POST /moto-api/config {"stepfunctions":{"execute_state_machine":true}}: from
    // then on StartExecution runs the definition in moto's ASL interpreter instead
    // of only recording the call. moto's reply does not echo the stepfunctions
    // setting, so this can only check for a 2xx status. Blocking, 5 s at most;
    // false with errorString() set on failure.
    bool enableStateMachineExecution();
    // POST /moto-api/reset: forgets every resource of every service (state machines,
    // executions, tables, log groups...). The configuration set above survives it
    // (moto 5.2 keeps it in a module global). Blocking, 5 s at most; false with
    // errorString() set on failure.
    bool reset();

    // An environment for AWS clients started by tests (the aws CLI, bramblectl):
    // the test's environment without any AWS_* variable, plus testing credentials,
    // region us-east-1, AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE pointing at
    // empty files in directory() (the user's ~/.aws is never read) and 127.0.0.1 in
    // NO_PROXY. The endpoint is not set: pass endpoint() explicitly.
    QProcessEnvironment clientEnvironment() const;

protected:
    bool prepare(QString *error) override;

private:
    quint16 m_port = 0;
};

} // namespace Bramble::Test
