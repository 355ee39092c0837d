#pragma once

#include "runtime/httpserver.h"

#include <QJsonObject>
#include <QString>

namespace Bramble::LocalRuntime {

class SfnApi;
class TableStore;

// Turns HTTP requests into API calls, as AWS's JSON 1.0 endpoints do:
// POST with `X-Amz-Target: AWSStepFunctions.<Op>` or
// `DynamoDB_20120810.<Op>`, a JSON object body, and a SigV4 Authorization
// header (its shape is checked, its signature is not). Answers carry
// `x-amzn-RequestId`; errors are `{"__type", "message"}` with their status.
class ApiRouter {
public:
    ApiRouter(SfnApi *sfn, TableStore *tables);

    HttpResponse handle(const HttpRequest &request);

    // The error answer of a JSON 1.0 service.
    static HttpResponse errorResponse(
        int status, const QString &type, const QString &message, const QJsonObject &extra = {});

private:
    SfnApi *m_sfn;
    TableStore *m_tables;
};

} // namespace Bramble::LocalRuntime
