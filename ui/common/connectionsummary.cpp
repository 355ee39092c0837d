#include "ui/common/connectionsummary.h"

#include "aws/awsconfig.h"
#include "kube/kubeconfig.h"
#include "ui/common/theme.h"

#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace Bramble::Ui {

ConnectionSummary::ConnectionSummary(QWidget *parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_form(new QFormLayout)
    , m_problems(new QVBoxLayout)
    , m_note(new QLabel(this))
{
    auto *outer = new QVBoxLayout(this);
    auto *card = new QFrame(this);
    card->setFrameShape(QFrame::StyledPanel);
    card->setMaximumWidth(760);
    auto *cardLayout = new QVBoxLayout(card);
    QFont f = m_heading->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_heading->setFont(f);
    cardLayout->addWidget(m_heading);
    m_form->setLabelAlignment(Qt::AlignRight);
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    cardLayout->addLayout(m_form);
    cardLayout->addLayout(m_problems);
    outer->addWidget(card);
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_note->setMaximumWidth(760);
    outer->addWidget(m_note);
    outer->addStretch();
}

void ConnectionSummary::clear()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    while (QLayoutItem *item = m_problems->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void ConnectionSummary::addRow(const QString &label, const QString &value)
{
    auto *valueLabel = new QLabel(value.isEmpty() ? tr("—") : value);
    valueLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_form->addRow(label + u':', valueLabel);
}

void ConnectionSummary::addProblem(const Core::Error &error, bool isError)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 2, 0, 2);
    auto *icon = new QLabel(row);
    const Tone tone = isError ? Tone::Error : Tone::Warning;
    icon->setPixmap(themedIcon(isError ? QStringLiteral("error") : QStringLiteral("warning"), tone).pixmap(16, 16));
    layout->addWidget(icon, 0, Qt::AlignTop);
    auto *text = new QLabel(error.toString(), row);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setObjectName(QStringLiteral("problem"));
    layout->addWidget(text, 1);
    m_problems->addWidget(row);
}

void ConnectionSummary::showKubeContext(const Kube::Kubeconfig &config, const QString &context)
{
    clear();
    m_heading->setText(tr("Kubernetes context %1").arg(context));
    const Kube::KubeContext *ctx = config.context(context);
    const Kube::KubeCluster *cluster = ctx ? config.cluster(ctx->cluster) : nullptr;
    const Kube::KubeUser *user = ctx ? config.user(ctx->user) : nullptr;
    addRow(tr("Cluster"), ctx ? ctx->cluster : QString());
    addRow(tr("API server"), cluster ? cluster->server : QString());
    addRow(tr("User"), ctx ? ctx->user : QString());
    addRow(tr("Authentication"), user ? user->authSummary() : QString());
    addRow(tr("Namespace"), ctx && !ctx->namespace_.isEmpty() ? ctx->namespace_ : QStringLiteral("default"));
    addRow(tr("Defined in"), ctx ? ctx->origin.toString() : QString());
    Core::Errors warnings;
    const Core::Errors errors = config.validateContext(context, &warnings);
    for (const Core::Error &e : errors)
        addProblem(e, true);
    for (const Core::Error &w : std::as_const(warnings))
        addProblem(w, false);
}

void ConnectionSummary::showAwsProfile(
    const Aws::AwsSharedConfig &config, const QString &profile, const QString &region, bool envCredentials)
{
    clear();
    m_heading->setText(tr("AWS profile %1").arg(profile));
    const Aws::AwsProfile *p = config.profile(profile);
    addRow(tr("Region"), region.isEmpty() ? tr("not set") : region);
    if (envCredentials) {
        addRow(tr("Credentials"), tr("AWS_ACCESS_KEY_ID from the environment"));
    } else if (p) {
        QString credentials = p->hasStaticCredentials ? tr("access key in the shared files") : QString();
        if (p->settings.contains(QStringLiteral("role_arn")))
            credentials = tr("assume role %1").arg(p->settings.value(QStringLiteral("role_arn")));
        else if (p->settings.contains(QStringLiteral("credential_process")))
            credentials = tr("credential_process");
        else if (p->settings.contains(QStringLiteral("sso_session"))
            || p->settings.contains(QStringLiteral("sso_start_url")))
            credentials = tr("IAM Identity Center (SSO)");
        addRow(tr("Credentials"), credentials.isEmpty() ? tr("none in the shared files") : credentials);
    } else {
        addProblem(Core::Error(tr("profile \"%1\" is not defined in %2 or %3")
                                   .arg(profile, config.configFile, config.credentialsFile)),
            true);
    }
    if (p) {
        addRow(tr("Defined in"), p->files.join(QStringLiteral(", ")));
        if (p->settings.contains(QStringLiteral("endpoint_url")))
            addRow(tr("Endpoint"), p->settings.value(QStringLiteral("endpoint_url")));
    }
    if (region.isEmpty())
        addProblem(Core::Error(tr("no region: set one in the connection bar, with AWS_REGION, or as "
                                  "\"region =\" in the profile")),
            false);
}

void ConnectionSummary::setNote(const QString &text)
{
    m_note->setText(text);
}

QStringList ConnectionSummary::rowTexts() const
{
    QStringList out;
    for (int i = 0; i < m_form->rowCount(); ++i) {
        auto *label = qobject_cast<QLabel *>(m_form->itemAt(i, QFormLayout::LabelRole)->widget());
        auto *value = qobject_cast<QLabel *>(m_form->itemAt(i, QFormLayout::FieldRole)->widget());
        out << label->text() + u' ' + value->text();
    }
    return out;
}

QStringList ConnectionSummary::problemTexts() const
{
    QStringList out;
    for (QLabel *l : findChildren<QLabel *>(QStringLiteral("problem")))
        out << l->text();
    return out;
}

} // namespace Bramble::Ui
