#include "kube/kubeconfigloader.h"
#include "models/kubecontextlistmodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

using namespace Bramble;
using Models::KubeContextListModel;

class TestKubeContextListModel : public QObject {
    Q_OBJECT

private:
    static Kube::Kubeconfig sample()
    {
        // moc cannot read raw string literals; plain literals it is.
        const QByteArray yaml = "current-context: lab\n"
                                "clusters:\n"
                                "- name: pi\n"
                                "  cluster: {server: \"https://192.168.1.50:6443\"}\n"
                                "users:\n"
                                "- name: admin\n"
                                "  user: {client-certificate-data: aGVsbG8=, client-key-data: aGVsbG8=}\n"
                                "- name: eks\n"
                                "  user:\n"
                                "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /usr/bin/aws}\n"
                                "contexts:\n"
                                "- name: pi\n"
                                "  context: {cluster: pi, user: admin}\n"
                                "- name: lab\n"
                                "  context: {cluster: missing, user: eks, namespace: faas}\n";
        const auto r = Kube::KubeconfigLoader::parse(yaml, QStringLiteral("/tmp/config"));
        Q_ASSERT(r.ok());
        return r.config;
    }

private Q_SLOTS:
    void rowsAndRoles()
    {
        KubeContextListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKubeconfig(sample());
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex pi = model.index(0);
        QCOMPARE(pi.data().toString(), QStringLiteral("pi"));
        QCOMPARE(pi.data(KubeContextListModel::ServerRole).toString(), QStringLiteral("https://192.168.1.50:6443"));
        QCOMPARE(pi.data(KubeContextListModel::AuthRole).toString(), QStringLiteral("client certificate"));
        QCOMPARE(pi.data(KubeContextListModel::IsDefaultRole).toBool(), false);
        QCOMPARE(pi.data(KubeContextListModel::OriginRole).toString().left(14), QStringLiteral("/tmp/config:13"));
        const QModelIndex lab = model.index(1);
        QCOMPARE(lab.data(KubeContextListModel::NamespaceRole).toString(), QStringLiteral("faas"));
        QCOMPARE(lab.data(KubeContextListModel::AuthRole).toString(), QStringLiteral("exec: aws"));
        QCOMPARE(lab.data(KubeContextListModel::IsDefaultRole).toBool(), true);
        QVERIFY(lab.data(Qt::FontRole).value<QFont>().bold());
        // A context whose cluster is missing says so instead of showing nothing.
        QCOMPARE(lab.data(KubeContextListModel::ServerRole).toString(), QString());
        QVERIFY(lab.data(Qt::ToolTipRole).toString().contains(QStringLiteral("missing")));
        QCOMPARE(model.rowOf(QStringLiteral("lab")), 1);
        QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
        QCOMPARE(model.roleNames().value(KubeContextListModel::NamespaceRole), QByteArray("namespace"));
    }

    void replacingTheConfigResetsOnce()
    {
        KubeContextListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKubeconfig(sample());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setKubeconfig(Kube::Kubeconfig {});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.index(0).isValid());
    }
};

QTEST_GUILESS_MAIN(TestKubeContextListModel)
#include "tst_kubecontextlistmodel.moc"
