#pragma once

#include "aws/awserror.h"
#include "core/error.h"

namespace Bramble::Saga {

// The boundary between the AWS layer's error type and Core::Error, the one
// the saga jobs and the presenter hold. Goes away once services/aws reports
// Core::Error itself.
Core::Error toCoreError(const Aws::AwsError &error);
Aws::AwsError toAwsError(const Core::Error &error);

} // namespace Bramble::Saga
