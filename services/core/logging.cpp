#include "core/logging.h"

Q_LOGGING_CATEGORY(lcCore, "bramble.core", QtInfoMsg)
