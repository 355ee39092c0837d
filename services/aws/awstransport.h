#pragma once

#include "aws/awserror.h"
#include "aws/endpoints.h"
#include "aws/retrypolicy.h"
#include "aws/sigv4.h"
#include "core/job.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace Bramble::Aws {

class AwsTransport;
class CredentialsJob;
class CredentialsProvider;

// One request to one AWS service, before signing.
struct AwsRequest {
    const ServiceInfo *service = nullptr;
    QString operation; // "ListStateMachines": for errors and logs
    QByteArray method = "POST";
    QByteArray target = "/"; // path and query, percent-encoded, appended to the endpoint's path
    HttpHeaders headers; // Content-Type, X-Amz-Target ...
    QByteArray body;
    bool sign = true; // false for the SSO portal, which takes a bearer token
};

struct AwsResponse {
    int httpStatus = 0;
    HttpHeaders headers;
    QByteArray body;
    QJsonObject json; // the parsed body: JSON for JSON services, the XML result converted for Query
    Core::Error error; // null on success

    bool ok() const { return error.isNull(); }
    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
};

// One request with its retries: a Core::Job. AwsTransport returns it
// started; it emits finished() exactly once, later (also after cancel()),
// and then deletes itself (deleteLater) unless setAutoDelete(false), so read
// response() in the slot connected to finished(). error() is
// response().error: null on success. Progress tells a retry's wait.
class AwsCall : public Core::Job {
    Q_OBJECT

public:
    ~AwsCall() override;

    // Status, headers and body of the last attempt, and the error.
    const AwsResponse &response() const { return m_response; }
    const AwsRequest &request() const { return m_request; }
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    // A retry is scheduled after `error`, in `delayMs`.
    void retrying(const Bramble::Core::Error &error, int delayMs);

protected:
    void begin() override;
    void abort() override;

private:
    friend class AwsTransport;
    AwsCall(AwsTransport *transport, AwsRequest request);
    void startAttempt();
    void onCredentials(CredentialsJob *job);
    void onReplyFinished();
    void finish(Core::Error error);
    void dropReply();

    QPointer<AwsTransport> m_transport;
    AwsRequest m_request;
    AwsResponse m_response;
    QPointer<QNetworkReply> m_reply;
    QPointer<CredentialsJob> m_credentialsJob;
    QTimer *m_timer = nullptr; // per-attempt timeout, then the retry delay
    int m_attempts = 0;
    int m_quotaTaken = 0;
    bool m_timedOut = false;
    bool m_oversized = false;
    bool m_refreshedCredentials = false;
};

// Sends signed requests to AWS services with the SDK's standard retries.
// One per client stack (profile + region); lives on the GUI thread (or the
// CLI's main thread); does not own the QNetworkAccessManager or the
// credentials provider, which must outlive it.
class AwsTransport : public QObject {
    Q_OBJECT

public:
    AwsTransport(
        QNetworkAccessManager *network, CredentialsProvider *credentials, QString region, QObject *parent = nullptr);

    QString region() const { return m_region; }

    // Where requests for `service` go; when unset, the default AWS endpoint
    // for the region.
    void setEndpoint(const ServiceInfo &service, const QUrl &url);
    QUrl endpoint(const ServiceInfo &service) const;

    // Per attempt: no complete answer within this many ms is a timeout (a Network error, retried).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    // Answers larger than this are refused (a Server error).
    void setMaxResponseBytes(qint64 bytes) { m_maxResponseBytes = bytes; }

    RetryPolicy &retryPolicy() { return m_retry; }
    CredentialsProvider *credentials() const { return m_credentials; }

    // Returns at once a started call (a child of the transport); it emits
    // finished() later.
    AwsCall *send(AwsRequest request);

    // The JSON 1.0/1.1 protocol: POST / with X-Amz-Target "<prefix>.<operation>".
    AwsCall *callJson(const ServiceInfo &service, const QString &operation, const QJsonObject &input);
    // The Query protocol (STS): a form body with Action and Version, XML answers.
    AwsCall *callQuery(
        const ServiceInfo &service, const QString &operation, const QList<QPair<QString, QString>> &parameters);

private:
    friend class AwsCall;
    QNetworkAccessManager *m_network;
    CredentialsProvider *m_credentials;
    QString m_region;
    QHash<QString, QUrl> m_endpoints; // by endpointPrefix
    RetryPolicy m_retry;
    int m_timeoutMs = 30000;
    qint64 m_maxResponseBytes = 64 * 1024 * 1024;
};

} // namespace Bramble::Aws
