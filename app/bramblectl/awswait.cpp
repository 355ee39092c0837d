#include "awswait.h"

#include "cli.h"
#include "wait.h"

#include "aws/awspager.h"
#include "aws/awssession.h"

namespace Bramble::Cli {

Aws::AwsResponse waitFor(Aws::AwsCall *call)
{
    return Cli::waitFor<Aws::AwsCall>(call)->response();
}

PagedResult waitFor(Aws::AwsPager *pager)
{
    const std::unique_ptr<Aws::AwsPager> done = Cli::waitFor<Aws::AwsPager>(pager);
    return { done->items(), done->error() };
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
