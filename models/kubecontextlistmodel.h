#pragma once

#include "kube/kubeconfig.h"

#include <QAbstractListModel>

namespace Bramble::Models {

// The contexts of a merged kubeconfig, one row each, in file order.
class KubeContextListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        ClusterRole,
        UserRole,
        NamespaceRole,
        ServerRole,
        AuthRole, // "client certificate", "exec: aws", ... never a secret
        IsDefaultRole, // the kubeconfig's current-context
        OriginRole, // "file:line" the context came from
    };
    Q_ENUM(Role)

    explicit KubeContextListModel(QObject *parent = nullptr);

    void setKubeconfig(const Kube::Kubeconfig &config);
    int rowOf(const QString &contextName) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    Kube::Kubeconfig m_config;
};

} // namespace Bramble::Models
