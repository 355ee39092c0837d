#pragma once

#include "metallb/poolconfig.h"

#include <QDialog>
#include <QJsonObject>
#include <QPointer>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace Bramble::Kube {
class KubeClient;
}
namespace Bramble::MetalLB {
class PoolApplyJob;
}

namespace Bramble::Ui {

// Edits the address list of one IPAddressPool (a CRD pool; ConfigMap pools
// are never rewritten), one entry per line.
//
// As the user types, the pool's entries are checked locally: the cluster's
// config with this pool's addresses replaced goes through PoolValidator,
// and the issues about this pool are listed (Apply stays disabled while
// there is an error). "Check with server" sends the pool with the new
// addresses as a server-side dry run (PoolApplyJob) and shows the verdict;
// Apply is enabled only after a successful dry run of exactly the text shown,
// asks for confirmation, and sends the real apply. While a request runs the
// dialog is busy: Cancel (or Esc) cancels the request, not the dialog.
//
// The dialog holds no protocol logic: it calls the service classes.
class PoolEditDialog : public QDialog {
    Q_OBJECT

public:
    using Confirmation = std::function<bool(QWidget *parent, const QString &title, const QString &question)>;

    // `config` is the cluster's config as the watcher has it; `poolObject`
    // the IPAddressPool as the server has it. The client must outlive the dialog.
    PoolEditDialog(Kube::KubeClient *client, const MetalLB::PoolConfig &config, const QString &pool,
        const QJsonObject &poolObject, QWidget *parent = nullptr);
    ~PoolEditDialog() override;

    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }

    QString poolName() const { return m_pool; }
    QStringList addresses() const; // the non-empty lines, trimmed
    void setAddresses(const QStringList &lines);
    // What the local check says about this pool (one issue per line); empty when valid.
    QString issuesText() const;
    bool hasErrors() const { return m_errors > 0; }
    QString verdictText() const;
    bool isBusy() const { return !m_job.isNull(); }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *applyButton() const { return m_apply; }

public Q_SLOTS:
    void checkWithServer();
    void apply();
    // Esc: cancels the request in flight, else closes.
    void reject() override;

Q_SIGNALS:
    // The real apply succeeded.
    void applied(const QString &pool);

private:
    void validate();
    void run(bool dryRun);
    void onFinished(MetalLB::PoolApplyJob *job, const QString &text);
    void updateButtons();

    Kube::KubeClient *m_client;
    MetalLB::PoolConfig m_config;
    QString m_pool;
    QJsonObject m_poolObject;
    Confirmation m_confirm;

    QPlainTextEdit *m_edit;
    QLabel *m_issues;
    QLabel *m_verdict;
    QProgressBar *m_progress;
    QPushButton *m_check;
    QPushButton *m_apply;
    QPushButton *m_close;
    QPointer<MetalLB::PoolApplyJob> m_job;
    int m_errors = 0;
    QString m_checkedText; // the text of the last successful dry run
};

} // namespace Bramble::Ui
