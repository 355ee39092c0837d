#pragma once

#include "kube/listwatch.h"

#include <QUrl>
#include <QWidget>

class QLabel;

namespace Bramble::Ui {

enum class Tone;

// How fresh what a pane shows is, from the watch's ConnectionStatus: a
// coloured marker and one line ("Live", "Connecting to https://…",
// "Reconnecting since 14:02 — connection refused", "Failed: Forbidden …"),
// with the last complete sync and the retry count in the tooltip.
class FreshnessIndicator : public QWidget {
    Q_OBJECT

public:
    explicit FreshnessIndicator(QWidget *parent = nullptr);

    void setStatus(const Kube::ConnectionStatus &status, const QUrl &server);
    QString text() const;
    static QString describe(const Kube::ConnectionStatus &status, const QUrl &server);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateView();

    Kube::ConnectionStatus m_status;
    QUrl m_server;
    QLabel *m_icon;
    QLabel *m_text;
};

} // namespace Bramble::Ui
