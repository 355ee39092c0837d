#include "runtime/apirouter.h"

#include "dynamodb/tablestore.h"
#include "runtime/sfnapi.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QUuid>

namespace Bramble::LocalRuntime {

namespace {

const QByteArray kJsonType = "application/x-amz-json-1.0";

QByteArray requestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

HttpResponse jsonResponse(int status, const QJsonObject &body)
{
    HttpResponse response;
    response.status = status;
    response.addHeader("Content-Type", kJsonType);
    response.addHeader("x-amzn-RequestId", requestId());
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

// AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/states/aws4_request, SignedHeaders=..., Signature=...
bool isSigV4Shaped(const QByteArray &authorization, QString *why)
{
    if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
        *why = QStringLiteral("Authorization header requires the AWS4-HMAC-SHA256 algorithm");
        return false;
    }
    QByteArray credential;
    bool signedHeaders = false;
    bool signature = false;
    for (const QByteArray &part : authorization.mid(17).split(',')) {
        const QByteArray item = part.trimmed();
        if (item.startsWith("Credential="))
            credential = item.mid(11);
        else if (item.startsWith("SignedHeaders=") && item.size() > 14)
            signedHeaders = true;
        else if (item.startsWith("Signature=") && item.size() > 10)
            signature = true;
    }
    if (credential.split('/').size() != 5 || !credential.endsWith("/aws4_request")) {
        *why = QStringLiteral("Authorization header requires 'Credential' parameter (AKID/date/region/service/"
                              "aws4_request)");
        return false;
    }
    if (!signedHeaders || !signature) {
        *why = QStringLiteral("Authorization header requires 'SignedHeaders' and 'Signature' parameters");
        return false;
    }
    return true;
}

} // namespace

ApiRouter::ApiRouter(SfnApi *sfn, TableStore *tables)
    : m_sfn(sfn)
    , m_tables(tables)
{
}

HttpResponse ApiRouter::errorResponse(int status, const QString &type, const QString &message, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("__type"), type);
    body.insert(QStringLiteral("message"), message);
    HttpResponse response = jsonResponse(status, body);
    response.addHeader("X-Amzn-ErrorType", type.mid(type.lastIndexOf(QLatin1Char('#')) + 1).toUtf8());
    return response;
}

HttpResponse ApiRouter::handle(const HttpRequest &request)
{
    const QByteArray target = request.header("x-amz-target");
    if (request.method != "POST") {
        return errorResponse(
            404, QStringLiteral("UnknownOperationException"), QStringLiteral("Only POST requests are served"));
    }
    if (!request.hasHeader("authorization") && !request.target.contains("X-Amz-Credential=")) {
        return errorResponse(400, QStringLiteral("MissingAuthenticationTokenException"),
            QStringLiteral("Request is missing Authentication Token"));
    }
    QString why;
    if (request.hasHeader("authorization") && !isSigV4Shaped(request.header("authorization"), &why))
        return errorResponse(400, QStringLiteral("IncompleteSignatureException"), why);

    const qsizetype dot = target.indexOf('.');
    const QByteArray service = dot > 0 ? target.left(dot) : QByteArray();
    const QString operation = dot > 0 ? QString::fromUtf8(target.mid(dot + 1)) : QString();
    const bool sfn = service == "AWSStepFunctions";
    const bool dynamo = service == "DynamoDB_20120810";
    if ((!sfn && !dynamo) || operation.isEmpty()) {
        return errorResponse(400, QStringLiteral("UnknownOperationException"),
            QStringLiteral("Unknown X-Amz-Target '%1'").arg(QString::fromUtf8(target.left(200))));
    }
    const QString prefix = dynamo ? QStringLiteral("com.amazonaws.dynamodb.v20120810#") : QString();

    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            return errorResponse(400, prefix + QStringLiteral("SerializationException"),
                error.error != QJsonParseError::NoError
                    ? QStringLiteral("The request body is not JSON: %1 at offset %2")
                          .arg(error.errorString())
                          .arg(error.offset)
                    : QStringLiteral("The request body must be a JSON object"));
        }
        body = document.object();
    }

    if (sfn) {
        const ApiAnswer answer = m_sfn->call(operation, body);
        if (!answer.ok())
            return errorResponse(answer.httpStatus, answer.errorType, answer.message);
        return jsonResponse(200, answer.body);
    }
    const DynamoAnswer answer = m_tables->call(operation, body);
    if (!answer.ok())
        return errorResponse(answer.httpStatus >= 400 ? answer.httpStatus : 400, prefix + answer.errorType,
            answer.message, answer.errorExtra);
    return jsonResponse(200, answer.body);
}

} // namespace Bramble::LocalRuntime
