#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace Bramble::Core {

// Where a problem was found: a file, a 1-based line (0 when unknown), a
// 1-based column (0 when unknown) and a key path inside the document
// ("contexts[1].context.cluster", or a JSON pointer for JSON input).
struct SourceLocation {
    QString file;
    int line = 0;
    int column = 0;
    QString key;

    bool isEmpty() const { return file.isEmpty() && line == 0 && key.isEmpty(); }
    // "file:line:column: key" with the empty parts left out; control
    // characters escaped and long parts elided (see oneLine()).
    QString toString() const;
};

// The one error type of every service, job and command. It keeps what kind
// of failure it was (so callers decide without parsing text), the message,
// where it comes from in a document (`where`), and, for a remote answer, the
// HTTP status, the service's own reason (AWS error code, Kubernetes
// Status.reason) and the operation ("ListStateMachines", "GET /api/v1/nodes").
struct Error {
    enum class Kind {
        Usage, // the command line or the call itself was wrong
        Input, // a file, a document or a value we were given is invalid
        Auth, // no usable credentials, or the server refused them (401, 403)
        NotFound, // what was asked for does not exist (404, ResourceNotFound...)
        Throttled, // the server asks us to slow down (429, ThrottlingException) and retries ran out
        Network, // refused, reset, DNS, TLS, timeout: no (complete) answer
        Server, // the server answered with another error (5xx, 409, a conflict, a bad answer)
        Cancelled, // cancel() was called
    };

    Kind kind = Kind::Input;
    QString message;
    SourceLocation where;
    int httpStatus = 0; // 0 when no HTTP answer was involved
    QString reason; // "ThrottlingException", "NotFound", "Expired" (no namespace prefix)
    QString operation; // "ListStateMachines", "GET /api/v1/nodes"; empty for local work
    int retryAfterMs = -1; // the server's Retry-After, when it sent one
    int attempts = 0; // how many times a request was sent (0: not a request)
    QString requestId; // the service's id for the failed request (AWS x-amzn-RequestId), for support cases

    Error() = default;
    Error(QString msg, SourceLocation loc = {})
        : message(std::move(msg))
        , where(std::move(loc))
    {
    }
    Error(Kind k, QString msg, SourceLocation loc = {})
        : kind(k)
        , message(std::move(msg))
        , where(std::move(loc))
    {
    }

    bool isNull() const { return message.isEmpty(); }
    bool is(Kind k) const { return !isNull() && kind == k; }

    // One line for people, never longer than a few hundred characters:
    // "file:line: key: message", or for a request
    // "operation: reason: message (HTTP 400, 3 attempts, request id R)".
    QString toString() const;

    // "usage", "input", "auth", "not found", "throttled", "network", "server", "cancelled".
    static QString kindName(Kind kind);
    // The kind an HTTP status implies when the body says nothing better.
    static Kind kindOfHttpStatus(int status);
};

using Errors = QList<Error>;

// Untrusted text made fit for a one-line message: control characters
// escaped (\n, \t, \0, \xNN), and text longer than `maxChars` cut in the
// middle with "…" so both ends stay readable.
QString oneLine(QStringView text, int maxChars = 200);

} // namespace Bramble::Core
