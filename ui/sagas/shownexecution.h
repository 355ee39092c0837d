#pragma once

#include "saga/executionloadjob.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace Bramble::Core {
struct Error;
}
namespace Bramble::Saga {
class ExecutionFollower;
class ExecutionPresenter;
class SagaExplorer;
class SagaSettingsStore;
} // namespace Bramble::Saga

namespace Bramble::Ui {

class ExecutionView;

// The Sagas pane's shown execution: puts what an ExecutionPresenter holds
// (loaded, then updated as it is followed live) into an ExecutionView, and
// reads the execution's transaction record from where the saga settings say.
// The view's follow and record-reload buttons act on it. No protocol logic:
// the presenter loads, follows and analyses.
class ShownExecution : public QObject {
    Q_OBJECT

public:
    ShownExecution(ExecutionView *view, Saga::SagaSettingsStore *store, QObject *parent = nullptr);
    ~ShownExecution() override;

    // The explorer of the session (null: none); drops what was shown.
    void setExplorer(Saga::SagaExplorer *explorer);
    void show(const QString &executionArn);
    void reload();
    void clear();
    void setFollowing(bool follow);

    QString executionArn() const;
    const Saga::LoadedExecution *execution() const; // null until loaded
    bool isLoading() const;
    Saga::ExecutionFollower *follower() const;

Q_SIGNALS:
    // The view shows the execution (loaded, or updated by the follower).
    void executionShown(const Bramble::Saga::LoadedExecution &execution);
    void message(const QString &text, bool error);

private:
    void onLoaded();
    void onUpdated();
    void showInView();
    QString machineName() const;
    void onFollowingChanged(bool following);
    void fetchRecord();
    void onRecordFetched(const QString &arn, const QJsonObject &item, bool found, const Core::Error &error);

    ExecutionView *m_view;
    Saga::SagaSettingsStore *m_store;
    QPointer<Saga::SagaExplorer> m_explorer;
    QPointer<Saga::ExecutionPresenter> m_presenter;
    QTimer *m_tick;
    QString m_recordNote; // where the record being read is, for the record view
};

} // namespace Bramble::Ui
