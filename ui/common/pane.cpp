#include "ui/common/pane.h"

#include "ui/common/emptystate.h"
#include "ui/common/theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace Bramble::Ui {

Pane::Pane(const QString &id, const QString &title, const QString &iconName, QWidget *parent)
    : QWidget(parent)
    , m_id(id)
    , m_title(title)
    , m_iconName(iconName)
    , m_subtitle(new QLabel(this))
    , m_find(new QLineEdit(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyState(this))
{
    setObjectName(id + QStringLiteral("Pane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);

    auto *header = new QHBoxLayout;
    auto *titleLabel = new QLabel(title, this);
    QFont f = titleLabel->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    titleLabel->setFont(f);
    header->addWidget(titleLabel);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    header->addSpacing(12);
    header->addWidget(m_subtitle, 1, Qt::AlignBottom);
    m_find->setObjectName(QStringLiteral("findField"));
    m_find->setClearButtonEnabled(true);
    m_find->addAction(themedIcon(QStringLiteral("search"), Tone::Muted), QLineEdit::LeadingPosition);
    m_find->setMinimumWidth(220);
    header->addWidget(m_find);
    layout->addLayout(header);

    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);
    setFindAvailable(false);
    connect(m_find, &QLineEdit::textChanged, this, &Pane::findTextChanged);
}

void Pane::setContent(QWidget *content)
{
    if (m_content) {
        m_stack->removeWidget(m_content);
        m_content->deleteLater();
    }
    m_content = content;
    m_stack->addWidget(content);
}

void Pane::showEmptyState(bool empty)
{
    m_stack->setCurrentWidget(empty || !m_content ? static_cast<QWidget *>(m_empty) : m_content);
}

bool Pane::isShowingEmptyState() const
{
    return m_stack->currentWidget() == m_empty;
}

void Pane::setSubtitle(const QString &text)
{
    m_subtitle->setText(text);
}

void Pane::setFindAvailable(bool available)
{
    m_findAvailable = available;
    m_find->setEnabled(available);
    m_find->setPlaceholderText(available ? tr("Find (Ctrl+F)") : tr("Nothing to search yet"));
}

bool Pane::activateFind()
{
    if (!m_findAvailable)
        return false;
    m_find->setFocus(Qt::ShortcutFocusReason);
    m_find->selectAll();
    return true;
}

} // namespace Bramble::Ui
