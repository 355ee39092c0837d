#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Bramble::Kube {

// One change to a watched collection, as the API server's watch stream
// says it (ADDED / MODIFIED / DELETED), or as a relist's difference says it.
// BOOKMARK and ERROR are handled inside the list+watch and never reach here.
struct WatchEvent {
    enum Type { Added, Modified, Deleted };
    Type type = Added;
    QJsonObject object; // the whole object; for Deleted, its last state

    static QString typeName(Type type); // "ADDED", "MODIFIED", "DELETED"
};

using WatchEvents = QList<WatchEvent>;

} // namespace Bramble::Kube
