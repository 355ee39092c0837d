#include "aws/logging.h"

Q_LOGGING_CATEGORY(lcAws, "bramble.aws", QtInfoMsg)
