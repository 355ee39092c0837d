#include "functions/logging.h"

Q_LOGGING_CATEGORY(lcLocalFunctions, "bramble.localruntime.functions", QtInfoMsg)
