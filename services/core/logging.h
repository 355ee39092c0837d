#pragma once

#include <QLoggingCategory>

// One category per library; enable with QT_LOGGING_RULES="bramble.kube.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcCore)
