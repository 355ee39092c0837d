#pragma once

#include "aws/awsconfig.h"

#include <QAbstractListModel>

namespace Bramble::Models {

// The AWS profiles of the shared config and credentials files, one row each.
class AwsProfileListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        RegionRole,
        SourceFileRole,
        HasStaticCredentialsRole,
        KindRole, // "static keys", "assume role", "SSO", "credential process", "settings only"
    };
    Q_ENUM(Role)

    explicit AwsProfileListModel(QObject *parent = nullptr);

    // `localName` non-empty: a first row for the local runtime, shown as `localTitle`.
    void setProfiles(
        const QList<Aws::AwsProfile> &profiles, const QString &localName = {}, const QString &localTitle = {});
    int rowOf(const QString &profileName) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString kindOf(const Aws::AwsProfile &profile);

private:
    bool isLocal(int row) const { return !m_localName.isEmpty() && row == 0; }

    QList<Aws::AwsProfile> m_profiles;
    QString m_localName;
    QString m_localTitle;
};

} // namespace Bramble::Models
