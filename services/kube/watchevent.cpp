#include "kube/watchevent.h"

namespace Bramble::Kube {

QString WatchEvent::typeName(Type type)
{
    switch (type) {
    case Added:
        return QStringLiteral("ADDED");
    case Modified:
        return QStringLiteral("MODIFIED");
    case Deleted:
        return QStringLiteral("DELETED");
    }
    return QStringLiteral("UNKNOWN");
}

} // namespace Bramble::Kube
