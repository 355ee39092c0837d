#pragma once

#include <QString>

namespace Bramble::LocalRuntime::Asl {

// A Step Functions runtime error raised while evaluating a state's data
// fields ("States.Runtime", "States.IntrinsicFailure", ...). Internal to
// bramble_localasl: thrown by the evaluators and caught by the interpreter,
// which turns it into the state's failure; it never leaves the library.
struct StatesFault {
    QString error;
    QString cause;
};

inline StatesFault runtimeFault(const QString &cause)
{
    return StatesFault { QStringLiteral("States.Runtime"), cause };
}

} // namespace Bramble::LocalRuntime::Asl
