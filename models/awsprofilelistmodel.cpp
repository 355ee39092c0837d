#include "models/awsprofilelistmodel.h"

namespace Bramble::Models {

AwsProfileListModel::AwsProfileListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void AwsProfileListModel::setProfiles(
    const QList<Aws::AwsProfile> &profiles, const QString &localName, const QString &localTitle)
{
    beginResetModel();
    m_profiles = profiles;
    m_localName = localName;
    m_localTitle = localTitle;
    if (!localName.isEmpty()) {
        Aws::AwsProfile local;
        local.name = localName;
        m_profiles.prepend(local);
    }
    endResetModel();
}

int AwsProfileListModel::rowOf(const QString &profileName) const
{
    for (int i = 0; i < m_profiles.size(); ++i)
        if (m_profiles.at(i).name == profileName)
            return i;
    return -1;
}

int AwsProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QString AwsProfileListModel::kindOf(const Aws::AwsProfile &p)
{
    if (p.settings.contains(QStringLiteral("role_arn")))
        return tr("assume role");
    if (p.settings.contains(QStringLiteral("sso_session")) || p.settings.contains(QStringLiteral("sso_start_url")))
        return tr("SSO");
    if (p.settings.contains(QStringLiteral("credential_process")))
        return tr("credential process");
    if (p.hasStaticCredentials)
        return tr("static keys");
    return tr("settings only");
}

QVariant AwsProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Aws::AwsProfile &p = m_profiles.at(index.row());
    if (isLocal(index.row())) {
        switch (role) {
        case Qt::DisplayRole:
            return m_localTitle;
        case NameRole:
            return p.name;
        case Qt::ToolTipRole:
            return tr("%1\nStep Functions and DynamoDB served on this machine: no AWS account needed")
                .arg(m_localTitle);
        case KindRole:
            return tr("local runtime");
        case HasStaticCredentialsRole:
            return false;
        default:
            return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return p.name;
    case Qt::ToolTipRole:
        return tr("%1 (%2)\nRegion %3\nFrom %4")
            .arg(p.name, kindOf(p), p.region.isEmpty() ? tr("not set") : p.region, p.files.join(QStringLiteral(", ")));
    case RegionRole:
        return p.region;
    case SourceFileRole:
        return p.sourceFile;
    case HasStaticCredentialsRole:
        return p.hasStaticCredentials;
    case KindRole:
        return kindOf(p);
    default:
        return {};
    }
}

QHash<int, QByteArray> AwsProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(RegionRole, "region");
    names.insert(SourceFileRole, "sourceFile");
    names.insert(HasStaticCredentialsRole, "hasStaticCredentials");
    names.insert(KindRole, "kind");
    return names;
}

} // namespace Bramble::Models
