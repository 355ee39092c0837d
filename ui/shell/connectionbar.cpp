#include "ui/shell/connectionbar.h"

#include "models/awsprofilelistmodel.h"
#include "models/kubecontextlistmodel.h"
#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"
#include "ui/common/text.h"
#include "ui/common/theme.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QToolButton>

namespace Bramble::Ui {

namespace {

// Regions offered in the list; any other can be typed.
const char *const kRegions[] = {
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
    "af-south-1",
    "me-south-1",
};

QLabel *iconLabel(const QString &icon, const QString &tip, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setPixmap(themedIcon(icon).pixmap(QSize(18, 18), parent->devicePixelRatioF()));
    label->setToolTip(tip);
    return label;
}

} // namespace

ConnectionBar::ConnectionBar(Session::ConnectionCatalog *catalog, Models::KubeContextListModel *contexts,
    Models::AwsProfileListModel *profiles, QWidget *parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_contexts(contexts)
    , m_profiles(profiles)
    , m_context(new QComboBox(this))
    , m_profile(new QComboBox(this))
    , m_region(new QComboBox(this))
    , m_problems(new QToolButton(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);

    layout->addWidget(iconLabel(QStringLiteral("kubernetes"), tr("Kubernetes context"), this));
    m_context->setObjectName(QStringLiteral("contextBox"));
    m_context->setModel(contexts);
    m_context->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_context->setMinimumContentsLength(14);
    m_context->setToolTip(tr("Kubernetes context (from KUBECONFIG or ~/.kube/config); bold is the current-context"));
    layout->addWidget(m_context);
    layout->addSpacing(16);

    layout->addWidget(iconLabel(QStringLiteral("cloud"), tr("AWS profile and region"), this));
    m_profile->setObjectName(QStringLiteral("profileBox"));
    m_profile->setModel(profiles);
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_profile->setMinimumContentsLength(10);
    m_profile->setToolTip(tr("AWS profile (from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws)"));
    layout->addWidget(m_profile);
    m_region->setObjectName(QStringLiteral("regionBox"));
    m_region->setEditable(true);
    m_region->setInsertPolicy(QComboBox::NoInsert);
    m_region->setMinimumContentsLength(12);
    m_region->lineEdit()->setPlaceholderText(tr("region"));
    for (const char *r : kRegions)
        m_region->addItem(QString::fromLatin1(r));
    m_region->setToolTip(tr("AWS region; type any region name"));
    layout->addWidget(m_region);

    layout->addStretch();
    m_problems->setObjectName(QStringLiteral("problemsButton"));
    m_problems->setAutoRaise(true);
    m_problems->setIcon(themedIcon(QStringLiteral("warning"), Tone::Warning));
    m_problems->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    layout->addWidget(m_problems);
    auto *refresh = new QToolButton(this);
    refresh->setAutoRaise(true);
    refresh->setIcon(themedIcon(QStringLiteral("refresh")));
    refresh->setToolTip(tr("Reload kubeconfig and AWS files (F5)"));
    layout->addWidget(refresh);

    connect(refresh, &QToolButton::clicked, this, &ConnectionBar::refreshRequested);
    connect(m_problems, &QToolButton::clicked, this,
        [this] { QMessageBox::warning(this, tr("Configuration problems"), problemsText()); });
    connect(m_context, &QComboBox::activated, this, [this](int row) {
        m_catalog->setCurrentContext(m_contexts->index(row).data(Models::KubeContextListModel::NameRole).toString());
    });
    connect(m_profile, &QComboBox::activated, this, [this](int row) {
        m_catalog->setCurrentProfile(m_profiles->index(row).data(Models::AwsProfileListModel::NameRole).toString());
    });
    connect(m_region, &QComboBox::textActivated, this, [this](const QString &region) {
        if (!m_syncing)
            m_catalog->setCurrentRegion(region.trimmed());
    });
    connect(catalog, &Session::ConnectionCatalog::reloaded, this, &ConnectionBar::reloadModels);
    connect(catalog, &Session::ConnectionCatalog::currentContextChanged, this, &ConnectionBar::syncFromCatalog);
    connect(catalog, &Session::ConnectionCatalog::currentProfileChanged, this, &ConnectionBar::syncFromCatalog);
    connect(catalog, &Session::ConnectionCatalog::currentRegionChanged, this, &ConnectionBar::syncFromCatalog);
    reloadModels();
}

void ConnectionBar::reloadModels()
{
    m_contexts->setKubeconfig(m_catalog->kube().config);
    if (m_catalog->isLocalProfileAvailable())
        m_profiles->setProfiles(
            m_catalog->aws().config.profiles, Session::localProfileName(), Session::localProfileTitle());
    else
        m_profiles->setProfiles(m_catalog->aws().config.profiles);
    syncFromCatalog();
}

void ConnectionBar::syncFromCatalog()
{
    m_syncing = true;
    m_context->setCurrentIndex(m_contexts->rowOf(m_catalog->currentContext()));
    m_context->setEnabled(m_contexts->rowCount() > 0);
    m_context->setPlaceholderText(tr("no kube context"));
    m_profile->setCurrentIndex(m_profiles->rowOf(m_catalog->currentProfile()));
    m_profile->setEnabled(m_profiles->rowCount() > 0);
    m_profile->setPlaceholderText(tr("no AWS profile"));
    m_region->setEditText(m_catalog->currentRegion());
    m_region->setEnabled(m_catalog->currentProfile() != Session::localProfileName()); // the runtime has one region
    m_syncing = false;
    updateProblems();
}

QString ConnectionBar::problemsText() const
{
    QStringList lines;
    for (const Core::Error &e : m_catalog->kube().errors)
        lines << e.toString();
    for (const Core::Error &e : m_catalog->aws().errors)
        lines << e.toString();
    for (const Core::Error &e : m_catalog->kube().warnings)
        lines << tr("warning: ") + e.toString();
    return lines.join(u'\n');
}

void ConnectionBar::updateProblems()
{
    const qsizetype errors = m_catalog->kube().errors.size() + m_catalog->aws().errors.size();
    const qsizetype warnings = m_catalog->kube().warnings.size();
    m_problems->setVisible(errors + warnings > 0);
    m_problems->setIcon(
        themedIcon(errors ? QStringLiteral("error") : QStringLiteral("warning"), errors ? Tone::Error : Tone::Warning));
    m_problems->setText(errors ? countOf(errors, tr("file error"), tr("file errors"))
                               : countOf(warnings, tr("warning"), tr("warnings")));
    m_problems->setToolTip(problemsText());
}

} // namespace Bramble::Ui
