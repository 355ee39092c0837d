#pragma once

#include <QString>

namespace Bramble::Aws {

// What went wrong with one AWS call, after retries.
struct AwsError {
    enum Kind {
        None,
        Service, // the service answered with an error (code, message)
        Network, // connection refused, reset, DNS, TLS
        Timeout, // no answer within the request timeout
        Cancelled, // cancel() was called
        Credentials, // no usable credentials (names the profile and file)
        Protocol, // the answer could not be parsed
        Config, // no region, bad endpoint URL ...
    };

    Kind kind = None;
    QString code; // "ThrottlingException", "ResourceNotFoundException" (no namespace prefix)
    QString message; // the service's message, or ours
    int httpStatus = 0;
    QString requestId;
    QString operation; // "ListStateMachines"
    int attempts = 0; // how many times the request was sent

    bool isNull() const { return kind == None; }
    // One line for people: "ListStateMachines: ThrottlingException: Rate exceeded (HTTP 400, 3 attempts)".
    QString toString() const;
};

} // namespace Bramble::Aws
