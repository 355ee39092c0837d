#pragma once

#include "core/job.h"
#include "functions/localtaskrunner.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace Bramble::LocalRuntime {

// POSTs one event (Content-Type: application/json) to a function's URL and
// ends with its answer, whatever the status (HttpAnswer). The job fails only
// when there is no answer: refused, reset, DNS, TLS (never ignored), the
// transfer timeout (15 minutes, Lambda's longest run), or a body past
// Lambda's payload limit (error reason "ResponseSizeTooLarge").
//
// A Core::Job on the thread of `network`: start() returns at once; cancel()
// aborts the request.
class HttpPostJob : public Core::ValueJob<HttpAnswer> {
    Q_OBJECT

public:
    HttpPostJob(QNetworkAccessManager *network, QUrl url, QByteArray body, QObject *parent = nullptr);
    ~HttpPostJob() override;

protected:
    void begin() override;
    void abort() override;

private:
    void onFinished();
    void stopReply();

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_url;
    QByteArray m_body;
    QPointer<QNetworkReply> m_reply; // the manager may go first: it owns its replies
    QByteArray m_answer;
};

} // namespace Bramble::LocalRuntime
