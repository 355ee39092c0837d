#pragma once

#include <QLoggingCategory>

namespace Bramble::LocalRuntime {

// The server's category: QT_LOGGING_RULES="bramble.localruntime.server.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServer)

} // namespace Bramble::LocalRuntime
