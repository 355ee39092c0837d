#include "models/kubecontextlistmodel.h"

#include <QFont>

namespace Bramble::Models {

KubeContextListModel::KubeContextListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void KubeContextListModel::setKubeconfig(const Kube::Kubeconfig &config)
{
    beginResetModel();
    m_config = config;
    endResetModel();
}

int KubeContextListModel::rowOf(const QString &contextName) const
{
    for (int i = 0; i < m_config.contexts.size(); ++i)
        if (m_config.contexts.at(i).name == contextName)
            return i;
    return -1;
}

int KubeContextListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_config.contexts.size());
}

QVariant KubeContextListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Kube::KubeContext &ctx = m_config.contexts.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return ctx.name;
    case Qt::ToolTipRole: {
        const Kube::KubeCluster *cluster = m_config.cluster(ctx.cluster);
        return tr("Cluster %1 (%2)\nUser %3\nNamespace %4\nFrom %5")
            .arg(ctx.cluster, cluster ? cluster->server : tr("missing"), ctx.user,
                ctx.namespace_.isEmpty() ? QStringLiteral("default") : ctx.namespace_, ctx.origin.toString());
    }
    case Qt::FontRole:
        if (ctx.name == m_config.currentContext) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case ClusterRole:
        return ctx.cluster;
    case UserRole:
        return ctx.user;
    case NamespaceRole:
        return ctx.namespace_;
    case ServerRole: {
        const Kube::KubeCluster *cluster = m_config.cluster(ctx.cluster);
        return cluster ? cluster->server : QString();
    }
    case AuthRole: {
        const Kube::KubeUser *user = m_config.user(ctx.user);
        return user ? user->authSummary() : QString();
    }
    case IsDefaultRole:
        return ctx.name == m_config.currentContext;
    case OriginRole:
        return ctx.origin.toString();
    default:
        return {};
    }
}

QHash<int, QByteArray> KubeContextListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(ClusterRole, "cluster");
    names.insert(UserRole, "user");
    names.insert(NamespaceRole, "namespace");
    names.insert(ServerRole, "server");
    names.insert(AuthRole, "auth");
    names.insert(IsDefaultRole, "isDefault");
    names.insert(OriginRole, "origin");
    return names;
}

} // namespace Bramble::Models
