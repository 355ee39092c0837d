#include "awswait.h"

#include "cli.h"

#include "aws/awspager.h"
#include "aws/awssession.h"

#include <QEventLoop>

namespace Bramble::Cli {

Aws::AwsResponse waitFor(Aws::AwsCall *call)
{
    // finished() always comes from the event loop, never from inside send().
    Aws::AwsResponse response;
    QEventLoop loop;
    QObject::connect(call, &Aws::AwsCall::finished, &loop, [&] {
        response = call->response();
        loop.quit();
    });
    loop.exec();
    return response;
}

PagedResult waitFor(Aws::AwsPager *pager)
{
    PagedResult result;
    QEventLoop loop;
    QObject::connect(pager, &Aws::AwsPager::finished, &loop, [&] {
        result.items = pager->items();
        result.error = pager->error();
        loop.quit();
    });
    loop.exec();
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
