#pragma once

#include "core/error.h"
#include "core/job.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Bramble::Aws {

class AwsCall;
class AwsTransport;
struct ServiceInfo;

// What to page through: an operation, its input, the list in each answer
// and the token that links the pages.
struct PageSpec {
    QString operation;
    QJsonObject input;
    QString itemsKey; // "stateMachines"
    QString inputToken = QStringLiteral("nextToken");
    QString outputToken = QStringLiteral("nextToken");
    int maxItems = 0; // stop after this many items; 0: all
};

// Follows a paginated JSON operation to its end: sends the first request,
// then one per token, until an answer has no token (or repeats the one sent,
// as GetLogEvents does at the end of a stream). A Core::Job whose value() is
// every item: start() returns at once (the clients return pagers started);
// pageReceived() per page, progressChanged() with the items and pages so far
// (done: items; total: maxItems, or -1), finished() once, then it deletes
// itself unless setAutoDelete(false). Each page is a call with the
// transport's retries; cancel() from a pageReceived() slot asks for no
// further page.
// A page's items as the objects they are (history events, executions):
// what the saga code keeps, instead of a QJsonArray of values.
QList<QJsonObject> objectItems(const QJsonArray &items);

class AwsPager : public Core::ValueJob<QJsonArray> {
    Q_OBJECT

public:
    // A child of `transport`.
    AwsPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec);

    // The items so far (all of them after a success, as value()).
    const QJsonArray &items() const { return m_items; }
    int pageCount() const { return m_pages; }

Q_SIGNALS:
    void pageReceived(const QJsonArray &items, const QJsonObject &page);

protected:
    void begin() override;
    void abort() override;

private:
    void request(const QJsonValue &token);
    void finish(Core::Error error);

    AwsTransport *m_transport;
    const ServiceInfo &m_service;
    PageSpec m_spec;
    QPointer<AwsCall> m_call;
    QJsonArray m_items;
    int m_pages = 0;
};

// A new pager, started: what the clients return.
AwsPager *startPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec);

} // namespace Bramble::Aws
