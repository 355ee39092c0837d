#include "kube/logging.h"

Q_LOGGING_CATEGORY(lcKube, "bramble.kube", QtInfoMsg)
