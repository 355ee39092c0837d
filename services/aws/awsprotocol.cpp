#include "aws/awsprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QXmlStreamReader>

namespace Bramble::Aws::Protocol {

namespace {

QString bareCode(QString code)
{
    const qsizetype colon = code.indexOf(u':');
    if (colon >= 0)
        code.truncate(colon);
    const qsizetype hash = code.lastIndexOf(u'#');
    if (hash >= 0)
        code = code.mid(hash + 1);
    return code.trimmed();
}

QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const HttpHeader &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

void insertChild(QJsonObject &parent, const QString &name, const QJsonValue &value)
{
    const auto it = parent.find(name);
    if (it == parent.end()) {
        parent.insert(name, value);
        return;
    }
    QJsonArray list = it->isArray() ? it->toArray() : QJsonArray { *it };
    list.append(value);
    *it = list;
}

// Reads the element the reader is positioned on (StartElement) up to its end.
QJsonValue readElement(QXmlStreamReader &xml)
{
    QJsonObject children;
    QString text;
    bool hasChildren = false;
    bool memberList = false;
    while (xml.readNext() != QXmlStreamReader::Invalid) {
        if (xml.isEndElement())
            break;
        if (xml.isCharacters()) {
            text += xml.text();
        } else if (xml.isStartElement()) {
            hasChildren = true;
            const QString name = xml.name().toString();
            memberList = memberList || name == u"member";
            insertChild(children, name, readElement(xml));
        }
    }
    if (!hasChildren)
        return text;
    if (memberList && children.size() == 1) {
        const QJsonValue members = children.value(QStringLiteral("member"));
        return members.isArray() ? members : QJsonArray { members };
    }
    return children;
}

// The error's kind, and a message even when the service sent none (an
// empty message would make the error null).
void classify(Core::Error &e)
{
    e.kind = serviceErrorKind(e.reason, e.httpStatus);
    if (e.message.isEmpty())
        e.message = e.reason;
}

} // namespace

Core::Error jsonError(int httpStatus, const HttpHeaders &headers, const QByteArray &body)
{
    Core::Error e;
    e.httpStatus = httpStatus;
    e.requestId = QString::fromLatin1(headerValue(headers, "x-amzn-requestid"));
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QByteArray typeHeader = headerValue(headers, "x-amzn-errortype");
    e.reason = bareCode(
        typeHeader.isEmpty() ? json.value(QStringLiteral("__type")).toString() : QString::fromUtf8(typeHeader));
    e.message = json.value(QStringLiteral("message")).toString();
    if (e.message.isEmpty())
        e.message = json.value(QStringLiteral("Message")).toString();
    if (e.reason.isEmpty())
        e.reason = QStringLiteral("HTTP%1").arg(httpStatus);
    if (e.message.isEmpty() && json.isEmpty() && !body.isEmpty())
        e.message = QString::fromUtf8(body.left(200)).simplified();
    classify(e);
    return e;
}

Core::Error queryError(int httpStatus, const QByteArray &body)
{
    Core::Error e;
    e.httpStatus = httpStatus;
    QString parseError;
    const QJsonObject root = xmlToJson(body, &parseError);
    // <ErrorResponse><Error>...</Error><RequestId/></ErrorResponse>, or <Response><Errors><Error>.
    QJsonObject response = root.value(QStringLiteral("ErrorResponse")).toObject();
    if (response.isEmpty())
        response = root.value(QStringLiteral("Response")).toObject();
    QJsonObject error = response.value(QStringLiteral("Error")).toObject();
    if (error.isEmpty())
        error = response.value(QStringLiteral("Errors")).toObject().value(QStringLiteral("Error")).toObject();
    e.reason = error.value(QStringLiteral("Code")).toString();
    e.message = error.value(QStringLiteral("Message")).toString();
    e.requestId = response.value(QStringLiteral("RequestId")).toString();
    if (e.requestId.isEmpty())
        e.requestId = response.value(QStringLiteral("RequestID")).toString();
    if (e.reason.isEmpty())
        e.reason = QStringLiteral("HTTP%1").arg(httpStatus);
    if (e.message.isEmpty() && !parseError.isEmpty() && !body.isEmpty())
        e.message = QString::fromUtf8(body.left(200)).simplified();
    classify(e);
    return e;
}

QJsonObject xmlToJson(const QByteArray &xml, QString *error)
{
    QXmlStreamReader reader(xml);
    QJsonObject root;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement())
            insertChild(root, reader.name().toString(), readElement(reader));
    }
    if (reader.hasError() && error)
        *error = QStringLiteral("line %1: %2").arg(reader.lineNumber()).arg(reader.errorString());
    return root;
}

QByteArray formEncode(const QList<QPair<QString, QString>> &parameters)
{
    QByteArray out;
    for (const auto &[key, value] : parameters) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace Bramble::Aws::Protocol
