#include "ui/common/mfaprompt.h"

#include <QInputDialog>
#include <QPointer>

namespace Bramble::Ui {

Aws::ProfileCredentialsProvider::MfaPrompt mfaDialogPrompt(QWidget *parent)
{
    QPointer<QWidget> owner(parent);
    return [owner](const QString &serial, Aws::ProfileCredentialsProvider::MfaAnswer answer) {
        if (!owner) {
            answer(QString());
            return;
        }
        auto *dialog = new QInputDialog(owner);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(QInputDialog::tr("MFA code"));
        dialog->setLabelText(QInputDialog::tr("Enter the current code of your MFA device\n%1").arg(serial));
        dialog->setInputMode(QInputDialog::TextInput);
        QObject::connect(dialog, &QInputDialog::textValueSelected, dialog,
            [answer](const QString &code) { answer(code.trimmed()); });
        QObject::connect(dialog, &QDialog::rejected, dialog, [answer] { answer(QString()); });
        dialog->open();
    };
}

} // namespace Bramble::Ui
