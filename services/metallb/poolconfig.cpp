#include "metallb/poolconfig.h"

namespace Bramble::MetalLB {

QString Issue::toString() const
{
    QString out;
    if (!where.file.isEmpty()) {
        out += where.file;
        if (where.line > 0)
            out += u':' + QString::number(where.line);
        out += QStringLiteral(": ");
    }
    if (where.document > 0)
        out += QStringLiteral("document %1: ").arg(where.document);
    if (!pool.isEmpty())
        out += QStringLiteral("%1 \"%2\": ").arg(objectKind.isEmpty() ? QStringLiteral("pool") : objectKind, pool);
    if (!entry.isEmpty())
        out += QStringLiteral("entry \"%1\": ").arg(entry);
    return out + message;
}

} // namespace Bramble::MetalLB
