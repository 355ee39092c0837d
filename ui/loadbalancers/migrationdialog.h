#pragma once

#include <QByteArray>
#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace Bramble::Ui {

// Shown instead of an editor for a legacy ConfigMap pool, which Bramble
// never rewrites: the metallb.io/v1beta1 YAML equivalent of the ConfigMap's
// pools (MetalLB::migrationYaml), read-only, with Copy and Save as… for the
// user to review and apply themselves.
class MigrationDialog : public QDialog {
    Q_OBJECT

public:
    MigrationDialog(const QString &pool, const QByteArray &yaml, QWidget *parent = nullptr);

    QString yaml() const;
    // Writes the YAML to a file; false (with the reason shown) when it cannot.
    bool saveTo(const QString &fileName);
    QString messageText() const;

private:
    void saveAs();

    QPlainTextEdit *m_text;
    QLabel *m_message;
};

} // namespace Bramble::Ui
