#pragma once

#include "aws/awstransport.h"
#include "core/error.h"

#include <QDateTime>
#include <QJsonArray>

namespace Bramble::Aws {
class AwsPager;
class AwsSession;
} // namespace Bramble::Aws

namespace Bramble::Cli {

struct Invocation;

// Shorthands over Cli::waitFor() (wait.h) for the AWS commands: a call's
// response, a listing's items and error.
Aws::AwsResponse waitFor(Aws::AwsCall *call);

struct PagedResult {
    QJsonArray items;
    Core::Error error;
};
PagedResult waitFor(Aws::AwsPager *pager);

// Prints the session's errors (one line each) and returns false when it is
// unusable (--verbose logs where each service's requests go).
bool checkSession(const Aws::AwsSession &session, const Invocation &inv);

// "2026-11-23T10:00:00.123Z"; empty for an invalid time.
QString isoTime(const QDateTime &time);

} // namespace Bramble::Cli
