#include "ui/loadbalancers/pooleditdialog.h"

#include "metallb/poolapply.h"
#include "metallb/poolvalidator.h"
#include "ui/common/textviews.h"
#include "ui/common/theme.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

namespace Bramble::Ui {

using MetalLB::ApplyResult;
using MetalLB::Issue;
using MetalLB::PoolApplyJob;

namespace {

bool askWithMessageBox(QWidget *parent, const QString &title, const QString &question)
{
    return QMessageBox::question(parent, title, question, QMessageBox::Apply | QMessageBox::Cancel, QMessageBox::Cancel)
        == QMessageBox::Apply;
}

QString coloured(const QString &text, Tone tone, const QPalette &palette)
{
    return QStringLiteral("<span style='color:%1'>%2</span>")
        .arg(toneColor(tone, palette).name(), text.toHtmlEscaped());
}

} // namespace

PoolEditDialog::PoolEditDialog(Kube::KubeClient *client, const MetalLB::PoolConfig &config, const QString &pool,
    const QJsonObject &poolObject, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_config(config)
    , m_pool(pool)
    , m_poolObject(poolObject)
    , m_confirm(askWithMessageBox)
{
    setWindowTitle(tr("Edit pool %1").arg(pool));
    setObjectName(QStringLiteral("poolEditDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Addresses of the IPAddressPool <b>%1</b>, one entry per line: a CIDR "
                                "(<tt>192.168.1.240/28</tt>) or a range (<tt>192.168.1.240-192.168.1.250</tt>).")
                                 .arg(pool.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_edit = monospaceText(this, false);
    m_edit->setObjectName(QStringLiteral("addressesEdit"));
    layout->addWidget(m_edit, 1);
    m_issues = noteLabel(this);
    m_issues->setObjectName(QStringLiteral("localIssues"));
    layout->addWidget(m_issues);
    m_verdict = noteLabel(this);
    m_verdict->setObjectName(QStringLiteral("serverVerdict"));
    layout->addWidget(m_verdict);
    m_progress = busyBar(this);
    layout->addWidget(m_progress);

    auto *buttons = new QDialogButtonBox(this);
    m_check = buttons->addButton(tr("Check with server"), QDialogButtonBox::ActionRole);
    m_check->setObjectName(QStringLiteral("checkButton"));
    m_check->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_check->setToolTip(tr("Send the pool as a server-side dry run: admission webhooks check it, nothing is "
                           "stored (%1)")
                            .arg(m_check->shortcut().toString(QKeySequence::NativeText)));
    m_apply = buttons->addButton(tr("Apply…"), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_apply->setToolTip(tr("Apply the new addresses to the cluster, after a successful check of this text (%1)")
                            .arg(m_apply->shortcut().toString(QKeySequence::NativeText)));
    m_close = buttons->addButton(QDialogButtonBox::Cancel);
    m_close->setToolTip(tr("Cancel the request in flight, or close without applying (Esc)"));
    m_apply->setAutoDefault(false);
    m_check->setDefault(true);
    layout->addWidget(buttons);
    connect(m_check, &QPushButton::clicked, this, &PoolEditDialog::checkWithServer);
    connect(m_apply, &QPushButton::clicked, this, &PoolEditDialog::apply);
    connect(m_close, &QPushButton::clicked, this, &PoolEditDialog::reject);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &PoolEditDialog::validate);

    QStringList lines;
    for (const MetalLB::AddressPool &p : std::as_const(m_config.pools))
        if (p.name == pool && p.source == MetalLB::PoolSource::Crd)
            for (const MetalLB::AddressText &a : p.addresses)
                lines << a.text;
    setAddresses(lines);
    resize(560, 420);
}

PoolEditDialog::~PoolEditDialog()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
    }
}

QStringList PoolEditDialog::addresses() const
{
    QStringList out;
    for (const QString &line : m_edit->toPlainText().split(u'\n')) {
        const QString t = line.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

void PoolEditDialog::setAddresses(const QStringList &lines)
{
    m_edit->setPlainText(lines.join(u'\n'));
}

QString PoolEditDialog::issuesText() const
{
    return hasErrors() || m_issues->text().contains(u'⚠')
        ? QTextDocumentFragment::fromHtml(m_issues->text()).toPlainText()
        : QString();
}

QString PoolEditDialog::verdictText() const
{
    return QTextDocumentFragment::fromHtml(m_verdict->text()).toPlainText();
}

void PoolEditDialog::validate()
{
    MetalLB::PoolConfig config = m_config;
    const QStringList lines = m_edit->toPlainText().split(u'\n');
    for (MetalLB::AddressPool &p : config.pools) {
        if (p.name != m_pool || p.source != MetalLB::PoolSource::Crd)
            continue;
        p.addresses.clear();
        for (int i = 0; i < int(lines.size()); ++i)
            if (!lines.at(i).trimmed().isEmpty())
                p.addresses.append({ lines.at(i).trimmed(), i + 1 });
    }
    QStringList shown;
    m_errors = 0;
    for (const Issue &issue : MetalLB::PoolValidator::validate(config)) {
        if (issue.pool != m_pool && !issue.message.contains(QString(u'"' + m_pool + u'"')))
            continue;
        const bool error = issue.severity == Issue::Error;
        m_errors += error;
        QString text = issue.message;
        if (!issue.entry.isEmpty())
            text = QStringLiteral("“%1”: %2").arg(issue.entry, issue.message);
        shown << coloured(QString((error ? u"✖ " : u"⚠ ") + text), error ? Tone::Error : Tone::Warning, palette());
    }
    if (addresses().isEmpty() && m_errors == 0) {
        ++m_errors;
        shown << coloured(tr("✖ A pool needs at least one address entry."), Tone::Error, palette());
    }
    m_issues->setText(shown.isEmpty() ? coloured(tr("✔ The addresses are valid here."), Tone::Ok, palette())
                                      : shown.join(QStringLiteral("<br>")));
    if (!m_checkedText.isEmpty() && m_checkedText != m_edit->toPlainText() && !isBusy())
        m_verdict->setText(coloured(
            tr("The text changed since the server checked it: check again before applying."), Tone::Muted, palette()));
    updateButtons();
}

void PoolEditDialog::updateButtons()
{
    const bool busy = isBusy();
    const bool valid = m_errors == 0;
    m_edit->setReadOnly(busy);
    m_check->setEnabled(!busy && valid && m_client);
    m_apply->setEnabled(
        !busy && valid && m_client && !m_checkedText.isEmpty() && m_checkedText == m_edit->toPlainText());
    m_close->setText(busy ? tr("Cancel request") : tr("Close"));
    m_progress->setVisible(busy);
}

void PoolEditDialog::checkWithServer()
{
    if (!isBusy() && m_errors == 0)
        run(true);
}

void PoolEditDialog::apply()
{
    if (isBusy() || m_errors != 0 || m_checkedText.isEmpty() || m_checkedText != m_edit->toPlainText())
        return;
    const QString question = tr("Apply these addresses to the IPAddressPool “%1”?\n\n%2\n\nServices keep the "
                                "addresses they hold only if those are still in the pool.")
                                 .arg(m_pool, addresses().join(u'\n'));
    if (!m_confirm(this, tr("Apply pool"), question))
        return;
    run(false);
}

void PoolEditDialog::run(bool dryRun)
{
    if (!m_client)
        return;
    const QString text = m_edit->toPlainText();
    const QJsonObject object = MetalLB::poolWithAddresses(m_poolObject, addresses());
    PoolApplyJob *job = PoolApplyJob::start(m_client, { object }, dryRun, this);
    m_job = job;
    m_verdict->setText(
        coloured(dryRun ? tr("Asking the server to check %1…").arg(m_pool) : tr("Applying %1…").arg(m_pool),
            Tone::Muted, palette()));
    connect(job, &PoolApplyJob::finished, this, [this, job, text] { onFinished(job, text); });
    updateButtons();
}

void PoolEditDialog::onFinished(PoolApplyJob *job, const QString &text)
{
    m_job = nullptr;
    const bool dryRun = job->isDryRun();
    QStringList lines;
    for (const ApplyResult &r : job->results())
        lines << coloured(
            QString((r.ok ? u"✔ " : u"✖ ") + r.toString(dryRun)), r.ok ? Tone::Ok : Tone::Error, palette());
    const bool ok = job->allOk() && !job->results().isEmpty();
    if (job->results().isEmpty())
        lines << coloured(tr("Cancelled: the server did not answer."), Tone::Warning, palette());
    m_verdict->setText(lines.join(QStringLiteral("<br>")));
    if (dryRun)
        m_checkedText = ok ? text : QString();
    updateButtons();
    if (!dryRun && ok) {
        Q_EMIT applied(m_pool);
        accept();
    }
}

void PoolEditDialog::reject()
{
    if (m_job) {
        m_job->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace Bramble::Ui
