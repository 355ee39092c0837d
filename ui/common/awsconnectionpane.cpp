#include "ui/common/awsconnectionpane.h"

#include "session/connectioncatalog.h"
#include "session/localruntimehost.h"
#include "ui/common/connectionsummary.h"
#include "ui/common/emptystate.h"

#include <QPushButton>

namespace Bramble::Ui {

AwsConnectionPane::AwsConnectionPane(const QString &id, const QString &title, const QString &iconName,
    Session::ConnectionCatalog *catalog, const QString &note, QWidget *parent)
    : Pane(id, title, iconName, parent)
    , m_catalog(catalog)
    , m_note(note)
{
    if (!note.isNull()) {
        m_summary = new ConnectionSummary(this);
        setContent(m_summary);
    }
    connect(catalog, &Session::ConnectionCatalog::reloaded, this, &AwsConnectionPane::updateView);
    connect(catalog, &Session::ConnectionCatalog::currentProfileChanged, this, &AwsConnectionPane::updateView);
    connect(catalog, &Session::ConnectionCatalog::currentRegionChanged, this, &AwsConnectionPane::updateView);
    QMetaObject::invokeMethod(this, &AwsConnectionPane::updateView, Qt::QueuedConnection);
}

void AwsConnectionPane::updateView()
{
    if (showUnusableProfile())
        return;
    const auto &aws = m_catalog->aws();
    const bool envKeys = m_catalog->environment().contains(QStringLiteral("AWS_ACCESS_KEY_ID"));
    if (m_summary) {
        m_summary->showAwsProfile(aws.config, m_catalog->currentProfile(), m_catalog->currentRegion(), envKeys);
        m_summary->setNote(m_note);
    }
    showEmptyState(false);
}

bool AwsConnectionPane::showUnusableProfile()
{
    const auto &aws = m_catalog->aws();
    EmptyState *empty = emptyState();
    empty->clearActions();
    // The local runtime needs neither the files nor keys.
    if (m_catalog->currentProfile() == Session::localProfileName()) {
        setSubtitle(tr("%1 · Step Functions and DynamoDB on this machine").arg(Session::localProfileTitle()));
        return false;
    }
    if (!aws.ok()) {
        empty->setIcon(QStringLiteral("error"));
        empty->setTitle(tr("The AWS configuration could not be read"));
        QStringList lines;
        for (const Core::Error &e : aws.errors)
            lines << e.toString().toHtmlEscaped();
        empty->setBody(lines.join(QStringLiteral("<br>")) + tr("<p>Fix the file and press F5.</p>"));
        setSubtitle(QString());
        showEmptyState(true);
        return true;
    }
    const bool envKeys = m_catalog->environment().contains(QStringLiteral("AWS_ACCESS_KEY_ID"));
    if (aws.config.profiles.isEmpty() && !envKeys) {
        empty->setIcon(QStringLiteral("cloud"));
        empty->setTitle(tr("No AWS profile found"));
        if (m_catalog->isLocalProfileAvailable())
            connect(empty->addAction(tr("Use Local (this machine)")), &QPushButton::clicked, this,
                [catalog = m_catalog] { catalog->setCurrentProfile(Session::localProfileName()); });
        empty->setBody(tr("<p>Bramble finds credentials the way the AWS CLI does. Add a profile with "
                          "<code>aws configure --profile NAME</code> (or <code>aws configure sso</code>), "
                          "or set <code>AWS_CONFIG_FILE</code> / <code>AWS_SHARED_CREDENTIALS_FILE</code> "
                          "before starting Bramble, then press F5.</p><p>Looked in %1 and %2.</p>")
                           .arg(aws.config.configFile.toHtmlEscaped(), aws.config.credentialsFile.toHtmlEscaped()));
        setSubtitle(QString());
        showEmptyState(true);
        return true;
    }
    setSubtitle(tr("profile %1 · %2")
                    .arg(m_catalog->currentProfile(),
                        m_catalog->currentRegion().isEmpty() ? tr("no region") : m_catalog->currentRegion()));
    return false;
}

} // namespace Bramble::Ui
