#pragma once

// What the saga commands share: the offline ones (sagacommands.cpp), the AWS
// ones (sagaawscommands.cpp) and the AWS session setup (awscommands.cpp).

#include "saga/aslgraph.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace Bramble::Aws {
class AwsSession;
}
namespace Bramble::Saga {
struct SagaAnalysis;
enum class SagaOutcome;
} // namespace Bramble::Saga

namespace Bramble::Cli {

struct Invocation;

// `sagas watch` ends with a code that says how the saga ended (scripts
// depend on them; 1 and 2 keep their usual meaning, 130 is SIGINT).
enum SagaExitCode : int {
    ExitCommitted = 0,
    ExitCompensated = 3,
    ExitCompensationFailed = 4,
    ExitFailedUncompensated = 5,
    ExitTimedOut = 6,
    ExitAborted = 7,
    ExitInterrupted = 130,
};

// Parses and checks a definition read from `source` (a file name or a state
// machine ARN); prints its warnings and errors on stderr. Null when invalid.
std::optional<Saga::StateGraph> checkDefinition(const Invocation &inv, const QByteArray &bytes, const QString &source);

// The analysis as `sagas analyze` prints it: SagaAnalysis::toJson() with
// --json, else outcome lines and a step table. Flushes.
void printSagaAnalysis(const Invocation &inv, const Saga::SagaAnalysis &analysis);

// The exit code of `sagas watch` (and `local run`) for an outcome.
int sagaExitCode(Saga::SagaOutcome outcome);

// --input, checked as Step Functions would (JSON, at most 256 KiB); nullopt
// after a usage error, with `code` set.
std::optional<QByteArray> executionInput(const Invocation &inv, const QString &command, int *code);

// "850 ms", "12.3 s"; "-" for a negative duration (not ended).
QString stepDuration(qint64 ms);

// The AWS session for --profile / --region / --endpoint-url, with an MFA
// prompt on the terminal; nullptr after printing why it cannot be used.
std::unique_ptr<Aws::AwsSession> openAwsSession(const Invocation &inv);

// sagas executions | show | watch | start (sagaawscommands.cpp).
int runSagasExecutions(Invocation &inv);
int runSagasShow(Invocation &inv);
int runSagasWatch(Invocation &inv);
int runSagasStart(Invocation &inv);

} // namespace Bramble::Cli
