#pragma once

#include "support/testpaths.h"

#include <QByteArray>
#include <QFile>
#include <QString>

// What the saga tests share: their fixtures (tests/data/saga) and JSON
// written with single quotes, so definitions stay readable without raw
// strings (moc cannot parse those).
namespace Bramble::Test::Saga {

inline QByteArray q(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}

// tests/data/saga/NAME; a missing fixture ends the test binary.
inline QByteArray fixture(const QString &name)
{
    QFile f(testData(QStringLiteral("saga/") + name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

} // namespace Bramble::Test::Saga
