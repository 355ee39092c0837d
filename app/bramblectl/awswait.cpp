#include "awswait.h"

#include "cli.h"
#include "wait.h"

#include "aws/awspager.h"
#include "aws/awssession.h"

namespace Bramble::Cli {

Aws::AwsResponse waitFor(Aws::AwsCall *call)
{
    Aws::AwsResponse response;
    waitUntil(call, &Aws::AwsCall::finished, [&] { response = call->response(); });
    return response;
}

PagedResult waitFor(Aws::AwsPager *pager)
{
    PagedResult result;
    waitUntil(pager, &Aws::AwsPager::finished, [&] {
        result.items = pager->items();
        result.error = pager->error();
    });
    return result;
}

bool checkSession(const Aws::AwsSession &session, const Invocation &inv)
{
    for (const Core::Error &e : session.errors())
        inv.err << "bramblectl: " << e.toString() << Qt::endl;
    return session.isValid();
}

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace Bramble::Cli
