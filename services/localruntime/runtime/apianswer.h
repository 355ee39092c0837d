#pragma once

#include <QJsonObject>
#include <QString>

namespace Bramble::LocalRuntime {

// The answer to one Step Functions operation: the response body, or the
// error AWS would give (`errorType` is the whole "__type", HTTP 400).
struct ApiAnswer {
    QJsonObject body;
    QString errorType;
    QString message;
    int httpStatus = 200;

    bool ok() const { return errorType.isEmpty(); }
    static ApiAnswer success(QJsonObject body)
    {
        ApiAnswer a;
        a.body = std::move(body);
        return a;
    }
    static ApiAnswer failure(QString type, QString text, int status = 400)
    {
        ApiAnswer a;
        a.errorType = std::move(type);
        a.message = std::move(text);
        a.httpStatus = status;
        return a;
    }
};

} // namespace Bramble::LocalRuntime
