#pragma once

#include "aws/awserror.h"

#include <QJsonArray>
#include <QJsonObject>
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
// as GetLogEvents does at the end of a stream). Returns at once from the
// client; emits pageReceived() per page and finished() once, then deletes
// itself. Each page is a call with the transport's retries.
class AwsPager : public QObject {
    Q_OBJECT

public:
    AwsPager(AwsTransport *transport, const ServiceInfo &service, PageSpec spec);

    const QJsonArray &items() const { return m_items; }
    const AwsError &error() const { return m_error; }
    int pageCount() const { return m_pages; }
    bool isFinished() const { return m_finished; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void pageReceived(const QJsonArray &items, const QJsonObject &page);
    void finished();

private:
    void request(const QJsonValue &token);
    void finish(const AwsError &error);

    AwsTransport *m_transport;
    const ServiceInfo &m_service;
    PageSpec m_spec;
    QPointer<AwsCall> m_call;
    QJsonArray m_items;
    AwsError m_error;
    int m_pages = 0;
    bool m_finished = false;
};

} // namespace Bramble::Aws
