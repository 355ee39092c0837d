#pragma once

#include "core/job.h"
#include "metallb/poolconfig.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace Bramble::Kube {
class KubeCall;
class KubeClient;
} // namespace Bramble::Kube

namespace Bramble::MetalLB {

// What the server said about one object sent by a PoolApplyJob.
struct ApplyResult {
    QString kind; // IPAddressPool, L2Advertisement, BGPAdvertisement
    QString namespace_;
    QString name;
    bool ok = false;
    // ok: "created", "configured" or "unchanged" (as kubectl apply prints);
    // else the server's message (an admission webhook's denial, a 409...).
    QString message;

    // "ipaddresspool.metallb.io/lan-pool configured (server dry run)"
    QString toString(bool dryRun) const;
};

// Objects read from YAML for applying: the metallb.io/v1beta1 objects of
// every document. The legacy ConfigMap is refused with an error that points
// at the migration (never rewritten silently). *error names the file and
// document on failure.
QList<QJsonObject> readApplyObjects(const QByteArray &yaml, const QString &fileName, QString *error);

// An IPAddressPool object (as the server holds it) with new addresses, ready
// to apply: status, managedFields, resourceVersion and uid removed.
QJsonObject poolWithAddresses(const QJsonObject &pool, const QStringList &addresses);

// The metallb.io/v1beta1 YAML equivalent of legacy ConfigMap pools: one
// IPAddressPool per pool, and an L2Advertisement or BGPAdvertisement (with the
// aggregation length, local pref and communities of its bgp-advertisements)
// naming it. For the user to read and apply; nothing is sent.
QByteArray migrationYaml(const PoolConfig &legacy);

// Sends objects with server-side apply (PATCH application/apply-patch+yaml,
// fieldManager=bramble, force=true), one after another, optionally as a
// server-side dry run (dryRun=All: admission webhooks run, nothing is
// stored). A Core::Job, returned started: finished() once with one result
// per object (objects after a failure are still tried; error() then says how
// many failed), then it deletes itself; progressChanged() counts objects.
// cancel() drops the request in flight and finishes (Cancelled) with what it has.
class PoolApplyJob : public Core::Job {
    Q_OBJECT

public:
    using Core::Job::start; // begins a job made here (started already by the factory)
    static PoolApplyJob *start(
        Kube::KubeClient *client, const QList<QJsonObject> &objects, bool dryRun, QObject *parent = nullptr);
    bool isDryRun() const { return m_dryRun; }
    const QList<ApplyResult> &results() const { return m_results; }
    bool allOk() const;

private:
    PoolApplyJob(Kube::KubeClient *client, const QList<QJsonObject> &objects, bool dryRun, QObject *parent);
    void begin() override { next(); }
    void abort() override;
    void next();

    QPointer<Kube::KubeClient> m_client;
    QList<QJsonObject> m_objects;
    bool m_dryRun = false;
    QList<ApplyResult> m_results;
    QPointer<Kube::KubeCall> m_call;
};

} // namespace Bramble::MetalLB
