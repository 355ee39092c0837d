#include "ui/local/functionsdialog.h"

#include "functions/localtaskrunner.h"
#include "session/localruntimehost.h"
#include "ui/common/textviews.h"

#include <QDialogButtonBox>
#include <QKeySequence>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

constexpr int CheckDelayMs = 200;

QString helpText()
{
    return QObject::tr(
        "<p>What runs each Lambda function when a state machine on <b>Local (this machine)</b> calls it, "
        "by function name (a name, <code>name:alias</code> or an ARN all match the name):</p>"
        "<pre>functions:\n"
        "  ProcessRecords:\n"
        "    command: [python3, /path/process.py]   # event on stdin, result on stdout\n"
        "  TransformRecords:\n"
        "    http: {url: \"http://127.0.0.1:9000/transform\"}\n"
        "  CommitRecords:\n"
        "    openfaas: {name: commit-records, namespace: openfaas-fn}\n"
        "  saga-ProcessRecords:\n"
        "    builtin: seed-saga</pre>"
        "<p>A function that is not listed fails its task with <code>Lambda.ResourceNotFoundException</code>.</p>");
}

} // namespace

FunctionsDialog::FunctionsDialog(Session::LocalRuntimeHost *host, QWidget *parent)
    : QDialog(parent)
    , m_host(host)
    , m_editor(monospaceText(this, false))
    , m_status(new QLabel(this))
    , m_checkTimer(new QTimer(this))
{
    setWindowTitle(tr("Local functions"));
    resize(720, 560);
    auto *help = new QLabel(helpText(), this);
    help->setWordWrap(true);
    help->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_editor->setObjectName(QStringLiteral("functionsEditor"));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_status->setObjectName(QStringLiteral("functionsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setToolTip(tr("Apply to the local runtime and keep in %1 (Ctrl+S)").arg(host->functionsFile()));
    connect(buttons, &QDialogButtonBox::accepted, this, &FunctionsDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(new QShortcut(QKeySequence::Save, this), &QShortcut::activated, this, &FunctionsDialog::save);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(help);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(CheckDelayMs);
    connect(m_checkTimer, &QTimer::timeout, this, &FunctionsDialog::check);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        m_save->setEnabled(false);
        m_checkTimer->start();
    });
    setText(QString::fromUtf8(host->functions().toYaml()));
}

QString FunctionsDialog::text() const
{
    return m_editor->toPlainText();
}

void FunctionsDialog::setText(const QString &yaml)
{
    m_editor->setPlainText(yaml);
    m_checkTimer->stop();
    check();
}

void FunctionsDialog::check()
{
    const Core::Result<LocalRuntime::FunctionsConfig> parsed
        = LocalRuntime::FunctionsConfig::parse(text().toUtf8(), tr("functions"));
    m_valid = parsed.ok();
    m_save->setEnabled(m_valid && m_host->isRunning());
    if (!m_valid)
        m_status->setText(parsed.error().toString());
    else if (!m_host->isRunning())
        m_status->setText(tr("The local runtime is not running: choose Local (this machine) as the AWS profile."));
    else
        m_status->setText(parsed.value().functions.size() == 1
                ? tr("1 function bound; Save applies it from the next task on")
                : tr("%1 functions bound; Save applies them from the next task on")
                      .arg(parsed.value().functions.size()));
}

void FunctionsDialog::save()
{
    check();
    if (!m_save->isEnabled())
        return;
    const Core::Result<LocalRuntime::FunctionsConfig> parsed
        = LocalRuntime::FunctionsConfig::parse(text().toUtf8(), tr("functions"));
    if (const Core::Error error = m_host->setFunctions(parsed.value()); !error.isNull()) {
        m_status->setText(error.toString());
        return;
    }
    accept();
}

} // namespace Bramble::Ui
