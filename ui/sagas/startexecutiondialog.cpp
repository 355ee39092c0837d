#include "ui/sagas/startexecutiondialog.h"

#include "ui/common/text.h"
#include "ui/common/textviews.h"
#include "ui/common/theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QMetaMethod>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBlock>
#include <QTextCursor>
#include <QUuid>
#include <QVBoxLayout>

namespace Bramble::Ui {

namespace {

const QStringList &transactionPath()
{
    static const QStringList path { QStringLiteral("Payload"), QStringLiteral("TransactionDetails") };
    return path;
}

QString coloured(const QString &text, Tone tone, const QPalette &palette)
{
    return QStringLiteral("<span style='color:%1'>%2</span>")
        .arg(toneColor(tone, palette).name(), text.toHtmlEscaped());
}

// The object at `path` under `root`, or nullopt-like: *ok false when a step exists and is not an object.
QJsonObject objectAt(const QJsonObject &root, const QStringList &path, bool *ok)
{
    QJsonObject cur = root;
    *ok = true;
    for (const QString &key : path) {
        const QJsonValue v = cur.value(key);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject()) {
            *ok = false;
            return {};
        }
        cur = v.toObject();
    }
    return cur;
}

// Sets path/key = value, creating missing objects; false when a step is not an object.
bool setAt(QJsonObject &root, const QStringList &path, const QString &key, const QJsonValue &value)
{
    if (path.isEmpty()) {
        root.insert(key, value);
        return true;
    }
    const QJsonValue v = root.value(path.first());
    if (!v.isUndefined() && !v.isNull() && !v.isObject())
        return false;
    QJsonObject child = v.toObject();
    if (!setAt(child, path.mid(1), key, value))
        return false;
    root.insert(path.first(), child);
    return true;
}

} // namespace

StartExecutionDialog::StartExecutionDialog(const QString &stateMachineName, QWidget *parent)
    : QDialog(parent)
    , m_machine(stateMachineName)
{
    setWindowTitle(tr("Start execution of %1").arg(stateMachineName));
    setObjectName(QStringLiteral("startExecutionDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Start a new execution of the state machine <b>%1</b>.").arg(stateMachineName.toHtmlEscaped()), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(tr("optional: Step Functions generates a unique name"));
    m_name->setMaxLength(4 * MaxNameLength); // let a too-long paste through, so the message can say why
    form->addRow(tr("&Name:"), m_name);
    m_nameStatus = new QLabel(this);
    m_nameStatus->setObjectName(QStringLiteral("nameStatus"));
    m_nameStatus->setTextFormat(Qt::RichText);
    form->addRow(QString(), m_nameStatus);
    layout->addLayout(form);

    auto *inputLabel = new QLabel(tr("&Input (a JSON object):"), this);
    layout->addWidget(inputLabel);
    m_edit = monospaceText(this, false);
    m_edit->setObjectName(QStringLiteral("inputEdit"));
    inputLabel->setBuddy(m_edit);
    layout->addWidget(m_edit, 1);
    m_inputStatus = noteLabel(this);
    m_inputStatus->setObjectName(QStringLiteral("inputStatus"));
    layout->addWidget(m_inputStatus);

    auto *tools = new QHBoxLayout;
    m_simulate = new QCheckBox(tr("&Simulate failure"), this);
    m_simulate->setObjectName(QStringLiteral("simulateFailBox"));
    m_simulate->setToolTip(tr("Sets Payload.TransactionDetails.simulateFail in the input: the saga's steps fail on "
                              "purpose, so the compensation path runs"));
    tools->addWidget(m_simulate);
    tools->addStretch(1);
    m_newId = new QPushButton(tr("New &transaction id"), this);
    m_newId->setObjectName(QStringLiteral("newTransactionButton"));
    m_newId->setToolTip(tr("Set Payload.TransactionDetails.TransactionId to a fresh value"));
    m_newId->setAutoDefault(false);
    tools->addWidget(m_newId);
    m_format = new QPushButton(tr("&Format"), this);
    m_format->setObjectName(QStringLiteral("formatButton"));
    m_format->setToolTip(tr("Re-indent the input"));
    m_format->setAutoDefault(false);
    tools->addWidget(m_format);
    layout->addLayout(tools);

    m_error = noteLabel(this);
    m_error->setObjectName(QStringLiteral("startError"));
    m_error->hide();
    layout->addWidget(m_error);
    m_progress = busyBar(this);
    layout->addWidget(m_progress);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setDefault(true);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(buttons);

    connect(m_start, &QPushButton::clicked, this, &StartExecutionDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &StartExecutionDialog::reject);
    connect(m_simulate, &QCheckBox::clicked, this, &StartExecutionDialog::setSimulateFailure);
    connect(m_newId, &QPushButton::clicked, this, &StartExecutionDialog::newTransaction);
    connect(m_format, &QPushButton::clicked, this, &StartExecutionDialog::formatInput);
    connect(m_name, &QLineEdit::textChanged, this, &StartExecutionDialog::validate);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &StartExecutionDialog::validate);

    setInput(templateInput());
    resize(600, 480);
}

QString StartExecutionDialog::name() const
{
    return m_name->text().trimmed();
}

void StartExecutionDialog::setName(const QString &name)
{
    m_name->setText(name);
}

QString StartExecutionDialog::input() const
{
    if (!m_inputCheck.ok)
        return {};
    return QString::fromUtf8(QJsonDocument(m_inputCheck.object).toJson(QJsonDocument::Compact));
}

QString StartExecutionDialog::inputText() const
{
    return m_edit->toPlainText();
}

void StartExecutionDialog::setInput(const QString &text)
{
    m_edit->setPlainText(text);
}

bool StartExecutionDialog::isValid() const
{
    return m_nameProblem.isEmpty() && m_inputCheck.ok;
}

QString StartExecutionDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->property("plainText").toString() : QString();
}

QString StartExecutionDialog::nameProblem(const QString &name)
{
    const QString n = name.trimmed();
    if (n.isEmpty())
        return {};
    QString problem = Saga::executionNameProblem(n);
    if (!problem.isEmpty())
        problem[0] = problem.at(0).toUpper();
    return problem.isEmpty() ? problem : QString(problem + u'.');
}

StartExecutionDialog::InputCheck StartExecutionDialog::checkInput(const QString &text)
{
    InputCheck check;
    if (text.trimmed().isEmpty()) {
        check.ok = true;
        check.compactBytes = 2;
        return check;
    }
    const QByteArray bytes = text.toUtf8();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        const int offset = int(qBound(qsizetype(0), qsizetype(error.offset), bytes.size()));
        int position = int(QString::fromUtf8(bytes.constData(), offset).size());
        // Qt reports the offset just past the token it choked on; at a line end
        // (or the end of the text) step back to that token, so "tru⏎}" points at "tru".
        if (position > 0
            && (position >= text.size() || text.at(position).isSpace() || text.at(position - 1) == u'\n')) {
            int p = int(qMin<qsizetype>(position, text.size())) - 1;
            while (p > 0 && text.at(p).isSpace())
                --p;
            position = qMax(p, 0);
        }
        check.position = position;
        const QStringView before = QStringView(text).left(check.position);
        check.line = int(before.count(u'\n')) + 1;
        check.column = int(check.position - (before.lastIndexOf(u'\n') + 1)) + 1;
        check.message = tr("Line %1, column %2: %3").arg(check.line).arg(check.column).arg(error.errorString());
        return check;
    }
    if (!doc.isObject()) {
        check.message = tr("The input must be a JSON object ({…}), not an array or a value.");
        return check;
    }
    check.object = doc.object();
    check.compactBytes = QJsonDocument(check.object).toJson(QJsonDocument::Compact).size();
    if (check.compactBytes > MaxInputBytes) {
        check.message
            = tr("The input is %1; Step Functions accepts at most 256 KiB.").arg(byteSize(check.compactBytes));
        check.object = {};
        return check;
    }
    check.ok = true;
    return check;
}

QString StartExecutionDialog::newTransactionId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString StartExecutionDialog::templateInput()
{
    const QJsonObject details { { QStringLiteral("TransactionId"), newTransactionId() },
        { QStringLiteral("simulateFail"), false } };
    const QJsonObject payload { { QStringLiteral("TransactionDetails"), details } };
    return QString::fromUtf8(
        QJsonDocument(QJsonObject { { QStringLiteral("Payload"), payload } }).toJson(QJsonDocument::Indented));
}

void StartExecutionDialog::validate()
{
    m_error->hide();
    m_nameProblem = nameProblem(m_name->text());
    m_nameStatus->setText(
        m_nameProblem.isEmpty() ? QString() : coloured(QString(u"✖ " + m_nameProblem), Tone::Error, palette()));
    m_nameStatus->setVisible(!m_nameProblem.isEmpty());

    m_inputCheck = checkInput(m_edit->toPlainText());
    QList<QTextEdit::ExtraSelection> marks;
    if (m_inputCheck.ok) {
        m_inputStatus->setText(
            coloured(tr("✔ A JSON object, %1 compact.").arg(byteSize(m_inputCheck.compactBytes)), Tone::Ok, palette()));
    } else {
        m_inputStatus->setText(coloured(QString(u"✖ " + m_inputCheck.message), Tone::Error, palette()));
        if (m_inputCheck.position >= 0) {
            QTextEdit::ExtraSelection mark;
            QTextCursor cursor(m_edit->document());
            const int end = m_edit->document()->characterCount() - 1;
            const int at = qMax(0, qMin(m_inputCheck.position, end - 1));
            cursor.setPosition(at);
            cursor.setPosition(qMin(at + 1, end), QTextCursor::KeepAnchor);
            mark.cursor = cursor;
            QColor bg = toneColor(Tone::Error, palette());
            bg.setAlpha(90);
            mark.format.setBackground(bg);
            mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            mark.format.setUnderlineColor(toneColor(Tone::Error, palette()));
            marks << mark;
        }
    }
    m_edit->setExtraSelections(marks);

    // Mirror simulateFail into the box without feeding back.
    bool pathOk = true;
    const QJsonObject details
        = m_inputCheck.ok ? objectAt(m_inputCheck.object, transactionPath(), &pathOk) : QJsonObject();
    m_simulateAvailable = m_inputCheck.ok && pathOk;
    const QJsonValue fail = details.value(QStringLiteral("simulateFail"));
    {
        const QSignalBlocker blocker(m_simulate);
        m_simulate->setChecked(fail.toBool() || fail.toString().compare(u"true", Qt::CaseInsensitive) == 0);
    }
    updateControls();
}

void StartExecutionDialog::updateControls()
{
    m_name->setReadOnly(m_busy);
    m_edit->setReadOnly(m_busy);
    m_simulate->setEnabled(!m_busy && m_simulateAvailable);
    m_newId->setEnabled(!m_busy && m_simulateAvailable);
    m_format->setEnabled(!m_busy && m_inputCheck.ok);
    m_start->setEnabled(!m_busy && isValid());
    m_progress->setVisible(m_busy);
    m_cancel->setToolTip(m_busy ? tr("Stop waiting for Step Functions (Esc)") : tr("Close without starting (Esc)"));
}

void StartExecutionDialog::rewriteInput(const QJsonObject &object)
{
    QTextCursor cursor(m_edit->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)));
    cursor.endEditBlock();
}

void StartExecutionDialog::setSimulateFailure(bool fail)
{
    if (m_busy || !m_simulateAvailable)
        return;
    QJsonObject object = m_inputCheck.object;
    if (setAt(object, transactionPath(), QStringLiteral("simulateFail"), fail))
        rewriteInput(object);
}

void StartExecutionDialog::newTransaction()
{
    if (m_busy || !m_simulateAvailable)
        return;
    QJsonObject object = m_inputCheck.object;
    if (setAt(object, transactionPath(), QStringLiteral("TransactionId"), newTransactionId()))
        rewriteInput(object);
}

void StartExecutionDialog::formatInput()
{
    if (!m_busy && m_inputCheck.ok)
        rewriteInput(m_inputCheck.object);
}

void StartExecutionDialog::setBusy(bool busy)
{
    m_busy = busy;
    if (busy)
        m_error->hide();
    updateControls();
}

void StartExecutionDialog::showError(const QString &message)
{
    m_error->setText(coloured(QString(u"✖ " + message), Tone::Error, palette()));
    m_error->setProperty("plainText", message);
    m_error->setVisible(!message.isEmpty());
}

void StartExecutionDialog::start()
{
    if (m_busy || !isValid())
        return;
    m_error->hide();
    const QString n = name();
    const QString in = input();
    const bool handled = isSignalConnected(QMetaMethod::fromSignal(&StartExecutionDialog::startRequested));
    Q_EMIT startRequested(n, in);
    if (!handled)
        accept();
}

void StartExecutionDialog::reject()
{
    if (m_busy) {
        Q_EMIT cancelRequested();
        return;
    }
    QDialog::reject();
}

} // namespace Bramble::Ui
