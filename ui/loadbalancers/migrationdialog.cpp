#include "ui/loadbalancers/migrationdialog.h"

#include "ui/common/textviews.h"
#include "ui/common/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace Bramble::Ui {

MigrationDialog::MigrationDialog(const QString &pool, const QByteArray &yaml, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("migrationDialog"));
    setWindowTitle(tr("Migrate pool %1 to MetalLB CRDs").arg(pool));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<p><b>%1</b> comes from the legacy ConfigMap <tt>metallb-system/config</tt>. "
                                "Bramble does not rewrite it. MetalLB 0.13 and later read pools from "
                                "<tt>metallb.io/v1beta1</tt> objects instead; below is the equivalent of every pool "
                                "of the ConfigMap. Review it, apply it with <tt>kubectl apply -f</tt>, then remove "
                                "the ConfigMap. After that the pool can be edited here.</p>")
                                 .arg(pool.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_text = monospaceText(this, true);
    m_text->setObjectName(QStringLiteral("migrationYaml"));
    m_text->setPlainText(QString::fromUtf8(yaml));
    layout->addWidget(m_text, 1);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyButton"));
    copy->setToolTip(tr("Copy the YAML to the clipboard"));
    QPushButton *save = buttons->addButton(tr("Save as…"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("saveButton"));
    save->setShortcut(QKeySequence::Save);
    save->setToolTip(tr("Save the YAML to a file (%1)").arg(save->shortcut().toString(QKeySequence::NativeText)));
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_text->toPlainText());
        m_message->setText(tr("Copied to the clipboard."));
    });
    connect(save, &QPushButton::clicked, this, &MigrationDialog::saveAs);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 520);
}

QString MigrationDialog::yaml() const
{
    return m_text->toPlainText();
}

QString MigrationDialog::messageText() const
{
    return m_message->text();
}

void MigrationDialog::saveAs()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save MetalLB CRDs"),
        QDir::home().filePath(QStringLiteral("metallb-pools.yaml")), tr("YAML files (*.yaml *.yml)"));
    if (!file.isEmpty())
        saveTo(file);
}

bool MigrationDialog::saveTo(const QString &fileName)
{
    QSaveFile f(fileName);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_text->toPlainText().toUtf8()) < 0 || !f.commit()) {
        m_message->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                               .arg(toneColor(Tone::Error, palette()).name(),
                                   tr("Could not save %1: %2").arg(fileName, f.errorString()).toHtmlEscaped()));
        return false;
    }
    m_message->setText(tr("Saved to %1.").arg(fileName).toHtmlEscaped());
    return true;
}

} // namespace Bramble::Ui
