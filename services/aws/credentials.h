#pragma once

#include <QDateTime>
#include <QString>

namespace Bramble::Aws {

// One set of AWS credentials and where they came from. Secrets: never log
// them, never write them to QSettings; describe() shows the key id only.
struct AwsCredentials {
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // empty for long-term keys
    QDateTime expiration; // invalid when they do not expire
    QString source; // "environment", "shared credentials file (profile x)", "assume role ..." ...

    bool isValid() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
    // True when they expire before now + margin (botocore refreshes 15 min
    // ahead for the advisory window; callers choose the margin).
    bool expiresWithin(qint64 seconds, const QDateTime &now = QDateTime::currentDateTimeUtc()) const
    {
        return expiration.isValid() && now.addSecs(seconds) >= expiration;
    }
    QString describe() const;
};

} // namespace Bramble::Aws
