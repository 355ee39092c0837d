#pragma once

#include "aws/awserror.h"
#include "aws/awstransport.h"

#include <QJsonArray>

namespace Bramble::Aws {
class AwsPager;
class AwsSession;
} // namespace Bramble::Aws

namespace Bramble::Cli {

struct Invocation;

// The CLI is synchronous: these run a local event loop until the job ends.
Aws::AwsResponse waitFor(Aws::AwsCall *call);

struct PagedResult {
    QJsonArray items;
    Aws::AwsError error;
};
PagedResult waitFor(Aws::AwsPager *pager);

// Prints the session's errors (one line each) and returns false when it is
// unusable (--verbose logs where each service's requests go).
bool checkSession(const Aws::AwsSession &session, const Invocation &inv);

// "2026-11-23T10:00:00.123Z"; empty for an invalid time.
QString isoTime(const QDateTime &time);

} // namespace Bramble::Cli
