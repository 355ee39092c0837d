#include "ui/common/jobmessagebar.h"

#include "core/job.h"
#include "ui/common/theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace Bramble::Ui {

JobMessageBar::JobMessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_button(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    m_text->setObjectName(QStringLiteral("nodesMessage"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(120);
    m_progress->setTextVisible(false);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_button);
    hide();
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (!isBusy()) {
            clear();
            return;
        }
        if (m_job)
            m_job->cancel();
        Q_EMIT cancelRequested();
    });
}

void JobMessageBar::track(Core::Job *job, const QString &text, const QString &failurePrefix)
{
    if (m_job)
        disconnect(m_job, nullptr, this, nullptr);
    m_job = job;
    m_jobText = text;
    showBusy(text);
    connect(job, &Core::Job::progressChanged, this, [this](const Core::Progress &p) {
        if (p.total > 0) {
            m_progress->setRange(0, 1000);
            m_progress->setValue(int(1000 * qBound<qint64>(0, p.done, p.total) / p.total));
        } else {
            m_progress->setRange(0, 0);
        }
        m_text->setText(p.text.isEmpty() ? m_jobText : m_jobText + QStringLiteral(" — ") + p.text);
    });
    connect(job, &Core::Job::finished, this, [this, job, failurePrefix] {
        if (job != m_job)
            return;
        m_job.clear();
        m_progress->setRange(0, 0);
        if (job->ok() || job->error().is(Core::Error::Kind::Cancelled))
            clear();
        else
            showError(failurePrefix + job->error().toString());
    });
}

void JobMessageBar::showBusy(const QString &text)
{
    show(text, true);
}

void JobMessageBar::showError(const QString &text)
{
    show(text, false);
}

void JobMessageBar::show(const QString &text, bool busy)
{
    m_text->setText(text);
    m_progress->setVisible(busy);
    m_button->setText(busy ? tr("Cancel") : tr("Dismiss"));
    const Tone tone = busy ? Tone::Muted : Tone::Error;
    m_icon->setPixmap(themedIcon(busy ? QStringLiteral("refresh") : QStringLiteral("error"), tone)
                          .pixmap(QSize(16, 16), devicePixelRatioF()));
    QPalette p = m_text->palette();
    p.setColor(QPalette::WindowText, busy ? palette().color(QPalette::WindowText) : toneColor(Tone::Error, palette()));
    m_text->setPalette(p);
    QFrame::show();
}

void JobMessageBar::clear()
{
    hide();
    m_text->clear();
    m_progress->hide();
}

bool JobMessageBar::isBusy() const
{
    return !isHidden() && !m_progress->isHidden();
}

QString JobMessageBar::text() const
{
    return m_text->text();
}

} // namespace Bramble::Ui
