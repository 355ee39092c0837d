#pragma once

#include "aws/credentialchain.h"

class QWidget;

namespace Bramble::Ui {

// How the window asks for a role's MFA code: a dialog on `parent`, as the
// aws CLI asks on the terminal. An empty answer (Cancel) fails the role's
// credentials with a clear error.
Aws::ProfileCredentialsProvider::MfaPrompt mfaDialogPrompt(QWidget *parent);

} // namespace Bramble::Ui
