#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Bramble::Aws {

// Python's shlex.split(s) (POSIX mode, no comments), which botocore uses for
// "[profile x]" section names and credential_process command lines: words
// split on whitespace; '...' keeps everything literally; in "..." a backslash
// escapes only '"' and '\'; outside quotes a backslash escapes any character;
// '' and "" make empty words. nullopt on an unclosed quote or a trailing
// backslash. Pure function, any thread.
std::optional<QStringList> shellSplit(const QString &s);

} // namespace Bramble::Aws
