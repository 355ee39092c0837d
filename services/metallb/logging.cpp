#include "metallb/logging.h"

Q_LOGGING_CATEGORY(lcMetalLB, "bramble.metallb", QtInfoMsg)
