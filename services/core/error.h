#pragma once

#include <QList>
#include <QString>

namespace Bramble::Core {

// Where a problem was found: a file, a 1-based line (0 when unknown), a
// 1-based column (0 when unknown) and a key path inside the document
// ("contexts[1].context.cluster", or a JSON pointer for JSON input).
struct SourceLocation {
    QString file;
    int line = 0;
    int column = 0;
    QString key;

    bool isEmpty() const { return file.isEmpty() && line == 0 && key.isEmpty(); }
    // "file:line:column: key" with the empty parts left out.
    QString toString() const;
};

struct Error {
    QString message;
    SourceLocation where;

    Error() = default;
    Error(QString msg, SourceLocation loc = {})
        : message(std::move(msg))
        , where(std::move(loc))
    {
    }

    bool isNull() const { return message.isEmpty(); }
    // One line: "file:line: key: message".
    QString toString() const;
};

using Errors = QList<Error>;

} // namespace Bramble::Core
