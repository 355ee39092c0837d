#include "ui/common/freshnessindicator.h"

#include "ui/common/theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace Bramble::Ui {

namespace {

QString clock(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    const QDateTime local = t.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

Tone toneOf(Kube::ConnectionStatus::State state)
{
    switch (state) {
    case Kube::ConnectionStatus::Live:
        return Tone::Ok;
    case Kube::ConnectionStatus::Reconnecting:
        return Tone::Warning;
    case Kube::ConnectionStatus::Failed:
        return Tone::Error;
    case Kube::ConnectionStatus::Connecting:
    case Kube::ConnectionStatus::Idle:
        break;
    }
    return Tone::Muted;
}

QString iconOf(Kube::ConnectionStatus::State state)
{
    switch (state) {
    case Kube::ConnectionStatus::Live:
        return QStringLiteral("ok");
    case Kube::ConnectionStatus::Reconnecting:
        return QStringLiteral("warning");
    case Kube::ConnectionStatus::Failed:
        return QStringLiteral("error");
    case Kube::ConnectionStatus::Connecting:
    case Kube::ConnectionStatus::Idle:
        break;
    }
    return QStringLiteral("refresh");
}

} // namespace

FreshnessIndicator::FreshnessIndicator(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("freshness"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = m_text->font();
    f.setBold(true);
    m_text->setFont(f);
    m_text->setMinimumWidth(120);
    updateView();
}

QString FreshnessIndicator::describe(const Kube::ConnectionStatus &status, const QUrl &server)
{
    const QString reason = status.reason.isEmpty() ? QString() : QStringLiteral(" — ") + status.reason;
    switch (status.state) {
    case Kube::ConnectionStatus::Idle:
        return tr("Not watching");
    case Kube::ConnectionStatus::Connecting:
        return server.isEmpty() ? tr("Connecting…") : tr("Connecting to %1…").arg(server.toDisplayString());
    case Kube::ConnectionStatus::Live:
        return tr("Live");
    case Kube::ConnectionStatus::Reconnecting:
        return tr("Reconnecting since %1").arg(clock(status.since)) + reason;
    case Kube::ConnectionStatus::Failed:
        return tr("Failed: %1").arg(status.reason.isEmpty() ? tr("unknown error") : status.reason);
    }
    return {};
}

void FreshnessIndicator::setStatus(const Kube::ConnectionStatus &status, const QUrl &server)
{
    m_status = status;
    m_server = server;
    updateView();
}

QString FreshnessIndicator::text() const
{
    return m_text->text();
}

void FreshnessIndicator::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateView();
}

void FreshnessIndicator::updateView()
{
    const Tone tone = toneOf(m_status.state);
    m_icon->setPixmap(themedIcon(iconOf(m_status.state), tone).pixmap(QSize(16, 16), devicePixelRatioF()));
    m_text->setText(describe(m_status, m_server));
    QPalette p = m_text->palette();
    p.setColor(QPalette::WindowText, toneColor(tone, palette()));
    m_text->setPalette(p);

    QStringList tip;
    if (!m_server.isEmpty())
        tip << tr("API server: %1").arg(m_server.toDisplayString());
    if (m_status.since.isValid())
        tip << tr("In this state since %1").arg(clock(m_status.since));
    if (m_status.lastSync.isValid())
        tip << tr("Last complete picture: %1").arg(clock(m_status.lastSync));
    if (m_status.attempt > 0)
        tip << tr("Retries since the last healthy watch: %1").arg(m_status.attempt);
    if (m_status.state == Kube::ConnectionStatus::Reconnecting || m_status.state == Kube::ConnectionStatus::Failed)
        tip << tr("Bramble keeps retrying with backoff; F5 retries now.");
    setToolTip(tip.join(QLatin1Char('\n')));
}

} // namespace Bramble::Ui
