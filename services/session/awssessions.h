#pragma once

#include "aws/credentialchain.h"
#include "core/environment.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

namespace Bramble::Aws {
class AwsSession;
}

namespace Bramble::Session {

class ConnectionCatalog;
class LocalRuntimeHost;

// One AWS session per (profile, region) for the whole window, shared by
// every pane that needs AWS (Sagas, Logs...): the shared files are read
// once, credentials are fetched and refreshed once, and a role with
// mfa_serial asks for its code once, not once per pane.
//
// Sessions are created on first use and kept until the AWS files' content
// changes (the catalog reloads whenever anything in their folders moves: only
// a real change of the config or credentials file counts, so a role is not
// asked for its MFA code again for nothing), F5, or the window closes; then
// sessionsReset() tells the users to drop their pointers and ask again.
//
// GUI thread.
class AwsSessions : public QObject {
    Q_OBJECT
public:
    // `local` (may be null) serves the profile localProfileName(): the local
    // runtime, started on first use.
    explicit AwsSessions(ConnectionCatalog *catalog, LocalRuntimeHost *local = nullptr, QObject *parent = nullptr);
    ~AwsSessions() override;

    // The session of the catalog's current profile and region. Never null;
    // check isValid() (the profile may not be usable, and errors() says why).
    Aws::AwsSession *current();
    // The session of a given profile and region (empty: the files' defaults).
    // localProfileName(): the local runtime's, whatever the region.
    Aws::AwsSession *session(const QString &profile, const QString &region);
    // Sessions made so far, for tests ("one per profile and region").
    int sessionCount() const { return int(m_sessions.size()); }

    // How a role's MFA code is asked for (the window shows a dialog); set
    // once, applied to every session made before and after.
    void setMfaPrompt(Aws::ProfileCredentialsProvider::MfaPrompt prompt);

    // Drops every session (F5).
    void reset();

Q_SIGNALS:
    // Every session was dropped: pointers to them are no longer valid.
    void sessionsReset();
    // The catalog's current profile or region changed: current() is another session.
    void currentChanged();

private:
    void onCatalogReloaded();
    QByteArray filesFingerprint() const;

    Aws::AwsSession *makeLocalSession();

    ConnectionCatalog *m_catalog;
    LocalRuntimeHost *m_local;
    QByteArray m_fingerprint;
    QHash<QString, Aws::AwsSession *> m_sessions; // "profile\nregion" -> owned
    Aws::ProfileCredentialsProvider::MfaPrompt m_mfaPrompt;
};

} // namespace Bramble::Session
