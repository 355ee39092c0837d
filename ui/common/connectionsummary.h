#pragma once

#include "core/error.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace Bramble::Kube {
struct Kubeconfig;
}
namespace Bramble::Aws {
struct AwsSharedConfig;
}

namespace Bramble::Ui {

// A card that says which connection a pane will use (a kube context or an
// AWS profile), where it comes from, and what is wrong with it.
class ConnectionSummary : public QWidget {
    Q_OBJECT

public:
    explicit ConnectionSummary(QWidget *parent = nullptr);

    void showKubeContext(const Kube::Kubeconfig &config, const QString &context);
    // envCredentials: AWS_ACCESS_KEY_ID is set, so the profile need not exist.
    void showAwsProfile(
        const Aws::AwsSharedConfig &config, const QString &profile, const QString &region, bool envCredentials);
    // A muted line under the card about what the pane does with it.
    void setNote(const QString &text);

    // For tests: the label text of each row, and the problems shown.
    QStringList rowTexts() const;
    QStringList problemTexts() const;

private:
    void clear();
    void addRow(const QString &label, const QString &value);
    void addProblem(const Core::Error &error, bool isError);

    QLabel *m_heading;
    QFormLayout *m_form;
    QVBoxLayout *m_problems;
    QLabel *m_note;
};

} // namespace Bramble::Ui
