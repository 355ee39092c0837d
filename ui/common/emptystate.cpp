#include "ui/common/emptystate.h"

#include "ui/common/theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Bramble::Ui {

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
    , m_actions(new QHBoxLayout)
{
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    m_icon->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_icon);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_body->setAlignment(Qt::AlignCenter);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setOpenExternalLinks(true);
    m_body->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_body->setMaximumWidth(620);
    m_body->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    auto *bodyRow = new QHBoxLayout;
    bodyRow->addStretch();
    bodyRow->addWidget(m_body, 1);
    bodyRow->addStretch();
    layout->addLayout(bodyRow);
    layout->addSpacing(8);
    m_actions->addStretch();
    m_actions->addStretch();
    layout->addLayout(m_actions);
    layout->addStretch(3);
}

void EmptyState::setIcon(const QString &iconName)
{
    m_iconName = iconName;
    updateIcon();
}

void EmptyState::updateIcon()
{
    if (m_iconName.isEmpty()) {
        m_icon->clear();
        return;
    }
    m_icon->setPixmap(themedIcon(m_iconName, Tone::Muted).pixmap(QSize(56, 56), devicePixelRatioF()));
}

void EmptyState::setTitle(const QString &title)
{
    m_title->setText(title);
}
void EmptyState::setBody(const QString &html)
{
    m_body->setText(html);
}
QString EmptyState::title() const
{
    return m_title->text();
}
QString EmptyState::body() const
{
    return m_body->text();
}

QPushButton *EmptyState::addAction(const QString &text, const QString &iconName)
{
    auto *button = new QPushButton(text, this);
    if (!iconName.isEmpty())
        button->setIcon(themedIcon(iconName));
    // Keep the trailing stretch last so buttons stay centred.
    m_actions->insertWidget(m_actions->count() - 1, button);
    return button;
}

void EmptyState::clearActions()
{
    while (m_actions->count() > 2) {
        QLayoutItem *item = m_actions->takeAt(1);
        delete item->widget();
        delete item;
    }
}

void EmptyState::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateIcon();
    QWidget::changeEvent(event);
}

} // namespace Bramble::Ui
