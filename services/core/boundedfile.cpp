#include "core/boundedfile.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace Bramble::Core {

namespace {

Error fileError(const QString &path, const QString &what, const QString &message)
{
    Error e(Error::Kind::Input, what.isEmpty() ? message : what + QStringLiteral(": ") + message);
    e.where.file = path;
    return e;
}

} // namespace

QString byteCount(qint64 bytes)
{
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QStringLiteral("%1 bytes").arg(bytes);
    const bool whole = value == qint64(value);
    return QStringLiteral("%1 %2").arg(value, 0, 'f', whole ? 0 : 1).arg(QLatin1String(units[unit]));
}

Result<QByteArray> readBoundedFile(const QString &path, qint64 limit, const QString &what)
{
    if (path.isEmpty())
        return fileError(path, what, QStringLiteral("no file name given"));
    // stat() follows links, as open() will: a link to /dev/zero is a device.
    struct stat st;
    const QByteArray native = QFile::encodeName(path);
    if (::stat(native.constData(), &st) != 0) {
        if (!QFileInfo::exists(path))
            return fileError(path, what, QStringLiteral("no such file"));
        return fileError(path, what, QStringLiteral("cannot be read"));
    }
    if (S_ISDIR(st.st_mode))
        return fileError(path, what, QStringLiteral("is a directory, not a file"));
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return fileError(path, what, QStringLiteral("is a device, not a regular file"));
    if (S_ISFIFO(st.st_mode))
        return fileError(path, what, QStringLiteral("is a FIFO (named pipe), not a regular file"));
    if (S_ISSOCK(st.st_mode))
        return fileError(path, what, QStringLiteral("is a socket, not a regular file"));
    if (!S_ISREG(st.st_mode))
        return fileError(path, what, QStringLiteral("is not a regular file"));
    const QString tooLarge
        = QStringLiteral("larger than %1, the most read for this kind of file").arg(byteCount(limit));
    if (qint64(st.st_size) > limit)
        return fileError(path, what, tooLarge);

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, what, QStringLiteral("cannot be opened: %1").arg(file.errorString()));
    QByteArray data = file.read(limit + 1);
    if (file.error() != QFileDevice::NoError)
        return fileError(path, what, QStringLiteral("cannot be read: %1").arg(file.errorString()));
    if (data.size() > limit)
        return fileError(path, what, tooLarge);
    return data;
}

} // namespace Bramble::Core
