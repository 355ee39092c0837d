#pragma once

#include "dynamodb/tablestore.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>

#include <memory>

// What the table store tests share: JSON written with single quotes (moc
// cannot parse raw strings) and a store opened in memory.
namespace Bramble::Test::Dynamo {

inline QJsonObject j(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(b, &error);
    if (!doc.isObject())
        qFatal("bad test JSON (%s): %s", qPrintable(error.errorString()), text);
    return doc.object();
}

inline QString text(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

inline std::unique_ptr<LocalRuntime::TableStore> openMemory()
{
    auto opened = LocalRuntime::TableStore::open(QStringLiteral(":memory:"));
    if (!opened.ok())
        qFatal("cannot open a memory store: %s", qPrintable(opened.error().toString()));
    return opened.takeValue();
}

// "Type: message" of a failed answer, for QVERIFY2.
inline QByteArray why(const LocalRuntime::DynamoAnswer &a)
{
    return (a.errorType + QStringLiteral(": ") + a.message).toUtf8();
}

} // namespace Bramble::Test::Dynamo
