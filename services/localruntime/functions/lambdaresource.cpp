#include "functions/lambdaresource.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <QUuid>

namespace Bramble::LocalRuntime {

namespace {

using Json = QJsonObject;

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

// Step Functions keeps at most 256 characters of an error name and 32,768 of
// a cause (step-functions.md §4.2).
TaskOutcome bounded(TaskOutcome outcome)
{
    if (outcome.error.size() > 256)
        outcome.error.truncate(256);
    if (outcome.cause.size() > 32768)
        outcome.cause.truncate(32768);
    return outcome;
}

// The payload a Lambda.Unknown cause quotes: kept short, as in the console.
QString shortText(const QByteArray &text)
{
    constexpr qsizetype Max = 4096;
    QString t = QString::fromUtf8(text).trimmed();
    if (t.size() > Max)
        t = t.left(Max) + u'\u2026';
    return t;
}

const QRegularExpression &qualifierPattern()
{
    static const QRegularExpression re(QStringLiteral("^(\\$LATEST|[A-Za-z0-9_-]{1,128})$"));
    return re;
}

bool validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(name).hasMatch();
}

} // namespace

QString LambdaFunctionRef::arn(const QString &defaultRegion, const QString &defaultAccount) const
{
    QString out
        = QStringLiteral("arn:aws:lambda:%1:%2:function:%3")
              .arg(region.isEmpty() ? defaultRegion : region, account.isEmpty() ? defaultAccount : account, name);
    if (!qualifier.isEmpty())
        out += u':' + qualifier;
    return out;
}

std::optional<LambdaFunctionRef> parseFunctionName(const QString &functionName)
{
    LambdaFunctionRef ref;
    QStringList parts = functionName.split(u':');
    if (parts.size() >= 7 && parts.at(0) == u"arn") {
        // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
        static const QRegularExpression region(QStringLiteral("^[a-z]{2}(-gov)?-[a-z]+-\\d$"));
        if (parts.size() > 8 || !parts.at(1).startsWith(u"aws") || parts.at(2) != u"lambda"
            || !region.match(parts.at(3)).hasMatch() || parts.at(5) != u"function")
            return std::nullopt;
        ref.region = parts.at(3);
        ref.account = parts.at(4);
        parts = parts.mid(4);
    }
    if (parts.size() >= 3 && parts.at(1) == u"function") {
        // ACCOUNT:function:NAME[:QUALIFIER]
        static const QRegularExpression account(QStringLiteral("^\\d{12}$"));
        if (parts.size() > 4 || !account.match(parts.at(0)).hasMatch())
            return std::nullopt;
        ref.account = parts.at(0);
        parts = parts.mid(2);
    } else if (!ref.region.isEmpty()) {
        return std::nullopt;
    }
    if (parts.isEmpty() || parts.size() > 2 || !validName(parts.at(0)))
        return std::nullopt;
    ref.name = parts.at(0);
    if (parts.size() == 2) {
        if (!qualifierPattern().match(parts.at(1)).hasMatch())
            return std::nullopt;
        if (parts.at(1) != u"$LATEST")
            ref.qualifier = parts.at(1);
    }
    return ref;
}

TaskResource classifyResource(const QString &resource)
{
    TaskResource r;
    static const QString integration = QStringLiteral("arn:aws:states:::");
    if (resource.startsWith(integration)) {
        const QString rest = resource.mid(integration.size());
        if (rest == u"lambda:invoke") {
            r.kind = TaskResource::Kind::LambdaInvoke;
            r.action = QStringLiteral("invoke");
        } else if (rest == u"dynamodb:getItem" || rest == u"dynamodb:putItem" || rest == u"dynamodb:updateItem"
            || rest == u"dynamodb:deleteItem") {
            r.kind = TaskResource::Kind::DynamoDb;
            r.action = rest.mid(9);
        } else if (rest.startsWith(u"aws-sdk:dynamodb:") && !rest.contains(u'.')) {
            static const QStringList actions { QStringLiteral("createTable"), QStringLiteral("describeTable"),
                QStringLiteral("listTables"), QStringLiteral("deleteTable"), QStringLiteral("putItem"),
                QStringLiteral("getItem"), QStringLiteral("updateItem"), QStringLiteral("deleteItem"),
                QStringLiteral("query"), QStringLiteral("scan") };
            if (actions.contains(rest.mid(17))) {
                r.kind = TaskResource::Kind::DynamoDbSdk;
                r.action = rest.mid(17);
            }
        }
        return r;
    }
    if (resource.startsWith(u"arn:") && resource.section(u':', 2, 2) == u"lambda" && parseFunctionName(resource))
        r.kind = TaskResource::Kind::LambdaArn;
    return r;
}

QString regionOfArn(const QString &arn)
{
    const QString region = arn.section(u':', 3, 3);
    return region.isEmpty() ? QStringLiteral("us-east-1") : region;
}

QString accountOfArn(const QString &arn)
{
    const QString account = arn.section(u':', 4, 4);
    return account.isEmpty() ? QStringLiteral("123456789012") : account;
}

QByteArray jsonText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJsonValue(const QByteArray &text, QString *why)
{
    // QJsonDocument takes only objects and arrays; a function may answer any
    // value ("ok", 42, null), so parse it as the one element of an array.
    const QByteArray trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        if (why)
            *why = QStringLiteral("empty");
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + trimmed + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (why)
            *why = error.error != QJsonParseError::NoError
                ? QStringLiteral("offset %1: %2").arg(qMax(0, error.offset - 1)).arg(error.errorString())
                : QStringLiteral("more than one value");
        return std::nullopt;
    }
    return doc.array().at(0);
}

QString newRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

TaskOutcome functionSucceeded(const QByteArray &answer)
{
    if (answer.trimmed().isEmpty())
        return TaskOutcome::success(QJsonValue::Null);
    QString why;
    const std::optional<QJsonValue> value = parseJsonValue(answer, &why);
    if (!value)
        return functionError(s("Runtime.MarshalError"),
            QStringLiteral("Unable to marshal response: the function's answer is not JSON (%1): %2")
                .arg(why, shortText(answer.left(200))));
    return TaskOutcome::success(*value);
}

TaskOutcome functionFailed(const QByteArray &answer, const QString &whatHappened)
{
    const std::optional<QJsonValue> value = parseJsonValue(answer);
    if (value && value->isObject()) {
        const QJsonValue type = value->toObject().value(u"errorType");
        if (type.isString() && !type.toString().isEmpty())
            return bounded(TaskOutcome::failure(type.toString(), QString::fromUtf8(answer.trimmed())));
    }
    QString payload;
    if (value && value->isObject()) {
        payload = QString::fromUtf8(jsonText(*value));
    } else {
        QString message = whatHappened;
        if (!answer.trimmed().isEmpty())
            message += QStringLiteral(": ") + shortText(answer);
        payload = QString::fromUtf8(jsonText(Json { { s("errorMessage"), message } }));
    }
    return bounded(TaskOutcome::failure(s("Lambda.Unknown"),
        QStringLiteral("The cause could not be determined because Lambda did not return an error type. "
                       "Returned payload: ")
            + payload));
}

TaskOutcome functionError(const QString &errorType, const QString &errorMessage)
{
    const Json cause { { s("errorType"), errorType }, { s("errorMessage"), errorMessage },
        { s("requestId"), newRequestId() }, { s("stackTrace"), QJsonArray() } };
    return bounded(TaskOutcome::failure(errorType, QString::fromUtf8(jsonText(cause))));
}

TaskOutcome lambdaServiceError(const QString &code, int httpStatus, const QString &message)
{
    return bounded(TaskOutcome::failure(QStringLiteral("Lambda.") + code,
        QStringLiteral("%1 (Service: AWSLambda; Status Code: %2; Error Code: %3; Request ID: %4; Proxy: null)")
            .arg(message)
            .arg(httpStatus)
            .arg(code, newRequestId())));
}

TaskOutcome httpFunctionAnswer(int status, const QByteArray &body, const QString &endpoint)
{
    if (status >= 200 && status < 300)
        return functionSucceeded(body);
    const std::optional<QJsonValue> value = parseJsonValue(body);
    const bool typed = value && value->isObject() && value->toObject().value(u"errorType").isString()
        && !value->toObject().value(u"errorType").toString().isEmpty();
    const QString answered = QStringLiteral("%1 answered HTTP %2").arg(endpoint).arg(status);
    if (!typed && status == 429)
        return lambdaServiceError(s("TooManyRequestsException"), 429, QStringLiteral("Rate exceeded: ") + answered);
    if (!typed && (status == 502 || status == 503 || status == 504))
        return lambdaServiceError(s("ServiceException"), status, answered);
    return functionFailed(body, answered);
}

QJsonValue lambdaInvokeResult(const QJsonValue &payload, const QString &qualifier)
{
    static const QRegularExpression version(QStringLiteral("^[0-9]+$"));
    const QString executed = version.match(qualifier).hasMatch() ? qualifier : s("$LATEST");
    const QString requestId = newRequestId();
    const QString length = QString::number(jsonText(payload).size());
    const QString date = QLocale::c().toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'");
    const QList<QPair<QString, QString>> headers { { s("Connection"), s("keep-alive") },
        { s("Content-Length"), length }, { s("Content-Type"), s("application/json") }, { s("Date"), date },
        { s("X-Amz-Executed-Version"), executed }, { s("x-amzn-RequestId"), requestId } };
    Json all;
    Json single;
    for (const auto &[name, value] : headers) {
        all.insert(name, QJsonArray { value });
        single.insert(name, value);
    }
    return Json { { s("ExecutedVersion"), executed }, { s("Payload"), payload },
        { s("SdkHttpMetadata"),
            Json { { s("AllHttpHeaders"), all }, { s("HttpHeaders"), single }, { s("HttpStatusCode"), 200 } } },
        { s("SdkResponseMetadata"), Json { { s("RequestId"), requestId } } }, { s("StatusCode"), 200 } };
}

} // namespace Bramble::LocalRuntime
